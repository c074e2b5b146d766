"""Group registration services: application, review with mails, renewal and lapse with time
travel, reminders once per year, invitations and removal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from center.accounts.roles import ORG_MEMBER
from center.accounts.services import user_create
from center.core.models import Ward
from organizations.forms_groups import GroupForm
from organizations.models import ActivityField, Group, GroupDocument, GroupMembership
from organizations.services_groups import (
    group_apply,
    group_approve,
    group_reject,
    group_renew,
    group_request_info,
    group_update,
    invitation_accept,
    invitation_create,
    membership_remove,
    normalize_postal_code,
    renewal_reminders_send,
)

from .helpers import application_data, make_group, make_user

pytestmark = pytest.mark.django_db


def apply(user, **overrides):
    data = application_data(**overrides)
    files = {k: data.pop(k) for k in ("rules_document", "roster_document") if k in data}
    form = GroupForm(data, files)
    assert form.is_valid(), form.errors
    return group_apply(
        user=user,
        data=form.group_data(),
        fields=form.cleaned_data["fields"],
        sdgs=form.cleaned_data["sdgs"],
        documents=form.documents(),
    )


@pytest.mark.parametrize(
    "typed",
    ["231-0023", "2310023", "２３１－００２３", "２３１００２３", "〒231-0023", " 231ー0023 "],
)
def test_postal_codes_are_normalised(typed):
    assert normalize_postal_code(typed) == "231-0023"


@pytest.mark.parametrize("typed", ["", "231-002", "23100234", "abc-defg", "231--0023"])
def test_impossible_postal_codes_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_postal_code(typed)


def test_an_application_stores_the_group_its_documents_and_the_applicant_as_admin(
    outsider, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        group = apply(outsider)
    assert group.status == Group.Status.PENDING
    assert group.postal_code == "231-0023"
    assert sorted(group.fields.values_list("number", flat=True)) == [2, 13]
    assert group.memberships.get().user == outsider
    assert group.memberships.get().role == GroupMembership.Role.ADMIN
    kinds = sorted(group.documents.values_list("kind", "content_type"))
    assert kinds == [
        ("roster", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("rules", "application/pdf"),
    ]
    assert [m.to for m in mailoutbox] == [[outsider.email]]
    assert "あおぞら読み聞かせの会" in mailoutbox[0].subject
    # Not in the directory while under review.
    assert not Group.objects.listed().exists()


def test_an_unverified_account_cannot_apply(db):
    user = user_create(email="new@example.com", password="x" * 12, verified=False)
    with pytest.raises(PermissionDenied):
        apply(user)
    assert not Group.objects.exists()


def test_a_failing_document_leaves_nothing_half_stored(outsider, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(GroupDocument, "save", broken_save)
    with pytest.raises(OSError):
        apply(outsider)
    assert not Group.objects.exists()
    assert not GroupMembership.objects.exists()


def test_approval_registers_to_march_31_gives_the_role_and_mails(
    outsider, center_staff, django_capture_on_commit_callbacks, mailoutbox
):
    group = apply(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        group_approve(group=group, actor=center_staff, today=datetime.date(2026, 11, 5))
    group.refresh_from_db()
    assert group.status == Group.Status.APPROVED
    assert group.valid_until == datetime.date(2027, 3, 31)
    outsider.refresh_from_db()
    assert ORG_MEMBER in set(outsider.groups.values_list("name", flat=True))
    recipients = sorted(address for m in mailoutbox for address in m.to)
    assert recipients == sorted([outsider.email, "aozora@example.org"])
    assert all("あおぞら読み聞かせの会" in m.subject for m in mailoutbox)


def test_approval_in_march_runs_to_the_end_of_that_march(outsider, center_staff):
    group = apply(outsider)
    group_approve(group=group, actor=center_staff, today=datetime.date(2027, 3, 20))
    group.refresh_from_db()
    assert group.valid_until == datetime.date(2027, 3, 31)


def test_rejection_needs_a_reason_and_mails_it(
    outsider, center_staff, django_capture_on_commit_callbacks, mailoutbox
):
    group = apply(outsider)
    with pytest.raises(ValidationError):
        group_reject(group=group, actor=center_staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        group_reject(group=group, actor=center_staff, reason="市外で活動する団体のため。")
    group.refresh_from_db()
    assert group.status == Group.Status.REJECTED
    assert mailoutbox and all("市外で活動する団体のため。" in m.body for m in mailoutbox)
    outsider.refresh_from_db()
    assert not outsider.groups.filter(name=ORG_MEMBER).exists()


def test_asking_for_more_mails_the_question_and_an_edit_sends_it_back_to_review(
    outsider, center_staff, django_capture_on_commit_callbacks, mailoutbox
):
    group = apply(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        group_request_info(group=group, actor=center_staff, message="名簿を添付してください。")
    assert any("名簿を添付してください。" in m.body for m in mailoutbox)
    group.refresh_from_db()
    assert group.status == Group.Status.NEEDS_INFO
    group_update(
        group=group,
        user=outsider,
        data={"member_count": 15, "postal_code": "2310023"},
        fields=ActivityField.objects.filter(number=2),
        documents=[("roster", None)],
    )
    group.refresh_from_db()
    assert group.status == Group.Status.PENDING
    assert group.member_count == 15


def test_mails_are_written_in_the_applicants_language(
    outsider, center_staff, django_capture_on_commit_callbacks, mailoutbox
):
    outsider.language = "en"
    outsider.save()
    group = apply(outsider, contact_email=outsider.email)
    with django_capture_on_commit_callbacks(execute=True):
        group_approve(group=group, actor=center_staff)
    with translation.override("en"):
        assert mailoutbox[-1].subject.endswith("is now registered")
    assert "/en/groups/mine/" in mailoutbox[-1].body


def test_a_lapsed_group_leaves_the_directory_by_date(db):
    group = make_group(valid_until=datetime.date(2027, 3, 31))
    assert Group.objects.listed(datetime.date(2027, 3, 31)).filter(pk=group.pk).exists()
    assert not Group.objects.listed(datetime.date(2027, 4, 1)).filter(pk=group.pk).exists()


def test_renewal_opens_in_february_and_extends_to_the_next_march_31(db):
    member = make_user("m@example.com")
    group = make_group(valid_until=datetime.date(2027, 3, 31), member=member)
    with pytest.raises(ValidationError):
        group_renew(group=group, user=member, today=datetime.date(2027, 1, 31))
    group_renew(group=group, user=member, today=datetime.date(2027, 2, 10))
    group.refresh_from_db()
    assert group.valid_until == datetime.date(2028, 3, 31)
    # A second click cannot stack another year on top.
    with pytest.raises(ValidationError):
        group_renew(group=group, user=member, today=datetime.date(2027, 2, 11))


def test_a_lapsed_group_renews_to_the_end_of_the_current_fiscal_year(db):
    member = make_user("m@example.com")
    group = make_group(valid_until=datetime.date(2026, 3, 31), member=member)
    group_renew(group=group, user=member, today=datetime.date(2026, 6, 1))
    group.refresh_from_db()
    assert group.valid_until == datetime.date(2027, 3, 31)
    assert Group.objects.listed(datetime.date(2026, 6, 1)).filter(pk=group.pk).exists()


def test_only_members_renew(outsider):
    group = make_group(valid_until=datetime.date(2027, 3, 31))
    with pytest.raises(PermissionDenied):
        group_renew(group=group, user=outsider, today=datetime.date(2027, 2, 10))


def test_renewal_reminders_go_out_once_per_group_and_year_in_february_and_march(
    django_capture_on_commit_callbacks, mailoutbox
):
    admin = make_user("admin@example.com")
    due = make_group("期限の会", valid_until=datetime.date(2027, 3, 31), admin=admin)
    make_group("来年の会", valid_until=datetime.date(2028, 3, 31))
    make_group("審査中の会", status=Group.Status.PENDING)
    assert renewal_reminders_send(today=datetime.date(2027, 1, 31)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert renewal_reminders_send(today=datetime.date(2027, 2, 1)) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(["admin@example.com", due.contact_email])
    assert all("期限の会" in m.subject for m in mailoutbox)
    assert renewal_reminders_send(today=datetime.date(2027, 2, 2)) == 0
    assert renewal_reminders_send(today=datetime.date(2027, 3, 30)) == 0
    due.refresh_from_db()
    assert due.renewal_reminded_for == 2026
    # Renewed: next year's reminder is due again in February 2028 (with 来年の会's first).
    group_renew(group=due, user=admin, today=datetime.date(2027, 3, 1))
    assert renewal_reminders_send(today=datetime.date(2028, 2, 1)) == 2


def test_an_admin_invites_and_the_invitee_joins_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    admin = make_user("admin@example.com")
    group = make_group(admin=admin)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(group=group, actor=admin, email="new@example.com")
    assert mailoutbox[0].to == ["new@example.com"]
    assert f"/groups/invitation/{invitation.token}/" in mailoutbox[0].body
    invitee = make_user("new@example.com")
    membership = invitation_accept(token=invitation.token, user=invitee)
    assert membership.group == group and membership.role == GroupMembership.Role.MEMBER
    assert invitee.groups.filter(name=ORG_MEMBER).exists()
    with pytest.raises(ValidationError):
        invitation_accept(token=invitation.token, user=make_user("other@example.com"))


def test_a_plain_member_cannot_invite(db):
    member = make_user("m@example.com")
    group = make_group(member=member)
    with pytest.raises(PermissionDenied):
        invitation_create(group=group, actor=member, email="x@example.com")


def test_the_last_admin_cannot_be_removed_but_a_member_can(db):
    admin = make_user("admin@example.com")
    member = make_user("m@example.com")
    group = make_group(admin=admin, member=member)
    with pytest.raises(ValidationError):
        membership_remove(group=group, actor=admin, membership=group.memberships.get(user=admin))
    membership_remove(group=group, actor=admin, membership=group.memberships.get(user=member))
    assert list(group.memberships.values_list("user__email", flat=True)) == [admin.email]


def test_a_member_of_another_group_cannot_edit_this_one(db):
    intruder = make_user("i@example.com")
    make_group("自分の会", member=intruder)
    other = make_group("他の会")
    with pytest.raises(PermissionDenied):
        group_update(
            group=other,
            user=intruder,
            data={"name": "乗っ取り"},
            fields=ActivityField.objects.filter(number=1),
        )
    other.refresh_from_db()
    assert other.name == "他の会"


def test_unused_ward_fixture_is_loaded():
    assert Ward.objects.filter(code="naka").exists()
    assert ActivityField.objects.count() == 20
    assert ActivityField.objects.get(number=13).name == "子どもの健全育成を図る活動"


def test_the_beat_task_is_registered_and_sends_the_reminders_due_today(
    settings, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    from center.celery_app import app
    from organizations import tasks_groups

    entry = settings.CELERY_BEAT_SCHEDULE["group-renewal-reminders"]
    assert entry["task"] in app.tasks
    make_group("期限の会", valid_until=datetime.date(2027, 3, 31))
    monkeypatch.setattr(
        "organizations.services_groups.timezone.localdate", lambda: datetime.date(2027, 2, 15)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks_groups.send_renewal_reminders() == 1
    assert tasks_groups.send_renewal_reminders() == 0
    assert len(mailoutbox) == 1


def test_a_double_click_does_not_make_two_applications(outsider):
    apply(outsider)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        apply(outsider)
    assert "already sent an application for this group" in " ".join(caught.value.messages)
    assert Group.objects.count() == 1
    # Another group from the same account is a new application.
    apply(outsider, name="第二の会")
    assert Group.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submissions_make_one_application():
    import threading

    from django.db import connection

    from tests.conftest import require_postgresql

    require_postgresql()
    applicant = make_user("twice@example.org")
    results = []
    barrier = threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            apply(applicant)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Group.objects.filter(memberships__user=applicant).count() == 1

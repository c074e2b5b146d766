"""The back office: review page decisions with mails, approve action, filters, CSV."""

import datetime

import pytest
from django.utils import timezone

from organizations.models import Group

from .helpers import SECRET_EMAIL, make_group, make_user

pytestmark = pytest.mark.django_db


def test_staff_open_the_group_admin_pages(client, center_staff):
    group = make_group(admin=make_user("a@example.com"))
    client.force_login(center_staff)
    for path in (
        "/admin/organizations/group/",
        f"/admin/organizations/group/{group.pk}/change/",
        f"/admin/organizations/group/{group.pk}/review/",
        "/admin/organizations/group/?status__exact=approved&validity=lapsed",
        "/admin/organizations/group/?validity=current&kind__exact=voluntary",
        "/admin/organizations/group/?q=みどり",
        "/admin/organizations/groupmembership/",
        "/admin/organizations/groupdocument/",
        "/admin/organizations/groupinvitation/",
    ):
        assert client.get(path).status_code == 200, path


def test_coordinators_may_look_but_not_review(client, coordinator):
    group = make_group()
    client.force_login(coordinator)
    assert client.get("/admin/organizations/group/").status_code == 200
    assert client.get(f"/admin/organizations/group/{group.pk}/review/").status_code == 403


def test_the_lapsed_filter_lists_only_lapsed_groups(client, center_staff):
    make_group("今の会")
    make_group("切れた会", valid_until=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(center_staff)
    response = client.get("/admin/organizations/group/?validity=lapsed")
    listed = [g.name for g in response.context["cl"].result_list]
    assert listed == ["切れた会"]


def test_staff_approve_on_the_review_page_and_the_applicant_is_mailed(
    client, center_staff, django_capture_on_commit_callbacks, mailoutbox
):
    applicant = make_user("a@example.com")
    group = make_group(status=Group.Status.PENDING, admin=applicant)
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/organizations/group/{group.pk}/review/", {"decision": "approve"}
        )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == Group.Status.APPROVED
    assert sorted(m.to[0] for m in mailoutbox) == sorted([applicant.email, SECRET_EMAIL])


def test_rejecting_without_a_reason_is_refused_on_the_page(client, center_staff):
    group = make_group(status=Group.Status.PENDING, admin=make_user("a@example.com"))
    client.force_login(center_staff)
    response = client.post(
        f"/admin/organizations/group/{group.pk}/review/", {"decision": "reject", "review_note": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["review_note"]
    group.refresh_from_db()
    assert group.status == Group.Status.PENDING


def test_asking_for_more_on_the_review_page(
    client, center_staff, django_capture_on_commit_callbacks, mailoutbox
):
    group = make_group(status=Group.Status.PENDING, admin=make_user("a@example.com"))
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/organizations/group/{group.pk}/review/",
            {"decision": "needs_info", "review_note": "規約をください"},
        )
    group.refresh_from_db()
    assert group.status == Group.Status.NEEDS_INFO
    assert all("規約をください" in m.body for m in mailoutbox) and mailoutbox


def test_the_approve_action_approves_the_selection(client, center_staff):
    first = make_group("一の会", status=Group.Status.PENDING, admin=make_user("a@example.com"))
    second = make_group("二の会", status=Group.Status.PENDING, admin=make_user("b@example.com"))
    client.force_login(center_staff)
    client.post(
        "/admin/organizations/group/",
        {"action": "approve_selected", "_selected_action": [first.pk, second.pk]},
    )
    assert set(Group.objects.values_list("status", flat=True)) == {Group.Status.APPROVED}


def test_the_csv_export_has_a_bom_and_neutralises_formulas(client, center_staff):
    make_group('=HYPERLINK("x")の会')
    client.force_login(center_staff)
    response = client.post(
        "/admin/organizations/group/",
        {
            "action": "export_csv",
            "_selected_action": list(Group.objects.values_list("pk", flat=True)),
        },
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert "'=HYPERLINK" in body
    assert SECRET_EMAIL in body


def test_a_staff_correction_in_the_admin_shows_in_the_directory_at_once(
    client, center_staff, django_capture_on_commit_callbacks
):
    group = make_group("旧名の会")
    assert [g.name for g in client.get("/en/groups/").context["groups"]] == ["旧名の会"]
    client.force_login(center_staff)
    change = client.get(f"/admin/organizations/group/{group.pk}/change/")
    data = {
        key: value
        for key, value in change.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(
        {
            "name": "新名の会",
            "ward": group.ward_id,
            "fields": [f.pk for f in group.fields.all()],
            "sdgs": [],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        }
    )
    data["listed_publicly"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/organizations/group/{group.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    assert [g.name for g in client.get("/en/groups/").context["groups"]] == ["新名の会"]
    assert [g.name for g in client.get("/en/groups/?q=新名").context["groups"]] == ["新名の会"]

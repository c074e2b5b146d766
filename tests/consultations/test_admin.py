"""Triage in the Django admin, as each role: scoping, the audit of every opening, the workflow
guard, the case page's forms, the changelist actions and staff intake."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from center.core.models import AuditEvent, OutboxMessage
from consultations import selectors, services
from consultations.admin import QuarantineFilter
from consultations.models import (
    CaseEvent,
    Channel,
    CitySharing,
    Consultation,
    ConsultationSession,
    Status,
)
from tests.consultations.test_selectors import make_case, ward

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/consultations/consultation/"
ADD = "/admin/consultations/consultation/add/"


def change_url(case) -> str:
    return reverse("admin:consultations_consultation_change", args=[case.pk])


def case_action_url(case, action: str) -> str:
    return reverse("admin:consultations_consultation_case_action", args=[case.pk, action])


def change_data(case, **overrides) -> dict:
    """The case form as the browser would post it, unchanged unless overridden."""
    data = {
        "status": case.status,
        "priority": case.priority,
        "assignee": case.assignee_id or "",
        "follow_up_due": case.follow_up_due.isoformat() if case.follow_up_due else "",
        "requester_type": case.requester_type,
        "family_name": case.family_name,
        "given_name": case.given_name,
        "family_name_kana": case.family_name_kana,
        "given_name_kana": case.given_name_kana,
        "organization_name": case.organization_name,
        "email": case.email,
        "phone": case.phone,
        "preferred_contact": case.preferred_contact,
        "ward": case.ward_id or "",
        "topic": case.topic,
        "title": case.title,
        "body": case.body,
        "_continue": "1",
    }
    if case.channel not in (Channel.WEB, Channel.SESSION):
        data["channel"] = case.channel
    data.update(overrides)
    return data


def levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def view_audits(case) -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, target_id=str(case.pk)).count()


def submitted(**fields) -> Consultation:
    """A case through the real service, with its timeline."""
    values = {
        "requester_type": "npo",
        "family_name": "山田",
        "given_name": "花子",
        "email": "hanako@example.com",
        "topic": "activity",
        "title": "活動場所の相談",
        "body": "詳しい内容",
    }
    values.update(fields)
    return services.consultation_submit(fields=values)


# Who reaches the admin ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "org_member", "tsurumi_staff"])
def test_people_without_an_admin_role_never_reach_the_case_list(client, request, persona):
    case = make_case(referred_ward=ward("tsurumi"), referral_shares_contact=True)
    client.force_login(request.getfixturevalue(persona))
    for url in (CHANGELIST, change_url(case)):
        response = client.get(url, follow=True)
        assert case.title not in response.content.decode()
        assert response.redirect_chain == [] or "login" in response.redirect_chain[0][0]
    assert view_audits(case) == 0


def test_coordinators_see_only_their_assigned_cases_in_the_list(client, coordinator):
    mine = make_case(assignee=coordinator)
    other = make_case()
    client.force_login(coordinator)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]
    assert other.reference not in response.content.decode()


def test_a_coordinator_opening_another_case_by_url_gets_no_data(client, coordinator):
    other = make_case(title="他の担当者の相談")
    client.force_login(coordinator)
    response = client.get(change_url(other))
    assert response.status_code == 302
    assert "他の担当者の相談" not in client.get(response.url).content.decode()
    assert client.post(case_action_url(other, "note"), {"note-text": "x"}).status_code == 404
    assert view_audits(other) == 0


def test_city_staff_see_shared_cases_read_only(client, city_staff):
    shared = make_case(shared_with_city=True)
    client.force_login(city_staff)
    response = client.get(change_url(shared))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.get(change_url(make_case())).status_code == 302


def test_quarantined_cases_are_listed_only_through_the_quarantine_filter(client, center_staff):
    normal = make_case()
    spam = make_case(quarantined=True, quarantine_reason="honeypot")
    client.force_login(center_staff)
    assert list(client.get(CHANGELIST).context["cl"].result_list) == [normal]
    only = client.get(CHANGELIST, {"quarantine": "only"})
    assert list(only.context["cl"].result_list) == [spam]
    assert client.get(CHANGELIST, {"quarantine": "all"}).context["cl"].result_count == 2


def test_only_center_staff_are_offered_the_quarantine_filter(client, center_staff, coordinator):
    make_case(assignee=coordinator)
    for user, offered in ((center_staff, True), (coordinator, False)):
        client.force_login(user)
        specs = client.get(CHANGELIST).context["cl"].filter_specs
        assert any(isinstance(spec, QuarantineFilter) for spec in specs) is offered


def test_overdue_filter_lists_open_cases_past_their_follow_up_date(client, center_staff):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = make_case(follow_up_due=yesterday)
    make_case(follow_up_due=yesterday, status=Status.CLOSED)
    make_case(follow_up_due=timezone.localdate() + datetime.timedelta(days=3))
    client.force_login(center_staff)
    response = client.get(CHANGELIST, {"overdue": "yes"})
    assert list(response.context["cl"].result_list) == [late]
    assert 'class="overdue"' in response.content.decode()


def test_search_finds_cases_by_reference_name_and_text(client, center_staff):
    case = make_case(family_name="佐藤", body="子ども食堂の会場を探しています")
    make_case(family_name="鈴木", body="別件")
    client.force_login(center_staff)
    for query in (case.reference, "佐藤", "会場"):
        assert list(client.get(CHANGELIST, {"q": query}).context["cl"].result_list) == [case]


def test_the_changelist_query_count_does_not_grow_with_the_rows(
    client, center_staff, coordinator, django_assert_max_num_queries
):
    wards = ["tsurumi", "naka", "nishi"]
    make_case(assignee=coordinator, ward=ward("tsurumi"))
    client.force_login(center_staff)
    client.get(CHANGELIST)  # warm the per-user caches (roles, permissions)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for number in range(59):
        make_case(
            assignee=coordinator if number % 2 else center_staff,
            ward=ward(wards[number % 3]),
            follow_up_due=timezone.localdate(),
        )
    with django_assert_max_num_queries(15):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 50
    with CaptureQueriesContext(connection) as many:
        client.get(CHANGELIST)
    assert len(many) == len(few)


# The case page --------------------------------------------------------------------------


def test_every_opening_of_a_case_page_is_audited(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    assert client.get(change_url(case)).status_code == 200
    assert client.get(change_url(case)).status_code == 200
    assert view_audits(case) == 2
    event = AuditEvent.objects.filter(target_id=str(case.pk)).first()
    assert event.actor == center_staff
    assert event.ip_address == "127.0.0.1"


def test_saving_the_case_form_is_not_counted_as_an_opening(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    client.post(change_url(case), change_data(case, phone="045-000-1111"))
    assert view_audits(case) == 0
    change = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, target_id=str(case.pk))
    assert change.detail == {"fields": ["phone"]}


def test_the_case_page_shows_the_timeline_and_no_tracking_token(client, center_staff):
    case = submitted()
    services.consultation_add_note(consultation=case, actor=center_staff, text="電話で確認済み")
    services.consultation_reply(consultation=case, actor=center_staff, text="お返事です")
    client.force_login(center_staff)
    page = client.get(change_url(case)).content.decode()
    assert "電話で確認済み" in page
    assert "お返事です" in page
    assert case.tracking_token not in page
    assert page.count('id="timeline"') == 1


def test_a_disallowed_status_transition_is_a_form_error_not_a_500(client, center_staff):
    case = make_case(status=Status.WITHDRAWN)
    client.force_login(center_staff)
    response = client.post(change_url(case), change_data(case, status=Status.IN_PROGRESS))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert not case.events.filter(kind=CaseEvent.Kind.STATUS).exists()


def test_an_allowed_status_change_goes_through_the_service(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    response = client.post(change_url(case), change_data(case, status=Status.IN_PROGRESS))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.first_response_at is not None
    event = case.events.get(kind=CaseEvent.Kind.STATUS)
    assert (event.author, event.from_status, event.to_status) == (
        center_staff,
        Status.RECEIVED,
        Status.IN_PROGRESS,
    )


def test_an_assignee_change_goes_through_the_service(client, center_staff, coordinator):
    case = make_case()
    client.force_login(center_staff)
    client.post(change_url(case), change_data(case, assignee=coordinator.pk))
    case.refresh_from_db()
    assert case.assignee == coordinator
    assert case.events.get(kind=CaseEvent.Kind.ASSIGNED).author == center_staff


def test_only_staff_and_coordinators_can_be_chosen_as_assignee(
    client, center_staff, city_staff, outsider
):
    case = make_case()
    client.force_login(center_staff)
    response = client.post(change_url(case), change_data(case, assignee=outsider.pk))
    assert "assignee" in response.context["adminform"].form.errors
    choices = response.context["adminform"].form.fields["assignee"].queryset
    assert center_staff in choices and city_staff not in choices


def test_the_channel_of_a_web_case_cannot_be_changed(client, center_staff):
    case = make_case(channel=Channel.WEB)
    client.force_login(center_staff)
    client.post(change_url(case), {**change_data(case), "channel": Channel.PHONE})
    case.refresh_from_db()
    assert case.channel == Channel.WEB


def test_an_anonymised_case_cannot_be_edited(client, center_staff):
    case = make_case(status=Status.CLOSED, anonymised_at=timezone.now(), email="", title="-")
    client.force_login(center_staff)
    form = client.get(change_url(case)).context["adminform"].form
    assert list(form.fields) == []


def test_an_internal_note_is_added_but_never_shown_to_the_requester(client, coordinator):
    case = submitted()
    services.consultation_assign(consultation=case, assignee=coordinator, actor=coordinator)
    client.force_login(coordinator)
    response = client.post(case_action_url(case, "note"), {"note-text": "内部メモです"})
    assert response.status_code == 302
    assert levels(response) == [message_levels.SUCCESS]
    note = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert (note.author, note.text, note.is_public) == (coordinator, "内部メモです", False)
    assert note not in selectors.public_timeline(consultation=case)


def test_an_empty_note_is_refused_with_a_message(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    response = client.post(case_action_url(case, "note"), {"note-text": "   "})
    assert response.status_code == 302
    assert levels(response) == [message_levels.ERROR]
    assert not case.events.exists()


def test_a_reply_is_mailed_to_the_requester_and_shown_on_tracking(
    client, center_staff, mailoutbox, django_capture_on_commit_callbacks
):
    case = submitted()
    mailoutbox.clear()
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(case_action_url(case, "reply"), {"reply-text": "来週お電話します"})
    assert response.status_code == 302
    reply = case.events.get(kind=CaseEvent.Kind.PUBLIC_REPLY)
    assert reply in selectors.public_timeline(consultation=case)
    assert OutboxMessage.objects.filter(
        task_name="consultations.tasks.send_reply", args=[reply.pk]
    ).exists()
    to_requester = [mail for mail in mailoutbox if mail.to == ["hanako@example.com"]]
    assert len(to_requester) == 1
    assert "来週お電話します" in to_requester[0].body


def test_sharing_with_the_city_records_who_when_and_why(client, center_staff, city_staff):
    case = make_case()
    client.force_login(center_staff)
    before = timezone.now()
    client.post(case_action_url(case, "share"), {"share-basis": "協働事業提案制度の対象"})
    sharing = CitySharing.objects.get(consultation=case)
    assert sharing.shared_by == center_staff
    assert sharing.basis == "協働事業提案制度の対象"
    assert sharing.shared_at >= before
    assert case in selectors.consultations_visible_to(user=city_staff)


def test_sharing_without_a_basis_is_refused(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    response = client.post(case_action_url(case, "share"), {"share-basis": ""})
    assert levels(response) == [message_levels.ERROR]
    assert not CitySharing.objects.exists()


def test_a_coordinator_cannot_share_with_the_city(client, coordinator):
    case = make_case(assignee=coordinator)
    client.force_login(coordinator)
    response = client.post(case_action_url(case, "share"), {"share-basis": "理由"})
    assert response.status_code == 403
    assert not CitySharing.objects.exists()
    page = client.get(change_url(case))
    assert [panel.action for panel in page.context["case_panels"]] == [
        "note",
        "reply",
        "refer_ward",
        "refer_session",
    ]


def test_city_staff_comment_on_shared_cases_only(client, city_staff, center_staff):
    case = make_case()
    services.consultation_share_with_city(consultation=case, actor=center_staff, basis="連携")
    client.force_login(city_staff)
    page = client.get(change_url(case))
    assert [panel.action for panel in page.context["case_panels"]] == ["city_comment"]
    client.post(case_action_url(case, "city_comment"), {"city-text": "課内で検討します"})
    comment = case.events.get(kind=CaseEvent.Kind.CITY_COMMENT)
    assert (comment.author, comment.is_public) == (city_staff, False)
    assert client.post(case_action_url(case, "note"), {"note-text": "x"}).status_code == 403


def test_a_coordinator_cannot_write_a_city_comment(client, coordinator):
    case = make_case(assignee=coordinator, shared_with_city=True)
    client.force_login(coordinator)
    response = client.post(case_action_url(case, "city_comment"), {"city-text": "x"})
    assert response.status_code == 403


def test_referring_to_a_ward_center_from_the_case_page(client, center_staff, tsurumi_staff):
    case = make_case()
    client.force_login(center_staff)
    client.post(
        case_action_url(case, "refer_ward"),
        {"ward-ward": ward("tsurumi").pk, "ward-shares_contact": "on", "ward-note": "地域で支援"},
    )
    case.refresh_from_db()
    assert case.referred_ward.code == "tsurumi"
    assert case.referral_shares_contact is True
    assert case.status == Status.REFERRED
    assert selectors.contact_details_visible(user=tsurumi_staff, consultation=case)


def test_releasing_a_quarantined_case_from_its_page(client, center_staff):
    case = make_case(quarantined=True, quarantine_reason="too fast")
    client.force_login(center_staff)
    assert "release" in [p.action for p in client.get(change_url(case)).context["case_panels"]]
    client.post(case_action_url(case, "release"))
    case.refresh_from_db()
    assert case.quarantined is False
    assert case.events.filter(kind=CaseEvent.Kind.RELEASED).exists()


def test_case_page_forms_accept_only_post(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    assert client.get(case_action_url(case, "note")).status_code == 405


def test_an_unknown_case_page_form_is_refused(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    assert client.post(case_action_url(case, "delete")).status_code == 403


# Changelist actions ---------------------------------------------------------------------


def run_action(client, action: str, cases, url=CHANGELIST, **fields):
    """First the changelist's action form, then (with fields) the intermediate page's."""
    data = {"action": action, "_selected_action": [case.pk for case in cases]}
    if not fields:
        return client.post(url, {**data, "index": 0})
    return client.post(url, {**data, "apply": "yes", **fields})


def test_change_status_action_reports_refused_cases_and_never_fails(client, center_staff):
    fresh = make_case()
    withdrawn = make_case(status=Status.WITHDRAWN)
    client.force_login(center_staff)
    page = run_action(client, "change_status", [fresh, withdrawn])
    assert page.status_code == 200
    assert "status" in page.context["form"].fields
    response = run_action(
        client, "change_status", [fresh, withdrawn], status=Status.IN_PROGRESS, note=""
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (fresh.status, withdrawn.status) == (Status.IN_PROGRESS, Status.WITHDRAWN)
    assert levels(response) == [message_levels.SUCCESS, message_levels.WARNING]


def test_change_status_action_names_the_refused_case(client, center_staff):
    withdrawn = make_case(status=Status.WITHDRAWN)
    client.force_login(center_staff)
    response = run_action(
        client, "change_status", [withdrawn], url="/en" + CHANGELIST, status=Status.CLOSED
    )
    [message] = get_messages(response.wsgi_request)
    assert withdrawn.reference in message.message
    assert "cannot go from" in message.message


def test_share_action_asks_for_a_basis_first(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    again = run_action(client, "share_with_city", [case], basis="")
    assert again.status_code == 200
    assert "basis" in again.context["form"].errors
    assert not CitySharing.objects.exists()
    run_action(client, "share_with_city", [case], basis="市の補助制度の相談")
    sharing = CitySharing.objects.get(consultation=case)
    assert (sharing.shared_by, sharing.basis) == (center_staff, "市の補助制度の相談")


def test_a_coordinator_has_no_share_action(client, coordinator):
    case = make_case(assignee=coordinator)
    client.force_login(coordinator)
    choices = dict(client.get(CHANGELIST).context["action_form"].fields["action"].choices)
    assert "share_with_city" not in choices
    assert "change_status" in choices
    run_action(client, "share_with_city", [case], basis="理由")
    assert not CitySharing.objects.exists()


def test_refer_to_ward_action(client, center_staff):
    cases = [make_case(), make_case()]
    client.force_login(center_staff)
    assert run_action(client, "refer_to_ward", cases).status_code == 200
    run_action(client, "refer_to_ward", cases, ward=ward("naka").pk, note="中区で対応")
    for case in cases:
        case.refresh_from_db()
        assert (case.referred_ward.code, case.referral_shares_contact) == ("naka", False)
        assert case.status == Status.REFERRED


def test_refer_to_session_action_notes_the_session_and_marks_referred(client, center_staff):
    session = ConsultationSession.objects.create(
        kind=ConsultationSession.Kind.PROFESSIONAL,
        title="士業相談会(税理士)",
        date=timezone.localdate() + datetime.timedelta(days=10),
        is_published=True,
    )
    case = make_case()
    client.force_login(center_staff)
    run_action(client, "refer_to_session", [case], session=session.pk, note="会計の相談")
    case.refresh_from_db()
    assert case.status == Status.REFERRED
    event = case.events.get(kind=CaseEvent.Kind.REFERRED)
    assert event.detail["session_title"] == "士業相談会(税理士)"
    assert event.is_public is False


def test_assign_to_me_action(client, center_staff):
    case = make_case()
    client.force_login(center_staff)
    response = run_action(client, "assign_to_me", [case])
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == center_staff


def test_release_action_works_in_the_quarantine_view(client, center_staff):
    spam = make_case(quarantined=True, quarantine_reason="honeypot")
    client.force_login(center_staff)
    run_action(client, "release_from_quarantine", [spam], url=CHANGELIST + "?quarantine=only")
    spam.refresh_from_db()
    assert spam.quarantined is False


# Staff intake ---------------------------------------------------------------------------


def intake_data(**overrides) -> dict:
    data = {
        "channel": Channel.PHONE,
        "language": "ja",
        "requester_type": "neighbourhood",
        "family_name": "田中",
        "given_name": "一郎",
        "family_name_kana": "タナカ",
        "given_name_kana": "イチロウ",
        "organization_name": "本町自治会",
        "email": "",
        "phone": "045-000-0000",
        "preferred_contact": "phone",
        "ward": ward("naka").pk,
        "topic": "activity",
        "title": "夏祭りの協力団体を探している",
        "body": "電話での相談。",
        "priority": 2,
        "assignee": "",
        "follow_up_due": "",
        "_save": "1",
    }
    data.update(overrides)
    return data


def test_a_phone_consultation_without_email_joins_the_queue_without_a_receipt(
    client, center_staff, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(center_staff)
    assert client.get(ADD).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, intake_data())
    assert response.status_code == 302
    case = Consultation.objects.get()
    assert case.channel == Channel.PHONE
    assert case.email == ""
    assert re.fullmatch(r"S\d{4}-0001", case.reference)
    submitted_event = case.events.get(kind=CaseEvent.Kind.SUBMITTED)
    assert submitted_event.author == center_staff
    assert not OutboxMessage.objects.filter(task_name="consultations.tasks.send_receipt").exists()
    assert all(mail.to == list(settings.STAFF_ALERT_EMAILS) for mail in mailoutbox)


def test_intake_with_an_email_queues_a_receipt_and_assigns(client, center_staff, coordinator):
    client.force_login(center_staff)
    client.post(
        ADD,
        intake_data(
            channel=Channel.COUNTER,
            email="ichiro@example.com",
            preferred_contact="email",
            assignee=coordinator.pk,
        ),
    )
    case = Consultation.objects.get()
    assert case.assignee == coordinator
    assert OutboxMessage.objects.filter(
        task_name="consultations.tasks.send_receipt", args=[case.pk]
    ).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"channel": Channel.WEB},  # only the public form makes web cases
        {"channel": "carrier-pigeon"},
        {"preferred_contact": "email"},  # ...but no address was given
        {"title": ""},
    ],
)
def test_intake_refuses_bad_input_with_a_form_error(client, center_staff, overrides):
    client.force_login(center_staff)
    response = client.post(ADD, intake_data(**overrides))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Consultation.objects.exists()


def test_coordinators_cannot_enter_cases(client, coordinator):
    client.force_login(coordinator)
    assert client.get(ADD).status_code == 403

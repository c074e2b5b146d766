"""The events back office: programs with their yearly plans, plans edited in the list, the
plan-against-actual page, events with sessions, speakers and questions (dates taken from
the sessions), the publish and cancel actions, and who may see it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from center.core.cache import public_cache_clear
from events.models import Event, EventSession, Program, ProgramPlan, Speaker
from tests.events.test_public_pages import add_registrations, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_page_cache():
    public_cache_clear()
    yield
    public_cache_clear()


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/events/program/",
        "/admin/events/programplan/",
        "/admin/events/programplan/plan-vs-actual/",
        "/admin/events/event/",
        "/admin/events/event/add/",
    ],
)
def test_center_staff_open_every_events_admin_page(client, center_staff, url):
    client.force_login(center_staff)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "org_member", "tsurumi_staff"])
def test_people_without_the_role_cannot_open_them(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in ("/admin/events/event/", "/admin/events/programplan/plan-vs-actual/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404)


def test_the_program_page_edits_plans_per_year(client, center_staff):
    program = Program.objects.get(slug="mizube-salon")
    client.force_login(center_staff)
    url = reverse("admin:events_program_change", args=[program.pk])
    page = html(client.get(url))
    assert "plans-TOTAL_FORMS" in page
    plans = list(program.plans.all())
    data = {
        "name": program.name,
        "name_en": program.name_en,
        "slug": program.slug,
        "business": program.business,
        "order": program.order,
        "is_active": "on",
        "description": program.description,
        "description_en": program.description_en,
        "plans-TOTAL_FORMS": len(plans) + 1,
        "plans-INITIAL_FORMS": len(plans),
        "plans-MIN_NUM_FORMS": 0,
        "plans-MAX_NUM_FORMS": 1000,
    }
    for index, plan in enumerate(plans):
        data |= {
            f"plans-{index}-id": plan.pk,
            f"plans-{index}-program": program.pk,
            f"plans-{index}-fiscal_year": plan.fiscal_year,
            f"plans-{index}-planned_count": plan.planned_count,
            f"plans-{index}-note": plan.note,
        }
    new = len(plans)
    data |= {
        f"plans-{new}-program": program.pk,
        f"plans-{new}-fiscal_year": 2031,
        f"plans-{new}-planned_count": 8,
        f"plans-{new}-note": "拡大",
    }
    response = client.post(url, data)
    assert response.status_code == 302, html(response)[:3000]
    assert ProgramPlan.objects.get(program=program, fiscal_year=2031).planned_count == 8


def test_the_plan_list_filters_by_year_and_edits_planned_counts(client, center_staff):
    plan = ProgramPlan.objects.create(
        program=Program.objects.get(slug="hub"), fiscal_year=2032, planned_count=2
    )
    client.force_login(center_staff)
    page = html(client.get("/admin/events/programplan/?fiscal_year=2032"))
    assert 'name="form-0-planned_count"' in page
    assert "plan-vs-actual" in page
    response = client.post(
        "/admin/events/programplan/?fiscal_year=2032",
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": plan.pk,
            "form-0-planned_count": 5,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.planned_count == 5


def test_the_plan_vs_actual_page_shows_the_year(client, center_staff):
    event = make_event("済んだ講座", program="mizube-salon", days=-2, capacity=10)
    registrations = add_registrations(event, 4)
    from events.models import Attendance

    Attendance.objects.create(registration=registrations[0], session=event.sessions.first())
    from center.core.fiscal import fiscal_year_of

    year = fiscal_year_of(event.starts_at)
    client.force_login(center_staff)
    with translation.override("en"):
        page = html(client.get(f"/en/admin/events/programplan/plan-vs-actual/?year={year}"))
    assert "Mizube Salon" in page
    assert "25%" in page  # 1 of 4 seats
    for junk in ("abc", "99999", "%00", "-1"):
        assert (
            client.get(f"/admin/events/programplan/plan-vs-actual/?year={junk}").status_code == 200
        )


def _event_form(program: Program, **overrides) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "program": program.pk,
        "title": "管理画面の連続講座",
        "summary": "",
        "description": "説明",
        "status": "draft",
        "venue": "lab",
        "venue_address": "",
        "online_url": "",
        "registration_required": "on",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "capacity": "30",
        "waitlist_enabled": "on",
        "max_party_size": "4",
        "reminder_hours_before": "24",
        "ward_staff_seats": "0",
        "fee_note": "無料",
        "audience": "",
        "accessibility_info": "",
        "report": "",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-title": "第1回",
        "sessions-0-starts_at_0": f"{day:%Y-%m-%d}",
        "sessions-0-starts_at_1": "14:00:00",
        "sessions-0-ends_at_0": f"{day:%Y-%m-%d}",
        "sessions-0-ends_at_1": "16:00:00",
        "sessions-1-title": "第2回",
        "sessions-1-starts_at_0": f"{day + datetime.timedelta(days=7):%Y-%m-%d}",
        "sessions-1-starts_at_1": "14:00:00",
        "sessions-1-ends_at_0": f"{day + datetime.timedelta(days=7):%Y-%m-%d}",
        "sessions-1-ends_at_1": "16:30:00",
        "speakers-TOTAL_FORMS": "1",
        "speakers-INITIAL_FORMS": "0",
        "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "1000",
        "speakers-0-name": "森田 浩",
        "speakers-0-affiliation": "税理士",
        "speakers-0-order": "0",
        "speakers-0-profile": "NPO会計",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-purpose": "registration",
        "questions-0-label": "活動分野",
        "questions-0-kind": "choice",
        "questions-0-choices": "環境\n福祉",
        "questions-0-required": "on",
        "questions-0-order": "0",
    }
    data.update(overrides)
    return data


def test_adding_an_event_takes_its_dates_from_the_sessions(client, center_staff):
    client.force_login(center_staff)
    response = client.post(
        reverse("admin:events_event_add"), _event_form(Program.objects.get(slug="basics"))
    )
    assert response.status_code == 302, html(response)[:3000]
    event = Event.objects.get(title="管理画面の連続講座")
    sessions = list(event.sessions.order_by("starts_at"))
    assert len(sessions) == 2
    assert event.starts_at == sessions[0].starts_at
    assert event.ends_at == sessions[1].ends_at
    assert event.created_by == center_staff
    assert Speaker.objects.filter(event=event, name="森田 浩").exists()
    assert event.questions.get().choice_list() == ["環境", "福祉"]


def test_an_event_needs_a_session_that_ends_after_it_starts(client, center_staff):
    client.force_login(center_staff)
    form = _event_form(
        Program.objects.get(slug="basics"),
        **{"sessions-TOTAL_FORMS": "1", "sessions-0-ends_at_1": "13:00:00"},
    )
    response = client.post(reverse("admin:events_event_add"), form)
    assert response.status_code == 200
    assert not Event.objects.filter(title="管理画面の連続講座").exists()
    form = _event_form(Program.objects.get(slug="basics"), **{"sessions-TOTAL_FORMS": "0"})
    assert client.post(reverse("admin:events_event_add"), form).status_code == 200
    assert not Event.objects.exists()


def test_changing_a_session_moves_the_event_dates(client, center_staff):
    event = make_event("一回の講座", days=5)
    session = event.sessions.get()
    client.force_login(center_staff)
    url = reverse("admin:events_event_change", args=[event.pk])
    assert client.get(url).status_code == 200
    later = timezone.localtime(session.starts_at) + datetime.timedelta(days=3)
    form = _event_form(
        event.program,
        title=event.title,
        status="published",
        **{
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "1",
            "sessions-0-id": session.pk,
            "sessions-0-event": event.pk,
            "sessions-0-starts_at_0": f"{later:%Y-%m-%d}",
            "sessions-0-starts_at_1": "10:00:00",
            "sessions-0-ends_at_0": f"{later:%Y-%m-%d}",
            "sessions-0-ends_at_1": "12:00:00",
            "speakers-TOTAL_FORMS": "0",
            "questions-TOTAL_FORMS": "0",
        },
    )
    response = client.post(url, form)
    assert response.status_code == 302, html(response)[:3000]
    event.refresh_from_db()
    assert timezone.localtime(event.starts_at).date() == later.date()
    assert timezone.localtime(event.ends_at).hour == 12


def test_the_event_list_filters_and_shows_seats(client, center_staff):
    event = make_event("席数の講座", capacity=10)
    add_registrations(event, 3, party_size=2)
    make_event("過去の講座", days=-10)
    client.force_login(center_staff)
    page = html(client.get("/admin/events/event/"))
    assert "6 / 10" in page
    for name in ("status__exact", "period=upcoming", "program__id__exact", "venue__exact"):
        assert name in page
    upcoming = html(client.get("/admin/events/event/?period=upcoming"))
    assert "席数の講座" in upcoming and "過去の講座" not in upcoming
    past = html(client.get("/admin/events/event/?period=past"))
    assert "過去の講座" in past and "席数の講座" not in past


def test_publish_and_cancel_actions_go_through_the_services(
    client, center_staff, django_capture_on_commit_callbacks
):
    draft = make_event("下書きの講座", status=Event.Status.DRAFT)
    other_draft = make_event("もう一つの下書き", status=Event.Status.DRAFT)
    client.get("/events/")  # cached without the drafts
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/events/event/",
            {"action": "publish", "_selected_action": [draft.pk]},
        )
    assert response.status_code == 302
    assert Event.objects.get(pk=draft.pk).status == Event.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/events/event/",
            {"action": "cancel", "_selected_action": [draft.pk, other_draft.pk]},
        )
    assert Event.objects.get(pk=draft.pk).status == Event.Status.CANCELLED
    # A draft is not cancelled (it would go public as "cancelled"): an error message.
    assert Event.objects.get(pk=other_draft.pk).status == Event.Status.DRAFT
    client.logout()
    assert "下書きの講座" in html(client.get("/events/"))


def test_registrations_are_not_registered_here():
    from django.contrib import admin

    from events import admin as events_admin  # noqa: F401
    from events.models import Answer, Attendance

    assert Event in admin.site._registry
    assert EventSession not in admin.site._registry  # edited inline
    # The registration flow's own admin registers these (or nothing yet).
    for model in (Answer, Attendance):
        registered = admin.site._registry.get(model)
        assert registered is None or type(registered).__module__ != "events.admin"


def test_deleting_an_event_in_the_admin_drops_the_cached_list(
    client, center_staff, django_capture_on_commit_callbacks
):
    event = make_event("消す講座")
    assert "消す講座" in html(client.get("/events/"))
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    client.logout()
    assert "消す講座" not in html(client.get("/events/"))


def test_an_event_with_registrations_cannot_be_deleted(client, center_staff):
    event = make_event("申込みのある講座")
    add_registrations(event, 1)
    client.force_login(center_staff)
    response = client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Event.objects.filter(pk=event.pk).exists()

"""Plan against actual per fiscal year and program: planned count, events held (published,
not cancelled, over, started in the year), confirmed registrations and their seats,
attendees (seats of registrations checked in at least once) and the attendance rate."""

import datetime

import pytest
from django.utils import timezone

from center.core.fiscal import fiscal_year_of
from events.models import Attendance, Event, Program, ProgramPlan, Registration
from events.selectors import plan_vs_actual
from events.services_events import event_cancel
from tests.events.test_public_pages import add_registrations, make_event

pytestmark = pytest.mark.django_db


def fy_of(event: Event) -> int:
    return fiscal_year_of(event.starts_at)


def row_for(rows, slug: str):
    return next(row for row in rows if row.program.slug == slug)


def attend(registration: Registration, *, sessions=None) -> None:
    for session in sessions or registration.event.sessions.all():
        Attendance.objects.create(registration=registration, session=session)


def test_held_events_count_only_published_ended_ones_of_the_year():
    now = timezone.now()
    held = make_event("開催済み", program="mizube-salon", days=-3)
    year = fy_of(held)
    make_event("予定", program="mizube-salon", days=400)  # a later fiscal year or not over
    make_event("下書き", program="mizube-salon", days=-3, status=Event.Status.DRAFT)
    cancelled = make_event("中止", program="mizube-salon", days=-3)
    event_cancel(event=cancelled)
    make_event("前年度", program="mizube-salon", days=-800)
    row = row_for(plan_vs_actual(fiscal_year=year, now=now), "mizube-salon")
    assert row.held == 1


def test_registrations_attendees_and_rate_count_seats_of_confirmed_registrations():
    event = make_event("連続講座", program="basics", days=-30, sessions=3)
    year = fy_of(event)
    came, came_twice, absent = add_registrations(event, 3, party_size=2)
    single = add_registrations(event, 1)[0]
    add_registrations(event, 2, status=Registration.Status.CANCELLED)
    add_registrations(event, 1, status=Registration.Status.WAITLISTED)
    sessions = list(event.sessions.all())
    attend(came, sessions=sessions[:1])
    attend(came_twice)  # three sessions: still one registration, one party
    attend(single, sessions=sessions[1:2])
    row = row_for(plan_vs_actual(fiscal_year=year), "basics")
    assert row.registrations == 4
    assert row.registered_seats == 7
    assert row.attendees == 5  # 2 + 2 + 1; the absent party of 2 is not there
    assert row.attendance_rate == pytest.approx(5 / 7)
    assert absent.attendances.count() == 0


def test_registrations_of_upcoming_events_are_not_counted_yet():
    past = make_event("済み", program="dialogue-lab", days=-2)
    year = fy_of(past)
    add_registrations(past, 2)
    upcoming = make_event("これから", program="dialogue-lab", days=1)
    add_registrations(upcoming, 5)
    row = row_for(plan_vs_actual(fiscal_year=year), "dialogue-lab")
    assert row.registrations == 2
    assert row.attendees == 0
    assert row.attendance_rate == 0


def test_planned_count_comes_from_the_years_plan():
    program = Program.objects.get(slug="hub")
    ProgramPlan.objects.update_or_create(
        program=program, fiscal_year=2030, defaults={"planned_count": 7}
    )
    rows = plan_vs_actual(fiscal_year=2030)
    row = row_for(rows, "hub")
    assert (row.planned, row.held, row.attendance_rate, row.achievement) == (7, 0, None, 0)
    # Programs with neither a plan nor an event that year are left out.
    assert {r.program.slug for r in rows} == {"hub"}


def test_a_program_without_plan_but_with_events_is_listed_with_no_plan():
    event = make_event("計画外", program="collaboration-space", days=-1)
    ProgramPlan.objects.filter(program=event.program).delete()
    row = row_for(plan_vs_actual(fiscal_year=fy_of(event)), "collaboration-space")
    assert row.planned is None and row.held == 1


def test_the_fiscal_year_runs_april_to_march():
    event = make_event("三月の講座", program="startup", days=-1)
    year = fy_of(event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.make_aware(datetime.datetime(year + 1, 3, 31, 23, 0)),
        ends_at=timezone.make_aware(datetime.datetime(year + 1, 3, 31, 23, 30)),
    )
    later = timezone.make_aware(datetime.datetime(year + 1, 4, 2))
    assert row_for(plan_vs_actual(fiscal_year=year, now=later), "startup").held == 1
    next_year = plan_vs_actual(fiscal_year=year + 1, now=later)
    assert all(row.held == 0 for row in next_year if row.program.slug == "startup")


def test_plan_vs_actual_costs_a_fixed_number_of_queries(django_assert_num_queries):
    for number in range(4):
        event = make_event(f"講座{number}", program="mizube-salon", days=-1 - number)
        attend(add_registrations(event, 3)[0])
    year = fiscal_year_of(timezone.now() - datetime.timedelta(days=1))
    with django_assert_num_queries(4):
        plan_vs_actual(fiscal_year=year)

"""Events' yearly numbers per business for the dashboard: a hand-written fiscal year 2025
(events held, cancelled, draft, either side of the year), counted for the whole city, for
a quarter and for one ward, and checked against the admin's plan against actual."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from center.core.fiscal import fiscal_year_bounds
from center.core.models import Ward
from center.core.stats import StatsPeriod
from events.models import Attendance, Event, EventSession, Program, ProgramPlan, Registration
from events.selectors import plan_vs_actual
from events.stats import business_slug, business_stats

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=TOKYO)
CONFIRMED = Registration.Status.CONFIRMED
_numbers = itertools.count(1)


def at(year, month, day, hour=14, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def ward(code: str) -> Ward:
    return Ward.objects.get(code=code)


def make_event(program: str, starts: datetime.datetime, *, status=Event.Status.PUBLISHED):
    event = Event.objects.create(
        program=Program.objects.get(slug=program),
        title=f"{program} {starts:%Y-%m-%d}",
        description="説明",
        status=status,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    EventSession.objects.create(event=event, starts_at=event.starts_at, ends_at=event.ends_at)
    return event


def register(event, *, party=1, ward=None, status=CONFIRMED, came=False) -> Registration:
    registration = Registration.objects.create(
        event=event,
        status=status,
        family_name=f"参加者{next(_numbers)}",
        party_size=party,
        ward=ward,
        privacy_notice_version="test",
    )
    if came:
        Attendance.objects.create(registration=registration, session=event.sessions.get())
    return registration


def plan(program: str, year: int, count: int) -> None:
    ProgramPlan.objects.update_or_create(
        program=Program.objects.get(slug=program),
        fiscal_year=year,
        defaults={"planned_count": count},
    )


def fiscal_year(year: int, ward=None) -> StatsPeriod:
    return StatsPeriod(*fiscal_year_bounds(year), ward=ward)


def stats_by_business(period: StatsPeriod) -> dict:
    return {stats.business: stats for stats in business_stats(period, now=NOW)}


def figures(stats) -> dict:
    return {figure.key: figure.value for figure in stats.figures}


def table(stats, key: str):
    return next(table for table in stats.tables if table.key == key)


@pytest.fixture
def year_2025(db):
    """FY2025 (April 2025 – March 2026). Registrations: (seats, ward, attended).

    exchange  対話&創造ラボ 2025-05-10: 2 鶴見 came, 1 中 absent, + cancelled and waitlisted
              対話&創造ラボ 2025-06-01 07:30 (still 31 May in UTC): 1 鶴見 came, 3 none came
              対話&創造ラボ 2025-08-09 cancelled; 2025-09-13 a draft (with registrations)
              ミズベサロン 2026-03-31 21:00: 1 中 came
    training  スタートアップ 2025-10-04: 1 鶴見 came, 1 鶴見 absent
    next year ミズベサロン 2026-04-01 07:30 (still March in UTC); 2027-01-10 not over yet.
    """
    ProgramPlan.objects.filter(fiscal_year__in=[2025, 2026]).delete()
    plan("dialogue-lab", 2025, 6)
    plan("symposium", 2025, 1)
    plan("startup", 2025, 4)
    tsurumi, naka = ward("tsurumi"), ward("naka")

    may = make_event("dialogue-lab", at(2025, 5, 10))
    register(may, party=2, ward=tsurumi, came=True)
    register(may, ward=naka)
    register(may, ward=tsurumi, status=Registration.Status.CANCELLED)
    register(may, ward=tsurumi, status=Registration.Status.WAITLISTED)
    june = make_event("dialogue-lab", at(2025, 6, 1, 7, 30))
    register(june, ward=tsurumi, came=True)
    register(june, party=3, came=True)
    cancelled = make_event("dialogue-lab", at(2025, 8, 9), status=Event.Status.CANCELLED)
    register(cancelled, ward=tsurumi)
    draft = make_event("dialogue-lab", at(2025, 9, 13), status=Event.Status.DRAFT)
    register(draft, ward=tsurumi)
    march = make_event("mizube-salon", at(2026, 3, 31, 21))
    register(march, ward=naka, came=True)

    startup = make_event("startup", at(2025, 10, 4))
    register(startup, ward=tsurumi, came=True)
    register(startup, ward=tsurumi)

    register(make_event("mizube-salon", at(2026, 4, 1, 7, 30)), ward=tsurumi, came=True)
    register(make_event("mizube-salon", at(2027, 1, 10)), ward=tsurumi)
    make_event("startup", at(2025, 3, 31, 20))  # FY2024


def test_one_entry_per_business_with_programs_in_the_navigations_order(year_2025):
    businesses = [stats.business for stats in business_stats(fiscal_year(2025), now=NOW)]
    assert businesses == [
        "consultation",
        "training",
        "exchange",
        "activity-support",
        "ward-centers",
    ]
    assert business_slug("activity_support") == "activity-support"


def test_the_years_figures_per_business(year_2025):
    stats = stats_by_business(fiscal_year(2025))
    assert figures(stats["exchange"]) == {
        "events.held": 3,  # not the cancelled one, nor the draft
        "events.registrations": 5,
        "events.registered_people": 8,  # 2 + 1 + 1 + 3 + 1
        "events.attendees": 7,  # 2 + 1 + 3 + 1
        "events.attendance_rate": 87.5,
    }
    assert figures(stats["training"]) == {
        "events.held": 1,
        "events.registrations": 2,
        "events.registered_people": 2,
        "events.attendees": 1,
        "events.attendance_rate": 50.0,
    }
    assert figures(stats["activity-support"]) == {
        "events.held": 0,
        "events.registrations": 0,
        "events.registered_people": 0,
        "events.attendees": 0,
        "events.attendance_rate": None,
    }


def test_programs_against_the_plan(year_2025):
    stats = stats_by_business(fiscal_year(2025))
    against_plan = table(stats["exchange"], "events.plan_vs_actual")
    assert against_plan.chart == "bar"
    # In the programs' order; a program without a plan shows None, one with a plan and
    # nothing held shows 0; programs with neither are left out.
    assert against_plan.rows == [
        ("ミズベサロン", None, 1),
        ("未来創発シンポジウム", 1, 0),
        ("対話&創造ラボ", 6, 2),
    ]
    assert table(stats["training"], "events.plan_vs_actual").rows == [
        ("スタートアッププログラム", 4, 1)
    ]
    assert table(stats["activity-support"], "events.plan_vs_actual").rows == []
    with translation.override("en"):
        stats = stats_by_business(fiscal_year(2025))
        against_plan = table(stats["exchange"], "events.plan_vs_actual")
        assert against_plan.columns == ["Program", "Planned", "Held"]
        assert against_plan.rows[2] == ("Dialogue & Creation Lab", 6, 2)
        assert "whole of" not in against_plan.note


def test_the_full_year_agrees_with_the_admins_plan_against_actual(year_2025):
    admin_rows = {
        row.program.display_name: row for row in plan_vs_actual(fiscal_year=2025, now=NOW)
    }
    for stats in business_stats(fiscal_year(2025), now=NOW):
        for name, planned, held in table(stats, "events.plan_vs_actual").rows:
            assert (admin_rows[name].planned, admin_rows[name].held) == (planned, held)
    exchange = stats_by_business(fiscal_year(2025))["exchange"]
    exchange_rows = [row for row in admin_rows.values() if row.program.business == "exchange"]
    assert figures(exchange)["events.attendees"] == sum(row.attendees for row in exchange_rows)


def test_registrations_by_month_of_the_event_in_yokohama_time(year_2025):
    by_month = table(stats_by_business(fiscal_year(2025))["exchange"], "events.by_month")
    assert by_month.chart == "column"
    assert len(by_month.rows) == 12
    assert [row for row in by_month.rows if row[1] or row[2]] == [
        ("2025-05", 3, 2),
        ("2025-06", 4, 4),  # 07:30 on 1 June is 31 May in UTC
        ("2026-03", 1, 1),
    ]
    assert by_month.rows[0] == ("2025-04", 0, 0)


def test_the_next_year_counts_its_first_morning_and_not_events_still_to_come(year_2025):
    exchange = stats_by_business(fiscal_year(2026))["exchange"]
    assert figures(exchange)["events.held"] == 1
    assert figures(exchange)["events.registrations"] == 1
    assert table(exchange, "events.by_month").rows[0] == ("2026-04", 1, 1)


def test_a_quarter_counts_its_events_and_says_the_plan_is_yearly(year_2025):
    quarter = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    stats = stats_by_business(quarter)
    assert figures(stats["exchange"]) == {
        "events.held": 2,
        "events.registrations": 4,
        "events.registered_people": 7,
        "events.attendees": 6,
        "events.attendance_rate": 85.7,
    }
    assert figures(stats["training"])["events.held"] == 0
    against_plan = table(stats["exchange"], "events.plan_vs_actual")
    assert against_plan.rows == [("未来創発シンポジウム", 1, 0), ("対話&創造ラボ", 6, 2)]
    with translation.override("en"):
        note = table(stats_by_business(quarter)["exchange"], "events.plan_vs_actual").note
        assert "Planned counts are for the whole of FY2025." in note
    assert [row[0] for row in table(stats["exchange"], "events.by_month").rows] == [
        "2025-04",
        "2025-05",
        "2025-06",
    ]


def test_a_ward_sees_only_its_residents_registrations(year_2025):
    stats = stats_by_business(fiscal_year(2025, ward=ward("tsurumi")))
    assert figures(stats["exchange"]) == {
        "events.registrations": 2,
        "events.registered_people": 3,
        "events.attendees": 3,
        "events.attendance_rate": 100.0,
    }
    assert figures(stats["training"])["events.attendance_rate"] == 50.0
    # Events held and the plan are the center's: a ward gets its registrations per program.
    assert [t.key for t in stats["exchange"].tables] == ["events.by_program", "events.by_month"]
    assert table(stats["exchange"], "events.by_program").rows == [("対話&創造ラボ", 3, 3)]
    assert [row for row in table(stats["exchange"], "events.by_month").rows if row[1]] == [
        ("2025-05", 2, 2),
        ("2025-06", 1, 1),
    ]
    naka = stats_by_business(fiscal_year(2025, ward=ward("naka")))["exchange"]
    assert figures(naka)["events.registered_people"] == 2
    assert figures(naka)["events.attendees"] == 1
    assert table(naka, "events.by_program").rows == [
        ("ミズベサロン", 1, 1),
        ("対話&創造ラボ", 1, 0),
    ]


def _queries(period: StatsPeriod) -> int:
    with CaptureQueriesContext(connection) as context:
        business_stats(period, now=NOW)
    return len(context.captured_queries)


def test_at_most_eight_queries(year_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        business_stats(fiscal_year(2025), now=NOW)
    with django_assert_max_num_queries(8):
        business_stats(fiscal_year(2025, ward=ward("tsurumi")), now=NOW)


def test_the_query_count_does_not_grow_with_events_and_registrations(db):
    programs = ["dialogue-lab", "startup", "npo-intro"]

    def add(count: int) -> None:
        for n in range(count):
            event = make_event(programs[n % 3], at(2025, 4 + n % 9, 1 + n % 28))
            for m in range(n % 4 + 1):
                register(event, party=m + 1, ward=ward("tsurumi"), came=bool(m % 2))

    add(3)
    few = _queries(fiscal_year(2025)), _queries(fiscal_year(2025, ward=ward("tsurumi")))
    add(27)
    held = sum(figures(s)["events.held"] for s in business_stats(fiscal_year(2025), now=NOW))
    assert held == 30
    many = _queries(fiscal_year(2025)), _queries(fiscal_year(2025, ward=ward("tsurumi")))
    assert many == few
    assert max(many) <= 8

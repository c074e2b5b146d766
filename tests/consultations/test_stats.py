"""The consultation desk's yearly numbers for the dashboard: a hand-written fiscal year 2025
of seven cases (plus cases on both sides of the year, and a quarantined one), counted for
the whole city, for a quarter and for one ward."""

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
from consultations.models import (
    Channel,
    Consultation,
    ConsultationSession,
    RequesterType,
    SessionSlot,
    SlotBooking,
    Status,
    Topic,
)
from consultations.stats import business_stats

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=TOKYO)
_numbers = itertools.count(1)


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def ward(code: str) -> Ward:
    return Ward.objects.get(code=code)


def make_case(received, *, answered_after_days=None, **fields) -> Consultation:
    number = next(_numbers)
    values = {
        "reference": f"S9999-{number:04d}",
        "fiscal_year": 2025,
        "requester_type": RequesterType.NPO,
        "topic": Topic.ACTIVITY,
        "channel": Channel.WEB,
        "title": f"相談{number}",
        "privacy_notice_version": "test",
        "created_at": received,
        "last_activity_at": received,
    }
    if answered_after_days is not None:
        values["first_response_at"] = received + datetime.timedelta(days=answered_after_days)
    values.update(fields)
    return Consultation.objects.create(**values)


def fiscal_year(year: int, ward=None) -> StatsPeriod:
    return StatsPeriod(*fiscal_year_bounds(year), ward=ward)


def stats_of(period: StatsPeriod):
    (stats,) = business_stats(period, now=NOW)
    assert stats.business == "consultation"
    return stats


def figures(stats) -> dict:
    return {figure.key: figure.value for figure in stats.figures}


def table(stats, key: str):
    return next(table for table in stats.tables if table.key == key)


def rows(stats, key: str) -> dict:
    return {row[0]: row[1] for row in table(stats, key).rows}


@pytest.fixture
def year_2025(db):
    """Seven cases in FY2025 (April 2025 – March 2026), waits to the first reply in days:
    #1 2, #2 1, #4 4, #5 0.5, #6 3; #3 and #7 not answered yet."""
    tsurumi, naka = ward("tsurumi"), ward("naka")
    cases = {
        1: make_case(at(2025, 4, 10), ward=tsurumi, status=Status.CLOSED, answered_after_days=2),
        2: make_case(
            at(2025, 4, 20),
            ward=tsurumi,
            topic=Topic.FOUNDING,
            requester_type=RequesterType.INDIVIDUAL,
            channel=Channel.PHONE,
            status=Status.IN_PROGRESS,
            answered_after_days=1,
        ),
        # 08:00 on 1 June in Yokohama is still 31 May in UTC.
        3: make_case(at(2025, 6, 1, 8), ward=naka),
        4: make_case(
            at(2025, 9, 15),
            ward=naka,
            topic=Topic.MANAGEMENT,
            requester_type=RequesterType.COMPANY,
            channel=Channel.EMAIL,
            status=Status.CLOSED,
            answered_after_days=4,
        ),
        5: make_case(
            at(2025, 12, 1),
            ward=tsurumi,
            requester_type=RequesterType.NEIGHBOURHOOD,
            channel=Channel.COUNTER,
            status=Status.WITHDRAWN,
            answered_after_days=0.5,
        ),
        6: make_case(
            at(2026, 2, 10),
            ward=None,
            topic=Topic.PROPOSAL,
            requester_type=RequesterType.INDIVIDUAL,
            status=Status.WAITING,
            answered_after_days=3,
        ),
        # 23:30 in Yokohama is 14:30 UTC: still March, still FY2025.
        7: make_case(at(2026, 3, 31, 23, 30), ward=naka),
    }
    # Either side of the year, by Yokohama's clock (2026-04-01 00:00 is still March in UTC).
    make_case(at(2025, 3, 31, 23, 59), ward=tsurumi, fiscal_year=2024)
    make_case(at(2026, 4, 1, 0, 0), ward=naka, fiscal_year=2026)
    # Suspected spam waiting for a person is not in the queue, so not in the numbers.
    make_case(at(2025, 5, 1), ward=tsurumi, quarantined=True, quarantine_reason="links")

    # 相談会 on 10 July 2025 with three slots: one booked (case #1, 鶴見区), one booked by
    # case #3 (中区) and cancelled, one free. An unpublished day and next year's day with a
    # booking are not counted.
    session = ConsultationSession.objects.create(
        kind=ConsultationSession.Kind.COLLABORATION,
        title="相談会",
        date=datetime.date(2025, 7, 10),
        is_published=True,
    )
    slots = [
        SessionSlot.objects.create(
            session=session,
            starts_at=at(2025, 7, 10, 13 + n),
            ends_at=at(2025, 7, 10, 13 + n, 50),
            advisor="相談員",
        )
        for n in range(3)
    ]
    SlotBooking.objects.create(
        slot=slots[0], consultation=cases[1], name="A", email="a@example.com"
    )
    SlotBooking.objects.create(
        slot=slots[1],
        consultation=cases[3],
        name="B",
        email="b@example.com",
        cancelled_at=at(2025, 7, 1),
    )
    draft = ConsultationSession.objects.create(
        kind=ConsultationSession.Kind.PROFESSIONAL, title="下書き", date=datetime.date(2025, 8, 1)
    )
    SessionSlot.objects.create(
        session=draft, starts_at=at(2025, 8, 1, 13), ends_at=at(2025, 8, 1, 14), advisor="税理士"
    )
    later = ConsultationSession.objects.create(
        kind=ConsultationSession.Kind.COLLABORATION,
        title="翌年度",
        date=datetime.date(2026, 4, 9),
        is_published=True,
    )
    later_slot = SessionSlot.objects.create(
        session=later, starts_at=at(2026, 4, 9, 13), ends_at=at(2026, 4, 9, 14), advisor="相談員"
    )
    SlotBooking.objects.create(
        slot=later_slot, consultation=cases[2], name="C", email="c@example.com"
    )
    return cases


def test_the_years_headline_figures(year_2025):
    assert figures(stats_of(fiscal_year(2025))) == {
        "consultations.received": 7,
        "consultations.open": 4,  # #2 in progress, #3 and #7 received, #6 waiting
        "consultations.closed": 2,
        "consultations.withdrawn": 1,
        "consultations.responded": 5,
        # 0.5, 1, 2, 3, 4 days
        "consultations.median_days_to_first_response": 2.0,
        "consultations.session_days": 1,
        "consultations.session_slots": 3,
        "consultations.session_bookings": 1,
    }


def test_the_median_of_an_even_number_of_waits_is_the_mean_of_the_middle_two(year_2025):
    first_quarter = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert figures(stats_of(first_quarter))["consultations.median_days_to_first_response"] == 1.5


def test_breakdowns_list_every_choice_in_the_models_order_zeros_included(year_2025):
    stats = stats_of(fiscal_year(2025))
    with translation.override("en"):
        stats = stats_of(fiscal_year(2025))
        assert table(stats, "consultations.by_topic").rows == [
            ("Collaboration proposal", 1),
            ("Citizen activities", 4),
            ("Starting a group or an NPO corporation", 1),
            ("Running an organisation (accounting, tax, labour)", 1),
            ("Getting the word out", 0),
            ("Places and funding", 0),
            ("Other", 0),
        ]
        assert [row[1] for row in table(stats, "consultations.by_requester_type").rows] == [
            2,  # individual
            1,  # neighbourhood association
            3,  # NPO
            0,
            1,  # company
            0,
            0,
            0,
        ]
        assert rows(stats, "consultations.by_channel") == {
            "Website form": 4,
            "Phone": 1,
            "Counter": 1,
            "FAX": 0,
            "Email": 1,
            "Ward center": 0,
            "Consultation session booking": 0,
        }
    assert {t.key: t.chart for t in stats.tables} == {
        "consultations.by_topic": "bar",
        "consultations.by_requester_type": "bar",
        "consultations.by_channel": "bar",
        "consultations.by_ward": "bar",
        "consultations.by_month": "column",
    }


def test_by_ward_lists_the_18_wards_and_the_cases_from_outside_yokohama(year_2025):
    by_ward = table(stats_of(fiscal_year(2025)), "consultations.by_ward")
    assert len(by_ward.rows) == 19
    assert by_ward.rows[0] == ("鶴見区", 3)
    counts = dict(by_ward.rows)
    assert counts["中区"] == 3
    assert sum(counts.values()) == 7
    with translation.override("en"):
        by_ward = table(stats_of(fiscal_year(2025)), "consultations.by_ward")
        assert by_ward.rows[0] == ("Tsurumi", 3)
        assert by_ward.rows[-1] == ("Outside Yokohama", 1)


def test_by_month_has_every_month_of_the_year_in_yokohama_time(year_2025):
    by_month = table(stats_of(fiscal_year(2025)), "consultations.by_month")
    assert by_month.rows == [
        ("2025-04", 2),
        ("2025-05", 0),
        ("2025-06", 1),
        ("2025-07", 0),
        ("2025-08", 0),
        ("2025-09", 1),
        ("2025-10", 0),
        ("2025-11", 0),
        ("2025-12", 1),
        ("2026-01", 0),
        ("2026-02", 1),
        ("2026-03", 1),  # #7, received at 23:30 on the last day of the year
    ]


def test_the_neighbouring_years_see_only_their_own_edge_cases(year_2025):
    assert figures(stats_of(fiscal_year(2024)))["consultations.received"] == 1
    next_year = stats_of(fiscal_year(2026))
    assert figures(next_year)["consultations.received"] == 1
    assert dict(table(next_year, "consultations.by_month").rows)["2026-04"] == 1
    assert figures(next_year)["consultations.session_bookings"] == 1


def test_a_quarter_counts_its_three_months_only(year_2025):
    first_quarter = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    stats = stats_of(first_quarter)
    values = figures(stats)
    assert values["consultations.received"] == 3
    assert values["consultations.open"] == 2
    assert values["consultations.closed"] == 1
    assert values["consultations.session_days"] == 0  # the 相談会 is in July
    assert table(stats, "consultations.by_month").rows == [
        ("2025-04", 2),
        ("2025-05", 0),
        ("2025-06", 1),
    ]


def test_a_ward_sees_only_its_own_cases_and_no_by_ward_table(year_2025):
    stats = stats_of(fiscal_year(2025, ward=ward("tsurumi")))
    assert figures(stats) == {
        "consultations.received": 3,
        "consultations.open": 1,
        "consultations.closed": 1,
        "consultations.withdrawn": 1,
        "consultations.responded": 3,
        "consultations.median_days_to_first_response": 1.0,  # 0.5, 1, 2
        # Session days and slots are the center's; the booking is #1's, from 鶴見区.
        "consultations.session_bookings": 1,
    }
    assert "consultations.by_ward" not in {t.key for t in stats.tables}
    assert rows(stats, "consultations.by_topic") == {
        str(Topic.PROPOSAL.label): 0,
        str(Topic.ACTIVITY.label): 2,
        str(Topic.FOUNDING.label): 1,
        str(Topic.MANAGEMENT.label): 0,
        str(Topic.PUBLICITY.label): 0,
        str(Topic.PLACE_FUNDS.label): 0,
        str(Topic.OTHER.label): 0,
    }
    assert sum(row[1] for row in table(stats, "consultations.by_month").rows) == 3


def test_a_ward_without_answered_cases_has_no_median(year_2025):
    stats = stats_of(fiscal_year(2025, ward=ward("nishi")))
    values = figures(stats)
    assert values["consultations.received"] == 0
    assert values["consultations.median_days_to_first_response"] is None
    assert values["consultations.session_bookings"] == 0
    assert all(row[1] == 0 for t in stats.tables for row in t.rows)


def test_labels_follow_the_active_language(year_2025):
    with translation.override("en"):
        stats = stats_of(fiscal_year(2025))
        received = stats.figures[0]
        assert received.label == "Consultations received"
        median = next(f for f in stats.figures if f.key.endswith("median_days_to_first_response"))
        assert median.unit == "days"
    stats = stats_of(fiscal_year(2025))
    assert rows(stats, "consultations.by_topic")[str(Topic.ACTIVITY.label)] == 4


def _queries(period: StatsPeriod) -> int:
    with CaptureQueriesContext(connection) as context:
        business_stats(period, now=NOW)
    return len(context.captured_queries)


def test_at_most_six_queries(year_2025, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        business_stats(fiscal_year(2025), now=NOW)
    with django_assert_max_num_queries(6):
        business_stats(fiscal_year(2025, ward=ward("tsurumi")), now=NOW)


def test_the_query_count_does_not_grow_with_the_number_of_cases(db):
    wards = list(Ward.objects.in_order())
    topics = list(Topic.values)

    def add(count: int) -> None:
        for n in range(count):
            make_case(
                at(2025, 4 + n % 9, 1 + n % 28),
                ward=wards[n % len(wards)],
                topic=topics[n % len(topics)],
                answered_after_days=n % 5 + 1,
                status=Status.CLOSED if n % 2 else Status.RECEIVED,
            )

    add(3)
    few = _queries(fiscal_year(2025))
    add(27)
    assert figures(stats_of(fiscal_year(2025)))["consultations.received"] == 30
    assert _queries(fiscal_year(2025)) == few <= 8

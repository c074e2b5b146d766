"""The dashboard's numbers of ward-center support, counted by hand on a small year."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from center.core.models import Ward
from center.core.stats import StatsPeriod
from consultations.models import Consultation, Status
from networks.models import Hearing, KnowHowArticle, Meeting, MeetingRsvp, SupportRequest
from networks.stats import business_stats
from tests.networks.meetings.helpers import center_of
from tests.networks.support import file_request, make_article, make_hearing

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
FY2025 = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
Q1_2025 = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def meeting(starts_at, *, attending=(), absent=()) -> Meeting:
    held = Meeting.objects.create(title=f"会議 {starts_at:%Y-%m-%d}", starts_at=starts_at)
    for code in attending:
        MeetingRsvp.objects.create(
            meeting=held, ward_center=center_of(code), attending=True, attendee_names="担当者"
        )
    for code in absent:
        MeetingRsvp.objects.create(meeting=held, ward_center=center_of(code), attending=False)
    return held


def hearing(code, fiscal_year, held_on) -> Hearing:
    made = make_hearing(code, fiscal_year)
    Hearing.objects.filter(pk=made.pk).update(held_on=held_on)
    return made


def request(code, filed, status=Status.RECEIVED) -> SupportRequest:
    made = file_request(code)
    SupportRequest.objects.filter(pk=made.pk).update(created_at=filed)
    Consultation.objects.filter(pk=made.consultation_id).update(status=status)
    return made


def article(code, created) -> KnowHowArticle:
    made = make_article(code, title=f"ノウハウ {code} {created:%Y-%m}")
    KnowHowArticle.objects.filter(pk=made.pk).update(created_at=created)
    return made


@pytest.fixture
def year():
    """Fiscal year 2025 (2025-04-01 to 2026-03-31)."""
    meeting(at(2025, 5, 20, 14), attending=["tsurumi", "naka"], absent=["nishi"])
    meeting(at(2025, 11, 10, 14), attending=["tsurumi", "kanagawa", "naka", "nishi"])
    meeting(at(2026, 2, 15, 14))  # no reply recorded
    meeting(at(2026, 4, 10, 14), attending=["tsurumi"])  # next year
    meeting(at(2025, 3, 31, 23), attending=["naka"])  # the last hour of the year before

    hearing("naka", 2025, datetime.date(2025, 6, 30))
    hearing("tsurumi", 2025, datetime.date(2025, 7, 1))
    hearing("kanagawa", 2025, datetime.date(2026, 3, 31))
    hearing("nishi", 2024, datetime.date(2024, 7, 1))

    request("tsurumi", at(2025, 4, 10))
    request("tsurumi", at(2025, 8, 1), Status.CLOSED)
    request("naka", at(2025, 6, 15), Status.IN_PROGRESS)
    request("naka", at(2025, 9, 1), Status.WAITING)
    request("naka", at(2026, 4, 1, 0, 0))  # the first minute of the next year
    request("nishi", at(2025, 3, 31, 23, 59))  # the last minute of the year before
    request("kanagawa", at(2026, 1, 20), Status.WITHDRAWN)

    article(None, at(2025, 5, 1))
    article("naka", at(2025, 10, 1))
    article("tsurumi", at(2024, 10, 1))


def ward_centers(period):
    with translation.override("en"):
        (stats,) = business_stats(period)
    assert stats.business == "ward-centers"
    return stats


def figures(stats) -> dict:
    return {figure.key: figure.value for figure in stats.figures}


def table(stats, key):
    return next(t for t in stats.tables if t.key == key)


def test_a_fiscal_year_counts_meetings_hearings_requests_and_know_how(year):
    assert figures(ward_centers(FY2025)) == {
        "networks.meetings_held": 3,
        "networks.meetings_average_wards": 3.0,  # (2 + 4) / the 2 meetings with replies
        "networks.hearings": 3,
        "networks.support_requests": 5,
        "networks.knowhow_articles": 2,
    }


def test_support_requests_by_ward_list_all_18_wards_in_order(year):
    by_ward = table(ward_centers(FY2025), "networks.support_requests_by_ward")
    assert by_ward.chart == "bar"
    assert by_ward.columns == ["Ward", "Requests"]
    assert len(by_ward.rows) == 18
    assert by_ward.rows[:4] == [("Tsurumi", 2), ("Kanagawa", 1), ("Nishi", 0), ("Naka", 2)]
    assert sum(count for _ward, count in by_ward.rows) == 5


def test_support_requests_by_status_fold_the_case_statuses_as_the_ward_sees_them(year):
    by_status = table(ward_centers(FY2025), "networks.support_requests_by_status")
    assert by_status.chart == "bar"
    assert by_status.rows == [
        ("Received", 1),
        ("In progress", 2),  # in progress and waiting for information
        ("Done", 1),
        ("Withdrawn", 1),
    ]


def test_a_quarter_counts_only_its_own_three_months(year):
    stats = ward_centers(Q1_2025)
    assert figures(stats) == {
        "networks.meetings_held": 1,
        "networks.meetings_average_wards": 2.0,
        "networks.hearings": 1,
        "networks.support_requests": 2,
        "networks.knowhow_articles": 1,
    }
    assert table(stats, "networks.support_requests_by_status").rows == [
        ("Received", 1),
        ("In progress", 1),
        ("Done", 0),
        ("Withdrawn", 0),
    ]


def test_a_ward_sees_its_own_attendance_hearing_requests_and_know_how(year):
    naka = StatsPeriod(FY2025.start, FY2025.end, Ward.objects.get(code="naka"))
    stats = ward_centers(naka)
    assert figures(stats) == {
        "networks.meetings_held": 3,
        "networks.meetings_attended": 2,
        "networks.hearings": 1,
        "networks.support_requests": 2,
        "networks.knowhow_articles": 1,
    }
    assert [t.key for t in stats.tables] == ["networks.support_requests_by_status"]
    assert table(stats, "networks.support_requests_by_status").rows == [
        ("Received", 0),
        ("In progress", 2),
        ("Done", 0),
        ("Withdrawn", 0),
    ]


def test_a_meeting_still_to_come_is_not_counted_as_held(db):
    now = timezone.now()
    today = timezone.localdate()
    meeting(now - datetime.timedelta(days=1), attending=["naka"])
    meeting(now + datetime.timedelta(days=1), attending=["naka", "tsurumi"])
    period = StatsPeriod(today - datetime.timedelta(days=30), today + datetime.timedelta(days=30))
    stats = figures(ward_centers(period))
    assert stats["networks.meetings_held"] == 1
    assert stats["networks.meetings_average_wards"] == 1.0


def test_without_any_reply_the_average_is_not_measurable(db):
    meeting(at(2025, 5, 20, 14))
    stats = figures(ward_centers(FY2025))
    assert stats["networks.meetings_held"] == 1
    assert stats["networks.meetings_average_wards"] is None


def test_the_number_of_queries_does_not_grow_with_the_rows(
    year, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(4):
        business_stats(FY2025)
    naka = Ward.objects.get(code="naka")
    with django_assert_num_queries(3):
        business_stats(StatsPeriod(FY2025.start, FY2025.end, naka))
    with CaptureQueriesContext(connection) as before:
        business_stats(FY2025)
    for day in range(1, 6):
        meeting(at(2025, 7, day, 14), attending=["naka", "nishi"])
        request("nishi", at(2025, 7, day), Status.CLOSED)
        article("nishi", at(2025, 7, day))
    with CaptureQueriesContext(connection) as after:
        business_stats(FY2025)
    assert len(after) == len(before)
    assert figures(ward_centers(FY2025))["networks.support_requests"] == 10

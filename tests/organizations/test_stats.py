"""The dashboard's numbers of groups, spaces and the HUB, counted by hand on a small year."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from center.core.models import Ward
from center.core.stats import StatsPeriod
from organizations.models import Booking, Group, HubPost, IntroductionRequest, Space
from organizations.stats import business_stats
from tests.organizations.groups.helpers import make_group, make_user
from tests.organizations.hub.helpers import make_need

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
FY2025 = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
Q1_2025 = StatsPeriod(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
END_OF_FY2025 = datetime.date(2026, 3, 31)


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def group(
    name,
    *,
    ward,
    kind=Group.Kind.VOLUNTARY,
    status=Group.Status.APPROVED,
    approved=None,
    valid_until=None,
):
    made = make_group(name, kana=name, ward=ward, kind=kind, status=status, valid_until=valid_until)
    Group.objects.filter(pk=made.pk).update(approved_at=approved)
    return made


def book(space, grp, user, day, block, hours, status=Booking.Status.CONFIRMED):
    return Booking.objects.create(
        space=space,
        group=grp,
        booked_by=user,
        date=day,
        block=block,
        hours=Decimal(hours),
        purpose="定例会",
        status=status,
    )


def introduction(post, user, *, requested, status=IntroductionRequest.Status.NEW, decided=None):
    intro = IntroductionRequest.objects.create(
        post=post, requester=user, message="紹介希望", status=status
    )
    IntroductionRequest.objects.filter(pk=intro.pk).update(created_at=requested, decided_at=decided)
    return intro


@pytest.fixture
def year():
    """Fiscal year 2025 (2025-04-01 to 2026-03-31) in 中区 and 鶴見区."""
    user = make_user("member@example.org")
    fy_end = END_OF_FY2025
    groups = {
        # Registered in May, valid to the end of the year.
        "g1": group("g1", ward="naka", approved=at(2025, 5, 10), valid_until=fy_end),
        # Registered the year before and renewed: current, not new.
        "g2": group(
            "g2",
            ward="naka",
            kind=Group.Kind.NPO_CORPORATION,
            approved=at(2024, 6, 1),
            valid_until=fy_end,
        ),
        "g3": group(
            "g3",
            ward="tsurumi",
            kind=Group.Kind.NPO_CORPORATION,
            approved=at(2025, 10, 1),
            valid_until=fy_end,
        ),
        # Lapsed at the end of the year before.
        "g4": group(
            "g4", ward="tsurumi", approved=at(2024, 5, 1), valid_until=datetime.date(2025, 3, 31)
        ),
        "g5": group("g5", ward="naka", status=Group.Status.PENDING),
        "g6": group("g6", ward="tsurumi", status=Group.Status.NEEDS_INFO),
        "g7": group("g7", ward="naka", status=Group.Status.REJECTED),
        # Registered in the next fiscal year: not counted anywhere in 2025.
        "g8": group(
            "g8", ward="naka", approved=at(2026, 4, 2), valid_until=datetime.date(2027, 3, 31)
        ),
        # The last minutes of the year in Tokyo (still 2026-03-31 14:30 in UTC).
        "g9": group(
            "g9",
            ward="tsurumi",
            kind=Group.Kind.GENERAL_ASSOCIATION,
            approved=at(2026, 3, 31, 23, 30),
            valid_until=datetime.date(2027, 3, 31),
        ),
        # The last minute of the year before: registered in 2024, lapsed.
        "g10": group(
            "g10",
            ward="naka",
            approved=at(2025, 3, 31, 23, 59),
            valid_until=datetime.date(2025, 3, 31),
        ),
    }
    g1, g2, g3 = groups["g1"], groups["g2"], groups["g3"]
    lab = Space.objects.get(slug="lab-meeting")
    space_a = Space.objects.get(slug="space-a")
    book(lab, g1, user, datetime.date(2025, 5, 1), "morning", "3")
    book(lab, g3, user, datetime.date(2025, 8, 1), "afternoon", "4")
    book(space_a, g1, user, datetime.date(2025, 5, 2), "evening", "3")
    book(space_a, g3, user, datetime.date(2025, 5, 3), "morning", "3", Booking.Status.CANCELLED)
    book(lab, g1, user, datetime.date(2026, 4, 1), "morning", "3")  # next year
    book(lab, g2, user, datetime.date(2025, 6, 30), "afternoon", "4", Booking.Status.PENDING)
    book(space_a, g2, user, datetime.date(2025, 6, 30), "morning", "1.5")

    post = make_need(g1)
    introduced = IntroductionRequest.Status.INTRODUCED
    introduction(post, user, requested=at(2025, 6, 1), status=introduced, decided=at(2025, 6, 20))
    introduction(post, make_user("b@example.org"), requested=at(2025, 7, 1))
    # Asked the year before, introduced in April: made this year, not requested.
    introduction(
        post,
        make_user("c@example.org"),
        requested=at(2025, 3, 20),
        status=introduced,
        decided=at(2025, 4, 5),
    )
    introduction(
        post,
        make_user("d@example.org"),
        requested=at(2025, 9, 1),
        status=IntroductionRequest.Status.DECLINED,
        decided=at(2025, 9, 10),
    )
    return groups


def stats_of(period, business="activity-support"):
    with translation.override("en"):
        found = [item for item in business_stats(period) if item.business == business]
    return found[0] if found else None


def figures(stats) -> dict:
    return {figure.key: figure.value for figure in stats.figures}


def table(stats, key):
    return next(t for t in stats.tables if t.key == key)


def test_a_fiscal_year_counts_new_current_and_pending_groups(year):
    assert (
        figures(stats_of(FY2025)).items()
        >= {
            "organizations.groups_registered": 3,  # g1, g3, g9
            "organizations.groups_current": 4,  # g1, g2, g3, g9
            "organizations.groups_pending": 2,  # g5 pending, g6 asked for more information
        }.items()
    )


def test_a_fiscal_year_counts_confirmed_bookings_and_their_hours_per_space(year):
    stats = stats_of(FY2025)
    assert figures(stats)["organizations.bookings"] == 4
    assert figures(stats)["organizations.booked_hours"] == 11.5
    use = table(stats, "organizations.space_use")
    assert use.columns == ["Space", "Bookings", "Hours"]
    assert use.chart == "bar"
    assert use.rows == [
        ("Collaboration Lab meeting space", 2, 7),
        ("Space A", 2, 4.5),
        ("Space B", 0, 0),
    ]


def test_groups_by_kind_and_by_ward_are_the_groups_current_at_the_end(year):
    stats = stats_of(FY2025)
    kinds = dict(table(stats, "organizations.groups_by_kind").rows)
    assert kinds["NPO corporation (NPO法人)"] == 2
    assert kinds["Voluntary group (任意団体)"] == 1
    assert kinds["General incorporated association (一般社団法人)"] == 1
    assert sum(kinds.values()) == 4
    by_ward = table(stats, "organizations.groups_by_ward")
    assert by_ward.chart == "bar"
    assert len(by_ward.rows) == 18
    assert by_ward.rows[0] == ("Tsurumi", 2)
    assert dict(by_ward.rows)["Naka"] == 2
    assert sum(count for _ward, count in by_ward.rows) == 4


def test_the_hub_introductions_are_reported_under_exchange(year):
    hub = stats_of(FY2025, "exchange")
    assert figures(hub) == {
        "organizations.hub_introductions_requested": 3,
        "organizations.hub_introductions_made": 2,
    }


def test_a_quarter_counts_only_its_own_three_months(year):
    stats = stats_of(Q1_2025)
    assert figures(stats) == {
        "organizations.groups_registered": 1,  # g1
        "organizations.groups_current": 2,  # g1, g2: g3 and g9 were not registered yet on June 30
        "organizations.groups_pending": 2,
        "organizations.bookings": 3,
        "organizations.booked_hours": 7.5,
    }
    assert table(stats, "organizations.space_use").rows == [
        ("Collaboration Lab meeting space", 1, 3),
        ("Space A", 2, 4.5),
        ("Space B", 0, 0),
    ]
    assert figures(stats_of(Q1_2025, "exchange")) == {
        "organizations.hub_introductions_requested": 1,
        "organizations.hub_introductions_made": 2,
    }


def test_a_ward_sees_only_its_own_groups_and_their_bookings(year):
    naka = StatsPeriod(FY2025.start, FY2025.end, Ward.objects.get(code="naka"))
    with translation.override("en"):
        result = business_stats(naka)
    assert [item.business for item in result] == ["activity-support"]
    stats = result[0]
    assert figures(stats) == {
        "organizations.groups_registered": 1,  # g1
        "organizations.groups_current": 2,  # g1, g2
        "organizations.groups_pending": 1,  # g5
        "organizations.bookings": 3,
        "organizations.booked_hours": 7.5,
    }
    assert [t.key for t in stats.tables] == [
        "organizations.space_use",
        "organizations.groups_by_kind",
    ]
    assert table(stats, "organizations.space_use").rows == [
        ("Collaboration Lab meeting space", 1, 3),
        ("Space A", 2, 4.5),
        ("Space B", 0, 0),
    ]


def test_labels_follow_the_active_language(year):
    with translation.override("en"):
        english = business_stats(FY2025)[0]
    with translation.override("ja"):
        japanese = business_stats(FY2025)[0]
    assert english.figures[0].label == "Groups registered in the period"
    assert [f.key for f in japanese.figures] == [f.key for f in english.figures]
    assert table(japanese, "organizations.space_use").rows[0][0] == "協働ラボ ミーティングスペース"


def test_an_empty_year_is_all_zeros(db):
    stats = stats_of(FY2025)
    assert set(figures(stats).values()) == {0}


def test_the_number_of_queries_does_not_grow_with_the_rows(
    year, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(5):
        business_stats(FY2025)
    naka = Ward.objects.get(code="naka")
    with django_assert_num_queries(3):
        business_stats(StatsPeriod(FY2025.start, FY2025.end, naka))
    with CaptureQueriesContext(connection) as before:
        business_stats(FY2025)
    user = make_user("more@example.org")
    lab = Space.objects.get(slug="lab-meeting")
    for number in range(5):
        more = group(
            f"more{number}", ward="nishi", approved=at(2025, 7, 1), valid_until=END_OF_FY2025
        )
        book(lab, more, user, datetime.date(2025, 9, 1 + number), "evening", "3")
        post = HubPost.objects.create(kind=HubPost.Kind.NEED, group=more, title="t", body="b")
        introduction(post, user, requested=at(2025, 9, 2))
    with CaptureQueriesContext(connection) as after:
        business_stats(FY2025)
    assert len(after) == len(before)
    assert figures(stats_of(FY2025))["organizations.groups_registered"] == 8

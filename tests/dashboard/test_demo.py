"""The dashboard's demo history (issue #8): two believable fiscal years in every business,
written once, nothing dated after today. Runs on the default SQLite test database."""

import datetime

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from center.core.fiscal import fiscal_year_bounds, fiscal_year_of
from center.core.stats import StatsPeriod
from center.dashboard import demo
from center.dashboard.collect import collect
from consultations.models import Consultation, SlotBooking
from events.models import Attendance, Event, ProgramPlan, Registration
from networks.models import Hearing, Meeting, MeetingRsvp, SupportRequest
from organizations.models import Booking, Group
from publications.models import CaseStory, NewsItem, NewsletterDelivery, Subscriber

pytestmark = pytest.mark.django_db

BUSINESSES = {"consultation", "information", "training", "exchange", "activity-support",
              "ward-centers"}  # fmt: skip
TABLES = [Consultation, SlotBooking, Event, Registration, Attendance, ProgramPlan, Group,
          Booking, Subscriber, NewsletterDelivery, NewsItem, CaseStory, Meeting, MeetingRsvp,
          Hearing, SupportRequest]  # fmt: skip


@pytest.fixture
def history(center_staff, coordinator):
    """The history over the reference data of the migrations, with the staff personas
    (bookings are entered by staff)."""
    with CaptureQueriesContext(connection) as queries:
        demo.load()
    return len(queries)


def _figures(fiscal_year: int) -> dict[str, dict]:
    period = StatsPeriod(*fiscal_year_bounds(fiscal_year))
    return {
        section.slug: {figure.key: figure.value for figure in section.figures}
        for section in collect(period)
    }


def test_the_previous_fiscal_year_has_numbers_in_every_business(history):
    figures = _figures(fiscal_year_of() - 1)

    assert set(figures) >= BUSINESSES
    desk = figures["consultation"]
    assert 300 <= desk["consultations.received"] <= 420
    assert desk["consultations.closed"] > 0.8 * desk["consultations.received"]
    assert 0.5 <= desk["consultations.median_days_to_first_response"] <= 5
    assert desk["consultations.session_days"] == 18  # monthly, plus every other month
    assert desk["consultations.session_bookings"] > 0
    for business in ("training", "exchange", "activity-support", "ward-centers"):
        assert figures[business]["events.held"] > 0, business
    for business in ("training", "exchange"):
        assert 70 <= figures[business]["events.attendance_rate"] <= 92, business
    groups = figures["activity-support"]
    assert groups["organizations.groups_registered"] == 12
    assert groups["organizations.bookings"] > 100
    info = figures["information"]
    assert info["publications.newsletter_issues_sent"] == 12
    assert info["publications.newsletter_deliveries_sent"] > 0
    assert (
        0
        < info["publications.newsletter_unsubscribed"]
        < info["publications.newsletter_subscribed"]
    )
    assert info["publications.news_published"] == 24
    assert info["publications.stories_published"] > 0
    wards = figures["ward-centers"]
    assert wards["networks.meetings_held"] == 6  # bimonthly
    assert wards["networks.meetings_average_wards"] > 12
    assert wards["networks.hearings"] == 18
    assert wards["networks.support_requests"] > 20


def test_last_years_plan_mirrors_this_years(history):
    this_year = fiscal_year_of()
    current = dict(
        ProgramPlan.objects.filter(fiscal_year=this_year).values_list("program", "planned_count")
    )
    previous = dict(
        ProgramPlan.objects.filter(fiscal_year=this_year - 1).values_list(
            "program", "planned_count"
        )
    )
    assert current and previous == current


def test_this_year_so_far_has_numbers_once_it_has_begun(history):
    this_year = fiscal_year_of()
    if timezone.localdate() - fiscal_year_bounds(this_year)[0] < datetime.timedelta(days=60):
        pytest.skip("the fiscal year has only just begun")
    figures = _figures(this_year)

    assert figures["consultation"]["consultations.received"] > 0
    assert figures["information"]["publications.newsletter_subscribed"] > 0
    assert figures["exchange"]["events.held"] > 0
    assert figures["activity-support"]["organizations.bookings"] > 0
    assert figures["ward-centers"]["networks.meetings_held"] > 0


def test_a_second_load_writes_nothing(history):
    before = {model.__name__: model.objects.count() for model in TABLES}
    with CaptureQueriesContext(connection) as queries:
        assert demo.load() == []

    assert {model.__name__: model.objects.count() for model in TABLES} == before
    # The first load's queries, for the report: printed with -s.
    print(f"first load: {history} queries; second: {len(queries)}")
    assert len(queries) <= 12


def test_nothing_is_dated_after_today(history):
    now = timezone.now()
    today = timezone.localdate()
    latest = [
        Consultation.objects.aggregate(
            a=Max("created_at"), b=Max("first_response_at"), c=Max("closed_at")
        ),
        Event.objects.aggregate(a=Max("ends_at")),
        Registration.objects.aggregate(a=Max("created_at"), b=Max("cancelled_at")),
        Attendance.objects.aggregate(a=Max("checked_in_at")),
        Group.objects.aggregate(a=Max("approved_at")),
        Subscriber.objects.aggregate(a=Max("confirmed_at"), b=Max("unsubscribed_at")),
        NewsletterDelivery.objects.aggregate(a=Max("sent_at")),
        NewsItem.objects.aggregate(a=Max("publish_from")),
        CaseStory.objects.aggregate(a=Max("published_at")),
        Meeting.objects.aggregate(a=Max("starts_at"), b=Max("minutes_published_at")),
        SupportRequest.objects.aggregate(a=Max("created_at")),
    ]
    for values in latest:
        for value in values.values():
            assert value is None or value <= now, values
    assert Booking.objects.aggregate(d=Max("date"))["d"] < today
    assert Hearing.objects.aggregate(d=Max("held_on"))["d"] < today

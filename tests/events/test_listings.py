"""The events the network area lists for ward-center staff (through center.core.listings)."""

import datetime

import pytest
from django.utils import translation

from center.core.listings import listing_items
from events.models import Event
from tests.events.registration_helpers import make_event


@pytest.mark.django_db
def test_only_upcoming_published_events_with_seats_for_ward_staff_are_listed():
    make_event(title="対話&創造ラボ", ward_staff_seats=3, starts_in=datetime.timedelta(days=9))
    sooner = make_event(
        title="NPO会計講座", ward_staff_seats=1, starts_in=datetime.timedelta(days=2)
    )
    make_event(title="席なし", ward_staff_seats=0)
    make_event(title="終了", ward_staff_seats=5, starts_in=-datetime.timedelta(days=3))
    make_event(title="下書き", ward_staff_seats=5, status=Event.Status.DRAFT)
    make_event(title="中止", ward_staff_seats=5, status=Event.Status.CANCELLED)

    with translation.override("en"):
        items = listing_items("events_with_ward_staff_seats")

    assert [item.title for item in items] == ["NPO会計講座", "対話&創造ラボ"]
    assert items[0].url == f"/en/events/{sooner.pk}/"
    assert items[0].starts_at == sooner.starts_at
    assert items[0].note == "1 seat for ward-center staff"
    assert items[1].note == "3 seats for ward-center staff"


def test_an_unknown_kind_lists_nothing():
    assert listing_items("no_such_listing") == []

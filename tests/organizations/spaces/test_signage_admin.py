"""Signage feed without personal data, availability in constant queries, admin CSV."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from center.core.signage import signage_sources
from organizations.models import Booking, Closure
from organizations.selectors_booking import availability, signage_booking_items
from organizations.services_booking import booking_approve

from .test_services import TODAY, book, make_space


def test_signage_lists_todays_confirmed_bookings_without_personal_data(lab, group, member):
    day = TODAY + datetime.timedelta(days=3)
    book(lab, group, member, date=day, block="evening")
    titled = book(lab, group, member, date=day, block="morning")
    Booking.objects.filter(pk=titled.pk).update(public_title="子ども食堂ボランティア説明会")
    space_a = make_space("space-a", name="スペースA", requires_approval=True)
    book(space_a, group, member, date=day)  # pending: not on the screen
    items = signage_booking_items(day)
    assert [i.title for i in items] == ["子ども食堂ボランティア説明会", "みどり川の会"]
    assert {i.place for i in items} == {"協働ラボ ミーティングスペース"}
    assert items[0].starts_at.hour == 9 and items[1].ends_at.hour == 21
    text = repr(items)
    assert "member@example.org" not in text and "連絡 花子" not in text
    assert "bookings" in {source.kind for source in signage_sources()}
    booking_approve(booking=Booking.objects.get(space=space_a))
    assert len(signage_booking_items(day)) == 3


def test_availability_marks_free_booked_closed_in_constant_queries(lab, group, member):
    start = TODAY + datetime.timedelta(days=1)
    dates = [start + datetime.timedelta(days=n) for n in range(30)]
    book(lab, group, member, date=dates[0], block="afternoon")
    Closure.objects.create(date=dates[1], kind=Closure.Kind.MAINTENANCE, reason="点検")
    with CaptureQueriesContext(connection) as few:
        grid = availability(space=lab, dates=dates[:3])
    assert grid[(dates[0], "afternoon")] == "booked"
    assert grid[(dates[0], "morning")] == "free"
    assert grid[(dates[1], "evening")] == "closed"
    with CaptureQueriesContext(connection) as many:
        availability(space=lab, dates=dates)
    assert len(many) == len(few)


def test_staff_export_bookings_as_csv_with_bom(client, center_staff, lab, group, member):
    client.force_login(center_staff)
    booking = book(lab, group, member)
    Booking.objects.filter(pk=booking.pk).update(public_title="=HYPERLINK(1)")
    response = client.post(
        "/en/admin/organizations/booking/",
        {"action": "export_csv", "_selected_action": [booking.pk]},
    )
    assert response.status_code == 200
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff")
    assert "みどり川の会" in body and "'=HYPERLINK(1)" in body
    assert "member@example.org" not in body


def test_staff_approve_from_the_admin_list(client, center_staff, group, member):
    client.force_login(center_staff)
    booking = book(make_space("space-a", requires_approval=True), group, member)
    response = client.post(
        "/en/admin/organizations/booking/",
        {"action": "approve", "_selected_action": [booking.pk]},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert client.get("/en/admin/organizations/booking/?status__exact=confirmed").status_code == 200


def test_demo_loads_bookings_this_week_and_a_closure(group, member):
    from unittest import mock

    from organizations import demo_booking

    make_space("space-a", requires_approval=True)
    make_space("space-b", requires_approval=True)
    with mock.patch("organizations.demo_groups.demo_member_group", return_value=group):
        demo_booking.load()
        demo_booking.load()  # idempotent
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses.count("confirmed") == 3
    assert "pending" in statuses and "cancelled" in statuses
    assert Closure.objects.count() == 1

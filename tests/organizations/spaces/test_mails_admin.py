"""Booking mails from the back office (approve, decline with a reason, cancel, emergency
closure through the closure admin) and the day-before reminder, sent once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from organizations.models import Booking, Closure
from organizations.services_booking import booking_reminders_send

from .test_pages import book, committed, days
from .test_services import make_group, make_space, make_user


@pytest.fixture
def space_a(db):
    return make_space("space-a", name="スペースA", name_en="Space A", requires_approval=True)


def test_staff_approve_a_request_and_the_booker_is_told(
    client, center_staff, space_a, group, member
):
    booking = book(space_a, group, member, date=days(5))
    client.force_login(center_staff)
    mail.outbox.clear()
    with committed():
        client.post(
            "/admin/organizations/booking/",
            {"action": "approve", "_selected_action": [booking.pk]},
        )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    (message,) = mail.outbox
    assert message.to == [member.email] and message.subject.startswith("予約承認")
    assert "/spaces/cancel/" in message.body


def test_declining_asks_for_a_reason_and_mails_it(client, center_staff, space_a, group, member):
    booking = book(space_a, group, member, date=days(5))
    client.force_login(center_staff)
    mail.outbox.clear()
    page = client.post(
        "/en/admin/organizations/booking/",
        {"action": "decline", "_selected_action": [booking.pk]},
    )
    assert page.status_code == 200 and "Reason (mailed to the booker)" in page.content.decode()
    empty = client.post(
        "/en/admin/organizations/booking/",
        {"action": "decline", "_selected_action": [booking.pk], "apply": "yes", "reason": " "},
    )
    assert "the booker will read it" in empty.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.PENDING and not mail.outbox
    with committed():
        client.post(
            "/en/admin/organizations/booking/",
            {
                "action": "decline",
                "_selected_action": [booking.pk],
                "apply": "yes",
                "reason": "市との共催の確認がとれませんでした。",
            },
        )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DECLINED
    assert booking.decline_reason == "市との共催の確認がとれませんでした。"
    (message,) = mail.outbox
    assert "市との共催の確認がとれませんでした。" in message.body
    assert "/spaces/cancel/" not in message.body
    # The member sees the reason on "my bookings".
    client.force_login(member)
    assert "市との共催の確認" in client.get("/spaces/my-bookings/").content.decode()


def test_status_cannot_be_edited_by_hand_in_the_change_form(
    client, center_staff, lab, group, member
):
    booking = book(lab, group, member, date=days(5))
    client.force_login(center_staff)
    page = client.get(f"/admin/organizations/booking/{booking.pk}/change/").content.decode()
    assert 'name="status"' not in page


def test_an_emergency_closure_from_the_admin_cancels_and_mails_that_days_bookers(
    client, center_staff, lab, group, member
):
    other = make_user("other@example.org")
    book(lab, group, member, date=days(4), block="evening")
    book(lab, make_group(other, name="青空の会"), other, date=days(5))
    client.force_login(center_staff)
    mail.outbox.clear()
    with committed():
        response = client.post(
            "/admin/organizations/closure/add/",
            {"date": days(4).isoformat(), "kind": "emergency", "reason": "停電のため"},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert Booking.objects.get(date=days(4)).status == Booking.Status.CANCELLED_BY_CLOSURE
    assert Booking.objects.get(date=days(5)).status == Booking.Status.CONFIRMED
    assert "停電のため" in client.get("/").content.decode()


def test_a_planned_closure_blocks_the_calendar_at_once(client, center_staff, lab):
    path = f"/en/spaces/{lab.slug}/?week={days(4).isoformat()}"
    assert f"?date={days(4).isoformat()}&amp;" in client.get(path).content.decode()
    client.force_login(center_staff)
    with committed():
        client.post(
            "/admin/organizations/closure/add/",
            {"date": days(4).isoformat(), "kind": "holiday", "reason": "年末年始"},
        )
    client.logout()
    page = client.get(path).content.decode()
    assert f"?date={days(4).isoformat()}&amp;" not in page and "年末年始" in page
    assert Closure.objects.count() == 1


def test_reminder_goes_once_to_tomorrows_confirmed_bookings(lab, space_a, group, member):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    confirmed = book(lab, group, member, date=days(3), block="morning")
    pending = book(space_a, group, member, date=days(3), block="morning")
    later = book(lab, group, member, date=days(4), block="morning")
    Booking.objects.filter(pk__in=[confirmed.pk, pending.pk]).update(date=tomorrow)
    mail.outbox.clear()
    with committed():
        assert booking_reminders_send(today=today) == 1
    with committed():
        assert booking_reminders_send(today=today) == 0
    (message,) = mail.outbox
    assert message.subject.startswith("明日のご予約") and message.to == [member.email]
    assert "/spaces/cancel/" in message.body
    later.refresh_from_db()
    assert later.reminder_sent_at is None


def test_the_reminder_runs_daily_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["space-booking-reminders"]
    assert entry["task"] == "organizations.tasks_booking.send_booking_reminders"
    from center.celery_app import app

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_mails_follow_the_bookers_language(lab, group, member):
    member.language = "en"
    member.save(update_fields=["language"])
    mail.outbox.clear()
    book(lab, group, member, date=days(3))
    (message,) = mail.outbox
    assert message.subject.startswith("Booking confirmed: ")
    assert "/en/spaces/cancel/" in message.body and "Morning 9:00–12:00" in message.body

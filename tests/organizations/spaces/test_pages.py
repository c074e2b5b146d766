"""The public spaces pages: list, week and month availability, the request form, my
bookings and the cancel link, in both languages, with bad input."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organizations.models import Booking, Closure
from organizations.services_booking import (
    booking_cancel_token,
    booking_create,
    closure_emergency,
)

from .test_services import make_group, make_space, make_user


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def committed():
    """Run what the write queued for after commit (mails, page-cache invalidation) as the
    real transaction's commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def book(space, group, user, *, date, block="morning", title=""):
    with committed():
        return booking_create(
            space=space,
            group=group,
            user=user,
            date=date,
            block=block,
            purpose="定例会",
            public_title=title,
        )


def cancel_link(message) -> str:
    match = re.search(r"https?://\S+/spaces/cancel/\S+/", message.body)
    assert match, message.body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


# The list and the calendars ----------------------------------------------------------------


def test_space_list_shows_each_space_with_its_rules_in_both_languages(client, lab):
    make_space("space-a", name="スペースA", name_en="Space A", requires_approval=True)
    page = client.get("/spaces/").content.decode()
    assert "協働ラボ ミーティングスペース" in page and "スペースA" in page
    assert "スタッフの承認が必要" in page and "申込みと同時に確定" in page
    english = client.get("/en/spaces/").content.decode()
    assert "Space A" in english
    assert "Staff approve each request" in english
    assert "Confirmed at once" in english


def test_week_view_shows_booked_free_and_closed_blocks_without_personal_data(
    client, lab, group, member
):
    day = days(2)
    book(lab, group, member, date=day, block="afternoon", title="")
    Closure.objects.create(date=days(3), kind=Closure.Kind.MAINTENANCE, reason="設備点検")
    response = client.get(f"/en/spaces/{lab.slug}/?week={day.isoformat()}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"book/?date={day.isoformat()}&amp;block=morning" in page  # free: a link to request
    assert f"book/?date={day.isoformat()}&amp;block=afternoon" not in page  # booked
    assert "Booked" in page and "設備点検" in page
    for private in ("みどり川の会", "定例会", "member@example.org", "連絡 花子"):
        assert private not in page


def test_past_days_and_days_beyond_the_window_cannot_be_requested(client, lab):
    page = client.get(f"/en/spaces/{lab.slug}/?week={today().isoformat()}").content.decode()
    assert f"?date={today().isoformat()}&amp;" not in page  # today: from tomorrow only
    far = days(lab.booking_window_days + 7)
    page = client.get(f"/en/spaces/{lab.slug}/?week={far.isoformat()}").content.decode()
    assert f"?date={far.isoformat()}&amp;" not in page
    assert "Not bookable" in page


def test_month_view_lists_every_day_of_the_month(client, lab, group, member):
    day = days(5)
    book(lab, group, member, date=day, block="evening")
    response = client.get(f"/spaces/{lab.slug}/?month={day:%Y-%m}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{day.year}年{day.month}月" in page
    last = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )
    assert f"{last.month}月{last.day}日" in page
    assert f"?date={day.isoformat()}&amp;block=evening" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=2026-13", "Enter a month in the form 2026-12."),
        ("month=tomorrow", "Enter a month in the form 2026-12."),
        ("week=2026-02-30", "Enter a real date in the form 2026-12-07."),
        ("week=1500-01-01", "Choose a week between 2000 and 2100."),
    ],
)
def test_impossible_calendar_dates_get_a_clear_message_not_an_error_page(
    client, lab, query, message
):
    response = client.get(f"/en/spaces/{lab.slug}/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_full_width_month_is_understood(client, lab):
    response = client.get(f"/spaces/{lab.slug}/", {"month": "２０２６－１２"})
    assert response.status_code == 200
    assert "2026年12月" in response.content.decode()


def test_unknown_space_is_404(client, db):
    assert client.get("/spaces/no-such-space/").status_code == 404


def test_month_view_costs_the_same_queries_full_or_empty(client, lab, group, member):
    month = days(1).replace(day=1)
    if month < days(1):
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    path = f"/spaces/{lab.slug}/?month={month:%Y-%m}"
    with CaptureQueriesContext(connection) as empty:
        client.get(path)
    Booking.objects.bulk_create(
        [
            Booking(
                space=lab,
                group=group,
                booked_by=member,
                date=month + datetime.timedelta(days=n),
                block=block,
                hours=3,
                purpose="負荷",
                status=Booking.Status.CONFIRMED,
            )
            for n in range(27)
            for block in ("morning", "afternoon", "evening")
        ]
    )
    from center.core.cache import public_cache_clear

    public_cache_clear()
    with CaptureQueriesContext(connection) as full:
        page = client.get(path).content.decode()
    assert len(full) == len(empty)
    assert page.count("slot-booked") >= 27 * 3


def test_calendar_is_cached_for_visitors_and_a_new_booking_shows_at_once(
    client, lab, group, member
):
    day = days(2)
    path = f"/en/spaces/{lab.slug}/?week={day.isoformat()}"
    client.get(path)
    with CaptureQueriesContext(connection) as cached:
        client.get(path)
    assert len(cached) == 0
    book(lab, group, member, date=day, block="morning")
    page = client.get(path).content.decode()
    assert f"?date={day.isoformat()}&amp;block=morning" not in page


# The request form --------------------------------------------------------------------------


def test_booking_needs_a_signed_in_account(client, lab):
    response = client.get(f"/spaces/{lab.slug}/book/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_account_without_a_registered_group_is_told_how_to_register(client, lab):
    client.force_login(make_user("nogroup@example.org"))
    response = client.get(f"/en/spaces/{lab.slug}/book/")
    assert response.status_code == 403
    assert "Register your group" in response.content.decode()


def test_a_pending_or_lapsed_group_cannot_book(client, lab):
    from organizations.models import Group

    user = make_user("pending@example.org")
    make_group(user, status=Group.Status.PENDING)
    client.force_login(user)
    assert client.get(f"/spaces/{lab.slug}/book/").status_code == 403


def test_member_books_the_lab_and_gets_a_confirmation_with_a_cancel_link(
    client, lab, group, member
):
    client.force_login(member)
    day = days(3)
    form = client.get(f"/spaces/{lab.slug}/book/?date={day.isoformat()}&block=evening")
    assert f'value="{day.isoformat()}"' in form.content.decode()
    mail.outbox.clear()
    with committed():
        response = client.post(
            f"/spaces/{lab.slug}/book/",
            {
                "group": group.pk,
                "date": day.isoformat(),
                "block": "evening",
                "purpose": "総会の準備",
                "public_title": "",
                "attendees": "８",  # full-width digits, as typed on a Japanese keyboard
            },
        )
    assert response.status_code == 302 and response["Location"].endswith("/spaces/my-bookings/")
    booking = Booking.objects.get(date=day, block="evening")
    assert booking.status == Booking.Status.CONFIRMED and booking.attendees == 8
    assert booking.booked_by == member
    (message,) = mail.outbox
    assert message.to == ["member@example.org"]
    assert message.subject.startswith("予約確定")
    assert cancel_link(message) in message.alternatives[0][0]
    mine = client.get("/spaces/my-bookings/").content.decode()
    assert f"{day.month}月{day.day}日" in mine and "確定" in mine


def test_a_space_needing_approval_holds_the_slot_and_says_so(client, group, member):
    space_a = make_space("space-a", name="スペースA", requires_approval=True)
    client.force_login(member)
    mail.outbox.clear()
    with committed():
        response = client.post(
            f"/en/spaces/{space_a.slug}/book/",
            {
                "group": group.pk,
                "date": days(4).isoformat(),
                "block": "morning",
                "purpose": "共催イベント",
                "attendees": "30",
            },
            follow=True,
        )
    assert "waiting for staff approval" in response.content.decode()
    assert Booking.objects.get(space=space_a).status == Booking.Status.PENDING
    (message,) = mail.outbox
    with_link = cancel_link(message)
    assert with_link


@pytest.mark.parametrize(
    ("date", "block", "message"),
    [
        ("2026-02-30", "morning", "Enter a real date in the form 2026-12-07."),
        ("", "morning", "This field is required."),
        ("YESTERDAY", "morning", "Bookings start from tomorrow"),
        ("FAR", "morning", "can be booked up to 60 days ahead"),
        ("NEXT", "midnight", "Choose one of the time blocks of this space."),
    ],
)
def test_bad_booking_requests_get_clear_messages_and_store_nothing(
    client, lab, group, member, date, block, message
):
    date = {
        "YESTERDAY": days(-1).isoformat(),
        "FAR": days(61).isoformat(),
        "NEXT": days(1).isoformat(),
    }.get(date, date)
    client.force_login(member)
    response = client.post(
        f"/en/spaces/{lab.slug}/book/",
        {"group": group.pk, "date": date, "block": block, "purpose": "会議", "attendees": "5"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_a_taken_slot_is_refused_with_a_message(client, lab, group, member):
    other = make_user("other@example.org")
    other_group = make_group(other, name="青空の会")
    book(lab, other_group, other, date=days(2))
    client.force_login(member)
    response = client.post(
        f"/en/spaces/{lab.slug}/book/",
        {
            "group": group.pk,
            "date": days(2).isoformat(),
            "block": "morning",
            "purpose": "会議",
            "attendees": "5",
        },
    )
    assert "just been booked by someone else" in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_member_cannot_book_for_a_group_they_do_not_belong_to(client, lab, group, member):
    other_group = make_group(make_user("other@example.org"), name="青空の会")
    client.force_login(member)
    response = client.post(
        f"/en/spaces/{lab.slug}/book/",
        {
            "group": other_group.pk,
            "date": days(2).isoformat(),
            "block": "morning",
            "purpose": "会議",
            "attendees": "5",
        },
    )
    assert "Choose one of your registered groups." in response.content.decode()
    assert not Booking.objects.exists()


# My bookings and the cancel link -------------------------------------------------------------


def test_my_bookings_lists_only_my_groups_bookings(client, lab, group, member):
    book(lab, group, member, date=days(2), block="evening")
    other = make_user("other@example.org")
    book(lab, make_group(other, name="青空の会"), other, date=days(2), block="morning")
    client.force_login(member)
    page = client.get("/spaces/my-bookings/").content.decode()
    assert "みどり川の会" in page and "青空の会" not in page
    assert "/spaces/cancel/" in page


def test_cancel_link_asks_then_cancels_and_mails(client, lab, group, member):
    booking = book(lab, group, member, date=days(2))
    path = f"/en/spaces/cancel/{booking_cancel_token(booking)}/"
    page = client.get(path).content.decode()
    assert "Cancel the booking" in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED  # a GET (a mail scanner) changes nothing
    mail.outbox.clear()
    with committed():
        response = client.post(path, follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert "The booking was cancelled" in response.content.decode()
    (message,) = mail.outbox
    assert "cancel" in message.subject.lower() or "キャンセル" in message.subject
    assert "/spaces/cancel/" not in message.body  # nothing left to cancel
    # The slot is free again for everyone.
    page = client.get(f"/en/spaces/{lab.slug}/?week={days(2).isoformat()}").content.decode()
    assert f"?date={days(2).isoformat()}&amp;block=morning" in page
    # Posting again changes nothing and sends nothing.
    with committed():
        client.post(path)
    assert len(mail.outbox) == 1


def test_a_tampered_or_unknown_cancel_link_is_404(client, lab, group, member):
    booking = book(lab, group, member, date=days(2))
    token = booking_cancel_token(booking)
    assert client.get(f"/spaces/cancel/{token[:-2]}xx/").status_code == 404
    assert client.get("/spaces/cancel/not-a-token/").status_code == 404
    # Another booking's id under this booking's signature.
    other_id = signing.b64_encode(b'{"booking":%d}' % (booking.pk + 1)).decode()
    forged = f"{other_id}:{token.split(':')[1]}"
    assert client.post(f"/spaces/cancel/{forged}/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_past_booking_cannot_be_cancelled_by_its_link(client, lab, group, member):
    booking = book(lab, group, member, date=days(2))
    Booking.objects.filter(pk=booking.pk).update(date=days(-1))
    path = f"/en/spaces/cancel/{booking_cancel_token(booking)}/"
    assert "in the past" in client.get(path).content.decode()
    client.post(path)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


# Closures -------------------------------------------------------------------------------------


def test_emergency_closure_posts_a_banner_and_mails_exactly_that_days_bookers(
    client, lab, group, member
):
    other = make_user("other@example.org")
    other_group = make_group(other, name="青空の会")
    book(lab, group, member, date=days(2), block="morning")
    book(lab, other_group, other, date=days(3), block="morning")  # another day: not told
    client.get("/en/")  # cached without a banner
    mail.outbox.clear()
    with committed():
        closure_emergency(date=days(2), reason="台風の接近のため")
    assert [m.to for m in mail.outbox] == [["member@example.org"]]
    assert "台風の接近のため" in mail.outbox[0].body
    page = client.get("/en/").content.decode()
    assert 'id="closure-banner"' in page and "台風の接近のため" in page
    assert "Emergency closure" in page
    assert Booking.objects.get(date=days(3)).status == Booking.Status.CONFIRMED


def test_the_banner_is_gone_once_the_day_has_passed(client, db):
    Closure.objects.create(date=days(-1), kind=Closure.Kind.EMERGENCY, reason="停電")
    Closure.objects.create(date=days(1), kind=Closure.Kind.HOLIDAY, reason="年末年始")
    page = client.get("/").content.decode()
    assert 'id="closure-banner"' not in page


def test_account_page_links_to_my_bookings(client, member):
    client.force_login(member)
    assert "/spaces/my-bookings/" in client.get(reverse("accounts:home")).content.decode()


def test_the_sitemap_lists_the_spaces_in_both_languages(client, lab):
    body = client.get("/sitemap.xml").content.decode()
    assert "/spaces/lab-meeting/" in body and "/en/spaces/lab-meeting/" in body
    assert "/spaces/my-bookings/" not in body


def test_a_second_click_on_book_says_the_group_has_it_already(client, lab, group, member):
    client.force_login(member)
    data = {
        "group": group.pk,
        "date": days(3).isoformat(),
        "block": "morning",
        "purpose": "会議",
        "attendees": "5",
    }
    assert client.post(f"/en/spaces/{lab.slug}/book/", data).status_code == 302
    again = client.post(f"/en/spaces/{lab.slug}/book/", data).content.decode()
    assert "Your group has already booked this time block" in again
    assert "someone else" not in again
    assert Booking.objects.count() == 1

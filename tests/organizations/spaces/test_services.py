"""Booking rules, approval, cancelling, closures and the no-double-booking guarantee."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from center.accounts.services import user_create
from center.core.models import Ward
from organizations.models import Booking, Group, GroupMembership, Space
from organizations.services_booking import (
    booking_approve,
    booking_cancel,
    booking_create,
    booking_decline,
    closure_emergency,
)
from tests.conftest import PASSWORD, require_postgresql

TODAY = datetime.date(2026, 6, 10)


def make_user(email):
    return user_create(email=email, password=PASSWORD, name=email, verified=True)


def make_space(slug="lab-meeting", **overrides):
    data = {
        "name": "協働ラボ ミーティングスペース",
        "audience": Space.Audience.REGISTERED_GROUPS,
        "booking_window_days": 60,
        "max_hours_per_month": 12,
        "requires_approval": False,
    }
    data.update(overrides)
    space, _ = Space.objects.update_or_create(slug=slug, defaults=data)
    return space


def make_group(member, *, name="みどり川の会", status=Group.Status.APPROVED, valid_until=None):
    ward = Ward.objects.first() or Ward.objects.create(
        code="naka", order=1, name="中区", name_en="Naka"
    )
    group = Group.objects.create(
        name=name,
        name_kana="みどりかわのかい",
        kind=Group.Kind.VOLUNTARY,
        representative_name="代表 太郎",
        contact_name="連絡 花子",
        contact_email="contact@example.org",
        postal_code="231-0001",
        address="横浜市中区1-2-3",
        ward=ward,
        description="川の清掃",
        member_count=10,
        status=status,
        valid_until=valid_until or datetime.date(2027, 3, 31),
    )
    GroupMembership.objects.create(group=group, user=member)
    return group


def book(space, group, user, *, date=None, block="morning", today=TODAY):
    return booking_create(
        space=space,
        group=group,
        user=user,
        date=date or TODAY + datetime.timedelta(days=7),
        block=block,
        purpose="定例会",
        today=today,
    )


def refusal(callable_):
    """The refusal message, read in English (the default language is Japanese)."""
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        callable_()
    with translation.override("en"):
        return " ".join(str(message) for message in caught.value.messages)


def test_the_three_spaces_come_with_their_rules(db):
    spaces = {s.slug: s for s in Space.objects.all()}
    assert {"lab-meeting", "space-a", "space-b"} <= set(spaces)
    assert spaces["lab-meeting"].requires_approval is False
    assert spaces["space-a"].requires_approval and spaces["space-b"].requires_approval
    assert [b["start"] for b in spaces["lab-meeting"].blocks] == ["09:00", "13:00", "18:00"]


def test_member_of_a_current_group_books_the_lab_at_once(lab, group, member):
    booking = book(lab, group, member)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.hours == 3


def test_space_needing_approval_waits_then_staff_approve_or_decline(group, member):
    space_a = make_space("space-a", requires_approval=True)
    booking = book(space_a, group, member)
    assert booking.status == Booking.Status.PENDING
    assert booking_approve(booking=booking).status == Booking.Status.CONFIRMED
    other = book(space_a, group, member, block="afternoon")
    declined = booking_decline(booking=other, reason="市との共催ではないため")
    assert declined.status == Booking.Status.DECLINED
    # A declined request frees the slot.
    assert book(space_a, group, member, block="afternoon").status == Booking.Status.PENDING


def test_outsider_and_members_of_lapsed_or_pending_groups_cannot_book(lab, group):
    outsider = make_user("outsider@example.org")
    assert "registered group" in refusal(lambda: book(lab, group, outsider))
    lapsed_member = make_user("lapsed@example.org")
    lapsed = make_group(
        lapsed_member, name="旧い会", valid_until=TODAY + datetime.timedelta(days=3)
    )
    assert "registered group" in refusal(lambda: book(lab, lapsed, lapsed_member))
    pending_member = make_user("pending@example.org")
    pending = make_group(pending_member, name="審査中の会", status=Group.Status.PENDING)
    assert "registered group" in refusal(lambda: book(lab, pending, pending_member))
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("days", "expected"), [(-1, "passed"), (0, "passed"), (61, "60 days ahead")]
)
def test_past_today_and_beyond_the_window_are_refused(lab, group, member, days, expected):
    date = TODAY + datetime.timedelta(days=days)
    assert expected in refusal(lambda: book(lab, group, member, date=date))


def test_last_day_of_the_window_is_allowed(lab, group, member):
    assert book(lab, group, member, date=TODAY + datetime.timedelta(days=60)).pk


def test_unknown_block_is_refused(lab, group, member):
    assert "time blocks" in refusal(lambda: book(lab, group, member, block="25:00"))


def test_monthly_hours_limit_per_group(lab, group, member):
    # 12 h a month: 午後 (4 h) ×3 fills it; one more 午前 (3 h) goes over.
    for day in (15, 16, 17):
        book(lab, group, member, date=datetime.date(2026, 6, day), block="afternoon")
    assert "12 hours" in refusal(lambda: book(lab, group, member, date=datetime.date(2026, 6, 18)))
    # Next month starts afresh; a cancelled booking gives its hours back.
    assert book(lab, group, member, date=datetime.date(2026, 7, 1)).pk
    booking_cancel(booking=Booking.objects.filter(date__month=6).first())
    assert book(lab, group, member, date=datetime.date(2026, 6, 18)).pk


def test_closed_day_is_refused(lab, group, member):
    from organizations.models import Closure

    date = TODAY + datetime.timedelta(days=7)
    Closure.objects.create(date=date, kind=Closure.Kind.HOLIDAY, reason="館内設備点検")
    assert "館内設備点検" in refusal(lambda: book(lab, group, member, date=date))


def test_taken_slot_gets_a_friendly_error_and_cancel_frees_it(lab, group, member):
    first = book(lab, group, member)
    other = make_user("other@example.org")
    other_group = make_group(other, name="そらの会")
    assert "just been booked" in refusal(lambda: book(lab, other_group, other))
    # The group's own second request (a double click) is told it has the slot already.
    assert "already booked this time block" in refusal(lambda: book(lab, group, member))
    booking_cancel(booking=first)
    assert book(lab, other_group, other).status == Booking.Status.CONFIRMED


def test_emergency_closure_cancels_exactly_that_days_bookings(lab, group, member):
    other_member = make_user("other@example.org")
    other_group = make_group(other_member, name="そらの会")
    day = TODAY + datetime.timedelta(days=7)
    hit = [
        book(lab, group, member, date=day, block="morning"),
        book(lab, other_group, other_member, date=day, block="evening"),
    ]
    spared = book(lab, group, member, date=day + datetime.timedelta(days=1))
    cancelled_earlier = book(lab, group, member, date=day, block="afternoon")
    booking_cancel(booking=cancelled_earlier)
    _closure, affected = closure_emergency(date=day, reason="台風接近のため")
    assert {b.pk for b in affected} == {b.pk for b in hit}
    assert {b.booked_by.email for b in affected} == {"member@example.org", "other@example.org"}
    for booking in hit:
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED_BY_CLOSURE
    spared.refresh_from_db()
    cancelled_earlier.refresh_from_db()
    assert spared.status == Booking.Status.CONFIRMED
    assert cancelled_earlier.status == Booking.Status.CANCELLED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_for_one_slot_exactly_one_succeeds():
    require_postgresql()
    lab = make_space()
    users = [make_user(f"racer{i}@example.org") for i in range(2)]
    groups = [make_group(u, name=f"会{i}") for i, u in enumerate(users)]
    barrier = threading.Barrier(2)
    results = []

    def attempt(i):
        try:
            barrier.wait()
            book(lab, groups[i], users[i])
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert Booking.objects.filter(status__in=Booking.ACTIVE).count() == 1


def test_the_database_itself_refuses_a_second_active_booking(lab, group, member):
    from django.db import IntegrityError, transaction

    first = book(lab, group, member)
    duplicate = Booking(
        space=lab,
        group=group,
        booked_by=member,
        date=first.date,
        block=first.block,
        hours=3,
        purpose="x",
        status=Booking.Status.PENDING,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()

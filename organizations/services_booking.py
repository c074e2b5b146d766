"""Writes for space bookings: request, approve/decline, cancel, closures.

Mails, the admin and the public pages are not wired yet (see the helper report).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Booking, Closure, Group, GroupMembership, Space


def booking_groups_for_user(*, user, date: datetime.date):
    """Groups the account may book for on `date`: approved and still valid that day."""
    if not user.is_authenticated:
        return Group.objects.none()
    group_ids = GroupMembership.objects.filter(user=user).values("group_id")
    return Group.objects.approved().filter(pk__in=group_ids, valid_until__gte=date)


def closure_on(*, space: Space, date: datetime.date) -> Closure | None:
    return Closure.objects.filter(Q(space__isnull=True) | Q(space=space), date=date).first()


def slot_taken_message() -> str:
    return _("This time block has just been booked by someone else. Please choose another.")


def _hours_booked(*, space: Space, group: Group, date: datetime.date) -> Decimal:
    total = Booking.objects.filter(
        space=space,
        group=group,
        status__in=Booking.ACTIVE,
        date__year=date.year,
        date__month=date.month,
    ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)


def booking_refusal(
    *, space: Space, group: Group, user, date: datetime.date, block: str, today=None
) -> str:
    """Why this request cannot be booked, or "" when the rules allow it."""
    today = today or timezone.localdate()
    if not booking_groups_for_user(user=user, date=date).filter(pk=group.pk).exists():
        return _("Only members of a registered group valid on that day can book this space.")
    if space.block(block) is None:
        return _("Choose one of the time blocks of this space.")
    if date <= today:
        return _("Bookings start from tomorrow; this date has already passed or is today.")
    if date > today + datetime.timedelta(days=space.booking_window_days):
        return _("This space can be booked up to %(days)s days ahead.") % {
            "days": space.booking_window_days
        }
    closure = closure_on(space=space, date=date)
    if closure is not None:
        return _("The center is closed on that day (%(reason)s).") % {"reason": closure.reason}
    hours = Decimal(str(space.block_hours(block)))
    used = _hours_booked(space=space, group=group, date=date)
    if used + hours > space.max_hours_per_month:
        return _(
            "Your group has %(used)s of %(max)s hours this month; this block would go over."
        ) % {"used": used.normalize(), "max": space.max_hours_per_month}
    if Booking.objects.filter(
        space=space, date=date, block=block, status__in=Booking.ACTIVE
    ).exists():
        return slot_taken_message()
    return ""


@transaction.atomic
def booking_create(
    *,
    space: Space,
    group: Group,
    user,
    date: datetime.date,
    block: str,
    purpose: str,
    public_title: str = "",
    attendees: int = 1,
    today=None,
) -> Booking:
    # Lock the space row so the monthly-hours check cannot race; the partial unique
    # constraint catches the rest (a slot is never double-booked).
    space = Space.objects.select_for_update().get(pk=space.pk)
    refusal = booking_refusal(
        space=space, group=group, user=user, date=date, block=block, today=today
    )
    if refusal:
        raise ValidationError(refusal)
    booking = Booking(
        space=space,
        group=group,
        booked_by=user,
        date=date,
        block=block,
        hours=Decimal(str(space.block_hours(block))),
        purpose=purpose,
        public_title=public_title,
        attendees=attendees,
        status=Booking.Status.PENDING if space.requires_approval else Booking.Status.CONFIRMED,
    )
    # full_clean would check the conditional constraint too, but the database is the
    # authority under concurrency: translate its refusal into the same friendly message.
    booking.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise ValidationError(slot_taken_message()) from None
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status in Booking.ACTIVE:
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(_("Only a booking waiting for approval can be approved."))
    booking.status = Booking.Status.CONFIRMED
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "decided_at"])
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, reason: str) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(_("Only a booking waiting for approval can be declined."))
    booking.status = Booking.Status.DECLINED
    booking.decline_reason = reason
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "decline_reason", "decided_at"])
    return booking


@transaction.atomic
def closure_emergency(*, date: datetime.date, reason: str, space: Space | None = None):
    """Close a day; every active booking that day becomes cancelled-by-closure.

    Returns (closure, affected bookings) — the affected bookers are exactly the ones to mail.
    """
    closure = Closure(space=space, date=date, kind=Closure.Kind.EMERGENCY, reason=reason)
    closure.full_clean()
    closure.save()
    bookings = Booking.objects.select_for_update().filter(date=date, status__in=Booking.ACTIVE)
    if space is not None:
        bookings = bookings.filter(space=space)
    affected = list(bookings)
    now = timezone.now()
    for booking in affected:
        booking.status = Booking.Status.CANCELLED_BY_CLOSURE
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
    return closure, affected

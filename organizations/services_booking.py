"""Writes for space bookings: request, approve/decline, cancel, closures, reminders.

Every change that the booker should hear about queues a mail in the same transaction
(`outbox_enqueue`), in the booker's language, with the cancel link while the booking is
alive. Every change also empties the public page cache: the availability pages are cached
for anonymous visitors.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.core.cache import public_cache_invalidate
from center.core.services import outbox_enqueue
from center.lib.i18n import user_mail_language

from .models import Booking, Closure, Group, GroupMembership, Space

logger = logging.getLogger(__name__)

SEND_EMAIL_TASK = "center.core.tasks.send_email"
MAIL_TEMPLATE = "booking-notice"
_CANCEL_SALT = "organizations.booking.cancel"


# Links and mails ---------------------------------------------------------------------------


def booking_cancel_token(booking: Booking) -> str:
    """The key of the booking's cancel link: signed, so it cannot be guessed from an id."""
    return signing.Signer(salt=_CANCEL_SALT).sign_object({"booking": booking.pk})


def booking_get_by_cancel_token(token: str) -> Booking:
    if not token or len(token) > 200:
        raise Http404
    try:
        data = signing.Signer(salt=_CANCEL_SALT).unsign_object(token)
        booking_id = int(data["booking"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Http404 from None
    booking = Booking.objects.select_related("space", "group").filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return booking


def booking_cancel_url(booking: Booking, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("organizations:booking_cancel", args=[booking_cancel_token(booking)])
    return settings.SITE_URL + path


def _mail_booker(booking: Booking, kind: str, **extra) -> None:
    """One mail to whoever made the booking: `kind` picks the wording (see the template)."""
    from center.core.templatetags.center import jdate

    user = booking.booked_by
    if not user.email:
        return
    language = user_mail_language(user)
    with translation.override(language):
        context = {
            "kind": kind,
            "space_name": booking.space.display_name,
            "date": jdate(booking.date),
            "block": booking.space.block_label(booking.block),
            "group_name": booking.group.name,
            "purpose": booking.purpose,
            "status": str(booking.get_status_display()),
            "mine_url": settings.SITE_URL + reverse("organizations:my_bookings"),
            **extra,
        }
    if booking.status in Booking.ACTIVE:
        context["cancel_url"] = booking_cancel_url(booking, language)
    outbox_enqueue(
        SEND_EMAIL_TASK, template=MAIL_TEMPLATE, to=[user.email], context=context, language=language
    )


def _invalidate_public_pages() -> None:
    # robust: the booking is committed whatever happens to the cache.
    transaction.on_commit(public_cache_invalidate, robust=True)


def booking_groups_for_user(*, user, date: datetime.date):
    """Groups the account may book for on `date`: approved and still valid that day."""
    if not user.is_authenticated:
        return Group.objects.none()
    group_ids = GroupMembership.objects.filter(user=user).values("group_id")
    return Group.objects.approved().filter(pk__in=group_ids, valid_until__gte=date)


def closure_on(*, space: Space, date: datetime.date) -> Closure | None:
    return Closure.objects.filter(Q(space__isnull=True) | Q(space=space), date=date).first()


def slot_taken_message(*, space: Space, date: datetime.date, block: str, group: Group) -> str:
    """Why the slot is not free: a second click on "Book" finds the group's own booking,
    which must not read as someone else's."""
    ours = Booking.objects.filter(
        space=space, date=date, block=block, group=group, status__in=Booking.ACTIVE
    ).exists()
    if ours:
        return _("Your group has already booked this time block: see My bookings.")
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
        return slot_taken_message(space=space, date=date, block=block, group=group)
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
        raise ValidationError(
            slot_taken_message(space=space, date=date, block=block, group=group)
        ) from None
    _mail_booker(booking, "received" if space.requires_approval else "confirmed")
    _invalidate_public_pages()
    return booking


def booking_cancel_refusal(booking: Booking, *, today: datetime.date | None = None) -> str:
    """Why the booker cannot cancel this booking themselves, or ""."""
    today = today or timezone.localdate()
    if booking.status not in Booking.ACTIVE:
        return _("This booking is no longer active: %(status)s.") % {
            "status": booking.get_status_display()
        }
    if booking.date < today:
        return _("This booking is in the past and can no longer be cancelled.")
    return ""


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by_booker: bool = False, today: datetime.date | None = None
) -> Booking:
    """Cancel an active booking and mail the booker; cancelling twice changes nothing.

    The booker (by the mailed link or "my bookings") cannot cancel a past booking; staff can.
    """
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in Booking.ACTIVE:
        return booking
    if by_booker:
        refusal = booking_cancel_refusal(booking, today=today)
        if refusal:
            raise ValidationError(refusal)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    _mail_booker(booking, "cancelled")
    _invalidate_public_pages()
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.PENDING:
        raise ValidationError(_("Only a booking waiting for approval can be approved."))
    booking.status = Booking.Status.CONFIRMED
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "decided_at"])
    _mail_booker(booking, "approved")
    _invalidate_public_pages()
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
    _mail_booker(booking, "declined", reason=reason)
    _invalidate_public_pages()
    return booking


@transaction.atomic
def closure_emergency(*, date: datetime.date, reason: str, space: Space | None = None):
    """Close a day; every active booking that day becomes cancelled-by-closure and its
    booker gets a mail (exactly those: nobody booked on another day or in another space).
    The site banner shows the closure until the day has passed.

    Returns (closure, affected bookings).
    """
    closure = Closure(space=space, date=date, kind=Closure.Kind.EMERGENCY, reason=reason)
    closure.full_clean()
    closure.save()
    bookings = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("space", "group", "booked_by")
        .filter(date=date, status__in=Booking.ACTIVE)
    )
    if space is not None:
        bookings = bookings.filter(space=space)
    affected = list(bookings)
    now = timezone.now()
    for booking in affected:
        booking.status = Booking.Status.CANCELLED_BY_CLOSURE
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        _mail_booker(booking, "closure", reason=reason)
    _invalidate_public_pages()
    return closure, affected


def closure_save(*, closure: Closure) -> Closure:
    """A planned closure (holiday, maintenance) or a change to one: it blocks new bookings
    only; the availability pages change, so the page cache is emptied."""
    closure.full_clean()
    closure.save()
    _invalidate_public_pages()
    return closure


# Reminders --------------------------------------------------------------------------------


def booking_reminders_send(*, today: datetime.date | None = None) -> int:
    """Queue a reminder for each confirmed booking of tomorrow; returns how many.

    Exactly once per booking: each row is claimed by a conditional UPDATE on
    `reminder_sent_at IS NULL` (and still confirmed), committed with its outbox message, so
    two beats at once never mail twice. A failing row is logged and skipped.
    """
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    due = Booking.objects.filter(
        date=tomorrow, status=Booking.Status.CONFIRMED, reminder_sent_at__isnull=True
    ).values_list("pk", flat=True)
    queued = 0
    for booking_id in list(due):
        try:
            with transaction.atomic():
                claimed = Booking.objects.filter(
                    pk=booking_id,
                    reminder_sent_at__isnull=True,
                    status=Booking.Status.CONFIRMED,
                ).update(reminder_sent_at=timezone.now())
                if claimed != 1:
                    continue
                booking = Booking.objects.select_related("space", "group", "booked_by").get(
                    pk=booking_id
                )
                _mail_booker(booking, "reminder")
        except Exception:
            logger.exception("Reminder for booking %s not queued", booking_id)
            continue
        queued += 1
    return queued

"""相談会 bookings: the public books a free slot, may cancel it, and is reminded the day before.

A slot is never booked twice. `slot_book` locks the slot row, so concurrent bookings of one
slot queue up and each sees the one before it; the partial unique constraint
`one_active_booking_per_slot` stops whatever the lock cannot (SQLite has no row locks).

Every change a visitor can see on the public session list calls `public_cache_invalidate`
after the commit: before it, a concurrent visitor could cache the old state again.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.core.cache import public_cache_invalidate
from center.core.services import outbox_enqueue
from center.core.templatetags.center import jdate

from ..models import (
    Channel,
    Consultation,
    ConsultationSession,
    ContactPreference,
    SessionSlot,
    SlotBooking,
)
from .cases import consultation_add_note, consultation_submit

__all__ = [
    "BOOKING_SIGNING_SALT",
    "LINK_OPEN_CASE_DAYS",
    "SlotState",
    "booking_cancel",
    "booking_cancel_url",
    "booking_get_by_token",
    "booking_reminders_send",
    "session_booking_closes_on",
    "sessions_for_public_listing",
    "slot_book",
    "slot_get_public",
    "slot_refusal",
    "slot_state",
]

logger = logging.getLogger(__name__)

# The booking-done page's URL carries the booking id signed with this salt, valid for an hour.
BOOKING_SIGNING_SALT = "consultations.booking"
# A booking joins the booker's open case from the last 30 days instead of opening another.
LINK_OPEN_CASE_DAYS = 30


class SlotState:
    FREE = "free"
    BOOKED = "booked"
    CLOSED = "closed"


def _center_tz():
    # The center is in Yokohama: "tomorrow" and "today" are its dates, whoever asks.
    return timezone.get_default_timezone()


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, _center_tz()).date()


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), _center_tz())


# Reads ------------------------------------------------------------------------------------


def session_booking_closes_on(session: ConsultationSession) -> datetime.date:
    """The last day on which the public may book: `booking_closes_days_before` days before
    the session (0 = on the day itself, until each slot starts)."""
    return session.date - datetime.timedelta(days=session.booking_closes_days_before)


def slot_refusal(
    *, slot: SessionSlot, now: datetime.datetime | None = None, is_booked: bool | None = None
) -> str:
    """Why this slot cannot be booked now, as a message for the visitor; "" when it can.

    `is_booked` saves a query when the caller already knows (the listing annotates it).
    """
    now = now or timezone.now()
    session = slot.session
    if not session.is_published:
        return _("This consultation session is not open for booking.")
    if slot.starts_at <= now:
        return _("This time slot has already started or is over.")
    if _local_date(now) > session_booking_closes_on(session):
        return _("Booking for this session closed on %(date)s.") % {
            "date": jdate(session_booking_closes_on(session))
        }
    if is_booked is None:
        is_booked = SlotBooking.objects.active().filter(slot=slot).exists()
    if is_booked:
        return _("This time slot is already booked. Please choose another one.")
    return ""


def slot_state(*, slot: SessionSlot, now: datetime.datetime | None = None) -> str:
    """free, booked or closed, for a slot annotated with `is_booked` (see the listing)."""
    if slot.is_booked:
        return SlotState.BOOKED
    if slot_refusal(slot=slot, now=now, is_booked=False):
        return SlotState.CLOSED
    return SlotState.FREE


def sessions_for_public_listing(
    *, now: datetime.datetime | None = None
) -> list[ConsultationSession]:
    """Published sessions from today on, each slot carrying `is_booked` and `state`.

    Two queries whatever the number of sessions and slots. Nothing about bookers is read:
    the public page only learns whether a slot is taken.
    """
    now = now or timezone.now()
    slots = SessionSlot.objects.annotate(
        is_booked=Exists(SlotBooking.objects.active().filter(slot=OuterRef("pk")))
    ).order_by("starts_at")
    sessions = list(
        ConsultationSession.objects.filter(is_published=True, date__gte=_local_date(now))
        .order_by("date", "pk")
        .prefetch_related(Prefetch("slots", queryset=slots))
    )
    for session in sessions:
        session.booking_closes_on = session_booking_closes_on(session)
        session.booking_is_closed = _local_date(now) > session.booking_closes_on
        # The prefetch sets each slot's `session` to this very object: no query per slot.
        for slot in session.slots.all():
            slot.state = slot_state(slot=slot, now=now)
    return sessions


def slot_get_public(*, pk: int) -> SessionSlot:
    """A slot of a published session, or 404 (unpublished sessions do not exist publicly)."""
    try:
        return SessionSlot.objects.select_related("session").get(pk=pk, session__is_published=True)
    except (SessionSlot.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def booking_get_by_token(*, token: str) -> SlotBooking:
    """The booker's cancel page: the unguessable token is the only key."""
    if not token or len(token) > 64:
        raise Http404
    try:
        return SlotBooking.objects.select_related("slot__session", "consultation").get(
            cancel_token=token
        )
    except SlotBooking.DoesNotExist:
        raise Http404 from None


def booking_cancel_url(booking: SlotBooking) -> str:
    """The absolute cancel link, in the booker's language."""
    with translation.override(booking.language):
        path = reverse("consultations:booking_cancel", kwargs={"token": booking.cancel_token})
    return settings.SITE_URL + path


def _slot_label(slot: SessionSlot) -> str:
    """'2026年11月23日(月) 13:00–13:50 山田 太郎 (税理士)' for case titles and notes."""
    start = timezone.localtime(slot.starts_at, _center_tz())
    end = timezone.localtime(slot.ends_at, _center_tz())
    advisor = f"{slot.advisor} ({slot.advisor_role})" if slot.advisor_role else slot.advisor
    return f"{jdate(start, True)}–{end:%H:%M} {advisor}"


# Writes -----------------------------------------------------------------------------------


def _open_case_to_link(*, email: str, now: datetime.datetime) -> Consultation | None:
    since = now - datetime.timedelta(days=LINK_OPEN_CASE_DAYS)
    return (
        Consultation.objects.open()
        .not_quarantined()
        .filter(email__iexact=email, created_at__gte=since, anonymised_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def slot_book(
    *,
    slot: SessionSlot,
    family_name: str,
    given_name: str,
    email: str,
    requester_type: str,
    topic: str,
    body: str,
    family_name_kana: str = "",
    given_name_kana: str = "",
    organization_name: str = "",
    phone: str = "",
    language: str = "ja",
    submitted_by=None,
    now: datetime.datetime | None = None,
) -> SlotBooking:
    """Book a free slot for the person described, or raise ValidationError saying why not
    (taken, started, booking closed, unpublished).

    The booking joins the booker's open case from the last `LINK_OPEN_CASE_DAYS` days
    (same email address) or opens a new case with channel "session"; either way the case
    gets a note. After commit: the confirmation mail with the cancel link.
    """
    now = now or timezone.now()
    # Lock the slot row only (not the session): concurrent bookings of this slot wait here.
    slot = (
        SessionSlot.objects.select_for_update(of=("self",))
        .select_related("session")
        .get(pk=slot.pk)
    )
    refusal = slot_refusal(slot=slot, now=now)
    if refusal:
        raise ValidationError(refusal)

    session = slot.session
    consultation = _open_case_to_link(email=email, now=now)
    linked = consultation is not None
    with translation.override(settings.LANGUAGE_CODE):  # cases are read by staff in Japanese
        if consultation is None:
            title = _("Consultation session booking: %(session)s") % {"session": session.title}
            consultation = consultation_submit(
                fields={
                    "requester_type": requester_type,
                    "family_name": family_name,
                    "given_name": given_name,
                    "family_name_kana": family_name_kana,
                    "given_name_kana": given_name_kana,
                    "organization_name": organization_name,
                    "email": email,
                    "phone": phone,
                    "preferred_contact": ContactPreference.EMAIL,
                    "topic": topic,
                    "title": title[:200],
                    "body": body,
                },
                channel=Channel.SESSION,
                language=language,
                submitted_by=submitted_by,
            )
        note = _("Booked a consultation session: %(session)s, %(slot)s.") % {
            "session": session.title,
            "slot": _slot_label(slot),
        }
        if linked:
            note += "\n" + _(
                "Added to this case because the same email address has it open. "
                "What the booker wrote:"
            )
            note += "\n" + body

    booking = SlotBooking(
        slot=slot,
        consultation=consultation,
        name=f"{family_name} {given_name}".strip()[:100],
        email=email,
        language=language,
        created_at=now,
    )
    if _local_date(slot.starts_at) <= _local_date(now) + datetime.timedelta(days=1):
        # Booked inside the reminder window: the confirmation is the reminder.
        booking.reminder_sent_at = now
    # The partial unique constraint is left to the database: checked here it would be a
    # second, racy query with a generic message.
    booking.full_clean(exclude=["slot", "consultation"], validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        # Only a concurrent booking that slipped past the lock gets here.
        raise ValidationError(
            _("Sorry, this time slot was just booked by someone else. Please choose another one.")
        ) from None

    consultation_add_note(consultation=consultation, actor=None, text=note)
    outbox_enqueue("consultations.tasks.send_booking_confirmation", booking.pk)
    transaction.on_commit(public_cache_invalidate)
    return booking


@transaction.atomic
def booking_cancel(
    *, booking: SlotBooking, actor=None, now: datetime.datetime | None = None
) -> SlotBooking:
    """Cancel a booking: the slot is free again, the case gets a note, the booker a mail.

    Cancelling a cancelled booking changes nothing. A slot that has started can no longer
    be cancelled (ValidationError). `actor` is the staff member, None for the booker.
    """
    now = now or timezone.now()
    booking = (
        SlotBooking.objects.select_for_update(of=("self",))
        .select_related("slot__session", "consultation")
        .get(pk=booking.pk)
    )
    if booking.cancelled_at is not None:
        return booking
    if booking.slot.starts_at <= now:
        raise ValidationError(
            _(
                "This session has already started or is over, so the booking can no longer "
                "be cancelled."
            )
        )
    booking.cancelled_at = now
    booking.save(update_fields=["cancelled_at"])
    with translation.override(settings.LANGUAGE_CODE):
        who = _("by the booker") if actor is None else _("by staff")
        note = _("Cancelled the consultation session booking (%(who)s): %(session)s, %(slot)s.") % {
            "who": who,
            "session": booking.slot.session.title,
            "slot": _slot_label(booking.slot),
        }
    consultation_add_note(consultation=booking.consultation, actor=actor, text=note)
    if booking.email:
        outbox_enqueue("consultations.tasks.send_booking_cancelled", booking.pk)
    transaction.on_commit(public_cache_invalidate)
    return booking


def booking_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Queue the day-before reminder for each active booking of a slot starting tomorrow
    (the center's local date). Returns how many were queued.

    Exactly once per booking: each row is claimed with a conditional UPDATE on
    `reminder_sent_at IS NULL`, committed together with its outbox message, so two beats
    running at once, or one after the other, never queue a booking twice; the mail task
    itself retries until the mail is out. A failing booking is logged and skipped.
    """
    now = now or timezone.now()
    tomorrow = _local_date(now) + datetime.timedelta(days=1)
    due = (
        SlotBooking.objects.active()
        .filter(
            reminder_sent_at__isnull=True,
            slot__starts_at__gte=_day_start(tomorrow),
            slot__starts_at__lt=_day_start(tomorrow + datetime.timedelta(days=1)),
            slot__session__is_published=True,
        )
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    queued = 0
    for booking_id in list(due):
        try:
            with transaction.atomic():
                claimed = SlotBooking.objects.filter(
                    pk=booking_id, reminder_sent_at__isnull=True, cancelled_at__isnull=True
                ).update(reminder_sent_at=now)
                if claimed != 1:
                    continue  # another beat got there first, or the booker just cancelled
                outbox_enqueue("consultations.tasks.send_booking_reminder", booking_id)
        except Exception:
            logger.exception("Reminder for booking %s not queued", booking_id)
            continue
        queued += 1
    return queued

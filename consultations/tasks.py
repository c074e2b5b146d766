"""Thin Celery tasks: take ids, fetch, call a service or send one mail.

Mails are at-least-once: a retried task may send a second copy, never none.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from center.lib.emails import send_templated_email

from .models import CaseEvent, Consultation

logger = logging.getLogger(__name__)

MAIL_RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "max_retries": 12,
}


def tracking_url(consultation: Consultation) -> str:
    with translation.override(consultation.language):
        path = reverse("consultations:track", kwargs={"token": consultation.tracking_token})
    return settings.SITE_URL + path


@shared_task(name="consultations.tasks.send_receipt", **MAIL_RETRY)
def send_receipt(consultation_id: int) -> None:
    """Receipt to the requester: reference number and the private tracking link."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None or not consultation.email or consultation.anonymised_at:
        return
    send_templated_email(
        template="consultation-receipt",
        to=[consultation.email],
        context={"consultation": consultation, "tracking_url": tracking_url(consultation)},
        language=consultation.language,
    )


@shared_task(name="consultations.tasks.send_staff_alert", **MAIL_RETRY)
def send_staff_alert(consultation_id: int) -> None:
    """Alert to the center's staff address: no personal data, only a link to the admin."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return
    admin_path = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    send_templated_email(
        template="consultation-staff-alert",
        to=list(settings.STAFF_ALERT_EMAILS),
        context={"consultation": consultation, "admin_url": settings.SITE_URL + admin_path},
        language=settings.LANGUAGE_CODE,
    )


@shared_task(name="consultations.tasks.send_reply", **MAIL_RETRY)
def send_reply(event_id: int) -> None:
    """A public reply, mailed to the requester with the tracking link."""
    event = CaseEvent.objects.select_related("consultation").filter(pk=event_id).first()
    if event is None or not event.consultation.email or event.consultation.anonymised_at:
        return
    consultation = event.consultation
    send_templated_email(
        template="consultation-reply",
        to=[consultation.email],
        context={
            "consultation": consultation,
            "reply": event,
            "tracking_url": tracking_url(consultation),
        },
        language=consultation.language,
    )


@shared_task(name="consultations.tasks.anonymise_expired_consultations")
def anonymise_expired_consultations() -> int:
    """Nightly: anonymise finished cases past the retention period. Idempotent."""
    from .services import consultations_anonymise_expired

    count = consultations_anonymise_expired()
    logger.info("Anonymised %s consultations past retention", count)
    return count


# Follow-up digest: the cache key that stops a second digest to the same person on the same
# day ("consultations:digest:<user_id>:<date>"). A short claim while the mail is being sent,
# then a mark that outlives the day.
DIGEST_CLAIM_SECONDS = 15 * 60
DIGEST_SENT_SECONDS = 2 * 24 * 60 * 60


def digest_cache_key(user_id: int, day: str) -> str:
    return f"consultations:digest:{user_id}:{day}"


@shared_task(name="consultations.tasks.send_followup_digests")
def send_followup_digests() -> int:
    """Daily (beat, 8:00): queue one digest mail per assignee with overdue or untouched cases.

    Queues `send_followup_digest` for each; a failure to queue one person is logged and
    counted, and the others still go. Returns how many were queued.
    """
    from django.utils import timezone

    from .services.followup import followup_digests

    day = timezone.localdate().isoformat()
    queued = failed = 0
    for user, _overdue, _untouched in followup_digests(today=timezone.localdate()):
        try:
            send_followup_digest.delay(user.pk, day)
        except Exception:
            logger.exception("Follow-up digest for user %s not queued", user.pk)
            failed += 1
        else:
            queued += 1
    if failed:
        logger.warning("Follow-up digests: %s queued, %s not queued", queued, failed)
    return queued


@shared_task(name="consultations.tasks.send_followup_digest", **MAIL_RETRY)
def send_followup_digest(user_id: int, day: str) -> bool:
    """One assignee's digest for one day (ISO date), in their language; True if sent.

    Guarantee: at most one digest per person per day while the cache keeps the key
    ("consultations:digest:<user_id>:<day>", claimed with cache.add before sending, kept
    two days after); at-least-once otherwise: if the cache is lost or flushed, a rerun
    the same day may send a second copy. A failed send releases the claim, so the retry
    sends. A worker killed between claim and send leaves the claim for DIGEST_CLAIM_SECONDS
    only; the next day's digest lists the same cases anyway, as it is computed afresh.
    Nothing is stored in the database. Nobody is mailed an empty digest.
    """
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    from .services.followup import followup_digest_for_user

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    today = datetime.date.fromisoformat(day)
    overdue, untouched = followup_digest_for_user(user=user, today=today)
    if not overdue and not untouched:
        return False
    key = digest_cache_key(user.pk, day)
    if not cache.add(key, "sending", timeout=DIGEST_CLAIM_SECONDS):
        return False
    with translation.override(user.language):
        context = {
            "user": user,
            "today": today,
            "stale_days": settings.CONSULTATION_STALE_AFTER_DAYS,
            "total": len(overdue) + len(untouched),
            "overdue": [_digest_row(case) for case in overdue],
            "untouched": [_digest_row(case) for case in untouched],
        }
    try:
        send_templated_email(
            template="consultation-digest",
            to=[user.email],
            context=context,
            language=user.language,
        )
    except Exception:
        cache.delete(key)
        raise
    cache.set(key, "sent", timeout=DIGEST_SENT_SECONDS)
    return True


def _digest_row(consultation: Consultation) -> dict:
    """A case in a digest: no requester data beyond the title, and a link to the admin."""
    path = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    return {"case": consultation, "admin_url": settings.SITE_URL + path}


# 相談会 bookings ---------------------------------------------------------------------------


def _booking_for_mail(booking_id: int):
    from .models import SlotBooking

    booking = (
        SlotBooking.objects.select_related("slot__session", "consultation")
        .filter(pk=booking_id)
        .first()
    )
    # An anonymised booking has no address left; there is nobody to write to.
    return booking if booking is not None and booking.email else None


def _send_booking_mail(booking, template: str) -> None:
    from .services.sessions import booking_cancel_url

    with translation.override(booking.language):
        sessions_path = reverse("consultations:sessions")
    send_templated_email(
        template=template,
        to=[booking.email],
        context={
            "booking": booking,
            "slot": booking.slot,
            "session": booking.slot.session,
            "cancel_url": booking_cancel_url(booking),
            "sessions_url": settings.SITE_URL + sessions_path,
        },
        language=booking.language,
    )


@shared_task(name="consultations.tasks.send_booking_confirmation", **MAIL_RETRY)
def send_booking_confirmation(booking_id: int) -> None:
    """Booking confirmation: date, time, place, advisor and the cancel link. At-least-once;
    nothing is sent for a booking cancelled before the mail went out."""
    booking = _booking_for_mail(booking_id)
    if booking is None or booking.cancelled_at is not None:
        return
    _send_booking_mail(booking, "session-booking")


@shared_task(name="consultations.tasks.send_booking_cancelled", **MAIL_RETRY)
def send_booking_cancelled(booking_id: int) -> None:
    """Tells the booker their booking is cancelled (by them or by staff). At-least-once."""
    booking = _booking_for_mail(booking_id)
    if booking is None or booking.cancelled_at is None:
        return
    _send_booking_mail(booking, "session-cancelled")


@shared_task(name="consultations.tasks.send_booking_reminder", **MAIL_RETRY)
def send_booking_reminder(booking_id: int) -> None:
    """One day-before reminder, queued by `send_booking_reminders` once the booking is
    claimed. At-least-once; skipped if the booking was cancelled meanwhile."""
    booking = _booking_for_mail(booking_id)
    if booking is None or booking.cancelled_at is not None:
        return
    _send_booking_mail(booking, "session-reminder")


@shared_task(name="consultations.tasks.send_booking_reminders")
def send_booking_reminders() -> int:
    """Hourly (beat): queue the reminders of tomorrow's bookings, exactly once per booking."""
    from .services.sessions import booking_reminders_send

    count = booking_reminders_send()
    if count:
        logger.info("Queued %s consultation session reminders", count)
    return count

"""Thin Celery tasks of events: take ids, fetch, send one mail or run one service.

Mails are at-least-once: a retried task may send a second copy, never none. Each mail task
checks that what it announces is still true when it runs (a confirmation is not sent for a
registration cancelled meanwhile, nor a reminder for a cancelled event).
"""

import logging
from email.mime.image import MIMEImage

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from center.lib.emails import render_templated_email

from .models import Event, Registration

logger = logging.getLogger(__name__)

CHECKIN_QR_CID = "checkin-qr"

MAIL_RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "max_retries": 12,
}


def _registration_for_mail(registration_id: int) -> Registration | None:
    registration = (
        Registration.objects.select_related("event__program").filter(pk=registration_id).first()
    )
    # Staff may register someone by phone with no address: nobody to write to.
    return registration if registration is not None and registration.email else None


def _send(
    registration: Registration,
    template: str,
    *,
    attach_ics: bool = False,
    checkin_qr: bool = False,
) -> None:
    from .checkin import checkin_url, qr_png
    from .services import registrant_url

    event = registration.event
    with translation.override(registration.language):
        event_path = reverse("events:detail", args=[event.pk])
    context = {
        "registration": registration,
        "event": event,
        "sessions": list(event.sessions.all()),
        "registrant_url": registrant_url(registration),
        "event_url": settings.SITE_URL + event_path,
        # The meeting link goes only to those holding a seat.
        "online_url": (
            event.online_url if registration.status == Registration.Status.CONFIRMED else ""
        ),
        # The HTML shows the QR code attached below (cid:), staff scan it at the door.
        "checkin_qr_cid": CHECKIN_QR_CID if checkin_qr else "",
    }
    subject, text, html = render_templated_email(
        template=template, context=context, language=registration.language
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
    )
    message.attach_alternative(html, "text/html")
    if attach_ics:
        from .ics import event_ics

        message.attach("event.ics", event_ics(event), "text/calendar")
    if checkin_qr:
        image = MIMEImage(qr_png(checkin_url(registration)), "png")
        image.add_header("Content-ID", f"<{CHECKIN_QR_CID}>")
        image.add_header("Content-Disposition", "inline", filename="checkin-qr.png")
        message.attach(image)
    message.send()


@shared_task(name="events.tasks.send_confirmation", **MAIL_RETRY)
def send_confirmation(registration_id: int) -> None:
    """Confirmation: the event, the private link (cancel, online link) and the .ics.
    Not sent if the registration is no longer confirmed when the task runs."""
    registration = _registration_for_mail(registration_id)
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        return
    _send(registration, "event-confirmation", attach_ics=True, checkin_qr=True)


@shared_task(name="events.tasks.send_waitlisted", **MAIL_RETRY)
def send_waitlisted(registration_id: int) -> None:
    """On the waiting list: the private link to leave it. Skipped if moved on meanwhile."""
    registration = _registration_for_mail(registration_id)
    if registration is None or registration.status != Registration.Status.WAITLISTED:
        return
    _send(registration, "event-waitlisted")


@shared_task(name="events.tasks.send_promoted", **MAIL_RETRY)
def send_promoted(registration_id: int) -> None:
    """Moved up from the waiting list: now confirmed, with the .ics and the private link."""
    registration = _registration_for_mail(registration_id)
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        return
    _send(registration, "event-promoted", attach_ics=True, checkin_qr=True)


@shared_task(name="events.tasks.send_cancelled", **MAIL_RETRY)
def send_cancelled(registration_id: int) -> None:
    """The registration is cancelled, or its holder left the waiting list."""
    registration = _registration_for_mail(registration_id)
    if registration is None or registration.is_live:
        return
    _send(registration, "event-cancelled")


@shared_task(name="events.tasks.send_reminder", **MAIL_RETRY)
def send_reminder(registration_id: int) -> None:
    """One reminder, queued by `send_reminders` once the registration is claimed.
    At-least-once; skipped if the registration or the event was cancelled meanwhile."""
    registration = _registration_for_mail(registration_id)
    if (
        registration is None
        or registration.status != Registration.Status.CONFIRMED
        or registration.event.status != Event.Status.PUBLISHED
    ):
        return
    _send(registration, "event-reminder")


@shared_task(name="events.tasks.send_reminders")
def send_reminders() -> int:
    """Every 15 minutes (beat): queue the reminders now due, exactly once per registration."""
    from .services import registration_reminders_send

    count = registration_reminders_send()
    if count:
        logger.info("Queued %s event reminders", count)
    return count


# The survey after the event (beat and mail tasks), in its own module.
from . import tasks_survey  # noqa: E402, F401

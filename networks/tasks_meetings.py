"""Thin Celery tasks of network meetings: take ids, fetch, send one mail.

Mails are at-least-once. Each task checks that the recipient is still an active ward-staff
member when it runs, and writes in the recipient's language.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from center.accounts.models import User
from center.accounts.roles import WARD_STAFF
from center.lib.emails import send_templated_email
from center.lib.i18n import user_mail_language

from .models import Meeting, MeetingRsvp

logger = logging.getLogger(__name__)

MAIL_RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "max_retries": 12,
}


def _ward_staff(user_id: int) -> User | None:
    user = User.objects.filter(pk=user_id, is_active=True).select_related("ward").first()
    if user is None or not user.has_role(WARD_STAFF) or user.ward_id is None:
        return None
    return user


def _send_meeting_mail(template: str, meeting_id: int, user_id: int) -> None:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    user = _ward_staff(user_id)
    if meeting is None or user is None:
        return
    with translation.override(user_mail_language(user)):
        meeting_url = settings.SITE_URL + reverse("networks:meeting_detail", args=[meeting.pk])
    rsvp = MeetingRsvp.objects.filter(meeting=meeting, ward_center__ward_id=user.ward_id).first()
    send_templated_email(
        template=template,
        to=[user.email],
        language=user_mail_language(user),
        context={
            "user": user,
            "meeting": meeting,
            "meeting_url": meeting_url,
            "materials": list(meeting.materials.all()),
            "rsvp": rsvp,
        },
    )


@shared_task(name="networks.tasks_meetings.send_minutes_published", **MAIL_RETRY)
def send_minutes_published(meeting_id: int, user_id: int) -> None:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or not meeting.minutes_published:
        return
    _send_meeting_mail("network-meeting-minutes", meeting_id, user_id)


@shared_task(name="networks.tasks_meetings.send_materials_posted", **MAIL_RETRY)
def send_materials_posted(meeting_id: int, user_id: int) -> None:
    _send_meeting_mail("network-meeting-materials", meeting_id, user_id)


@shared_task(name="networks.tasks_meetings.send_reminder", **MAIL_RETRY)
def send_reminder(meeting_id: int, user_id: int) -> None:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or meeting.is_past:
        return
    _send_meeting_mail("network-meeting-reminder", meeting_id, user_id)


@shared_task(name="networks.tasks_meetings.send_reminders")
def send_reminders() -> int:
    """Hourly (beat): remind ward staff of meetings starting within two days, once each."""
    from .services_meetings import meeting_reminders_send

    count = meeting_reminders_send()
    if count:
        logger.info("Reminded %s network meetings", count)
    return count


@shared_task(name="networks.tasks_meetings.send_invitation", **MAIL_RETRY)
def send_invitation(user_id: int) -> None:
    """The invitation link; skipped once the account is active (accepted meanwhile)."""
    from .services_meetings import INVITATION_MAX_AGE, invitation_url

    user = User.objects.filter(pk=user_id, is_active=False).select_related("ward").first()
    if user is None or not user.has_role(WARD_STAFF) or user.ward_id is None:
        return
    send_templated_email(
        template="network-meeting-invitation",
        to=[user.email],
        language=user_mail_language(user),
        context={
            "user": user,
            "ward_center": getattr(user.ward, "center", None),
            "invitation_url": invitation_url(user),
            "days": INVITATION_MAX_AGE.days,
        },
    )

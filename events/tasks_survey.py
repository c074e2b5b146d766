"""Survey tasks: the hourly beat that queues the survey link once per attendee after an
event ends, and the mail itself (imported by events/tasks.py so Celery finds them)."""

import logging

from celery import shared_task

from center.lib.emails import send_templated_email

from .models import Event, Registration
from .tasks import MAIL_RETRY, _registration_for_mail

logger = logging.getLogger(__name__)


@shared_task(name="events.tasks_survey.send_survey", **MAIL_RETRY)
def send_survey(registration_id: int) -> None:
    """The survey link, queued by `send_surveys` once the registration is claimed.
    At-least-once; skipped if the event was cancelled, nobody attended, or already answered."""
    from .services_survey import registration_attended, survey_url

    registration = _registration_for_mail(registration_id)
    if (
        registration is None
        or registration.event.status != Event.Status.PUBLISHED
        or registration.status != Registration.Status.CONFIRMED
        or not registration_attended(registration)
        or hasattr(registration, "survey_response")
    ):
        return
    context = {
        "registration": registration,
        "event": registration.event,
        "survey_url": survey_url(registration),
    }
    send_templated_email(
        template="event-survey",
        to=[registration.email],
        context=context,
        language=registration.language,
    )


@shared_task(name="events.tasks_survey.send_surveys")
def send_surveys() -> int:
    """Hourly (beat): queue the survey of events that ended, exactly once per attendee."""
    from .services_survey import surveys_send

    count = surveys_send()
    if count:
        logger.info("Queued %s event surveys", count)
    return count

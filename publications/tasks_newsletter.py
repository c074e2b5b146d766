"""Newsletter tasks: thin, they take ids and call the services.

- `send_confirmation`: at-least-once (a retry may mail a second confirmation, never none).
- `start_issue`, `send_issue`, `sweep`: exactly once per recipient, by the claims described
  in `publications/services/newsletter.py`; any number may run at the same time.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from center.lib.emails import send_templated_email

from .models import Subscriber
from .services.newsletter import (
    newsletter_issue_start,
    newsletter_send_pending,
    newsletter_sweep,
    subscriber_confirmation_token,
    subscriber_manage_token,
)

__all__ = ["send_confirmation", "send_issue", "start_issue", "sweep"]

logger = logging.getLogger(__name__)

MAIL_RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "max_retries": 12,
}


@shared_task(name="publications.tasks_newsletter.send_confirmation", **MAIL_RETRY)
def send_confirmation(subscriber_id: int) -> None:
    """The double opt-in mail; for an address already subscribed, its preferences link."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return
    with translation.override(subscriber.language):
        if subscriber.status == Subscriber.Status.ACTIVE:
            template = "newsletter-already-subscribed"
            path = reverse(
                "publications:newsletter_preferences",
                kwargs={"token": subscriber_manage_token(subscriber)},
            )
        else:
            template = "newsletter-confirm"
            path = reverse(
                "publications:newsletter_confirm",
                kwargs={"token": subscriber_confirmation_token(subscriber)},
            )
    send_templated_email(
        template=template,
        to=[subscriber.email],
        context={
            "link": settings.SITE_URL + path,
            "hours": settings.NEWSLETTER_CONFIRMATION_HOURS,
        },
        language=subscriber.language,
    )


@shared_task(name="publications.tasks_newsletter.start_issue")
def start_issue(issue_id: int) -> bool:
    return newsletter_issue_start(issue_id=issue_id)


@shared_task(name="publications.tasks_newsletter.send_issue")
def send_issue(issue_id: int) -> dict:
    counts = newsletter_send_pending(issue_id=issue_id)
    logger.info("Newsletter issue %s round: %s", issue_id, counts)
    return counts


@shared_task(name="publications.tasks_newsletter.sweep")
def sweep() -> dict:
    return newsletter_sweep()

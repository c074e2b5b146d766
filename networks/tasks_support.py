"""Thin Celery task of the support requests: the status mail to the ward (beat)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="networks.tasks_support.send_status_notifications")
def send_status_notifications() -> int:
    """Every 15 minutes (beat): tell whoever filed a support request that its status, as
    the ward sees it, changed — once per change (claimed in the service)."""
    from .services_support import support_status_notifications_send

    count = support_status_notifications_send()
    if count:
        logger.info("Queued %s support request status mails", count)
    return count


@shared_task(name="networks.tasks_support.scrub_anonymised")
def scrub_anonymised() -> int:
    """Daily (beat), after the consultations' anonymisation: the ward's copy of a case's
    personal data goes with the case's."""
    from .services_support import support_requests_scrub_anonymised

    count = support_requests_scrub_anonymised()
    if count:
        logger.info("Blanked %s support requests of anonymised cases", count)
    return count

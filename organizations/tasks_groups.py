"""Thin Celery task of group registration: the yearly renewal reminder (beat)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="organizations.tasks_groups.send_renewal_reminders")
def send_renewal_reminders() -> int:
    """Daily (beat): in February–March, queue each group's renewal reminder, exactly once
    per group and fiscal year (claimed in `renewal_reminders_send`)."""
    from .services_groups import renewal_reminders_send

    count = renewal_reminders_send()
    if count:
        logger.info("Queued %s group renewal reminders", count)
    return count

"""Thin Celery task of the spaces: the day-before booking reminder (beat)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="organizations.tasks_booking.send_booking_reminders")
def send_booking_reminders() -> int:
    """Daily (beat): remind whoever booked each confirmed slot of tomorrow, exactly once
    (claimed in `booking_reminders_send`)."""
    from .services_booking import booking_reminders_send

    count = booking_reminders_send()
    if count:
        logger.info("Queued %s space booking reminders", count)
    return count

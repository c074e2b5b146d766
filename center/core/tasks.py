import logging

from celery import shared_task
from django.conf import settings

from center.lib.emails import send_templated_email

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="center.core.tasks.outbox_sweep")
def outbox_sweep() -> dict:
    """Re-publish outbox rows the broker has not taken yet. At-least-once per row."""
    sent, failed = services.outbox_sweep(older_than_seconds=settings.OUTBOX_RESEND_AFTER_SECONDS)
    if sent or failed:
        logger.info("Outbox sweep: %s sent, %s still pending", sent, failed)
    return {"sent": sent, "pending": failed}


@shared_task(name="center.core.tasks.outbox_prune")
def outbox_prune() -> int:
    """Forget published outbox rows after the retention period (their arguments may be
    personal data)."""
    deleted = services.outbox_prune(older_than_days=settings.OUTBOX_RETENTION_DAYS)
    if deleted:
        logger.info("Outbox prune: %s published rows deleted", deleted)
    return deleted


@shared_task(
    name="center.core.tasks.send_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=12,
)
def send_email(*, template: str, to: list[str], context: dict, language: str) -> None:
    """Send one templated mail. At-least-once: SMTP failures retry with backoff."""
    send_templated_email(template=template, to=to, context=context, language=language)


HEARTBEAT_CACHE_KEY = "worker:heartbeat"


@shared_task(name="center.core.tasks.worker_heartbeat")
def worker_heartbeat() -> str:
    """Leave a timestamp in the shared cache: /health/ shows when a worker last ran."""
    from django.core.cache import cache
    from django.utils import timezone

    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, 60 * 60 * 24)
    return now

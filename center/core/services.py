"""Writes of the base layer: audit events and the transactional outbox."""

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEvent, OutboxMessage

logger = logging.getLogger(__name__)


def audit_event_record(
    *,
    actor,
    action: str,
    target: models.Model,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` (an AuditEvent.Action) to `target`.

    Call it wherever personal data is read or changed; pass the request to keep the IP.
    `label` replaces str(target) where that would copy personal data into the log.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=(label if label is not None else str(target))[:200],
        detail=detail or {},
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )


def outbox_enqueue(task_name: str, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Queue a Celery task as part of the current transaction.

    The row commits or rolls back with the business change; after commit we try to
    publish at once, and `outbox_sweep` retries whatever could not be published.
    """
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: outbox_dispatch(message_id=message.pk))
    return message


def outbox_dispatch(*, message_id: int) -> bool:
    """Publish one pending message; True when the broker took it (or it was already sent)."""
    from center.celery_app import app

    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return True
    now = timezone.now()
    try:
        if message.task_name not in app.tasks:
            # Task modules are autodiscovered lazily; web processes import them on first use.
            app.loader.import_default_modules()
        task = app.tasks[message.task_name]
        # Mark first: in eager mode the task runs inside apply_async, and a task that
        # enqueues more work must not see its own message as pending.
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=models.F("attempts") + 1, last_attempt_at=now
        )
        task.apply_async(args=message.args, kwargs=message.kwargs, retry=False)
    except Exception as exc:  # broker down, unknown task...: keep it pending, log, move on
        logger.warning("Outbox message %s not sent: %s", message.pk, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(last_error=repr(exc)[:2000])
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), last_error="")
    return True


def outbox_sweep(*, older_than_seconds: int) -> tuple[int, int]:
    """Re-send pending messages older than the threshold. Returns (sent, still pending)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    sent = failed = 0
    pending_ids = OutboxMessage.objects.pending().filter(created_at__lte=cutoff)
    for message_id in pending_ids.values_list("pk", flat=True)[:1000]:
        if outbox_dispatch(message_id=message_id):
            sent += 1
        else:
            failed += 1
    return sent, failed


def outbox_prune(*, older_than_days: int, now=None) -> int:
    """Delete messages handed to the broker more than `older_than_days` ago.

    Their arguments can hold personal data (a mail's context: a name, a contact message),
    and once a task is published the row has done its job. Pending rows are kept whatever
    their age: the sweeper still needs them.
    """
    cutoff = (now or timezone.now()) - timezone.timedelta(days=older_than_days)
    deleted, _by_model = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted

"""The transactional outbox: a request never loses work because the broker is down."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from center.accounts.models import User
from center.celery_app import app
from center.core import services, tasks
from center.core.models import OutboxMessage
from center.core.services import outbox_enqueue, outbox_sweep


def _register(email: str) -> User:
    with transaction.atomic():
        user = User.objects.create_user(email=email, password="x" * 12)
        outbox_enqueue(
            "center.core.tasks.send_email",
            template="test-notice",
            to=[email],
            context={"name": "市民 花子"},
            language="ja",
        )
    return user


def test_business_row_and_outbox_row_are_stored_while_the_broker_is_down(
    db, broker_down, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _register("hanako@example.com")

    assert User.objects.filter(email="hanako@example.com").exists()
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error
    assert mailoutbox == []


def test_sweeper_sends_what_waited_once_the_broker_is_back(
    db, django_capture_on_commit_callbacks, mailoutbox, broker_down
):
    with django_capture_on_commit_callbacks(execute=True):
        _register("hanako@example.com")
    assert OutboxMessage.objects.pending().count() == 1

    # The broker comes back (tasks run in-process in the test settings).
    app.conf.task_always_eager = True
    sent, still_pending = outbox_sweep(older_than_seconds=0)

    assert (sent, still_pending) == (1, 0)
    assert OutboxMessage.objects.pending().count() == 0
    assert [m.to for m in mailoutbox] == [["hanako@example.com"]]
    assert "市民 花子" in mailoutbox[0].body


def test_nothing_is_queued_when_the_business_change_rolls_back(db, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        User.objects.create_user(email="gone@example.com", password="x" * 12)
        outbox_enqueue(
            "center.core.tasks.send_email",
            template="test-notice",
            to=["x@y.z"],
            context={},
            language="ja",
        )
        raise RuntimeError("validation failed later")
    assert not OutboxMessage.objects.exists()
    assert not User.objects.filter(email="gone@example.com").exists()
    assert mailoutbox == []


def test_sweeper_leaves_recent_messages_to_the_on_commit_dispatch(db):
    OutboxMessage.objects.create(task_name="center.core.tasks.worker_heartbeat")
    assert outbox_sweep(older_than_seconds=3600) == (0, 0)


def test_a_sent_message_is_never_sent_again(db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        _register("taro@example.com")
    assert len(mailoutbox) == 1
    assert outbox_sweep(older_than_seconds=0) == (0, 0)
    assert len(mailoutbox) == 1


def test_published_rows_are_pruned_after_the_retention_period_and_pending_rows_never(db):
    now = timezone.now()
    contact = {"message": "山田です。090-0000-0000 まで連絡ください。"}
    old_sent = OutboxMessage.objects.create(
        task_name="center.core.tasks.send_email",
        kwargs={"context": contact},
        created_at=now - timedelta(days=20),
        sent_at=now - timedelta(days=15),
    )
    recent_sent = OutboxMessage.objects.create(
        task_name="center.core.tasks.send_email", created_at=now, sent_at=now - timedelta(days=13)
    )
    old_pending = OutboxMessage.objects.create(
        task_name="center.core.tasks.send_email", created_at=now - timedelta(days=90)
    )

    assert services.outbox_prune(older_than_days=14, now=now) == 1

    remaining = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert remaining == {recent_sent.pk, old_pending.pk}
    assert old_sent.pk not in remaining


def test_the_nightly_prune_uses_the_configured_retention(db, settings):
    settings.OUTBOX_RETENTION_DAYS = 2
    OutboxMessage.objects.create(task_name="x", sent_at=timezone.now() - timedelta(days=3))
    assert tasks.outbox_prune() == 1
    assert not OutboxMessage.objects.exists()

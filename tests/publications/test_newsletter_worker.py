"""The newsletter send on the real stack: a Celery worker and beat (production settings) on
PostgreSQL and Redis, mailing into a local SMTP sink (aiosmtpd).

The sink kills the worker (SIGKILL, the whole process group) in the middle of an SMTP
transaction, as a crash or an OOM kill would; the message in flight is therefore not
accepted. A new worker is started; beat's sweeper puts the dead worker's claimed row back
in the queue once its lease has run out, and the send finishes. Every subscriber must
then hold exactly one copy: no duplicate, no gap.
"""

import collections
import os
import re
import signal
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone

from publications.models import NewsletterDelivery, NewsletterIssue, Subscriber
from publications.services.newsletter import CLAIM_BATCH
from tests.conftest import require_postgresql, require_redis
from tests.test_deployment import Stack, _clean_env, _free_port, _secret_key

SUBSCRIBERS = 150
KILL_AT = 50  # the sink kills the worker while receiving this message
WORKER_REDIS_DB = 14


class KillingSink:
    """aiosmtpd handler: records each accepted message; at message KILL_AT, kills the
    worker before answering and refuses that message (the sender never got a 250)."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []  # (recipient, Message-ID)
        self.bodies: dict[str, str] = {}
        self.seen = 0
        self.kill = None
        self.killed = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seen += 1
            if self.seen == KILL_AT and self.kill is not None:
                self.kill()
                self.killed.set()
                return "451 4.3.0 Connection lost (the sender was killed)"
            content = envelope.content.decode("utf-8", "replace")
            message_id = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in content.splitlines()
                    if line.lower().startswith("message-id:")
                ),
                "",
            )
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient, message_id))
                self.bodies[recipient] = content
        return "250 OK"


def _database_url() -> str:
    settings_dict = connection.settings_dict
    user = settings_dict.get("USER") or "postgres"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


def _wait(condition, timeout: float, what: str, stack: Stack) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}\n{stack.logs_tail()}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_send_resumes_with_no_duplicate_and_no_gap(tmp_path):
    from aiosmtpd.controller import Controller

    require_postgresql()
    redis_url = require_redis()
    import redis

    broker = urlunsplit(urlsplit(redis_url)._replace(path=f"/{WORKER_REDIS_DB}"))
    broker_client = redis.Redis.from_url(broker)
    broker_client.flushdb()

    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{number:03d}@example.jp",
            status=Subscriber.Status.ACTIVE,
            privacy_notice_version="test",
        )
        for number in range(SUBSCRIBERS)
    )
    # Beat's sweeper starts it: scheduled for now.
    issue = NewsletterIssue.objects.create(
        subject="クラッシュ試験号",
        body="本文",
        status=NewsletterIssue.Status.SCHEDULED,
        scheduled_at=timezone.now(),
    )

    sink = KillingSink()
    smtp_port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="center.settings.production",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=_database_url(),
        REDIS_URL=broker,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        STATIC_ROOT=str(tmp_path / "static"),
        CONN_MAX_AGE="0",
        NEWSLETTER_SWEEP_INTERVAL_SECONDS="1",
        NEWSLETTER_CLAIM_LEASE_SECONDS="3",
        OUTBOX_SWEEP_INTERVAL_SECONDS="1",
        # One sender at a time: the row in flight at the kill is the only one claimed.
        NEWSLETTER_PARALLEL_SENDERS="1",
    )
    worker = ("celery", "-A", "center", "worker", "-l", "info", "-c", "1", "--without-gossip")
    stack = Stack(env, tmp_path)
    try:
        stack.start("worker", *worker, "-n", "first@%h")
        sink.kill = lambda: os.killpg(stack.processes["worker"].pid, signal.SIGKILL)
        stack.start(
            "beat",
            "celery",
            "-A",
            "center",
            "beat",
            "-l",
            "info",
            "-s",
            str(tmp_path / "celerybeat-schedule"),
        )
        _wait(sink.killed.is_set, 90, "the send to reach the kill", stack)
        stack.processes["worker"].wait(timeout=10)

        issue.refresh_from_db()
        assert issue.status == NewsletterIssue.Status.SENDING
        # The dead worker's claimed rows: the one in flight and the rest of its batch,
        # none of which reached the sink.
        held = set(
            NewsletterDelivery.objects.filter(
                issue=issue, status=NewsletterDelivery.Status.SENDING
            ).values_list("subscriber__email", flat=True)
        )
        assert 1 <= len(held) <= CLAIM_BATCH
        assert not held & {recipient for recipient, _message_id in sink.received}
        assert len(sink.received) == KILL_AT - 1

        stack.start("worker2", *worker, "-n", "second@%h")
        _wait(
            lambda: NewsletterIssue.objects.get(pk=issue.pk).status == NewsletterIssue.Status.SENT,
            120,
            "the resumed send to finish",
            stack,
        )
    finally:
        stack.stop()
        controller.stop()
        broker_client.flushdb()
        broker_client.close()

    copies = collections.Counter(recipient for recipient, _message_id in sink.received)
    expected = {f"reader{number:03d}@example.jp" for number in range(SUBSCRIBERS)}
    assert set(copies) == expected, f"gap: {sorted(expected - set(copies))[:5]}"
    assert max(copies.values()) == 1, f"duplicates: {[r for r, n in copies.items() if n > 1]}"
    assert len({message_id for _recipient, message_id in sink.received}) == SUBSCRIBERS
    # Each mail carries its own recipient's unsubscribe link (the worker fills in the
    # per-recipient parts of a message it renders once).
    for subscriber in Subscriber.objects.order_by("pk")[:3]:
        content = sink.bodies[subscriber.email]
        assert f"To: {subscriber.email}" in content
        header = re.search(r"List-Unsubscribe:\s*<([^>]+)>", content)[1]
        assert f"/newsletter/unsubscribe/{subscriber.pk}:" in header
        assert header in content.split("\r\n\r\n", 1)[1]  # the same link in the body
    statuses = set(issue.deliveries.values_list("status", flat=True))
    assert statuses == {NewsletterDelivery.Status.SENT}

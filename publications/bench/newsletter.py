"""Newsletter send benchmark: one issue to 10,000 subscribers through a real Celery worker
(production settings, two processes) into a local SMTP sink (aiosmtpd).

Reports messages per second from the start of the send to the last acceptance, the total
time, and checks the sink: every subscriber exactly once (duplicates 0, gaps 0).
Target: at least 200 messages/s.
"""

import collections
import contextlib
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import NewsletterIssue, NewsletterTopic, Subscriber
from ..services.newsletter import newsletter_issue_start

SUBSCRIBERS = int(os.environ.get("BENCH_NEWSLETTER_SUBSCRIBERS", 10_000))
TARGET_PER_SECOND = 200
DOMAIN = "bench.example"
WORKER_PROCESSES = 2
TIMEOUT_SECONDS = 600


class CountingSink:
    """Counts copies per recipient of the messages whose Message-ID starts with `prefix`
    (the broker may hold other mail tasks for this database: those are not counted)."""

    def __init__(self):
        self.prefix = b"<newsletter.none."
        self.copies: collections.Counter[str] = collections.Counter()
        self.last_at = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.prefix in envelope.content[:4000]:
            with self.lock:
                for recipient in envelope.rcpt_tos:
                    self.copies[recipient] += 1
                self.last_at = time.monotonic()
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _worker_env(smtp_port: int, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="center.settings.production",
        SECRET_KEY=f"bench-{secrets.token_urlsafe(48)}",
        DJANGO_DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        LOG_LEVEL="WARNING",
        NEWSLETTER_PARALLEL_SENDERS=str(WORKER_PROCESSES),
    )
    return env


def _prepare_subscribers() -> NewsletterTopic:
    Subscriber.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    topic, _created = NewsletterTopic.objects.get_or_create(
        name="ベンチマーク", defaults={"name_en": "Benchmark", "order": 999}
    )
    created = Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{number:05d}@{DOMAIN}",
                status=Subscriber.Status.ACTIVE,
                privacy_notice_version="bench",
            )
            for number in range(SUBSCRIBERS)
        ),
        batch_size=2000,
    )
    through = Subscriber.topics.through
    through.objects.bulk_create(
        (
            through(subscriber_id=subscriber.pk, newslettertopic_id=topic.pk)
            for subscriber in created
        ),
        batch_size=2000,
    )
    return topic


def run(*, base_url: str, stdout) -> None:
    from aiosmtpd.controller import Controller

    # aiosmtpd logs every SMTP command at INFO: that alone would make the sink the bottleneck.
    logging.getLogger("mail.log").setLevel(logging.WARNING)

    stdout.write(f"Newsletter: {SUBSCRIBERS:,} subscribers, {WORKER_PROCESSES} worker processes")
    # The issue goes to a topic only bench subscribers have, so demo subscribers in the
    # same database receive nothing.
    topic = _prepare_subscribers()
    sink = CountingSink()
    smtp_port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    workdir = Path(tempfile.mkdtemp(prefix="center-bench-newsletter-"))
    log_path = workdir / "worker.log"
    worker = None
    issue = None
    try:
        with log_path.open("wb") as log:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "center",
                    "worker",
                    "-l",
                    "info",
                    "-c",
                    str(WORKER_PROCESSES),
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=settings.BASE_DIR,
                env=_worker_env(smtp_port, workdir),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while b" ready." not in log_path.read_bytes():
            if time.monotonic() > deadline or worker.poll() is not None:
                stdout.write("  the worker did not start:\n" + log_path.read_text()[-2000:])
                return
            time.sleep(0.2)

        issue = NewsletterIssue.objects.create(
            subject="ベンチマーク号",
            body="## 今月のお知らせ\n\n市民協働フェスを開催します。" * 5,
            status=NewsletterIssue.Status.SCHEDULED,
            scheduled_at=timezone.now(),
        )
        issue.topics.set([topic])
        sink.prefix = f"<newsletter.{issue.pk}.".encode()
        started = time.monotonic()
        with transaction.atomic():
            newsletter_issue_start(issue_id=issue.pk)
        while True:
            issue.refresh_from_db(fields=["status"])
            if issue.status == NewsletterIssue.Status.SENT:
                break
            if time.monotonic() - started > TIMEOUT_SECONDS:
                stdout.write("  timed out:\n" + log_path.read_text()[-2000:])
                return
            time.sleep(0.1)
        elapsed = max(sink.last_at, started + 0.001) - started
    finally:
        if worker is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        controller.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        if issue is not None:
            issue.delete()
        Subscriber.objects.filter(email__endswith=f"@{DOMAIN}").delete()
        topic.delete()

    expected = {f"reader{number:05d}@{DOMAIN}" for number in range(SUBSCRIBERS)}
    duplicates = sum(count - 1 for count in sink.copies.values() if count > 1)
    gaps = len(expected - set(sink.copies))
    strays = len(set(sink.copies) - expected)  # mail to anyone the issue was not meant for
    rate = SUBSCRIBERS / elapsed
    exact = not duplicates and not gaps and not strays
    verdict = "met" if rate >= TARGET_PER_SECOND and exact else "MISSED"
    stdout.write(
        f"  {rate:,.0f} messages/s, {elapsed:.1f} s in all; duplicates {duplicates}, "
        f"gaps {gaps}, strays {strays} (target ≥ {TARGET_PER_SECOND}/s, 0, 0, 0: {verdict})"
    )

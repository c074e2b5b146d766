"""A real Celery worker against Redis runs a task published by the web side."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from center.celery_app import app
from center.core.models import OutboxMessage
from center.core.services import outbox_enqueue
from tests.conftest import require_postgresql, require_redis

ROOT = Path(__file__).resolve().parents[2]
WORKER_DB = 13  # a Redis database of its own, flushed before and after


@pytest.fixture
def worker(request):
    require_postgresql()
    # Only now ask for a transactional database: the worker must see committed rows.
    # serialized_rollback (on the tests) puts the wards and roles back afterwards.
    request.getfixturevalue("transactional_db")
    base = require_redis().rsplit("/", 1)[0]
    broker = f"{base}/{WORKER_DB}"
    redis.Redis.from_url(broker).flushdb()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "center.settings.base",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": broker,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "center", "worker", "-P", "solo", "-l", "info"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.update(task_always_eager=False, broker_url=broker)
    app._pool = None
    app.__dict__.pop("amqp", None)
    try:
        yield redis.Redis.from_url(broker)
    finally:
        app.conf.update(saved)
        app._pool = None
        app.__dict__.pop("amqp", None)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        redis.Redis.from_url(broker).flushdb()
        print(output.decode(errors="replace")[-3000:])


def _wait_for(predicate, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_a_task_published_through_the_outbox(worker):
    message = outbox_enqueue("center.core.tasks.worker_heartbeat")
    # outbox_enqueue outside a transaction dispatches at once (autocommit).
    message.refresh_from_db()
    assert message.sent_at is not None

    def heartbeat_written():
        return any(b"worker:heartbeat" in key for key in worker.keys("*"))

    assert _wait_for(heartbeat_written), "the worker never ran the heartbeat task"


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_sweeps_messages_left_pending_while_the_broker_was_down(worker):
    from django.utils import timezone

    stale = OutboxMessage.objects.create(
        task_name="center.core.tasks.worker_heartbeat",
        created_at=timezone.now() - timezone.timedelta(minutes=10),
    )
    app.send_task("center.core.tasks.outbox_sweep")

    def swept():
        stale.refresh_from_db()
        return stale.sent_at is not None

    assert _wait_for(swept), "the sweeper did not re-send the pending message"

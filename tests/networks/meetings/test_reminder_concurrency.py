"""Two reminder beats running at the same moment (PostgreSQL): each meeting is claimed by
exactly one of them, so every ward staff member gets one reminder, never two."""

import threading

import pytest
from django.db import connection

from center.core.models import OutboxMessage
from networks import services_meetings as services
from tests.conftest import require_postgresql

from .helpers import make_meeting, make_ward_user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beats_at_once_never_remind_twice(monkeypatch):
    require_postgresql()
    from center.accounts.roles import sync_role_permissions

    sync_role_permissions()  # an earlier transactional test may have flushed the groups
    make_ward_user("tsurumi", totp=False)
    make_ward_user("naka", totp=False)
    meetings = [make_meeting(days=1, title=f"会議{index}") for index in range(5)]
    # Keep the outbox rows pending (no broker round trip): we count what was queued.
    monkeypatch.setattr("center.core.services.outbox_dispatch", lambda **kwargs: True)
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def beat() -> None:
        try:
            barrier.wait()
            counts.append(services.meeting_reminders_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == len(meetings)
    queued = [
        tuple(message.args)
        for message in OutboxMessage.objects.filter(
            task_name="networks.tasks_meetings.send_reminder"
        )
    ]
    assert len(queued) == len(set(queued)) == len(meetings) * 2

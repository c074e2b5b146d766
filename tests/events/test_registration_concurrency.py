"""50 people ask for the last 10 seats at the same moment: exactly 10 are confirmed and 40
waitlisted, nobody lost, no seat sold twice. PostgreSQL only (SQLite has no row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from events import services
from events.models import Registration
from tests.conftest import require_postgresql
from tests.events.registration_helpers import make_event, register

PARALLEL = 50


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_parallel_registrations_for_the_last_ten_seats():
    require_postgresql()
    event = make_event(capacity=30, max_party_size=4)
    # 20 of the 30 seats are taken already.
    earlier = [register(event, 1000 + index, party_size=4).pk for index in range(5)]
    barrier = threading.Barrier(PARALLEL)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            registration = register(event, index)
            outcome = registration.status
        except ValidationError as exc:
            outcome = f"refused: {exc.messages}"
        except Exception as exc:  # anything else is a bug the assertion below shows
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["confirmed"] * 10 + ["waitlisted"] * 40
    latest = event.registrations.exclude(pk__in=earlier)
    assert latest.filter(status=Registration.Status.CONFIRMED).count() == 10
    assert latest.filter(status=Registration.Status.WAITLISTED).count() == 40
    assert services.event_seats_taken(event) == 30


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_cancellations_promote_each_waiting_person_once():
    require_postgresql()
    event = make_event(capacity=10)
    confirmed = [register(event, index) for index in range(10)]
    waiting = [register(event, 100 + index) for index in range(10)]
    barrier = threading.Barrier(10)
    errors: list[str] = []

    def cancel(registration: Registration) -> None:
        try:
            barrier.wait()
            services.registration_cancel(registration=registration)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in confirmed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert services.event_seats_taken(event) == 10
    promoted = Registration.objects.filter(pk__in=[r.pk for r in waiting])
    assert set(promoted.values_list("status", flat=True)) == {Registration.Status.CONFIRMED}

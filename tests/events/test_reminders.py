"""Reminders: once per confirmed registration, within each event's own hours-before, never
for cancelled registrations or events. Time travel is done by passing `now`."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import translation

from center.core.models import OutboxMessage
from events import services
from events.models import Event, Registration
from events.tasks import send_reminder, send_reminders
from tests.conftest import require_postgresql
from tests.events.registration_helpers import make_event, register

HOUR = datetime.timedelta(hours=1)


def reminders_queued() -> list[int]:
    return [
        message.args[0]
        for message in OutboxMessage.objects.filter(task_name="events.tasks.send_reminder")
    ]


@pytest.mark.django_db
def test_reminders_go_once_to_confirmed_registrations_within_the_hours_before(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(starts_in=datetime.timedelta(days=3), reminder_hours_before=24, capacity=1)
    confirmed = register(event, 1)
    register(event, 2)  # waitlisted: no reminder
    now = event.starts_at - 25 * HOUR

    assert services.registration_reminders_send(now=now) == 0  # not yet due
    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_reminders_send(now=now + 2 * HOUR) == 1
    assert services.registration_reminders_send(now=now + 3 * HOUR) == 0
    assert services.registration_reminders_send(now=now + 4 * HOUR) == 0

    assert reminders_queued() == [confirmed.pk]
    [mail] = mailoutbox
    assert mail.to == ["hanako1@example.com"]
    assert event.title in mail.subject
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at == now + 2 * HOUR


@pytest.mark.django_db
def test_each_event_uses_its_own_hours_before():
    three_days = make_event(starts_in=datetime.timedelta(hours=100), reminder_hours_before=72)
    one_day = make_event(starts_in=datetime.timedelta(hours=100), reminder_hours_before=24)
    never = make_event(starts_in=datetime.timedelta(hours=100), reminder_hours_before=0)
    early = register(three_days, 1)
    late = register(one_day, 2)
    register(never, 3)

    sixty_hours_before = three_days.starts_at - 60 * HOUR
    assert services.registration_reminders_send(now=sixty_hours_before) == 1
    assert reminders_queued() == [early.pk]
    assert services.registration_reminders_send(now=one_day.starts_at - 23 * HOUR) == 1
    assert reminders_queued() == [early.pk, late.pk]
    assert services.registration_reminders_send(now=never.starts_at - HOUR) == 0


@pytest.mark.django_db
def test_no_reminder_for_cancelled_registrations_or_events_or_past_events(center_staff):
    kept = make_event(starts_in=datetime.timedelta(hours=30))
    cancelled_registration = register(kept, 1)
    left = register(kept, 2)
    services.registration_cancel(registration=cancelled_registration)
    Registration.objects.filter(pk=left.pk).update(status=Registration.Status.LEFT_WAITLIST)

    cancelled_event = make_event(starts_in=datetime.timedelta(hours=30))
    register(cancelled_event, 3)
    Event.objects.filter(pk=cancelled_event.pk).update(status=Event.Status.CANCELLED)

    draft = make_event(starts_in=datetime.timedelta(hours=30))
    register(draft, 4)
    Event.objects.filter(pk=draft.pk).update(status=Event.Status.DRAFT)

    started = make_event(starts_in=datetime.timedelta(hours=30))
    register(started, 5)

    now = kept.starts_at - 10 * HOUR
    assert services.registration_reminders_send(now=started.starts_at + HOUR) == 0
    assert services.registration_reminders_send(now=now) == 1  # only `started`, before it starts
    assert Registration.objects.get(event=started).reminder_sent_at == now
    assert len(reminders_queued()) == 1


@pytest.mark.django_db
def test_no_reminder_without_an_email_address():
    event = make_event(starts_in=datetime.timedelta(hours=10))
    services.registration_create(event=event, family_name="佐藤", channel="phone")
    assert services.registration_reminders_send() == 0


@pytest.mark.django_db
def test_a_reminder_task_for_a_registration_cancelled_meanwhile_sends_nothing(mailoutbox):
    event = make_event(starts_in=datetime.timedelta(hours=30))
    registration = register(event)
    services.registration_reminders_send(now=event.starts_at - 10 * HOUR)
    services.registration_cancel(registration=registration)
    mailoutbox.clear()
    send_reminder(registration.pk)
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_reminder_task_for_a_cancelled_event_sends_nothing(mailoutbox):
    event = make_event(starts_in=datetime.timedelta(hours=30))
    registration = register(event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    send_reminder(registration.pk)
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_reminder_is_in_the_registrants_language_with_the_online_link(mailoutbox):
    event = make_event(
        starts_in=datetime.timedelta(hours=30), online_url="https://meet.example.com/x"
    )
    registration = register(event)
    Registration.objects.filter(pk=registration.pk).update(language="en")
    with translation.override("ja"):
        send_reminder(registration.pk)
    [mail] = mailoutbox
    assert mail.subject.startswith("Reminder:")
    assert "/en/events/registration/" in mail.body
    assert "https://meet.example.com/x" in mail.body


@pytest.mark.django_db
def test_the_beat_task_runs_the_service():
    event = make_event(starts_in=datetime.timedelta(hours=3))
    registration = register(event)
    # Registered inside the window: the confirmation counted as the reminder already.
    assert registration.reminder_sent_at is not None
    Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)
    assert send_reminders() == 1
    assert send_reminders() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beats_at_once_never_queue_a_reminder_twice():
    require_postgresql()
    event = make_event(starts_in=datetime.timedelta(hours=30), capacity=None)
    for index in range(40):
        register(event, index)
    now = event.starts_at - 10 * HOUR
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def beat() -> None:
        try:
            barrier.wait()
            counts.append(services.registration_reminders_send(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == 40
    queued = reminders_queued()
    assert len(queued) == len(set(queued)) == 40

"""Builders shared by the registration, reminder and check-in tests."""

import datetime

from django.utils import timezone

from events import services
from events.models import Event, EventSession, Program, Question, Registration


def any_program() -> Program:
    """The first program; the catalogue is loaded again when an earlier transactional test
    flushed the database (its rows come from a data migration)."""
    program = Program.objects.order_by("pk").first()
    if program is None:
        import importlib

        from django.apps import apps

        catalogue = importlib.import_module("events.migrations.0002_programs_catalogue")
        catalogue.load(apps, None)
        program = Program.objects.order_by("pk").first()
    return program


def make_event(
    *,
    capacity: int | None = 20,
    waitlist: bool = True,
    starts_in: datetime.timedelta = datetime.timedelta(days=10),
    hours: int = 2,
    status: str = Event.Status.PUBLISHED,
    max_party_size: int = 4,
    reminder_hours_before: int = 24,
    title: str = "NPO入門セミナー",
    **extra,
) -> Event:
    starts = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    event = Event.objects.create(
        program=any_program(),
        title=title,
        description="NPOの基礎を学ぶ入門講座です。",
        status=status,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        capacity=capacity,
        waitlist_enabled=waitlist,
        max_party_size=max_party_size,
        reminder_hours_before=reminder_hours_before,
        **extra,
    )
    EventSession.objects.create(event=event, starts_at=event.starts_at, ends_at=event.ends_at)
    return event


def add_question(event: Event, label: str, kind=Question.Kind.TEXT, choices="", required=False):
    return Question.objects.create(
        event=event, label=label, kind=kind, choices=choices, required=required
    )


def person(index: int = 0, **overrides) -> dict:
    fields = {
        "family_name": "山田",
        "given_name": f"花子{index}",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ",
        "email": f"hanako{index}@example.com",
        "phone": "045-000-0000",
        "organization": "NPO法人みなとの森",
    }
    fields.update(overrides)
    return fields


def register(event: Event, index: int = 0, **overrides) -> Registration:
    return services.registration_create(event=event, **person(index, **overrides))

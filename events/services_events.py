"""Writes of events: save (with the dates kept equal to the sessions'), publish, cancel.

Every change drops the cached public pages once it is committed: invalidating earlier
would let a visitor re-cache the old page from the not yet committed state.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from center.core.cache import public_cache_invalidate

from .models import Event, Program

__all__ = [
    "event_cancel",
    "event_delete_many",
    "event_publish",
    "event_save",
    "event_sync_dates",
    "program_save",
]


def event_sync_dates(*, event: Event) -> Event:
    """Set the event's start and end to its first session's start and last session's end.

    An event without sessions keeps the dates it has (the admin's own fields): a one-day
    event may be entered with its dates only. Saves only when something changed."""
    bounds = event.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    if bounds["first"] is None:
        return event
    if (event.starts_at, event.ends_at) != (bounds["first"], bounds["last"]):
        event.starts_at, event.ends_at = bounds["first"], bounds["last"]
        Event.objects.filter(pk=event.pk).update(starts_at=event.starts_at, ends_at=event.ends_at)
    return event


@transaction.atomic
def event_save(*, event: Event, actor=None) -> Event:
    """Validate and save a new or changed event, then align its dates with its sessions.

    Call it again (or `event_sync_dates`) after the sessions change; the admin does so once
    its inlines are saved. Raises ValidationError for an event the model refuses or one
    that ends before it starts."""
    if event.pk is None and event.created_by_id is None and getattr(actor, "pk", None):
        event.created_by = actor
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        raise ValidationError({"ends_at": _("An event cannot end before it starts.")})
    event.full_clean()
    event.save()
    event_sync_dates(event=event)
    transaction.on_commit(public_cache_invalidate)
    return event


@transaction.atomic
def event_publish(*, event: Event) -> Event:
    """Put a draft (or a cancelled event that goes ahead after all) on the site."""
    if event.status != Event.Status.PUBLISHED:
        event.status = Event.Status.PUBLISHED
        event.full_clean()
        event.save(update_fields=["status", "updated_at"])
        transaction.on_commit(public_cache_invalidate)
    return event


@transaction.atomic
def event_cancel(*, event: Event) -> Event:
    """Mark an event cancelled. It stays on the site, marked, so that people who planned to
    come see it; registration closes (Event.registration_is_open). Telling registrants is
    the registration services' job."""
    if event.status == Event.Status.DRAFT:
        raise ValidationError(_("A draft cannot be cancelled: delete it or publish it first."))
    if event.status != Event.Status.CANCELLED:
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status", "updated_at"])
        transaction.on_commit(public_cache_invalidate)
    return event


@transaction.atomic
def program_save(*, program: Program) -> Program:
    """Validate and save a program; its names and description show on the public pages."""
    program.full_clean()
    program.save()
    transaction.on_commit(public_cache_invalidate)
    return program


@transaction.atomic
def event_delete_many(*, events) -> int:
    """Delete events (the admin's delete and bulk delete). An event with registrations is
    protected by the database (on_delete=PROTECT): cancel it instead. Returns how many
    rows went, sessions, speakers and questions included."""
    deleted, _per_model = events.delete()
    transaction.on_commit(public_cache_invalidate)
    return deleted

"""What the lab's signage screen (`/signage/`) shows, from apps the base layer may not import.

Apps register a source from their AppConfig.ready() (organizations: today's space bookings;
events: upcoming events). Each source returns public, impersonal items only: a title, a
place and times, never a person's name or contact.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class SignageItem:
    starts_at: datetime
    ends_at: datetime | None
    title: str
    place: str = ""
    note: str = ""


@dataclass(frozen=True)
class SignageSource:
    kind: str  # "bookings", "events"...
    label: str  # lazily translated heading of the section
    order: int  # sections are shown in this order
    items: Callable[[date], list[SignageItem]]  # given today's local date


_SOURCES: dict[str, SignageSource] = {}


def register_signage_source(source: SignageSource) -> None:
    """Add (or replace, on a second ready()) the source of one section of the screen."""
    _SOURCES[source.kind] = source


def signage_sources() -> list[SignageSource]:
    return sorted(_SOURCES.values(), key=lambda source: source.order)

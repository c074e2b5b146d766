"""Lists one app shows of another app it may not import (ARCHITECTURE.md).

The owning app registers a provider from its AppConfig.ready(); the showing app asks for the
items by kind. Known kinds:

- "events_with_ward_staff_seats": the center's upcoming events that offer seats to ward-center
  staff (seeds: 区センター職員が参加する場), registered by events, shown in the network area.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ListingItem:
    title: str
    url: str
    starts_at: datetime
    place: str = ""
    note: str = ""


_PROVIDERS: dict[str, Callable[[], list[ListingItem]]] = {}


def register_listing(kind: str, provider: Callable[[], list[ListingItem]]) -> None:
    _PROVIDERS[kind] = provider


def listing_items(kind: str) -> list[ListingItem]:
    """The items of one kind, or none when no installed app provides it."""
    provider = _PROVIDERS.get(kind)
    return provider() if provider else []

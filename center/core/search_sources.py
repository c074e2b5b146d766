"""Searchable content from apps the site search may not import.

The site search lives in `publications` (news, stories, talent, site pages), and
publications may not import events or organizations (ARCHITECTURE.md). Those apps register
a source here from their AppConfig.ready(); the search asks every registered source for
its public candidates and ranks them with its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SearchCandidate:
    """One public thing to search: its page is reverse(url_name, kwargs={"pk": pk})."""

    url_name: str
    pk: int
    title: str
    date: datetime | None
    summary: str = ""
    body: str = ""


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str  # lazily translated, shown with each result
    candidates: Callable[[datetime], list[SearchCandidate]]


_SOURCES: dict[str, SearchSource] = {}


def register_search_source(source: SearchSource) -> None:
    """Add (or replace, on a second ready()) the source of one kind of content."""
    _SOURCES[source.kind] = source


def search_sources() -> list[SearchSource]:
    return list(_SOURCES.values())

"""Published events as a site-search source (registered in EventsConfig.ready)."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from center.core.search_sources import SearchCandidate, SearchSource

from .models import Event


def event_search_candidates(now: datetime) -> list[SearchCandidate]:
    """Every public event (past ones too: their reports are worth finding), newest first."""
    rows = (
        Event.objects.published()
        .order_by("-starts_at", "-pk")
        .values_list("pk", "title", "starts_at", "summary", "description", "program__name")
    )
    return [
        SearchCandidate(
            url_name="events:detail",
            pk=pk,
            title=title,
            date=starts_at,
            summary=f"{summary} {program_name}".strip(),
            body=description,
        )
        for pk, title, starts_at, summary, description, program_name in rows
    ]


EVENT_SEARCH_SOURCE = SearchSource(
    kind="event", label=_("Events and seminars"), candidates=event_search_candidates
)

"""The lab's signage screen (`/signage/`): today's bookings and upcoming events, full screen.

The screen is a browser left open in 協働ラボ: it reloads itself through the HTTP `Refresh`
header (the CSP allows no inline script). Not a <meta http-equiv="refresh">: axe-core
refuses that as a WCAG 2.2.1 failure, since a person reading the page cannot stop it; the
header reloads the same way, and the page links to `?refresh=off`, a copy that stays still
(the "turn off" that 2.2.1 asks for). The page is cached for a shorter time than the
refresh interval, so a change shows within about two reloads. Sections come from the registry in
center/core/signage.py; a failing source leaves its section empty instead of blanking the
screen.
"""

import logging

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .cache import public_cache
from .signage import signage_sources

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 120
CACHE_SECONDS = 60
STILL_QUERY = "refresh=off"


def _known_query(request) -> bool:
    # Only the two addresses the page links to are cached; junk query strings are not.
    return request.META.get("QUERY_STRING", "") in ("", STILL_QUERY)


@require_GET
@public_cache(timeout=CACHE_SECONDS, when=_known_query)
def signage(request):
    refreshing = request.GET.get("refresh") != "off"
    now = timezone.localtime()
    today = now.date()
    sections = []
    for source in signage_sources():
        try:
            items = list(source.items(today))
        except Exception:
            logger.exception("Signage source %s failed", source.kind)
            items = []
        sections.append(
            {
                "kind": source.kind,
                "label": source.label,
                "items": [
                    {"item": item, "is_today": timezone.localtime(item.starts_at).date() == today}
                    for item in items
                ],
            }
        )
    response = render(
        request,
        "core/signage.html",
        {
            "now": now,
            "sections": sections,
            "refreshing": refreshing,
            "refresh_minutes": REFRESH_SECONDS // 60,
        },
    )
    if refreshing:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response

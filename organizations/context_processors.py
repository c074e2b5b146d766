"""The site banner of emergency closures of the center or a space.

Lazy: the query runs only when a template shows the banner (base.html), so the admin and
mails pay nothing. Pages cached for anonymous visitors carry the banner; creating a closure
empties the page cache, and a cached page lives PUBLIC_PAGE_CACHE_SECONDS at most, so the
banner goes within that time after the day has passed.
"""

import logging

from django.utils.functional import SimpleLazyObject

logger = logging.getLogger(__name__)


def _closures() -> list:
    from .selectors_booking import emergency_closures_ahead

    try:
        return emergency_closures_ahead()
    except Exception:
        # Error pages render base.html too, also when the database is the problem: a
        # banner must never turn a 404 or 500 page into another error.
        logger.warning("Closure banner left out: closures could not be read", exc_info=True)
        return []


def closure_banner(request) -> dict:
    return {"emergency_closures": SimpleLazyObject(_closures)}

"""The site banner of emergency closures of the center or a space.

Lazy: the query runs only when a template shows the banner (base.html), so the admin and
mails pay nothing. Pages cached for anonymous visitors carry the banner; creating a closure
empties the page cache, and a cached page lives PUBLIC_PAGE_CACHE_SECONDS at most, so the
banner goes within that time after the day has passed.
"""

from django.utils.functional import SimpleLazyObject


def closure_banner(request) -> dict:
    from .selectors_booking import emergency_closures_ahead

    return {"emergency_closures": SimpleLazyObject(emergency_closures_ahead)}

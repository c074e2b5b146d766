"""Page cache for anonymous visitors.

Only opt-in views are cached, only for GET/HEAD by visitors with no session or pending
messages, and only responses that set no cookie and carry no CSRF token or CSP nonce.
The key holds the language and the full path; `public_cache_invalidate()` drops every
cached page at once by bumping a generation number, so services call it after any change
to public content.

Two tiers: the shared cache (Redis in production) and a small copy in each process. Each
process re-reads the generation from the shared cache at most every
PUBLIC_PAGE_GENERATION_CHECK_SECONDS, so a hit usually costs no network round trip; a
change made through another process shows within that many seconds, a change made in this
process at once.
"""

import hashlib
import logging
import threading
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-pages:generation"
MAX_CACHED_QUERY_LENGTH = 200
_PRIVATE_COOKIES = ("sessionid", "messages")

_local_pages = LocMemCache("public-pages", {"OPTIONS": {"MAX_ENTRIES": 500}})
_generation_memo = threading.local()
# A process's own copy never outlives this, whatever the shared entry's lifetime.
LOCAL_SECONDS = 60


def _local_tier_enabled() -> bool:
    # Without a generation memo every request asks the shared cache, and a process-local
    # copy could outlive a cleared shared cache; so the two go together.
    return settings.PUBLIC_PAGE_GENERATION_CHECK_SECONDS > 0


def public_cache_clear() -> None:
    """Forget every cached page in this process and the shared cache (tests, deploys)."""
    public_cache_invalidate()


def public_cache_invalidate() -> None:
    """Drop every cached page. Never raises: a content change must not fail because Redis is
    down (its pages are unreachable then anyway, and expire within the cache lifetime)."""
    _generation_memo.checked_at = None
    _local_pages.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation stored yet
        try:
            cache.set(GENERATION_KEY, _fresh_generation(), None)
        except Exception:
            logger.warning("Page cache unavailable; invalidation not recorded")
    except Exception:
        logger.warning("Page cache unavailable; invalidation not recorded")


def _fresh_generation() -> int:
    # Not 1: after the shared cache is emptied (a Redis restart), a restarted count could
    # meet a number that process copies still hold pages under.
    return time.time_ns() // 1000


def _shared_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), None)
        generation = cache.get(GENERATION_KEY) or _fresh_generation()
    return generation


def _generation() -> int:
    now = time.monotonic()
    checked_at = getattr(_generation_memo, "checked_at", None)
    if checked_at is None or now - checked_at >= settings.PUBLIC_PAGE_GENERATION_CHECK_SECONDS:
        _generation_memo.value = _shared_generation()
        _generation_memo.checked_at = now
    return _generation_memo.value


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # Junk query strings would each take a cache entry: real filter links are short.
    if len(request.META.get("QUERY_STRING", "")) > MAX_CACHED_QUERY_LENGTH:
        return False
    if any(name in request.COOKIES for name in _PRIVATE_COOKIES):
        return False
    return not request.user.is_authenticated


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A page that used its CSP nonce would carry a stale nonce when replayed.
        and getattr(request, "_csp_nonce", None) is None
        and not response.has_header("Set-Cookie")
        and not getattr(response, "streaming", False)
    )


def without_query(request) -> bool:
    """A `when` for public_cache: only the bare address, never one with a query string."""
    return not request.META.get("QUERY_STRING")


def public_cache(view=None, *, timeout: int | None = None, when=None):
    """Cache a public view's response for anonymous visitors (see module docstring).

    `when(request) -> bool` narrows it further, e.g. to the query strings the page's own
    links produce, so junk parameters cannot fill the cache."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request) or (when is not None and not when(request)):
                return view_func(request, *args, **kwargs)
            # Hashed: keys stay short whatever the URL (memcached refuses keys over 250 bytes).
            path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
            seconds = timeout if timeout is not None else settings.PUBLIC_PAGE_CACHE_SECONDS
            local = _local_tier_enabled()
            try:
                key = f"public-pages:{_generation()}:{get_language()}:{path_hash}"
                cached = _local_pages.get(key) if local else None
                if cached is None:
                    cached = cache.get(key)
                    if cached is not None and local:
                        _local_pages.set(key, cached, min(seconds, LOCAL_SECONDS))
            except Exception:
                # The cache is an optimisation: with Redis down the page is simply rendered.
                logger.warning("Page cache unavailable; serving %s uncached", request.path)
                return view_func(request, *args, **kwargs)
            if cached is not None:
                return cached
            response = view_func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if _cacheable_response(request, response):
                patch_cache_control(response, public=True, max_age=60)
                try:
                    cache.set(key, response, seconds)
                except Exception:
                    logger.warning("Page cache unavailable; %s not stored", request.path)
                if local:
                    _local_pages.set(key, response, min(seconds, LOCAL_SECONDS))
            return response

        return wrapper

    return decorator(view) if view is not None else decorator

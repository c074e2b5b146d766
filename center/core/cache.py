"""Page cache for anonymous visitors.

Only opt-in views are cached, only for GET/HEAD by visitors with no session or pending
messages, and only responses that set no cookie and carry no CSRF token or CSP nonce.
The key holds the language and the full path; `public_cache_invalidate()` drops every
cached page at once by bumping a generation number, so services call it after any change
to public content.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"
_PRIVATE_COOKIES = ("sessionid", "messages")


def public_cache_invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation stored yet
        cache.set(GENERATION_KEY, 1, None)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
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


def public_cache(view=None, *, timeout: int | None = None):
    """Cache a public view's response for anonymous visitors (see module docstring)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view_func(request, *args, **kwargs)
            key = f"public-pages:{_generation()}:{get_language()}:{request.get_full_path()}"
            cached = cache.get(key)
            if cached is not None:
                return cached
            response = view_func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if _cacheable_response(request, response):
                patch_cache_control(response, public=True, max_age=60)
                cache.set(
                    key,
                    response,
                    timeout if timeout is not None else settings.PUBLIC_PAGE_CACHE_SECONDS,
                )
            return response

        return wrapper

    return decorator(view) if view is not None else decorator

"""Anonymous visitors get cached pages; nobody else ever does."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import translation

from center.core.cache import public_cache, public_cache_invalidate

rf = RequestFactory()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def counting_view(uses_csrf=False):
    calls = []

    @public_cache
    def view(request):
        calls.append(translation.get_language())
        if uses_csrf:
            get_token(request)
        return HttpResponse(f"render #{len(calls)} in {translation.get_language()}")

    return view, calls


def anonymous_get(path="/", **cookies):
    request = rf.get(path)
    request.user = AnonymousUser()
    request.COOKIES.update(cookies)
    return request


def test_second_anonymous_visit_is_served_from_the_cache():
    view, calls = counting_view()
    first = view(anonymous_get()).content
    second = view(anonymous_get()).content
    assert first == second
    assert len(calls) == 1


def test_each_language_and_query_has_its_own_entry():
    view, calls = counting_view()
    with translation.override("ja"):
        ja = view(anonymous_get()).content
    with translation.override("en"):
        en = view(anonymous_get()).content
    view(anonymous_get("/?page=2"))
    assert b"in ja" in ja and b"in en" in en
    assert len(calls) == 3


def test_invalidation_drops_every_cached_page():
    view, calls = counting_view()
    view(anonymous_get())
    public_cache_invalidate()
    view(anonymous_get())
    assert len(calls) == 2


def test_signed_in_users_are_never_served_or_stored(outsider):
    view, calls = counting_view()
    request = rf.get("/")
    request.user = outsider
    view(request)
    view(request)
    view(anonymous_get())
    assert len(calls) == 3


def test_pages_with_a_csrf_token_are_not_stored():
    view, calls = counting_view(uses_csrf=True)
    view(anonymous_get())
    view(anonymous_get())
    assert len(calls) == 2


def test_pages_that_used_a_csp_nonce_are_not_stored():
    calls = []

    @public_cache
    def view(request):
        calls.append(1)
        request._csp_nonce = "abc123"
        return HttpResponse('<script nonce="abc123"></script>')

    view(anonymous_get())
    view(anonymous_get())
    assert len(calls) == 2


def test_visitors_with_a_session_or_pending_messages_bypass_the_cache():
    view, calls = counting_view()
    view(anonymous_get())
    view(anonymous_get(sessionid="abc"))
    view(anonymous_get(messages="pending"))
    assert len(calls) == 3


def test_posts_are_never_cached():
    view, calls = counting_view()
    request = rf.post("/")
    request.user = AnonymousUser()
    view(request)
    view(request)
    assert len(calls) == 2


def test_home_page_through_the_full_stack_is_cached_for_anonymous(client, db, settings):
    first = client.get("/")
    assert first.status_code == 200
    assert "public" in first.get("Cache-Control", "")
    assert not first.cookies


def test_with_process_copies_a_change_in_this_process_shows_at_once(settings):
    settings.PUBLIC_PAGE_GENERATION_CHECK_SECONDS = 60
    from center.core.cache import public_cache_clear

    public_cache_clear()
    view, calls = counting_view()
    view(anonymous_get())
    cache.clear()  # the shared copy is gone: the process copy answers
    view(anonymous_get())
    assert len(calls) == 1
    public_cache_invalidate()
    view(anonymous_get())
    assert len(calls) == 2
    public_cache_clear()


def test_another_process_sees_an_invalidation_after_the_check_interval(settings, monkeypatch):
    settings.PUBLIC_PAGE_GENERATION_CHECK_SECONDS = 2
    from center.core import cache as page_cache

    page_cache.public_cache_clear()
    view, calls = counting_view()
    view(anonymous_get())
    # Another process bumps the shared generation; this one notices at its next check.
    cache.incr(page_cache.GENERATION_KEY)
    view(anonymous_get())
    assert len(calls) == 1
    later = page_cache.time.monotonic() + 3
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    view(anonymous_get())
    assert len(calls) == 2
    page_cache.public_cache_clear()


def test_long_query_strings_are_served_but_never_stored():
    view, calls = counting_view()
    path = "/?q=" + "x" * 300
    view(anonymous_get(path))
    view(anonymous_get(path))
    assert len(calls) == 2


REDIS_DOWN = {
    "default": {
        "BACKEND": "center.lib.redis_cache.ReusingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_public_pages_are_served_when_the_shared_cache_is_down(client, db, settings):
    settings.CACHES = REDIS_DOWN
    for path in ["/", "/en/", "/about/"]:
        assert client.get(path).status_code == 200, path


def test_a_content_change_does_not_fail_when_the_shared_cache_is_down(settings):
    settings.CACHES = REDIS_DOWN
    public_cache_invalidate()  # logged, never raised

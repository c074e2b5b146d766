"""The lab's signage screen: today's items from the registered sources, large and public,
refreshing itself, with no personal data."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from center.core.signage import (
    _SOURCES,
    SignageItem,
    SignageSource,
    register_signage_source,
)
from events.models import Event, Speaker
from tests.events.test_public_pages import add_registrations, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache_and_sources():
    cache.clear()
    saved = dict(_SOURCES)
    yield
    _SOURCES.clear()
    _SOURCES.update(saved)
    cache.clear()


def _today_at(hour: int) -> datetime.datetime:
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def bookings_source():
    def items(today):
        assert today == timezone.localdate()
        return [
            SignageItem(
                starts_at=_today_at(13),
                ends_at=_today_at(17),
                title="子ども食堂 打合せ",
                place="ミーティングスペース",
            )
        ]

    register_signage_source(
        SignageSource(kind="test_bookings", label="Bookings", order=5, items=items)
    )


def test_signage_shows_today_s_items_from_a_registered_source(client, bookings_source):
    response = client.get("/signage/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "子ども食堂 打合せ" in content
    assert "ミーティングスペース" in content
    assert "13:00" in content and "17:00" in content
    assert 'id="signage-test_bookings"' in content
    assert timezone.localdate().strftime("%Y-%m-%d") in content  # the <time datetime>


def test_signage_refreshes_itself_and_has_no_site_chrome(client):
    response = client.get("/signage/")
    content = response.content.decode()
    assert response["Refresh"] == "120"
    # No <meta> refresh (axe: WCAG 2.2.1) and no script (the CSP allows none inline).
    assert 'http-equiv="refresh"' not in content
    assert "<script" not in content
    assert 'class="site-header' not in content
    assert '<html lang="ja">' in content
    assert 'href="?refresh=off"' in content


def test_the_refresh_can_be_turned_off(client):
    response = client.get("/signage/", {"refresh": "off"})
    assert response.status_code == 200
    assert not response.has_header("Refresh")
    assert 'href="/signage/"' in response.content.decode()


def test_signage_works_in_english(client):
    response = client.get("/en/signage/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in content
    assert "Today at the Collaboration Lab" in content
    assert "Upcoming events" in content


def test_the_events_section_shows_upcoming_events_without_personal_data(client):
    soon = make_event("市民活動基礎セミナー", days=1)
    Speaker.objects.create(event=soon, name="森田 浩", affiliation="税理士", profile="NPO会計")
    add_registrations(soon, 2)
    cancelled = make_event("中止になった講座", days=2, status=Event.Status.CANCELLED)
    make_event("下書きの講座", days=1, status=Event.Status.DRAFT)
    make_event("ずっと先の講座", days=40)
    make_event("終わった講座", days=-3)
    content = client.get("/en/signage/").content.decode()
    assert "市民活動基礎セミナー" in content
    assert cancelled.title in content and "Cancelled" in content
    for absent in ("下書きの講座", "ずっと先の講座", "終わった講座"):
        assert absent not in content
    # Speakers and participants never reach the screen.
    for personal in ("森田 浩", "山田", "花子", "@example.com"):
        assert personal not in content


def test_a_failing_source_leaves_its_section_empty_not_the_screen(client, bookings_source):
    def broken(today):
        raise RuntimeError("database hiccup")

    register_signage_source(SignageSource(kind="broken", label="Broken", order=1, items=broken))
    response = client.get("/signage/")
    assert response.status_code == 200
    assert "子ども食堂 打合せ" in response.content.decode()


def test_signage_is_cached_briefly_for_anonymous_visitors(client, settings):
    items = []
    register_signage_source(
        SignageSource(kind="live", label="Live", order=1, items=lambda today: list(items))
    )
    client.get("/signage/")
    items.append(SignageItem(starts_at=_today_at(10), ends_at=None, title="新しい予約"))
    assert "新しい予約" not in client.get("/signage/").content.decode()
    # The cache lasts less than the refresh interval: a new generation shows the change.
    from center.core.cache import public_cache_invalidate
    from center.core.views_signage import CACHE_SECONDS, REFRESH_SECONDS

    assert CACHE_SECONDS < REFRESH_SECONDS
    public_cache_invalidate()
    assert "新しい予約" in client.get("/signage/").content.decode()

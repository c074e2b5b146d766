"""Event pages with content, in both languages: the list with its filter form, the month
calendar, an upcoming course's page (sessions, speakers, seats, the registration button)
and a past event with its report pass axe-core's WCAG 2.1 A/AA rules and have the page
structure every public page has."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.models import Speaker, Venue
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.events.test_public_pages import add_registrations, make_event


@pytest.fixture
def events():
    cache.clear()  # pages cached by an earlier test show rows that are gone
    course = make_event(
        "市民活動基礎セミナー（全3回）",
        program="basics",
        days=5,
        sessions=3,
        capacity=30,
        fee_note="無料",
        audience="NPOの運営に関わる方",
        accessibility_info="会場はバリアフリーです。",
    )
    Speaker.objects.create(event=course, name="森田 浩", affiliation="税理士", profile="NPO会計")
    full = make_event("対話&創造ラボ 第4回", program="dialogue-lab", days=3, capacity=2)
    add_registrations(full, 2)
    make_event("NPO入門セミナー（オンライン）", days=8, venue=Venue.ONLINE)
    past = make_event(
        "ミズベサロン「川辺のまち」",
        program="mizube-salon",
        days=-20,
        report="22名が参加しました。\n次回もお楽しみに。",
    )
    yield course, past
    cache.clear()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_event_pages_are_accessible(page, live_server, events, language):
    course, past = events
    prefix = "" if language == "ja" else "/en"
    month = timezone.localtime(course.starts_at).strftime("%Y-%m")
    problems = []
    for path in (
        "/events/",
        "/events/?business=activity_support&open=1",
        "/events/?period=past",
        f"/events/calendar/?month={month}",
        f"/events/{course.pk}/",
        f"/events/{past.pk}/",
    ):
        page.goto(f"{live_server.url}{prefix}{path}")
        problems += [f"{path}: {problem}" for problem in _check_structure(page, language)]
        problems += axe_violations(page)
    assert problems == [], "\n".join(problems)

"""The spaces in a browser: the list, a space's week and month calendars (also with a bad
month), the request form (empty and with errors), "my bookings", the cancel page and the
emergency-closure banner pass axe-core's WCAG 2.1 A/AA rules in Japanese and English."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from organizations.models import Closure
from organizations.services_booking import booking_cancel_token, booking_create
from tests.browser.conftest import screenshot_path, sign_in
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.organizations.spaces.test_services import make_group, make_space, make_user


@pytest.fixture
def booked():
    cache.clear()
    member = make_user("booker@example.org")
    group = make_group(member)
    lab = make_space()
    make_space("space-a", name="スペースA", name_en="Space A", requires_approval=True)
    today = timezone.localdate()
    booking = booking_create(
        space=lab,
        group=group,
        user=member,
        date=today + datetime.timedelta(days=2),
        block="afternoon",
        purpose="定例会",
        public_title="川の清掃 打ち合わせ",
    )
    Closure.objects.create(
        date=today + datetime.timedelta(days=3), kind=Closure.Kind.EMERGENCY, reason="台風の接近"
    )
    yield {"member": member, "lab": lab, "booking": booking, "today": today}
    cache.clear()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_space_pages_are_accessible(page, live_server, booked, language):
    prefix = "" if language == "ja" else "/en"
    base = live_server.url
    week = booked["today"].isoformat()
    month = f"{booked['today']:%Y-%m}"
    problems = []
    for path in (
        "/spaces/",
        "/spaces/lab-meeting/",
        f"/spaces/lab-meeting/?week={week}",
        f"/spaces/lab-meeting/?month={month}",
        "/spaces/lab-meeting/?month=2026-13",  # the error summary
        f"/spaces/cancel/{booking_cancel_token(booked['booking'])}/",
    ):
        page.goto(f"{base}{prefix}{path}")
        expect(page.locator("#closure-banner")).to_contain_text("台風の接近")
        assert "定例会" not in page.content() or "cancel" in path
        problems += [f"{path}: {problem}" for problem in _check_structure(page, language)]
        problems += axe_violations(page)
        if language == "ja" and "?" not in path and "cancel" not in path:
            name = "spaces-index" if path == "/spaces/" else "spaces-week"
            page.screenshot(path=screenshot_path(name), full_page=True)
        if language == "ja" and "month=" + month in path:
            page.screenshot(path=screenshot_path("spaces-month"), full_page=True)

    sign_in(page, base, booked["member"].email, f"{prefix}/spaces/lab-meeting/book/")
    problems += _check_structure(page, language) + axe_violations(page)
    page.locator("input[name=date]").fill("2026-02-30")
    page.locator("input[name=purpose]").fill("")
    page.locator("#booking-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    problems += _check_structure(page, language) + axe_violations(page)
    if language == "ja":
        page.screenshot(path=screenshot_path("spaces-request-errors"), full_page=True)
    page.goto(f"{base}{prefix}/spaces/my-bookings/")
    expect(page.locator("#upcoming-bookings")).to_contain_text("みどり川の会")
    problems += _check_structure(page, language) + axe_violations(page)
    if language == "ja":
        page.screenshot(path=screenshot_path("spaces-my-bookings"), full_page=True)
    assert problems == [], "\n".join(problems)


def test_month_calendar_fits_a_phone_screen(page, live_server, booked):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/spaces/lab-meeting/?month={booked['today']:%Y-%m}")
    # The table scrolls inside its own box; the page itself never scrolls sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 391 && !e.closest('table'))
        .map(e => e.tagName + '.' + e.className).slice(0, 8)"""
    )
    assert width <= 390, wide
    page.screenshot(path=screenshot_path("spaces-month-phone"), full_page=True)

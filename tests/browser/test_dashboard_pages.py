"""The dashboard in a browser: city staff sign in with TOTP and see the year with charts
and data tables, a quarter, a ward and a bad filter; ward staff see their ward's slice.
Every page passes axe-core's WCAG 2.1 A/AA rules in Japanese and English."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from center.core.fiscal import fiscal_year_of
from tests.browser.conftest import screenshot_path
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.browser.test_staff_sign_in import current_code
from tests.conftest import PASSWORD
from tests.organizations.spaces.test_services import make_group, make_user


def _sign_in_with_totp(page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    page.locator("input[name=code]").fill(current_code())
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base}{next_path}")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_dashboard_pages_are_accessible(page, live_server, city_staff, language):
    cache.clear()
    make_group(make_user("member@example.org"))  # something to count
    prefix = "" if language == "ja" else "/en"
    base = live_server.url
    _sign_in_with_totp(page, base, city_staff.email, f"{prefix}/dashboard/")
    problems = []
    year = fiscal_year_of()
    for query in ("", f"?year={year}&quarter=2", f"?year={year - 1}&ward=naka", "?year=1900"):
        page.goto(f"{base}{prefix}/dashboard/{query}")
        if query != "?year=1900":
            expect(page.locator("#dashboard-period")).to_be_visible()
            if query == "":  # this year has the group: its charts are drawn
                assert page.locator("img[src^='data:image/svg+xml']").count() >= 1
        else:
            expect(page.locator(".error-summary")).to_be_visible()
        problems += [f"{query}: {p}" for p in _check_structure(page, language)]
        problems += axe_violations(page)
        if language == "ja" and query == "":
            page.screenshot(path=screenshot_path("dashboard"), full_page=True)
    assert problems == [], "\n".join(problems)


def test_ward_staff_see_their_ward_only(page, live_server, tsurumi_staff):
    base = live_server.url
    _sign_in_with_totp(page, base, tsurumi_staff.email, "/dashboard/")
    expect(page.locator("#dashboard-period")).to_contain_text("鶴見区")
    assert page.locator("select[name=ward]").count() == 0
    assert axe_violations(page) == []
    page.screenshot(path=screenshot_path("dashboard-ward"), full_page=True)

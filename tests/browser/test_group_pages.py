"""Group registration in a browser: the directory (also filtered and with a bad filter), a
group's page, the application form (empty and with errors) and the "my group" pages pass
axe-core's WCAG 2.1 A/AA rules in Japanese and English, and show no contact details."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from center.core.models import SdgGoal
from tests.browser.conftest import screenshot_path, sign_in
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.organizations.groups.helpers import (
    SECRET_ADDRESS,
    SECRET_EMAIL,
    SECRET_PHONE,
    ensure_activity_fields,
    make_group,
    make_user,
)


@pytest.fixture
def groups(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    ensure_activity_fields()
    cache.clear()
    admin = make_user("group-admin@example.com")
    group = make_group(
        "港北こども食堂ネットワーク",
        kana="こうほくこどもしょくどうねっとわーく",
        fields=(1, 13),
        ward="kohoku",
        admin=admin,
        description="港北区内の子ども食堂が連携し、食材の融通やボランティア研修を行っています。",
    )
    group.sdgs.set(SdgGoal.objects.filter(number__in=[1, 2]))
    make_group("鶴見川みどりの会", kana="つるみがわみどりのかい", ward="tsurumi")
    yield {"admin": admin, "group": group}
    cache.clear()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_group_pages_are_accessible(page, live_server, groups, language):
    prefix = "" if language == "ja" else "/en"
    group = groups["group"]
    problems = []
    for path in (
        "/groups/",
        "/groups/?field=13&ward=kohoku",
        "/groups/?q=ｺﾄﾞﾓ",
        "/groups/?field=bogus",  # the filter's error summary
        f"/groups/{group.pk}/",
    ):
        page.goto(f"{live_server.url}{prefix}{path}")
        content = page.content()
        for secret in (SECRET_EMAIL, SECRET_PHONE, SECRET_ADDRESS):
            assert secret not in content, (path, secret)
        problems += [f"{path}: {problem}" for problem in _check_structure(page, language)]
        problems += axe_violations(page)
        if language == "ja" and path in ("/groups/", f"/groups/{group.pk}/"):
            name = "groups-directory" if path == "/groups/" else "groups-detail"
            page.screenshot(path=screenshot_path(name), full_page=True)

    sign_in(page, live_server.url, groups["admin"].email, f"{prefix}/groups/apply/")
    problems += _check_structure(page, language) + axe_violations(page)
    page.locator("input[name=postal_code]").fill("２３１－００２")
    page.locator("#group-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    problems += _check_structure(page, language) + axe_violations(page)
    if language == "ja":
        page.screenshot(path=screenshot_path("groups-apply-errors"), full_page=True)

    for path in (
        "/groups/mine/",
        f"/groups/mine/{group.pk}/",
        f"/groups/mine/{group.pk}/edit/",
    ):
        page.goto(f"{live_server.url}{prefix}{path}")
        problems += [f"{path}: {problem}" for problem in _check_structure(page, language)]
        problems += axe_violations(page)
    if language == "ja":
        page.goto(f"{live_server.url}/groups/mine/{group.pk}/")
        page.screenshot(path=screenshot_path("groups-mine-detail"), full_page=True)
    assert problems == [], "\n".join(problems)

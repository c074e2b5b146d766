"""The 市民協働HUB board in a browser: the board, a post, the partner list and the
introduction form (empty and with errors) pass axe-core's WCAG 2.1 A/AA rules in Japanese and
English, and a group member asks for an introduction through the real form."""

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from organizations.models import IntroductionRequest
from tests.browser.conftest import screenshot_path, sign_in
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.organizations.hub.helpers import (
    GROUP_EMAIL,
    PARTNER_EMAIL,
    make_group,
    make_need,
    make_offer,
    make_partner,
    make_user,
)


@pytest.fixture
def board():
    cache.clear()
    member = make_user("hub-member@example.com")
    group = make_group(member=member)
    partner = make_partner(user=make_user("hub-partner@example.com"))
    make_partner("非公開の企業", listed=False)
    need = make_need(group, author=member)
    offer = make_offer(partner, title="学生によるアンケート調査の協力")
    yield {"member": member, "group": group, "need": need, "offer": offer}
    cache.clear()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_hub_pages_are_accessible(page, live_server, board, language):
    prefix = "" if language == "ja" else "/en"
    problems = []
    for path in (
        "/hub/",
        "/hub/?kind=offer",
        "/hub/?kind=bogus",  # the filter's error summary
        f"/hub/posts/{board['offer'].pk}/",
        "/hub/partners/",
    ):
        page.goto(f"{live_server.url}{prefix}{path}")
        content = page.content()
        assert GROUP_EMAIL not in content and PARTNER_EMAIL not in content
        problems += [f"{path}: {problem}" for problem in _check_structure(page, language)]
        problems += axe_violations(page)
    if language == "ja":
        page.goto(f"{live_server.url}/hub/")
        page.screenshot(path=screenshot_path("hub-board"), full_page=True)

    introduce = f"{prefix}/hub/posts/{board['offer'].pk}/introduce/"
    sign_in(page, live_server.url, board["member"].email, introduce)
    problems += _check_structure(page, language) + axe_violations(page)
    page.locator("form button[type=submit]").last.click()  # empty message
    expect(page.locator(".error-summary")).to_be_visible()
    problems += _check_structure(page, language) + axe_violations(page)
    if language == "ja":
        page.screenshot(path=screenshot_path("hub-introduce-errors"), full_page=True)
    for path in ("/hub/needs/new/", "/hub/mine/"):
        page.goto(f"{live_server.url}{prefix}{path}")
        problems += [f"{path}: {problem}" for problem in _check_structure(page, language)]
        problems += axe_violations(page)
    assert problems == [], "\n".join(problems)


def test_a_member_asks_for_an_introduction(page, live_server, board, coordinator):
    mail.outbox.clear()
    sign_in(page, live_server.url, board["member"].email, "/hub/")
    page.get_by_role("link", name=board["offer"].title).click()
    page.locator(f"a[href='/hub/posts/{board['offer'].pk}/introduce/']").click()
    page.locator("textarea[name=message]").fill("秋の調査で協力をお願いしたいです。")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/hub/mine/")
    expect(page.locator("#hub-my-introductions")).to_contain_text(board["offer"].title)
    page.screenshot(path=screenshot_path("hub-mine"), full_page=True)
    intro = IntroductionRequest.objects.get()
    assert intro.requester_group == board["group"]
    assert any(coordinator.email in message.to for message in mail.outbox)

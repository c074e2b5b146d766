"""The lab's signage screen passes axe-core in Japanese and English, with items."""

import pytest
from django.core.cache import cache

from tests.browser.conftest import screenshot_path
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.events.test_public_pages import make_event


@pytest.mark.parametrize("language", ["ja", "en"])
def test_signage_is_accessible(page, live_server, language):
    cache.clear()
    make_event("市民活動基礎セミナー", days=0)
    make_event("対話&創造ラボ 第4回", days=2)
    prefix = "" if language == "ja" else "/en"
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}{prefix}/signage/")
    problems = _check_structure(page, language) + axe_violations(page)
    page.screenshot(path=screenshot_path(f"signage-{language}"), full_page=True)
    assert problems == [], "\n".join(problems)
    cache.clear()

"""Layout and interaction in a real browser: language switch, small screens, zoom, keyboard."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot_path

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth"


def _open(new_context, live_server, path: str, **context_args):
    page = new_context(**context_args).new_page()
    page.goto(f"{live_server.url}{path}")
    return page


def test_static_files_are_served_and_applied(page, live_server):
    statuses = {}

    def record(response):
        if "/static/" in response.url:
            statuses[response.url.removeprefix(live_server.url)] = response.status

    page.on("response", record)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")

    for path in (
        "/static/bootstrap/css/bootstrap.min.css",
        "/static/css/site.css",
        "/static/bootstrap/js/bootstrap.bundle.min.js",
    ):
        assert statuses.get(path) == 200, f"{path}: {statuses.get(path)} (all: {statuses})"
    # Bootstrap's CSS is applied (body.d-flex) and its JavaScript has run.
    assert page.evaluate("getComputedStyle(document.body).display") == "flex"
    assert page.evaluate("typeof window.bootstrap") == "object"


def test_language_switch_keeps_the_page(page, live_server):
    page.goto(f"{live_server.url}/about/")
    assert page.evaluate("document.documentElement.lang") == "ja"

    page.get_by_role("link", name="English", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/en/about/")
    assert page.evaluate("document.documentElement.lang") == "en"

    page.get_by_role("link", name="日本語", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/about/")
    assert page.evaluate("document.documentElement.lang") == "ja"


def test_320px_wide_home_has_no_horizontal_scroll_and_a_working_menu(new_context, live_server):
    page = _open(new_context, live_server, "/", viewport={"width": 320, "height": 800})

    scroll_width = page.evaluate(NO_HORIZONTAL_SCROLL)
    assert scroll_width <= 321, f"the home page is {scroll_width}px wide at 320px"

    toggler = page.locator("button.navbar-toggler")
    nav_link = page.locator("#site-nav-items .nav-link").first
    expect(toggler).to_be_visible()
    expect(nav_link).to_be_hidden()
    toggler.click()
    expect(nav_link).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    scroll_width = page.evaluate(NO_HORIZONTAL_SCROLL)
    assert scroll_width <= 321, f"the open menu makes the page {scroll_width}px wide"


@pytest.mark.parametrize("path", ["/about/", "/en/about/"])
def test_200_percent_zoom_has_no_horizontal_scroll(new_context, live_server, path):
    # A 1280×900 window at 200 % zoom lays out like a 640×450 CSS-pixel viewport at
    # two device pixels per CSS pixel.
    page = _open(
        new_context,
        live_server,
        path,
        viewport={"width": 640, "height": 450},
        device_scale_factor=2,
    )
    scroll_width = page.evaluate(NO_HORIZONTAL_SCROLL)
    assert scroll_width <= 641, f"{path} is {scroll_width}px wide at 200 % zoom (640px)"


def test_first_tab_focuses_a_visible_skip_link(page, live_server):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")

    focused = page.evaluate(
        """() => {
          const el = document.activeElement;
          return {tag: el.tagName, href: el.getAttribute('href'), text: el.textContent.trim()};
        }"""
    )
    assert focused["tag"] == "A" and focused["href"] == "#main", f"Tab focused {focused}"
    assert focused["text"], "the skip link has no text"

    box = page.locator(":focus").bounding_box()
    viewport = page.viewport_size
    assert box is not None, "the focused skip link is not rendered"
    assert box["width"] > 0 and box["height"] > 0
    assert box["x"] >= 0 and box["y"] >= 0, f"the skip link is off screen: {box}"
    assert box["x"] + box["width"] <= viewport["width"], f"off screen to the right: {box}"
    assert box["y"] + box["height"] <= viewport["height"], f"off screen below: {box}"

    # Following it moves the focus into <main>.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [1280, 320])
def test_home_page_screenshot(new_context, live_server, width):
    """Always saved, for a person to look at: test-results/browser/home-<width>.png."""
    page = _open(new_context, live_server, "/", viewport={"width": width, "height": 800})
    path = screenshot_path(f"home-{width}")
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0

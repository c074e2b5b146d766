"""Every public page, in Japanese and in English, passes axe-core's WCAG 2.1 A/AA rules.

The pages are found the way a visitor (and a search engine) finds them: breadth-first
over same-origin links from the home page, plus every <loc> of /sitemap.xml. Besides
axe, each page must have one <h1>, the right <html lang>, a skip link to #main and a
<main> landmark; the browser must not report a Content-Security-Policy violation.
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from .conftest import screenshot_path

MAX_PAGES = 260
# Pages of one URL pattern share a template: a few of each (with different content) are
# scanned, not all 12 groups or 30 events, which kept CI within its 20 minutes.
MAX_PAGES_PER_ROUTE = 3
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Compared with the path once the /en prefix is removed.
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout", "/static/", "/media/")
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
LANGUAGE_ROOTS = {"ja": "/", "en": "/en/"}

_axe = Axe()


@dataclass
class CrawlReport:
    checked: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failing_pages: set[str] = field(default_factory=set)


def _unprefixed(path: str) -> str:
    if path == "/en" or path.startswith("/en/"):
        return path[3:] or "/"
    return path


def _route(path: str) -> str:
    """The URL pattern a path belongs to (`groups/<int:pk>/`), or the path itself."""
    try:
        return resolve(_unprefixed(path)).route
    except Resolver404:
        return path


def _belongs_to(path: str, language: str) -> bool:
    is_english = path == "/en" or path.startswith("/en/")
    return is_english if language == "en" else not is_english


def _candidate(href: str, base_url: str, origin: str, language: str) -> str | None:
    """The absolute URL to crawl for this href, or None when it is out of scope."""
    href = (href or "").strip()
    if not href or href.startswith("#") or href.lower().startswith(SKIPPED_SCHEMES):
        return None
    url, _fragment = urldefrag(urljoin(base_url, href))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if _unprefixed(parts.path).startswith(SKIPPED_PREFIXES):
        return None
    if not _belongs_to(parts.path, language):
        return None
    return url


def _sitemap_urls(context, origin: str) -> list[str]:
    """Every <loc> of /sitemap.xml, moved onto the live server's host."""
    response = context.request.get(f"{origin}/sitemap.xml")
    assert response.ok, f"/sitemap.xml answered HTTP {response.status}"
    root = ET.fromstring(response.body())
    urls = []
    for loc in root.iter(f"{SITEMAP_NS}loc"):
        parts = urlsplit((loc.text or "").strip())
        urls.append(f"{origin}{parts.path}" + (f"?{parts.query}" if parts.query else ""))
    assert urls, "/sitemap.xml lists no URL"
    return urls


def _slug(path: str) -> str:
    return re.sub(r"[^\w]+", "-", path).strip("-") or "home"


def _run_axe(page, new_context, url: str) -> list[dict]:
    """axe's violations on the loaded page; in a CSP-bypassing context if CSP blocks axe."""
    try:
        return _axe.run(page, options=AXE_OPTIONS).response["violations"]
    except PlaywrightError as first_error:
        if "Content Security Policy" not in str(first_error) and "EvalError" not in str(
            first_error
        ):
            raise
    context = new_context(bypass_csp=True)
    try:
        bypass_page = context.new_page()
        bypass_page.goto(url)
        return _axe.run(bypass_page, options=AXE_OPTIONS).response["violations"]
    finally:
        context.close()


def axe_violations(page) -> list[str]:
    """axe's WCAG 2.1 A/AA violations on the page as loaded, formatted for a failure message
    (for journeys that reach pages the crawl cannot: receipts, tracking pages...)."""
    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    return [_format_violation(page.url, violation) for violation in violations]


def _check_structure(page, language: str) -> list[str]:
    problems = []
    h1_count = page.locator("h1").count()
    if h1_count != 1:
        problems.append(f"{h1_count} <h1> elements, expected exactly one")
    lang = page.evaluate("document.documentElement.getAttribute('lang')")
    if lang != language:
        problems.append(f'<html lang="{lang}">, expected "{language}"')
    if page.locator('a[href="#main"]').count() == 0:
        problems.append('no skip link (<a href="#main">)')
    if page.locator("#main").count() != 1:
        problems.append("the skip link's target #main does not exist (exactly once)")
    main_count = page.locator("main, [role=main]").count()
    if main_count != 1:
        problems.append(f"{main_count} <main> landmarks, expected exactly one")
    return problems


def _format_violation(url: str, violation: dict) -> str:
    nodes = violation.get("nodes", [])
    targets = ["; ".join(map(str, node.get("target", []))) for node in nodes[:3]]
    more = f" (+{len(nodes) - 3} more)" if len(nodes) > 3 else ""
    snippet = nodes[0].get("html", "").replace("\n", " ")[:160] if nodes else ""
    return (
        f"{url}: {violation['id']} [{violation.get('impact')}] {violation.get('help', '')}\n"
        f"    targets: {' | '.join(targets)}{more}\n"
        f"    html: {snippet}"
    )


def crawl(page, new_context, origin: str, language: str) -> CrawlReport:
    report = CrawlReport()
    csp_messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_messages.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )

    start = f"{origin}{LANGUAGE_ROOTS[language]}"
    queue: deque[str] = deque()
    seen_paths: set[str] = set()  # links with a query string are followed once per path
    per_route: Counter[str] = Counter()
    done_paths: set[str] = set()  # final paths, so a redirect to the login page counts once

    def enqueue(url: str | None) -> None:
        if url is None:
            return
        path = urlsplit(url).path
        if path in seen_paths:
            return
        seen_paths.add(path)
        route = _route(path)
        if per_route[route] < MAX_PAGES_PER_ROUTE:
            per_route[route] += 1
            queue.append(url)

    enqueue(start)
    for url in _sitemap_urls(page.context, origin):
        enqueue(_candidate(url, start, origin, language))

    while queue and len(report.checked) < MAX_PAGES:
        url = queue.popleft()
        csp_messages.clear()
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):
                continue  # a file, not a page
            report.problems.append(f"{url}: could not be loaded: {exc}")
            continue
        if response is not None and "text/html" not in response.headers.get("content-type", ""):
            continue
        final_url = page.url
        final_path = urlsplit(final_url).path
        if final_path in done_paths:
            continue  # e.g. a second page that redirects to the login page
        done_paths.add(final_path)
        seen_paths.add(final_path)
        shown = final_url.removeprefix(origin)
        if final_url != url:
            shown = f"{url.removeprefix(origin)} -> {shown}"
        report.checked.append(shown)

        page_failed = False
        if response is not None and response.status >= 400:
            report.problems.append(f"{shown}: HTTP {response.status} (broken link)")
            page_failed = True
        for problem in _check_structure(page, language):
            report.problems.append(f"{shown}: {problem}")
            page_failed = True
        violations = _run_axe(page, new_context, final_url)
        for violation in violations:
            report.violations.append(_format_violation(shown, violation))
            page_failed = True
        for message in dict.fromkeys(csp_messages):
            report.problems.append(f"{shown}: CSP violation: {message[:200]}")
            page_failed = True
        if page_failed:
            report.failing_pages.add(shown)
            page.screenshot(
                path=screenshot_path(f"a11y-{language}-{_slug(final_path)}"), full_page=True
            )

        if _belongs_to(final_path, language) and final_url.startswith(origin):
            hrefs = page.eval_on_selector_all(
                "a[href]", "els => els.map(e => e.getAttribute('href'))"
            )
            for href in hrefs:
                enqueue(_candidate(href, final_url, origin, language))

    if queue:
        report.problems.append(
            f"crawl stopped at {MAX_PAGES} pages; {len(queue)} more were queued "
            f"(first: {queue[0].removeprefix(origin)}) — raise MAX_PAGES"
        )
    return report


@pytest.fixture
def demo_content(settings):
    """The demo data of every app, so that detail pages (a story with photos, a magazine
    issue, a pamphlet, a sent newsletter...) are crawled with real content."""
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("load_demo", "--allow-without-debug", "--quiet-logins", verbosity=0)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_public_page_is_accessible(page, new_context, live_server, language, demo_content):
    report = crawl(page, new_context, live_server.url, language)

    print(f"\n[{language}] checked {len(report.checked)} pages:\n  " + "\n  ".join(report.checked))
    assert len(report.checked) >= 2, f"the crawl found only {report.checked}"
    message = [f"[{language}] {len(report.failing_pages)} of {len(report.checked)} pages fail."]
    if report.violations:
        message.append(f"axe-core ({', '.join(WCAG_TAGS)}) violations:")
        message.extend(report.violations)
    if report.problems:
        message.append("Other problems:")
        message.extend(report.problems)
    if report.failing_pages:
        message.append("Screenshots: test-results/browser/a11y-*.png")
    assert not report.violations and not report.problems, "\n".join(message)

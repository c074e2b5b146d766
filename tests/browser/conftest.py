"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

No browser is downloaded: `require_chromium()` finds /usr/bin/chromium, and skips the
tests on a machine without it (or fails them with CI=true).
"""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import require_chromium

# Playwright's sync API runs an asyncio event loop in the test thread; Django refuses
# ORM calls from a thread with a running loop unless told otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
# pytest-playwright's autouse `delete_output_dir` empties its --output folder (default
# test-results/) at the start of *every* pytest session, so another run can wipe these;
# BROWSER_SCREENSHOT_DIR puts them elsewhere.
SCREENSHOT_DIR = Path(
    os.environ.get("BROWSER_SCREENSHOT_DIR")
    or Path(__file__).resolve().parents[2] / "test-results" / "browser"
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def screenshot_path(name: str) -> Path:
    """test-results/browser/<name>.png, with the name made safe for a file system."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.\-\[\]]+", "_", name).strip("_") or "page"
    return SCREENSHOT_DIR / f"{safe}.png"


def sign_in(page, base: str, email: str, next_path: str) -> None:
    """Sign in through the real login form (an account without TOTP) and land on next_path."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}{next_path}")


# Marks -------------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # The live server runs in another thread, so the test needs a real
            # (transactional) database; serialized_rollback restores the wards, SDGs
            # and roles that data migrations load, which a flush would otherwise wipe.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


# Playwright configuration -----------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": require_chromium(), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ja-JP"}


# Screenshots of failures ------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"browser_rep_{rep.when}", rep)
    if rep.when == "call" and rep.failed and BROWSER_DIR in Path(str(item.path)).parents:
        _screenshot_open_pages(item)
    return rep


def _screenshot_open_pages(item) -> None:
    """Save every page still open in the test's browser; the fixtures are not torn down yet."""
    browser = getattr(item, "funcargs", {}).get("browser")
    if browser is None:
        return
    pages = [page for context in browser.contexts for page in context.pages]
    for number, page in enumerate(pages):
        name = item.name if number == 0 else f"{item.name}-{number + 1}"
        try:
            page.screenshot(path=screenshot_path(name), full_page=True)
        except Exception as exc:  # noqa: BLE001 - a screenshot must never hide the failure
            item.add_report_section("call", "screenshot", f"could not save {name}: {exc}")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back the rows migrations load (content types, roles, and the reference tables
    of tests/reference_data.py) when an earlier transactional test flushed them and
    serialized rollback could not restore them: under Playwright's event loop the test may
    see a fresh database connection without the serialized copy Django keeps on the
    original one."""
    from django.core.management.sql import emit_post_migrate_signal

    from center.core.models import Ward
    from tests.reference_data import restore_reference_data

    if not Ward.objects.exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    restore_reference_data()

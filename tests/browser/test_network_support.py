"""Hearings, support requests and know-how in the browser.

Every page of the area (forms with errors included) passes axe-core's WCAG 2.1 A/AA rules
in Japanese and English; and the journey: a ward user signs in with TOTP → files a support
request → center staff move the case along → the ward sees the new status.
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from consultations.models import Channel, Status
from consultations.services import cases as consultation_services
from networks.models import SupportRequest
from tests.browser.conftest import screenshot_path
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.browser.test_staff_sign_in import current_code
from tests.conftest import PASSWORD
from tests.networks.support import (
    file_request,
    make_article,
    make_hearing,
    pdf_upload,
    use_private_storage,
    ward_center,
)


def sign_in_as(page, live_server, user) -> None:
    """A session cookie for `user` (the journey below signs in through the form)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture(autouse=True)
def _support_reference_data():
    """The question template and know-how categories come from a data migration, which an
    earlier transactional test may have flushed (see tests/browser/conftest.py)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("networks.migrations.0003_support")
    migration.add_hearing_template(apps, None)
    migration.add_knowhow_categories(apps, None)


@pytest.fixture
def area(tmp_path, settings, monkeypatch):
    use_private_storage(tmp_path, settings, monkeypatch)
    make_hearing("tsurumi", 2024, issues="担い手不足")
    hearing = make_hearing("tsurumi", 2025, issues="オンライン相談の増加")
    request = file_request(
        "tsurumi", contact_consent=True, contact_name="鶴見 花子", contact_phone="045-000-0000"
    )
    article = make_article(
        "tsurumi",
        title="子ども食堂の立ち上げ",
        body="## 手順\n\n- **場所**の確認\n- 保健所への相談",
        documents=[pdf_upload()],
    )
    make_article(None, title="広報の基本", body="チラシとSNS")
    return hearing, request, article


@pytest.mark.parametrize("language", ["ja", "en"])
def test_support_pages_are_accessible(page, live_server, area, tsurumi_staff, language):
    hearing, request, article = area
    sign_in_as(page, live_server, tsurumi_staff)
    prefix = "" if language == "ja" else "/en"
    problems = []

    def check(path: str, shot: str | None = None) -> None:
        problems.extend(f"{path}: {p}" for p in _check_structure(page, language))
        problems.extend(axe_violations(page))
        if shot:
            page.screenshot(
                path=screenshot_path(f"network-support-{shot}-{language}"), full_page=True
            )

    for path, shot in (
        ("/network/hearings/", None),
        (f"/network/hearings/{hearing.pk}/", "hearing"),
        ("/network/hearings/compare/tsurumi/", "compare"),
        ("/network/requests/", "requests"),
        (f"/network/requests/{request.pk}/", "request"),
        ("/network/requests/new/", None),
        ("/network/knowhow/", "knowhow"),
        ("/network/knowhow/?q=こどもしょくどう", None),
        ("/network/knowhow/?q=存在しない言葉", None),
        (f"/network/knowhow/{article.pk}/", None),
        ("/network/knowhow/new/", None),
    ):
        page.goto(f"{live_server.url}{prefix}{path}")
        assert page.locator("h1").count() == 1, path
        check(path, shot)

    # Forms sent with errors: the summary and the fields' messages must pass too.
    page.goto(f"{live_server.url}{prefix}/network/requests/new/")
    page.locator("input[name=contact_email]").fill("hanako@example.com")
    page.locator("#support-request-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("/network/requests/new/ (errors)", "request-form-errors")

    page.goto(f"{live_server.url}{prefix}/network/knowhow/new/")
    page.locator("input[name=documents]").set_input_files(
        files=[{"name": "run.exe", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" * 50}]
    )
    page.locator("#knowhow-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("/network/knowhow/new/ (errors)", "knowhow-form-errors")
    assert problems == [], "\n".join(problems)


def test_a_ward_user_files_a_request_and_sees_the_status_change(
    page, live_server, tsurumi_staff, center_staff
):
    ward_center("tsurumi")
    page.goto(f"{live_server.url}/network/requests/")
    page.get_by_label("メールアドレス").fill(tsurumi_staff.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_label("コード").fill(current_code())
    page.get_by_role("button", name="ログイン").click()
    expect(page).to_have_url(f"{live_server.url}/network/requests/")

    page.locator("#new-support-request").click()
    page.locator("input[name=summary]").fill("NPO法人化の相談を受けた団体への支援")
    page.locator("input[name=group_name]").fill("つるみ子ども応援団")
    page.locator("textarea[name=details]").fill("設立の手続きについて助言がほしい。")
    page.locator("input[name=kind][value=founding]").check()
    page.locator("input[name=urgency][value='3']").check()
    page.locator("#support-request-form button[type=submit]").click()
    expect(page.locator("#support-request-status [data-status]")).to_have_attribute(
        "data-status", "received"
    )

    request = SupportRequest.objects.get()
    case = request.consultation
    assert (case.channel, case.ward.code) == (Channel.WARD_CENTER, "tsurumi")

    # The center acts on the case in its queue as usual.
    consultation_services.consultation_change_status(
        consultation=case, status=Status.IN_PROGRESS, actor=center_staff
    )
    page.reload()
    expect(page.locator("#support-request-status [data-status]")).to_have_attribute(
        "data-status", "in_progress"
    )
    page.screenshot(path=screenshot_path("network-support-journey-in-progress"), full_page=True)
    page.goto(f"{live_server.url}/network/requests/")
    expect(page.locator("#support-request-table")).to_contain_text(
        "NPO法人化の相談を受けた団体への支援"
    )
    violations = axe_violations(page)
    assert violations == [], violations

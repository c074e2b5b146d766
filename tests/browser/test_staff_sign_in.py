"""A staff member signs in with a password and a TOTP code and works in the admin."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from tests.conftest import PASSWORD

SECRET = "JBSWY3DPEHPK3PXP"  # the personas' TOTP secret (tests/conftest.py)


def current_code(secret: str = SECRET) -> str:
    # allauth accepts only the current 30-second window (no tolerance): a code taken in the
    # window's last seconds can reach the server in the next one. Wait for a fresh window.
    remaining = 30 - time.time() % 30
    if remaining < 4:
        time.sleep(remaining + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_signs_in_with_totp_and_reaches_the_admin(page, live_server, center_staff):
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=%2Fadmin%2F")
    page.get_by_label("メールアドレス").fill(center_staff.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    page.get_by_label("コード").fill(current_code())
    page.get_by_role("button", name="ログイン").click()

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_contain_text("横浜市市民協働推進センター")
    page.get_by_role("link", name="ユーザー", exact=True).first.click()
    expect(page.locator("#result_list")).to_contain_text(center_staff.email)
    page.screenshot(path="test-results/browser/admin-users.png", full_page=True)


def test_new_staff_is_sent_to_totp_setup_before_the_admin(page, live_server, staff_without_mfa):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("メールアドレス").fill(staff_without_mfa.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/me/")
    page.goto(f"{live_server.url}/admin/")
    # allauth asks for the password again before any change to the second factor.
    expect(page).to_have_url(
        f"{live_server.url}/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    secret = page.locator("main input[readonly]").first.input_value()
    page.locator("input[name=code]").fill(current_code(secret))
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/")

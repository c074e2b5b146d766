"""A citizen's consultation from the public form to a reply on the tracking page.

citizen submits in Japanese with an attachment → receipt page and mail → staff signs in
with TOTP and triages in the admin, writes a public reply → the tracking page shows it.
Every public page on the way is scanned with axe-core.
"""

import re
import time

from django.core import mail
from playwright.sync_api import expect

from consultations.models import CaseEvent, Consultation, Status
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_staff_sign_in import current_code
from tests.conftest import PASSWORD

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


def test_citizen_consults_and_reads_the_staff_reply(page, live_server, center_staff, tmp_path):
    mail.outbox.clear()
    attachment = tmp_path / "企画書.pdf"
    attachment.write_bytes(MINIMAL_PDF)

    # The citizen fills in the form in Japanese.
    page.goto(f"{live_server.url}/consultation/")
    assert_accessible(page)
    page.check("[name=requester_type][value=neighbourhood]")
    page.fill("[name=family_name]", "山田")
    page.fill("[name=given_name]", "一郎")
    page.fill("[name=family_name_kana]", "やまだ")
    page.fill("[name=given_name_kana]", "いちろう")
    page.fill("[name=organization_name]", "本町一丁目町内会")
    page.fill("[name=email]", "yamada@example.jp")
    page.select_option("[name=ward]", "naka")
    page.check("[name=topic][value=proposal]")
    page.fill("[name=title]", "防災訓練を企業と一緒に開きたい")
    page.fill("[name=body]", "近くの企業の社員の方にも参加していただく方法を相談したいです。")
    page.set_input_files("[name=attachments]", str(attachment))
    page.check("[name=privacy_consent]")
    time.sleep(3.2)  # the form refuses (quarantines) submissions faster than a person types
    page.get_by_role("button", name="相談を送信する").click()

    # Receipt page with the reference number, and a receipt mail with the tracking link.
    expect(page.locator("h1")).to_be_visible()
    consultation = Consultation.objects.get()
    assert not consultation.quarantined
    expect(page.locator("main")).to_contain_text(consultation.reference)
    assert_accessible(page)
    receipt = next(m for m in mail.outbox if m.to == ["yamada@example.jp"])
    assert consultation.reference in receipt.body
    tracking_url = re.search(r"https?://\S+/consultation/track/\S+/", receipt.body).group(0)
    tracking_path = "/consultation/track/" + tracking_url.split("/consultation/track/")[1]
    assert consultation.attachments.get().original_name == "企画書.pdf"

    # Staff signs in with TOTP and triages the case in the admin.
    staff = page.context.browser.new_context(locale="ja-JP").new_page()
    staff.goto(f"{live_server.url}/admin/consultations/consultation/")
    staff.get_by_label("メールアドレス").fill(center_staff.email)
    staff.get_by_label("パスワード").fill(PASSWORD)
    staff.get_by_role("button", name="ログイン").click()
    staff.get_by_label("コード").fill(current_code())
    staff.get_by_role("button", name="ログイン").click()
    expect(staff.locator("#result_list")).to_contain_text(consultation.reference)
    staff.get_by_role("link", name=consultation.reference).click()

    reply_form = staff.locator("form[action$='/reply/']")
    reply_form.locator("textarea").fill("担当の協働コーディネーターからご連絡いたします。")
    reply_form.locator("input[type=submit]").click()
    expect(staff.locator("ul.messagelist")).to_be_visible()
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.PUBLIC_REPLY).count() == 1
    assert any("担当の協働コーディネーター" in m.body for m in mail.outbox)

    # The citizen's tracking page shows the reply, never internal notes or staff names.
    page.goto(f"{live_server.url}{tracking_path}")
    expect(page.locator("main")).to_contain_text("担当の協働コーディネーターからご連絡いたします。")
    expect(page.locator("main")).not_to_contain_text(center_staff.email)
    assert_accessible(page)
    consultation.refresh_from_db()
    assert consultation.status == Status.RECEIVED or consultation.first_response_at is not None


def test_session_pages_are_accessible(page, live_server):
    for path in ["/consultation/sessions/", "/en/consultation/sessions/", "/en/consultation/"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)

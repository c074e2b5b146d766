"""From sign-up to a booking: a person signs up (allauth) and confirms the address from
the mail → applies for their group through the real form (first with a wrong postal code
and a document of the wrong type) → a staff member signs in with TOTP and approves it on
the review page in the admin → the applicant is mailed, and the group shows in the public
directory and on its own page → the new member books the lab from its calendar (first a
day in the past) → cancels from the link in the confirmation mail, and the slot is free
again."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from center.accounts.roles import ORG_MEMBER
from organizations.models import Booking, Group
from tests.browser.conftest import screenshot_path
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_staff_sign_in import current_code
from tests.conftest import PASSWORD
from tests.organizations.groups.helpers import PDF_BYTES, ensure_activity_fields

APPLICANT = "aozora.hanako@example.jp"
APPLICANT_PASSWORD = "aozora-yomikikase-2026"


@pytest.fixture
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


def test_sign_up_apply_approve_book_the_lab_and_cancel(
    page, browser, live_server, center_staff, private_files
):
    ensure_activity_fields()
    cache.clear()
    mail.outbox.clear()
    base = live_server.url

    # Sign up and confirm the address from the mail.
    page.goto(f"{base}/accounts/signup/")
    page.locator("input[name=email]").fill(APPLICANT)
    page.locator("input[name=password1]").fill(APPLICANT_PASSWORD)
    page.locator("input[name=password2]").fill(APPLICANT_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/accounts/confirm-email/$"))
    confirmation = next(m for m in mail.outbox if m.to == [APPLICANT])
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    page.goto(base + "/accounts/confirm-email/" + link.split("/accounts/confirm-email/")[1])
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    # Apply: first with mistakes.
    page.goto(f"{base}/groups/")
    page.locator("a[href='/groups/apply/']").first.click()
    page.wait_for_url(f"{base}/groups/apply/")
    page.locator("input[name=name]").fill("あおぞら読み聞かせの会")
    page.locator("input[name=name_kana]").fill("あおぞらよみきかせのかい")
    page.locator("select[name=kind]").select_option("voluntary")
    page.locator("input[name=representative_name]").fill("青空 太郎")
    page.locator("input[name=contact_name]").fill("青空 花子")
    page.locator("input[name=postal_code]").fill("２３１－００２")
    page.locator("input[name=address]").fill("横浜市中区山下町1-1")
    page.locator("select[name=ward]").select_option(label="中区")
    page.locator("input[name=fields][value='13']").check()
    page.locator("input[name=sdgs][value='4']").check()
    page.locator("textarea[name=description]").fill("図書館で子どもに絵本を読み聞かせています。")
    page.locator("input[name=member_count]").fill("12")
    page.locator("input[name=rules_document]").set_input_files(
        files=[{"name": "kiyaku.pdf", "mimeType": "application/pdf", "buffer": b"MZ not a pdf"}]
    )
    page.locator("input[name=roster_document]").set_input_files(
        files=[{"name": "meibo.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.locator("#group-form button[type=submit]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#id_postal_code']")).to_be_visible()
    expect(summary.locator("a[href='#id_rules_document']")).to_be_visible()
    assert not Group.objects.exists()
    # What was typed is kept; files are chosen again.
    expect(page.locator("input[name=name]")).to_have_value("あおぞら読み聞かせの会")
    page.locator("input[name=postal_code]").fill("２３１－００２３")
    page.locator("input[name=rules_document]").set_input_files(
        files=[{"name": "kiyaku.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.locator("input[name=roster_document]").set_input_files(
        files=[{"name": "meibo.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.locator("#group-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/groups/mine/\d+/$"))
    group = Group.objects.get()
    assert group.postal_code == "231-0023"
    assert group.status == Group.Status.PENDING
    assert group.documents.count() == 2
    expect(page.locator("#group-documents")).to_contain_text("kiyaku.pdf")
    assert axe_violations(page) == []
    page.screenshot(path=screenshot_path("groups-journey-pending"), full_page=True)

    # Staff sign in with TOTP and approve on the review page.
    staff_context = browser.new_context(locale="ja-JP")
    staff = staff_context.new_page()
    staff.goto(f"{base}/admin/organizations/group/{group.pk}/change/")
    staff.locator("input[name=login]").fill(center_staff.email)
    staff.locator("input[name=password]").fill(PASSWORD)
    staff.locator("form button[type=submit]").last.click()
    staff.wait_for_url(f"{base}/accounts/2fa/authenticate/")
    staff.get_by_label("コード").fill(current_code())
    # By name: the page's last form is allauth's "cancel the sign-in".
    staff.get_by_role("button", name="ログイン").click()
    staff.wait_for_url(f"{base}/admin/organizations/group/{group.pk}/change/")
    staff.locator(f"a[href='/admin/organizations/group/{group.pk}/review/']").click()
    staff.locator("input[name=decision][value=approve]").check()
    staff.locator("#review-form input[type=submit]").click()
    staff.wait_for_url(f"{base}/admin/organizations/group/{group.pk}/change/")
    staff.screenshot(path=screenshot_path("groups-journey-admin"), full_page=True)
    staff_context.close()

    group.refresh_from_db()
    assert group.status == Group.Status.APPROVED
    assert group.memberships.get().user.groups.filter(name=ORG_MEMBER).exists()
    approved_mail = [m for m in mail.outbox if m.to == [APPLICANT] and m is not confirmation]
    assert len(approved_mail) == 2  # the receipt, then the approval

    # The group is in the directory, for anyone.
    visitor_context = browser.new_context(locale="ja-JP")
    visitor = visitor_context.new_page()
    visitor.goto(f"{base}/groups/?q=ヨミキカセ")
    expect(visitor.locator("#group-list")).to_contain_text("あおぞら読み聞かせの会")
    visitor.get_by_role("link", name="あおぞら読み聞かせの会").click()
    visitor.wait_for_url(f"{base}/groups/{group.pk}/")
    expect(visitor.locator("h1")).to_have_text("あおぞら読み聞かせの会")
    assert "山下町" not in visitor.content()
    visitor_context.close()

    # The new member books the lab from its calendar.
    mail.outbox.clear()
    day = timezone.localdate() + datetime.timedelta(days=2)
    page.goto(f"{base}/spaces/")
    page.get_by_role("link", name="協働ラボ ミーティングスペース").click()
    page.wait_for_url(f"{base}/spaces/lab-meeting/")
    page.goto(f"{base}/spaces/lab-meeting/?week={day.isoformat()}")
    slot = f"a[href='/spaces/lab-meeting/book/?date={day.isoformat()}&block=evening']"
    page.locator(slot).click()
    page.wait_for_url(re.compile(r".*/spaces/lab-meeting/book/\?.*"))
    expect(page.locator("input[name=date]")).to_have_value(day.isoformat())
    expect(page.locator("input[name=block][value=evening]")).to_be_checked()
    page.locator("input[name=date]").fill("2020-01-10")  # in the past: refused, kept
    page.locator("input[name=purpose]").fill("読み聞かせボランティアの打ち合わせ")
    page.locator("input[name=public_title]").fill("あおぞら読み聞かせの会 定例会")
    page.locator("input[name=attendees]").fill("６")
    page.locator("#booking-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("明日以降")
    assert not Booking.objects.exists()
    expect(page.locator("input[name=purpose]")).to_have_value("読み聞かせボランティアの打ち合わせ")
    page.locator("input[name=date]").fill(day.isoformat())
    page.locator("#booking-form button[type=submit]").click()
    page.wait_for_url(f"{base}/spaces/my-bookings/")
    expect(page.locator("#upcoming-bookings")).to_contain_text("あおぞら読み聞かせの会")
    booking = Booking.objects.get()
    assert (booking.date, booking.block, booking.attendees) == (day, "evening", 6)
    assert booking.status == Booking.Status.CONFIRMED
    page.screenshot(path=screenshot_path("spaces-journey-my-bookings"), full_page=True)

    confirmation = next(m for m in mail.outbox if m.to == [APPLICANT])
    assert confirmation.subject.startswith("予約確定")
    link = re.search(r"https?://\S+(/spaces/cancel/\S+/)", confirmation.body).group(1)

    # Cancel from the mail's link: a confirmation page, then the slot is free again.
    page.goto(base + link)
    expect(page.locator("#booking-status")).to_have_text("確定")
    page.get_by_role("button", name="予約をキャンセルする").click()
    expect(page.locator("#booking-status")).to_have_text("キャンセル")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert any("キャンセル" in m.subject for m in mail.outbox if m.to == [APPLICANT])
    page.goto(f"{base}/spaces/lab-meeting/?week={day.isoformat()}")
    expect(page.locator(slot)).to_be_visible()

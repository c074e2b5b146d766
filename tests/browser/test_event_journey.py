"""A citizen's registration for a full event, from the waiting list to the check-in.

citizen registers through the real form (first with mistakes) → the event is full, so the
done page and a mail say "waiting list" → someone else cancels their confirmed seat on their
private page (a POST) → the citizen is moved up and mailed → the reminder job mails the
reminder → staff sign in with TOTP on a phone and tick the citizen in on the check-in page,
found by フリガナ → the attendance is recorded. Every public page on the way, and the
check-in page, is scanned with axe-core; the form and the registrant page also in English.
"""

import datetime
import re

from django.core import mail
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from events import tasks
from events.models import Attendance, Event, Registration
from tests.browser.conftest import screenshot_path
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_staff_sign_in import current_code
from tests.conftest import PASSWORD
from tests.events.registration_helpers import make_event, register

CITIZEN = "sato.midori@example.jp"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def ja(message: str, **values) -> str:
    with translation.override("ja"):
        return gettext(message) % values


def private_path(message) -> str:
    """The registrant's private page, from the link in a mail (made with SITE_URL)."""
    url = re.search(r"https?://\S+?/events/registration/[\w-]+/", message.body).group(0)
    return "/events/registration/" + url.split("/events/registration/")[1]


def test_waitlisted_citizen_is_moved_up_reminded_and_checked_in_on_a_phone(
    page, live_server, center_staff
):
    cache.clear()
    mail.outbox.clear()
    # Three days ahead: outside its reminder window (a day) until time "passes" below.
    event = make_event(
        capacity=1,
        starts_in=datetime.timedelta(days=3),
        title="対話&創造ラボ 第4回",
        reminder_hours_before=24,
    )
    holder = register(event, 1, email="holder@example.jp")
    assert holder.status == Registration.Status.CONFIRMED
    holder_cancel_path = private_path(mails_to("holder@example.jp")[0]) + "cancel/"

    # The citizen opens the form: the event is full, the form offers the waiting list.
    page.goto(f"{live_server.url}/events/{event.pk}/register/")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)

    # Sent empty: the error summary and the fields' errors, still accessible.
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form .invalid-feedback").first).to_be_visible()
    assert_accessible(page)
    assert not Registration.objects.filter(email=CITIZEN).exists()

    page.fill("[name=family_name]", "佐藤")
    page.fill("[name=given_name]", "みどり")
    page.fill("[name=family_name_kana]", "サトウ")
    page.fill("[name=given_name_kana]", "ミドリ")
    page.fill("[name=email]", CITIZEN)
    page.fill("[name=party_size]", "1")
    page.check("[name=privacy_consent]")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()

    # Waitlisted: the done page and a mail say so.
    expect(page).to_have_url(re.compile(r"/events/registration/done/"))
    citizen = Registration.objects.get(email=CITIZEN)
    assert citizen.status == Registration.Status.WAITLISTED
    assert citizen.family_name_kana == "サトウ"
    assert_accessible(page)
    (waitlisted,) = mails_to(CITIZEN)
    assert waitlisted.subject == ja("You are on the waiting list: %(title)s", title=event.title)
    citizen_path = private_path(waitlisted)

    page.goto(f"{live_server.url}{citizen_path}")
    expect(page.locator("main")).to_contain_text(event.title)
    assert_accessible(page)

    # Someone else cancels their confirmed seat on their private page (GET asks, POST does).
    other = page.context.browser.new_context(locale="ja-JP").new_page()
    other.goto(f"{live_server.url}{holder_cancel_path}")
    assert_accessible(other)
    holder.refresh_from_db()
    assert holder.status == Registration.Status.CONFIRMED  # opening the link cancels nothing
    other.locator("main form button[type=submit]").click()
    expect(other).to_have_url(f"{live_server.url}{holder_cancel_path.removesuffix('cancel/')}")
    holder.refresh_from_db()
    assert holder.status == Registration.Status.CANCELLED
    other.context.close()

    # The citizen is moved up and mailed.
    citizen.refresh_from_db()
    assert citizen.status == Registration.Status.CONFIRMED
    promoted = mails_to(CITIZEN)[1]
    assert promoted.subject == ja("A seat is free for you: %(title)s", title=event.title)
    assert any(name == "event.ics" for name, *_rest in promoted.attachments)

    # Days pass: the event now starts within its reminder window (a promotion inside the
    # window would itself count as the reminder). The beat's task, called directly, mails
    # the reminder once.
    shift = event.starts_at - (timezone.now() + datetime.timedelta(hours=20))
    Event.objects.filter(pk=event.pk).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    event.sessions.update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
    assert tasks.send_reminders() == 1
    assert tasks.send_reminders() == 0
    reminder = mails_to(CITIZEN)[2]
    assert event.title in reminder.subject
    assert len(mails_to(CITIZEN)) == 3

    # Staff sign in with TOTP on a phone and tick the citizen in, found by フリガナ.
    session = event.sessions.get()
    phone = page.context.browser.new_context(locale="ja-JP", **PHONE)
    staff = phone.new_page()
    staff.goto(f"{live_server.url}/events/staff/{session.pk}/checkin/")
    staff.get_by_label("メールアドレス").fill(center_staff.email)
    staff.get_by_label("パスワード").fill(PASSWORD)
    staff.get_by_role("button", name="ログイン").click()
    staff.get_by_label("コード").fill(current_code())
    staff.get_by_role("button", name="ログイン").click()
    expect(staff).to_have_url(f"{live_server.url}/events/staff/{session.pk}/checkin/")
    assert_accessible(staff)

    staff.locator("#checkin-search").fill("サトウ")
    staff.locator("form[role=search] button[type=submit]").click()
    row = staff.locator(f"#r{citizen.pk}")
    expect(row).to_contain_text("佐藤")
    expect(staff.locator("main li[id^=r]")).to_have_count(1)
    row.locator("button[type=submit]").click()
    expect(staff.locator(f"#r{citizen.pk}")).to_have_class(re.compile("list-group-item-success"))
    assert Attendance.objects.filter(registration=citizen, session=session).count() == 1
    assert_accessible(staff)
    # The page must fit the phone: nothing wider than the viewport.
    assert staff.evaluate("document.documentElement.scrollWidth") <= 390
    staff.screenshot(path=screenshot_path("event-checkin-phone-ticked"), full_page=True)
    staff.goto(f"{live_server.url}/events/staff/checkin/")
    expect(staff.locator("main")).to_contain_text(event.title)
    assert_accessible(staff)
    staff.screenshot(path=screenshot_path("event-checkin-index-phone"), full_page=True)
    staff.goto(f"{live_server.url}/events/staff/{session.pk}/checkin/")
    staff.screenshot(path=screenshot_path("event-checkin-phone"), full_page=True)
    phone.close()

    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED
    cache.clear()


def test_the_form_and_the_registrant_page_are_accessible_in_english(page, live_server):
    cache.clear()
    event = make_event(capacity=5, starts_in=datetime.timedelta(days=3), title="NPO入門セミナー")
    page.goto(f"{live_server.url}/en/events/{event.pk}/register/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form .invalid-feedback").first).to_be_visible()
    assert_accessible(page)
    page.fill("[name=family_name]", "Smith")
    page.fill("[name=given_name]", "Jane")
    page.fill("[name=email]", "jane@example.com")
    page.check("[name=privacy_consent]")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/en/events/registration/done/"))
    assert_accessible(page)
    registration = Registration.objects.get(email="jane@example.com")
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.language == "en"
    page.goto(f"{live_server.url}/en/events/registration/{registration.token}/")
    expect(page.locator("main")).to_contain_text(event.title)
    assert_accessible(page)
    page.goto(f"{live_server.url}/en/events/registration/{registration.token}/cancel/")
    assert_accessible(page)
    assert timezone.now() < event.starts_at
    cache.clear()

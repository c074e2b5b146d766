"""A reader subscribes to the メルマガ through the real pages, in Japanese and in English:
form (first with mistakes) → "check your mail" → the confirmation link → confirmed →
preferences → unsubscribe. Every page on the way, including the ones only reachable from a
mail, is scanned with axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from publications.models import NewsletterTopic, Subscriber
from publications.services.newsletter import subscriber_manage_token
from tests.browser.test_accessibility import axe_violations

PREFIX = {"ja": "", "en": "/en"}


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


@pytest.mark.parametrize("language", ["ja", "en"])
def test_reader_subscribes_confirms_changes_choices_and_unsubscribes(page, live_server, language):
    mail.outbox.clear()
    NewsletterTopic.objects.create(name="イベント・講座", name_en="Events and seminars")
    base = f"{live_server.url}{PREFIX[language]}"

    page.goto(f"{base}/newsletter/")
    assert_accessible(page)
    # Sent with mistakes: an error summary that names the fields, nothing stored.
    page.fill("[name=email]", "not-an-address")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    assert not Subscriber.objects.exists()

    page.fill("[name=email]", "reader@example.jp")
    page.locator("[name=topics]").first.check()
    page.check("[name=privacy_consent]")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/newsletter/subscribed/$"))
    assert_accessible(page)

    subscriber = Subscriber.objects.get(email="reader@example.jp")
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.language == language
    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", confirmation.body).group(0)
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert_accessible(page)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE

    token = subscriber_manage_token(subscriber)
    page.goto(f"{base}/newsletter/preferences/{token}/")
    assert_accessible(page)
    page.check("[name=language][value=en]" if language == "ja" else "[name=language][value=ja]")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    subscriber.refresh_from_db()
    assert subscriber.language == ("en" if language == "ja" else "ja")

    page.goto(f"{base}/newsletter/unsubscribe/{token}/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert_accessible(page)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED

    # An expired or used-up confirmation link explains itself.
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    assert_accessible(page)

"""メルマガ newsletter: double opt-in, preferences, one-click unsubscribe (RFC 8058), the
archive, and sending — one delivery per recipient, claimed before it leaves, failures
retried with backoff, a crashed sender's rows resumed with no duplicate and no gap."""

import datetime
import re
import smtplib

import pytest
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.test import Client, override_settings
from django.utils import timezone

from center.core.models import AuditEvent, Ward
from publications.models import (
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterTopic,
    Subscriber,
)
from publications.services import newsletter as services

pytestmark = pytest.mark.django_db

Delivery = NewsletterDelivery.Status
IssueStatus = NewsletterIssue.Status
SUBSCRIBE = "/newsletter/"
LINK = re.compile(r"https?://[^\s\"<>]+")


def subscribe_form(email="hanako@example.jp", **extra) -> dict:
    return {"email": email, "privacy_consent": "on", **extra}


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def make_subscriber(email="taro@example.jp", *, status=Subscriber.Status.ACTIVE, **fields):
    subscriber = Subscriber.objects.create(
        email=email, status=status, privacy_notice_version="test", **fields
    )
    return subscriber


def make_issue(subject="12月号 市民協働フェスのお知らせ", **fields) -> NewsletterIssue:
    fields.setdefault("body", "## 今月のイベント\n\n市民協働フェスを開催します。")
    return NewsletterIssue.objects.create(subject=subject, **fields)


def send_issue_now(issue, actor, django_capture_on_commit_callbacks) -> NewsletterIssue:
    """Schedule for now; with eager tasks the on-commit hooks start and run the send."""
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_issue_schedule(issue=issue, send_at=None, actor=actor)
    issue.refresh_from_db()
    return issue


# Subscribe and confirm ------------------------------------------------------------------------


def test_subscribing_sends_a_confirmation_and_delivers_nothing_until_confirmed(
    client, django_capture_on_commit_callbacks
):
    topic = NewsletterTopic.objects.create(name="イベント", name_en="Events")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBSCRIBE, subscribe_form(topics=[topic.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("/newsletter/subscribed/")
    subscriber = Subscriber.objects.get(email="hanako@example.jp")
    assert subscriber.status == Subscriber.Status.PENDING
    assert list(subscriber.topics.all()) == [topic]
    assert subscriber.privacy_notice_version == services.PRIVACY_NOTICE_VERSION
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hanako@example.jp"]
    confirm_url = next(url for url in links_in(mail.outbox[0]) if "/confirm/" in url)

    # Opening the link (as a mail scanner would) changes nothing...
    page = client.get(path_of(confirm_url))
    assert page.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    # ...pressing the button on the page confirms.
    assert client.post(path_of(confirm_url)).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.confirmed_at


def test_an_email_is_stored_lower_case_so_the_same_person_is_one_subscriber(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBSCRIBE, subscribe_form(email="Hanako@Example.JP"))
    assert Subscriber.objects.get().email == "hanako@example.jp"


@override_settings(NEWSLETTER_CONFIRMATION_HOURS=0)
def test_an_expired_confirmation_link_explains_and_confirms_nothing(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    token = services.subscriber_confirmation_token(subscriber)
    response = client.post(f"/en/newsletter/confirm/{token}/")
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_a_forged_confirmation_token_is_a_404(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    forged = signing.TimestampSigner(salt="something else").sign(str(subscriber.pk))
    assert client.post(f"/newsletter/confirm/{forged}/").status_code == 404
    assert client.get("/newsletter/confirm/not-a-token/").status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_an_old_confirmation_link_cannot_undo_an_unsubscribe(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    token = services.subscriber_confirmation_token(subscriber)
    services.subscriber_unsubscribe(subscriber=subscriber, method="page")
    assert client.post(f"/newsletter/confirm/{token}/").status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_subscribing_an_active_address_changes_nothing_and_mails_its_preferences_link(
    client, django_capture_on_commit_callbacks
):
    topic = NewsletterTopic.objects.create(name="助成金", name_en="Grants")
    subscriber = make_subscriber("hanako@example.jp")
    subscriber.topics.add(topic)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBSCRIBE, subscribe_form())  # no topics: would mean "all"
    assert response.status_code == 302  # the same answer as for a new address
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert list(subscriber.topics.all()) == [topic]
    assert len(mail.outbox) == 1
    assert any("/newsletter/preferences/" in url for url in links_in(mail.outbox[0]))


def test_the_form_cannot_flood_a_strangers_inbox(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(5):
            client.post(SUBSCRIBE, subscribe_form())
    assert len(mail.outbox) == 1


def test_a_resubscribe_after_unsubscribing_asks_for_confirmation_again(
    client, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber("hanako@example.jp", status=Subscriber.Status.UNSUBSCRIBED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBSCRIBE, subscribe_form())
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert any("/confirm/" in url for url in links_in(mail.outbox[0]))


def test_bad_input_is_shown_on_the_form_and_stores_nothing(client):
    response = client.post("/en/newsletter/", {"email": "not an address"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the following" in page
    assert "Enter a valid email address." in page
    assert "Please agree to the handling of your email address" in page
    assert 'value="not an address"' in page  # what was typed is kept
    assert not Subscriber.objects.exists()


def test_control_characters_and_huge_input_are_errors_not_500s(client):
    response = client.post(SUBSCRIBE, {"email": "a\x00b@example.jp" + "x" * 10_000, "topics": "z"})
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_the_honeypot_answers_as_usual_and_stores_nothing(client):
    response = client.post(SUBSCRIBE, subscribe_form(website="http://spam.example"))
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_the_subscribe_page_is_in_english_under_en(client):
    page = client.get("/en/newsletter/").content.decode()
    assert "Email newsletter" in page and "Subscribe" in page
    assert 'lang="en"' in page


# Preferences and unsubscribe --------------------------------------------------------------


def test_preferences_change_topics_wards_and_language(client):
    topic = NewsletterTopic.objects.create(name="イベント", name_en="Events")
    ward = Ward.objects.get(code="naka")
    subscriber = make_subscriber("hanako@example.jp")
    token = services.subscriber_manage_token(subscriber)
    page = client.get(f"/newsletter/preferences/{token}/").content.decode()
    assert "ha***@example.jp" in page and "hanako@example.jp" not in page
    response = client.post(
        f"/newsletter/preferences/{token}/",
        {"topics": [topic.pk], "wards": [ward.pk], "language": "en"},
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.language == "en"
    assert list(subscriber.topics.all()) == [topic]
    assert list(subscriber.wards.all()) == [ward]


def test_one_click_unsubscribe_needs_no_cookie_and_answers_200_without_redirect():
    subscriber = make_subscriber()
    token = services.subscriber_manage_token(subscriber)
    # What a mail provider sends (RFC 8058): a bare POST, no cookie, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/newsletter/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribe_method == "one-click"
    # Again: still 200, still unsubscribed.
    assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 200


def test_a_forged_unsubscribe_token_is_a_404_and_changes_nothing():
    subscriber = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    forged = signing.Signer(salt="not ours").sign(str(subscriber.pk))
    for token in (forged, f"{subscriber.pk}:abc", "x" * 300):
        assert client.post(f"/newsletter/unsubscribe/{token}/").status_code == 404
        assert client.get(f"/newsletter/preferences/{token}/").status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_the_unsubscribe_page_asks_before_it_unsubscribes(client):
    subscriber = make_subscriber()
    token = services.subscriber_manage_token(subscriber)
    page = client.get(f"/en/newsletter/unsubscribe/{token}/")
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    response = client.post(f"/en/newsletter/unsubscribe/{token}/")
    assert "You are unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribe_method == "page"


# Sending ----------------------------------------------------------------------------------


def test_an_issue_reaches_exactly_the_confirmed_subscribers_it_targets(
    center_staff, django_capture_on_commit_callbacks
):
    events = NewsletterTopic.objects.create(name="イベント", name_en="Events")
    grants = NewsletterTopic.objects.create(name="助成金", name_en="Grants")
    naka = Ward.objects.get(code="naka")
    tsurumi = Ward.objects.get(code="tsurumi")
    everywhere = make_subscriber("all@example.jp")
    everywhere.topics.add(events)
    in_naka = make_subscriber("naka@example.jp")
    in_naka.topics.add(events)
    in_naka.wards.add(naka)
    in_tsurumi = make_subscriber("tsurumi@example.jp")
    in_tsurumi.topics.add(events)
    in_tsurumi.wards.add(tsurumi)
    grants_only = make_subscriber("grants@example.jp")
    grants_only.topics.add(grants)
    make_subscriber("pending@example.jp", status=Subscriber.Status.PENDING)
    make_subscriber("gone@example.jp", status=Subscriber.Status.UNSUBSCRIBED)

    issue = make_issue()
    issue.topics.add(events)
    issue.wards.add(naka)
    issue = send_issue_now(issue, center_staff, django_capture_on_commit_callbacks)

    assert sorted(to for message in mail.outbox for to in message.to) == [
        "all@example.jp",
        "naka@example.jp",
    ]
    assert issue.status == IssueStatus.SENT and issue.finished_at
    assert set(issue.deliveries.values_list("status", flat=True)) == {Delivery.SENT}


def test_every_mail_has_one_click_unsubscribe_headers_sender_and_a_working_link(
    client, center_staff, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber("hanako@example.jp")
    send_issue_now(make_issue(), center_staff, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.startswith("<http") and unsubscribe.endswith(">")
    assert message.extra_headers["Message-ID"].startswith("<newsletter.")
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert "横浜市市民協働推進センター" in text  # the sender's name
        assert "本町6-50-10" in text or "本町6丁目50-10" in text or "横浜市中区" in text
        assert unsubscribe[1:-1] in text  # the unsubscribe link
    assert "<h2>今月のイベント</h2>" in html  # Markdown rendered
    response = Client().post(path_of(unsubscribe[1:-1]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_english_subscribers_get_the_english_text_when_there_is_one(
    center_staff, django_capture_on_commit_callbacks
):
    make_subscriber("ja@example.jp", language="ja")
    make_subscriber("en@example.jp", language="en")
    issue = make_issue(subject_en="December: Citizen Festival", body_en="Come to the festival.")
    send_issue_now(issue, center_staff, django_capture_on_commit_callbacks)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["en@example.jp"].subject == "December: Citizen Festival"
    assert "Unsubscribe" in by_address["en@example.jp"].body
    assert by_address["ja@example.jp"].subject == issue.subject


def start(issue, actor) -> None:
    """Scheduled and started, without running the sender."""
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        status=IssueStatus.SCHEDULED, scheduled_at=timezone.now()
    )
    assert services.newsletter_issue_start(issue_id=issue.pk)


def test_a_sender_that_died_mid_send_is_resumed_with_no_duplicate_and_no_gap(
    center_staff, django_capture_on_commit_callbacks
):
    for number in range(6):
        make_subscriber(f"s{number}@example.jp")
    issue = make_issue()
    start(issue, center_staff)
    rows = list(issue.deliveries.order_by("pk"))
    # A first worker sent two, had claimed the third when it was killed.
    NewsletterDelivery.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(
        status=Delivery.SENT, sent_at=timezone.now()
    )
    NewsletterDelivery.objects.filter(pk=rows[2].pk).update(
        status=Delivery.SENDING, claimed_at=timezone.now(), attempts=1
    )
    # While the claim is fresh, the sweeper leaves it alone (its sender may be alive)...
    assert services.newsletter_sweep()["reclaimed"] == 0
    services.newsletter_send_pending(issue_id=issue.pk)
    assert sorted(m.to[0] for m in mail.outbox) == [f"s{n}@example.jp" for n in (3, 4, 5)]
    # ...once it is older than the lease, it goes back to the queue and is sent once.
    NewsletterDelivery.objects.filter(pk=rows[2].pk).update(
        claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.newsletter_sweep()
    assert counts["reclaimed"] == 1 and counts["resumed"] == 1
    assert [m.to[0] for m in mail.outbox] == ["s2@example.jp"]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert issue.deliveries.filter(status=Delivery.SENT).count() == 6


def test_two_senders_never_claim_the_same_row(center_staff):
    for number in range(5):
        make_subscriber(f"s{number}@example.jp")
    issue = make_issue()
    start(issue, center_staff)
    first = services._claim_batch(issue.pk)
    second = services._claim_batch(issue.pk)
    assert len(first) == 5 and second == []
    assert set(issue.deliveries.values_list("status", flat=True)) == {Delivery.SENDING}


class FlakyBackend(LocmemBackend):
    """Refuses some recipients: permanently (550) or for now (451)."""

    refusals: dict[str, int] = {}

    def send_messages(self, messages):
        for message in messages:
            code = self.refusals.get(message.to[0])
            if code:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (code, b"refused")})
        return super().send_messages(messages)


def test_failures_are_recorded_and_temporary_ones_retried_with_backoff(
    center_staff, django_capture_on_commit_callbacks
):
    make_subscriber("ok@example.jp")
    make_subscriber("unknown@example.jp")
    make_subscriber("busy@example.jp")
    issue = make_issue()
    start(issue, center_staff)
    FlakyBackend.refusals = {"unknown@example.jp": 550, "busy@example.jp": 451}
    services.newsletter_send_pending(issue_id=issue.pk, connection=FlakyBackend())

    rows = {d.subscriber.email: d for d in issue.deliveries.select_related("subscriber")}
    assert rows["ok@example.jp"].status == Delivery.SENT
    assert rows["unknown@example.jp"].status == Delivery.FAILED
    assert "550" in rows["unknown@example.jp"].last_error
    busy = rows["busy@example.jp"]
    assert busy.status == Delivery.QUEUED and busy.attempts == 1
    assert busy.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING  # one still to try

    # Not due yet: the sweeper does not hammer the server.
    mail.outbox.clear()
    assert services.newsletter_sweep()["resumed"] == 0
    # Due, and the server accepts it now.
    NewsletterDelivery.objects.filter(pk=busy.pk).update(next_attempt_at=timezone.now())
    FlakyBackend.refusals = {}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.newsletter_sweep()["resumed"] == 1
    assert [m.to[0] for m in mail.outbox] == ["busy@example.jp"]
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    progress = services.issue_progress(issue)
    assert (progress.sent, progress.failed, progress.waiting) == (2, 1, 0)


def test_a_recipient_is_given_up_after_the_last_retry(center_staff):
    make_subscriber("busy@example.jp")
    issue = make_issue()
    start(issue, center_staff)
    FlakyBackend.refusals = {"busy@example.jp": 451}
    for _attempt in range(len(services.RETRY_DELAYS) + 1):
        NewsletterDelivery.objects.filter(issue=issue).update(next_attempt_at=timezone.now())
        services.newsletter_send_pending(issue_id=issue.pk, connection=FlakyBackend())
    delivery = issue.deliveries.get()
    assert delivery.status == Delivery.FAILED
    assert delivery.attempts == len(services.RETRY_DELAYS) + 1
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT


class DisconnectingBackend(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_lost_mail_server_ends_the_round_and_keeps_the_rest_queued(center_staff):
    for number in range(4):
        make_subscriber(f"s{number}@example.jp")
    issue = make_issue()
    start(issue, center_staff)
    counts = services.newsletter_send_pending(issue_id=issue.pk, connection=DisconnectingBackend())
    assert counts["lost"] == 1 and counts["sent"] == 0
    statuses = list(issue.deliveries.values_list("status", flat=True))
    assert statuses == [Delivery.QUEUED] * 4  # nothing lost, nothing marked failed


def test_someone_who_unsubscribes_during_a_send_gets_nothing_more(center_staff):
    make_subscriber("stays@example.jp")
    leaving = make_subscriber("leaves@example.jp")
    issue = make_issue()
    start(issue, center_staff)
    services.subscriber_unsubscribe(subscriber=leaving, method="one-click")
    services.newsletter_send_pending(issue_id=issue.pk)
    assert [m.to[0] for m in mail.outbox] == ["stays@example.jp"]
    assert issue.deliveries.get(subscriber=leaving).status == Delivery.SKIPPED


def test_stopping_a_send_leaves_the_rest_unsent(center_staff):
    make_subscriber("a@example.jp")
    issue = make_issue()
    start(issue, center_staff)
    services.newsletter_issue_cancel(issue=issue, actor=center_staff)
    services.newsletter_send_pending(issue_id=issue.pk)
    assert not mail.outbox
    issue.refresh_from_db()
    assert issue.status == IssueStatus.CANCELLED


def test_a_scheduled_issue_waits_for_its_time_then_the_sweeper_starts_it(
    center_staff, django_capture_on_commit_callbacks
):
    make_subscriber("a@example.jp")
    issue = make_issue()
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_issue_schedule(issue=issue, send_at=later, actor=center_staff)
        services.newsletter_sweep()
    assert not mail.outbox
    NewsletterIssue.objects.filter(pk=issue.pk).update(scheduled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.newsletter_sweep()["started"] == 1
    assert [m.to[0] for m in mail.outbox] == ["a@example.jp"]


def test_a_past_time_or_a_sent_issue_cannot_be_scheduled(center_staff):
    from django.core.exceptions import ValidationError

    issue = make_issue()
    with pytest.raises(ValidationError):
        services.newsletter_issue_schedule(
            issue=issue, send_at=timezone.now() - datetime.timedelta(days=1), actor=center_staff
        )
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENT)
    with pytest.raises(ValidationError):
        services.newsletter_issue_schedule(issue=issue, send_at=None, actor=center_staff)


# Archive ----------------------------------------------------------------------------------


def test_the_archive_shows_sent_issues_only(
    client, center_staff, django_capture_on_commit_callbacks
):
    sent = send_issue_now(
        make_issue("送信済みの号"), center_staff, django_capture_on_commit_callbacks
    )
    draft = make_issue("下書きの号")
    page = client.get("/newsletter/archive/").content.decode()
    assert "送信済みの号" in page and "下書きの号" not in page
    assert client.get(f"/newsletter/archive/{sent.pk}/").status_code == 200
    assert client.get(f"/newsletter/archive/{draft.pk}/").status_code == 404
    assert "送信済みの号" in client.get("/newsletter/").content.decode()


def test_staff_preview_a_draft_on_the_web(client, coordinator):
    draft = make_issue("下書きの号")
    client.force_login(coordinator)
    response = client.get(f"/newsletter/archive/{draft.pk}/")
    assert response.status_code == 200
    assert "下書きの号" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("query", ["?page=abc", "?page=999999", "?page=%00", "?x=" + "y" * 10_000])
def test_archive_junk_queries_are_not_errors(client, query):
    assert client.get("/newsletter/archive/" + query).status_code == 200


# Admin ------------------------------------------------------------------------------------


def issue_form(**overrides) -> dict:
    data = {
        "subject": "1月号",
        "body": "本文",
        "subject_en": "",
        "body_en": "",
        "scheduled_at_0": "",
        "scheduled_at_1": "",
    }
    data.update(overrides)
    return data


def test_a_coordinator_drafts_and_tests_but_cannot_send(client, coordinator):
    make_subscriber("reader@example.jp")
    client.force_login(coordinator)
    response = client.post("/admin/publications/newsletterissue/add/", issue_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    issue = NewsletterIssue.objects.get()
    assert issue.created_by == coordinator
    change = f"/admin/publications/newsletterissue/{issue.pk}/change/"
    page = client.get(change).content.decode()
    assert 'value="test"' in page and 'value="send_now"' not in page

    client.post(change, issue_form(_newsletter_action="test"))
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert mail.outbox[0].subject.startswith("[")  # marked as a test
    mail.outbox.clear()
    client.post(change, issue_form(_newsletter_action="send_now"))
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT and not mail.outbox


def test_staff_send_from_the_admin_and_see_the_progress(
    client, center_staff, django_capture_on_commit_callbacks
):
    for number in range(3):
        make_subscriber(f"s{number}@example.jp")
    issue = make_issue()
    client.force_login(center_staff)
    change = f"/admin/publications/newsletterissue/{issue.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change,
            issue_form(subject=issue.subject, body=issue.body, _newsletter_action="send_now"),
        )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert len(mail.outbox) == 3
    page = client.get(change).content.decode()
    assert 'value="100"' in page  # the progress bar
    assert "送信済み 3 件" in page
    changelist = client.get("/admin/publications/newsletterissue/").content.decode()
    assert "3 / 3" in changelist
    assert AuditEvent.objects.filter(detail__newsletter="scheduled").exists()
    # A sent issue can no longer be edited.
    client.post(change, issue_form(subject="書き換え", body="x"))
    issue.refresh_from_db()
    assert issue.subject != "書き換え"


def test_subscribers_are_never_added_by_hand(client, center_staff):
    client.force_login(center_staff)
    assert client.get("/admin/publications/subscriber/add/").status_code == 403
    assert client.get("/admin/publications/subscriber/").status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "org_member", "city_staff"])
def test_other_roles_have_no_newsletter_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in ("/admin/publications/newsletterissue/", "/admin/publications/subscriber/"):
        assert client.get(url).status_code in (302, 403)

"""メルマガ newsletter: subscriptions (double opt-in), issues, and the send itself.

Sending guarantee, per recipient: each issue gets one delivery row per recipient when the
send starts (in one transaction with the status change). A sender claims a row with a
conditional UPDATE (queued → sending) before the mail leaves and marks it sent after the
SMTP server accepted it, so two senders never mail the same row, and a worker killed while
sending leaves only the row it held in "sending". The sweeper puts such rows back in the
queue once their claim is older than NEWSLETTER_CLAIM_LEASE_SECONDS. The one case that can
still give a duplicate is a crash in the instant between the server's acceptance and the
UPDATE that records it (SMTP has no two-phase commit); the Message-ID is the same on both
copies, so mail systems that deduplicate will drop the second.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from center.core.cache import public_cache_invalidate
from center.core.models import AuditEvent
from center.core.services import audit_event_record, outbox_enqueue
from center.lib.i18n import mail_language

from ..models import NewsletterDelivery, NewsletterIssue, NewsletterTopic, Subscriber

__all__ = [
    "PRIVACY_NOTICE_VERSION",
    "IssueProgress",
    "issue_progress",
    "confirmation_lifetime",
    "newsletter_issue_cancel",
    "newsletter_issue_retry_failed",
    "newsletter_issue_schedule",
    "newsletter_issue_send_test",
    "newsletter_issue_start",
    "newsletter_send_pending",
    "newsletter_sweep",
    "subscriber_confirm",
    "subscriber_confirmation_token",
    "subscriber_from_confirmation_token",
    "subscriber_from_manage_token",
    "subscriber_manage_token",
    "subscriber_subscribe",
    "subscriber_unsubscribe",
    "subscriber_update_preferences",
]

logger = logging.getLogger(__name__)

# The privacy notice shown on the subscribe form; stored with every subscriber.
PRIVACY_NOTICE_VERSION = "2026-12-01"
CONFIRMATION_TASK = "publications.tasks_newsletter.send_confirmation"
SEND_TASK = "publications.tasks_newsletter.send_issue"
_CONFIRM_SALT = "publications.newsletter.confirm"
_MANAGE_SALT = "publications.newsletter.manage"
# One confirmation (or "already subscribed") mail per address per this many seconds: the
# form must not become a way to flood a stranger's inbox.
CONFIRMATION_RESEND_SECONDS = 10 * 60
# Per-recipient retries after a temporary failure: 1 min, 5 min, 30 min, 2 h, then failed.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60)
CLAIM_BATCH = 25
# Placeholders in the rendered issue, replaced by each recipient's own values.
_TOKEN_PLACEHOLDER = "NEWSLETTERRECIPIENTTOKEN"
_ADDRESS_PLACEHOLDER = "newsletter-recipient@placeholder.invalid"
_MESSAGE_ID_PLACEHOLDER = "<newsletter-message-id@placeholder.invalid>"


# Tokens -------------------------------------------------------------------------------------


def subscriber_confirmation_token(subscriber: Subscriber) -> str:
    """A signed, timestamped token; it expires after NEWSLETTER_CONFIRMATION_HOURS."""
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign(str(subscriber.pk))


def subscriber_from_confirmation_token(token: str) -> Subscriber:
    """The subscriber a confirmation link names. SignatureExpired when the link is too old,
    BadSignature when it was not made here, Subscriber.DoesNotExist when the row is gone."""
    value = signing.TimestampSigner(salt=_CONFIRM_SALT).unsign(
        token, max_age=confirmation_lifetime()
    )
    return Subscriber.objects.get(pk=int(value))


def subscriber_manage_token(subscriber: Subscriber) -> str:
    """The token of a subscriber's unsubscribe and preferences links. It does not expire:
    a link in an old issue must still unsubscribe (RFC 8058)."""
    return signing.Signer(salt=_MANAGE_SALT).sign(str(subscriber.pk))


def subscriber_from_manage_token(token: str) -> Subscriber:
    """BadSignature for a forged token, Subscriber.DoesNotExist for a deleted subscriber."""
    value = signing.Signer(salt=_MANAGE_SALT).unsign(token)
    return Subscriber.objects.get(pk=int(value))


def _manage_urls(language: str, token: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "unsubscribe_url": settings.SITE_URL
            + reverse("publications:newsletter_unsubscribe", kwargs={"token": token}),
            "preferences_url": settings.SITE_URL
            + reverse("publications:newsletter_preferences", kwargs={"token": token}),
        }


# Subscriptions ------------------------------------------------------------------------------


def _normalised_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def subscriber_subscribe(
    *,
    email: str,
    topics: list[NewsletterTopic],
    wards: list,
    language: str,
) -> Subscriber:
    """Ask for a subscription. Nothing is delivered until the owner of the address follows
    the confirmation link.

    The answer looks the same whatever the address's state, so the form cannot be used to
    learn who subscribes. An active subscriber's choices are not changed from here (anyone
    can type anyone's address): they get a mail with their preferences link instead.
    """
    email = _normalised_email(email)
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber(email=email)
    if subscriber.status != Subscriber.Status.ACTIVE:
        subscriber.status = Subscriber.Status.PENDING
        subscriber.language = mail_language(language)
        subscriber.privacy_notice_version = PRIVACY_NOTICE_VERSION
        subscriber.full_clean()
        subscriber.save()
        subscriber.topics.set(topics)
        subscriber.wards.set(wards)
    recently_mailed = (
        subscriber.confirmation_sent_at is not None
        and (now - subscriber.confirmation_sent_at).total_seconds() < CONFIRMATION_RESEND_SECONDS
    )
    if recently_mailed:
        logger.info(
            "Newsletter subscriber %s: confirmation mailed recently, not again", subscriber.pk
        )
        return subscriber
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
    subscriber.confirmation_sent_at = now
    outbox_enqueue(CONFIRMATION_TASK, subscriber.pk)
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> bool:
    """Activate a pending subscription; True if this call activated it.

    Only a pending subscriber can be confirmed: an old confirmation link must not undo a
    later unsubscribe.
    """
    updated = Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.PENDING).update(
        status=Subscriber.Status.ACTIVE, confirmed_at=timezone.now(), unsubscribed_at=None
    )
    subscriber.refresh_from_db()
    return bool(updated)


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber, method: str) -> bool:
    """Stop every mail to this address at once, including the rest of a send under way
    (the sender checks the subscriber's status when it claims each row). Idempotent."""
    updated = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(
            status=Subscriber.Status.UNSUBSCRIBED,
            unsubscribed_at=timezone.now(),
            unsubscribe_method=method[:20],
        )
    )
    subscriber.refresh_from_db()
    return bool(updated)


@transaction.atomic
def subscriber_update_preferences(
    *, subscriber: Subscriber, topics: list[NewsletterTopic], wards: list, language: str
) -> Subscriber:
    subscriber.language = mail_language(language)
    subscriber.full_clean()
    subscriber.save(update_fields=["language"])
    subscriber.topics.set(topics)
    subscriber.wards.set(wards)
    return subscriber


# Rendering ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedIssue:
    """An issue rendered once per language; each recipient's token is substituted in."""

    subject: str
    text: str
    html: str
    unsubscribe_url: str

    def for_token(self, token: str) -> tuple[str, str, str]:
        return (
            self.text.replace(_TOKEN_PLACEHOLDER, token),
            self.html.replace(_TOKEN_PLACEHOLDER, token),
            self.unsubscribe_url.replace(_TOKEN_PLACEHOLDER, token),
        )


def render_issue(issue: NewsletterIssue, language: str, *, test: bool = False) -> RenderedIssue:
    """Subject, text and HTML of an issue in `language`, with placeholder links."""
    urls = _manage_urls(language, _TOKEN_PLACEHOLDER)
    with translation.override(language):
        archive_url = settings.SITE_URL + reverse(
            "publications:newsletter_issue", kwargs={"pk": issue.pk}
        )
        context = {
            "issue": issue,
            "subject": issue.subject_in(language),
            "body": issue.body_in(language),
            "subject_language": issue.subject_language(language),
            "body_language": issue.body_language(language),
            "archive_url": archive_url,
            "site_url": settings.SITE_URL,
            "center_name": settings.CENTER_NAME,
            **urls,
        }
        subject = " ".join(issue.subject_in(language).split())
        if test:
            subject = f"[{_('TEST')}] {subject}"
        text = render_to_string("emails/newsletter-issue-body.txt", context)
        html = render_to_string("emails/newsletter-issue-body.html", context)
    return RenderedIssue(subject, text, html, urls["unsubscribe_url"])


def _message_domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    return address.strip(" >") or "localhost"


def _build_message(
    rendered: RenderedIssue, *, to: str, token: str, message_id: str
) -> EmailMultiAlternatives:
    text, html, unsubscribe_url = rendered.for_token(token)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            # RFC 8058: a mail client may unsubscribe with one POST to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<newsletter.{_message_domain()}>",
            "Message-ID": message_id,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# Issues -------------------------------------------------------------------------------------


def newsletter_issue_send_test(*, issue: NewsletterIssue, to: str, actor, language: str) -> None:
    """Mail the issue, marked as a test, to one address now. The links in it work for no
    subscriber. SMTP errors reach the caller, who shows them to the staff member."""
    rendered = render_issue(issue, mail_language(language), test=True)
    message = _build_message(
        rendered,
        to=to,
        token="test",
        message_id=f"<newsletter.{issue.pk}.test.{timezone.now():%Y%m%d%H%M%S}@{_message_domain()}>",
    )
    message.send()
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        target=issue,
        detail={"newsletter": "test sent"},
        label=f"{NewsletterIssue._meta.verbose_name} #{issue.pk}",
    )


@transaction.atomic
def newsletter_issue_schedule(
    *, issue: NewsletterIssue, send_at: datetime.datetime | None, actor
) -> NewsletterIssue:
    """Schedule a draft (or move a scheduled issue) to `send_at`; None means now."""
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_editable:
        raise ValidationError(_("This issue has already been sent or is being sent."))
    now = timezone.now()
    send_at = send_at or now
    if send_at < now - datetime.timedelta(minutes=5):
        raise ValidationError(_("The sending time is in the past."))
    if not issue.subject.strip() or not issue.body.strip():
        raise ValidationError(_("An issue needs a subject and a body before it can be sent."))
    issue.status = NewsletterIssue.Status.SCHEDULED
    issue.scheduled_at = send_at
    issue.save(update_fields=["status", "scheduled_at", "updated_at"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        target=issue,
        detail={"newsletter": "scheduled", "send_at": send_at.isoformat()},
        label=f"{NewsletterIssue._meta.verbose_name} #{issue.pk}",
    )
    if send_at <= now:
        # Start at once rather than at the sweeper's next round.
        outbox_enqueue("publications.tasks_newsletter.start_issue", issue.pk)
    return issue


@transaction.atomic
def newsletter_issue_cancel(*, issue: NewsletterIssue, actor) -> NewsletterIssue:
    """Unschedule a scheduled issue (back to draft), or stop a send under way (the rows not
    yet sent stay queued and are never sent)."""
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == NewsletterIssue.Status.SCHEDULED:
        issue.status = NewsletterIssue.Status.DRAFT
        issue.scheduled_at = None
    elif issue.status == NewsletterIssue.Status.SENDING:
        issue.status = NewsletterIssue.Status.CANCELLED
        issue.finished_at = timezone.now()
    else:
        raise ValidationError(_("Only a scheduled issue or a send under way can be cancelled."))
    issue.save(update_fields=["status", "scheduled_at", "finished_at", "updated_at"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        target=issue,
        detail={"newsletter": f"cancelled ({issue.status})"},
        label=f"{NewsletterIssue._meta.verbose_name} #{issue.pk}",
    )
    return issue


def newsletter_issue_start(*, issue_id: int) -> bool:
    """Start a due scheduled issue: one delivery row per recipient, written in the same
    transaction as the status change, then the senders are enqueued. False when the issue
    was not due, or another process started it first."""
    with transaction.atomic():
        now = timezone.now()
        started = NewsletterIssue.objects.filter(
            pk=issue_id, status=NewsletterIssue.Status.SCHEDULED, scheduled_at__lte=now
        ).update(status=NewsletterIssue.Status.SENDING, started_at=now)
        if not started:
            return False
        issue = NewsletterIssue.objects.get(pk=issue_id)
        subscriber_ids = list(
            Subscriber.objects.for_issue(issue).order_by("pk").values_list("pk", flat=True)
        )
        NewsletterDelivery.objects.bulk_create(
            [
                NewsletterDelivery(issue_id=issue_id, subscriber_id=pk, next_attempt_at=now)
                for pk in subscriber_ids
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        for _sender in range(settings.NEWSLETTER_PARALLEL_SENDERS):
            outbox_enqueue(SEND_TASK, issue_id)
    logger.info("Newsletter issue %s started: %s recipients", issue_id, len(subscriber_ids))
    if not subscriber_ids:
        _finish_if_done(issue_id)
    return True


def _retry_delay(attempts: int) -> int | None:
    """Seconds before the next try after `attempts` failed ones; None when out of tries."""
    if attempts > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[attempts - 1]


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer about this recipient or message will not change on retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500 and not isinstance(exc, smtplib.SMTPSenderRefused)
    return False


def _record_failure(delivery: NewsletterDelivery, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:500]
    delay = None if _is_permanent(exc) else _retry_delay(delivery.attempts)
    fields = {"last_error": error, "claimed_at": None}
    if delay is None:
        fields["status"] = NewsletterDelivery.Status.FAILED
    else:
        fields["status"] = NewsletterDelivery.Status.QUEUED
        fields["next_attempt_at"] = timezone.now() + datetime.timedelta(seconds=delay)
    NewsletterDelivery.objects.filter(
        pk=delivery.pk, status=NewsletterDelivery.Status.SENDING
    ).update(**fields)
    logger.warning(
        "Newsletter delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error
    )


def _claim_batch(issue_id: int) -> list[NewsletterDelivery]:
    """Claim up to CLAIM_BATCH due rows of the issue for this sender (queued → sending).

    On PostgreSQL, SKIP LOCKED lets parallel senders take different rows without waiting;
    the conditional UPDATE is what guarantees it everywhere: a row changes hands only while
    it is queued, and the claim time, to the microsecond, tells this sender's rows apart.
    """
    now = timezone.now()
    queued = NewsletterDelivery.Status.QUEUED
    with transaction.atomic():
        ids = list(
            NewsletterDelivery.objects.select_for_update(skip_locked=True)
            .filter(issue_id=issue_id, status=queued, next_attempt_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)[:CLAIM_BATCH]
        )
        if not ids:
            return []
        NewsletterDelivery.objects.filter(pk__in=ids, status=queued).update(
            status=NewsletterDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        NewsletterDelivery.objects.filter(
            pk__in=ids, status=NewsletterDelivery.Status.SENDING, claimed_at=now
        )
        .select_related("subscriber")
        .order_by("pk")
    )


def _release(deliveries: list[NewsletterDelivery]) -> None:
    """Give back claimed rows this sender will not send after all (queued again)."""
    for delivery in deliveries:
        NewsletterDelivery.objects.filter(
            pk=delivery.pk,
            status=NewsletterDelivery.Status.SENDING,
            claimed_at=delivery.claimed_at,
        ).update(
            status=NewsletterDelivery.Status.QUEUED,
            claimed_at=None,
            attempts=F("attempts") - 1,
        )


def newsletter_send_pending(*, issue_id: int, connection=None) -> dict[str, int]:
    """Send the issue's due queued rows, claiming them before they leave; exactly once per
    row (see the module docstring). Several senders may run at once. Per-recipient failures
    are recorded and retried later with backoff; a lost connection to the mail server ends
    this round early (the rows stay queued). Returns counts for the log."""
    counts = {"sent": 0, "failed": 0, "skipped": 0, "lost": 0}
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status != NewsletterIssue.Status.SENDING:
        return counts
    sender = _Sender(issue, connection or get_connection())
    # A row is sent only within half the lease after its claim, so the sweeper (which
    # waits for the whole lease) never hands a row to a second sender while this one may
    # still send it.
    send_within = settings.NEWSLETTER_CLAIM_LEASE_SECONDS / 2
    try:
        sender.connection.open()
        while _still_sending(issue_id):
            batch = _claim_batch(issue_id)
            if not batch:
                break
            for index, delivery in enumerate(batch):
                age = (timezone.now() - delivery.claimed_at).total_seconds()
                if age > send_within:
                    _release(batch[index:])
                    break
                outcome = sender.send(delivery)
                counts[outcome] += 1
                if outcome == "lost":
                    _release(batch[index + 1 :])
                    return counts
    finally:
        sender.connection.close()
        _finish_if_done(issue_id)
    return counts


def _still_sending(issue_id: int) -> bool:
    return NewsletterIssue.objects.filter(
        pk=issue_id, status=NewsletterIssue.Status.SENDING
    ).exists()


def _mark_sent(delivery: NewsletterDelivery) -> None:
    """Record an accepted mail. On PostgreSQL this one commit does not wait for the disk
    (synchronous_commit off): waiting cost more than all the rest of a mail. A crashed
    worker loses nothing by it; only a crash of the database server itself could forget
    the last fraction of a second of marks, and those few rows would be sent again."""
    with transaction.atomic():
        if db_connection.vendor == "postgresql":
            with db_connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        NewsletterDelivery.objects.filter(
            pk=delivery.pk, status=NewsletterDelivery.Status.SENDING
        ).update(status=NewsletterDelivery.Status.SENT, sent_at=timezone.now(), last_error="")


@dataclass
class _PreparedMessage:
    """A whole message as bytes, with placeholders for the recipient's address, token
    and Message-ID: building a MIME message is most of the cost of a mail, and only these
    three differ from one recipient to the next."""

    from_email: str
    data: bytes

    def for_recipient(self, *, email: str, token: str, message_id: str) -> bytes:
        return (
            self.data.replace(_ADDRESS_PLACEHOLDER.encode(), email.encode())
            .replace(_TOKEN_PLACEHOLDER.encode(), token.encode())
            .replace(_MESSAGE_ID_PLACEHOLDER.encode(), message_id.encode())
        )


class _Sender:
    def __init__(self, issue: NewsletterIssue, connection):
        self.issue = issue
        self.connection = connection
        self.domain = _message_domain()
        self.rendered: dict[str, RenderedIssue] = {}
        self.prepared: dict[str, _PreparedMessage | None] = {}

    def send(self, delivery: NewsletterDelivery) -> str:
        subscriber = delivery.subscriber
        if subscriber.status != Subscriber.Status.ACTIVE:
            NewsletterDelivery.objects.filter(pk=delivery.pk).update(
                status=NewsletterDelivery.Status.SKIPPED, claimed_at=None
            )
            return "skipped"
        try:
            self._send_mail(delivery, subscriber)
        except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError) as exc:
            # The server went away: this row and the rest wait for the next round.
            _record_failure(delivery, exc)
            return "lost"
        except (smtplib.SMTPException, OSError, ValueError) as exc:
            _record_failure(delivery, exc)
            return "failed"
        _mark_sent(delivery)
        return "sent"

    def _send_mail(self, delivery: NewsletterDelivery, subscriber: Subscriber) -> None:
        language = mail_language(subscriber.language)
        if language not in self.rendered:
            self.rendered[language] = render_issue(self.issue, language)
        token = subscriber_manage_token(subscriber)
        message_id = f"<newsletter.{self.issue.pk}.{delivery.pk}@{self.domain}>"
        prepared = self._prepared(language)
        if prepared is not None and subscriber.email.isascii():
            data = prepared.for_recipient(
                email=subscriber.email, token=token, message_id=message_id
            )
            self.connection.connection.sendmail(prepared.from_email, [subscriber.email], data)
            return
        message = _build_message(
            self.rendered[language], to=subscriber.email, token=token, message_id=message_id
        )
        if not self.connection.send_messages([message]):
            raise smtplib.SMTPException("the mail backend sent nothing")

    def _prepared(self, language: str) -> _PreparedMessage | None:
        """The message bytes for SMTP, or None to build each message in full (another
        mail backend, or an encoding that split a placeholder)."""
        if language in self.prepared:
            return self.prepared[language]
        prepared = None
        if isinstance(self.connection, SMTPBackend) and self.connection.connection:
            rendered = self.rendered[language]
            message = _build_message(
                rendered,
                to=_ADDRESS_PLACEHOLDER,
                token=_TOKEN_PLACEHOLDER,
                message_id=_MESSAGE_ID_PLACEHOLDER,
            )
            data = message.message().as_bytes(linesep="\r\n")
            tokens = rendered.text.count(_TOKEN_PLACEHOLDER) + rendered.html.count(
                _TOKEN_PLACEHOLDER
            )
            intact = (
                data.count(_TOKEN_PLACEHOLDER.encode()) == tokens + 1  # + List-Unsubscribe
                and data.count(_ADDRESS_PLACEHOLDER.encode()) == 1
                and data.count(_MESSAGE_ID_PLACEHOLDER.encode()) == 1
            )
            if intact:
                encoding = message.encoding or settings.DEFAULT_CHARSET
                prepared = _PreparedMessage(
                    from_email=sanitize_address(message.from_email, encoding), data=data
                )
        self.prepared[language] = prepared
        return prepared


def _finish_if_done(issue_id: int) -> bool:
    """Mark a send finished once no row is queued or being sent."""
    open_rows = NewsletterDelivery.objects.filter(
        issue_id=issue_id,
        status__in=[NewsletterDelivery.Status.QUEUED, NewsletterDelivery.Status.SENDING],
    )
    if open_rows.exists():
        return False
    finished = NewsletterIssue.objects.filter(
        pk=issue_id, status=NewsletterIssue.Status.SENDING
    ).update(status=NewsletterIssue.Status.SENT, finished_at=timezone.now())
    if finished:
        public_cache_invalidate()  # the archive lists it now
        logger.info("Newsletter issue %s sent", issue_id)
    return bool(finished)


def newsletter_sweep() -> dict[str, int]:
    """The periodic safety net (beat): start due scheduled issues, put back rows whose
    sender died (claim older than the lease), wake up sends that nobody is working on, and
    close sends with nothing left. Returns counts for the log."""
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.NEWSLETTER_CLAIM_LEASE_SECONDS)
    counts = {"started": 0, "reclaimed": 0, "resumed": 0}
    due = NewsletterIssue.objects.filter(
        status=NewsletterIssue.Status.SCHEDULED, scheduled_at__lte=now
    ).values_list("pk", flat=True)
    for issue_id in list(due):
        counts["started"] += newsletter_issue_start(issue_id=issue_id)
    counts["reclaimed"] = NewsletterDelivery.objects.filter(
        status=NewsletterDelivery.Status.SENDING, claimed_at__lt=now - lease
    ).update(status=NewsletterDelivery.Status.QUEUED, claimed_at=None)
    sending = NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENDING).annotate(
        # Rows being sent right now: their sender is alive. (A sender between two rows
        # holds none for an instant; a second sender then is harmless, claims are safe.)
        in_flight=Count(
            "deliveries",
            filter=Q(
                deliveries__status=NewsletterDelivery.Status.SENDING,
                deliveries__claimed_at__gte=now - lease,
            ),
        ),
        due_rows=Count(
            "deliveries",
            filter=Q(
                deliveries__status=NewsletterDelivery.Status.QUEUED,
                deliveries__next_attempt_at__lte=now,
            ),
        ),
    )
    for issue in sending:
        if _finish_if_done(issue.pk):
            continue
        if issue.due_rows and not issue.in_flight:
            with transaction.atomic():
                outbox_enqueue(SEND_TASK, issue.pk)
            counts["resumed"] += 1
    return counts


# Progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueProgress:
    total: int
    sent: int
    failed: int
    skipped: int
    waiting: int  # queued or being sent

    @property
    def percent_done(self) -> int:
        if not self.total:
            return 0
        return round(100 * (self.sent + self.failed + self.skipped) / self.total)


def issue_progress(issue: NewsletterIssue) -> IssueProgress:
    """Counts of the issue's delivery rows, one query."""
    status = NewsletterDelivery.Status
    counts = NewsletterDelivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=status.SENT)),
        failed=Count("pk", filter=Q(status=status.FAILED)),
        skipped=Count("pk", filter=Q(status=status.SKIPPED)),
        waiting=Count("pk", filter=Q(status__in=[status.QUEUED, status.SENDING])),
    )
    return IssueProgress(**counts)


def confirmation_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.NEWSLETTER_CONFIRMATION_HOURS)


@transaction.atomic
def newsletter_issue_retry_failed(*, issue: NewsletterIssue, actor) -> int:
    """Queue the failed deliveries of a sent (or sending) issue once more, with fresh
    attempts; the send resumes at once. Returns how many rows were queued."""
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status not in (NewsletterIssue.Status.SENDING, NewsletterIssue.Status.SENT):
        raise ValidationError(_("Only the deliveries of a sent issue can be retried."))
    count = NewsletterDelivery.objects.filter(
        issue=issue, status=NewsletterDelivery.Status.FAILED
    ).update(
        status=NewsletterDelivery.Status.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now(),
        claimed_at=None,
    )
    if count:
        NewsletterIssue.objects.filter(pk=issue.pk).update(
            status=NewsletterIssue.Status.SENDING, finished_at=None
        )
        outbox_enqueue(SEND_TASK, issue.pk)
        audit_event_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            target=issue,
            detail={"newsletter": "retry failed", "count": count},
            label=f"{NewsletterIssue._meta.verbose_name} #{issue.pk}",
        )
    return count

"""メルマガ newsletter: double opt-in subscribers, issues written by staff, and one delivery
row per recipient so that a send survives a crashed worker with no duplicate and no gap."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from center.core.models import BilingualNameMixin


class NewsletterTopic(BilingualNameMixin):
    """What a subscriber wants to hear about (イベント, 助成金...); staff-managed."""

    name = models.CharField(_("name (Japanese)"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("newsletter topic")
        verbose_name_plural = _("newsletter topics")


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Subscriber.Status.ACTIVE)

    def for_issue(self, issue: "NewsletterIssue"):
        """Active subscribers the issue is meant for: an issue with topics goes to those who
        chose one of them, an issue with wards to those who chose one of them (or no ward:
        "the whole city"); an issue with neither goes to everyone."""
        subscribers = self.active()
        topic_ids = list(issue.topics.values_list("pk", flat=True))
        ward_ids = list(issue.wards.values_list("pk", flat=True))
        if topic_ids:
            subscribers = subscribers.filter(topics__in=topic_ids)
        if ward_ids:
            subscribers = subscribers.filter(Q(wards__in=ward_ids) | Q(wards__isnull=True))
        return subscribers.distinct()


class Subscriber(models.Model):
    """One address. It receives nothing until its owner confirms (double opt-in)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email address"), unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    topics = models.ManyToManyField(NewsletterTopic, verbose_name=_("topics"), blank=True)
    wards = models.ManyToManyField(
        "core.Ward",
        verbose_name=_("wards"),
        blank=True,
        help_text=_("None: news from the whole city."),
    )
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(_("confirmation mail sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    unsubscribe_method = models.CharField(_("unsubscribed by"), max_length=20, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        indexes = [
            # The recipients of an issue: active subscribers.
            models.Index(fields=["status"], name="newsletter_subscriber_status"),
        ]

    def __str__(self) -> str:
        return self.email


class NewsletterIssueQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=NewsletterIssue.Status.SENT)


class NewsletterIssue(models.Model):
    """One メルマガ issue. Coordinators draft; center staff test, schedule and send."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("newsletter issue status", "Sent")
        CANCELLED = "cancelled", _("Cancelled")

    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("body"), help_text=_("Markdown. Shown as a web page and mailed."))
    subject_en = models.CharField(
        _("subject (English)"),
        max_length=150,
        blank=True,
        help_text=_("Optional. English-speaking subscribers get the Japanese text without it."),
    )
    body_en = models.TextField(_("body (English)"), blank=True)
    topics = models.ManyToManyField(
        NewsletterTopic,
        verbose_name=_("topics"),
        blank=True,
        help_text=_("Only subscribers of one of these topics receive it. None: everyone."),
    )
    wards = models.ManyToManyField(
        "core.Ward",
        verbose_name=_("wards"),
        blank=True,
        help_text=_(
            "Only subscribers who chose one of these wards (or the whole city) receive it. "
            "None: everyone."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NewsletterIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        permissions = [("send_newsletterissue", _("Can schedule and send newsletter issues"))]
        indexes = [
            # The sweeper's "scheduled issues that are due" and the public archive.
            models.Index(fields=["status", "scheduled_at"], name="newsletter_issue_due"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)

    def subject_in(self, language: str) -> str:
        return self.subject_en if language == "en" and self.subject_en else self.subject

    def body_in(self, language: str) -> str:
        return self.body_en if language == "en" and self.body_en else self.body

    def subject_language(self, language: str) -> str:
        """The language `subject_in(language)` is written in (for lang attributes)."""
        return "en" if language == "en" and self.subject_en else "ja"

    def body_language(self, language: str) -> str:
        return "en" if language == "en" and self.body_en else "ja"


class NewsletterDelivery(models.Model):
    """One recipient of one issue. A worker claims the row (queued → sending) before the
    mail leaves and marks it sent after, so a crashed worker leaves at most the one row it
    was sending, which the sweeper puts back in the queue once its claim has expired."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("newsletter delivery status", "Sent")
        FAILED = "failed", _("Failed")
        # Unsubscribed between the start of the send and their turn: nothing was sent.
        SKIPPED = "skipped", _("Skipped (unsubscribed)")

    issue = models.ForeignKey(
        NewsletterIssue,
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_one_delivery_per_recipient"
            ),
        ]
        indexes = [
            # The sender's "next queued rows of this issue that are due", and progress counts.
            models.Index(
                fields=["issue", "status", "next_attempt_at"], name="newsletter_delivery_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}"

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """Reference data named in both languages; `display_name` follows the active language."""

    name = models.CharField(_("name (Japanese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_en if (get_language() or "ja").startswith("en") else self.name


class WardQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("order")


class Ward(BilingualNameMixin):
    """One of Yokohama's 18 wards (区). Loaded by a data migration, never edited by hand."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["order"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")


class SdgGoal(BilingualNameMixin):
    """One of the 17 Sustainable Development Goals, numbered as the UN numbers them."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG goal")
        verbose_name_plural = _("SDG goals")

    def __str__(self) -> str:
        return f"{self.number}. {self.display_name}"


class AuditEvent(models.Model):
    """Who saw or changed what, and when. Append-only: written by `audit_event_record`."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")
        DOWNLOAD = "download", _("downloaded")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("target type"), on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(_("target id"), max_length=64)
    target_repr = models.CharField(_("target"), max_length=200)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # "Who opened this case?": the history of one object, newest first.
            models.Index(fields=["target_type", "target_id", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)


class OutboxMessage(models.Model):
    """A task to send, written in the same transaction as the change that needs it.

    The request only writes this row; publishing to the broker happens after commit and,
    if the broker is down, again from the sweeper. Tasks sent this way must tolerate
    being delivered more than once.
    """

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The sweeper's query: pending rows, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"


class AccessiblePhoto(models.Model):
    """A photo with a caption and alternative text, which is required unless the photo is
    marked decorative. Subclasses add `image` (with their upload folder) and the database
    constraint under their own name (`alt_text_constraint`)."""

    caption = models.CharField(_("caption"), max_length=200, blank=True)
    alt_text = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    is_decorative = models.BooleanField(_("decorative (no alternative text needed)"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.alt_text or self.image.name

    @staticmethod
    def alt_text_constraint(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=models.Q(is_decorative=True) | ~models.Q(alt_text=""), name=name
        )

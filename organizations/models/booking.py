"""Spaces (協働ラボ ミーティングスペース, スペースA・B), their rules, bookings and closures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = ["Booking", "Closure", "Space"]

# Default time blocks; each space keeps its own copy so blocks are configurable per space.
DEFAULT_BLOCKS = [
    {"key": "morning", "label": "午前", "start": "09:00", "end": "12:00"},
    {"key": "afternoon", "label": "午後", "start": "13:00", "end": "17:00"},
    {"key": "evening", "label": "夜間", "start": "18:00", "end": "21:00"},
]


# The default blocks' names in the visitor's language; a block added by staff shows its
# own label.
BLOCK_NAMES = {
    "morning": _("Morning"),
    "afternoon": _("Afternoon"),
    "evening": _("Evening"),
}


def _short_time(text: str) -> str:
    hours, minutes = text.split(":")
    return f"{int(hours)}:{minutes}"


def default_blocks():
    return [dict(b) for b in DEFAULT_BLOCKS]


class Space(models.Model):
    class Audience(models.TextChoices):
        REGISTERED_GROUPS = "groups", _("registered groups")
        CITY_COHOSTED = "cohosted", _("events co-hosted with the city")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("who may book"), max_length=10, choices=Audience.choices)
    booking_window_days = models.PositiveSmallIntegerField(_("bookable days ahead"), default=60)
    max_hours_per_month = models.PositiveSmallIntegerField(
        _("maximum hours per month per group"), default=12
    )
    requires_approval = models.BooleanField(_("staff approval needed"), default=False)
    blocks = models.JSONField(_("time blocks"), default=default_blocks)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        english = (get_language() or "ja").startswith("en")
        return self.name_en if english and self.name_en else self.name

    def block_label(self, key) -> str:
        """'Morning 9:00–12:00' in the active language; the key itself for an unknown block."""
        b = self.block(key)
        if b is None:
            return key
        name = BLOCK_NAMES.get(b["key"], b["label"])
        return f"{name} {_short_time(b['start'])}–{_short_time(b['end'])}"

    @property
    def block_labels(self) -> list[str]:
        return [self.block_label(b["key"]) for b in self.blocks]

    def block(self, key):
        return next((b for b in self.blocks if b["key"] == key), None)

    def block_hours(self, key):
        b = self.block(key)
        if not b:
            return 0
        sh, sm = map(int, b["start"].split(":"))
        eh, em = map(int, b["end"].split(":"))
        return ((eh * 60 + em) - (sh * 60 + sm)) / 60


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("cancelled")
        CANCELLED_BY_CLOSURE = "closure", _("cancelled by closure")

    ACTIVE = (Status.PENDING, Status.CONFIRMED)

    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="bookings"
    )
    group = models.ForeignKey(
        "organizations.Group",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="space_bookings",
    )
    date = models.DateField(_("date"))
    block = models.CharField(_("time block"), max_length=20)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=200)
    public_title = models.CharField(
        _("public title"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the calendar and the signage; empty: hidden."),
    )
    attendees = models.PositiveSmallIntegerField(_("expected attendees"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "space", "block"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            # The last line of defence against double booking, even for two requests
            # committed in the same instant: only one active booking per slot.
            models.UniqueConstraint(
                fields=["space", "date", "block"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="one_active_space_booking_per_slot",
            )
        ]
        indexes = [models.Index(fields=["date", "status"], name="booking_date_status")]

    def __str__(self):
        return f"{self.space} {self.date} {self.block}"

    @property
    def block_label(self) -> str:
        return self.space.block_label(self.block)


class Closure(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        MAINTENANCE = "maintenance", _("maintenance")
        EMERGENCY = "emergency", _("emergency closure")

    space = models.ForeignKey(
        Space,
        verbose_name=_("space"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Empty: the whole center is closed."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self):
        return f"{self.date} {self.reason}"

"""ネットワーク会議: meetings, agenda, RSVPs, materials, minutes and action items.

Who may read what is decided in networks/selectors_meetings.py, never here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from center.lib.storage import private_storage

__all__ = ["Meeting", "AgendaItem", "MeetingRsvp", "MeetingMaterial", "ActionItem"]


class Meeting(models.Model):
    """One network meeting of the 18 ward centers with the center (年3〜4回)."""

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online meeting link"),
        blank=True,
        help_text=_("Shown to network users only."),
    )
    description = models.TextField(_("notes for participants"), blank=True)
    rsvp_deadline = models.DateTimeField(
        _("reply by"),
        null=True,
        blank=True,
        help_text=_("Empty: replies are accepted until the meeting starts."),
    )
    minutes = models.TextField(
        _("minutes"), blank=True, help_text=_("Markdown: **bold**, lists, [links](url).")
    )
    minutes_published_at = models.DateTimeField(
        _("minutes published"),
        null=True,
        blank=True,
        help_text=_("Set by the “Publish minutes” action; ward staff are mailed then."),
    )
    # Claimed by the reminder job before any mail is queued, so no meeting is reminded twice.
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def accepts_rsvp(self) -> bool:
        now = timezone.now()
        if self.starts_at <= now:
            return False
        return self.rsvp_deadline is None or now <= self.rsvp_deadline

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None and bool(self.minutes.strip())


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("agenda item"), max_length=200)
    presenter = models.CharField(_("presented by"), max_length=100, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes allotted"), null=True, blank=True
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        return self.title


class MeetingRsvp(models.Model):
    """One ward center's reply for one meeting; any staff member of the ward may change it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="rsvps"
    )
    ward_center = models.ForeignKey(
        "networks.WardCenter",
        verbose_name=_("ward center"),
        on_delete=models.PROTECT,
        related_name="meeting_rsvps",
    )
    attending = models.BooleanField(_("attending"))
    attendee_names = models.CharField(_("who attends"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("replied at"), default=timezone.now)

    class Meta:
        ordering = ["ward_center__ward__order"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "ward_center"], name="meeting_rsvp_one_per_center"
            ),
            # Attending without a name tells the center nothing about who comes.
            models.CheckConstraint(
                condition=Q(attending=False) | ~Q(attendee_names=""),
                name="meeting_rsvp_attending_has_names",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} / {self.ward_center}"


class MeetingMaterial(models.Model):
    """A file for a meeting: stored privately, served by a permission-checked view."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=private_storage, upload_to="network/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255, editable=False)
    content_type = models.CharField(_("content type"), max_length=120, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    # Set when ward staff were told about it; the admin mails only materials without it.
    notified_at = models.DateTimeField(_("announced"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ActionItemStatus.DONE)


class ActionItem(models.Model):
    """A task agreed at a meeting, followed up at the next ones until done.

    Owned by one ward center, or by the center (no ward center). `all_wards` items concern
    every ward (e.g. "each ward reports its figures") and are shown to all ward staff.
    """

    Status = ActionItemStatus

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("agreed at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.CharField(_("action"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey(
        "networks.WardCenter",
        verbose_name=_("owner (ward center)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
        help_text=_("Empty: the center owns it."),
    )
    all_wards = models.BooleanField(
        _("concerns all wards"),
        default=False,
        help_text=_("Shown to every ward center; otherwise only to its owner and the center."),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.title

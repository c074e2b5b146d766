"""総合相談: consultation cases, their timeline, attachments, and 相談会 sessions.

Writes go through `services.py`; reads that depend on who is asking through `selectors.py`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from center.lib.storage import private_storage


def new_tracking_token() -> str:
    # 32 bytes of randomness: unguessable, and long enough that enumeration is hopeless.
    return secrets.token_urlsafe(32)


class RequesterType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood association")
    NPO = "npo", _("NPO corporation")
    CIVIC_GROUP = "civic_group", _("Voluntary or citizen activity group")
    COMPANY = "company", _("Company")
    SCHOOL = "school", _("University or school")
    GOVERNMENT = "government", _("Government")
    OTHER = "other", _("Other")


class Topic(models.TextChoices):
    PROPOSAL = "proposal", _("Collaboration proposal")
    ACTIVITY = "activity", _("Citizen activities")
    FOUNDING = "founding", _("Starting a group or an NPO corporation")
    MANAGEMENT = "management", _("Running an organisation (accounting, tax, labour)")
    PUBLICITY = "publicity", _("Getting the word out")
    PLACE_FUNDS = "place_funds", _("Places and funding")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Website form")
    PHONE = "phone", _("Phone")
    COUNTER = "counter", _("Counter")
    FAX = "fax", _("FAX")
    EMAIL = "email", pgettext_lazy("channel or contact method", "Email")
    WARD_CENTER = "ward_center", _("Ward center")
    SESSION = "session", _("Consultation session booking")


class ContactPreference(models.TextChoices):
    EMAIL = "email", pgettext_lazy("channel or contact method", "Email")
    PHONE = "phone", _("Phone")
    EITHER = "either", _("Either")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for information")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses a case may move to from each status (the triage workflow).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset(
        {Status.IN_PROGRESS, Status.REFERRED, Status.CLOSED, Status.WITHDRAWN}
    ),
    Status.IN_PROGRESS: frozenset(
        {Status.WAITING, Status.REFERRED, Status.CLOSED, Status.WITHDRAWN}
    ),
    Status.WAITING: frozenset(
        {Status.IN_PROGRESS, Status.REFERRED, Status.CLOSED, Status.WITHDRAWN}
    ),
    Status.REFERRED: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.WITHDRAWN: frozenset(),
}
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING, Status.REFERRED})
FINISHED_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN})


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


# The fields that describe who asks and what about: filled in by the public form, by staff
# intake and in the admin; one list so the three never drift apart.
REQUESTER_FIELDS = (
    "requester_type",
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "organization_name",
    "email",
    "phone",
    "preferred_contact",
    "ward",
)
SUBJECT_FIELDS = ("topic", "title", "body")


class ReferenceCounter(models.Model):
    """The last reference number given out in a fiscal year (S2026-0042).

    Rows are locked with SELECT ... FOR UPDATE, so numbers stay unique and gapless under
    concurrent submissions; a rolled-back submission rolls its number back too.
    """

    fiscal_year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.last_number}"


class ConsultationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def not_quarantined(self):
        return self.filter(quarantined=False)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(follow_up_due__lt=today)

    def for_listing(self):
        return self.select_related("assignee", "ward", "referred_ward")


class Consultation(models.Model):
    """One case in the consultation queue, whatever door it came through."""

    reference = models.CharField(_("reference number"), max_length=16, unique=True, editable=False)
    fiscal_year = models.PositiveIntegerField(_("fiscal year"), editable=False)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )

    # Who asks. Personal fields are blanked by the retention task; statistics fields stay.
    requester_type = models.CharField(
        _("requester type"), max_length=16, choices=RequesterType.choices
    )
    family_name = models.CharField(_("family name"), max_length=50, blank=True)
    given_name = models.CharField(_("given name"), max_length=50, blank=True)
    family_name_kana = models.CharField(_("family name (furigana)"), max_length=50, blank=True)
    given_name_kana = models.CharField(_("given name (furigana)"), max_length=50, blank=True)
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"),
        max_length=8,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
    )
    ward = models.ForeignKey(
        "core.Ward",
        verbose_name=_("ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty means outside Yokohama."),
    )
    language = models.CharField(_("language"), max_length=8, default="ja")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )

    # What about.
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("details"), blank=True)

    # Consent, as shown when the case was submitted.
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    sensitive_consent = models.BooleanField(
        _("consented to the handling of sensitive personal information"), default=False
    )

    # Triage.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_consultations",
    )
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    shared_with_city = models.BooleanField(_("shared with the city"), default=False)
    referred_ward = models.ForeignKey(
        "core.Ward",
        verbose_name=_("referred to ward center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referral_shares_contact = models.BooleanField(
        _("ward center may see contact details"), default=False
    )

    # Spam handling: suspect submissions wait here for a person, never silently dropped.
    quarantined = models.BooleanField(_("quarantined"), default=False)
    quarantine_reason = models.CharField(_("quarantine reason"), max_length=200, blank=True)

    tracking_token = models.CharField(
        max_length=64, unique=True, default=new_tracking_token, editable=False
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        permissions = [
            ("export_personal_data", _("Can export personal data of consultations")),
        ]
        indexes = [
            # The triage list: open cases by status, newest first.
            models.Index(fields=["status", "-created_at"]),
            # "My cases" for coordinators and the daily digest.
            models.Index(fields=["assignee", "status"]),
            # The retention task: finished cases not yet anonymised, by closing date.
            models.Index(
                fields=["closed_at"],
                condition=models.Q(anonymised_at__isnull=True),
                name="consultation_retention_idx",
            ),
        ]

    def __str__(self) -> str:
        # The reference only: admin history and audit logs keep this text for years.
        return self.reference

    @property
    def requester_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]


class CaseEvent(models.Model):
    """One line of a case's timeline: a note, a reply, a status change, a share..."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        NOTE = "note", _("Internal note")
        PUBLIC_REPLY = "reply", _("Reply to the requester")
        STATUS = "status", _("Status change")
        ASSIGNED = "assigned", _("Assignment")
        SHARED_CITY = "shared_city", _("Shared with the city")
        REFERRED = "referred", _("Referral")
        CITY_COMMENT = "city_comment", _("Comment from the city")
        RELEASED = "released", _("Released from quarantine")
        ANONYMISED = "anonymised", _("Anonymised")

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)
    # Only public replies and status changes are shown on the tracking page.
    is_public = models.BooleanField(_("shown to the requester"), default=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.get_kind_display()}"


class Attachment(models.Model):
    """A file sent with a case. Stored outside MEDIA_ROOT; served by a permission-checked view."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="consultations/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class CitySharing(models.Model):
    """Who shared a case with the city's 協働推進課, when, and on what basis."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="city_sharing"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("shared by"),
    )
    shared_at = models.DateTimeField(_("shared at"), default=timezone.now)
    basis = models.CharField(_("basis for sharing"), max_length=300)

    class Meta:
        verbose_name = _("sharing with the city")
        verbose_name_plural = _("sharing with the city")

    def __str__(self) -> str:
        return f"{self.consultation_id} → city"


class ConsultationSession(models.Model):
    """A 相談会 day: 市民協働相談会 (coordinators) or 士業相談会 (tax and labour professionals)."""

    class Kind(models.TextChoices):
        COLLABORATION = "collaboration", _("Citizen collaboration consultation day")
        PROFESSIONAL = "professional", _("Consultation with tax and labour professionals")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=200, default="横浜市市民協働推進センター")
    is_published = models.BooleanField(_("published"), default=False)
    booking_closes_days_before = models.PositiveSmallIntegerField(
        _("booking closes (days before)"), default=1
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("consultation session")
        verbose_name_plural = _("consultation sessions")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class SessionSlot(models.Model):
    session = models.ForeignKey(
        ConsultationSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="slots",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    advisor = models.CharField(_("advisor"), max_length=100)
    advisor_role = models.CharField(
        pgettext_lazy("advisor's profession", "profession"), max_length=100, blank=True
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M} {self.advisor}"


class SlotBookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)


class SlotBooking(models.Model):
    """A booked slot. At most one active booking per slot, enforced by the database."""

    slot = models.ForeignKey(
        SessionSlot, verbose_name=_("time slot"), on_delete=models.CASCADE, related_name="bookings"
    )
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="bookings",
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, default="ja")
    cancel_token = models.CharField(max_length=64, unique=True, default=new_tracking_token)
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    objects = SlotBookingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_active_booking_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} {self.name}"

"""Events of every program: the programs catalogue and its yearly plan, events with their
sessions (one, or several for a course), speakers, photos and registration questions, and
the registrations with their answers and attendance.

Capacity counts seats (a registration's party size), not rows. A registration is confirmed
while seats remain, otherwise waitlisted (or refused when the event has no waitlist);
services hold a row lock on the event while they decide, so parallel registrations for the
last seats never overbook.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from center.core.models import AccessiblePhoto, BilingualNameMixin


class Business(models.TextChoices):
    """The center's businesses an event program belongs to (seeds: ６つの事業)."""

    TRAINING = "training", _("Training (人材育成)")
    EXCHANGE = "exchange", _("Exchange (交流促進)")
    ACTIVITY_SUPPORT = "activity_support", _("Citizen activity support (市民活動支援)")
    CONSULTATION = "consultation", _("Consultation (総合相談)")
    WARD_CENTERS = "ward_centers", _("Ward center support (各区センター支援)")


# Programs and their yearly plan -------------------------------------------------------------


class Program(BilingualNameMixin):
    """A recurring program of the center (スタートアッププログラム, ミズベサロン...)."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    business = models.CharField(_("business"), max_length=20, choices=Business.choices)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def description_in(self, language: str) -> str:
        return self.description_en if language == "en" and self.description_en else self.description


class ProgramPlan(models.Model):
    """How many events of a program the center plans in one fiscal year (年度)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="plans"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    planned_count = models.PositiveSmallIntegerField(_("events planned"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "program__order"]
        verbose_name = _("program plan")
        verbose_name_plural = _("program plans")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year"], name="events_one_plan_per_program_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.fiscal_year}"


# Events ---------------------------------------------------------------------------------------


class Venue(models.TextChoices):
    LAB = "lab", _("Collaboration Lab (協働ラボ)")
    SPACE_A = "space_a", _("Space A")
    SPACE_B = "space_b", _("Space B")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Elsewhere (address below)")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        # Stays on the site, marked as cancelled, so that people who planned to come see it.
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The first session's start and the last session's end, kept by the services so that
    # lists, filters and the calendar need no join.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=16, choices=Venue.choices, default=Venue.LAB)
    venue_address = models.CharField(_("address"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online meeting link"),
        blank=True,
        help_text=_("Shown only to confirmed registrants (in their mails and their page)."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity (seats)"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    waitlist_enabled = models.BooleanField(_("waiting list when full"), default=True)
    registration_required = models.BooleanField(_("registration required"), default=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    max_party_size = models.PositiveSmallIntegerField(
        _("most seats per registration"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    fee_note = models.CharField(_("fee"), max_length=200, blank=True)
    audience = models.CharField(_("who it is for"), max_length=300, blank=True)
    ward_staff_seats = models.PositiveSmallIntegerField(
        _("seats offered to ward-center staff"),
        default=0,
        help_text=_(
            "Listed in the ward centers' network area (区センター職員が参加する場). 0: none."
        ),
    )
    accessibility_info = models.TextField(_("accessibility"), blank=True)
    reminder_hours_before = models.PositiveSmallIntegerField(
        _("reminder (hours before)"), default=24, help_text=_("0: no reminder.")
    )
    report = models.TextField(
        _("report"), blank=True, help_text=_("Markdown. Shown on the page once the event is over.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # The public list and calendar: published events by date.
            models.Index(fields=["status", "starts_at"], name="events_event_listing"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return self.venue == Venue.ONLINE

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or not self.registration_required:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        closes = self.registration_closes_at or self.starts_at
        return now < closes


class EventSession(models.Model):
    """One date of an event; a course (連続講座) has several, attended one by one."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = pgettext_lazy("one date of an event", "session")
        verbose_name_plural = pgettext_lazy("one date of an event", "sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="events_session_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.event} {self.starts_at:%Y-%m-%d}"


class Speaker(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=100)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    profile = models.TextField(_("short profile"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("guest or speaker")
        verbose_name_plural = _("guests and speakers")

    def __str__(self) -> str:
        return self.name


class EventPhoto(AccessiblePhoto):
    """A photo of the event (a flyer image, the venue, the day itself for the report)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="events/%Y/")

    class Meta(AccessiblePhoto.Meta):
        constraints = [AccessiblePhoto.alt_text_constraint("events_photo_alt_or_decorative")]


class Question(models.Model):
    """A question of an event's registration form, beyond the standard fields."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One choice")
        CHECKBOX = "checkbox", _("Several choices")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions"
    )

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Registration form")
        SURVEY = "survey", _("Survey after the event")

    purpose = models.CharField(
        _("asked in"), max_length=16, choices=Purpose.choices, default=Purpose.REGISTRATION
    )
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One choice per line."))
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


# Registrations --------------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")
        LEFT_WAITLIST = "left_waitlist", _("Left the waiting list")

    class Channel(models.TextChoices):
        WEB = "web", _("Website")
        PHONE = "phone", _("Phone")
        COUNTER = "counter", _("At the counter")
        WALK_IN = "walk_in", _("Walk-in on the day")

    class HeardFrom(models.TextChoices):
        WEBSITE = "website", _("The center's website")
        NEWSLETTER = "newsletter", _("The newsletter")
        SNS = "sns", _("Social media")
        FLYER = "flyer", _("A flyer or poster")
        MAGAZINE = "magazine", pgettext_lazy("heard from", "The center's magazine")
        ACQUAINTANCE = "acquaintance", _("A friend or colleague")
        WARD_CENTER = "ward_center", _("A ward center")
        OTHER = "other", _("Other")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    channel = models.CharField(
        _("registered via"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    family_name = models.CharField(_("family name"), max_length=50)
    given_name = models.CharField(_("given name"), max_length=50, blank=True)
    family_name_kana = models.CharField(_("family name (furigana)"), max_length=50, blank=True)
    given_name_kana = models.CharField(_("given name (furigana)"), max_length=50, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organization = models.CharField(_("organisation"), max_length=200, blank=True)
    ward = models.ForeignKey(
        "core.Ward", verbose_name=_("ward"), on_delete=models.SET_NULL, null=True, blank=True
    )
    heard_from = models.CharField(
        _("how they heard of it"), max_length=16, choices=HeardFrom.choices, blank=True
    )
    accessibility_needs = models.TextField(_("reasonable accommodation requested"), blank=True)
    party_size = models.PositiveSmallIntegerField(
        _("seats"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    # The private link of the registrant's page (cancel, leave the list, .ics, online link).
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    survey_sent_at = models.DateTimeField(_("survey sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per address and event (a second one is refused).
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["confirmed", "waitlisted"]) & ~Q(email=""),
                name="events_one_live_registration_per_email",
            )
        ]
        indexes = [
            # Seats taken and the waiting list in order, per event.
            models.Index(fields=["event", "status", "created_at"], name="events_reg_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)


class Answer(models.Model):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="events_one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return self.value[:50]


class Attendance(models.Model):
    """A registrant was there for one session (checked in by staff)."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    session = models.ForeignKey(
        EventSession,
        verbose_name=pgettext_lazy("one date of an event", "session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    checked_in_at = models.DateTimeField(_("checked in"), default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["checked_in_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="events_one_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.session}"


# After the event ---------------------------------------------------------------------------


class SurveyResponse(models.Model):
    """An attendee's answer to the survey mailed after the event (answers to the event's
    survey questions are Answer rows of the same registration)."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="survey_response",
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.registration} ({self.satisfaction})"


# Applications -------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class ExhibitorApplication(models.Model):
    """A group's application for a booth at an event (未来創発シンポジウム, the festival)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="exhibitors"
    )
    group_name = models.CharField(_("group"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=100)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    activity = models.TextField(_("what the group does"))
    booth_needs = models.TextField(
        _("booth needs"), blank=True, help_text=_("Tables, power, wall space...")
    )
    materials = models.TextField(_("what the booth will show"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    decision_note = models.TextField(_("message with the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    created_at = models.DateTimeField(_("applied"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exhibitor application")
        verbose_name_plural = _("exhibitor applications")

    def __str__(self) -> str:
        return self.group_name


class InternshipApplication(models.Model):
    """A university student's application to the 大学生インターンシップ; staff review it
    and record the host project the student was matched with."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REVIEWING = "reviewing", _("Being reviewed")
        MATCHED = "matched", _("Matched with a project")
        DECLINED = "declined", _("Not matched")

    event = models.ForeignKey(
        Event,
        verbose_name=_("internship"),
        on_delete=models.PROTECT,
        related_name="internship_applications",
    )
    family_name = models.CharField(_("family name"), max_length=50)
    given_name = models.CharField(_("given name"), max_length=50)
    family_name_kana = models.CharField(_("family name (furigana)"), max_length=50)
    given_name_kana = models.CharField(_("given name (furigana)"), max_length=50)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    university = models.CharField(_("university"), max_length=200)
    faculty = models.CharField(_("faculty or department"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year of study"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    interests = models.TextField(_("interests"))
    availability = models.TextField(_("availability"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    matched_project = models.CharField(_("host project"), max_length=200, blank=True)
    review_note = models.TextField(_("staff notes"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=20)
    created_at = models.DateTimeField(_("applied"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("internship application")
        verbose_name_plural = _("internship applications")

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}"

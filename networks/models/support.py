"""Hearings (ヒアリング), support requests from ward centers, and the know-how library.

Everything that belongs to one ward hangs off its WardCenter; who may read what is decided
in networks/selectors_support.py, never here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from center.core.models import BilingualNameMixin
from center.lib.storage import private_storage

__all__ = [
    "HearingQuestion",
    "Hearing",
    "HearingAnswer",
    "SupportRequest",
    "SupportKind",
    "Urgency",
    "KnowHowCategory",
    "KnowHowArticle",
    "KnowHowDocument",
]


# Hearings ------------------------------------------------------------------------------


class HearingQuestion(models.Model):
    """One question of the hearing template. Center staff edit the template freely: every
    hearing copies the question's text into its answers when it is created, so last year's
    answers keep the question they answered. `key` stays the same across rewordings and is
    what the year-over-year page compares on."""

    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_("Stays the same when the wording changes: answers are compared by it."),
    )
    text = models.CharField(_("question (Japanese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_text = models.CharField(_("hint for the interviewer"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only questions in use go into new hearings.")
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("hearing question")
        verbose_name_plural = _("hearing question template")

    def __str__(self) -> str:
        return self.text


class HearingQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("ward_center__ward", "interviewer")


class Hearing(models.Model):
    """The yearly hearing of one ward center by the center's staff."""

    ward_center = models.ForeignKey(
        "networks.WardCenter",
        verbose_name=_("ward center"),
        on_delete=models.PROTECT,
        related_name="hearings",
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    held_on = models.DateField(_("held on"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendees = models.CharField(_("ward center attendees"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HearingQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "ward_center__ward__order"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        constraints = [
            # One hearing per ward center and fiscal year: the comparison page relies on it.
            models.UniqueConstraint(
                fields=["ward_center", "fiscal_year"], name="hearing_one_per_center_and_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward_center} {self.fiscal_year}"


class HearingAnswer(models.Model):
    hearing = models.ForeignKey(
        Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        HearingQuestion,
        verbose_name=_("template question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    # Copies of the question as it was asked (see HearingQuestion).
    question_key = models.SlugField(_("key"), max_length=50)
    question_text = models.CharField(_("question"), max_length=300)
    question_text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "question_key"], name="hearing_answer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.question_text


# Support requests --------------------------------------------------------------------


class SupportKind(models.TextChoices):
    """What the ward center asks help for; each maps to a consultation topic."""

    FOUNDING = "founding", _("Starting a group or an NPO corporation")
    MANAGEMENT = "management", _("Running a group (accounting, tax, labour)")
    COLLABORATION = "collaboration", _("Coordinating a collaboration")
    PUBLICITY = "publicity", _("Publicity")
    PLACE_FUNDS = "place_funds", _("Places and funding")
    REFERRAL = "referral", _("Introducing an expert or another organisation")
    OTHER = "other", _("Other")


class Urgency(models.IntegerChoices):
    # Same numbers as consultations.Priority, so the case gets the urgency as its priority.
    LOW = 1, _("Whenever convenient")
    NORMAL = 2, _("Within a few weeks")
    HIGH = 3, _("Within a week")
    URGENT = 4, _("Urgent (within a few days)")


class SupportRequestQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("ward_center__ward", "consultation", "filed_by")


class SupportRequest(models.Model):
    """A ward center asks the center for help with a case it received. Filed together with
    a consultation in the center's queue (channel 区センター); its status is the case's."""

    ward_center = models.ForeignKey(
        "networks.WardCenter",
        verbose_name=_("ward center"),
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    group_name = models.CharField(_("group name"), max_length=200, blank=True)
    kind = models.CharField(_("kind of help"), max_length=16, choices=SupportKind.choices)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    contact_consent = models.BooleanField(
        _("the person consented to sharing their contact details"), default=False
    )
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    consultation = models.OneToOneField(
        "consultations.Consultation",
        verbose_name=_("consultation case"),
        on_delete=models.PROTECT,
        related_name="support_request",
    )
    # The status (as the ward sees it, folded into four) last mailed to whoever filed the
    # request: the hourly job mails when the case's status folds into another one.
    notified_status = models.CharField(
        _("status last told to the ward"), max_length=16, default="received", editable=False
    )
    created_at = models.DateTimeField(_("filed"), default=timezone.now)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        constraints = [
            # Without consent no contact detail may be stored, whatever the form sends.
            models.CheckConstraint(
                condition=Q(contact_consent=True)
                | Q(contact_name="", contact_email="", contact_phone=""),
                name="support_request_contact_only_with_consent",
            ),
        ]
        indexes = [
            # The ward's own list and the home page's "open requests", newest first.
            models.Index(fields=["ward_center", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.summary


# Know-how library --------------------------------------------------------------------


class KnowHowCategory(BilingualNameMixin):
    """A shelf of the know-how library (団体支援, 協働コーディネート...). Loaded by the
    migration; center staff add or rename shelves in the admin."""

    key = models.SlugField(_("key"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("know-how category")
        verbose_name_plural = _("know-how categories")


class KnowHowQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("ward_center__ward", "author", "category").prefetch_related(
            "documents"
        )


class KnowHowArticle(models.Model):
    """Know-how shared with every ward center: by the center (no ward) or by one ward."""

    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        KnowHowCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    body = models.TextField(_("text"), help_text=_("Markdown: **bold**, lists, [links](url)."))
    ward_center = models.ForeignKey(
        "networks.WardCenter",
        verbose_name=_("shared by ward center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="knowhow_articles",
        help_text=_("Empty: shared by the center."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # normalize(title + body): kana/width/case folded once on save, so search is a LIKE.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = KnowHowQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("know-how article")
        verbose_name_plural = _("know-how articles")

    def __str__(self) -> str:
        return self.title


class KnowHowDocument(models.Model):
    """A file attached to an article; stored privately, served by a permission-checked view."""

    article = models.ForeignKey(
        KnowHowArticle,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="knowhow/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("know-how document")
        verbose_name_plural = _("know-how documents")

    def __str__(self) -> str:
        return self.original_name

"""Pamphlets (the 総合相談 pamphlet, the NPO入門テキスト) and the 名刺サイズ center guide.

Both are printed matter: a Celery task renders templates/pdf/publications/ with WeasyPrint
and stores the PDF in public media (services/pamphlets.py). `PrintedDocument` holds the state
of that file, which visitors see ("being prepared") and staff act on (failed → rebuild).
The PDF fields are never edited through a form: only the services change them, with a
conditional update, so an admin form saved late cannot point a record at a deleted file.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PdfStatus(models.TextChoices):
    NONE = "none", _("No PDF")
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PrintedDocument(models.Model):
    """The build state of a document's PDF file(s)."""

    pdf_status = models.CharField(
        _("PDF status"), max_length=8, choices=PdfStatus.choices, default=PdfStatus.NONE
    )
    # Each request for a build adds one; a build stores its file only while its number is
    # still the latest, so an edit made during a slow render is never lost.
    pdf_revision = models.PositiveIntegerField(_("PDF revision"), default=0, editable=False)
    pdf_error = models.TextField(_("last PDF error"), blank=True, editable=False)
    pdf_built_at = models.DateTimeField(_("PDF built"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def pdf_is_pending(self) -> bool:
        return self.pdf_status == PdfStatus.PENDING


class PamphletQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_listing(self):
        return self.order_by("order", "pk")


class Pamphlet(PrintedDocument):
    """A pamphlet written as ordered sections in the admin: a web page and an A4 PDF."""

    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_(
            "One or two sentences, for the cover, the list of pamphlets and search engines."
        ),
    )
    edition = models.CharField(
        _("edition"),
        max_length=50,
        blank=True,
        help_text=_("Printed on the cover, for example “2024年度版”."),
    )
    language = models.CharField(
        _("language of the text"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    order = models.PositiveSmallIntegerField(_("order on the list"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="pamphlets/pdf/", blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(_("PDF size (bytes)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PamphletQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("pamphlet")
        verbose_name_plural = _("pamphlets")
        indexes = [
            # The public list: published pamphlets in their order.
            models.Index(fields=["is_published", "order"]),
        ]

    def __str__(self) -> str:
        return self.title


class PamphletSection(models.Model):
    """One section of a pamphlet: a heading, Markdown text and an optional image."""

    pamphlet = models.ForeignKey(
        Pamphlet, verbose_name=_("pamphlet"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    image = models.ImageField(_("image"), upload_to="pamphlets/images/%Y/", blank=True)
    image_alt = models.CharField(
        _("alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    image_is_decorative = models.BooleanField(
        _("decorative image (no alternative text needed)"), default=False
    )
    image_caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | Q(image_is_decorative=True) | ~Q(image_alt=""),
                name="pamphlet_section_alt_or_decorative",
            ),
        ]

    def __str__(self) -> str:
        return self.heading

    def clean(self) -> None:
        # Said on the field, before the database constraint would say it less kindly.
        if self.image and not self.image_is_decorative and not (self.image_alt or "").strip():
            raise ValidationError(
                {
                    "image_alt": ValidationError(
                        _(
                            "Describe what the image shows, or tick “decorative image” if it "
                            "adds nothing to the text."
                        ),
                        code="alt_required",
                    )
                }
            )


def text_width(line: str) -> float:
    """Printed width of a line in full-width characters (em), a little generous.

    Japanese characters are 1 em; Latin letters and digits in Noto Sans CJK are
    proportional, about 0.55 em, capitals and m/w up to 0.75 em (M and W a little more)."""
    width = 0.0
    for char in line:
        if unicodedata.east_asian_width(char) in "FWA":
            width += 1
        elif char.isupper() or char in "mw@%&":
            width += 0.75
        else:
            width += 0.6
    return width


# How much each text may take on the 91 × 55 mm card: (lines, width of a line in em, as
# text_width counts it).
# The card templates are sized so that the longest text these allow still fits
# (tests/publications/test_namecard.py renders it and checks every word's position).
NAMECARD_TEXT_LIMITS = {
    "center_name": (1, 14),
    "center_name_en": (1, 32),
    "tagline": (1, 28),
    "address": (3, 22),
    "access": (2, 22),
    "phone": (1, 18),
    "hours": (2, 22),
}
# The address printed on the back, without "https://", on one line across the card.
NAMECARD_URL_MAX_WIDTH = 34

DEFAULT_CENTER_NAME = "横浜市市民協働推進センター"
DEFAULT_CENTER_NAME_EN = "Yokohama Citizen Collaboration Promotion Center"
DEFAULT_TAGLINE = "組織の垣根を超えて、つながり、協働して、未来をつくる"
DEFAULT_ADDRESS = "〒231-0005\n横浜市中区本町6-50-10\n横浜市市庁舎1階"
DEFAULT_ACCESS = "みなとみらい線「馬車道駅」直結\nJR・市営地下鉄「桜木町駅」徒歩約3分"


class NameCard(PrintedDocument):
    """The 名刺サイズ center guide: one record, whose texts staff keep up to date.

    The QR code on the back leads to `qr_url`. Saving it (services.namecard_save) rebuilds
    the single-card PDF and the 10-up A4 sheet.
    """

    SINGLETON_PK = 1

    center_name = models.CharField(_("center name"), max_length=24, default=DEFAULT_CENTER_NAME)
    center_name_en = models.CharField(
        _("center name in English"), max_length=72, blank=True, default=DEFAULT_CENTER_NAME_EN
    )
    tagline = models.CharField(_("tagline"), max_length=52, blank=True, default=DEFAULT_TAGLINE)
    address = models.TextField(_("address"), max_length=100, default=DEFAULT_ADDRESS)
    access = models.TextField(
        _("how to get there"), max_length=100, blank=True, default=DEFAULT_ACCESS
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    hours = models.TextField(
        _("opening hours"),
        max_length=100,
        blank=True,
        help_text=_("Left empty, the card asks readers to check the website."),
    )
    url = models.URLField(
        _("website address for the QR code"),
        max_length=60,
        blank=True,
        help_text=_("Left empty, the QR code and the card show the address of this website."),
    )
    card_pdf = models.FileField(_("card PDF"), upload_to="namecard/", blank=True, editable=False)
    card_pdf_size = models.PositiveIntegerField(_("card PDF size (bytes)"), null=True, blank=True)
    sheet_pdf = models.FileField(
        _("A4 sheet PDF"), upload_to="namecard/", blank=True, editable=False
    )
    sheet_pdf_size = models.PositiveIntegerField(
        _("A4 sheet PDF size (bytes)"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("business-card center guide")
        verbose_name_plural = _("business-card center guide")
        constraints = [
            # There is one card: the services always save it under this key.
            models.CheckConstraint(condition=Q(id=1), name="namecard_singleton"),
        ]

    def __str__(self) -> str:
        return self.center_name

    @property
    def qr_url(self) -> str:
        return self.url or f"{settings.SITE_URL}/"

    @property
    def shown_url(self) -> str:
        """The address as printed: without the scheme and the trailing slash."""
        return self.qr_url.split("://", 1)[-1].rstrip("/")

    def clean(self) -> None:
        errors = {}
        for field, (max_lines, max_width) in NAMECARD_TEXT_LIMITS.items():
            lines = (getattr(self, field) or "").strip().splitlines()
            if len(lines) > max_lines or any(text_width(line) > max_width for line in lines):
                errors[field] = ValidationError(
                    _(
                        "This must fit on the card: at most %(lines)d line(s) of about "
                        "%(width)d full-width characters (half-width letters and digits "
                        "count as a little over half)."
                    ),
                    code="too_long_for_card",
                    params={"lines": max_lines, "width": max_width},
                )
        if self.url and text_width(self.shown_url) > NAMECARD_URL_MAX_WIDTH:
            errors["url"] = ValidationError(
                _("This address is too long to print on the card: use a shorter one."),
                code="too_long_for_card",
            )
        if errors:
            raise ValidationError(errors)

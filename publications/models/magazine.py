"""情報誌 magazine issues: ordered articles, a web version and an A4 PDF built by a task.

An article either reprints a published 協働事例 (its title, summary, body and photos are read
from the story, so a correction there shows here too) or is a standalone article with its
own text and photos. The PDF is built after publication and rebuilt whenever a published
issue's content changes; `pdf_generation` tells a build whether it is still the latest one.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from center.core.models import AccessiblePhoto

from .stories import CaseStory


class MagazineIssueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=MagazineIssue.Status.PUBLISHED)

    def newest_first(self):
        return self.order_by(models.F("published_on").desc(nulls_last=True), "-number")


class MagazineIssue(models.Model):
    """One issue (第N号) of the center's magazine."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class PdfStatus(models.TextChoices):
        NOT_BUILT = "none", pgettext_lazy("PDF build status", "Not built (draft)")
        PENDING = "pending", pgettext_lazy("PDF build status", "Being prepared")
        READY = "ready", pgettext_lazy("PDF build status", "Ready")
        FAILED = "failed", pgettext_lazy("PDF build status", "Build failed")

    number = models.PositiveIntegerField(
        _("issue number"),
        unique=True,
        validators=[MinValueValidator(1)],
        help_text=_("Printed as “No. N”; also the issue's web address (/magazine/N/)."),
    )
    season = models.CharField(
        _("season"), max_length=50, help_text=_("As printed on the cover, e.g. 2025年 秋号.")
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The issue's feature or headline.")
    )
    lead = models.TextField(
        _("introduction"),
        max_length=600,
        blank=True,
        help_text=_("A few sentences on the cover page and at the top of the web version."),
    )
    cover_image = models.ImageField(_("cover image"), upload_to="magazine/covers/%Y/", blank=True)
    # A small copy for the archive page, made from the cover when it is uploaded.
    cover_thumbnail = models.ImageField(
        _("cover thumbnail"), upload_to="magazine/covers/%Y/", blank=True, editable=False
    )
    cover_alt_text = models.CharField(
        _("cover alternative text"),
        max_length=300,
        blank=True,
        help_text=_("What the cover image shows, for people who cannot see it."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_on = models.DateField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("Printed on the issue. Left empty, it becomes the day of publication."),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)

    pdf_status = models.CharField(
        _("PDF"), max_length=16, choices=PdfStatus.choices, default=PdfStatus.NOT_BUILT
    )
    pdf_file = models.FileField(_("PDF file"), upload_to="magazine/pdf/", blank=True)
    pdf_size = models.PositiveBigIntegerField(_("PDF size (bytes)"), null=True, blank=True)
    pdf_generation = models.PositiveIntegerField(
        _("PDF build number"),
        default=0,
        help_text=_("Raised at every build request; a build for an older number is dropped."),
    )
    pdf_requested_at = models.DateTimeField(_("PDF requested"), null=True, blank=True)
    pdf_built_at = models.DateTimeField(_("PDF built"), null=True, blank=True)
    pdf_error = models.TextField(_("PDF build error"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MagazineIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("magazine issue")
        verbose_name_plural = _("magazine issues")
        indexes = [
            # The public archive: published issues, newest first.
            models.Index(fields=["status", "-published_on"], name="magazine_issue_archive"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cover_image="") | ~Q(cover_alt_text=""),
                name="magazine_cover_has_alt_text",
            ),
        ]

    def __str__(self) -> str:
        return gettext("No. %(number)s %(season)s %(title)s") % {
            "number": self.number,
            "season": self.season,
            "title": self.title,
        }

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def pdf_is_ready(self) -> bool:
        return self.pdf_status == self.PdfStatus.READY and bool(self.pdf_file)


class MagazineArticle(models.Model):
    """One article of an issue: a reprinted case story, or a text of its own."""

    issue = models.ForeignKey(
        MagazineIssue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="articles"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kicker = models.CharField(
        _("section label"),
        max_length=50,
        blank=True,
        help_text=_("A short label above the title, e.g. 特集, 団体紹介, 相談会レポート."),
    )
    story = models.ForeignKey(
        CaseStory,
        verbose_name=_("collaboration story"),
        null=True,
        blank=True,
        # A story reprinted in an issue stays; it can still be withdrawn from the site.
        on_delete=models.PROTECT,
        related_name="magazine_articles",
        limit_choices_to={"status": CaseStory.Status.PUBLISHED},
        help_text=_(
            "Reprint a published collaboration story (its title, summary, text and photos), "
            "or leave empty and write the article below."
        ),
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Only for an article of its own.")
    )
    lead = models.TextField(_("summary"), max_length=600, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("magazine article")
        verbose_name_plural = _("magazine articles")
        indexes = [
            # An issue's articles in order (web version, PDF, archive).
            models.Index(fields=["issue", "order"], name="magazine_article_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(story__isnull=False, title="", lead="", body=""))
                | (Q(story__isnull=True) & ~Q(title="")),
                name="magazine_article_story_or_own_text",
            ),
        ]

    def __str__(self) -> str:
        if self.story_id is not None:
            return str(self.story)
        return self.title

    @property
    def is_story(self) -> bool:
        return self.story_id is not None


class MagazinePhoto(AccessiblePhoto):
    """A photo of a standalone article, re-encoded without EXIF on upload. Alt text is
    required unless decorative (the same rule as a story photo)."""

    article = models.ForeignKey(
        MagazineArticle, verbose_name=_("article"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="magazine/%Y/")

    class Meta(AccessiblePhoto.Meta):
        constraints = [AccessiblePhoto.alt_text_constraint("magazine_photo_alt_or_decorative")]

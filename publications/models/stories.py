"""協働事例 case stories: the coordinator drafts, staff review and publish."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from center.core.models import AccessiblePhoto, BilingualNameMixin

from .common import Sector


class Theme(BilingualNameMixin):
    """A theme stories are filed under (子育て, 防災, 環境...): staff-managed."""

    name = models.CharField(_("name (Japanese)"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class CaseStoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CaseStory.Status.PUBLISHED)

    def for_listing(self):
        return (
            self.select_related("ward")
            .prefetch_related("sdgs", "themes", "partners")
            .prefetch_related(
                models.Prefetch("photos", queryset=StoryPhoto.objects.order_by("order", "pk"))
            )
        )


class CaseStory(models.Model):
    """A 協働事例: who worked together, on what, with what result.

    Workflow: a coordinator drafts and submits for review; center staff publish. Every
    publication keeps a revision (`StoryRevision`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("story status", "Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=400)
    body = models.TextField(_("body (Markdown)"), blank=True)
    ward = models.ForeignKey(
        "core.Ward",
        verbose_name=_("ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sdgs = models.ManyToManyField("core.SdgGoal", verbose_name=_("SDGs"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("The year the work took place."))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("collaboration story")
        verbose_name_plural = _("collaboration stories")
        indexes = [
            # The public list: published stories, newest first.
            models.Index(fields=["status", "-published_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class StoryPartner(models.Model):
    """One organisation or group that took part, with its sector."""

    story = models.ForeignKey(
        CaseStory, verbose_name=_("story"), on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    role = models.CharField(_("role in the collaboration"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class StoryPhoto(AccessiblePhoto):
    """A photo, re-encoded without EXIF on upload. Alt text is required unless decorative."""

    story = models.ForeignKey(
        CaseStory, verbose_name=_("story"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to="stories/%Y/")

    class Meta(AccessiblePhoto.Meta):
        constraints = [AccessiblePhoto.alt_text_constraint("story_photo_alt_or_decorative")]


class StoryRevision(models.Model):
    """What a story said when it was published (or re-published): a record, never edited."""

    story = models.ForeignKey(
        CaseStory, verbose_name=_("story"), on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("body"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("story revision")
        verbose_name_plural = _("story revisions")

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%Y-%m-%d})"

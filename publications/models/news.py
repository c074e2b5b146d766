"""お知らせ news items."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NewsQuerySet(models.QuerySet):
    def published(self, now=None):
        """Visible to the public now: published, started, not yet expired."""
        now = now or timezone.now()
        return self.filter(is_published=True, publish_from__lte=now).filter(
            Q(publish_until__isnull=True) | Q(publish_until__gt=now)
        )

    def for_listing(self):
        return self.order_by("-is_pinned", "-publish_from")


class NewsItem(models.Model):
    class Category(models.TextChoices):
        NOTICE = "notice", _("Notice")
        EVENT = "event", _("Events")
        CONSULTATION = "consultation", _("Consultation")
        RECRUITMENT = "recruitment", _("Recruitment")
        REPORT = "report", _("Activity report")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"), blank=True)
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, default=Category.NOTICE
    )
    is_published = models.BooleanField(_("published"), default=False)
    publish_from = models.DateTimeField(_("publish from"), default=timezone.now)
    publish_until = models.DateTimeField(_("publish until"), null=True, blank=True)
    is_pinned = models.BooleanField(_("pinned to the top"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-publish_from"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [
            # The public list: published items in their window, pinned first, newest first.
            models.Index(fields=["is_published", "-is_pinned", "-publish_from"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_until__isnull=True)
                | Q(publish_until__gt=models.F("publish_from")),
                name="news_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.title

"""Sitemap of published events (cancelled ones stay on the site, so they stay here too),
in Japanese and English; registered in center/urls.py."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Event


class EventSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True
    alternates = True
    x_default = True

    # The list is in the site-wide sitemap of static pages; the calendar is ours.
    pages = ["events:calendar"]

    def items(self):
        events = Event.objects.published().order_by("-starts_at", "-pk").only("pk", "updated_at")
        return [*self.pages, *events]

    def location(self, item) -> str:
        if isinstance(item, str):
            return reverse(item)
        return reverse("events:detail", args=[item.pk])

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at

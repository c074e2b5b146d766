"""Sitemaps of the public group directory and the spaces (center/urls.py: "groups", "spaces")."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Group


class GroupSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    i18n = True

    def items(self):
        return ["index", *Group.objects.listed().order_by("pk").only("pk", "updated_at")]

    def location(self, item):
        if item == "index":
            return reverse("organizations:index")
        return reverse("organizations:group_detail", args=[item.pk])

    def lastmod(self, item):
        return None if item == "index" else item.updated_at


class SpaceSitemap(Sitemap):
    """The spaces list and each space's availability page."""

    changefreq = "daily"
    priority = 0.5
    i18n = True

    def items(self):
        from .models import Space

        return ["index", *Space.objects.order_by("order", "pk").only("slug")]

    def location(self, item):
        if item == "index":
            return reverse("organizations:spaces")
        return reverse("organizations:space_detail", args=[item.slug])

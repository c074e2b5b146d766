"""Sitemap of the public group directory (for center/urls.py: `"groups": GroupSitemap`)."""

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

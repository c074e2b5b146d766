"""Sitemaps of the publications app: every published news item, story and talent profile,
in Japanese and English (registered in center/urls.py)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import CaseStory, MagazineIssue, NewsItem, Pamphlet, TalentProfile


class _PublicationSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    url_name: str

    def location(self, item) -> str:
        return reverse(self.url_name, args=[item.pk])

    def lastmod(self, item):
        return item.updated_at


class NewsSitemap(_PublicationSitemap):
    changefreq = "monthly"
    url_name = "publications:news_detail"

    def items(self):
        return (
            NewsItem.objects.published().order_by("-publish_from", "-pk").only("pk", "updated_at")
        )


class StorySitemap(_PublicationSitemap):
    changefreq = "monthly"
    url_name = "publications:story_detail"

    def items(self):
        return (
            CaseStory.objects.published().order_by("-published_at", "-pk").only("pk", "updated_at")
        )


class TalentSitemap(_PublicationSitemap):
    changefreq = "monthly"
    url_name = "publications:talent_detail"

    def items(self):
        return TalentProfile.objects.published().order_by("pk").only("pk", "updated_at")


class MagazineSitemap(_PublicationSitemap):
    """Published magazine issues, at their issue number."""

    changefreq = "yearly"

    def items(self):
        return MagazineIssue.objects.published().order_by("-number").only("number", "updated_at")

    def location(self, item) -> str:
        return reverse("publications:magazine_issue", args=[item.number])


class PamphletSitemap(_PublicationSitemap):
    """The list of pamphlets, the business-card guide and every published pamphlet."""

    changefreq = "yearly"
    pages = ["publications:pamphlets", "publications:namecard"]

    def items(self):
        pamphlets = Pamphlet.objects.published().order_by("order", "pk").only("pk", "updated_at")
        return [*self.pages, *pamphlets]

    def location(self, item) -> str:
        if isinstance(item, str):
            return reverse(item)
        return reverse("publications:pamphlet_detail", args=[item.pk])

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticViewSitemap(Sitemap):
    """Pages without a model behind them, in both languages."""

    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    # Each app adds its own index here until it has a model sitemap of its own.
    url_names = [
        "core:home",
        "core:about",
        "core:access",
        "core:privacy",
        "core:accessibility",
        "publications:search",
        "consultations:index",
        "events:index",
        "publications:news",
        "publications:stories",
        "publications:talent",
        "publications:magazine",
        "publications:newsletter",
        "organizations:index",
        "organizations:spaces",
        "organizations:hub",
        "organizations:hub_partners",
    ]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)

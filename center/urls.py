import re

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from center.core import views as core_views
from center.core.sitemaps import StaticViewSitemap
from center.core.views import serve_public_media
from events.sitemaps import EventSitemap
from organizations.sitemaps import GroupSitemap, SpaceSitemap
from publications.sitemaps import (
    MagazineSitemap,
    NewsSitemap,
    PamphletSitemap,
    StorySitemap,
    TalentSitemap,
)

# The admin signs in through allauth: same rate limits, same MFA step.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Yokohama Citizen Collaboration Promotion Center — back office")
admin.site.site_title = _("Center back office")
admin.site.index_title = _("Back office")

sitemaps = {
    "pages": StaticViewSitemap,
    "news": NewsSitemap,
    "stories": StorySitemap,
    "talent": TalentSitemap,
    "magazine": MagazineSitemap,
    "pamphlets": PamphletSitemap,
    "events": EventSitemap,
    "groups": GroupSitemap,
    "spaces": SpaceSitemap,
}

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("health/", core_views.health, name="health"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True),
    ),
    path("bench/minimal/", core_views.bench_minimal, name="bench_minimal"),
]

urlpatterns += i18n_patterns(
    path("", include("center.core.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("center.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("consultation/", include("consultations.urls")),
    path("events/", include("events.urls")),
    path("", include("publications.urls")),
    path("", include("organizations.urls")),
    path("network/", include("networks.urls")),
    path("dashboard/", include("center.dashboard.urls")),
    prefix_default_language=False,
)

handler400 = "center.core.views.bad_request"
handler403 = "center.core.views.permission_denied"
handler404 = "center.core.views.page_not_found"
handler500 = "center.core.views.server_error"

if settings.SERVE_PUBLIC_MEDIA:
    # Public uploads (story photos, magazine covers, PDFs). Off when a web server or
    # object storage in front serves MEDIA_URL itself; private files are never here.
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve_public_media,
        )
    )

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.site_page, {"page": "about"}, name="about"),
    path("access/", views.site_page, {"page": "access"}, name="access"),
    path("privacy/", views.site_page, {"page": "privacy"}, name="privacy"),
    path("accessibility/", views.site_page, {"page": "accessibility"}, name="accessibility"),
    path(
        "search/",
        views.coming_soon_view(
            title=_("Site search"),
            summary=_("One search box for the whole site."),
            features=[
                _("News, collaboration stories, talent profiles, events and site pages"),
                _("Japanese-aware matching: hiragana, katakana and full-width variants"),
            ],
        ),
        name="search",
    ),
]

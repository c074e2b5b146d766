from django.urls import path
from django.utils.translation import gettext_lazy as _

from center.core.views import coming_soon_view

app_name = "publications"

urlpatterns = [
    path(
        "news/",
        coming_soon_view(
            title=_("News"),
            summary=_("News and announcements from the center."),
            features=[
                _("News and announcements"),
                _("RSS and Atom feeds"),
            ],
        ),
        name="news",
    ),
    path(
        "stories/",
        coming_soon_view(
            title=_("Collaboration stories"),
            summary=_(
                "Stories of collaboration between citizens, groups, companies, universities and the city."
            ),
            features=[
                _("Stories filtered by ward, SDG goal and sector"),
                _("Photos and the partners involved"),
            ],
        ),
        name="stories",
    ),
    path(
        "talent/",
        coming_soon_view(
            title=_("Collaboration talent bank"),
            summary=_("Profiles of collaboration coordinators active in Yokohama."),
            features=[
                _("Coordinator profiles by field and ward"),
                _("Contact through the center"),
            ],
        ),
        name="talent",
    ),
    path(
        "magazine/",
        coming_soon_view(
            title=_("Magazine and pamphlets"),
            summary=_("The center's magazine and pamphlets, on the web and as PDF."),
            features=[
                _("Every issue of the magazine as a web page and a PDF"),
                _("The consultation pamphlet and the NPO introduction text"),
            ],
        ),
        name="magazine",
    ),
    path(
        "newsletter/",
        coming_soon_view(
            title=_("Newsletter"),
            summary=_("The center's email newsletter."),
            features=[
                _("Subscribe with a confirmation mail, unsubscribe with one click"),
                _("An archive of past issues"),
            ],
        ),
        name="newsletter",
    ),
]

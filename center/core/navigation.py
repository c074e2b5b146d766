"""The six businesses of the center, as the site navigation shows them (seeds: ６つの事業)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Business:
    slug: str
    label: str
    summary: str
    url: str


def _url(name: str, fragment: str = "") -> str:
    return reverse(name) + fragment


_lazy_url = lazy(_url, str)

BUSINESSES = [
    Business(
        "consultation",
        _("Consultation"),
        _("A one-stop window for collaboration proposals and citizen activities."),
        _lazy_url("consultations:index"),
    ),
    Business(
        "information",
        _("Information"),
        _("News, collaboration stories, the talent bank, newsletter and magazine."),
        _lazy_url("publications:news"),
    ),
    Business(
        "training",
        _("Training"),
        _("Startup program, student internships and guest talks."),
        _lazy_url("events:index", "?business=training"),
    ),
    Business(
        "exchange",
        _("Exchange"),
        _("Mizube Salon, the Citizen Collaboration HUB and the Future Symposium."),
        _lazy_url("events:index", "?business=exchange"),
    ),
    Business(
        "activity-support",
        _("Citizen activity support"),
        _("NPO seminars, basics courses, the festival, group registration and spaces."),
        _lazy_url("organizations:index"),
    ),
    Business(
        "ward-centers",
        _("Ward center support"),
        _("Network meetings, hearings and support for the 18 ward centers."),
        _lazy_url("core:about", "#ward-centers"),
    ),
]

from django.urls import path
from django.utils.translation import gettext_lazy as _

from center.core.views import coming_soon_view

urlpatterns = [
    path(
        "signage/",
        coming_soon_view(
            title=_("Lab signage"),
            summary=_("The screen in the collaboration lab."),
            features=[
                _("Today's bookings and upcoming events in large type"),
            ],
        ),
        name="signage",
    ),
]

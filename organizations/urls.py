from django.urls import path
from django.utils.translation import gettext_lazy as _

from center.core.views import coming_soon_view

app_name = "organizations"

urlpatterns = [
    path(
        "groups/",
        coming_soon_view(
            title=_("Registered groups"),
            summary=_("Citizen groups registered with the center."),
            features=[
                _("Group registration online"),
                _("A public directory by field of activity, ward and SDG goal"),
            ],
        ),
        name="index",
    ),
    path(
        "spaces/",
        coming_soon_view(
            title=_("Meeting spaces"),
            summary=_("The collaboration lab meeting space and Spaces A and B."),
            features=[
                _("Availability by week and month"),
                _("Online booking requests for registered groups"),
            ],
        ),
        name="spaces",
    ),
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

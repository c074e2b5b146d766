from django.urls import path
from django.utils.translation import gettext_lazy as _

from center.core.views import coming_soon_view

urlpatterns = [
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
]

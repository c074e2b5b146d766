from django.urls import path
from django.utils.translation import gettext_lazy as _

from center.core.views import coming_soon_view

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
]

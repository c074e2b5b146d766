from django.urls import path
from django.utils.translation import gettext_lazy as _

from center.core.views import coming_soon_view

app_name = "consultations"

urlpatterns = [
    path(
        "",
        coming_soon_view(
            title=_("General consultation"),
            summary=_(
                "The one-stop window for collaboration proposals and questions about citizen activities."
            ),
            features=[
                _("An online consultation form with a receipt number and a private tracking page"),
                _(
                    "Citizen collaboration consultation days and sessions with tax and labour advisers"
                ),
                _(
                    "Replies from the center and the city's Citizen Collaboration Promotion Division"
                ),
            ],
        ),
        name="index",
    ),
]

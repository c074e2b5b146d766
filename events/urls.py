from django.urls import path
from django.utils.translation import gettext_lazy as _

from center.core.views import coming_soon_view

app_name = "events"

urlpatterns = [
    path(
        "",
        coming_soon_view(
            title=_("Events and seminars"),
            summary=_("Seminars, salons, symposia and training programs run by the center."),
            features=[
                _("Event listings and a calendar, with online registration"),
                _("Waiting lists, reminders and cancellation links"),
                _("The startup program, NPO seminars, Mizube Salon and the Future Symposium"),
            ],
        ),
        name="index",
    ),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Groups and spaces")

    def ready(self):
        from center.core.signage import SignageSource, register_signage_source

        from .selectors_booking import signage_booking_items

        register_signage_source(
            SignageSource(
                kind="bookings",
                label=_("Today's bookings"),
                order=10,
                items=signage_booking_items,
            )
        )

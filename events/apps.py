from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from center.core.search_sources import register_search_source

        from .search import EVENT_SEARCH_SOURCE

        # The site search (publications) may not import events: it asks the registry.
        register_search_source(EVENT_SEARCH_SOURCE)

        from center.core.listings import register_listing

        from .listings import events_with_ward_staff_seats

        # The network area (networks) may not import events either.
        register_listing("events_with_ward_staff_seats", events_with_ward_staff_seats)

        from center.core.signage import register_signage_source

        from .signage import EVENT_SIGNAGE_SOURCE

        register_signage_source(EVENT_SIGNAGE_SOURCE)

"""The events section of the lab's signage screen (`/signage/`, see center/core/signage.py).

Today's and the next days' published events: title, venue and times only, never a speaker's
or a participant's name. A cancelled event stays on the screen, marked, so that people who
planned to come see it.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from center.core.signage import SignageItem, SignageSource

from .models import Event, Venue

DAYS_AHEAD = 7
MAX_ITEMS = 12


def upcoming_event_items(today: datetime.date) -> list[SignageItem]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(today, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=DAYS_AHEAD + 1)
    events = (
        Event.objects.published()
        .filter(ends_at__gte=max(start, timezone.now()), starts_at__lt=end)
        .only("title", "status", "starts_at", "ends_at", "venue", "venue_address")
        .order_by("starts_at", "pk")[:MAX_ITEMS]
    )
    return [
        SignageItem(
            starts_at=timezone.localtime(event.starts_at),
            ends_at=timezone.localtime(event.ends_at),
            title=event.title,
            place=event.venue_address if event.venue == Venue.OTHER else event.get_venue_display(),
            note=(
                pgettext("event status", "Cancelled")
                if event.status == Event.Status.CANCELLED
                else ""
            ),
        )
        for event in events
    ]


EVENT_SIGNAGE_SOURCE = SignageSource(
    kind="events",
    label=_("Upcoming events"),
    order=20,
    items=upcoming_event_items,
)

"""Events shown in other apps' pages through center.core.listings."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from center.core.listings import ListingItem

from .models import Event

MAX_WARD_STAFF_EVENTS = 20


def events_with_ward_staff_seats() -> list[ListingItem]:
    """Upcoming published events that keep seats for ward-center staff, soonest first."""
    events = (
        Event.objects.filter(status=Event.Status.PUBLISHED, ward_staff_seats__gt=0)
        .upcoming(timezone.now())
        .order_by("starts_at", "pk")[:MAX_WARD_STAFF_EVENTS]
    )
    return [
        ListingItem(
            title=event.title,
            url=reverse("events:detail", args=[event.pk]),
            starts_at=event.starts_at,
            place=event.venue_address or event.get_venue_display(),
            note=ngettext(
                "%(count)s seat for ward-center staff",
                "%(count)s seats for ward-center staff",
                event.ward_staff_seats,
            )
            % {"count": event.ward_staff_seats},
        )
        for event in events
    ]

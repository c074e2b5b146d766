"""Reads for spaces and bookings: availability and the signage feed (no personal data)."""

import datetime

from django.utils import timezone

from center.core.signage import SignageItem

from .models import Booking, Space


def signage_booking_items(today: datetime.date) -> list[SignageItem]:
    """Today's confirmed bookings: the public title or the group's name, never a person."""
    tz = timezone.get_current_timezone()
    items = []
    bookings = (
        Booking.objects.filter(date=today, status=Booking.Status.CONFIRMED)
        .select_related("space", "group")
        .order_by("space__order", "block")
    )
    for booking in bookings:
        block = booking.space.block(booking.block)
        if block is None:
            continue
        start = datetime.time.fromisoformat(block["start"])
        end = datetime.time.fromisoformat(block["end"])
        items.append(
            SignageItem(
                starts_at=datetime.datetime.combine(today, start, tzinfo=tz),
                ends_at=datetime.datetime.combine(today, end, tzinfo=tz),
                title=booking.public_title or booking.group.name,
                place=booking.space.name,
            )
        )
    return sorted(items, key=lambda item: item.starts_at)


def availability(*, space: Space, dates: list[datetime.date]) -> dict:
    """{(date, block_key): "free" | "booked" | "closed"} in two queries whatever the range."""
    from django.db.models import Q

    from .models import Closure

    closed = set(
        Closure.objects.filter(Q(space__isnull=True) | Q(space=space), date__in=dates).values_list(
            "date", flat=True
        )
    )
    booked = set(
        Booking.objects.filter(space=space, date__in=dates, status__in=Booking.ACTIVE).values_list(
            "date", "block"
        )
    )
    grid = {}
    for day in dates:
        for block in space.blocks:
            key = (day, block["key"])
            grid[key] = "closed" if day in closed else "booked" if key in booked else "free"
    return grid

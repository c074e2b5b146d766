"""Reads for spaces and bookings: the public availability (no personal data), a member's
bookings, the closure banner and the signage feed."""

import calendar
import datetime

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from center.core.signage import SignageItem

from .models import Booking, Closure, GroupMembership, Space
from .models.booking import BLOCK_NAMES

# How far ahead the site banner announces an emergency closure.
BANNER_DAYS_AHEAD = 14


def spaces_all() -> list[Space]:
    return list(Space.objects.all())


def space_get_public(*, slug: str) -> Space:
    space = Space.objects.filter(slug=slug).first()
    if space is None:
        raise Http404
    return space


def week_dates(day: datetime.date) -> list[datetime.date]:
    """The seven days Monday–Sunday of the week holding `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=offset) for offset in range(7)]


def month_weeks(year: int, month: int) -> list[list[datetime.date | None]]:
    """The month as weeks Sunday–Saturday, as on the events calendar; None for the days
    of the neighbouring months."""
    return [
        [day if day.month == month else None for day in week]
        for week in calendar.Calendar(firstweekday=6).monthdatescalendar(year, month)
    ]


def _closure_reasons(*, space: Space, dates: list[datetime.date]) -> dict:
    """{date: reason} of the days the space (or the whole center) is closed."""
    closures = Closure.objects.filter(Q(space__isnull=True) | Q(space=space), date__in=dates)
    return dict(closures.order_by("date").values_list("date", "reason"))


def bookings_for_member(*, user, today: datetime.date | None = None):
    """(upcoming, past) bookings of the groups the account belongs to: any member sees and
    may cancel their group's bookings."""
    today = today or timezone.localdate()
    group_ids = GroupMembership.objects.filter(user=user).values("group_id")
    bookings = Booking.objects.filter(group_id__in=group_ids).select_related(
        "space", "group", "booked_by"
    )
    upcoming = bookings.filter(date__gte=today).order_by("date", "space__order", "block")
    past = bookings.filter(date__lt=today).order_by("-date", "space__order", "block")[:20]
    return list(upcoming), list(past)


def emergency_closures_ahead(today: datetime.date | None = None) -> list[Closure]:
    today = today or timezone.localdate()
    return list(
        Closure.objects.filter(
            kind=Closure.Kind.EMERGENCY,
            date__gte=today,
            date__lte=today + datetime.timedelta(days=BANNER_DAYS_AHEAD),
        )
        .select_related("space")
        .order_by("date")
    )


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


def availability(*, space: Space, dates: list[datetime.date], closed=None) -> dict:
    """{(date, block_key): "free" | "booked" | "closed"} in two queries whatever the range
    (one when the closed days are given)."""
    if closed is None:
        closed = set(_closure_reasons(space=space, dates=dates))
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


def availability_days(*, space: Space, dates: list[datetime.date], today: datetime.date) -> list:
    """One row per date for the calendars: each block's state for a visitor — "free" (can be
    requested), "booked", "closed" or "unavailable" (past, today, or beyond the window) —
    plus the closure's reason. Two queries whatever the range."""
    reasons = _closure_reasons(space=space, dates=dates)
    grid = availability(space=space, dates=dates, closed=set(reasons))
    last_bookable = today + datetime.timedelta(days=space.booking_window_days)
    rows = []
    for day in dates:
        bookable_day = today < day <= last_bookable
        cells = []
        for block in space.blocks:
            state = grid[(day, block["key"])]
            if state == "free" and not bookable_day:
                state = "unavailable"
            cells.append(
                {
                    "key": block["key"],
                    "label": space.block_label(block["key"]),
                    "short": BLOCK_NAMES.get(block["key"], block["label"]),
                    "state": state,
                }
            )
        rows.append({"date": day, "closed_reason": reasons.get(day, ""), "cells": cells})
    return rows

"""The shapes in which each app hands its yearly numbers to the dashboard (issue #8).

Base layer: apps build these in their own `stats.py` (aggregated in the database), and
`center.dashboard` — which nothing imports — collects, charts and prints them. An app never
imports the dashboard, and the dashboard never reads an app's models directly.

A `StatsPeriod` is a date range (a fiscal year or one of its quarters) and, for ward-center
staff, a ward: an app given a ward returns only numbers that belong to that ward and leaves
out the rest (it never returns center-wide numbers to a ward user).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StatsPeriod:
    start: datetime.date  # first day, inclusive
    end: datetime.date  # last day, inclusive
    ward: Any = None  # a center.core.models.Ward, or None for the whole city

    @property
    def end_exclusive(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)

    def months(self) -> list[datetime.date]:
        """The first day of each month in the period, in order (April first in a full year)."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months


@dataclass
class Figure:
    """One headline number: "Consultations received: 412"."""

    key: str
    label: str
    value: int | float | None  # None: not measurable in this period (shown as "—")
    unit: str = ""  # "%", "days", "h"... as shown after the number


@dataclass
class Table:
    """A breakdown, shown as a chart and the same numbers as a data table.

    `columns` are the header labels; the first column holds the row labels, each further
    column one series of numbers (`rows` are (label, number, number, ...)). `chart` says how
    to draw it: "bar" (horizontal bars, one per row), "column" (months along the bottom),
    "line", or "" for a table alone.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[tuple]
    chart: str = "bar"
    note: str = ""


@dataclass
class BusinessStats:
    """What one app reports for one of the six businesses (`center.core.navigation`)."""

    business: str  # a Business.slug: consultation, information, training, ...
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def center_timezone():
    """Months and days are Yokohama's, whoever asks and whatever the server's clock says."""
    from django.utils import timezone

    return timezone.get_default_timezone()


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, in the center's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=center_timezone())


def month_of(value) -> datetime.date:
    """The first day of the center-time month of a date or an aware datetime."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(center_timezone())
        return value.date().replace(day=1)
    return value.replace(day=1)

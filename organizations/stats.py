"""Yearly numbers of group registration, spaces and the HUB for the dashboard (issue #8).

Everything is counted in the database (aggregate, annotate, conditional Count): the number
of queries does not grow with the number of groups or bookings. The HUB is reported under
"exchange", where the center's plan files the 市民協働HUB事業; the rest under
"activity-support".
"""

import datetime
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from center.core.models import Ward
from center.core.stats import BusinessStats, Figure, StatsPeriod, Table, day_start
from organizations.models import Booking, Group, IntroductionRequest, Space


def _bounds(period: StatsPeriod) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes, [start, end) at local midnight (Asia/Tokyo)."""
    return day_start(period.start), day_start(period.end_exclusive)


def _hours(value: Decimal | None) -> int | float:
    value = value or Decimal(0)
    return int(value) if value == value.to_integral_value() else float(value)


def _current_at_end(period: StatsPeriod, end: datetime.datetime) -> Q:
    # Registered by the end of the period (groups entered before approved_at existed have
    # none) and still valid on its last day; renewals keep approved_at and move valid_until.
    return Q(status=Group.Status.APPROVED, valid_until__gte=period.end) & (
        Q(approved_at__isnull=True) | Q(approved_at__lt=end)
    )


def _groups(period: StatsPeriod, start, end) -> tuple[list[Figure], list[Table]]:
    groups = Group.objects.all()
    if period.ward is not None:
        groups = groups.filter(ward=period.ward)
    current = _current_at_end(period, end)
    counts = groups.aggregate(
        registered=Count(
            "pk",
            filter=Q(status=Group.Status.APPROVED, approved_at__gte=start, approved_at__lt=end),
        ),
        current=Count("pk", filter=current),
        # Now, not at the period's end: a backlog is only meaningful today.
        pending=Count("pk", filter=Q(status__in=[Group.Status.PENDING, Group.Status.NEEDS_INFO])),
    )
    figures = [
        Figure(
            "organizations.groups_registered",
            _("Groups registered in the period"),
            counts["registered"],
        ),
        Figure(
            "organizations.groups_current",
            _("Registered groups at the end of the period"),
            counts["current"],
        ),
        Figure(
            "organizations.groups_pending",
            _("Applications waiting for a decision (now)"),
            counts["pending"],
        ),
    ]

    by_kind = dict(
        groups.filter(current)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    tables = [
        Table(
            "organizations.groups_by_kind",
            _("Registered groups by kind (at the end of the period)"),
            [_("Kind of group"), _("Groups")],
            [(str(label), by_kind.get(value, 0)) for value, label in Group.Kind.choices],
        )
    ]
    if period.ward is None:
        # One correlated count per ward keeps the wards without a group (a row of 0).
        per_ward = (
            Group.objects.filter(current, ward=OuterRef("pk"))
            .order_by()
            .values("ward")
            .annotate(n=Count("pk"))
            .values("n")
        )
        wards = Ward.objects.in_order().annotate(
            n=Coalesce(Subquery(per_ward, output_field=IntegerField()), 0)
        )
        tables.append(
            Table(
                "organizations.groups_by_ward",
                _("Registered groups by ward (at the end of the period)"),
                [_("Ward"), _("Groups")],
                [(ward.display_name, ward.n) for ward in wards],
            )
        )
    return figures, tables


def _spaces(period: StatsPeriod) -> tuple[list[Figure], list[Table]]:
    in_period = Q(
        bookings__status=Booking.Status.CONFIRMED,
        bookings__date__gte=period.start,
        bookings__date__lte=period.end,
    )
    if period.ward is not None:
        in_period &= Q(bookings__group__ward=period.ward)
    spaces = Space.objects.annotate(
        n=Count("bookings", filter=in_period), hours=Sum("bookings__hours", filter=in_period)
    ).order_by("order", "pk")
    rows = [(space.display_name, space.n, _hours(space.hours)) for space in spaces]
    total_bookings = sum(row[1] for row in rows)
    total_hours = _hours(sum((space.hours or Decimal(0) for space in spaces), Decimal(0)))
    figures = [
        Figure("organizations.bookings", _("Space bookings in the period"), total_bookings),
        Figure("organizations.booked_hours", _("Hours booked"), total_hours, _("h")),
    ]
    tables = [
        Table(
            "organizations.space_use",
            _("Use of each space"),
            [_("Space"), _("Bookings"), _("Hours")],
            rows,
        )
    ]
    return figures, tables


def _hub(start, end) -> list[Figure]:
    counts = IntroductionRequest.objects.aggregate(
        requested=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        made=Count(
            "pk",
            filter=Q(
                status=IntroductionRequest.Status.INTRODUCED,
                decided_at__gte=start,
                decided_at__lt=end,
            ),
        ),
    )
    return [
        Figure(
            "organizations.hub_introductions_requested",
            _("HUB introductions requested"),
            counts["requested"],
        ),
        Figure("organizations.hub_introductions_made", _("HUB introductions made"), counts["made"]),
    ]


def business_stats(period: StatsPeriod) -> list[BusinessStats]:
    """Groups, spaces (activity-support) and HUB introductions (exchange) for the period.

    Five queries (four for a ward). For a ward: only that ward's groups and the bookings of
    its groups; no by-ward table and no HUB numbers (an introduction belongs to no ward).
    """
    start, end = _bounds(period)
    group_figures, group_tables = _groups(period, start, end)
    space_figures, space_tables = _spaces(period)
    result = [
        BusinessStats(
            "activity-support",
            figures=group_figures + space_figures,
            tables=space_tables + group_tables,
        )
    ]
    if period.ward is None:
        result.append(BusinessStats("exchange", figures=_hub(start, end)))
    return result

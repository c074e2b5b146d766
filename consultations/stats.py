"""The consultation desk's numbers for the dashboard and the annual report (issue #8).

Everything is counted in the database: one aggregate for the headline figures, one grouped
query for the three choice breakdowns (topic, requester, channel), one per ward and month
table, one for the median wait and one for the 相談会 — at most six queries per call,
whatever the number of cases.
"""

import datetime

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from center.core.models import Ward
from center.core.stats import BusinessStats, Figure, StatsPeriod, Table
from center.core.stats import center_timezone as _center_tz
from center.core.stats import day_start as _day_start
from center.core.stats import month_of as _month_of

from .models import (
    OPEN_STATUSES,
    Channel,
    Consultation,
    ConsultationSession,
    RequesterType,
    Status,
    Topic,
)

__all__ = ["business_stats"]


def _days(wait: datetime.timedelta) -> float:
    return round(wait.total_seconds() / 86400, 1)


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def cases_in_period(period: StatsPeriod):
    """The cases received in the period (by `created_at`, in Yokohama's days), of the period's
    ward if it has one. Quarantined submissions (suspected spam nobody has released yet) are
    not in the queue and are not counted."""
    cases = Consultation.objects.filter(
        created_at__gte=_day_start(period.start),
        created_at__lt=_day_start(period.end_exclusive),
        quarantined=False,
    )
    if period.ward is not None:
        cases = cases.filter(ward=period.ward)
    return cases.order_by()


def _median_wait(cases, responded: int) -> datetime.timedelta | None:
    """The median of first_response_at - created_at, read as the one or two middle rows of
    the ordered waits: the same SQL on SQLite and PostgreSQL (no percentile function)."""
    if not responded:
        return None
    waits = list(
        cases.filter(first_response_at__isnull=False)
        .annotate(wait=ExpressionWrapper(F("first_response_at") - F("created_at"), DurationField()))
        .order_by("wait", "pk")
        .values_list("wait", flat=True)[(responded - 1) // 2 : responded // 2 + 1]
    )
    return sum(waits, datetime.timedelta()) / len(waits)


_BREAKDOWN_FIELDS = ("topic", "requester_type", "channel")


def _breakdown_counts(cases) -> dict[str, dict[str, int]]:
    """{field: {value: cases}} for topic, requester type and channel, from one query grouped
    by all three (at most 7 × 6 × 5 rows, whatever the number of cases)."""
    counts = {field: {} for field in _BREAKDOWN_FIELDS}
    grouped = cases.order_by().values_list(*_BREAKDOWN_FIELDS).annotate(n=Count("pk"))
    for *values, n in grouped:
        for field, value in zip(_BREAKDOWN_FIELDS, values, strict=True):
            counts[field][value] = counts[field].get(value, 0) + n
    return counts


def _choice_table(counts: dict, *, key: str, title: str, choices) -> Table:
    # Every choice, in the model's order, zeros included: years compare row by row.
    rows = [(str(label), counts.get(value, 0)) for value, label in choices]
    return Table(key=key, title=title, columns=["", _("Cases")], rows=rows, chart="bar")


def _ward_table(cases, *, outside: int) -> Table:
    per_ward = cases.filter(ward=OuterRef("pk")).values("ward").annotate(n=Count("pk")).values("n")
    wards = (
        Ward.objects.in_order()
        .annotate(n=Coalesce(Subquery(per_ward, output_field=IntegerField()), Value(0)))
        .values_list("name", "name_en", "n")
    )
    english = _english()
    rows = [(name_en if english and name_en else name, n) for name, name_en, n in wards]
    rows.append((_("Outside Yokohama"), outside))
    return Table(
        key="consultations.by_ward",
        title=_("Consultations by ward"),
        columns=[_("Ward"), _("Cases")],
        rows=rows,
        chart="bar",
        note=_("The requester's ward, as given on the form."),
    )


def _month_table(cases, period: StatsPeriod) -> Table:
    counts = {
        _month_of(month): n
        for month, n in cases.annotate(month=TruncMonth("created_at", tzinfo=_center_tz()))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    }
    rows = [(f"{month:%Y-%m}", counts.get(month, 0)) for month in period.months()]
    return Table(
        key="consultations.by_month",
        title=_("Consultations by month"),
        columns=[_("Month"), _("Cases")],
        rows=rows,
        chart="column",
    )


def _session_figures(period: StatsPeriod, now: datetime.datetime) -> list[Figure]:
    """相談会: published session days of the period that have taken place (date up to today),
    their slots, and the active bookings of those slots. For a ward: only bookings whose case
    comes from the ward (session days and slots are the center's, not a ward's)."""
    today = timezone.localtime(now, _center_tz()).date()
    sessions = ConsultationSession.objects.filter(
        is_published=True, date__gte=period.start, date__lte=min(period.end, today)
    ).order_by()
    # Slots without a booking join as NULL, which Count skips.
    booked = Q(slots__bookings__cancelled_at__isnull=True)
    if period.ward is not None:
        booked &= Q(slots__bookings__consultation__ward=period.ward)
    # One row per (session, slot, booking): counting distinct ids stays exact across the joins.
    counts = sessions.aggregate(
        day_count=Count("pk", distinct=True),
        slot_count=Count("slots", distinct=True),
        booking_count=Count("slots__bookings", filter=booked, distinct=True),
    )
    figures = [
        Figure(
            "consultations.session_bookings",
            _("Consultation session bookings"),
            counts["booking_count"],
        ),
    ]
    if period.ward is None:
        figures[:0] = [
            Figure(
                "consultations.session_days",
                _("Consultation session days held"),
                counts["day_count"],
            ),
            Figure(
                "consultations.session_slots",
                _("Consultation session slots offered"),
                counts["slot_count"],
            ),
        ]
    return figures


def business_stats(
    period: StatsPeriod, *, now: datetime.datetime | None = None
) -> list[BusinessStats]:
    """One BusinessStats("consultation") for the cases received in the period.

    Figures: cases received; of those, how many are open, closed and withdrawn now (the
    current status, so a year's numbers settle as its cases finish); cases with a first
    response and the median days from receipt to it (`first_response_at`, set by the first
    reply to the requester or the first status change away from "received", whichever comes
    first); and the 相談会 (session days held, slots, active bookings).
    Tables: by topic, requester type, channel and ward (bars, every choice or ward listed,
    zeros included), and by month (columns, every month of the period).

    With `period.ward`: only cases whose requester lives in that ward, and bookings of those
    cases; no by-ward table and no session days or slots (they are the center's).
    At most eight queries.
    """
    now = now or timezone.now()
    cases = cases_in_period(period)
    counts = cases.aggregate(
        received=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        closed=Count("pk", filter=Q(status=Status.CLOSED)),
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
        responded=Count("pk", filter=Q(first_response_at__isnull=False)),
        outside=Count("pk", filter=Q(ward__isnull=True)),
    )
    median = _median_wait(cases, counts["responded"])
    stats = BusinessStats(business="consultation")
    stats.figures = [
        Figure("consultations.received", _("Consultations received"), counts["received"]),
        Figure("consultations.open", _("Still open"), counts["open"]),
        Figure("consultations.closed", _("Closed"), counts["closed"]),
        Figure("consultations.withdrawn", _("Withdrawn"), counts["withdrawn"]),
        Figure("consultations.responded", _("Answered"), counts["responded"]),
        Figure(
            "consultations.median_days_to_first_response",
            _("Median days to the first response"),
            _days(median) if median is not None else None,
            _("days"),
        ),
        *_session_figures(period, now),
    ]
    breakdown = _breakdown_counts(cases)
    stats.tables = [
        _choice_table(
            breakdown["topic"],
            key="consultations.by_topic",
            title=_("Consultations by topic"),
            choices=Topic.choices,
        ),
        _choice_table(
            breakdown["requester_type"],
            key="consultations.by_requester_type",
            title=_("Consultations by requester"),
            choices=RequesterType.choices,
        ),
        _choice_table(
            breakdown["channel"],
            key="consultations.by_channel",
            title=_("Consultations by channel"),
            choices=Channel.choices,
        ),
    ]
    if period.ward is None:
        stats.tables.append(_ward_table(cases, outside=counts["outside"]))
    stats.tables.append(_month_table(cases, period))
    return [stats]

"""Yearly numbers of ward-center support (各区センター支援) for the dashboard (issue #8).

Everything is counted in the database: five queries per call (four for a ward) whatever
the number of meetings, hearings or requests.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from center.core.stats import BusinessStats, Figure, StatsPeriod, Table
from center.core.stats import day_start as _midnight
from center.lib.queries import counts_in_one_query
from networks.models import Hearing, KnowHowArticle, Meeting, SupportRequest, WardCenter
from networks.selectors_support import PUBLIC_STATUS


def _meetings(period: StatsPeriod, start, end) -> list[Figure]:
    # Held: started within the period and before now (a meeting planned for next month
    # of this year has not been held yet).
    held = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=min(end, timezone.now()))
    if period.ward is not None:
        counts = held.aggregate(
            held=Count("pk", distinct=True),
            attended=Count(
                "rsvps",
                filter=Q(rsvps__attending=True, rsvps__ward_center__ward=period.ward),
            ),
        )
        return [
            Figure("networks.meetings_held", _("Network meetings held"), counts["held"]),
            Figure(
                "networks.meetings_attended", _("Network meetings attended"), counts["attended"]
            ),
        ]
    counts = held.aggregate(
        held=Count("pk", distinct=True),
        # The average is over the meetings whose replies were recorded: a meeting without
        # any reply says nothing about attendance.
        with_replies=Count("pk", distinct=True, filter=Q(rsvps__isnull=False)),
        attending=Count("rsvps", filter=Q(rsvps__attending=True)),
    )
    average = (
        round(counts["attending"] / counts["with_replies"], 1) if counts["with_replies"] else None
    )
    return [
        Figure("networks.meetings_held", _("Network meetings held"), counts["held"]),
        Figure("networks.meetings_average_wards", _("Average wards attending a meeting"), average),
    ]


def _status_table(requests) -> Table:
    by_status = dict(
        requests.order_by()
        .values("consultation__status")
        .annotate(n=Count("pk"))
        .values_list("consultation__status", "n")
    )
    # The case's statuses folded as the ward sees them on its own pages.
    folded: dict[str, list] = {}
    for status, (code, label) in PUBLIC_STATUS.items():
        row = folded.setdefault(code, [str(label), 0])
        row[1] += by_status.get(status, 0)
    return Table(
        "networks.support_requests_by_status",
        _("Support requests by status (now)"),
        [_("Status"), _("Requests")],
        [tuple(row) for row in folded.values()],
    )


def business_stats(period: StatsPeriod) -> list[BusinessStats]:
    """Meetings, hearings, support requests and know-how for the period.

    For a ward: that ward's attendance, hearings, requests and shared know-how; no by-ward
    table.
    """
    start, end = _midnight(period.start), _midnight(period.end_exclusive)
    figures = _meetings(period, start, end)

    hearings = Hearing.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
    requests = SupportRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    knowhow = KnowHowArticle.objects.filter(created_at__gte=start, created_at__lt=end)
    if period.ward is not None:
        hearings = hearings.filter(ward_center__ward=period.ward)
        requests = requests.filter(ward_center__ward=period.ward)
        knowhow = knowhow.filter(ward_center__ward=period.ward)

    status_table = _status_table(requests)
    tables = []
    if period.ward is None:
        centers = WardCenter.objects.order_by("ward__order").annotate(
            n=Count(
                "support_requests",
                filter=Q(
                    support_requests__created_at__gte=start, support_requests__created_at__lt=end
                ),
            )
        )
        tables.append(
            Table(
                "networks.support_requests_by_ward",
                _("Support requests by ward"),
                [_("Ward"), _("Requests")],
                [(center.ward.display_name, center.n) for center in centers.select_related("ward")],
            )
        )
    tables.append(status_table)

    # Both simple counts in one round trip (the dashboard's query budget).
    counts = counts_in_one_query(hearings=hearings, knowhow=knowhow)
    figures += [
        Figure("networks.hearings", _("Hearings held"), counts["hearings"]),
        Figure(
            "networks.support_requests",
            _("Support requests received"),
            sum(r[1] for r in status_table.rows),
        ),
        Figure(
            "networks.knowhow_articles",
            _("Know-how articles shared")
            if period.ward is None
            else _("Know-how articles shared by the ward"),
            counts["knowhow"],
        ),
    ]
    return [BusinessStats("ward-centers", figures=figures, tables=tables)]

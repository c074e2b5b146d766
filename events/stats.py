"""Events' numbers per business for the dashboard and the annual report (issue #8).

The definitions are those of `selectors.plan_vs_actual` (the admin's plan against actual),
widened from a fiscal year to any period and narrowed to a ward when asked:

- held: published events (cancelled ones are not) that started in the period and have ended;
- registrations: confirmed registrations of those events (cancelled ones and the waiting
  list do not count); people registered: their seats (party sizes);
- attendees: the seats of those registrations checked in at least once — staff check a
  registration in, not each person, so the whole party counts as there;
- attendance rate: attendees / people registered, in %.

Four grouped queries for the whole city (programs, plans, events held, registrations), two
for a ward, whatever the number of events and registrations.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from center.core.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from center.core.navigation import BUSINESSES
from center.core.stats import BusinessStats, Figure, StatsPeriod, Table
from center.core.stats import center_timezone as _center_tz
from center.core.stats import day_start as _day_start
from center.core.stats import month_of as _month_of

from .models import Attendance, Event, Program, ProgramPlan, Registration

__all__ = ["business_stats", "business_slug"]


def business_slug(business: str) -> str:
    """events.Business values are the navigation's slugs with "_" for "-"
    (activity_support → activity-support, ward_centers → ward-centers)."""
    return business.replace("_", "-")


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def held_events(period: StatsPeriod, *, now: datetime.datetime):
    """Published events that started in the period (Yokohama's days) and are over by `now`."""
    return Event.objects.filter(
        status=Event.Status.PUBLISHED,
        starts_at__gte=_day_start(period.start),
        starts_at__lt=_day_start(period.end_exclusive),
        ends_at__lt=now,
    ).order_by()


def _registration_rows(period: StatsPeriod, held):
    """Confirmed registrations of the held events grouped by program and month of the event
    (of the period's ward, by the registrant's ward, when it has one)."""
    registrations = Registration.objects.filter(
        event__in=held.values("pk"), status=Registration.Status.CONFIRMED
    )
    if period.ward is not None:
        registrations = registrations.filter(ward=period.ward)
    return (
        registrations.annotate(
            attended=Exists(Attendance.objects.filter(registration=OuterRef("pk")))
        )
        .order_by()
        .values("event__program", month=TruncMonth("event__starts_at", tzinfo=_center_tz()))
        .annotate(
            registrations=Count("pk"),
            seats=Sum("party_size"),
            attendees=Sum("party_size", filter=Q(attended=True)),
        )
    )


def _zero() -> dict:
    return {"held": 0, "registrations": 0, "seats": 0, "attendees": 0}


def business_stats(
    period: StatsPeriod, *, now: datetime.datetime | None = None
) -> list[BusinessStats]:
    """One BusinessStats per business that has programs, in the navigation's order.

    Figures: events held, registrations, people registered, attendees, attendance rate (%).
    Tables: each program against the year's plan (program, planned, held; bars; planned is
    None for a program without a plan; a quarter still shows the yearly plan, said in the
    note) and registrations by month of the event (people registered and attended; columns,
    every month of the period).

    With `period.ward`: only registrations whose registrant's ward is that ward. Events held
    and the plan are the center's, not a ward's, so they are left out; the program table
    then lists the ward's registrations and attendees per program instead.
    `now` (default: now) decides which events are over. Four queries, two for a ward.
    """
    now = now or timezone.now()
    ward_only = period.ward is not None
    english = (get_language() or "ja").startswith("en")
    fiscal_year = fiscal_year_of(period.start)

    programs = list(
        Program.objects.order_by("order", "pk").values("pk", "business", "name", "name_en")
    )
    held = held_events(period, now=now)
    per_program = defaultdict(_zero)
    per_month = defaultdict(_zero)  # (business, month) → counts
    plans = {}
    if not ward_only:
        plans = dict(
            ProgramPlan.objects.filter(fiscal_year=fiscal_year).values_list(
                "program", "planned_count"
            )
        )
        held_counts = held.values("program").annotate(n=Count("pk")).values_list("program", "n")
        for program, n in held_counts:
            per_program[program]["held"] = n
    business_of = {program["pk"]: program["business"] for program in programs}
    for row in _registration_rows(period, held):
        program, month = row["event__program"], _month_of(row["month"])
        for counts in (per_program[program], per_month[business_of[program], month]):
            counts["registrations"] += row["registrations"]
            counts["seats"] += row["seats"] or 0
            counts["attendees"] += row["attendees"] or 0

    by_business = defaultdict(list)
    for program in programs:
        by_business[program["business"]].append(program)
    slug_order = {business.slug: index for index, business in enumerate(BUSINESSES)}
    is_fiscal_year = (period.start, period.end) == fiscal_year_bounds(fiscal_year)

    def label(program: dict) -> str:
        return program["name_en"] if english and program["name_en"] else program["name"]

    results = []
    for business in sorted(by_business, key=lambda b: slug_order.get(business_slug(b), 99)):
        totals = _zero()
        for program in by_business[business]:
            for name, value in per_program.get(program["pk"], _zero()).items():
                totals[name] += value

        figures = [
            Figure("events.registrations", _("Registrations"), totals["registrations"]),
            Figure("events.registered_people", _("People registered"), totals["seats"]),
            Figure("events.attendees", _("Attendees"), totals["attendees"]),
            Figure(
                "events.attendance_rate",
                _("Attendance rate"),
                _percent(totals["attendees"], totals["seats"]),
                "%",
            ),
        ]
        if ward_only:
            program_table = Table(
                key="events.by_program",
                title=_("Registrations by program"),
                columns=[_("Program"), _("People registered"), _("Attendees")],
                rows=[
                    (label(p), per_program[p["pk"]]["seats"], per_program[p["pk"]]["attendees"])
                    for p in by_business[business]
                    if per_program.get(p["pk"], _zero())["registrations"]
                ],
                chart="bar",
            )
        else:
            figures.insert(0, Figure("events.held", _("Events held"), totals["held"]))
            note = _("Held: published events that started in the period and are over.")
            if not is_fiscal_year:
                yearly = _("Planned counts are for the whole of %(year)s.")
                note = f"{note} {yearly % {'year': fiscal_year_label(fiscal_year)}}"
            program_table = Table(
                key="events.plan_vs_actual",
                title=_("Programs against the plan"),
                columns=[_("Program"), _("Planned"), _("Held")],
                rows=[
                    (label(p), plans.get(p["pk"]), per_program.get(p["pk"], _zero())["held"])
                    for p in by_business[business]
                    if p["pk"] in plans or per_program.get(p["pk"], _zero())["held"]
                ],
                chart="bar",
                note=note,
            )
        month_rows = []
        for month in period.months():
            counts = per_month.get((business, month), _zero())
            month_rows.append((f"{month:%Y-%m}", counts["seats"], counts["attendees"]))
        month_table = Table(
            key="events.by_month",
            title=_("Registrations by month"),
            columns=[_("Month"), _("People registered"), _("Attendees")],
            rows=month_rows,
            chart="column",
            note=_("By the month the event started; a registration counts its party size."),
        )
        results.append(
            BusinessStats(
                business=business_slug(business),
                figures=figures,
                tables=[program_table, month_table],
            )
        )
    return results

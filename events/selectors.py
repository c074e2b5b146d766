"""Reads of events: the public list with its filters, the month calendar, one event for a
user (with the staff preview), the feeds and the plan against actual per fiscal year.

Seats are counted as the models count them (a registration's party size). Lists annotate
what the templates show (seats taken, number of sessions) in the same query, so a page
costs the same number of queries whatever its length.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from center.core.fiscal import fiscal_year_bounds

from .models import Attendance, Business, Event, EventSession, Program, Registration, Venue

__all__ = [
    "EventFilters",
    "EventPage",
    "PlanRow",
    "event_calendar_month",
    "event_can_preview",
    "event_filters_from_query",
    "event_get_for_user",
    "events_for_feed",
    "event_public_list",
    "plan_vs_actual",
    "program_public_list",
    "with_seats_taken",
]

PREVIEW_PERMISSION = "events.view_event"
FEED_PAST_DAYS = 180
_MONTH = re.compile(r"(20[0-9]{2})-(0[1-9]|1[0-2])")
_FLAG_VALUES = {"1", "on", "true"}
FILTER_NAMES = ("program", "business", "month", "venue", "online", "open", "period", "page")


# Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    """What a visitor asked the list for, with anything we do not understand left out."""

    program: str | None = None
    business: str | None = None
    month: datetime.date | None = None  # the first day of the month
    venue: str | None = None
    online: bool = False
    open_only: bool = False
    past: bool = False
    # Names of parameters that were given but not understood (shown, then ignored).
    ignored: tuple[str, ...] = field(default=(), compare=False)

    @property
    def any(self) -> bool:
        return (
            bool(self.program or self.business or self.month or self.venue or self.online)
            or self.open_only
        )

    def month_value(self) -> str:
        return f"{self.month:%Y-%m}" if self.month else ""


def parse_month(value: str | None) -> datetime.date | None:
    """ "2026-12" → 2026-12-01; anything else (or another century) → None."""
    if not value:
        return None
    match = _MONTH.fullmatch(value)
    return datetime.date(int(match[1]), int(match[2]), 1) if match else None


def event_filters_from_query(params, *, program_slugs) -> EventFilters:
    """Read the list's filters from a QueryDict. A value we do not know (a junk program, a
    month like "2026-13", NUL bytes) is dropped and named in `ignored`, never an error."""
    ignored = []

    def one(name: str) -> str | None:
        values = params.getlist(name)
        if not values or values == [""]:
            return None
        if len(values) != 1:
            ignored.append(name)
            return None
        return values[0]

    def known(name: str, allowed) -> str | None:
        value = one(name)
        if value is not None and value not in allowed:
            ignored.append(name)
            return None
        return value

    def flag(name: str) -> bool:
        value = one(name)
        if value is not None and value not in _FLAG_VALUES:
            ignored.append(name)
            return False
        return value is not None

    raw_month = one("month")
    month = parse_month(raw_month)
    if raw_month is not None and month is None:
        ignored.append("month")
    period = known("period", {"upcoming", "past"})
    return EventFilters(
        program=known("program", set(program_slugs)),
        business=known("business", set(Business.values)),
        month=month,
        venue=known("venue", set(Venue.values)),
        online=flag("online"),
        open_only=flag("open"),
        past=period == "past",
        ignored=tuple(ignored),
    )


# Lists -----------------------------------------------------------------------------------


def program_public_list() -> QuerySet[Program]:
    """Active programs, in their order (the list's filter and the program feeds)."""
    return Program.objects.filter(is_active=True).order_by("order", "pk")


def _seats_taken() -> Subquery:
    seats = (
        Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(seats=Sum("party_size"))
        .values("seats")
    )
    return Coalesce(Subquery(seats, output_field=IntegerField()), Value(0))


def _session_count() -> Subquery:
    count = (
        EventSession.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def with_seats_taken(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate `seats_taken`: the seats of confirmed registrations (one subquery)."""
    return events.annotate(seats_taken=_seats_taken())


def _with_listing_data(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("program").annotate(
        seats_taken=_seats_taken(), session_count=_session_count()
    )


def _local_day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _open_for_registration(now) -> Q:
    """The database side of Event.registration_is_open."""
    return (
        Q(status=Event.Status.PUBLISHED, registration_required=True)
        & (Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        & (
            Q(registration_closes_at__gt=now)
            | Q(registration_closes_at__isnull=True, starts_at__gt=now)
        )
    )


def event_public_list(*, filters: EventFilters, now=None) -> QuerySet[Event]:
    """Published (and cancelled, marked) events matching the filters.

    Without a month: upcoming events soonest first, or past ones latest first. With a month:
    every event that takes place in it, in date order, past or not."""
    now = now or timezone.now()
    events = Event.objects.published()
    if filters.program:
        events = events.filter(program__slug=filters.program)
    if filters.business:
        events = events.filter(program__business=filters.business)
    if filters.venue:
        events = events.filter(venue=filters.venue)
    if filters.online:
        events = events.filter(venue=Venue.ONLINE)
    if filters.open_only:
        events = events.filter(_open_for_registration(now))
    if filters.month:
        start = _local_day_start(filters.month)
        end = _local_day_start(_next_month(filters.month))
        events = events.filter(starts_at__lt=end, ends_at__gte=start).order_by("starts_at", "pk")
    elif filters.past:
        events = events.past(now).order_by("-starts_at", "-pk")
    else:
        events = events.upcoming(now).order_by("starts_at", "pk")
    events = _with_listing_data(events)
    if filters.open_only:
        # Full with no waiting list: nobody can register any more.
        events = events.exclude(
            capacity__isnull=False, waitlist_enabled=False, seats_taken__gte=F("capacity")
        )
    return events


def events_for_feed(*, program: Program | None = None, now=None) -> QuerySet[Event]:
    """The iCal feeds: published events from half a year back onwards, with sessions."""
    now = now or timezone.now()
    events = Event.objects.published().filter(
        ends_at__gte=now - datetime.timedelta(days=FEED_PAST_DAYS)
    )
    if program is not None:
        events = events.filter(program=program)
    return events.select_related("program").prefetch_related("sessions").order_by("starts_at")


@dataclass
class CalendarDay:
    day: datetime.date | None  # None: a cell before the first or after the last day
    entries: list = field(default_factory=list)  # (start datetime, event, session or None)
    is_today: bool = False


def event_calendar_month(*, month: datetime.date, today=None) -> list[list[CalendarDay]]:
    """The weeks (Sunday first, as Japanese calendars are) of a month, each day with the
    events that take place on it: a course appears on each of its session days."""
    import calendar

    today = today or timezone.localdate()
    start = _local_day_start(month)
    end = _local_day_start(_next_month(month))
    events = (
        Event.objects.published()
        .filter(starts_at__lt=end, ends_at__gte=start)
        .select_related("program")
        .prefetch_related("sessions")
        .order_by("starts_at", "pk")
    )
    by_day: dict[datetime.date, list] = {}
    for event in events:
        sessions = list(event.sessions.all())
        occurrences = [(s.starts_at, s) for s in sessions] or [(event.starts_at, None)]
        for starts_at, session in occurrences:
            day = timezone.localtime(starts_at).date()
            if day.year == month.year and day.month == month.month:
                by_day.setdefault(day, []).append((starts_at, event, session))
    weeks = []
    for week in calendar.Calendar(firstweekday=6).monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                CalendarDay(
                    day=day,
                    entries=sorted(by_day.get(day, []), key=lambda entry: entry[0]),
                    is_today=day == today,
                )
                if day.month == month.month
                else CalendarDay(day=None)
                for day in week
            ]
        )
    return weeks


# One event -------------------------------------------------------------------------------


def event_can_preview(*, user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(PREVIEW_PERMISSION))


@dataclass(frozen=True)
class EventPage:
    event: Event
    # True for a draft, which only staff see: a preview.
    is_preview: bool


def event_get_for_user(*, user, pk: int) -> EventPage:
    """One event with its sessions and speakers: public once published (or cancelled);
    a draft only to users who may view events in the back office, 404 for anyone else."""
    events = _with_listing_data(Event.objects.all()).prefetch_related(
        "sessions", "speakers", "photos"
    )
    event = events.published().filter(pk=pk).first()
    if event is not None:
        return EventPage(event=event, is_preview=False)
    # Only now the second query, and only for people who may preview: a visitor learns
    # nothing about whether a draft exists.
    if event_can_preview(user=user):
        event = events.filter(pk=pk).first()
        if event is not None:
            return EventPage(event=event, is_preview=True)
    raise Http404


def capacity_state(event: Event) -> dict:
    """What the page says about seats: "unlimited", "available" (with seats left),
    "waitlist" (full, the waiting list is open) or "full". Needs `seats_taken`."""
    if event.capacity is None:
        return {"state": "unlimited", "seats_left": None}
    seats_left = max(event.capacity - getattr(event, "seats_taken", 0), 0)
    if seats_left > 0:
        return {"state": "available", "seats_left": seats_left}
    return {"state": "waitlist" if event.waitlist_enabled else "full", "seats_left": 0}


# Plan against actual ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One program's fiscal year, planned against what happened.

    held: published events (not cancelled) that started in the year and have ended.
    registrations: confirmed registrations of those events (cancelled ones and the
      waiting list do not count); registered_seats: their seats (party sizes).
    attendees: seats of the confirmed registrations with at least one attendance — the
      whole party counts as there, since staff check a registration in, not each person
      (walk-ins are registrations too, so they count on both sides).
    attendance_rate: attendees / registered_seats, None when nobody registered.
    """

    program: Program
    planned: int | None
    held: int
    registrations: int
    registered_seats: int
    attendees: int

    @property
    def attendance_rate(self) -> float | None:
        return self.attendees / self.registered_seats if self.registered_seats else None

    @property
    def achievement(self) -> float | None:
        return self.held / self.planned if self.planned else None


def plan_vs_actual(*, fiscal_year: int, now=None) -> list[PlanRow]:
    """Every program with a plan for the year or events held in it, in program order.
    Four queries whatever the number of programs and events (the dashboard reads this)."""
    now = now or timezone.now()
    first, last = fiscal_year_bounds(fiscal_year)
    start = _local_day_start(first)
    end = _local_day_start(last + datetime.timedelta(days=1))
    held_events = Event.objects.filter(
        status=Event.Status.PUBLISHED, starts_at__gte=start, starts_at__lt=end, ends_at__lt=now
    )
    held = dict(
        held_events.order_by().values("program").annotate(n=Count("pk")).values_list("program", "n")
    )
    attended = Attendance.objects.filter(registration=OuterRef("pk"))
    registration_rows = (
        Registration.objects.filter(
            event__in=held_events.values("pk"), status=Registration.Status.CONFIRMED
        )
        .annotate(attended=Exists(attended))
        .order_by()
        .values("event__program")
        .annotate(
            registrations=Count("pk"),
            seats=Sum("party_size"),
            attendees=Sum("party_size", filter=Q(attended=True)),
        )
    )
    registrations = {row["event__program"]: row for row in registration_rows}
    plans = dict(
        Program.objects.filter(plans__fiscal_year=fiscal_year).values_list(
            "pk", "plans__planned_count"
        )
    )
    rows = []
    for program in Program.objects.order_by("order", "pk"):
        if program.pk not in plans and program.pk not in held:
            continue
        counts = registrations.get(program.pk, {})
        rows.append(
            PlanRow(
                program=program,
                planned=plans.get(program.pk),
                held=held.get(program.pk, 0),
                registrations=counts.get("registrations") or 0,
                registered_seats=counts.get("seats") or 0,
                attendees=counts.get("attendees") or 0,
            )
        )
    return rows

"""Public event pages: the list with its filters, the month calendar, one event (with the
staff preview of a draft) and the iCalendar files.

Anonymous visitors get cached pages, but only at the addresses our own links and filter
form produce: any other query string (a typo, a scanner's junk) is answered freshly and
never stored. Filters we do not understand are ignored and named on the page.
"""

import datetime
import re

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from center.core.cache import public_cache, without_query

from .ics import calendar_ics, event_ics
from .models import Business, Program, Venue
from .selectors import (
    FILTER_NAMES,
    capacity_state,
    event_calendar_month,
    event_filters_from_query,
    event_get_for_user,
    event_public_list,
    events_for_feed,
    parse_month,
    program_public_list,
)

EVENTS_PER_PAGE = 20
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
_SLUG = re.compile(r"[a-z0-9-]{1,40}")
ICS_TYPE = "text/calendar; charset=utf-8"


def _list_query_is_ours(request) -> bool:
    """True for the query strings the filter form and the pagination links make, with
    values we know; anything else is answered freshly and never stored."""
    params = request.GET
    if not set(params) <= set(FILTER_NAMES):
        return False
    if any(len(params.getlist(name)) != 1 for name in params):
        return False
    values = {name: params[name] for name in params if params[name] != ""}
    if "page" in values and not _PAGE_NUMBER.fullmatch(values["page"]):
        return False
    if "month" in values and parse_month(values["month"]) is None:
        return False
    program = values.get("program")
    if program is not None and not (
        _SLUG.fullmatch(program) and Program.objects.filter(slug=program, is_active=True).exists()
    ):
        return False
    filters = event_filters_from_query(params, program_slugs=[program] if program else [])
    return not filters.ignored


@require_safe
@public_cache(when=_list_query_is_ours)
def event_list(request):
    """Upcoming (or past) events, filtered by program, business, month, venue, online and
    open registration; 20 a page."""
    programs = list(program_public_list())
    filters = event_filters_from_query(request.GET, program_slugs=[p.slug for p in programs])
    paginator = Paginator(event_public_list(filters=filters), EVENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    for name in filters.ignored:
        query.pop(name, None)
    program = next((p for p in programs if p.slug == filters.program), None)
    context = {
        "page": page,
        "now": timezone.now(),
        "filters": filters,
        "programs": programs,
        "program": program,
        "program_description": program.description_in(get_language()) if program else "",
        "businesses": Business.choices,
        "business_label": Business(filters.business).label if filters.business else "",
        "venues": Venue.choices,
        "query": query.urlencode(),
    }
    return render(request, "events/event_list.html", context)


def _calendar_query_is_ours(request) -> bool:
    params = request.GET
    return not params or (
        set(params) == {"month"}
        and len(params.getlist("month")) == 1
        and parse_month(params["month"]) is not None
    )


@require_safe
@public_cache(when=_calendar_query_is_ours)
def event_calendar(request):
    """A month of events (?month=2026-12; this month without one, or with a bad one)."""
    today = timezone.localdate()
    month = parse_month(request.GET.get("month")) or today.replace(day=1)
    previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "month": month,
        "weeks": event_calendar_month(month=month, today=today),
        "previous_month": previous_month if previous_month.year >= 2000 else None,
        "next_month": next_month if next_month.year <= 2099 else None,
        "month_was_ignored": "month" in request.GET and parse_month(request.GET["month"]) is None,
    }
    return render(request, "events/event_calendar.html", context)


@require_safe
@public_cache(when=without_query)
def event_detail(request, pk: int):
    """One event; a draft only as a preview for staff who may view events."""
    event_page = event_get_for_user(user=request.user, pk=pk)
    event = event_page.event
    now = timezone.now()
    context = {
        "event": event,
        "is_preview": event_page.is_preview,
        "sessions": list(event.sessions.all()),
        "speakers": list(event.speakers.all()),
        "capacity": capacity_state(event),
        "registration_is_open": event.registration_is_open(now),
        "is_past": event.ends_at < now,
        "now": now,
        "description": event.summary or event.description[:160],
    }
    response = render(request, "events/event_detail.html", context)
    if event_page.is_preview:
        # Unpublished text: kept out of every shared cache and of search engines.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@public_cache(when=without_query)
def event_ics_view(request, pk: int):
    event_page = event_get_for_user(user=request.user, pk=pk)
    response = _ics_response(event_ics(event_page.event), f"event-{pk}.ics")
    if event_page.is_preview:
        add_never_cache_headers(response)
    return response


@require_safe
@public_cache(when=without_query)
def feed_ics(request):
    """Every published event from half a year back on: a calendar to subscribe to."""
    return _ics_response(calendar_ics(events_for_feed()), "events.ics")


@require_safe
@public_cache(when=without_query)
def program_feed_ics(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    return _ics_response(
        calendar_ics(events_for_feed(program=program), name=program.name),
        f"events-{program.slug}.ics",
    )

"""iCalendar files: one event (a VEVENT per session) and feeds of many events.

UIDs are stable (the event's and session's ids at the site's host), so a calendar that
subscribes to a feed updates an event in place when it changes. Times are Asia/Tokyo with
the VTIMEZONE included. The online meeting link is never written here: these files are
public; registrants get the link in their own mail and page.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from .models import Event, Venue

TOKYO = ZoneInfo("Asia/Tokyo")
PRODID = "-//Yokohama Citizen Collaboration Promotion Center//events//JA"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("events:detail", args=[event.pk])


def event_location(event: Event) -> str:
    """Where it takes place, in words: the room (with the address when elsewhere)."""
    if event.venue == Venue.OTHER:
        return event.venue_address or str(Venue.OTHER.label)
    label = str(Venue(event.venue).label)
    if event.venue == Venue.ONLINE:
        return label
    return f"{label}, {settings.CENTER_NAME}"


def _vevents(event: Event) -> list[icalendar.Event]:
    sessions = list(event.sessions.all())
    occurrences = [
        (f"event-{event.pk}-session-{s.pk}@{_host()}", s.starts_at, s.ends_at, s.title)
        for s in sessions
    ] or [(f"event-{event.pk}@{_host()}", event.starts_at, event.ends_at, "")]
    description = "\n\n".join(part for part in (event.summary, event.description) if part)
    url = event_url(event)
    vevents = []
    for number, (uid, starts_at, ends_at, title) in enumerate(occurrences, start=1):
        vevent = icalendar.Event()
        vevent.add("uid", uid)
        vevent.add("dtstamp", timezone.now())
        vevent.add("last-modified", event.updated_at)
        summary = event.title
        if len(occurrences) > 1:
            summary = f"{event.title} ({number}/{len(occurrences)}{': ' + title if title else ''})"
        vevent.add("summary", summary)
        vevent.add("dtstart", starts_at.astimezone(TOKYO))
        vevent.add("dtend", ends_at.astimezone(TOKYO))
        vevent.add("location", event_location(event))
        vevent.add("url", url)
        vevent.add("description", f"{description}\n\n{url}".strip())
        vevent.add("categories", [event.program.name])
        if event.status == Event.Status.CANCELLED:
            vevent.add("status", "CANCELLED")
        else:
            vevent.add("status", "CONFIRMED")
        vevents.append(vevent)
    return vevents


def _calendar(events: Iterable[Event], name: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    # Titles and places in Japanese: the events are held in Japanese, whoever asks.
    with translation.override(settings.LANGUAGE_CODE):
        for event in events:
            for vevent in _vevents(event):
                cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


def event_ics(event: Event) -> bytes:
    """One event: a VEVENT per session (a course's three dates are three entries)."""
    return _calendar([event], event.title)


def calendar_ics(events: Iterable[Event], name: str | None = None) -> bytes:
    """A feed of many events (prefetch their sessions and programs)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _calendar(events, name or str(settings.CENTER_NAME))

"""iCalendar files: one event (a VEVENT per session), the feed of all events and per
program. Each is parsed back with the icalendar library; UIDs are stable, times are
Asia/Tokyo, the place and the page are there, the online link never is."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings

from center.core.cache import public_cache_clear
from events.ics import calendar_ics, event_ics
from events.models import Event, Venue
from events.services_events import event_cancel
from tests.events.test_public_pages import make_event

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture(autouse=True)
def _empty_page_cache():
    public_cache_clear()
    yield
    public_cache_clear()


def vevents(body: bytes) -> list:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_a_course_has_one_vevent_per_session_with_tokyo_times():
    event = make_event("市民活動基礎セミナー", program="basics", sessions=3, venue=Venue.SPACE_A)
    entries = vevents(event_ics(event))
    assert len(entries) == 3
    sessions = list(event.sessions.all())
    for entry, session in zip(entries, sessions, strict=True):
        start = entry.decoded("dtstart")
        assert start == session.starts_at
        assert start.utcoffset() == datetime.timedelta(hours=9)
        assert str(start.tzinfo) == "Asia/Tokyo"
        assert entry.decoded("dtend") == session.ends_at
        assert entry.get("dtstamp") is not None
        assert str(entry["url"]) == f"{settings.SITE_URL}/events/{event.pk}/"
        assert "市民活動基礎セミナー" in str(entry["summary"])
    assert "(1/3: 第1回)" in str(entries[0]["summary"])


def test_the_calendar_carries_the_tokyo_timezone():
    event = make_event()
    calendar = icalendar.Calendar.from_ical(event_ics(event))
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert str(calendar["version"]) == "2.0"
    assert calendar.get("prodid")


def test_uids_are_stable_and_unique():
    event = make_event(sessions=2)
    first = [str(entry["uid"]) for entry in vevents(event_ics(event))]
    again = [str(entry["uid"]) for entry in vevents(event_ics(event))]
    assert first == again
    assert len(set(first)) == 2
    assert all(uid.startswith(f"event-{event.pk}-session-") for uid in first)


def test_location_is_the_room_or_the_address_and_never_the_online_link():
    room = make_event("ラボ", venue=Venue.LAB)
    elsewhere = make_event("市役所", venue=Venue.OTHER, venue_address="横浜市中区本町6-50-10")
    online = make_event("オンライン", venue=Venue.ONLINE, online_url="https://meet.example.jp/zz")
    assert "協働ラボ" in str(vevents(event_ics(room))[0]["location"])
    assert str(vevents(event_ics(elsewhere))[0]["location"]) == "横浜市中区本町6-50-10"
    body = event_ics(online)
    assert b"meet.example.jp" not in body
    assert str(vevents(body)[0]["location"])


def test_a_cancelled_event_is_marked_cancelled():
    event = make_event()
    event_cancel(event=event)
    event.refresh_from_db()
    assert str(vevents(event_ics(event))[0]["status"]) == "CANCELLED"


def test_the_feed_has_every_published_event_and_no_draft(client):
    first = make_event("一つ目", sessions=2)
    second = make_event("二つ目", program="mizube-salon")
    make_event("下書き", status=Event.Status.DRAFT)
    response = client.get("/events/feed.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    uids = {str(entry["uid"]) for entry in vevents(response.content)}
    assert len(uids) == 3
    assert {uid.split("-")[1] for uid in uids} == {str(first.pk), str(second.pk)}


def test_the_program_feed_has_only_that_program(client):
    make_event("入門", program="npo-intro")
    salon = make_event("サロン", program="mizube-salon")
    response = client.get("/events/programs/mizube-salon/feed.ics")
    entries = vevents(response.content)
    assert [str(entry["uid"]).split("-")[1] for entry in entries] == [str(salon.pk)]
    assert client.get("/events/programs/no-such-program/feed.ics").status_code == 404


def test_the_per_event_file_is_served_and_parses(client):
    event = make_event(sessions=3)
    response = client.get(f"/en/events/{event.pk}/event.ics")
    assert response.status_code == 200
    assert len(vevents(response.content)) == 3


def test_calendar_ics_of_no_events_is_still_a_valid_calendar():
    assert vevents(calendar_ics([])) == []

"""Public event pages: the list and its filters (bad values ignored, never a 500), the month
calendar, one event (sessions, speakers, seats, registration button, report, the staff
preview of a draft), the page cache, the sitemap and the event services behind them."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from center.core.cache import public_cache_clear
from events.models import Event, EventSession, Program, Registration, Speaker, Venue
from events.services_events import event_cancel, event_publish, event_save
from tests.conftest import LAYOUT_QUERIES

pytestmark = pytest.mark.django_db

LIST_URL = "/events/"
_numbers = itertools.count()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    public_cache_clear()
    yield
    public_cache_clear()


def at(days: float, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def make_event(
    title: str = "NPO入門セミナー",
    *,
    program: str = "npo-intro",
    days: float = 10,
    sessions: int = 1,
    status: str = Event.Status.PUBLISHED,
    **fields,
) -> Event:
    """A published event `days` from today with `sessions` weekly sessions of two hours,
    saved through the service (so its dates follow the sessions)."""
    event = Event(
        program=Program.objects.get(slug=program),
        title=title,
        description=fields.pop("description", "入門講座です。"),
        status=status,
        starts_at=at(days),
        ends_at=at(days, 16),
        **fields,
    )
    event_save(event=event)
    for number in range(sessions):
        EventSession.objects.create(
            event=event,
            title=f"第{number + 1}回" if sessions > 1 else "",
            starts_at=at(days + 7 * number),
            ends_at=at(days + 7 * number, 16),
        )
    return event_save(event=event)


def add_registrations(event: Event, count: int, *, party_size: int = 1, status=None):
    return [
        Registration.objects.create(
            event=event,
            status=status or Registration.Status.CONFIRMED,
            family_name="山田",
            given_name=f"花子{n}",
            email=f"person{next(_numbers)}@example.com",
            party_size=party_size,
            privacy_notice_version="test",
        )
        for n in range(count)
    ]


def html(response) -> str:
    return response.content.decode()


def grant(user, *codenames: str):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_upcoming_published_events_soonest_first(client):
    later = make_event("後の講座", days=20)
    sooner = make_event("先の講座", days=5)
    make_event("下書きの講座", status=Event.Status.DRAFT)
    make_event("終わった講座", days=-5)
    page = html(client.get(LIST_URL))
    assert page.index(sooner.title) < page.index(later.title)
    assert "下書きの講座" not in page
    assert "終わった講座" not in page


def test_past_events_are_listed_latest_first(client):
    make_event("一年前", days=-365)
    make_event("先週", days=-7, report="20名が参加しました。")
    page = html(client.get(LIST_URL + "?period=past"))
    assert page.index("先週") < page.index("一年前")


def test_the_business_links_of_the_site_navigation_filter_the_list(client):
    make_event("起業講座アルファ", program="startup")
    make_event("水辺の集いベータ", program="mizube-salon")
    training = html(client.get(LIST_URL + "?business=training"))
    assert "起業講座アルファ" in training and "水辺の集いベータ" not in training
    exchange = html(client.get(LIST_URL + "?business=exchange"))
    assert "水辺の集いベータ" in exchange and "起業講座アルファ" not in exchange


def test_the_list_filters_by_program_venue_and_online(client):
    make_event("ラボの講座", program="basics", venue=Venue.LAB)
    make_event("オンライン講座", venue=Venue.ONLINE, online_url="https://meet.example.jp/x")
    by_program = html(client.get(LIST_URL + "?program=basics"))
    assert "ラボの講座" in by_program and "オンライン講座" not in by_program
    by_venue = html(client.get(LIST_URL + "?venue=lab"))
    assert "ラボの講座" in by_venue and "オンライン講座" not in by_venue
    online = html(client.get(LIST_URL + "?online=1"))
    assert "オンライン講座" in online and "ラボの講座" not in online
    assert "meet.example.jp" not in online


def test_the_month_filter_shows_every_event_of_that_month_past_or_not(client):
    event = make_event("十二月の講座", days=10)
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    assert "十二月の講座" in html(client.get(f"{LIST_URL}?month={month}"))
    assert "十二月の講座" not in html(client.get(f"{LIST_URL}?month=2001-01"))


def test_open_for_registration_leaves_out_closed_and_walk_in_events(client):
    make_event("受付中")
    make_event("締切済み", registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    make_event("まだ受付前", registration_opens_at=timezone.now() + datetime.timedelta(days=2))
    make_event("申込不要", registration_required=False)
    no_waitlist = make_event("満席で締切", capacity=1, waitlist_enabled=False)
    add_registrations(no_waitlist, 1)
    waitlist = make_event("満席で待ちあり", capacity=1)
    add_registrations(waitlist, 1)
    page = html(client.get(LIST_URL + "?open=1"))
    assert "受付中" in page and "満席で待ちあり" in page
    for title in ("締切済み", "まだ受付前", "申込不要", "満席で締切"):
        assert title not in page


@pytest.mark.parametrize(
    "query",
    [
        "month=2026-13",
        "month=garbage",
        "month=99999-01",
        "program=nope",
        "business=%00",
        "venue=moon",
        "online=maybe",
        "open=%E2%9C%93",
        "page=-1",
        "page=99999999999999999999",
        "month=2026-12&month=2027-01",
        "period=future",
        "x=" + "a" * 5000,
    ],
)
def test_junk_filters_are_ignored_never_a_500(client, query):
    make_event("いつもの講座")
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert "いつもの講座" in html(response) or "page=" in query


def test_ignored_filters_are_named_on_the_page(client):
    make_event("いつもの講座")
    with translation.override("en"):
        page = html(client.get("/en/events/?month=2026-13"))
    assert "not understood" in page
    assert "いつもの講座" in page


def test_the_list_costs_the_same_queries_with_3_and_30_events(client, django_assert_num_queries):
    def grow(total):
        for number in range(Event.objects.count(), total):
            event = make_event(f"講座{number}", days=1 + number, sessions=1 + number % 3)
            add_registrations(event, 2)

    grow(3)
    public_cache_clear()
    with django_assert_num_queries(3 + LAYOUT_QUERIES) as few:
        client.get(LIST_URL + "?business=activity_support")
    grow(30)
    public_cache_clear()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST_URL + "?business=activity_support")
    assert "講座29" not in html(response)  # page 2
    assert "講座19" in html(response)


def test_the_list_is_in_english_at_en(client):
    make_event("英語ページの講座")
    page = html(client.get("/en/events/"))
    assert '<html lang="en">' in page
    assert "Events and seminars" in page


# The calendar ----------------------------------------------------------------------------


def test_a_course_appears_on_each_session_day_of_the_calendar(client):
    event = make_event("連続講座", days=40, sessions=3)
    days = [timezone.localtime(s.starts_at).date() for s in event.sessions.all()]
    pages = "".join(
        html(client.get(f"/events/calendar/?month={month}"))
        for month in sorted({f"{day:%Y-%m}" for day in days})
    )
    assert pages.count("連続講座") == 3
    for day in days:
        assert f'datetime="{day:%Y-%m-%d}T14:00:00+09:00"' in pages


@pytest.mark.parametrize("month", ["2026-13", "junk", "1999-12", "%00", "2026-1"])
def test_a_bad_calendar_month_shows_this_month(client, month):
    response = client.get(f"/events/calendar/?month={month}")
    assert response.status_code == 200
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月" in html(response)


# One event -------------------------------------------------------------------------------


def test_the_page_shows_sessions_speakers_venue_fee_audience_and_accommodation(client):
    event = make_event(
        "市民活動基礎セミナー",
        program="basics",
        sessions=3,
        fee_note="無料",
        audience="NPOの運営者",
        accessibility_info="手話通訳があります。",
        venue=Venue.OTHER,
        venue_address="横浜市中区本町6-50-10",
        capacity=30,
    )
    Speaker.objects.create(event=event, name="森田 浩", affiliation="税理士", profile="NPO会計")
    with translation.override("en"):
        page = html(client.get(f"/en/events/{event.pk}/"))
    assert page.count("<time") >= 6  # three sessions, start and end
    for text in ("第1回", "第3回", "森田 浩", "税理士", "無料", "NPOの運営者", "手話通訳"):
        assert text in page
    assert "横浜市中区本町6-50-10" in page and "openstreetmap.org/search" in page
    assert "合理的配慮" in page
    assert "30 seats left (of 30)" in page
    assert f'href="/en/events/{event.pk}/register/"' in page


def test_a_full_event_offers_the_waiting_list_or_says_it_is_full(client):
    waitlist = make_event("キャンセル待ち可", capacity=4)
    add_registrations(waitlist, 2, party_size=2)
    closed = make_event("満席", capacity=2, waitlist_enabled=False)
    add_registrations(closed, 2)
    with translation.override("en"):
        waitlist_page = html(client.get(f"/en/events/{waitlist.pk}/"))
        closed_page = html(client.get(f"/en/events/{closed.pk}/"))
    assert "Join the waiting list" in waitlist_page
    assert "Registration is full." in closed_page
    assert "/register/" not in closed_page


def test_the_online_link_is_never_on_the_public_page(client):
    event = make_event(
        "オンライン", venue=Venue.ONLINE, online_url="https://meet.example.jp/secret"
    )
    assert "meet.example.jp" not in html(client.get(f"/events/{event.pk}/"))
    assert b"meet.example.jp" not in client.get(f"/events/{event.pk}/event.ics").content


def test_a_past_event_shows_its_report_and_no_registration(client):
    event = make_event("先月の講座", days=-30, report="22名が参加しました。")
    page = html(client.get(f"/events/{event.pk}/"))
    assert "22名が参加しました。" in page
    assert "/register/" not in page


def test_an_upcoming_event_does_not_show_its_report_yet(client):
    event = make_event("来月の講座", report="まだ書きかけの報告")
    assert "まだ書きかけの報告" not in html(client.get(f"/events/{event.pk}/"))


def test_a_cancelled_event_stays_on_the_site_marked(client):
    event = make_event("中止の講座")
    event_cancel(event=event)
    with translation.override("en"):
        page = html(client.get(f"/en/events/{event.pk}/"))
    assert "This event has been cancelled." in page
    assert "/register/" not in page


def test_a_draft_is_a_404_for_visitors_and_outsiders(client, outsider):
    draft = make_event("下書き", status=Event.Status.DRAFT)
    assert client.get(f"/events/{draft.pk}/").status_code == 404
    assert client.get(f"/events/{draft.pk}/event.ics").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/events/{draft.pk}/").status_code == 404


def test_staff_who_may_view_events_preview_a_draft(client, outsider):
    draft = make_event("下書き", status=Event.Status.DRAFT)
    client.force_login(grant(outsider, "view_event"))
    response = client.get(f"/en/events/{draft.pk}/")
    assert response.status_code == 200
    assert "Preview — not published." in html(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_center_staff_preview_drafts(client, center_staff):
    draft = make_event("下書き", status=Event.Status.DRAFT)
    client.force_login(center_staff)
    assert client.get(f"/events/{draft.pk}/").status_code == 200


def test_the_detail_page_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    event = make_event("講座", sessions=3, capacity=30)
    add_registrations(event, 5)
    for n in range(4):
        Speaker.objects.create(event=event, name=f"講師{n}")
    # The event with seats taken, its sessions, speakers and photos.
    with django_assert_max_num_queries(4 + LAYOUT_QUERIES):
        assert client.get(f"/events/{event.pk}/").status_code == 200


# Cache, services, sitemap ----------------------------------------------------------------


def test_saving_an_event_refreshes_the_cached_pages(client, django_capture_on_commit_callbacks):
    event = make_event("最初の題名")
    assert "最初の題名" in html(client.get(LIST_URL))
    assert "最初の題名" in html(client.get(f"/events/{event.pk}/"))
    event.title = "新しい題名"
    with django_capture_on_commit_callbacks(execute=True):
        event_save(event=event)
    assert "新しい題名" in html(client.get(LIST_URL))
    assert "新しい題名" in html(client.get(f"/events/{event.pk}/"))


def test_anonymous_visitors_get_the_cached_list(client, django_assert_num_queries):
    make_event("キャッシュ")
    client.get(LIST_URL + "?business=training")
    with django_assert_num_queries(0):
        client.get(LIST_URL + "?business=training")


def test_junk_query_strings_are_never_cached(client):
    response = client.get(LIST_URL + "?utm_source=" + "x" * 30)
    assert "public" not in response.get("Cache-Control", "")
    assert "public" in client.get(LIST_URL + "?program=basics").get("Cache-Control", "")


def test_the_event_dates_follow_the_first_and_last_session():
    event = make_event("連続講座", days=3, sessions=3)
    event.refresh_from_db()
    sessions = list(event.sessions.order_by("starts_at"))
    assert event.starts_at == sessions[0].starts_at
    assert event.ends_at == sessions[-1].ends_at
    sessions[-1].delete()
    event_save(event=event)
    event.refresh_from_db()
    assert event.ends_at == sessions[1].ends_at


def test_publish_and_cancel(django_capture_on_commit_callbacks):
    draft = make_event("下書き", status=Event.Status.DRAFT)
    with pytest.raises(ValidationError):
        event_cancel(event=draft)
    with django_capture_on_commit_callbacks() as callbacks:
        event_publish(event=draft)
    assert callbacks, "publishing drops the cached pages"
    assert Event.objects.get(pk=draft.pk).status == Event.Status.PUBLISHED
    event_cancel(event=draft)
    assert Event.objects.get(pk=draft.pk).status == Event.Status.CANCELLED


def test_an_event_cannot_end_before_it_starts():
    event = Event(
        program=Program.objects.first(),
        title="逆順",
        description="x",
        starts_at=at(3, 16),
        ends_at=at(3, 14),
    )
    with pytest.raises(ValidationError):
        event_save(event=event)


def test_published_events_are_in_the_sitemap_and_drafts_are_not(client):
    published = make_event("公開")
    draft = make_event("下書き", status=Event.Status.DRAFT)
    sitemap = html(client.get("/sitemap.xml"))
    assert f"/events/{published.pk}/" in sitemap
    assert f"/en/events/{published.pk}/" in sitemap
    assert f"/events/{draft.pk}/" not in sitemap
    assert "/events/calendar/" in sitemap


@pytest.mark.parametrize(
    "query",
    ["program=nope", "month=2026-13", "venue=moon", "page=0", "online=2", "program=basics&x=1"],
)
def test_filter_addresses_with_unknown_values_are_not_cached(client, query):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")


def test_the_demo_loads_once_and_every_page_renders(client):
    from events import demo

    demo.load()
    demo.load()  # idempotent: nothing added twice
    assert (
        Event.objects.filter(title__startswith="市民活動基礎セミナー").get().sessions.count() == 3
    )
    assert Event.objects.filter(venue=Venue.ONLINE).exists()
    full = Event.objects.get(title__startswith="対話&創造ラボ 第4回")
    seats = sum(
        r.party_size for r in full.registrations.filter(status=Registration.Status.CONFIRMED)
    )
    assert seats == full.capacity
    assert full.registrations.filter(status=Registration.Status.WAITLISTED).count() == 3
    assert Event.objects.past().exclude(report="").exists()
    for event in Event.objects.published():
        assert client.get(f"/events/{event.pk}/").status_code == 200
    for url in (LIST_URL, LIST_URL + "?period=past", "/events/calendar/", "/events/feed.ics"):
        assert client.get(url).status_code == 200

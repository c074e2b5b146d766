"""Check-in on the day: staff search, tick and untick, add a walk-in on a phone; the QR code
in the confirmation mail opens the person's check-in for staff and nothing for anyone else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events import checkin, services
from events.models import Attendance, EventSession, Registration
from tests.events.registration_helpers import make_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = make_event(capacity=10, starts_in=datetime.timedelta(hours=1))
    register(event, 1, family_name="山田", family_name_kana="ヤマダ", given_name_kana="ハナコ")
    register(event, 2, family_name="佐藤", family_name_kana="サトウ", given_name_kana="ジロウ")
    return event


def session_of(event) -> EventSession:
    return event.sessions.get()


# Services ---------------------------------------------------------------------------------


def test_staff_tick_once_and_untick(event, center_staff):
    session = session_of(event)
    person = event.registrations.get(family_name="山田")
    _attendance, created = checkin.attendance_record(
        registration=person, session=session, actor=center_staff
    )
    again, created_again = checkin.attendance_record(
        registration=person, session=session, actor=center_staff
    )
    assert created and not created_again
    assert again.checked_in_by == center_staff
    assert Attendance.objects.count() == 1
    assert checkin.attendance_remove(registration=person, session=session, actor=center_staff)
    assert not Attendance.objects.exists()


def test_only_confirmed_registrations_of_the_event_are_checked_in(event, center_staff):
    session = session_of(event)
    cancelled = event.registrations.get(family_name="佐藤")
    services.registration_cancel(registration=cancelled)
    with pytest.raises(ValidationError, match="参加が確定"):  # "confirmed"
        checkin.attendance_record(registration=cancelled, session=session, actor=center_staff)
    other = register(make_event(), 3)
    with pytest.raises(ValidationError, match="別のイベント"):  # "another event"
        checkin.attendance_record(registration=other, session=session, actor=center_staff)


def test_check_in_services_refuse_non_staff(event, outsider, coordinator):
    session = session_of(event)
    person = event.registrations.first()
    for user in (outsider, coordinator, None):
        with pytest.raises(PermissionDenied):
            checkin.attendance_record(registration=person, session=session, actor=user)


def test_a_walk_in_is_registered_and_checked_in_even_when_full(center_staff):
    event = make_event(capacity=1, waitlist=False, starts_in=datetime.timedelta(hours=-1), hours=3)
    services.registration_create(event=event, family_name="佐藤", channel="phone")
    walk_in = checkin.walk_in_register(
        session=session_of(event), actor=center_staff, family_name="高橋", party_size=2
    )
    assert walk_in.channel == Registration.Channel.WALK_IN
    assert walk_in.status == Registration.Status.CONFIRMED
    assert walk_in.created_by == center_staff
    assert walk_in.attendances.count() == 1


def test_search_by_name_or_furigana(event):
    session = session_of(event)

    def names(query: str) -> list[str]:
        return [r.family_name for r in checkin.checkin_list(session=session, query=query)]

    assert names("") == ["佐藤", "山田"]  # in furigana order
    assert names("ヤマダ") == ["山田"]
    assert names("ヤマダ ハナコ") == ["山田"]
    assert names("佐藤") == ["佐藤"]
    assert names("鈴木") == []


def test_the_session_of_the_day_is_chosen_for_a_scan():
    event = make_event(starts_in=datetime.timedelta(days=-7), hours=2)
    first = session_of(event)
    second = EventSession.objects.create(
        event=event,
        starts_at=first.starts_at + datetime.timedelta(days=14),
        ends_at=first.ends_at + datetime.timedelta(days=14),
    )
    assert (
        checkin.session_for_today(event, now=second.starts_at - datetime.timedelta(hours=2))
        == second
    )


# Pages ------------------------------------------------------------------------------------


def test_the_check_in_page_works_for_staff(client, event, center_staff):
    client.force_login(center_staff)
    session = session_of(event)
    url = f"/en/events/staff/{session.pk}/checkin/"
    page = client.get(url).content.decode()
    assert "0 of 2 people checked in" in page
    assert "山田" in page and "佐藤" in page

    person = event.registrations.get(family_name="山田")
    response = client.post(
        f"/en/events/staff/{session.pk}/checkin/{person.pk}/", {"attended": "1", "q": "ヤマダ"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#r{person.pk}")
    assert "q=" in response.url
    assert Attendance.objects.filter(registration=person, session=session).exists()
    assert "1 of 2 people checked in" in client.get(url).content.decode()

    searched = client.get(url, {"q": "サトウ"}).content.decode()
    assert "佐藤" in searched and "山田" not in searched

    client.post(f"/en/events/staff/{session.pk}/checkin/{person.pk}/", {"attended": "0"})
    assert not Attendance.objects.exists()


def test_staff_add_a_walk_in_from_the_page(client, event, center_staff):
    client.force_login(center_staff)
    session = session_of(event)
    response = client.post(
        f"/events/staff/{session.pk}/checkin/walk-in/",
        {"family_name": "高橋", "family_name_kana": "タカハシ", "party_size": "1"},
    )
    assert response.status_code == 302
    walk_in = event.registrations.get(family_name="高橋")
    assert walk_in.channel == Registration.Channel.WALK_IN
    assert walk_in.attendances.filter(session=session).exists()


def test_check_in_pages_reject_everyone_but_staff(client, event, outsider, coordinator):
    session = session_of(event)
    person = event.registrations.first()
    urls = [
        "/events/staff/checkin/",
        f"/events/staff/{session.pk}/checkin/",
        f"/events/staff/checkin/scan/{checkin.checkin_code(person)}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url  # signed out
    response = client.post(f"/events/staff/{session.pk}/checkin/{person.pk}/", {"attended": "1"})
    assert response.status_code == 302 and "login" in response.url
    for user in (outsider, coordinator):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
        client.post(
            f"/events/staff/checkin/scan/{checkin.checkin_code(person)}/", {"session": session.pk}
        )
        client.post(f"/events/staff/{session.pk}/checkin/{person.pk}/", {"attended": "1"})
    assert not Attendance.objects.exists()


def test_the_qr_code_checks_the_person_in_for_staff(client, event, center_staff):
    person = event.registrations.get(family_name="山田")
    url = checkin.checkin_url(person)
    assert checkin.checkin_code(person) in url
    assert person.token not in url  # the private link's token is never in the code
    path = url.removeprefix("http://127.0.0.1:8000")

    client.force_login(center_staff)
    page = client.get(path).content.decode()
    assert "山田" in page
    assert not Attendance.objects.exists()  # a GET only shows the button
    response = client.post(path, {"session": session_of(event).pk})
    assert response.status_code == 302
    assert Attendance.objects.filter(registration=person).exists()


def test_a_forged_qr_code_is_a_404(client, event, center_staff):
    client.force_login(center_staff)
    person = event.registrations.first()
    forged = f"{person.pk + 1}:{checkin.checkin_code(person).split(':', 1)[1]}"
    assert client.get(f"/events/staff/checkin/scan/{forged}/").status_code == 404
    assert client.get("/events/staff/checkin/scan/garbage/").status_code == 404


def test_the_qr_png_is_a_png():
    assert checkin.qr_png("https://example.com/x").startswith(b"\x89PNG")


def test_the_check_in_page_makes_the_same_queries_for_5_or_40_people(
    client, center_staff, django_assert_max_num_queries
):
    event = make_event(capacity=None, starts_in=datetime.timedelta(hours=1))
    for index in range(40):
        register(event, index, accessibility_needs="車いす" if index % 3 == 0 else "")
    client.force_login(center_staff)
    with django_assert_max_num_queries(12):
        response = client.get(f"/events/staff/{session_of(event).pk}/checkin/")
    assert response.status_code == 200
    assert response.content.decode().count('name="attended" value="1"') == 40


def test_staff_without_two_factor_set_up_are_sent_to_set_it_up(client, event, staff_without_mfa):
    client.force_login(staff_without_mfa)
    response = client.get(f"/events/staff/{session_of(event).pk}/checkin/")
    assert response.status_code == 302
    assert "totp" in response.url or "mfa" in response.url

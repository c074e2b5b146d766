"""Registration pages through the client: the form keeps what was typed when it fails, works
in English at /en/, the private page cancels only on POST, and a wrong token is a 404."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from events.models import Answer, Event, Question, Registration
from tests.events.registration_helpers import add_question, make_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides) -> dict:
    data = {
        "family_name": "山田",
        "given_name": "花子",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ",
        "email": "hanako@example.com",
        "phone": "045-000-0000",
        "organization": "",
        "ward": "",
        "heard_from": "website",
        "party_size": "1",
        "accessibility_needs": "車いすで参加します。",
        "privacy_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def register_url(event: Event, language: str = "ja") -> str:
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/events/{event.pk}/register/"


def test_the_form_shows_the_events_questions_in_japanese_and_english(client):
    event = make_event()
    add_question(event, "ご質問はありますか", required=True)
    add_question(event, "参加形態", Question.Kind.CHOICE, "会場\nオンライン")

    page = client.get(register_url(event)).content.decode()
    assert "ご質問はありますか" in page and "オンライン" in page
    assert 'name="family_name_kana"' in page
    assert 'name="website"' in page  # the honeypot

    english = client.get(register_url(event, "en"))
    assert english.status_code == 200
    text = english.content.decode()
    assert "Register for this event" in text
    assert "Family name (furigana)" in text


def test_a_draft_event_has_no_registration_page(client):
    event = make_event(status=Event.Status.DRAFT)
    assert client.get(register_url(event)).status_code == 404
    assert client.get("/events/999999/register/").status_code == 404


def test_registering_redirects_to_the_done_page(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event()
    question = add_question(event, "参加形態", Question.Kind.CHOICE, "会場\nオンライン")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            register_url(event, "en"),
            form_data(**{f"q_{question.pk}": "会場", "q_999999": "x"}),
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.language == "en"
    assert registration.accessibility_needs == "車いすで参加します。"
    # The forged field is not a question of the form: only the real answer is stored.
    assert list(Answer.objects.values_list("value", flat=True)) == ["会場"]

    done = client.get(response.url)
    assert "Your registration is confirmed" in done.content.decode()
    assert len(mailoutbox) == 1


def test_form_errors_keep_what_was_typed(client):
    event = make_event(max_party_size=4)
    response = client.post(
        register_url(event, "en"),
        form_data(family_name_kana="yamada", party_size="10000", privacy_consent=""),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the following" in page
    assert "Please write the furigana in kana." in page
    assert "1 to 4 people" in page
    assert "Please agree to the handling of your personal information." in page
    assert 'value="yamada"' in page
    assert 'value="hanako@example.com"' in page
    assert not Registration.objects.exists()


def test_party_size_zero_is_refused_by_the_form(client):
    event = make_event()
    response = client.post(register_url(event, "en"), form_data(party_size="0"))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_duplicate_email_is_shown_next_to_the_email_field(client):
    event = make_event()
    register(event, email="hanako@example.com")
    response = client.post(register_url(event, "en"), form_data())
    assert response.status_code == 400
    page = response.content.decode()
    assert "already registered for this event" in page
    assert 'value="山田"' in page
    assert event.registrations.count() == 1


def test_a_full_event_without_waitlist_says_so(client):
    event = make_event(capacity=1, waitlist=False)
    register(event, 1)
    assert "takes no more registrations" in client.get(register_url(event, "en")).content.decode()
    response = client.post(register_url(event, "en"), form_data())
    assert response.status_code == 400
    assert "this event is full" in response.content.decode()
    assert event.registrations.count() == 1


def test_a_full_event_with_a_waitlist_offers_the_waiting_list(client):
    event = make_event(capacity=1)
    register(event, 1)
    page = client.get(register_url(event, "en")).content.decode()
    assert "Join the waiting list" in page
    response = client.post(register_url(event, "en"), form_data())
    done = client.get(response.url).content.decode()
    assert "You are on the waiting list" in done


def test_a_closed_registration_shows_the_reason_and_no_form(client):
    event = make_event(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    page = client.get(register_url(event, "en")).content.decode()
    assert "Registration for this event is closed." in page
    assert 'name="family_name"' not in page
    response = client.post(register_url(event, "en"), form_data())
    assert "Registration for this event is closed." in response.content.decode()
    assert not Registration.objects.exists()


def test_the_honeypot_stores_nothing(client, mailoutbox):
    event = make_event()
    response = client.post(register_url(event), form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert mailoutbox == []


def test_the_done_page_needs_a_valid_signature(client):
    assert client.get("/events/registration/done/forged/").status_code == 404


# The registrant's private page -------------------------------------------------------------


def test_the_private_page_shows_the_online_link_only_when_confirmed(client):
    event = make_event(capacity=1, online_url="https://meet.example.com/secret")
    confirmed = register(event, 1)
    waiting = register(event, 2)

    page = client.get(f"/en/events/registration/{confirmed.token}/").content.decode()
    assert "https://meet.example.com/secret" in page
    assert "Cancel my registration" in page

    page = client.get(f"/en/events/registration/{waiting.token}/").content.decode()
    assert "meet.example.com" not in page
    assert "Leave the waiting list" in page


def test_a_wrong_token_is_a_404(client):
    assert client.get("/events/registration/not-a-real-token/").status_code == 404
    assert client.get("/events/registration/not-a-real-token/cancel/").status_code == 404
    assert client.post("/events/registration/not-a-real-token/cancel/").status_code == 404
    assert client.get(f"/events/registration/{'x' * 65}/").status_code == 404


def test_cancelling_needs_a_post_and_promotes_the_next_person(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    confirmed = register(event, 1)
    waiting = register(event, 2)
    url = f"/en/events/registration/{confirmed.token}/cancel/"

    page = client.get(url).content.decode()
    assert "Cancel my registration" in page and "<form" in page
    confirmed.refresh_from_db()
    assert confirmed.status == Registration.Status.CONFIRMED  # a GET changes nothing

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert response.url == f"/en/events/registration/{confirmed.token}/"
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "hanako1@example.com",
        "hanako2@example.com",
    ]
    assert "Your registration is cancelled." in client.get(response.url).content.decode()


def test_leaving_the_waiting_list_needs_a_post(client):
    event = make_event(capacity=1)
    register(event, 1)
    waiting = register(event, 2)
    url = f"/en/events/registration/{waiting.token}/leave/"
    client.get(url)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITLISTED
    assert client.post(url).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.LEFT_WAITLIST


def test_cancelling_after_the_start_shows_why(client):
    event = make_event(starts_in=datetime.timedelta(hours=-1), hours=3)
    registration = register(event, 1, channel="phone")
    url = f"/en/events/registration/{registration.token}/cancel/"
    page = client.post(url).content.decode()
    assert "already started" in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_registrant_ics_is_for_live_registrations_only(client):
    event = make_event()
    registration = register(event)
    response = client.get(f"/events/registration/{registration.token}/event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert re.search(rb"BEGIN:VEVENT", response.content)
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)
    assert client.get(f"/events/registration/{registration.token}/event.ics").status_code == 404


def test_the_form_page_makes_a_constant_number_of_queries(client, django_assert_max_num_queries):
    event = make_event(capacity=50)
    for index in range(6):
        add_question(event, f"質問{index}", Question.Kind.CHOICE, "はい\nいいえ")
    for index in range(20):
        register(event, index)
    with django_assert_max_num_queries(8):
        assert client.get(register_url(event)).status_code == 200

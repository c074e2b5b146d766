"""The registrations admin: list, search and filters, a phone registration through the
service, cancellation that moves the waiting list up, and the CSV export for Excel."""

import csv
import io

import pytest

import events.admin_registrations  # noqa: F401  (registers the admin until admin.py imports it)
from events.models import Question, Registration
from tests.events.registration_helpers import add_question, make_event, register

pytestmark = pytest.mark.django_db
URL = "/admin/events/registration/"


def test_the_list_searches_names_and_furigana_and_filters(client, center_staff):
    event = make_event()
    register(event, 1, family_name="山田", family_name_kana="ヤマダ")
    register(event, 2, family_name="佐藤", family_name_kana="サトウ")
    client.force_login(center_staff)
    page = client.get(URL, {"q": "サトウ"}).content.decode()
    assert "佐藤" in page and "山田" not in page
    page = client.get(URL, {"status__exact": "confirmed", "event__id__exact": event.pk})
    assert page.status_code == 200


def test_staff_add_a_phone_registration_through_the_service(client, center_staff):
    event = make_event(capacity=1, waitlist=False)
    client.force_login(center_staff)
    data = {
        "event": event.pk,
        "channel": "phone",
        "family_name": "佐藤",
        "party_size": "1",
        "language": "ja",
    }
    response = client.post(URL + "add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get()
    assert registration.channel == "phone"
    assert registration.created_by == center_staff
    assert registration.status == "confirmed"

    # Full without a waiting list: the refusal shows on the form, nothing is stored.
    response = client.post(URL + "add/", {**data, "family_name": "鈴木"})
    assert response.status_code == 200
    assert Registration.objects.count() == 1


def test_cancelling_from_the_admin_moves_the_waiting_list_up(client, center_staff):
    event = make_event(capacity=1)
    first = register(event, 1)
    waiting = register(event, 2)
    client.force_login(center_staff)
    client.post(URL, {"action": "cancel_registrations", "_selected_action": [first.pk]})
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_the_csv_export_has_a_bom_answers_attendance_and_no_formulas(client, center_staff):
    event = make_event()
    question = add_question(event, "関心", Question.Kind.CHECKBOX, "子育て\n環境")
    registration = register(
        event,
        1,
        organization='=HYPERLINK("http://evil")',
        answers={question.pk: ["子育て", "環境"]},
    )
    client.force_login(center_staff)
    response = client.post(
        "/en" + URL, {"action": "export_csv", "_selected_action": [registration.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, row = rows
    assert "family name (furigana)" in header
    assert header[-1] == "関心"
    assert row[-1] == "子育て, 環境"
    assert row[header.index("organisation")].startswith("'=")
    assert "\r\n" in text


def test_registrations_cannot_be_deleted(client, center_staff):
    registration = register(make_event())
    client.force_login(center_staff)
    assert client.get(f"{URL}{registration.pk}/delete/").status_code == 403


def test_outsiders_do_not_reach_the_registrations(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 302  # to the admin login

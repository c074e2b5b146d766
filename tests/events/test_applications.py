"""Booth (exhibitor) and internship applications: the public forms (valid, bad input, the
honeypot, the wrong program), the receipt and the staff alert, staff decisions with their
mails, the internship review (matched needs a host project) and the CSV exports."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from center.core.models import AuditEvent
from events.models import (
    ApplicationStatus,
    Event,
    ExhibitorApplication,
    InternshipApplication,
    Program,
)
from events.services_applications import (
    exhibitor_application_create,
    exhibitor_application_decide,
    internship_application_create,
    internship_application_review,
)
from tests.events.registration_helpers import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    settings.STAFF_ALERT_EMAILS = ["desk@center.example.jp"]
    cache.clear()
    yield
    cache.clear()


def event_of(slug: str, **kwargs) -> Event:
    event = make_event(title=f"{slug} 2026", **kwargs)
    event.program = Program.objects.get(slug=slug)
    event.save()
    return event


def exhibit_data(**overrides) -> dict:
    data = {
        "group_name": "NPO法人みなとの森",
        "contact_name": "山田 花子",
        "email": "booth@example.com",
        "phone": "045-000-0000",
        "activity": '=HYPERLINK("http://evil") 森の再生活動をしています。',
        "booth_needs": "机2台、電源",
        "materials": "パネル展示",
        "privacy_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def internship_data(**overrides) -> dict:
    data = {
        "family_name": "学生",
        "given_name": "一郎",
        "family_name_kana": "ガクセイ",
        "given_name_kana": "イチロウ",
        "email": "student@example.ac.jp",
        "phone": "",
        "university": "横浜市立大学",
        "faculty": "国際教養学部",
        "year": "3",
        "interests": "まちづくり、子ども支援",
        "availability": "夏休み期間の平日",
        "privacy_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def internship_kwargs(**overrides) -> dict:
    data = internship_data(**overrides)
    for key in ("privacy_consent", "website"):
        data.pop(key)
    data["year"] = int(data["year"])
    return data


# Public forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["symposium", "festival"])
def test_a_group_applies_for_a_booth_and_gets_a_receipt(
    slug, client, mailoutbox, django_capture_on_commit_callbacks
):
    event = event_of(slug)
    assert client.get(f"/en/events/{event.pk}/exhibit/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/events/{event.pk}/exhibit/", exhibit_data())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/events/{event.pk}/exhibit/thanks/")
    assert client.get(response["Location"]).status_code == 200
    application = ExhibitorApplication.objects.get()
    assert application.event == event
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.language == "en"
    assert application.privacy_notice_version

    receipt, alert = sorted(mailoutbox, key=lambda m: m.to != ["booth@example.com"])
    assert receipt.to == ["booth@example.com"]
    assert event.title in receipt.subject
    # The receipt repeats nothing typed in the form.
    assert "みなとの森" not in receipt.body
    assert alert.to == ["desk@center.example.jp"]
    # No personal data in the staff alert: only the event and the admin link.
    for private in ("みなとの森", "山田", "booth@example.com", "045-000-0000"):
        assert private not in alert.body and private not in alert.subject
    assert f"/admin/events/exhibitorapplication/{application.pk}/change/" in alert.body


def test_a_student_applies_for_the_internship(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    event = event_of("internship")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.pk}/internship/", internship_data())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/events/{event.pk}/internship/thanks/")
    application = InternshipApplication.objects.get()
    assert (application.university, application.year) == ("横浜市立大学", 3)
    assert application.status == InternshipApplication.Status.SUBMITTED
    assert sorted(m.to[0] for m in mailoutbox) == [
        "desk@center.example.jp",
        "student@example.ac.jp",
    ]
    alert = next(m for m in mailoutbox if m.to == ["desk@center.example.jp"])
    assert "学生" not in alert.body and "student@example.ac.jp" not in alert.body


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"email": "not-an-address"}, "email"),
        ({"group_name": ""}, "group_name"),
        ({"activity": ""}, "activity"),
        ({"phone": "call me"}, "phone"),
        ({"privacy_consent": ""}, "privacy_consent"),
        ({"activity": "x" * 2001}, "activity"),
    ],
)
def test_bad_booth_input_shows_errors_and_stores_nothing(client, mailoutbox, overrides, field):
    event = event_of("symposium")
    response = client.post(f"/en/events/{event.pk}/exhibit/", exhibit_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "error-summary" in response.content.decode()
    assert not ExhibitorApplication.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"year": "7"}, "year"),
        ({"year": "abc"}, "year"),
        ({"family_name_kana": "gakusei"}, "family_name_kana"),
        ({"university": ""}, "university"),
        ({"interests": ""}, "interests"),
    ],
)
def test_bad_internship_input_shows_errors_and_stores_nothing(client, overrides, field):
    event = event_of("internship")
    response = client.post(f"/events/{event.pk}/internship/", internship_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not InternshipApplication.objects.exists()


def test_the_honeypot_stores_nothing_and_answers_as_usual(client, mailoutbox):
    event = event_of("festival")
    response = client.post(
        f"/events/{event.pk}/exhibit/", exhibit_data(website="http://spam.example")
    )
    assert response.status_code == 302
    assert not ExhibitorApplication.objects.exists()
    assert mailoutbox == []


def test_the_forms_are_404_for_other_programs_drafts_and_unknown_events(client):
    seminar = make_event()  # the first program: not a symposium, festival or internship
    assert client.get(f"/events/{seminar.pk}/exhibit/").status_code == 404
    assert client.get(f"/events/{seminar.pk}/internship/").status_code == 404
    assert client.post(f"/events/{seminar.pk}/exhibit/", exhibit_data()).status_code == 404
    symposium = event_of("symposium")
    assert client.get(f"/events/{symposium.pk}/internship/").status_code == 404
    draft = event_of("symposium", status=Event.Status.DRAFT)
    assert client.get(f"/events/{draft.pk}/exhibit/").status_code == 404
    assert client.get("/events/999999/exhibit/").status_code == 404
    assert not ExhibitorApplication.objects.exists()


def test_a_past_event_takes_no_application(client):
    import datetime

    event = event_of("internship", starts_in=datetime.timedelta(days=-3))
    page = client.get(f"/en/events/{event.pk}/internship/").content.decode()
    assert "over" in page
    response = client.post(f"/en/events/{event.pk}/internship/", internship_data())
    assert response.status_code == 400
    assert not InternshipApplication.objects.exists()
    with pytest.raises(ValidationError):
        internship_application_create(event=event, **internship_kwargs())


def test_the_event_page_links_to_its_application_form(client):
    symposium = event_of("symposium")
    internship = event_of("internship")
    seminar = make_event()
    assert (
        f"/events/{symposium.pk}/exhibit/"
        in client.get(f"/events/{symposium.pk}/").content.decode()
    )
    assert (
        f"/events/{internship.pk}/internship/"
        in client.get(f"/events/{internship.pk}/").content.decode()
    )
    page = client.get(f"/events/{seminar.pk}/").content.decode()
    assert "/exhibit/" not in page and "/internship/" not in page


# Staff decisions ---------------------------------------------------------------------------


def make_exhibitor(event=None, language="ja", **overrides) -> ExhibitorApplication:
    fields = {
        k: v
        for k, v in exhibit_data(**overrides).items()
        if k not in ("privacy_consent", "website")
    }
    return exhibitor_application_create(
        event=event or event_of("symposium"), language=language, **fields
    )


def test_accepting_records_who_and_when_and_mails_the_note_in_the_applicants_language(
    center_staff, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_exhibitor(language="en")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = exhibitor_application_decide(
            application=application,
            status=ApplicationStatus.ACCEPTED,
            actor=center_staff,
            note="ブースは入口付近です。",
        )
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.decided_by == center_staff and application.decided_at
    (mail,) = mailoutbox
    assert mail.to == ["booth@example.com"]
    assert "accepted" in mail.subject  # English: the applicant's language
    assert "ブースは入口付近です。" in mail.body
    assert AuditEvent.objects.filter(action="change").exists()

    # The same decision again is refused and mails nobody.
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        exhibitor_application_decide(
            application=application, status=ApplicationStatus.ACCEPTED, actor=center_staff
        )
    assert len(mailoutbox) == 1


def test_staff_accept_and_reject_from_the_admin(
    client, center_staff, mailoutbox, django_capture_on_commit_callbacks
):
    event = event_of("festival")
    first = make_exhibitor(event, email="a@example.com")
    second = make_exhibitor(event, email="b@example.com", group_name="子ども食堂ネット")
    ExhibitorApplication.objects.filter(pk=second.pk).update(
        decision_note="今回は枠が埋まりました。"
    )
    mailoutbox.clear()
    client.force_login(center_staff)
    url = "/admin/events/exhibitorapplication/"
    assert client.get(url, {"q": "子ども食堂", "status__exact": "submitted"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "accept", "_selected_action": [first.pk]})
        client.post(url, {"action": "reject", "_selected_action": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("accepted", "rejected")
    assert second.decided_by == center_staff
    rejection = next(m for m in mailoutbox if m.to == ["b@example.com"])
    assert "今回は枠が埋まりました。" in rejection.body
    assert client.get(f"{url}{first.pk}/change/").status_code == 200


def test_the_booth_csv_is_for_excel_and_neutralises_formulas(client, center_staff):
    make_exhibitor()
    client.force_login(center_staff)
    response = client.post(
        "/admin/events/exhibitorapplication/",
        {
            "action": "export_csv",
            "_selected_action": list(ExhibitorApplication.objects.values_list("pk", flat=True)),
        },
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 2
    assert "NPO法人みなとの森" in rows[1]
    assert any(cell.startswith("'=HYPERLINK") for cell in rows[1])
    assert AuditEvent.objects.filter(action="export").exists()


def test_matched_without_a_host_project_is_refused(center_staff, mailoutbox):
    application = internship_application_create(event=event_of("internship"), **internship_kwargs())
    mailoutbox.clear()
    with pytest.raises(ValidationError) as error:
        internship_application_review(
            application=application, status="matched", actor=center_staff, matched_project=" "
        )
    assert "matched_project" in error.value.message_dict
    application.refresh_from_db()
    assert application.status == "submitted"


def test_matched_and_declined_mail_the_student_and_reviewing_does_not(
    center_staff, mailoutbox, django_capture_on_commit_callbacks
):
    application = internship_application_create(
        event=event_of("internship"), **internship_kwargs(), language="ja"
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        internship_application_review(
            application=application, status="reviewing", actor=center_staff
        )
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        application = internship_application_review(
            application=application,
            status="matched",
            actor=center_staff,
            matched_project="NPO法人みなとの森 里山保全プロジェクト",
        )
    assert application.reviewed_by == center_staff
    (mail,) = mailoutbox
    assert mail.to == ["student@example.ac.jp"]
    assert "里山保全プロジェクト" in mail.body
    # Saving the same status again (a note) mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        internship_application_review(
            application=application,
            status="matched",
            actor=center_staff,
            review_note="初回面談済み",
        )
    assert len(mailoutbox) == 1
    other = internship_application_create(
        event=application.event, **internship_kwargs(email="two@example.ac.jp"), language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        internship_application_review(application=other, status="declined", actor=center_staff)
    (declined,) = [m for m in mailoutbox if m.to == ["two@example.ac.jp"]]
    assert [m.to for m in mailoutbox].count(["student@example.ac.jp"]) == 1
    assert "could not match" in declined.body


def test_the_admin_review_form_refuses_matched_without_a_project(
    client, center_staff, mailoutbox, django_capture_on_commit_callbacks
):
    application = internship_application_create(event=event_of("internship"), **internship_kwargs())
    mailoutbox.clear()
    client.force_login(center_staff)
    url = f"/admin/events/internshipapplication/{application.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "matched", "matched_project": "", "review_note": ""})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "status": "matched",
                "matched_project": "港北区 子ども食堂",
                "review_note": "面談済み",
            },
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.matched_project) == ("matched", "港北区 子ども食堂")
    assert [m.to for m in mailoutbox] == [["student@example.ac.jp"]]


def test_the_internship_csv_and_list(client, center_staff):
    internship_application_create(event=event_of("internship"), **internship_kwargs())
    client.force_login(center_staff)
    url = "/admin/events/internshipapplication/"
    page = client.get(url, {"q": "ガクセイ"}).content.decode()
    assert "横浜市立大学" in page
    response = client.post(
        url,
        {
            "action": "export_csv",
            "_selected_action": list(InternshipApplication.objects.values_list("pk", flat=True)),
        },
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff") and "横浜市立大学" in body


def test_outsiders_cannot_open_the_applications_admin(client, outsider):
    client.force_login(outsider)
    response = client.get("/admin/events/exhibitorapplication/")
    assert response.status_code in (302, 403, 404)

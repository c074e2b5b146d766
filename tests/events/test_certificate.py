"""The completion certificate of a course: offered and served only once every session is
attended, a 404 otherwise; the PDF is A4 and pdftotext reads back the Japanese name and the
course title; staff download certificates from the registration admin."""

import datetime
import io
import subprocess

import pytest
from pypdf import PdfReader

from events.certificate import certificates_pdf, registration_is_complete
from events.models import Attendance, EventSession
from tests.conftest import require_command, require_japanese_font
from tests.events.registration_helpers import make_event, register

pytestmark = pytest.mark.django_db

COURSE_TITLE = "市民活動基礎セミナー（全3回）"


def attend(registration, sessions):
    for session in sessions:
        Attendance.objects.create(registration=registration, session=session)


@pytest.fixture
def course_and_people():
    # The course is registered before it starts: register first, then move the dates back.
    event = make_event(title=COURSE_TITLE)
    complete = register(event, 1, family_name="横浜", given_name="花子")
    partial = register(event, 2, family_name="中区", given_name="太郎")
    first = event.sessions.get()
    shift = datetime.timedelta(days=-30)
    first.starts_at += shift
    first.ends_at += shift
    first.title = "第1回 市民活動とは"
    first.save()
    for week in (1, 2):
        EventSession.objects.create(
            event=event,
            title=f"第{week + 1}回 団体運営の基礎",
            starts_at=first.starts_at + datetime.timedelta(days=7 * week),
            ends_at=first.ends_at + datetime.timedelta(days=7 * week),
        )
    sessions = list(event.sessions.all())
    attend(complete, sessions)
    attend(partial, sessions[:2])
    return event, complete, partial


def test_only_a_registration_with_every_session_attended_is_complete(course_and_people):
    event, complete, partial = course_and_people
    assert registration_is_complete(complete)
    assert not registration_is_complete(partial)


def test_a_one_session_event_has_no_certificate():
    event = make_event()
    registration = register(event)
    attend(registration, event.sessions.all())
    assert not registration_is_complete(registration)


def test_a_cancelled_registration_has_no_certificate(course_and_people):
    _event, complete, _partial = course_and_people
    complete.status = "cancelled"
    complete.save()
    assert not registration_is_complete(complete)


def test_the_registrant_page_offers_the_certificate_only_when_complete(client, course_and_people):
    _event, complete, partial = course_and_people
    page = client.get(f"/events/registration/{complete.token}/").content.decode()
    assert f"/events/registration/{complete.token}/certificate.pdf" in page
    page = client.get(f"/events/registration/{partial.token}/").content.decode()
    assert "certificate.pdf" not in page


def test_the_certificate_is_404_until_complete_and_for_a_wrong_token(client, course_and_people):
    _event, _complete, partial = course_and_people
    assert client.get(f"/events/registration/{partial.token}/certificate.pdf").status_code == 404
    assert client.get("/events/registration/nope/certificate.pdf").status_code == 404


def pdf_text(pdf: bytes, tmp_path) -> str:
    require_command("pdftotext", "poppler-utils")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    ).stdout


def test_the_certificate_pdf_reads_back_the_name_and_the_course(
    client, course_and_people, tmp_path
):
    require_japanese_font()
    _event, complete, _partial = course_and_people
    response = client.get(f"/events/registration/{complete.token}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait
    text = "".join(pdf_text(pdf, tmp_path).split())
    assert "横浜花子" in text
    assert COURSE_TITLE in text
    assert "第3回団体運営の基礎" in text


def test_several_certificates_make_one_page_each(course_and_people):
    require_japanese_font()
    event, complete, _partial = course_and_people
    other = register(event, 3, family_name="鶴見", given_name="一郎")
    attend(other, event.sessions.all())
    pdf = certificates_pdf([complete, other], language="ja")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2


def test_staff_download_certificates_from_the_registration_admin(
    client, center_staff, course_and_people
):
    require_japanese_font()
    _event, complete, partial = course_and_people
    client.force_login(center_staff)
    url = "/admin/events/registration/"
    response = client.post(
        url, {"action": "download_certificates", "_selected_action": [complete.pk, partial.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1

    # Nobody complete: a message, no PDF.
    response = client.post(
        url,
        {"action": "download_certificates", "_selected_action": [partial.pk]},
        follow=True,
    )
    assert response["Content-Type"].startswith("text/html")
    assert 'class="warning"' in response.content.decode()

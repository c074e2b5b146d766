"""The event pages a person reaches from a form or a mail, in both languages: the
registration form (empty and with errors), the registrant's page and its cancel step, the
survey (empty, with errors, answered) and the booth and internship applications (empty, with
errors, thank-you page). Each passes axe-core's WCAG 2.1 A/AA rules and has the structure
every public page has."""

import datetime

import pytest
from django.core import signing
from django.core.cache import cache

from events import services
from events.models import Attendance, Program, Question
from events.views_registration import REGISTRATION_SIGNING_SALT
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.events.registration_helpers import add_question, make_event, person


def scan(page, language: str, label: str) -> list[str]:
    return [
        f"{label}: {problem}" for problem in _check_structure(page, language) + axe_violations(page)
    ]


def program(slug: str) -> Program:
    return Program.objects.get(slug=slug)


@pytest.fixture
def events_with_forms():
    cache.clear()
    upcoming = make_event(title="NPO入門セミナー 2026")
    # Registered before the questions were added, so without answers.
    registration = services.registration_create(event=upcoming, **person(2))
    add_question(upcoming, "参加の動機", required=True)
    add_question(upcoming, "昼食", Question.Kind.CHOICE, "要\n不要")
    past = make_event(
        title="ミズベサロン 第3回", starts_in=-datetime.timedelta(days=2), capacity=None
    )
    attendee = services.registration_create(
        event=past, now=past.starts_at - datetime.timedelta(days=3), **person(1)
    )
    Attendance.objects.create(registration=attendee, session=past.sessions.first())
    Question.objects.create(
        event=past,
        label="次回取り上げてほしいテーマ",
        kind=Question.Kind.CHECKBOX,
        choices="会計\n広報",
        purpose=Question.Purpose.SURVEY,
    )
    symposium = make_event(title="未来創発シンポジウム 2026", starts_in=datetime.timedelta(days=40))
    symposium.program = program("symposium")
    symposium.save()
    internship = make_event(
        title="大学生インターンシップ 夏", starts_in=datetime.timedelta(days=60)
    )
    internship.program = program("internship")
    internship.save()
    yield upcoming, registration, attendee, symposium, internship
    cache.clear()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_registration_survey_and_application_pages_are_accessible(
    page, live_server, events_with_forms, language
):
    upcoming, registration, attendee, symposium, internship = events_with_forms
    prefix = "" if language == "ja" else "/en"
    base = f"{live_server.url}{prefix}/events"
    problems: list[str] = []

    page.goto(f"{base}/{upcoming.pk}/register/")
    problems += scan(page, language, "registration form")
    page.locator("form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".alert-danger, #error-summary, [role=alert]").count() > 0
    problems += scan(page, language, "registration form with errors")

    signed = signing.dumps(registration.pk, salt=REGISTRATION_SIGNING_SALT)
    page.goto(f"{base}/registration/done/{signed}/")
    problems += scan(page, language, "registration done page")
    page.goto(f"{base}/registration/{registration.token}/")
    problems += scan(page, language, "registrant page")
    page.goto(f"{base}/registration/{registration.token}/cancel/")
    problems += scan(page, language, "cancel page")

    page.goto(f"{base}/survey/{attendee.token}/")
    problems += scan(page, language, "survey")
    page.locator("form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".alert-danger, #error-summary, [role=alert]").count() > 0
    problems += scan(page, language, "survey with errors")
    page.locator("input[name=satisfaction][value='4']").check()
    page.locator("form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()
    problems += scan(page, language, "survey answered")

    for kind, event in (("exhibit", symposium), ("internship", internship)):
        page.goto(f"{base}/{event.pk}/{kind}/")
        problems += scan(page, language, f"{kind} form")
        page.locator("form[method=post] [type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator(".alert-danger, #error-summary, [role=alert]").count() > 0
        problems += scan(page, language, f"{kind} form with errors")
        page.goto(f"{base}/{event.pk}/{kind}/thanks/")
        problems += scan(page, language, f"{kind} thank-you page")

    assert problems == [], "\n".join(problems)

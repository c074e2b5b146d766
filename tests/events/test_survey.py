"""The survey after an event: mailed once per attendee (never to no-shows, never for a
cancelled event), one response per registration, bad input refused on the form, the staff
results page and the CSV export. Time travel is done by passing `now`."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from center.core.models import OutboxMessage
from events import services, services_survey
from events.admin_survey import survey_csv_rows
from events.models import Answer, Attendance, Event, Question, Registration, SurveyResponse
from events.tasks_survey import send_survey
from tests.conftest import require_postgresql
from tests.events.registration_helpers import make_event, person

HOUR = datetime.timedelta(hours=1)


def surveys_queued() -> list[int]:
    return sorted(
        message.args[0]
        for message in OutboxMessage.objects.filter(task_name="events.tasks_survey.send_survey")
    )


def register(event: Event, index: int = 0) -> Registration:
    """Registered two days before the event (past events take no registrations now)."""
    return services.registration_create(
        event=event, now=event.starts_at - datetime.timedelta(days=2), **person(index)
    )


def attend(registration: Registration) -> Attendance:
    return Attendance.objects.create(
        registration=registration, session=registration.event.sessions.first()
    )


def past_event(**extra) -> Event:
    return make_event(starts_in=-datetime.timedelta(days=1), capacity=None, **extra)


def survey_question(event, label, kind=Question.Kind.TEXT, choices="", required=False, order=0):
    return Question.objects.create(
        event=event,
        purpose=Question.Purpose.SURVEY,
        label=label,
        kind=kind,
        choices=choices,
        required=required,
        order=order,
    )


@pytest.fixture
def ended():
    """A past event: two attendees, one no-show."""
    event = past_event()
    first, second, no_show = register(event, 1), register(event, 2), register(event, 3)
    attend(first)
    attend(second)
    return event, first, second, no_show


# Sending ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_survey_goes_once_to_each_attendee_only(
    ended, mailoutbox, django_capture_on_commit_callbacks
):
    event, first, second, no_show = ended
    before_end = event.ends_at - HOUR
    assert services_survey.surveys_send(now=before_end) == 0  # not over yet

    with django_capture_on_commit_callbacks(execute=True):
        assert services_survey.surveys_send() == 2
    assert services_survey.surveys_send() == 0
    assert services_survey.surveys_send(now=timezone.now() + HOUR) == 0

    assert surveys_queued() == sorted([first.pk, second.pk])
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "hanako1@example.com",
        "hanako2@example.com",
    ]
    mail = mailoutbox[0]
    assert event.title in mail.subject
    registration = Registration.objects.get(email=mail.to[0])
    assert f"/events/survey/{registration.token}/" in mail.body
    assert "横浜市市民協働推進センター" in mail.body  # the sender, in the footer
    no_show.refresh_from_db()
    assert no_show.survey_sent_at is None


@pytest.mark.django_db
def test_no_survey_for_cancelled_or_draft_events_old_events_or_without_an_address():
    cancelled = past_event()
    attend(register(cancelled, 1))
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)

    draft = past_event()
    attend(register(draft, 2))
    Event.objects.filter(pk=draft.pk).update(status=Event.Status.DRAFT)

    old = make_event(starts_in=-datetime.timedelta(days=60))
    attend(register(old, 3))

    no_address = past_event()
    walk_in = register(no_address, 4)
    Registration.objects.filter(pk=walk_in.pk).update(email="")
    attend(walk_in)

    assert services_survey.surveys_send() == 0
    assert surveys_queued() == []


@pytest.mark.django_db
def test_the_mail_task_skips_what_no_longer_qualifies(ended, mailoutbox):
    event, first, second, no_show = ended
    send_survey(no_show.pk)  # never attended
    SurveyResponse.objects.create(registration=first, satisfaction=4)
    send_survey(first.pk)  # already answered
    assert mailoutbox == []
    send_survey(second.pk)
    assert len(mailoutbox) == 1
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    send_survey(second.pk)
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_survey_mail_is_in_the_registrants_language(ended, mailoutbox):
    event, first, *_rest = ended
    Registration.objects.filter(pk=first.pk).update(language="en")
    send_survey(first.pk)
    [mail] = mailoutbox
    assert "Thank you for coming to" in mail.subject
    assert f"/en/events/survey/{first.token}/" in mail.body
    assert "Yokohama Citizen Collaboration Promotion Center" in mail.alternatives[0][0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beats_at_once_claim_each_attendee_once():
    require_postgresql()
    event = past_event()
    for index in range(8):
        attend(register(event, index))
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def beat():
        try:
            barrier.wait()
            counts.append(services_survey.surveys_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 8
    queued = surveys_queued()
    assert len(queued) == len(set(queued)) == 8


# The survey page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_attendee_answers_once_and_cannot_answer_again(client, ended):
    event, first, *_rest = ended
    topic = survey_question(
        event, "Which part was most useful?", Question.Kind.CHOICE, "講義\n交流"
    )
    wish = survey_question(
        event, "Next topics", Question.Kind.CHECKBOX, "会計\n広報\n法務", order=1
    )
    free = survey_question(event, "Anything else", order=2)
    url = f"/en/events/survey/{first.token}/"

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<legend" in html and "Very satisfied" in html
    assert "Which part was most useful?" in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]

    response = client.post(
        url,
        {
            "satisfaction": "5",
            "comment": "とても良かったです。",
            f"q_{topic.pk}": "交流",
            f"q_{wish.pk}": ["広報", "会計"],
            f"q_{free.pk}": "資料が分かりやすかった",
        },
    )
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(registration=first)
    assert saved.satisfaction == 5 and saved.comment == "とても良かったです。"
    assert dict(first.answers.values_list("question__label", "value")) == {
        "Which part was most useful?": "交流",
        "Next topics": "会計\n広報",
        "Anything else": "資料が分かりやすかった",
    }

    thanks = client.get(url).content.decode()
    assert "Thank you for your answers" in thanks
    assert "cannot be changed" in thanks
    again = client.post(url, {"satisfaction": "1", "comment": "changed"})
    assert again.status_code == 200
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().satisfaction == 5


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "6", "abc", "", "3.5"])
def test_a_bad_satisfaction_is_a_form_error(client, ended, value):
    _event, first, *_rest = ended
    response = client.post(f"/en/events/survey/{first.token}/", {"satisfaction": value})
    assert response.status_code == 400
    assert "from 1 to 5" in response.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_forged_or_foreign_question_ids_are_refused(client, ended):
    event, first, *_rest = ended
    own = survey_question(event, "Own question")
    other = past_event()
    foreign = survey_question(other, "Foreign question")
    registration_question = Question.objects.create(event=event, label="Registration question")
    url = f"/en/events/survey/{first.token}/"
    for key in (f"q_{foreign.pk}", "q_999999", f"q_{registration_question.pk}", "q_abc"):
        response = client.post(url, {"satisfaction": "4", f"q_{own.pk}": "ok", key: "x"})
        assert response.status_code == 400, key
        assert "does not match this event" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_required_question_or_a_bad_choice_is_a_form_error(client, ended):
    event, first, *_rest = ended
    choice = survey_question(event, "Pick one", Question.Kind.CHOICE, "A\nB", required=True)
    url = f"/en/events/survey/{first.token}/"
    assert client.post(url, {"satisfaction": "4"}).status_code == 400
    assert client.post(url, {"satisfaction": "4", f"q_{choice.pk}": "C"}).status_code == 400
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_forged_answers_and_non_attendees(ended):
    from django.core.exceptions import ValidationError

    event, first, _second, no_show = ended
    with pytest.raises(ValidationError):
        services_survey.survey_response_submit(
            registration=first, satisfaction=4, answers={"999999": "x"}
        )
    for bad in (0, 6):
        with pytest.raises(ValidationError):
            services_survey.survey_response_submit(registration=first, satisfaction=bad)
    with pytest.raises(ValidationError):
        services_survey.survey_response_submit(registration=no_show, satisfaction=4)
    assert not SurveyResponse.objects.exists()
    services_survey.survey_response_submit(registration=first, satisfaction=4)
    with pytest.raises(ValidationError):
        services_survey.survey_response_submit(registration=first, satisfaction=2)
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db
def test_non_attendees_and_wrong_tokens(client, ended):
    _event, _first, _second, no_show = ended
    page = client.get(f"/en/events/survey/{no_show.token}/")
    assert page.status_code == 403
    assert "for people who attended" in page.content.decode()
    assert (
        client.post(f"/en/events/survey/{no_show.token}/", {"satisfaction": "5"}).status_code == 403
    )
    assert not SurveyResponse.objects.exists()
    assert client.get("/en/events/survey/not-a-token/").status_code == 404
    assert client.get(f"/events/survey/{'x' * 80}/").status_code == 404


@pytest.mark.django_db
def test_the_survey_page_in_japanese(client, ended):
    _event, first, *_rest = ended
    page = client.get(f"/events/survey/{first.token}/")
    assert page.status_code == 200
    assert 'lang="ja"' in page.content.decode()


# Results and export -----------------------------------------------------------------------


@pytest.fixture
def answered(ended):
    event, first, second, no_show = ended
    third = register(event, 4)
    attend(third)
    Registration.objects.filter(pk__in=[first.pk, second.pk, third.pk]).update(
        survey_sent_at=timezone.now()
    )
    choice = survey_question(event, "Most useful", Question.Kind.CHOICE, "講義\n交流")
    text = survey_question(event, "Ideas", order=1)
    services_survey.survey_response_submit(
        registration=first,
        satisfaction=5,
        comment='=HYPERLINK("http://evil")',
        answers={choice.pk: "交流", text.pk: "もっと時間がほしい"},
    )
    services_survey.survey_response_submit(
        registration=second, satisfaction=2, answers={choice.pk: "交流"}
    )
    return event, choice, text


@pytest.mark.django_db
def test_the_results_page_shows_the_right_numbers(client, center_staff, answered):
    event, _choice, _text = answered
    client.force_login(center_staff)
    response = client.get(f"/en/events/staff/{event.pk}/survey/")
    assert response.status_code == 200
    results = response.context["results"]
    assert results.responses == 2
    assert results.surveyed == 3
    assert results.response_rate == pytest.approx(66.7)
    assert results.average == pytest.approx(3.5)
    assert results.distribution == [(5, 1, 50), (4, 0, 0), (3, 0, 0), (2, 1, 50), (1, 0, 0)]
    [choice_summary, text_summary] = results.questions
    assert choice_summary.answered == 2
    assert choice_summary.choices == [("講義", 0, 0), ("交流", 2, 100)]
    assert text_summary.texts == ["もっと時間がほしい"]
    assert [c.comment for c in results.comments] == ['=HYPERLINK("http://evil")']
    html = response.content.decode()
    assert "66.7%" in html and "3.5" in html and "もっと時間がほしい" in html


@pytest.mark.django_db
def test_the_results_page_is_for_staff_only(
    client, answered, outsider, coordinator, tsurumi_staff, city_staff
):
    event, *_rest = answered
    url = f"/events/staff/{event.pk}/survey/"
    response = client.get(url)
    assert response.status_code == 302 and "login" in response.url
    for user in (outsider, coordinator, tsurumi_staff, city_staff):
        client.force_login(user)
        assert client.get(url).status_code in (302, 404), user


@pytest.mark.django_db
def test_the_csv_has_a_bom_the_answers_and_no_formulas(answered):
    event, _choice, _text = answered
    text = "".join(
        survey_csv_rows(
            queryset=SurveyResponse.objects.filter(registration__event=event), language="en"
        )
    )
    assert text.startswith("\ufeff")
    lines = text.split("\r\n")
    assert "satisfaction" in lines[0] and "Most useful" in lines[0] and "Ideas" in lines[0]
    assert len([line for line in lines if line]) == 3
    assert "もっと時間がほしい" in text and "交流" in text
    assert "'=HYPERLINK" in text


@pytest.mark.django_db
def test_the_admin_lists_filters_and_exports_read_only(client, center_staff, answered):
    event, *_rest = answered
    client.force_login(center_staff)
    changelist = "/en/admin/events/surveyresponse/"
    page = client.get(changelist, {"registration__event__id__exact": event.pk, "satisfaction": 5})
    assert page.status_code == 200
    assert len(page.context["cl"].result_list) == 1
    response = SurveyResponse.objects.get(satisfaction=5)
    change = client.get(f"{changelist}{response.pk}/change/")
    assert change.status_code == 200
    assert "もっと時間がほしい" in change.content.decode()
    assert 'name="_save"' not in change.content.decode()  # read-only
    assert client.get(f"{changelist}add/").status_code == 403
    export = client.post(
        changelist,
        {
            "action": "export_csv",
            "_selected_action": list(SurveyResponse.objects.values_list("pk", flat=True)),
        },
    )
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff") and "もっと時間がほしい" in body

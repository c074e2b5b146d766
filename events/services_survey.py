"""The survey after an event: the link mailed once to each attendee, and their one response
(satisfaction 1–5, a free comment, answers to the event's survey questions).

Mails are queued with `outbox_enqueue` in the transaction that claims the registration
(`survey_sent_at`), so a survey is queued exactly once per registration; the mail task checks
again that the registration still qualifies when it runs.
"""

import datetime
import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.core.services import outbox_enqueue

from .models import Answer, Attendance, Event, Question, Registration, SurveyResponse
from .services import MAX_ANSWER_LENGTH

__all__ = [
    "SURVEY_SEND_WINDOW",
    "registration_attended",
    "survey_questions",
    "survey_registration_get_by_token",
    "survey_response_submit",
    "survey_url",
    "surveys_send",
]

logger = logging.getLogger(__name__)

# Events that ended longer ago than this get no survey (a late beat, or the feature being
# switched on, must not mail people about an event from last year).
SURVEY_SEND_WINDOW = datetime.timedelta(days=14)
MAX_COMMENT_LENGTH = 4000


# Reads ------------------------------------------------------------------------------------


def survey_url(registration: Registration) -> str:
    """The absolute link to the registration's survey page, in their language."""
    with translation.override(registration.language):
        path = reverse("events:survey", kwargs={"token": registration.token})
    return settings.SITE_URL + path


def registration_attended(registration: Registration) -> bool:
    return Attendance.objects.filter(registration=registration).exists()


def survey_questions(event: Event) -> list[Question]:
    return list(event.questions.filter(purpose=Question.Purpose.SURVEY).order_by("order", "pk"))


def survey_registration_get_by_token(*, token: str) -> Registration:
    """The registration behind a survey link: the unguessable token is the only key."""
    if not token or len(token) > 64:
        raise Http404
    try:
        return Registration.objects.select_related("event__program").get(token=token)
    except Registration.DoesNotExist:
        raise Http404 from None


# Writes -----------------------------------------------------------------------------------


def _attended():
    return Exists(Attendance.objects.filter(registration=OuterRef("pk")))


def surveys_send(*, now: datetime.datetime | None = None) -> int:
    """Queue the survey mail for each confirmed registration (with an address) that attended
    at least one session of a published event that ended within `SURVEY_SEND_WINDOW`.
    Returns how many were queued.

    Exactly once per registration: each row is claimed with a conditional UPDATE on
    `survey_sent_at IS NULL`, committed together with its outbox message. The UPDATE filters
    on the registration's own columns only: a join (event, attendance) would make Django
    write `id IN (subquery)`, which PostgreSQL does not re-check after waiting for a
    concurrent claim, and two beats would both claim the row. The event and attendance are
    checked in the selection before, and again by the mail task.
    """
    now = now or timezone.now()
    event_ids = list(
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            ends_at__lte=now,
            ends_at__gt=now - SURVEY_SEND_WINDOW,
        ).values_list("pk", flat=True)
    )
    if not event_ids:
        return 0
    due = (
        Registration.objects.filter(
            event_id__in=event_ids,
            status=Registration.Status.CONFIRMED,
            survey_sent_at__isnull=True,
        )
        .exclude(email="")
        .filter(_attended())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queued = 0
    for registration_id in list(due):
        try:
            with transaction.atomic():
                claimed = Registration.objects.filter(
                    pk=registration_id,
                    survey_sent_at__isnull=True,
                    status=Registration.Status.CONFIRMED,
                ).update(survey_sent_at=now)
                if claimed != 1:
                    continue  # another beat got there first
                outbox_enqueue("events.tasks_survey.send_survey", registration_id)
        except Exception:
            logger.exception("Survey for registration %s not queued", registration_id)
            continue
        queued += 1
    return queued


def _clean_survey_answers(*, questions: list[Question], answers: Mapping) -> list[tuple]:
    """(question, stored value) pairs, or ValidationError. A key that is not one of the
    event's survey questions (a forged or stale form) refuses the whole response."""
    by_id = {question.pk: question for question in questions}
    given: dict[int, object] = {}
    for key, value in answers.items():
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            question_id = None
        if question_id not in by_id:
            raise ValidationError(
                _("The form does not match this event's questions. Please reload the page."),
                code="unknown_question",
            )
        given[question_id] = value
    errors: list[ValidationError] = []
    cleaned: list[tuple[Question, str]] = []
    for question in questions:
        value = given.get(question.pk)
        choices = question.choice_list()
        if question.kind == Question.Kind.CHECKBOX:
            if value in (None, ""):
                values: list[str] = []
            elif isinstance(value, str):
                values = [value]
            else:
                values = [str(item) for item in value]
            values = [item.strip() for item in values if item.strip()]
            invalid = any(item not in choices for item in values)
            text = "\n".join(choice for choice in choices if choice in values)
        else:
            text = "" if value is None else str(value).strip()
            invalid = question.kind == Question.Kind.CHOICE and bool(text) and text not in choices
        if invalid:
            errors.append(
                ValidationError(
                    _("“%(question)s”: please choose among the options given.")
                    % {"question": question.label},
                    code="invalid_choice",
                )
            )
        elif len(text) > MAX_ANSWER_LENGTH:
            errors.append(
                ValidationError(
                    _("“%(question)s”: the answer is too long.") % {"question": question.label},
                    code="too_long",
                )
            )
        elif question.required and not text:
            errors.append(
                ValidationError(
                    _("“%(question)s”: this question must be answered.")
                    % {"question": question.label},
                    code="required",
                )
            )
        else:
            cleaned.append((question, text))
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def survey_response_submit(
    *,
    registration: Registration,
    satisfaction: int,
    comment: str = "",
    answers: Mapping | None = None,
    now: datetime.datetime | None = None,
) -> SurveyResponse:
    """Store the attendee's one response, or ValidationError (not an attendee, already
    answered, bad values). Nothing is stored half: response and answers commit together."""
    # The registration row is locked, so two tabs submitting at once queue up here.
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if not registration_attended(registration):
        raise ValidationError(
            _("The survey is for people who attended the event."), code="not_attended"
        )
    if SurveyResponse.objects.filter(registration=registration).exists():
        raise ValidationError(
            _("You have already answered this survey. Thank you!"), code="already_answered"
        )
    cleaned = _clean_survey_answers(
        questions=survey_questions(registration.event), answers=answers or {}
    )
    response = SurveyResponse(
        registration=registration,
        satisfaction=satisfaction,
        comment=(comment or "").strip()[:MAX_COMMENT_LENGTH],
        submitted_at=now or timezone.now(),
    )
    response.full_clean()
    existing = set(
        Answer.objects.filter(
            registration=registration, question__in=[question for question, _text in cleaned]
        ).values_list("question_id", flat=True)
    )
    if existing:
        raise ValidationError(
            _("You have already answered this survey. Thank you!"), code="already_answered"
        )
    try:
        with transaction.atomic():
            response.save()
            Answer.objects.bulk_create(
                [
                    Answer(registration=registration, question=question, value=text)
                    for question, text in cleaned
                    if text
                ]
            )
    except IntegrityError:
        # SQLite has no row lock: the one-to-one stops a double response there.
        raise ValidationError(
            _("You have already answered this survey. Thank you!"), code="already_answered"
        ) from None
    return response

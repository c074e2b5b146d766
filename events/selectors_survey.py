"""Survey results of one event for staff: counts, rate, satisfaction and its distribution,
per-question summaries and the free comments. A fixed handful of queries per event."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Avg, Count

from .models import Answer, Event, Question, Registration, SurveyResponse


@dataclass
class QuestionSummary:
    question: Question
    answered: int = 0
    # (choice, count, percent of those who answered the question), in the question's order.
    choices: list[tuple[str, int, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    event: Event
    surveyed: int
    responses: int
    response_rate: float | None  # percent, None when nobody was surveyed
    average: float | None
    # (score, count, percent of responses), 5 down to 1.
    distribution: list[tuple[int, int, int]]
    questions: list[QuestionSummary]
    comments: list[SurveyResponse]


def _percent(part: int, whole: int) -> int:
    return round(part * 100 / whole) if whole else 0


def survey_results(*, event: Event) -> SurveyResults:
    surveyed = Registration.objects.filter(event=event, survey_sent_at__isnull=False).count()
    responses = SurveyResponse.objects.filter(registration__event=event)
    totals = responses.aggregate(count=Count("pk"), average=Avg("satisfaction"))
    count = totals["count"]
    by_score = dict(
        # order_by(): the model's default ordering would split the GROUP BY.
        responses.order_by()
        .values("satisfaction")
        .annotate(n=Count("pk"))
        .values_list("satisfaction", "n")
    )
    distribution = [
        (score, by_score.get(score, 0), _percent(by_score.get(score, 0), count))
        for score in range(5, 0, -1)
    ]
    questions = list(
        event.questions.filter(purpose=Question.Purpose.SURVEY).order_by("order", "pk")
    )
    answers_by_question: dict[int, list[str]] = {question.pk: [] for question in questions}
    for question_id, value in (
        Answer.objects.filter(question__in=questions)
        .order_by("registration_id")
        .values_list("question_id", "value")
    ):
        answers_by_question[question_id].append(value)
    summaries = []
    for question in questions:
        values = [value for value in answers_by_question[question.pk] if value.strip()]
        summary = QuestionSummary(question=question, answered=len(values))
        if question.kind == Question.Kind.TEXT:
            summary.texts = values
        else:
            counter = Counter(line for value in values for line in value.splitlines() if line)
            summary.choices = [
                (choice, counter.get(choice, 0), _percent(counter.get(choice, 0), len(values)))
                for choice in question.choice_list()
            ]
        summaries.append(summary)
    comments = list(
        responses.exclude(comment="")
        .order_by("submitted_at", "pk")
        .only("comment", "satisfaction", "submitted_at")
    )
    return SurveyResults(
        event=event,
        surveyed=surveyed,
        responses=count,
        response_rate=round(count * 100 / surveyed, 1) if surveyed else None,
        average=round(totals["average"], 2) if totals["average"] is not None else None,
        distribution=distribution,
        questions=summaries,
        comments=comments,
    )

"""CSV of registrations, their answers and attendance, for Excel: UTF-8 with a BOM, CRLF,
translated headers, and every cell that a spreadsheet would read as a formula neutralised.

One row per registration. Answers come in one column per question when all the rows are of
one event, in a single "question: answer" column otherwise (questions differ per event).
"""

import csv
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.lib.spreadsheet import BOM, neutralise
from center.lib.spreadsheet import Echo as _Echo

from .models import Answer, Attendance, Question, Registration


def _datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _fixed_columns():
    return [
        (_("event"), lambda r: r.event.title),
        (_("event date"), lambda r: _datetime(r.event.starts_at)),
        (_("status"), lambda r: r.get_status_display()),
        (_("registered via"), lambda r: r.get_channel_display()),
        (_("registered"), lambda r: _datetime(r.created_at)),
        (_("family name"), lambda r: r.family_name),
        (_("given name"), lambda r: r.given_name),
        (_("family name (furigana)"), lambda r: r.family_name_kana),
        (_("given name (furigana)"), lambda r: r.given_name_kana),
        (_("email address"), lambda r: r.email),
        (_("phone"), lambda r: r.phone),
        (_("organisation"), lambda r: r.organization),
        (_("ward"), lambda r: r.ward.display_name if r.ward else ""),
        (_("how they heard of it"), lambda r: r.get_heard_from_display()),
        (_("seats"), lambda r: r.party_size),
        (_("reasonable accommodation requested"), lambda r: r.accessibility_needs),
        (_("moved up from the waiting list"), lambda r: _datetime(r.promoted_at)),
        (_("cancelled"), lambda r: _datetime(r.cancelled_at)),
        (_("sessions attended"), lambda r: len(r.attendances.all())),
        (
            _("attended on"),
            lambda r: " / ".join(_datetime(a.session.starts_at) for a in r.attendances.all()),
        ),
    ]


def registrations_csv_rows(*, queryset: QuerySet[Registration], language: str) -> Iterator[str]:
    """The CSV text, line by line: BOM and header, then one row per registration. Four
    queries whatever the number of rows (registrations, answers, attendance, questions)."""
    registrations = list(
        queryset.select_related("event", "ward")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            Prefetch("attendances", queryset=Attendance.objects.select_related("session")),
        )
        .order_by("event__starts_at", "event_id", "created_at", "pk")
    )
    event_ids = {registration.event_id for registration in registrations}
    questions = (
        list(Question.objects.filter(event_id__in=event_ids).order_by("order", "pk"))
        if len(event_ids) == 1
        else None
    )
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    with translation.override(language):
        columns = _fixed_columns()
        header = [label for label, _value in columns]
        if questions is not None:
            header += [question.label for question in questions]
        else:
            header.append(_("answers"))
        yield BOM + writer.writerow([neutralise(cell) for cell in header])
        for registration in registrations:
            row = [value(registration) for _label, value in columns]
            answers = {answer.question_id: answer for answer in registration.answers.all()}
            if questions is not None:
                row += [
                    answers[q.pk].value.replace("\n", ", ") if q.pk in answers else ""
                    for q in questions
                ]
            else:
                row.append(
                    " / ".join(
                        f"{answer.question.label}: {answer.value.replace(chr(10), ', ')}"
                        for answer in answers.values()
                    )
                )
            yield writer.writerow([neutralise(cell) for cell in row])


def export_filename(now=None) -> str:
    return f"registrations-{timezone.localtime(now):%Y%m%d-%H%M}.csv"

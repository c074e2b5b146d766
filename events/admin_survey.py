"""Back office for survey responses: read-only, filtered by event and satisfaction, with the
CSV export for Excel (UTF-8 with a BOM, formulas neutralised, as the registrations export).
The per-event results page is /events/staff/<event pk>/survey/. Imported by events/admin.py.
"""

import csv
from collections.abc import Iterator

from django.contrib import admin
from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from center.core.models import AuditEvent
from center.core.services import audit_event_record
from center.lib.spreadsheet import BOM, neutralise
from center.lib.spreadsheet import Echo as _Echo

from .export import _datetime
from .models import Answer, Question, SurveyResponse


def survey_csv_rows(*, queryset: QuerySet[SurveyResponse], language: str) -> Iterator[str]:
    """The CSV text, line by line: BOM and header, then one row per response. Answers to
    survey questions come one column per question when all rows are of one event, in a
    single "question: answer" column otherwise."""
    responses = list(
        queryset.select_related("registration__event")
        .prefetch_related(
            Prefetch(
                "registration__answers",
                queryset=Answer.objects.filter(
                    question__purpose=Question.Purpose.SURVEY
                ).select_related("question"),
            )
        )
        .order_by("registration__event__starts_at", "registration__event_id", "submitted_at", "pk")
    )
    event_ids = {response.registration.event_id for response in responses}
    questions = (
        list(
            Question.objects.filter(
                event_id__in=event_ids, purpose=Question.Purpose.SURVEY
            ).order_by("order", "pk")
        )
        if len(event_ids) == 1
        else None
    )
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    with translation.override(language):
        header = [
            _gettext("event"),
            _gettext("event date"),
            _gettext("family name"),
            _gettext("given name"),
            _gettext("email address"),
            _gettext("satisfaction"),
            _gettext("comment"),
            _gettext("submitted"),
        ]
        if questions is not None:
            header += [question.label for question in questions]
        else:
            header.append(_gettext("answers"))
        yield BOM + writer.writerow([neutralise(cell) for cell in header])
        for response in responses:
            registration = response.registration
            row = [
                registration.event.title,
                _datetime(registration.event.starts_at),
                registration.family_name,
                registration.given_name,
                registration.email,
                response.satisfaction,
                response.comment,
                _datetime(response.submitted_at),
            ]
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


def survey_export_filename(now=None) -> str:
    return f"survey-{timezone.localtime(now):%Y%m%d-%H%M}.csv"


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ("registration", "event_link", "satisfaction", "short_comment", "submitted_at")
    list_filter = ("registration__event", "satisfaction")
    search_fields = ("comment", "registration__family_name", "registration__given_name")
    list_select_related = ("registration__event",)
    date_hierarchy = "submitted_at"
    actions = ["export_csv"]
    fields = ("registration", "satisfaction", "comment", "survey_answers", "submitted_at")
    readonly_fields = fields

    @admin.display(description=_("event"), ordering="registration__event__starts_at")
    def event_link(self, obj):
        event = obj.registration.event
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:survey_results", kwargs={"pk": event.pk}),
            event.title,
        )

    @admin.display(description=_("comment"))
    def short_comment(self, obj):
        return obj.comment[:60] + ("…" if len(obj.comment) > 60 else "")

    @admin.display(description=_("answers to the survey questions"))
    def survey_answers(self, obj):
        answers = obj.registration.answers.filter(
            question__purpose=Question.Purpose.SURVEY
        ).select_related("question")
        return format_html_join(
            "",
            "<p><strong>{}</strong><br>{}</p>",
            ((a.question.label, a.value.replace("\n", ", ")) for a in answers),
        )

    # Responses come from attendees only: staff read and export them, never edit.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected survey responses (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        count = queryset.count()
        first = queryset.order_by("pk").first()
        if first is not None:
            audit_event_record(
                actor=request.user,
                action=AuditEvent.Action.EXPORT,
                target=first,
                label=f"CSV: {count} survey responses",
                detail={"count": count, "ids": list(queryset.values_list("pk", flat=True)[:500])},
                request=request,
            )
        response = StreamingHttpResponse(
            survey_csv_rows(queryset=queryset, language=translation.get_language() or "ja"),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{survey_export_filename()}"'
        response["Cache-Control"] = "private, no-store"
        return response

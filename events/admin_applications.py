"""Back office for booth (exhibitor) and internship applications.

Booths: staff write the message that goes with the decision on the application, then accept
or reject with the list actions; each calls `exhibitor_application_decide`, which records who
decided and when and mails the group. Internships: the change form is the review (status,
host project, notes) and saves through `internship_application_review`, which refuses
"matched" without a host project and mails the student when matched or declined.
Both export to CSV for Excel (UTF-8 BOM, formulas neutralised). Imported by events/admin.py.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from center.core.models import AuditEvent
from center.core.services import audit_event_record
from center.lib.spreadsheet import BOM, neutralise
from center.lib.spreadsheet import Echo as _Echo

from .models import ApplicationStatus, ExhibitorApplication, InternshipApplication
from .services_applications import exhibitor_application_decide, internship_application_review


def _datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _csv_response(request, queryset, columns, name: str):
    """Stream the rows as CSV for Excel; the export is audited by count, never by name."""
    rows = list(queryset)
    if rows:
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            target=rows[0],
            label=f"CSV: {len(rows)} {queryset.model._meta.verbose_name_plural}",
            detail={"count": len(rows), "ids": [row.pk for row in rows[:500]]},
            request=request,
        )
    language = translation.get_language() or "ja"

    def lines():
        writer = csv.writer(_Echo(), lineterminator="\r\n")
        with translation.override(language):
            yield BOM + writer.writerow([neutralise(str(label)) for label, _value in columns])
            for row in rows:
                yield writer.writerow([neutralise(value(row)) for _label, value in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"{name}-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class _EachActionMixin:
    """Call a service on each selected application; report what was done and what was
    refused (with the reason) as messages, never as a 500."""

    def _each(self, request, queryset, do, done_message: str) -> None:
        done, refused = [], []
        for obj in queryset:
            try:
                do(obj)
            except ValidationError as exc:
                refused.append(f"{obj}: {' '.join(exc.messages)}")
            else:
                done.append(str(obj))
        if done:
            self.message_user(request, done_message % {"names": "、".join(done)}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                _("Not changed: %(details)s") % {"details": " / ".join(refused)},
                messages.WARNING,
            )


# Exhibitors -------------------------------------------------------------------------------


@admin.register(ExhibitorApplication)
class ExhibitorApplicationAdmin(_EachActionMixin, admin.ModelAdmin):
    list_display = ("group_name", "contact_name", "event", "status", "created_at", "decided_at")
    list_filter = ("status", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("group_name", "contact_name", "email", "phone", "activity")
    list_select_related = ("event",)
    date_hierarchy = "created_at"
    actions = ["accept", "reject", "export_csv"]
    readonly_fields = (
        "event",
        "status",
        "decided_at",
        "decided_by",
        "language",
        "privacy_notice_version",
        "created_at",
    )
    fieldsets = (
        (None, {"fields": ("event", "status", "created_at")}),
        (
            gettext_lazy("Group"),
            {"fields": ("group_name", "contact_name", "email", "phone", "language")},
        ),
        (gettext_lazy("Booth"), {"fields": ("activity", "booth_needs", "materials")}),
        (
            gettext_lazy("Decision"),
            {
                "fields": ("decision_note", "decided_at", "decided_by"),
                "description": gettext_lazy(
                    "Write the message first and save; then accept or reject the application "
                    "from the list. The message goes in the mail with the decision."
                ),
            },
        ),
        (None, {"fields": ("privacy_notice_version",)}),
    )

    def has_add_permission(self, request):
        # Applications come from the public form, with the applicant's consent.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Accept (mails the group)"), permissions=["change"])
    def accept(self, request, queryset):
        self._each(
            request,
            queryset.select_related("event"),
            lambda application: exhibitor_application_decide(
                application=application, status=ApplicationStatus.ACCEPTED, actor=request.user
            ),
            _("Accepted and mailed: %(names)s"),
        )

    @admin.action(description=gettext_lazy("Reject (mails the group)"), permissions=["change"])
    def reject(self, request, queryset):
        self._each(
            request,
            queryset.select_related("event"),
            lambda application: exhibitor_application_decide(
                application=application, status=ApplicationStatus.REJECTED, actor=request.user
            ),
            _("Rejected and mailed: %(names)s"),
        )

    @admin.action(
        description=gettext_lazy("Export the selected applications (CSV)"), permissions=["view"]
    )
    def export_csv(self, request, queryset):
        columns = [
            (gettext_lazy("event"), lambda a: a.event.title),
            (gettext_lazy("status"), lambda a: a.get_status_display()),
            (gettext_lazy("applied"), lambda a: _datetime(a.created_at)),
            (gettext_lazy("group"), lambda a: a.group_name),
            (gettext_lazy("contact person"), lambda a: a.contact_name),
            (gettext_lazy("email address"), lambda a: a.email),
            (gettext_lazy("phone"), lambda a: a.phone),
            (gettext_lazy("what the group does"), lambda a: a.activity),
            (gettext_lazy("booth needs"), lambda a: a.booth_needs),
            (gettext_lazy("what the booth will show"), lambda a: a.materials),
            (gettext_lazy("message with the decision"), lambda a: a.decision_note),
            (gettext_lazy("decided"), lambda a: _datetime(a.decided_at)),
        ]
        queryset = queryset.select_related("event").order_by("event__starts_at", "created_at", "pk")
        return _csv_response(request, queryset, columns, "exhibitors")


# Internships ------------------------------------------------------------------------------


class InternshipReviewForm(forms.ModelForm):
    class Meta:
        model = InternshipApplication
        fields = ("status", "matched_project", "review_note")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == InternshipApplication.Status.MATCHED
            and not (cleaned.get("matched_project") or "").strip()
        ):
            self.add_error(
                "matched_project", _("Enter the host project the student is matched with.")
            )
        return cleaned


@admin.register(InternshipApplication)
class InternshipApplicationAdmin(_EachActionMixin, admin.ModelAdmin):
    form = InternshipReviewForm
    list_display = (
        "__str__",
        "family_name_kana",
        "university",
        "year",
        "event",
        "status",
        "matched_project",
        "created_at",
    )
    list_filter = ("status", "year", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "email",
        "university",
        "faculty",
        "interests",
        "matched_project",
    )
    list_select_related = ("event",)
    date_hierarchy = "created_at"
    actions = ["mark_reviewing", "decline", "export_csv"]
    readonly_fields = (
        "event",
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "email",
        "phone",
        "university",
        "faculty",
        "year",
        "interests",
        "availability",
        "reviewed_by",
        "language",
        "privacy_notice_version",
        "created_at",
    )
    fieldsets = (
        (None, {"fields": ("event", "created_at")}),
        (
            gettext_lazy("Student"),
            {
                "fields": (
                    ("family_name", "given_name"),
                    ("family_name_kana", "given_name_kana"),
                    "email",
                    "phone",
                    "university",
                    "faculty",
                    "year",
                    "language",
                )
            },
        ),
        (gettext_lazy("Application"), {"fields": ("interests", "availability")}),
        (
            gettext_lazy("Review"),
            {
                "fields": ("status", "matched_project", "review_note", "reviewed_by"),
                "description": gettext_lazy(
                    "“Matched” needs the host project. The student is mailed when the status "
                    "becomes matched or not matched."
                ),
            },
        ),
        (None, {"fields": ("privacy_notice_version",)}),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The service reads the stored status again, so it knows whether this is a change
        # (and mails the student only then).
        internship_application_review(
            application=obj,
            status=form.cleaned_data["status"],
            actor=request.user,
            matched_project=form.cleaned_data.get("matched_project", ""),
            review_note=form.cleaned_data.get("review_note", ""),
        )

    @admin.action(description=gettext_lazy("Mark as being reviewed"), permissions=["change"])
    def mark_reviewing(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda application: internship_application_review(
                application=application,
                status=InternshipApplication.Status.REVIEWING,
                actor=request.user,
            ),
            _("Being reviewed: %(names)s"),
        )

    @admin.action(
        description=gettext_lazy("Not matched (mails the student)"), permissions=["change"]
    )
    def decline(self, request, queryset):
        self._each(
            request,
            queryset.exclude(status=InternshipApplication.Status.DECLINED),
            lambda application: internship_application_review(
                application=application,
                status=InternshipApplication.Status.DECLINED,
                actor=request.user,
            ),
            _("Marked as not matched and mailed: %(names)s"),
        )

    @admin.action(
        description=gettext_lazy("Export the selected applications (CSV)"), permissions=["view"]
    )
    def export_csv(self, request, queryset):
        columns = [
            (gettext_lazy("internship"), lambda a: a.event.title),
            (gettext_lazy("status"), lambda a: a.get_status_display()),
            (gettext_lazy("applied"), lambda a: _datetime(a.created_at)),
            (gettext_lazy("family name"), lambda a: a.family_name),
            (gettext_lazy("given name"), lambda a: a.given_name),
            (gettext_lazy("family name (furigana)"), lambda a: a.family_name_kana),
            (gettext_lazy("given name (furigana)"), lambda a: a.given_name_kana),
            (gettext_lazy("email address"), lambda a: a.email),
            (gettext_lazy("phone"), lambda a: a.phone),
            (gettext_lazy("university"), lambda a: a.university),
            (gettext_lazy("faculty or department"), lambda a: a.faculty),
            (gettext_lazy("year of study"), lambda a: a.year),
            (gettext_lazy("interests"), lambda a: a.interests),
            (gettext_lazy("availability"), lambda a: a.availability),
            (gettext_lazy("host project"), lambda a: a.matched_project),
        ]
        queryset = queryset.select_related("event").order_by("event__starts_at", "created_at", "pk")
        return _csv_response(request, queryset, columns, "internships")

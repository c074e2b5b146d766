"""Back office for registrations: the list per event with filters and search, staff
registrations taken by phone or at the counter, cancellation (which moves the waiting list
up), answers and attendance, and the CSV export for Excel.

A registration added here goes through `registration_create` like the public form (capacity
under the event's row lock, duplicates, window for the public only): the add form calls it
from `clean()`, so a refusal shows on the form, inside the admin's transaction.
Imported by events/admin.py.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from center.core.models import AuditEvent
from center.core.services import audit_event_record

from .certificate import download_certificates
from .export import export_filename, registrations_csv_rows
from .models import Answer, Attendance, Registration
from .services import registration_cancel, registration_create

# Staff enter registrations taken by phone or at the counter; walk-ins come from check-in.
STAFF_ADD_CHANNELS = [
    (Registration.Channel.PHONE, Registration.Channel.PHONE.label),
    (Registration.Channel.COUNTER, Registration.Channel.COUNTER.label),
]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("question", "value")
    readonly_fields = ("question",)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Answers come with the registration; a new one here would skip its validation.
        return False


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ("session", "checked_in_at", "checked_in_by")
    readonly_fields = ("checked_in_at", "checked_in_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            # Only the sessions of this registration's event.
            registration = getattr(request, "_events_registration", None)
            if registration is not None:
                kwargs["queryset"] = registration.event.sessions.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffRegistrationForm(forms.ModelForm):
    """The add form: registration_create does the work in clean()."""

    channel = forms.ChoiceField(label=_("registered via"), choices=STAFF_ADD_CHANNELS)

    class Meta:
        model = Registration
        fields = (
            "event",
            "channel",
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "email",
            "phone",
            "organization",
            "ward",
            "heard_from",
            "accessibility_needs",
            "party_size",
            "language",
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        fields = {name: cleaned.get(name) for name in self.Meta.fields}
        fields = {name: ("" if value is None else value) for name, value in fields.items()}
        fields["ward"] = cleaned.get("ward")
        try:
            # Inside the admin's transaction: a later failure rolls this back too.
            self.instance = registration_create(
                **fields, created_by=getattr(self, "current_user", None)
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, error)
        return cleaned

    def _post_clean(self):
        # The model instance is the one the service saved; nothing to construct or validate.
        pass


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "family_name_kana",
        "event",
        "status",
        "channel",
        "party_size",
        "created_at",
    )
    list_filter = ("status", "channel", ("event", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "email",
        "phone",
        "organization",
    )
    list_select_related = ("event",)
    autocomplete_fields = ("event",)
    date_hierarchy = "created_at"
    actions = ["cancel_registrations", "export_csv", download_certificates]
    readonly_fields = (
        "event",
        "status",
        "channel",
        "party_size",
        "privacy_notice_version",
        "created_by",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "reminder_sent_at",
        "survey_sent_at",
    )
    fieldsets = (
        (None, {"fields": ("event", "status", "channel", "party_size")}),
        (
            _("Person"),
            {
                "fields": (
                    ("family_name", "given_name"),
                    ("family_name_kana", "given_name_kana"),
                    "email",
                    "phone",
                    "organization",
                    "ward",
                    "heard_from",
                    "accessibility_needs",
                    "language",
                )
            },
        ),
        (
            _("History"),
            {
                "fields": (
                    "privacy_notice_version",
                    "created_by",
                    "created_at",
                    "promoted_at",
                    "cancelled_at",
                    "reminder_sent_at",
                    "survey_sent_at",
                )
            },
        ),
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = StaffRegistrationForm
            kwargs["fields"] = StaffRegistrationForm.Meta.fields
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            form.current_user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": StaffRegistrationForm.Meta.fields}),)
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        request._events_registration = obj
        return [AnswerInline, AttendanceInline]

    def save_model(self, request, obj, form, change):
        if change:
            # Contact details only: status, seats and event change through the services.
            obj.save()
        # A new one was saved by registration_create in the form's clean().

    def has_delete_permission(self, request, obj=None):
        # A registration is cancelled, never deleted: the counts against the plan need it.
        return False

    @admin.action(description=_("Cancel the selected registrations"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        cancelled = 0
        for registration in queryset.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
        ):
            registration_cancel(registration=registration, actor=request.user)
            cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled; the waiting list moved up where seats freed.",
                "%(count)d registrations cancelled; the waiting list moved up where seats freed.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export the selected registrations (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        count = queryset.count()
        first = queryset.order_by("pk").first()
        if first is not None:
            audit_event_record(
                actor=request.user,
                action=AuditEvent.Action.EXPORT,
                target=first,
                # A count, not a name: the log must not copy personal data.
                label=f"CSV: {count} registrations",
                detail={"count": count, "ids": list(queryset.values_list("pk", flat=True)[:500])},
                request=request,
            )
        response = StreamingHttpResponse(
            registrations_csv_rows(queryset=queryset, language=translation.get_language() or "ja"),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
        response["Cache-Control"] = "private, no-store"
        return response

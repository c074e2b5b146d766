"""Back office for programs, their yearly plans and events (with sessions, speakers and
registration questions). Saves and actions go through the services, which keep an event's
dates equal to its sessions' and drop the cached public pages once the change is committed.

Registrations, answers and attendance have their own admin (the registration flow's).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from center.core.fiscal import fiscal_year_of
from center.lib.forms import AltTextRequiredMixin
from center.lib.images import VerifiedImageField

from .models import Event, EventPhoto, EventSession, Program, ProgramPlan, Question, Speaker
from .selectors import plan_vs_actual, with_seats_taken
from .services_events import (
    event_cancel,
    event_delete_many,
    event_publish,
    event_save,
    event_sync_dates,
    program_save,
)


class ProgramPlanInline(admin.TabularInline):
    model = ProgramPlan
    extra = 1
    fields = ("fiscal_year", "planned_count", "note")
    ordering = ("-fiscal_year",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "business", "is_active", "order")
    list_filter = ("business", "is_active")
    search_fields = ("name", "name_en", "slug")
    ordering = ("order", "pk")
    inlines = [ProgramPlanInline]
    fieldsets = (
        (None, {"fields": ("name", "name_en", "slug", "business", "order", "is_active")}),
        (_("Description"), {"fields": ("description", "description_en")}),
    )

    def save_model(self, request, obj, form, change):
        program_save(program=obj)


def _plan_year(request) -> int:
    """The fiscal year asked for (?year=2026), or this one for anything else."""
    value = request.GET.get("year", "")
    if value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return fiscal_year_of()


@admin.register(ProgramPlan)
class ProgramPlanAdmin(admin.ModelAdmin):
    list_display = ("program", "fiscal_year", "planned_count", "note")
    list_editable = ("planned_count",)
    list_filter = ("fiscal_year", "program__business")
    list_select_related = ("program",)
    search_fields = ("program__name", "program__name_en")
    autocomplete_fields = ("program",)
    ordering = ("-fiscal_year", "program__order")
    change_list_template = "events/admin_programplan_changelist.html"

    def get_urls(self):
        return [
            path(
                "plan-vs-actual/",
                self.admin_site.admin_view(self.plan_vs_actual_view),
                name="events_programplan_plan_vs_actual",
            ),
            *super().get_urls(),
        ]

    def plan_vs_actual_view(self, request):
        """Planned events against events held, registrations and attendees, per program."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        year = _plan_year(request)
        rows = plan_vs_actual(fiscal_year=year)
        totals = {
            "planned": sum(row.planned or 0 for row in rows),
            "held": sum(row.held for row in rows),
            "registrations": sum(row.registrations for row in rows),
            "registered_seats": sum(row.registered_seats for row in rows),
            "attendees": sum(row.attendees for row in rows),
        }
        totals["attendance_rate"] = (
            totals["attendees"] / totals["registered_seats"] if totals["registered_seats"] else None
        )
        years = sorted(
            {fiscal_year_of(), year, *ProgramPlan.objects.values_list("fiscal_year", flat=True)},
            reverse=True,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Plan against actual"),
            "year": year,
            "years": years,
            "rows": rows,
            "totals": totals,
        }
        return TemplateResponse(request, "events/admin_plan_vs_actual.html", context)


class EventSessionInline(admin.TabularInline):
    model = EventSession
    # Every event has at least one session: its dates come from them.
    min_num = 1
    extra = 0
    fields = ("title", "starts_at", "ends_at")

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class SpeakerInline(admin.StackedInline):
    model = Speaker
    extra = 0
    fields = (("name", "affiliation", "order"), "profile")


PHOTO_MAX_SIDE = 2400


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("purpose", "label", "kind", "choices", "required", "order")


class EventPhotoAdminForm(AltTextRequiredMixin, forms.ModelForm):
    """Uploads are verified and re-encoded without EXIF/GPS; alt text unless decorative."""

    image = VerifiedImageField(label=_("photo"), max_side=PHOTO_MAX_SIDE)

    class Meta:
        model = EventPhoto
        fields = ["image", "caption", "alt_text", "is_decorative", "order"]


class EventPhotoInline(admin.StackedInline):
    model = EventPhoto
    form = EventPhotoAdminForm
    extra = 0
    fields = ["image", "caption", "alt_text", "is_decorative", "order"]


class PeriodFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "program",
        "status",
        "starts_at",
        "venue",
        "seats",
        "page_link",
    )
    list_filter = ("status", PeriodFilter, "program", "program__business", "venue")
    list_select_related = ("program",)
    search_fields = ("title", "summary")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)
    autocomplete_fields = ("program",)
    inlines = [EventSessionInline, SpeakerInline, QuestionInline, EventPhotoInline]
    actions = ["publish", "cancel"]
    readonly_fields = ("starts_at", "ends_at", "created_by", "created_at", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("program", "title", "summary", "description", "status")}),
        (_("When and where"), {"fields": (("starts_at", "ends_at"), "venue", "venue_address")}),
        (_("Online"), {"fields": ("online_url",)}),
        (
            _("Registration"),
            {
                "fields": (
                    "registration_required",
                    ("registration_opens_at", "registration_closes_at"),
                    ("capacity", "waitlist_enabled", "max_party_size"),
                    "ward_staff_seats",
                    "reminder_hours_before",
                )
            },
        ),
        (_("For participants"), {"fields": ("fee_note", "audience", "accessibility_info")}),
        (_("After the event"), {"fields": ("report",)}),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at")}),
    )

    def get_queryset(self, request) -> QuerySet[Event]:
        return with_seats_taken(super().get_queryset(request))

    def view_on_site(self, obj: Event) -> str:
        return reverse("events:detail", args=[obj.pk])

    @admin.display(description=_("seats taken"), ordering="seats_taken")
    def seats(self, obj: Event) -> str:
        taken = getattr(obj, "seats_taken", 0)
        return f"{taken} / {obj.capacity}" if obj.capacity is not None else str(taken)

    @admin.display(description=_("page"))
    def page_link(self, obj: Event) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("events:detail", args=[obj.pk]), _("preview")
        )

    def save_model(self, request, obj, form, change):
        if obj.starts_at is None:
            # A new event: the dates are read-only here and come from the sessions, saved
            # after it (save_related) in the same transaction; until then, a placeholder.
            obj.starts_at = obj.ends_at = timezone.now()
        event_save(event=obj, actor=request.user)

    def delete_model(self, request, obj):
        event_delete_many(events=Event.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        event_delete_many(events=queryset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event_sync_dates(event=form.instance)

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        for event in queryset:
            event_publish(event=event)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Cancel the selected events"), permissions=["change"])
    def cancel(self, request, queryset):
        cancelled = 0
        for event in queryset:
            try:
                event_cancel(event=event)
            except ValidationError as error:
                self.message_user(request, f"{event}: {' '.join(error.messages)}", messages.ERROR)
            else:
                cancelled += 1
        if cancelled:
            self.message_user(
                request,
                ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", cancelled)
                % {"count": cancelled},
                messages.SUCCESS,
            )


# Registrations, answers and attendance: the registration flow's admin, in its own module.
from . import admin_applications, admin_registrations  # noqa: E402, F401
from .admin_survey import SurveyResponseAdmin  # noqa: E402, F401

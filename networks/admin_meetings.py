"""Admin of network meetings: agenda, materials and action items inline; publishing the
minutes and announcing new materials mail the ward staff (through the services)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services_meetings as services
from .forms_meetings import MeetingMaterialAdminForm
from .models import ActionItem, AgendaItem, Meeting, MeetingMaterial, MeetingRsvp


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1
    fields = ["order", "title", "presenter", "duration_minutes"]


class MeetingMaterialInline(admin.TabularInline):
    model = MeetingMaterial
    form = MeetingMaterialAdminForm
    extra = 1
    fields = ["title", "file", "original_name", "size", "notified_at"]
    readonly_fields = ["original_name", "size", "notified_at"]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 1
    fields = ["title", "owner", "all_wards", "due_on", "status"]


class MeetingRsvpInline(admin.TabularInline):
    model = MeetingRsvp
    extra = 0
    fields = ["ward_center", "attending", "attendee_names", "note", "responded_at"]
    readonly_fields = ["responded_at"]


class UpcomingFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=timezone.now())
        if self.value() == "past":
            return queryset.filter(starts_at__lte=timezone.now())
        return queryset


class MinutesFilter(admin.SimpleListFilter):
    title = _("minutes")
    parameter_name = "minutes"

    def lookups(self, request, model_admin):
        return [("published", _("Published")), ("unpublished", _("Not published"))]

    def queryset(self, request, queryset):
        if self.value() == "published":
            return queryset.filter(minutes_published_at__isnull=False)
        if self.value() == "unpublished":
            return queryset.filter(minutes_published_at__isnull=True)
        return queryset


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "place", "minutes_published_at", "reminder_sent_at"]
    list_filter = [UpcomingFilter, MinutesFilter]
    search_fields = ["title", "place", "minutes"]
    date_hierarchy = "starts_at"
    readonly_fields = ["minutes_published_at", "reminder_sent_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "starts_at", "ends_at", "place", "online_url"]}),
        (_("For participants"), {"fields": ["description", "rsvp_deadline"]}),
        (_("Minutes"), {"fields": ["minutes", "minutes_published_at"]}),
        (_("Record"), {"fields": ["reminder_sent_at", "created_at", "updated_at"]}),
    ]
    inlines = [AgendaItemInline, MeetingMaterialInline, ActionItemInline, MeetingRsvpInline]
    actions = ["publish_minutes"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # New files are announced once, after they are all saved.
        queued = services.materials_announce(meeting=form.instance)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "New materials were announced to %(count)d ward staff member.",
                    "New materials were announced to %(count)d ward staff members.",
                    queued,
                )
                % {"count": queued},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publish the minutes to all ward centers"), permissions=["change"])
    def publish_minutes(self, request, queryset):
        published = 0
        for meeting in queryset:
            try:
                if services.minutes_publish(meeting=meeting):
                    published += 1
            except ValidationError as exc:
                self.message_user(request, f"{meeting}: {' '.join(exc.messages)}", messages.ERROR)
        if published:
            self.message_user(
                request,
                ngettext(
                    "Minutes of %(count)d meeting published; ward staff are being mailed.",
                    "Minutes of %(count)d meetings published; ward staff are being mailed.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "all_wards", "due_on", "status", "meeting"]
    list_filter = ["status", "all_wards", "owner", "meeting"]
    list_editable = ["status"]
    search_fields = ["title", "details"]
    list_select_related = ["owner", "meeting"]
    actions = ["mark_done"]

    @admin.action(description=_("Mark as done"), permissions=["change"])
    def mark_done(self, request, queryset):
        for item in queryset:
            services.action_item_set_status(item=item, status=ActionItem.Status.DONE)

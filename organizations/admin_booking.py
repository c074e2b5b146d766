"""Admin for spaces, bookings (approve/decline, CSV with BOM) and closure days."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from center.core.cache import public_cache_invalidate
from center.core.templatetags.center import jdate
from center.lib.spreadsheet import csv_response

from .models import Booking, Closure, Space
from .services_booking import (
    booking_approve,
    booking_cancel,
    booking_decline,
    closure_emergency,
    closure_save,
)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (mailed to the booker)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=1000,
        error_messages={"required": gettext_lazy("Write the reason: the booker will read it.")},
    )


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "audience",
        "requires_approval",
        "booking_window_days",
        "max_hours_per_month",
        "order",
    ]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["date", "block", "space", "group", "status", "public_title", "created_at"]
    list_filter = ["space", "status", ("date", admin.DateFieldListFilter)]
    list_select_related = ["space", "group"]
    search_fields = ["group__name", "public_title", "purpose"]
    date_hierarchy = "date"
    readonly_fields = ["created_at", "decided_at", "cancelled_at", "reminder_sent_at", "hours"]
    autocomplete_fields = ["group", "booked_by"]

    def get_readonly_fields(self, request, obj=None):
        # A booking's status changes through the actions (each mails the booker), never
        # by editing the field.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "status", "decline_reason"] if obj else fields

    actions = ["approve", "decline", "cancel", "export_csv"]

    def _each(self, request, queryset, service, done_message):
        done = 0
        for booking in queryset:
            try:
                service(booking)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{booking}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Approve the selected bookings"), permissions=["change"])
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda b: booking_approve(booking=b),
            _("%(count)s bookings approved."),
        )

    @admin.action(description=gettext_lazy("Decline the selected bookings"), permissions=["change"])
    def decline(self, request, queryset):
        form = DeclineForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            bookings = list(queryset.select_related("space", "group")[:200])
            context = {
                **self.admin_site.each_context(request),
                "title": _("Decline the selected bookings"),
                "intro": _(
                    "The reason is mailed to whoever made each booking, in their language "
                    "as you write it."
                ),
                "items": [
                    f"{jdate(b.date)} {b.block_label} {b.space.display_name} — {b.group.name} "
                    f"({b.get_status_display()})"
                    for b in bookings
                ],
                "more": queryset.count() > len(bookings),
                "form": form,
                "action": "decline",
                "submit_label": _("Decline the selected bookings"),
                "select_across": request.POST.get("select_across") == "1",
                "selected": [b.pk for b in bookings],
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/action_with_reason.html", context)
        reason = form.cleaned_data["reason"]
        self._each(
            request,
            queryset,
            lambda b: booking_decline(booking=b, reason=reason),
            _("%(count)s bookings declined."),
        )
        return None

    @admin.action(description=gettext_lazy("Cancel the selected bookings"), permissions=["change"])
    def cancel(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda b: booking_cancel(booking=b),
            _("%(count)s bookings cancelled."),
        )

    @admin.action(description=gettext_lazy("Export the selected bookings as CSV"))
    def export_csv(self, request, queryset):
        header = [
            _("date"),
            _("time block"),
            _("space"),
            _("group"),
            _("status"),
            _("public title"),
        ]
        rows = [
            [b.date, b.block_label, b.space.display_name, b.group.name, b.get_status_display()]
            + [b.public_title]
            for b in queryset.select_related("space", "group")
        ]
        return csv_response([header, *rows], f"bookings-{timezone.localtime():%Y%m%d-%H%M}.csv")


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["date", "space", "kind", "reason"]
    list_filter = ["kind", "space"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        # An emergency closure cancels that day's bookings; other kinds only block new ones.
        if not change and obj.kind == Closure.Kind.EMERGENCY:
            closure, affected = closure_emergency(date=obj.date, reason=obj.reason, space=obj.space)
            obj.pk = closure.pk
            self.message_user(
                request,
                _("%(count)s bookings on that day were cancelled.") % {"count": len(affected)},
                messages.WARNING,
            )
            return
        closure_save(closure=obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_cache_invalidate()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        public_cache_invalidate()

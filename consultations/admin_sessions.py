"""Back office for 相談会: staff publish sessions with their time slots and see the bookings.

Imported by consultations/admin.py. Every save or delete drops the cached public session
list (after the commit, so nobody caches the old state again in between). Bookings are
read-only here: they come from the public form, and staff cancel them through the service,
which frees the slot, notes the case and mails the booker.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from center.core.cache import public_cache_invalidate
from center.core.templatetags.center import jdate

from .models import ConsultationSession, SessionSlot, SlotBooking
from .services.sessions import booking_cancel


def _case_admin_url(consultation_id: int) -> str:
    try:
        return reverse("admin:consultations_consultation_change", args=[consultation_id])
    except NoReverseMatch:  # the case admin is registered elsewhere; may be absent in a test
        return ""


class SessionSlotFormSet(BaseInlineFormSet):
    """A booked slot keeps its time and cannot be deleted: its booker would not know."""

    def clean(self):
        super().clean()
        session = self.instance
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            slot = form.instance
            deleting = self.can_delete and self._should_delete_form(form)
            booked = bool(slot.pk) and slot.bookings.active().exists()
            if booked and deleting:
                raise ValidationError(
                    _("%(slot)s is booked: cancel the booking before deleting the slot.")
                    % {"slot": slot}
                )
            if deleting:
                continue
            if booked and {"starts_at", "ends_at"} & set(form.changed_data):
                raise ValidationError(
                    _(
                        "%(slot)s is booked: cancel the booking (the booker is mailed) "
                        "before changing its time."
                    )
                    % {"slot": slot}
                )
            starts_at = form.cleaned_data.get("starts_at")
            if starts_at and session.date and timezone.localtime(starts_at).date() != session.date:
                form.add_error("starts_at", _("A time slot must be on the session's date."))


class SessionSlotInline(admin.TabularInline):
    model = SessionSlot
    formset = SessionSlotFormSet
    fields = ("starts_at", "ends_at", "advisor", "advisor_role", "booking_state")
    readonly_fields = ("booking_state",)

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.slots.exists() else 4

    def get_queryset(self, request):
        active = SlotBooking.objects.active().filter(slot=OuterRef("pk"))
        return super().get_queryset(request).annotate(is_booked=Exists(active))

    @admin.display(description=_("booking"))
    def booking_state(self, slot: SessionSlot) -> str:
        if slot.pk is None:
            return "-"
        return _("Booked") if getattr(slot, "is_booked", False) else _("Free")


@admin.register(ConsultationSession)
class ConsultationSessionAdmin(admin.ModelAdmin):
    list_display = ("date", "title", "kind", "is_published", "slot_count", "booked_count")
    list_filter = ("kind", "is_published")
    search_fields = ("title", "venue")
    date_hierarchy = "date"
    ordering = ("-date",)
    inlines = [SessionSlotInline]
    readonly_fields = ("bookings_table",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "kind",
                    "title",
                    "description",
                    "date",
                    "venue",
                    "booking_closes_days_before",
                    "is_published",
                )
            },
        ),
        (_("Bookings"), {"fields": ("bookings_table",)}),
    )
    actions = ("publish", "unpublish")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                slot_count=Count("slots", distinct=True),
                booked_count=Count(
                    "slots__bookings",
                    filter=Q(slots__bookings__cancelled_at__isnull=True),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("time slots"), ordering="slot_count")
    def slot_count(self, session: ConsultationSession) -> int:
        return session.slot_count

    @admin.display(description=_("booked"), ordering="booked_count")
    def booked_count(self, session: ConsultationSession) -> int:
        return session.booked_count

    @admin.display(description=_("bookings"))
    def bookings_table(self, session: ConsultationSession) -> str:
        if session.pk is None:
            return "-"
        bookings = (
            SlotBooking.objects.filter(slot__session=session)
            .select_related("slot", "consultation")
            .order_by("slot__starts_at", "created_at")
        )
        if not bookings:
            return _("No bookings yet.")
        rows = format_html_join(
            "",
            "<tr><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            '<td><a href="{}">{}</a></td></tr>',
            (
                (
                    f"{timezone.localtime(b.slot.starts_at):%H:%M}",
                    f"{timezone.localtime(b.slot.ends_at):%H:%M}",
                    b.name,
                    b.email,
                    jdate(b.created_at, True),
                    jdate(b.cancelled_at, True) if b.cancelled_at else "-",
                    _case_admin_url(b.consultation_id),
                    b.consultation.reference,
                )
                for b in bookings
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("time"),
            _("name"),
            _("email address"),
            _("booked"),
            _("cancelled"),
            _("consultation"),
            rows,
        )

    def has_delete_permission(self, request, obj=None):
        # A session with active bookings is cancelled booking by booking, never deleted.
        if obj is not None and SlotBooking.objects.active().filter(slot__session=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(public_cache_invalidate)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(public_cache_invalidate)

    def delete_queryset(self, request, queryset):
        booked = SlotBooking.objects.active().filter(slot__session__in=queryset)
        if booked.exists():
            self.message_user(
                request,
                _("Sessions with active bookings cannot be deleted."),
                messages.ERROR,
            )
            return
        super().delete_queryset(request, queryset)
        transaction.on_commit(public_cache_invalidate)

    @admin.action(description=_("Publish the selected sessions"), permissions=("change",))
    def publish(self, request, queryset):
        count = queryset.update(is_published=True)
        transaction.on_commit(public_cache_invalidate)
        self.message_user(
            request,
            ngettext("%(count)d session published.", "%(count)d sessions published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected sessions"), permissions=("change",))
    def unpublish(self, request, queryset):
        count = queryset.update(is_published=False)
        transaction.on_commit(public_cache_invalidate)
        self.message_user(
            request,
            ngettext("%(count)d session unpublished.", "%(count)d sessions unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class _ActiveFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("active", _("Active")), ("cancelled", _("Cancelled")))

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(cancelled_at__isnull=True)
        if self.value() == "cancelled":
            return queryset.filter(cancelled_at__isnull=False)
        return queryset


@admin.register(SlotBooking)
class SlotBookingAdmin(admin.ModelAdmin):
    """Read-only: bookings are made on the public site; staff may only cancel them."""

    list_display = (
        "slot",
        "session_title",
        "name",
        "email",
        "created_at",
        "cancelled_at",
        "reminder_sent_at",
        "consultation",
    )
    list_filter = (_ActiveFilter, "slot__session__kind")
    search_fields = ("name", "email", "consultation__reference", "slot__session__title")
    list_select_related = ("slot__session", "consultation")
    fields = (
        "slot",
        "consultation",
        "name",
        "email",
        "language",
        "created_at",
        "cancelled_at",
        "reminder_sent_at",
    )
    readonly_fields = fields
    actions = ("cancel_bookings",)

    @admin.display(description=_("session"), ordering="slot__session__date")
    def session_title(self, booking: SlotBooking) -> str:
        return booking.slot.session.title

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Cancel the selected bookings (the booker is mailed)"),
        permissions=("change",),
    )
    def cancel_bookings(self, request, queryset):
        cancelled = 0
        for booking in queryset.filter(cancelled_at__isnull=True):
            try:
                booking_cancel(booking=booking, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{booking}: {' '.join(error.messages)}", messages.ERROR)
            else:
                cancelled += 1
        self.message_user(
            request,
            ngettext("%(count)d booking cancelled.", "%(count)d bookings cancelled.", cancelled)
            % {"count": cancelled},
            messages.SUCCESS,
        )

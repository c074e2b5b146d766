"""Back office of the 市民協働HUB: partners and their accounts, posts (hide/show), and
introduction requests (take, introduce, decline; CSV export). Actions call services_hub.

Imported by organizations/admin.py.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from center.core.models import AuditEvent
from center.core.services import audit_event_record
from center.lib.spreadsheet import csv_response

from .models import HubPost, IntroductionRequest, Partner, PartnerMembership
from .services_hub import (
    hub_intro_assign,
    hub_intro_decide,
    hub_post_changed,
    hub_post_hide,
    hub_post_unhide,
)


def _datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class PartnerMembershipInline(admin.TabularInline):
    model = PartnerMembership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "kind", "listed_publicly", "is_active", "updated_at"]
    list_filter = ["kind", "listed_publicly", "is_active", "fields", "sdgs"]
    search_fields = ["name", "department", "description", "contact_name", "contact_email"]
    filter_horizontal = ["fields", "sdgs"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PartnerMembershipInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "department", "description", "website"]}),
        (gettext_lazy("Interests"), {"fields": ["fields", "sdgs"]}),
        (gettext_lazy("Publication"), {"fields": ["listed_publicly", "is_active"]}),
        (
            gettext_lazy("Contact (staff only, never shown on the site)"),
            {"fields": ["contact_name", "contact_email", "contact_phone"]},
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        hub_post_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        hub_post_changed()


class _EachMixin:
    def _each(self, request, queryset, do, done_message: str) -> None:
        done, refused = 0, []
        for obj in queryset:
            try:
                do(obj)
            except ValidationError as exc:
                refused.append(f"{obj}: {' '.join(exc.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                _("Not changed: %(details)s") % {"details": " / ".join(refused)},
                messages.WARNING,
            )


@admin.register(HubPost)
class HubPostAdmin(_EachMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "status", "is_hidden", "until", "created_at"]
    list_filter = ["kind", "status", "is_hidden", "field", "ward"]
    list_select_related = ["group", "partner", "field", "ward"]
    search_fields = ["title", "body", "group__name", "partner__name"]
    autocomplete_fields = ["partner", "author"]
    # The groups area registers its own admin; a raw id works whether or not it is there.
    raw_id_fields = ["group"]
    readonly_fields = ["created_at", "updated_at", "is_hidden"]
    date_hierarchy = "created_at"
    actions = ["hide", "unhide"]

    @admin.display(description=gettext_lazy("posted for"))
    def owner(self, post: HubPost) -> str:
        return post.owner_name

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        hub_post_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        hub_post_changed()

    @admin.action(description=gettext_lazy("Hide from the board"), permissions=["change"])
    def hide(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda post: hub_post_hide(post=post, actor=request.user),
            _("Hidden: %(count)s posts"),
        )

    @admin.action(description=gettext_lazy("Show on the board again"), permissions=["change"])
    def unhide(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda post: hub_post_unhide(post=post, actor=request.user),
            _("Shown again: %(count)s posts"),
        )


@admin.register(IntroductionRequest)
class IntroductionRequestAdmin(_EachMixin, admin.ModelAdmin):
    """The coordinator's queue. The change form edits only the message to both sides; the
    status moves through the actions (each mails as the service says)."""

    list_display = ["__str__", "requester_side", "status", "coordinator", "created_at"]
    list_filter = ["status", "post__kind", ("coordinator", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["post", "requester_group", "requester_partner", "coordinator"]
    search_fields = ["post__title", "requester_group__name", "requester_partner__name", "message"]
    date_hierarchy = "created_at"
    fields = [
        "post",
        "requester",
        "requester_group",
        "requester_partner",
        "message",
        "status",
        "coordinator",
        "outcome_note",
        "created_at",
        "decided_at",
    ]
    readonly_fields = [
        "post",
        "requester",
        "requester_group",
        "requester_partner",
        "message",
        "status",
        "coordinator",
        "created_at",
        "decided_at",
    ]
    actions = ["assign_to_me", "mark_introduced", "mark_declined", "export_csv"]

    def has_add_permission(self, request):
        # Requests come from the board's form only.
        return False

    @admin.display(description=gettext_lazy("requested for"))
    def requester_side(self, intro: IntroductionRequest) -> str:
        return intro.requester_side_name

    @admin.action(description=gettext_lazy("Take (assign to me)"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda intro: hub_intro_assign(intro=intro, coordinator=request.user),
            _("Assigned to you: %(count)s requests"),
        )

    @admin.action(
        description=gettext_lazy("Record: introduced (mails both sides)"), permissions=["change"]
    )
    def mark_introduced(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda intro: hub_intro_decide(
                intro=intro,
                coordinator=request.user,
                outcome=IntroductionRequest.Status.INTRODUCED,
            ),
            _("Recorded as introduced and mailed: %(count)s requests"),
        )

    @admin.action(
        description=gettext_lazy("Record: declined (mails both sides)"), permissions=["change"]
    )
    def mark_declined(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda intro: hub_intro_decide(
                intro=intro,
                coordinator=request.user,
                outcome=IntroductionRequest.Status.DECLINED,
            ),
            _("Recorded as declined and mailed: %(count)s requests"),
        )

    @admin.action(
        description=gettext_lazy("Export the selected requests (CSV)"), permissions=["view"]
    )
    def export_csv(self, request, queryset):
        rows = list(
            queryset.select_related(
                "post", "requester_group", "requester_partner", "coordinator"
            ).order_by("created_at", "pk")
        )
        if rows:
            audit_event_record(
                actor=request.user,
                action=AuditEvent.Action.EXPORT,
                target=rows[0],
                label=f"CSV: {len(rows)} {IntroductionRequest._meta.verbose_name_plural}",
                detail={"count": len(rows)},
                request=request,
            )
        columns = [
            (gettext_lazy("number"), lambda r: r.pk),
            (gettext_lazy("requested at"), lambda r: _datetime(r.created_at)),
            (gettext_lazy("post"), lambda r: r.post.title),
            (gettext_lazy("kind"), lambda r: r.post.get_kind_display()),
            (gettext_lazy("posted for"), lambda r: r.post.owner_name),
            (gettext_lazy("requested for"), lambda r: r.requester_side_name),
            (gettext_lazy("status"), lambda r: r.get_status_display()),
            (gettext_lazy("coordinator"), lambda r: r.coordinator or ""),
            (gettext_lazy("decided at"), lambda r: _datetime(r.decided_at)),
            (gettext_lazy("message"), lambda r: r.message),
            (gettext_lazy("message to both sides"), lambda r: r.outcome_note),
        ]
        language = translation.get_language() or "ja"

        def lines():
            # Streamed after the view returns: the labels and choices are read in the
            # language of the request that asked for the file.
            with translation.override(language):
                yield [str(label) for label, _value in columns]
                for row in rows:
                    yield [str(value(row)) for _label, value in columns]

        filename = f"hub-introductions-{timezone.localtime():%Y%m%d-%H%M}.csv"
        return csv_response(lines(), filename)

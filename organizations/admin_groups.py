"""Back office of group registration: review applications, members, documents, CSV.

Staff decide on the review page of each group (approve, reject with a reason, ask for
more); each decision is a service that mails the applicant. Approving several at once is
also an action on the list. Statuses change only through these services.
"""

import contextlib
import datetime
import itertools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from center.lib.spreadsheet import csv_response

from .forms_groups import ReviewNoteForm
from .models import ActivityField, Group, GroupDocument, GroupInvitation, GroupMembership
from .services_groups import group_approve, group_reject, group_request_info


class ValidityFilter(admin.SimpleListFilter):
    title = _("registration")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [
            ("current", _("valid")),
            ("lapsed", _("lapsed")),
            ("renewal_due", _("ends this fiscal year, not renewed")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current(today)
        if self.value() == "lapsed":
            return queryset.approved().filter(valid_until__lt=today)
        if self.value() == "renewal_due":
            from .services_groups import valid_until_for

            return queryset.current(today).filter(valid_until=valid_until_for(today))
        return queryset


@admin.register(ActivityField)
class ActivityFieldAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "name_en"]
    search_fields = ["name", "name_en"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at"]


class DocumentInline(admin.TabularInline):
    model = GroupDocument
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at", "download"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("download"))
    def download(self, document):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:organizations_groupdocument_download", args=[document.pk]),
            _("download"),
        )


class ReviewDecisionForm(ReviewNoteForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("needs_info", _("Ask for more information")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    field_order = ["decision", "review_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_note"].required = False
        self.fields["review_note"].help_text = _(
            "Required to reject or to ask for more; it is mailed to the applicant."
        )


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "ward",
        "status",
        "valid_until",
        "listed_publicly",
        "submitted_at",
    ]
    list_filter = [
        "status",
        ValidityFilter,
        "kind",
        "ward",
        "fields",
        "listed_publicly",
    ]
    search_fields = ["name", "name_kana", "representative_name", "contact_name", "contact_email"]
    list_select_related = ["ward"]
    date_hierarchy = "submitted_at"
    filter_horizontal = ["fields", "sdgs"]
    readonly_fields = [
        "review_link",
        "status",
        "review_note",
        "submitted_at",
        "approved_at",
        "valid_until",
        "renewal_reminded_for",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["review_link", "status", "review_note", "valid_until"]}),
        (
            _("Group"),
            {
                "fields": [
                    "name",
                    "name_kana",
                    "kind",
                    "representative_name",
                    "member_count",
                    "fields",
                    "sdgs",
                    "description",
                    "website",
                    "sns",
                    "listed_publicly",
                ]
            },
        ),
        (
            _("Contact (not public)"),
            {
                "fields": [
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "postal_code",
                    "address",
                    "ward",
                ]
            },
        ),
        (
            _("History"),
            {
                "fields": [
                    "submitted_at",
                    "approved_at",
                    "renewal_reminded_for",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [MembershipInline, DocumentInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["approve_selected", "export_csv"]

    def has_add_permission(self, request):
        # Applications come from the public form, by an account that becomes the admin.
        return False

    def save_model(self, request, obj, form, change):
        # Staff corrections show in the directory at once, and stay findable.
        from center.core.cache import public_cache_invalidate

        from .services_groups import group_search_text, normalize_postal_code

        # An unreadable code is kept as typed; staff see it on the change page.
        with contextlib.suppress(ValidationError):
            obj.postal_code = normalize_postal_code(obj.postal_code)
        obj.search_text = group_search_text(obj)
        super().save_model(request, obj, form, change)
        transaction.on_commit(public_cache_invalidate, robust=True)

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="organizations_group_review",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("review"))
    def review_link(self, group):
        if not group.pk:
            return "-"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:organizations_group_review", args=[group.pk]),
            _("Review this application"),
        )

    def review_view(self, request, pk: int):
        group = get_object_or_404(Group, pk=pk)
        if not self.has_change_permission(request, group):
            raise PermissionDenied
        form = ReviewDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decision = form.cleaned_data["decision"]
            note = form.cleaned_data["review_note"]
            try:
                if decision == "approve":
                    group_approve(group=group, actor=request.user)
                elif decision == "reject":
                    group_reject(group=group, actor=request.user, reason=note)
                else:
                    group_request_info(group=group, actor=request.user, message=note)
            except ValidationError as exc:
                form.add_error("review_note", exc.messages)
            else:
                self.message_user(
                    request,
                    _("Decision recorded and mailed to the applicant: %(name)s")
                    % {"name": group.name},
                    messages.SUCCESS,
                )
                return redirect("admin:organizations_group_change", group.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": group,
            "group": group,
            "form": form,
            "documents": group.documents.all(),
            "title": _("Review: %(name)s") % {"name": group.name},
        }
        return TemplateResponse(request, "organizations/groups/admin_review.html", context)

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        done = []
        for group in queryset.exclude(status=Group.Status.APPROVED):
            group_approve(group=group, actor=request.user)
            done.append(group.name)
        if done:
            self.message_user(
                request, _("Approved and mailed: %(names)s") % {"names": "、".join(done)}
            )
        else:
            self.message_user(request, _("Nothing to approve."), messages.WARNING)

    @admin.action(description=_("Export the selected groups (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        columns = [
            (_("group name"), lambda g: g.name),
            (_("group name in kana (ふりがな)"), lambda g: g.name_kana),
            (_("kind of group"), lambda g: g.get_kind_display()),
            (_("status"), lambda g: g.get_status_display()),
            (_("registration valid until"), lambda g: g.valid_until or ""),
            (_("representative"), lambda g: g.representative_name),
            (_("contact person"), lambda g: g.contact_name),
            (_("contact email"), lambda g: g.contact_email),
            (_("contact phone"), lambda g: g.contact_phone),
            (_("postal code"), lambda g: g.postal_code),
            (_("address"), lambda g: g.address),
            (_("ward"), lambda g: g.ward.name),
            (_("fields of activity"), lambda g: "、".join(f.name for f in g.fields.all())),
            (_("SDG goals"), lambda g: " ".join(str(s.number) for s in g.sdgs.all())),
            (_("number of members"), lambda g: g.member_count),
            (_("website"), lambda g: g.website),
            (_("show in the public directory"), lambda g: "1" if g.listed_publicly else "0"),
        ]
        queryset = queryset.select_related("ward").prefetch_related("fields", "sdgs")

        header = [str(label) for label, _value in columns]
        groups = queryset.order_by("name_kana", "pk").iterator(chunk_size=500)
        rows = ([value(group) for _label, value in columns] for group in groups)
        return csv_response(
            itertools.chain([header], rows), f"groups-{datetime.date.today():%Y%m%d}.csv"
        )


@admin.register(GroupDocument)
class GroupDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "group", "kind", "size", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "group__name"]
    list_select_related = ["group"]
    readonly_fields = [
        "group",
        "kind",
        "file",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [name for name in self.readonly_fields if name != "file"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="organizations_groupdocument_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int):
        from center.core.models import AuditEvent
        from center.core.services import audit_event_record
        from center.lib.files import private_file_response

        document = get_object_or_404(GroupDocument.objects.select_related("group"), pk=pk)
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.DOWNLOAD,
            target=document.group,
            detail={"document": document.pk},
            request=request,
        )
        return private_file_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "group__name"]
    list_select_related = ["user", "group"]
    autocomplete_fields = ["user", "group"]


@admin.register(GroupInvitation)
class GroupInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "group", "created_at", "accepted_at"]
    search_fields = ["email", "group__name"]
    list_select_related = ["group"]
    readonly_fields = ["group", "email", "invited_by", "created_at", "accepted_at", "accepted_by"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False

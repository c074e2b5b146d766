"""Triage of the consultation queue in the Django admin.

Who sees which case is decided once, in `selectors.consultations_visible_to`; every write
goes through `services`, so the timeline and the audit log stay complete. Attachments are
linked to the permission-checked download view, never to a media URL.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from center.accounts.roles import CENTER_STAFF, CITY_STAFF, COORDINATOR

from . import (
    admin_sessions,  # noqa: F401  (registers the 相談会 session and booking admins)
    selectors,
    services,
)
from .admin_actions import TriageActionsMixin
from .export import consultations_csv_rows, export_filename, user_may_export_personal_data
from .forms_admin import (
    ConsultationChangeForm,
    ConsultationIntakeForm,
    ReferToSessionForm,
    ReferToWardForm,
    ShareWithCityForm,
    TextForm,
)
from .models import Channel, Consultation


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Open, follow-up date passed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset


class QuarantineFilter(admin.SimpleListFilter):
    """Quarantined submissions stay out of the queue unless asked for."""

    title = _("quarantine")
    parameter_name = "quarantine"

    def lookups(self, request, model_admin):
        if not (request.user.is_superuser or request.user.has_role(CENTER_STAFF)):
            return []  # the selector never shows them quarantined cases: no filter to offer
        return [("only", _("Only quarantined")), ("all", _("All, quarantined included"))]

    def choices(self, changelist):
        # Replaces the usual "All": with no parameter, quarantined cases are left out.
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Not quarantined (default)"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "only":
            return queryset.filter(quarantined=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(quarantined=False)


@dataclass
class CasePanel:
    """One small form on the case page, posted to its own URL."""

    action: str
    title: str
    button: str
    url: str
    form: forms.Form | None = None
    help: str = ""


@admin.register(Consultation)
class ConsultationAdmin(TriageActionsMixin, admin.ModelAdmin):
    form = ConsultationChangeForm
    add_form = ConsultationIntakeForm
    change_form_template = "admin/consultations/consultation/change_form.html"
    change_list_template = "admin/consultations/consultation/change_list.html"

    list_display = [
        "reference",
        "received",
        "status",
        "topic",
        "ward",
        "requester_type",
        "channel",
        "assignee",
        "priority",
        "follow_up",
        "shared_with_city",
        "quarantined",
    ]
    list_filter = [
        "status",
        "topic",
        "ward",
        "requester_type",
        "channel",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        "shared_with_city",
        OverdueFilter,
        QuarantineFilter,
    ]
    list_select_related = ["assignee", "ward"]
    list_per_page = 50
    # A filtered list would otherwise count the whole table (50,000+ rows) a second time.
    show_full_result_count = False
    # Facet counts cost one COUNT per filter choice: too many queries on 50,000 cases.
    show_facets = admin.ShowFacets.NEVER
    search_fields = [
        "reference",
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "organization_name",
        "title",
        "body",
    ]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reference",
        "fiscal_year",
        "created_at",
        "privacy_notice_version",
        "sensitive_consent",
        "submitted_by",
        "language",
        "shared_with_city",
        "city_sharing_summary",
        "referred_ward",
        "referral_shares_contact",
        "quarantined",
        "quarantine_reason",
        "first_response_at",
        "last_activity_at",
        "closed_at",
        "anonymised_at",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "status", "priority", "assignee", "follow_up_due"]}),
        (
            _("Requester"),
            {
                "fields": [
                    "requester_type",
                    ("family_name", "given_name"),
                    ("family_name_kana", "given_name_kana"),
                    "organization_name",
                    "email",
                    "phone",
                    "preferred_contact",
                    "ward",
                    "language",
                    "submitted_by",
                ]
            },
        ),
        (_("Consultation"), {"fields": ["channel", "topic", "title", "body"]}),
        (
            _("Sharing and referral"),
            {
                "fields": [
                    "shared_with_city",
                    "city_sharing_summary",
                    "referred_ward",
                    "referral_shares_contact",
                ]
            },
        ),
        (
            _("Record"),
            {
                "fields": [
                    "fiscal_year",
                    "created_at",
                    "first_response_at",
                    "last_activity_at",
                    "closed_at",
                    "privacy_notice_version",
                    "sensitive_consent",
                    "quarantined",
                    "quarantine_reason",
                    "anonymised_at",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (None, {"fields": ["channel", "language"]}),
        (
            _("Requester"),
            {
                "fields": [
                    "requester_type",
                    ("family_name", "given_name"),
                    ("family_name_kana", "given_name_kana"),
                    "organization_name",
                    "email",
                    "phone",
                    "preferred_contact",
                    "ward",
                ]
            },
        ),
        (_("Consultation"), {"fields": ["topic", "title", "body", "sensitive_consent"]}),
        (_("Triage"), {"fields": ["priority", "assignee", "follow_up_due"]}),
    ]
    actions = [
        "assign_to_me",
        "change_status",
        "share_with_city",
        "refer_to_ward",
        "refer_to_session",
        "release_from_quarantine",
        "export_csv",
    ]

    # Reading -------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = selectors.consultations_visible_to(user=request.user).select_related(
            "assignee", "ward", "referred_ward"
        )
        ordering = self.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return queryset

    def has_delete_permission(self, request, obj=None):
        # Cases are never deleted by hand: retention anonymises them and keeps the statistics.
        return False

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, obj: Consultation):
        return timezone.localdate(obj.created_at)

    @admin.display(description=_("follow-up due"), ordering="follow_up_due")
    def follow_up(self, obj: Consultation):
        if obj.follow_up_due is None:
            return self.get_empty_value_display()
        due = formats.date_format(obj.follow_up_due)
        if obj.is_open and obj.follow_up_due < timezone.localdate():
            return format_html(
                '<strong class="overdue"><img src="{}" alt="{}"> {}</strong>',
                static("admin/img/icon-alert.svg"),
                gettext("Overdue"),
                due,
            )
        return due

    @admin.display(description=_("sharing with the city"))
    def city_sharing_summary(self, obj: Consultation):
        sharing = getattr(obj, "city_sharing", None) if obj.shared_with_city else None
        if sharing is None:
            return self.get_empty_value_display()
        return gettext("%(who)s, %(when)s: %(basis)s") % {
            "who": sharing.shared_by or "-",
            "when": formats.date_format(timezone.localtime(sharing.shared_at), "DATETIME_FORMAT"),
            "basis": sharing.basis,
        }

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.anonymised_at is not None:
            # Past retention: nothing left to edit, and blank fields must stay blank.
            return list(flatten_fieldsets(self.fieldsets))
        readonly = list(self.readonly_fields)
        if obj.channel in (Channel.WEB, Channel.SESSION):
            # The door a case came through is a fact, not a triage choice.
            readonly.append("channel")
        return readonly

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, groups__name__in=[CENTER_STAFF, COORDINATOR])
                .distinct()
                .order_by("name", "email")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "assignee" and formfield is not None:
            # No "add user" or "edit user" shortcuts next to the assignee on a case page.
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = widget.can_view_related = False
        return formfield

    def change_view(self, request, object_id, form_url="", extra_context=None):
        consultation = self.get_object(request, unquote(object_id))
        if consultation is not None and self.has_view_or_change_permission(request, consultation):
            if request.method == "GET":
                services.consultation_record_view(
                    consultation=consultation, actor=request.user, request=request
                )
            extra_context = {
                **(extra_context or {}),
                **self._case_page_context(request, consultation),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        params = request.GET.copy()
        for ignored in ("p", "e", "_popup", "_to_field"):
            params.pop(ignored, None)
        export_url = reverse("admin:consultations_consultation_export")
        if params:
            export_url += "?" + params.urlencode()
        extra_context = {**(extra_context or {}), "export_url": export_url}
        return super().changelist_view(request, extra_context)

    # Writing: the case form and staff intake ----------------------------------------

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # Staff intake: the service allocates the reference and mails a receipt when
        # there is an address.
        data = form.cleaned_data
        consultation = services.consultation_submit(
            fields=form.consultation_fields(),
            channel=data["channel"],
            language=data["language"],
            entered_by=request.user,
        )
        if data.get("assignee"):
            services.consultation_assign(
                consultation=consultation, assignee=data["assignee"], actor=request.user
            )
        return consultation

    def save_model(self, request, obj, form, change):
        if not change:
            return  # saved by consultation_submit in save_form
        changed = set(form.changed_data)
        services.consultation_update(
            consultation=obj,
            actor=request.user,
            changes={name: form.cleaned_data[name] for name in changed & services.EDITABLE_FIELDS},
            request=request,
        )
        try:
            if "assignee" in changed:
                services.consultation_assign(
                    consultation=obj, assignee=form.cleaned_data["assignee"], actor=request.user
                )
            if "status" in changed:
                services.consultation_change_status(
                    consultation=obj, status=form.cleaned_data["status"], actor=request.user
                )
        except ValidationError as exc:
            # The form already checked; this is a race with another person's change.
            messages.error(request, " ".join(exc.messages))

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    # The case page: timeline, attachments, small forms --------------------------------

    def _may(self, request, action: str, consultation: Consultation) -> bool:
        user = request.user
        if action in ("note", "reply"):
            return user.has_perm("consultations.add_caseevent")
        if action == "share":
            return user.has_perm("consultations.add_citysharing")
        if action == "city_comment":
            return consultation.shared_with_city and (
                user.is_superuser or user.has_role(CITY_STAFF, CENTER_STAFF)
            )
        if action == "release":
            return consultation.quarantined and self.has_change_permission(request, consultation)
        if action in ("refer_ward", "refer_session"):
            return self.has_change_permission(request, consultation)
        return False

    def _case_form(self, action: str, data=None) -> forms.Form | None:
        if action == "note":
            return TextForm(
                data,
                prefix="note",
                label=_("Internal note"),
                help_text=_("Never shown to the requester."),
            )
        if action == "reply":
            return TextForm(
                data,
                prefix="reply",
                label=_("Reply to the requester"),
                help_text=_("Shown on the tracking page and mailed if there is an address."),
            )
        if action == "city_comment":
            return TextForm(data, prefix="city", label=_("Comment from the city"))
        if action == "share":
            return ShareWithCityForm(data, prefix="share")
        if action == "refer_ward":
            return ReferToWardForm(data, prefix="ward")
        if action == "refer_session":
            return ReferToSessionForm(data, prefix="session")
        return None  # release: a button

    PANEL_TITLES = {
        "note": (_("Add an internal note"), _("Add note")),
        "reply": (_("Reply to the requester"), _("Send reply")),
        "city_comment": (_("Comment from the city"), _("Add comment")),
        "share": (_("Share with the city"), _("Share")),
        "refer_ward": (_("Refer to a ward center"), _("Refer")),
        "refer_session": (_("Refer to a consultation session"), _("Refer")),
        "release": (_("Release from quarantine"), _("Release: it is genuine")),
    }

    def _case_page_context(self, request, consultation: Consultation) -> dict:
        panels = []
        for action, (title, button) in self.PANEL_TITLES.items():
            if not self._may(request, action, consultation):
                continue
            panels.append(
                CasePanel(
                    action=action,
                    title=title,
                    button=button,
                    url=reverse(
                        "admin:consultations_consultation_case_action",
                        args=[consultation.pk, action],
                    ),
                    form=self._case_form(action),
                )
            )
        return {
            "timeline": consultation.events.select_related("author"),
            "attachments": consultation.attachments.all(),
            "case_panels": panels,
        }

    def case_action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        consultation = self.get_object(request, unquote(object_id))
        if consultation is None:
            raise Http404
        if action not in self.PANEL_TITLES or not self._may(request, action, consultation):
            raise PermissionDenied
        form = self._case_form(action, data=request.POST)
        if form is not None and not form.is_valid():
            errors = [error for field_errors in form.errors.values() for error in field_errors]
            messages.error(request, " ".join(errors))
        else:
            try:
                message = self._do_case_action(request, action, consultation, form)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, message)
        url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
        return redirect(f"{url}#case-work")

    def _do_case_action(self, request, action, consultation, form) -> str:
        actor = request.user
        data = form.cleaned_data if form is not None else {}
        if action == "note":
            services.consultation_add_note(
                consultation=consultation, actor=actor, text=data["text"]
            )
            return gettext("The note was added.")
        if action == "reply":
            services.consultation_reply(consultation=consultation, actor=actor, text=data["text"])
            if consultation.email:
                return gettext("The reply was saved and will be mailed to the requester.")
            return gettext("The reply was saved. There is no email address: contact by phone.")
        if action == "city_comment":
            services.consultation_add_city_comment(
                consultation=consultation, actor=actor, text=data["text"]
            )
            return gettext("The comment was added.")
        if action == "share":
            services.consultation_share_with_city(
                consultation=consultation, actor=actor, basis=data["basis"]
            )
            return gettext("The case is now shared with the city.")
        if action == "refer_ward":
            services.consultation_refer_to_ward(
                consultation=consultation,
                actor=actor,
                ward=data["ward"],
                shares_contact=data["shares_contact"],
                note=data["note"],
            )
            return gettext("The case was referred to %(ward)s.") % {"ward": data["ward"]}
        if action == "refer_session":
            services.consultation_refer_to_session(
                consultation=consultation, actor=actor, session=data["session"], note=data["note"]
            )
            return gettext("The case was referred to %(session)s.") % {"session": data["session"]}
        if action == "release":
            services.consultation_release(consultation=consultation, actor=actor)
            return gettext("The case was released from quarantine and joins the queue.")
        raise PermissionDenied

    # URLs: CSV export of the filtered list, and the case page's small forms -----------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "export/",
                wrap(self.export_view),
                name="consultations_consultation_export",
            ),
            path(
                "<path:object_id>/case/<str:action>/",
                wrap(self.case_action_view),
                name="consultations_consultation_case_action",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The changelist's current filters and search, as CSV."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect(reverse("admin:consultations_consultation_changelist") + "?e=1")
        return self._csv_response(request, changelist.get_queryset(request))

    def _csv_response(self, request, queryset) -> StreamingHttpResponse:
        personal_data = user_may_export_personal_data(request.user)
        services.consultations_record_export(
            actor=request.user,
            count=queryset.count(),
            personal_data=personal_data,
            query=request.GET.urlencode(),
            request=request,
        )
        response = StreamingHttpResponse(
            consultations_csv_rows(
                queryset=queryset,
                personal_data=personal_data,
                language=translation.get_language() or "ja",
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
        response["Cache-Control"] = "private, no-store"
        return response

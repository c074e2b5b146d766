"""The 協働人材バンク talent bank in the back office.

Consent and publication are never edited as fields: they change only through the actions
and the buttons on a profile's page, which call the services in `services.talent` (so a
withdrawal always unpublishes, and nothing is published without recorded consent). Every
other change drops the public page cache once it commits.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from center.core.templatetags.center import jdate
from center.lib.text import markdown_preview

from .forms_talent import TalentProfileAdminForm
from .models import Expertise, TalentContactRequest, TalentProfile
from .services import talent as services

# Buttons on the profile page: POST value → (label, service).
PROFILE_ACTION_FIELD = "_talent_action"
PROFILE_ACTIONS = {
    "record_consent": (_("Record consent"), services.talent_record_consent),
    "withdraw_consent": (_("Withdraw consent (unpublishes)"), services.talent_withdraw_consent),
    "publish": (_("Publish"), services.talent_publish),
    "unpublish": (_("Unpublish"), services.talent_unpublish),
}
HANDLED_FIELD = "_mark_handled"


def _available_actions(profile: TalentProfile) -> list[str]:
    consent = services.has_consent(profile)
    names = ["withdraw_consent"] if consent else ["record_consent"]
    if profile.is_published:
        names.append("unpublish")
    elif consent:
        names.append("publish")
    if profile.is_published and not consent and "withdraw_consent" not in names:
        # Published without consent (set in the database by hand): offer the way back.
        names.insert(0, "withdraw_consent")
    return names


def _report(modeladmin, request, *, done: list[str], refused: list[str], done_message) -> None:
    if done:
        modeladmin.message_user(
            request, done_message % {"names": ", ".join(done)}, messages.SUCCESS
        )
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d profile was not changed: %(details)s",
                "%(count)d profiles were not changed: %(details)s",
                len(refused),
            )
            % {"count": len(refused), "details": " / ".join(refused)},
            messages.WARNING,
        )


class ConsentFilter(admin.SimpleListFilter):
    title = _("consent")
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return [
            ("given", _("Given")),
            ("withdrawn", _("Withdrawn")),
            ("none", _("Not recorded")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "given":
            return queryset.filter(
                consent_given_at__isnull=False, consent_withdrawn_at__isnull=True
            )
        if self.value() == "withdrawn":
            return queryset.filter(consent_withdrawn_at__isnull=False)
        if self.value() == "none":
            return queryset.filter(consent_given_at__isnull=True, consent_withdrawn_at__isnull=True)
        return queryset


@admin.register(TalentProfile)
class TalentProfileAdmin(admin.ModelAdmin):
    form = TalentProfileAdminForm
    # The Save buttons come first in the form, so Enter in a text field saves, as usual,
    # instead of pressing the first consent or publication button.
    save_on_top = True
    list_display = ["name", "name_kana", "affiliation", "is_published", "consent_status"]
    list_filter = ["is_published", ConsentFilter, "expertise", "wards"]
    search_fields = ["name", "name_kana", "affiliation"]
    filter_horizontal = ["expertise", "wards"]
    actions = ["record_consent", "withdraw_consent", "publish", "unpublish"]
    readonly_fields = [
        "activities_preview",
        "is_published",
        "consent_status",
        "consent_given_at",
        "consent_recorded_by",
        "consent_withdrawn_at",
        "updated_at",
    ]

    def get_fieldsets(self, request, obj=None):
        publication = [
            "is_published",
            "consent_status",
            "consent_given_at",
            "consent_recorded_by",
            "consent_withdrawn_at",
            "updated_at",
        ]
        if obj is not None and self.has_change_permission(request, obj):
            publication.insert(0, "publication_controls")
        return [
            (None, {"fields": ["name", "name_kana", "affiliation", "email"]}),
            (_("Photo"), {"fields": ["photo", "photo_alt"]}),
            (
                _("Profile"),
                {
                    "fields": [
                        "expertise",
                        "wards",
                        "activities",
                        "activities_preview",
                        "languages",
                    ]
                },
            ),
            (
                _("Consent and publication"),
                {
                    "fields": publication,
                    "description": _(
                        "The profile is public only while it is published and the person's "
                        "consent is recorded. Withdrawing consent unpublishes it at once. "
                        "The buttons also save your other changes on this page."
                    ),
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            fields.insert(0, "publication_controls")
        return fields

    @admin.display(description=_("preview of the activities"))
    def activities_preview(self, obj: TalentProfile):
        return markdown_preview(obj.activities if obj is not None else "")

    @admin.display(description=_("consent"))
    def consent_status(self, obj: TalentProfile) -> str:
        if obj.consent_withdrawn_at:
            return gettext("Withdrawn on %(date)s") % {"date": jdate(obj.consent_withdrawn_at)}
        if obj.consent_given_at:
            return gettext("Given on %(date)s") % {"date": jdate(obj.consent_given_at)}
        return gettext("Not recorded")

    @admin.display(description=_("change consent or publication"))
    def publication_controls(self, obj: TalentProfile):
        return format_html_join(
            " ",
            '<button type="submit" class="button" name="{}" value="{}">{}</button>',
            (
                (PROFILE_ACTION_FIELD, name, PROFILE_ACTIONS[name][0])
                for name in _available_actions(obj)
            ),
        )

    def response_change(self, request, obj):
        name = request.POST.get(PROFILE_ACTION_FIELD)
        if name not in PROFILE_ACTIONS:
            return super().response_change(request, obj)
        label, service = PROFILE_ACTIONS[name]
        try:
            service(profile=obj, actor=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("%(action)s: done for %(name)s.") % {"action": label, "name": obj.name},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(request.path)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.talent_profile_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.talent_profile_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.talent_profile_changed()

    def _each(self, request, queryset, service, done_message) -> None:
        done, refused = [], []
        for profile in queryset:
            try:
                service(profile=profile, actor=request.user)
            except ValidationError as exc:
                refused.append(f"{profile.name}: {' '.join(exc.messages)}")
            else:
                done.append(profile.name)
        _report(self, request, done=done, refused=refused, done_message=done_message)

    @admin.action(description=_("Record consent to publication"), permissions=["change"])
    def record_consent(self, request, queryset):
        self._each(
            request,
            queryset,
            services.talent_record_consent,
            gettext("Consent recorded: %(names)s"),
        )

    @admin.action(description=_("Withdraw consent (unpublishes)"), permissions=["change"])
    def withdraw_consent(self, request, queryset):
        self._each(
            request,
            queryset,
            services.talent_withdraw_consent,
            gettext("Consent withdrawn and unpublished: %(names)s"),
        )

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.talent_publish, gettext("Published: %(names)s"))

    @admin.action(description=_("Unpublish"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._each(request, queryset, services.talent_unpublish, gettext("Unpublished: %(names)s"))


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en"]

    # Names of fields of expertise show on the public list and profiles.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.talent_profile_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.talent_profile_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.talent_profile_changed()


class HandledFilter(admin.SimpleListFilter):
    title = _("handled")
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", _("Not yet handled")), ("yes", _("Handled"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(handled_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(handled_at__isnull=False)
        return queryset


@admin.register(TalentContactRequest)
class TalentContactRequestAdmin(admin.ModelAdmin):
    """Messages from the public form. Read-only: staff read them, pass them on to the
    coordinator and mark them handled."""

    save_on_top = True
    list_display = ["created_at", "profile", "name", "organization", "email", "is_handled"]
    list_filter = [HandledFilter, ("profile", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["profile"]
    search_fields = ["name", "email", "organization", "message", "profile__name"]
    date_hierarchy = "created_at"
    actions = ["mark_handled"]
    fields = [
        "profile",
        "coordinator_email",
        "name",
        "email",
        "organization",
        "message",
        "created_at",
        "handled_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # requests come from the public form only

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and obj.handled_at is None and self.has_change_permission(request, obj):
            fields.append("handled_controls")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("handled"), boolean=True)
    def is_handled(self, obj: TalentContactRequest) -> bool:
        return obj.handled_at is not None

    @admin.display(description=_("coordinator's email address (for staff)"))
    def coordinator_email(self, obj: TalentContactRequest) -> str:
        return obj.profile.email or "-"

    @admin.display(description=_("passed on?"))
    def handled_controls(self, obj: TalentContactRequest):
        return format_html(
            '<button type="submit" class="button" name="{}" value="1">{}</button>',
            HANDLED_FIELD,
            gettext("Mark as handled"),
        )

    def response_change(self, request, obj):
        if HANDLED_FIELD not in request.POST:
            return super().response_change(request, obj)
        services.talent_contact_request_mark_handled(contact_request=obj, actor=request.user)
        self.message_user(request, gettext("Marked as handled."), messages.SUCCESS)
        return HttpResponseRedirect(request.path)

    @admin.action(description=_("Mark as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = 0
        for contact_request in queryset.filter(handled_at__isnull=True):
            services.talent_contact_request_mark_handled(
                contact_request=contact_request, actor=request.user
            )
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d request marked as handled.",
                "%(count)d requests marked as handled.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

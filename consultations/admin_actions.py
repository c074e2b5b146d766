"""Changelist actions of the triage admin: each calls a service for every selected case and
reports the ones it refused, never a 500."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .forms_admin import ChangeStatusForm, ReferToSessionForm, ReferToWardForm, ShareWithCityForm
from .models import Status

ACTION_TEMPLATE = "admin/consultations/consultation/action_form.html"


class TriageActionsMixin:
    """Mixed into ConsultationAdmin; `actions` there lists these by name."""

    def has_share_permission(self, request):
        return request.user.has_perm("consultations.add_citysharing")

    def _each(self, request, queryset, do, done_message: str, **params) -> None:
        """Run `do` on every case; report the ones the services refused, never a 500."""
        done, refused = [], []
        for consultation in queryset:
            try:
                do(consultation)
            except ValidationError as exc:
                refused.append(f"{consultation.reference}: {' '.join(exc.messages)}")
            else:
                done.append(consultation.reference)
        if done:
            messages.success(
                request,
                done_message % {**params, "references": ", ".join(done)},
            )
        if refused:
            messages.warning(
                request,
                ngettext(
                    "%(count)d case was not changed: %(details)s",
                    "%(count)d cases were not changed: %(details)s",
                    len(refused),
                )
                % {"count": len(refused), "details": " / ".join(refused)},
            )

    def _form_action(self, request, queryset, *, action: str, form, title, intro=""):
        """An action with an intermediate page; the form is bound once the page posts back."""
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "form": form,
            "count": queryset.count(),
            # "Select all N" posts no ids: keep the flag rather than thousands of fields.
            "select_across": request.POST.get("select_across") == "1",
            "preview": queryset[:50],
            "queryset": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, ACTION_TEMPLATE, context)

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda case: services.consultation_assign(
                consultation=case, assignee=request.user, actor=request.user
            ),
            gettext("Assigned to you: %(references)s"),
        )

    @admin.action(description=_("Change the status"), permissions=["change"])
    def change_status(self, request, queryset):
        form = ChangeStatusForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._form_action(
                request,
                queryset,
                action="change_status",
                form=form,
                title=gettext("Change the status"),
                intro=gettext("Cases whose status cannot move this way are left as they are."),
            )
        status, note = form.cleaned_data["status"], form.cleaned_data["note"]
        self._each(
            request,
            queryset,
            lambda case: services.consultation_change_status(
                consultation=case, status=status, actor=request.user, note=note
            ),
            gettext("Status changed to “%(status)s”: %(references)s"),
            status=Status(status).label,
        )
        return None

    @admin.action(description=_("Share with the city"), permissions=["share"])
    def share_with_city(self, request, queryset):
        form = ShareWithCityForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._form_action(
                request,
                queryset,
                action="share_with_city",
                form=form,
                title=gettext("Share with the city"),
                intro=gettext(
                    "The city's Citizen Collaboration Promotion Division will see these cases, "
                    "including contact details. Who shared, when and why is recorded."
                ),
            )
        basis = form.cleaned_data["basis"]
        self._each(
            request,
            queryset,
            lambda case: services.consultation_share_with_city(
                consultation=case, actor=request.user, basis=basis
            ),
            gettext("Shared with the city: %(references)s"),
        )
        return None

    @admin.action(description=_("Refer to a ward center"), permissions=["change"])
    def refer_to_ward(self, request, queryset):
        form = ReferToWardForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._form_action(
                request,
                queryset,
                action="refer_to_ward",
                form=form,
                title=gettext("Refer to a ward center"),
            )
        data = form.cleaned_data
        self._each(
            request,
            queryset,
            lambda case: services.consultation_refer_to_ward(
                consultation=case,
                actor=request.user,
                ward=data["ward"],
                shares_contact=data["shares_contact"],
                note=data["note"],
            ),
            gettext("Referred to %(ward)s: %(references)s"),
            ward=data["ward"],
        )
        return None

    @admin.action(description=_("Refer to a consultation session"), permissions=["change"])
    def refer_to_session(self, request, queryset):
        form = ReferToSessionForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._form_action(
                request,
                queryset,
                action="refer_to_session",
                form=form,
                title=gettext("Refer to a consultation session"),
                intro=gettext("Booking a time slot is a separate step."),
            )
        data = form.cleaned_data
        self._each(
            request,
            queryset,
            lambda case: services.consultation_refer_to_session(
                consultation=case, actor=request.user, session=data["session"], note=data["note"]
            ),
            gettext("Referred to %(session)s: %(references)s"),
            session=data["session"],
        )
        return None

    @admin.action(description=_("Release from quarantine"), permissions=["change"])
    def release_from_quarantine(self, request, queryset):
        self._each(
            request,
            queryset.filter(quarantined=True),
            lambda case: services.consultation_release(consultation=case, actor=request.user),
            gettext("Released from quarantine: %(references)s"),
        )

    @admin.action(description=_("Export the selected cases (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv_response(request, queryset)

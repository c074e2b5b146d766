"""Forms of the triage admin: the case form, staff intake, and the small forms on the case page
and the action pages. Validation only; the admin calls the services."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from center.core.models import Ward

from .models import (
    ALLOWED_TRANSITIONS,
    REQUESTER_FIELDS,
    SUBJECT_FIELDS,
    Channel,
    Consultation,
    ConsultationSession,
    ContactPreference,
    Status,
)

# The doors staff enter cases through. Web cases come from the public form, session cases
# from a booking; neither is typed in by hand.
STAFF_CHANNELS = [
    (value, label)
    for value, label in Channel.choices
    if value not in (Channel.WEB, Channel.SESSION)
]


class TransitionSelect(forms.Select):
    """A status select whose disallowed options are shown but disabled."""

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if self.allowed is not None and value and str(value) not in self.allowed:
            option["attrs"]["disabled"] = True
        return option


def _check_contact(cleaned: dict, form: forms.Form) -> None:
    preferred = cleaned.get("preferred_contact")
    if preferred == ContactPreference.EMAIL and not cleaned.get("email"):
        form.add_error(
            "preferred_contact",
            _("No email address was given: choose phone, or add the address."),
        )
    if preferred == ContactPreference.PHONE and not cleaned.get("phone"):
        form.add_error(
            "preferred_contact",
            _("No phone number was given: choose email, or add the number."),
        )


class ConsultationChangeForm(forms.ModelForm):
    """The case page. A status may only move along ALLOWED_TRANSITIONS; the admin then saves it
    through the status service, so the timeline records who moved it."""

    class Meta:
        model = Consultation
        fields = [
            "status",
            "priority",
            "assignee",
            "follow_up_due",
            *REQUESTER_FIELDS,
            "channel",
            *SUBJECT_FIELDS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields and self.instance.pk:
            current = self.instance.status
            allowed = {current, *ALLOWED_TRANSITIONS[current]}
            self.fields["status"].widget = TransitionSelect(
                choices=self.fields["status"].choices, allowed={str(s) for s in allowed}
            )
            self.fields["status"].help_text = _("Only the steps the workflow allows can be chosen.")
        if "channel" in self.fields:
            self.fields["channel"].choices = STAFF_CHANNELS

    def clean_status(self):
        status = self.cleaned_data["status"]
        current = self.instance
        if current.pk and status != current.status and not current.can_move_to(status):
            raise forms.ValidationError(
                _("A case cannot go from “%(from)s” to “%(to)s”."),
                code="transition",
                params={"from": current.get_status_display(), "to": Status(status).label},
            )
        return status

    def clean(self):
        cleaned = super().clean()
        if "preferred_contact" in self.fields:
            _check_contact(cleaned, self)
        return cleaned


class ConsultationIntakeForm(forms.ModelForm):
    """Staff type in a consultation that came by phone, at the counter, by FAX or email.

    Email is optional: many callers have none, and then no receipt is mailed.
    """

    channel = forms.ChoiceField(label=_("channel"), choices=STAFF_CHANNELS)
    language = forms.ChoiceField(
        label=_("language for mail"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    class Meta:
        model = Consultation
        fields = [
            "channel",
            "requester_type",
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "organization_name",
            "email",
            "phone",
            "preferred_contact",
            "ward",
            "language",
            "topic",
            "title",
            "body",
            "sensitive_consent",
            "priority",
            "follow_up_due",
            "assignee",
        ]
        help_texts = {
            "email": _("Optional. A receipt with the tracking link is mailed only if given."),
            "sensitive_consent": _(
                "Tick only if the requester agreed (orally or in writing) to the handling of "
                "sensitive personal information."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_contact"].initial = ContactPreference.PHONE

    def clean(self):
        cleaned = super().clean()
        _check_contact(cleaned, self)
        return cleaned

    def consultation_fields(self) -> dict:
        """The model fields for consultation_submit (channel, language and assignee go apart)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("channel", "language", "assignee")
        }


class TextForm(forms.Form):
    """One text box: internal note, public reply, city comment."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        self.fields["text"].help_text = help_text


class ShareWithCityForm(forms.Form):
    basis = forms.CharField(
        label=_("basis for sharing"),
        max_length=300,
        help_text=_("Why the city's Citizen Collaboration Promotion Division needs this case."),
    )


class ReferToWardForm(forms.Form):
    ward = forms.ModelChoiceField(label=_("ward center"), queryset=Ward.objects.all())
    shares_contact = forms.BooleanField(
        label=_("ward center may see contact details"),
        required=False,
        help_text=_("Only with the requester's agreement. Attachments follow the same rule."),
    )
    note = forms.CharField(
        label=_("note for the ward center"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReferToSessionForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("consultation session"), queryset=ConsultationSession.objects.none()
    )
    note = forms.CharField(
        label=_("referral note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = ConsultationSession.objects.filter(
            date__gte=timezone.localdate()
        )


class ChangeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=Status.choices)
    note = forms.CharField(
        label=_("message with the status change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Shown to the requester on the tracking page."),
    )

"""The public booking form of a 相談会 time slot. Validation only; `slot_book` does the rest.

Fields are rendered one by one with `as_crispy_field` under the house error summary
(`_form_error_summary.html`), as in templates/allauth/elements/fields.html: a FormHelper
layout would add crispy's own alert and repeat every non-field error the summary lists.
"""

import re
import unicodedata

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ConsultationSession, RequesterType, Topic

# C0/C1 control characters (tabs and newlines allowed in the free text only) and the
# bidirectional overrides that can make a name read differently in the back office.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{5,28}$")


def _reject_control_characters(value: str, *, multiline: bool = False) -> str:
    pattern = _CONTROL if multiline else _CONTROL_ONE_LINE
    if pattern.search(value or ""):
        raise forms.ValidationError(
            _("Please remove invisible control characters."), code="control_characters"
        )
    return value


class _TextField(forms.CharField):
    """One line of text without control characters."""

    def clean(self, value):
        return _reject_control_characters(super().clean(value))


class _WidthNormalisedField(_TextField):
    """Full-width digits and letters, half-width katakana: folded (NFKC) before validating."""

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFKC", value) if value else value


class _EmailField(forms.EmailField):
    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFKC", value).strip() if value else value


class SlotBookingForm(forms.Form):
    family_name = _TextField(
        label=_("Family name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    given_name = _TextField(
        label=_("Given name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    family_name_kana = _WidthNormalisedField(
        label=_("Family name (furigana)"), max_length=50, required=False
    )
    given_name_kana = _WidthNormalisedField(
        label=_("Given name (furigana)"), max_length=50, required=False
    )
    organization_name = _TextField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("If you are asking on behalf of a group."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = _EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send the confirmation and the cancel link to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = _WidthNormalisedField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    requester_type = forms.ChoiceField(
        label=_("You are"), choices=[("", "---------"), *RequesterType.choices]
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "---------"), *Topic.choices])
    body = forms.CharField(
        label=_("What would you like to discuss?"),
        max_length=2000,
        help_text=_("A few lines are enough; the advisor reads them before the session."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree to the handling of my personal information described above.")
    )

    def __init__(self, *args, session: ConsultationSession | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The 士業相談会 is about running an organisation (tax, labour): say so up front.
        if session is not None and session.kind == ConsultationSession.Kind.PROFESSIONAL:
            self.fields["topic"].initial = Topic.MANAGEMENT
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("core:privacy"), _("Read the privacy policy")
        )

    def clean_body(self):
        return _reject_control_characters(self.cleaned_data["body"], multiline=True)

    def _clean_kana(self, name: str) -> str:
        value = self.cleaned_data[name]
        if value and not _KANA.match(value):
            raise forms.ValidationError(_("Please write the furigana in kana."), code="kana")
        return value

    def clean_family_name_kana(self):
        return self._clean_kana("family_name_kana")

    def clean_given_name_kana(self):
        return self._clean_kana("given_name_kana")

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Please enter a phone number with digits and hyphens only."), code="phone"
            )
        return phone

    def booking_fields(self) -> dict:
        """The keyword arguments of `slot_book` that come from the visitor."""
        data = dict(self.cleaned_data)
        data.pop("privacy_consent")
        return data

"""The public application forms: a booth at the symposium or the festival, and the student
internship. Validation only; the services in `services_applications` store and mail.

Rendered field by field with `as_crispy_field` under `_form_error_summary.html`, like the
registration form, whose field helpers (width folding, kana and phone checks) they share.
"""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from center.lib.forms import PlainTextField

from .forms import _KANA, _PHONE, _EmailField, _WidthNormalisedField

LONG_TEXT = 2000


def _long_text(label, *, required: bool = True, help_text: str = "", rows: int = 4):
    return PlainTextField(
        label=label,
        multiline=True,
        max_length=LONG_TEXT,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _ApplicationForm(forms.Form):
    """Consent and the honeypot, shared by both forms."""

    privacy_consent = forms.BooleanField(
        label=_("I agree to the handling of my personal information described above."),
        error_messages={
            "required": _("Please agree to the handling of your personal information.")
        },
    )
    # A honeypot: never shown as an error (the view answers as usual and stores nothing).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"}),
    )

    # The fields passed on to the service, in order.
    service_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("core:privacy"), _("Read the privacy policy")
        )

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Please enter a phone number with digits and hyphens only."), code="phone"
            )
        return phone

    def is_spam(self) -> bool:
        return bool(str(self.cleaned_data.get("website") or "").strip())

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.service_fields}


class ExhibitorApplicationForm(_ApplicationForm):
    group_name = PlainTextField(
        label=_("Group name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = PlainTextField(
        label=_("Contact person"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = _EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send the receipt and our decision to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = _WidthNormalisedField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    activity = _long_text(_("What your group does"))
    booth_needs = _long_text(
        _("What the booth needs (optional)"),
        required=False,
        help_text=_("Tables, chairs, power, wall space, a spot near the entrance..."),
        rows=3,
    )
    materials = _long_text(
        _("What the booth will show (optional)"),
        required=False,
        help_text=_("Panels, leaflets, goods for sale, a hands-on corner..."),
        rows=3,
    )

    service_fields = (
        "group_name",
        "contact_name",
        "email",
        "phone",
        "activity",
        "booth_needs",
        "materials",
    )


class InternshipApplicationForm(_ApplicationForm):
    family_name = PlainTextField(
        label=_("Family name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    given_name = PlainTextField(
        label=_("Given name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    family_name_kana = _WidthNormalisedField(label=_("Family name (furigana)"), max_length=50)
    given_name_kana = _WidthNormalisedField(label=_("Given name (furigana)"), max_length=50)
    email = _EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send the receipt and the result of the review to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = _WidthNormalisedField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    university = PlainTextField(label=_("University"), max_length=200)
    faculty = PlainTextField(
        label=_("Faculty or department (optional)"), max_length=200, required=False
    )
    year = forms.TypedChoiceField(
        label=_("Year of study"),
        coerce=int,
        choices=[("", "---------")] + [(year, str(year)) for year in range(1, 7)],
        help_text=_("Graduate students: 5 for the first year of a master's, 6 for the second."),
    )
    interests = _long_text(
        _("What you are interested in"),
        help_text=_("Themes, kinds of groups or projects you would like to work with."),
    )
    availability = _long_text(
        _("When you are available"),
        help_text=_("Days of the week, periods (for example the summer holidays), hours."),
        rows=3,
    )

    service_fields = (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "email",
        "phone",
        "university",
        "faculty",
        "year",
        "interests",
        "availability",
    )

    def _clean_kana(self, name: str) -> str:
        value = self.cleaned_data[name]
        if value and not _KANA.match(value):
            raise forms.ValidationError(_("Please write the furigana in kana."), code="kana")
        return value

    def clean_family_name_kana(self):
        return self._clean_kana("family_name_kana")

    def clean_given_name_kana(self):
        return self._clean_kana("given_name_kana")

"""The public registration form of an event. Validation only; `registration_create` does
the rest (capacity, window, duplicates, and the answers again, against the database).

Fields are rendered one by one with `as_crispy_field` under the house error summary
(`_form_error_summary.html`), as the consultation booking form is. The event's own
questions become fields named `q_<question id>`; only those are read back, so a forged
question id in the POST never reaches the service from here.
"""

import re
import unicodedata

from django import forms
from django.core.validators import MaxValueValidator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from center.core.models import Ward
from center.lib.forms import PlainTextField

from .models import Event, Question, Registration
from .services import MAX_ANSWER_LENGTH

_KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{5,28}$")
QUESTION_PREFIX = "q_"


class _WidthNormalisedField(PlainTextField):
    """Full-width digits and letters, half-width katakana: folded (NFKC) before validating."""

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFKC", value) if value else value


class _EmailField(forms.EmailField):
    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFKC", value).strip() if value else value


class RegistrationForm(forms.Form):
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
    family_name_kana = _WidthNormalisedField(
        label=_("Family name (furigana)"), max_length=50, required=False
    )
    given_name_kana = _WidthNormalisedField(
        label=_("Given name (furigana)"), max_length=50, required=False
    )
    email = _EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We send the confirmation and your registration link to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = _WidthNormalisedField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        help_text=_("Only to reach you if the event changes at short notice."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    organization = PlainTextField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    ward = forms.ModelChoiceField(
        label=_("Where you live or work (optional)"),
        queryset=Ward.objects.in_order(),
        required=False,
        empty_label=_("Outside Yokohama, or rather not say"),
    )
    heard_from = forms.ChoiceField(
        label=_("How did you hear of this event? (optional)"),
        choices=[("", "---------"), *Registration.HeardFrom.choices],
        required=False,
    )
    party_size = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    accessibility_needs = PlainTextField(
        label=_("Support you need to take part (reasonable accommodation, optional)"),
        multiline=True,
        max_length=1000,
        required=False,
        help_text=_(
            "For example a wheelchair space, a sign-language interpreter, captions, seating "
            "near the front, or materials in advance. We will contact you if we need to."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
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

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        party_size = self.fields["party_size"]
        party_size.max_value = event.max_party_size
        # Set after construction, so the validator max_value would add is added here.
        party_size.validators.append(
            MaxValueValidator(
                event.max_party_size,
                message=_("One registration can be for 1 to %(limit_value)s people."),
            )
        )
        party_size.widget.attrs.update({"min": 1, "max": event.max_party_size})
        party_size.help_text = _("Yourself included; at most %(max)s per registration.") % {
            "max": event.max_party_size
        }
        self.questions = list(event.questions.filter(purpose=Question.Purpose.REGISTRATION))
        for question in self.questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = _question_field(question)
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("core:privacy"), _("Read the privacy policy")
        )

    def question_fields(self):
        """The bound fields of the event's questions, in order (for the template)."""
        return [self[f"{QUESTION_PREFIX}{question.pk}"] for question in self.questions]

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

    def is_spam(self) -> bool:
        return bool(str(self.cleaned_data.get("website") or "").strip())

    def registration_fields(self) -> dict:
        """The keyword arguments of `registration_create` that come from the visitor."""
        data = {
            name: self.cleaned_data[name]
            for name in (
                "family_name",
                "given_name",
                "family_name_kana",
                "given_name_kana",
                "email",
                "phone",
                "organization",
                "ward",
                "heard_from",
                "accessibility_needs",
                "party_size",
            )
        }
        data["answers"] = {
            question.pk: self.cleaned_data[f"{QUESTION_PREFIX}{question.pk}"]
            for question in self.questions
        }
        return data


def _question_field(question: Question) -> forms.Field:
    label = question.label
    if question.kind == Question.Kind.TEXT:
        return PlainTextField(
            label=label,
            required=question.required,
            multiline=True,
            max_length=MAX_ANSWER_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    choices = [(choice, choice) for choice in question.choice_list()]
    if question.kind == Question.Kind.CHECKBOX:
        return forms.MultipleChoiceField(
            label=label,
            required=question.required,
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ChoiceField(
        label=label,
        required=question.required,
        choices=choices,
        widget=forms.RadioSelect,
    )


class WalkInForm(forms.Form):
    """Someone at the door without a registration: a name is enough."""

    family_name = PlainTextField(label=_("Family name"), max_length=50)
    given_name = PlainTextField(label=_("Given name"), max_length=50, required=False)
    family_name_kana = _WidthNormalisedField(
        label=_("Family name (furigana)"), max_length=50, required=False
    )
    given_name_kana = _WidthNormalisedField(
        label=_("Given name (furigana)"), max_length=50, required=False
    )
    party_size = forms.IntegerField(
        label=_("Number of people"), min_value=1, max_value=50, initial=1
    )

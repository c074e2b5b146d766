"""Forms of the 市民協働HUB board: filter, post a need or an offer, ask for an introduction.

No side effects: the views call the services with what these cleaned.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from center.core.models import Ward
from center.lib.forms import PlainTextField

from .models import ActivityField, HubPost


class HubFilterForm(forms.Form):
    """?kind=need&field=3&ward=naka. Choices are handed in (one query each)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Needs and offers")), *HubPost.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    field = forms.TypedChoiceField(
        label=_("Field"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    ward = forms.ChoiceField(
        label=_("Ward"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, field_choices, ward_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields")), *field_choices]
        self.fields["ward"].choices = [("", _("All wards")), *ward_choices]

    def selected(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or None,
            "field": data.get("field"),
            "ward": data.get("ward") or None,
        }


class _PostForm(forms.Form):
    title = PlainTextField(label=_("Title"), max_length=120)
    body = PlainTextField(
        label=_("What it is about"),
        multiline=True,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Do not write email addresses or phone numbers: the center connects you."),
    )
    field = forms.ModelChoiceField(
        label=_("Field"), queryset=ActivityField.objects.all(), required=False
    )
    ward = forms.ModelChoiceField(
        label=_("Ward"), queryset=Ward.objects.in_order(), required=False, to_field_name="code"
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The post leaves the board after this day."),
        error_messages={"invalid": _("Enter a real date, for example 2027-03-31.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_until(self):
        until = self.cleaned_data.get("until")
        if until is not None and until < timezone.localdate():
            raise forms.ValidationError(_("The date is in the past."), code="past")
        return until

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("title", "body", "field", "ward", "until")}


class NeedForm(_PostForm):
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, empty_label=None)
    field_order = ["group", "title", "body", "field", "ward", "until"]

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["title"].help_text = _("For example: volunteers for a river clean-up day")


class OfferForm(_PostForm):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, empty_label=None)
    field_order = ["partner", "title", "body", "field", "ward", "until"]

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["title"].help_text = _("For example: students for a survey project")


class IntroductionForm(forms.Form):
    """`on_behalf` is "g<pk>" for a group or "p<pk>" for a partner the user acts for."""

    on_behalf = forms.ChoiceField(label=_("You are asking for"))
    message = PlainTextField(
        label=_("Message to the coordinator"),
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you would like to do together. The coordinator reads it first."),
    )

    def __init__(self, *args, groups, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self._groups = {f"g{group.pk}": group for group in groups}
        self._partners = {f"p{partner.pk}": partner for partner in partners}
        self.fields["on_behalf"].choices = [
            *((key, group.name) for key, group in self._groups.items()),
            *((key, str(partner)) for key, partner in self._partners.items()),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def service_fields(self) -> dict:
        key = self.cleaned_data["on_behalf"]
        return {
            "group": self._groups.get(key),
            "partner": self._partners.get(key),
            "message": self.cleaned_data["message"],
        }

"""Forms of the network area's hearings, support requests and know-how pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from center.lib.forms import PlainTextField
from consultations.uploads import ACCEPT_ATTRIBUTE, validate_attachment

from .models import KnowHowCategory, SupportKind, Urgency

MAX_DOCUMENTS = 3


class SupportRequestForm(forms.Form):
    summary = PlainTextField(label=_("Summary"), max_length=200)
    details = PlainTextField(
        label=_("Details"),
        multiline=True,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened so far and what you would like the center to do."),
    )
    group_name = PlainTextField(
        label=_("Group name"),
        max_length=200,
        required=False,
        help_text=_("The group or organisation the case is about, if any."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of help"), choices=SupportKind.choices, widget=forms.RadioSelect
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    contact_consent = forms.BooleanField(
        label=_("The person consented to sharing their contact details with the center"),
        required=False,
        help_text=_(
            "Leave unticked if the person did not agree, and leave the contact fields empty."
        ),
    )
    contact_name = PlainTextField(label=_("Contact name"), max_length=100, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = PlainTextField(label=_("Contact phone"), max_length=30, required=False)

    def clean(self):
        cleaned = super().clean()
        contact = [cleaned.get(name) for name in ("contact_name", "contact_email", "contact_phone")]
        if cleaned.get("contact_consent"):
            if not (cleaned.get("contact_email") or cleaned.get("contact_phone")):
                self.add_error(
                    "contact_email",
                    _("With consent, give an email address or a phone number."),
                )
        elif any(contact):
            # Said out loud rather than silently dropped: the person filing may have
            # forgotten to tick the box, or typed details they should not pass on.
            self.add_error(
                "contact_consent",
                _(
                    "Contact details can only be passed on with the person's consent. Tick "
                    "the box, or clear the contact fields."
                ),
            )
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Up to MAX_DOCUMENTS files, each checked by content (type and size)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > MAX_DOCUMENTS:
            raise ValidationError(
                _("You can attach up to %(count)s files at a time."),
                params={"count": MAX_DOCUMENTS},
            )
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(validate_attachment(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class KnowHowForm(forms.Form):
    title = PlainTextField(label=_("Title"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=KnowHowCategory.objects.all(), to_field_name="key"
    )
    body = PlainTextField(
        label=_("Text"),
        multiline=True,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: **bold**, lists, [links](url)."),
    )
    documents = DocumentsField(
        label=_("Documents"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint or images; up to 3 files of 10 MB each."),
    )


class KnowHowSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=KnowHowCategory.objects.all(),
        to_field_name="key",
        empty_label=_("All categories"),
    )

"""Forms of network meetings: the ward's RSVP, material uploads (admin), invitations."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from center.lib.forms import PlainTextField
from consultations.uploads import ACCEPT_ATTRIBUTE, MAX_ATTACHMENT_MEGABYTES

from .models import MeetingMaterial, WardCenter


class RsvpForm(forms.Form):
    attending = forms.TypedChoiceField(
        label=_("Will your ward center attend?"),
        choices=[("yes", _("Yes, we will attend")), ("no", _("No, we cannot attend"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether your ward center will attend.")},
    )
    attendee_names = PlainTextField(
        label=_("Who attends"),
        max_length=300,
        required=False,
        help_text=_("Names of those attending, separated by commas."),
    )
    note = PlainTextField(label=_("Note for the center"), max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attending") and not cleaned.get("attendee_names"):
            self.add_error(
                "attendee_names",
                ValidationError(_("Enter the names of those who will attend."), code="required"),
            )
        return cleaned


class MeetingMaterialAdminForm(forms.ModelForm):
    """The admin inline's form: the file is checked by content and size before it is
    stored, with a message naming the file when it is refused."""

    class Meta:
        model = MeetingMaterial
        fields = ["title", "file"]
        help_texts = {
            "file": _("PDF, image, Word, Excel or PowerPoint, up to %(limit)s MB.")
            % {"limit": MAX_ATTACHMENT_MEGABYTES},
        }
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})}

    def clean_file(self):
        from .services_meetings import material_clean_upload

        upload = self.cleaned_data.get("file")
        # Unchanged file on an existing row: nothing new to check.
        if upload is None or not hasattr(upload, "content_type"):
            return upload
        clean = material_clean_upload(upload)
        self._clean_upload = clean
        return clean

    def save(self, commit=True):
        material = super().save(commit=False)
        clean = getattr(self, "_clean_upload", None)
        if clean is not None:
            material.original_name = clean.original_name
            material.content_type = clean.content_type
            material.size = clean.size
            if not material.title:
                material.title = clean.original_name
        if commit:
            material.save()
        return material


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    name = PlainTextField(label=_("Name"), max_length=100, required=False)
    ward_center = forms.ModelChoiceField(
        label=_("Ward center"),
        queryset=WardCenter.objects.select_related("ward"),
        empty_label=_("Choose a ward center"),
    )
    language = forms.ChoiceField(
        label=_("Language for mail"),
        choices=[("ja", _("Japanese")), ("en", _("English"))],
        initial="ja",
    )


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2", ValidationError(_("The two passwords differ."), code="mismatch")
            )
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

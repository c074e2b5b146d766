"""Forms of group registration: the application (also the members' edit form), the
directory filter, the invitation. No side effects: views call the services.

Documents are judged by their content, never their name: PDF, Word, Excel and images
(JPEG, PNG, GIF, WebP) are accepted, anything else is refused with a message saying so.
"""

import io
import unicodedata
import zipfile
from pathlib import PurePath

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from center.core.models import SdgGoal, Ward
from center.lib.forms import PlainTextField

from .models import ActivityField, Group, GroupDocument
from .services_groups import normalize_postal_code

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ACCEPT_ATTRIBUTE = ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.gif,.webp"
_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _detect_content_type(data: bytes) -> str | None:
    """The content type the bytes really are, or None if not one we accept."""
    if data.startswith(b"%PDF-"):
        # A complete PDF ends with %%EOF; a file cut off on the way has lost it.
        return "application/pdf" if b"%%EOF" in data[-1024:] else None
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" not in names or any(
            n.lower().endswith("vbaproject.bin") for n in names
        ):
            return None
        if any(n.startswith("word/") for n in names):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if any(n.startswith("xl/") for n in names):
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return None
    if data.startswith(_OLE2_MAGIC):
        if "WordDocument\0".encode("utf-16-le") in data:
            return "application/msword"
        if "Workbook\0".encode("utf-16-le") in data or "Book\0".encode("utf-16-le") in data:
            return "application/vnd.ms-excel"
    return None


class DocumentField(forms.FileField):
    """A 規約 or 名簿 upload, checked by content and size."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        name = unicodedata.normalize("NFC", PurePath(upload.name or "file").name)[:200]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                _("“%(name)s” is larger than %(limit)s MB. Make it smaller and try again."),
                params={"name": name, "limit": MAX_DOCUMENT_BYTES // (1024 * 1024)},
                code="too_large",
            )
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        content_type = _detect_content_type(data)
        if content_type is None:
            raise ValidationError(
                _(
                    "“%(name)s” cannot be accepted. Upload a PDF, a Word or Excel file, "
                    "or an image (JPEG, PNG, GIF, WebP)."
                ),
                params={"name": name},
                code="unsupported",
            )
        upload.original_name = name
        upload.detected_content_type = content_type
        return upload


class GroupForm(forms.ModelForm):
    """The application, and the members' edit form (documents optional there)."""

    name = PlainTextField(label=_("Group name"), max_length=200)
    name_kana = PlainTextField(
        label=_("Group name in kana (ふりがな)"),
        max_length=200,
        help_text=_("In hiragana or katakana, for example きょうどうまちづくりのかい."),
    )
    representative_name = PlainTextField(label=_("Representative"), max_length=100)
    contact_name = PlainTextField(
        label=_("Contact person"),
        max_length=100,
        help_text=_("Not shown publicly."),
    )
    contact_phone = PlainTextField(
        label=_("Contact phone"), max_length=30, required=False, help_text=_("Not shown publicly.")
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=20,
        help_text=_("Seven digits, with or without a hyphen, for example 231-0023."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    address = PlainTextField(
        label=_("Address"),
        max_length=300,
        help_text=_("Only the ward is shown publicly."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    ward = forms.ModelChoiceField(label=_("Ward"), queryset=Ward.objects.in_order())
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields of activity"),
        queryset=ActivityField.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one field of activity.")},
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("SDG goals"),
        queryset=SdgGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = PlainTextField(
        label=_("Description of activities"),
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    sns = PlainTextField(
        label=_("Social media accounts"),
        multiline=True,
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    member_count = forms.IntegerField(
        label=_("Number of members"),
        min_value=1,
        max_value=1_000_000,
        error_messages={"invalid": _("Enter the number of members in digits, for example 12.")},
    )
    rules_document = DocumentField(
        label=_("Rules or articles of association (規約・定款)"),
        help_text=_("PDF, Word, Excel or an image, up to 10 MB. Not shown publicly."),
    )
    roster_document = DocumentField(
        label=_("List of officers or members (名簿)"),
        help_text=_("PDF, Word, Excel or an image, up to 10 MB. Not shown publicly."),
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "name_kana",
            "kind",
            "representative_name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "postal_code",
            "address",
            "ward",
            "fields",
            "sdgs",
            "description",
            "website",
            "sns",
            "member_count",
            "listed_publicly",
        ]
        labels = {"contact_email": _("Contact email"), "website": _("Website")}
        help_texts = {"contact_email": _("Not shown publicly. Mails about the review go here.")}

    def __init__(self, *args, documents_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("rules_document", "roster_document"):
            self.fields[name].required = documents_required
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_postal_code(self):
        return normalize_postal_code(self.cleaned_data["postal_code"])

    def clean_name_kana(self):
        kana = self.cleaned_data["name_kana"]
        folded = unicodedata.normalize("NFKC", kana)
        if any(
            not (
                "\u3040" <= char <= "\u30ff"
                or char in " 　・ー－-"
                or char.isascii()
                and char.isalnum()
            )
            for char in folded
        ):
            raise ValidationError(_("Write the name in hiragana or katakana."))
        return kana

    def group_data(self) -> dict:
        """The Group's own fields, for the services."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("fields", "sdgs")
        }

    def documents(self) -> list[tuple[str, object]]:
        return [
            (GroupDocument.Kind.RULES, self.cleaned_data.get("rules_document")),
            (GroupDocument.Kind.ROSTER, self.cleaned_data.get("roster_document")),
        ]

    def _post_clean(self):
        # The services save the model; the form checks only its own fields here, so a
        # not-yet-normalised postal code never reaches model validation twice.
        pass


class DirectoryFilterForm(forms.Form):
    """?q=…&field=3&ward=naka&sdg=4&kind=npo&page=2. Choices are handed in."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    field = forms.TypedChoiceField(label=_("Field"), required=False, coerce=int, empty_value=None)
    ward = forms.ChoiceField(label=_("Ward"), required=False)
    sdg = forms.TypedChoiceField(label=_("SDG goal"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Kind of group"),
        required=False,
        choices=[("", _("All kinds")), *Group.Kind.choices],
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields")), *choices["fields"]]
        self.fields["ward"].choices = [("", _("All wards")), *choices["wards"]]
        self.fields["sdg"].choices = [("", _("All goals")), *choices["sdgs"]]
        for field in self.fields.values():
            css = "form-control" if isinstance(field.widget, forms.TextInput) else "form-select"
            field.widget.attrs["class"] = css

    def selected(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "field": data.get("field"),
            "ward": data.get("ward") or None,
            "sdg": data.get("sdg"),
            "kind": data.get("kind") or None,
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person to invite"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class ReviewNoteForm(forms.Form):
    """Staff: the reason for a rejection, or what more is needed."""

    review_note = PlainTextField(
        label=_("Message to the applicant"),
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )

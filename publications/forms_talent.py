"""Forms of the 協働人材バンク talent bank: the public filter, the contact form, the admin form.

No side effects: the views and the admin call the services with what these cleaned.

The contact form carries two spam signals of its own (the consultation form has its own
in `consultations.spam`, which this app may not import): a honeypot field people never see,
and a signed start time, since a person needs more than a few seconds to write a message.
A suspect submission is not refused with an error, which would teach a bot what to change:
the view stores it without sending any mail and shows the usual "sent" page.
"""

import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from center.lib.forms import PlainTextField
from center.lib.images import VerifiedImageField

from .models import TalentContactRequest, TalentProfile

# Spam signals -----------------------------------------------------------------------------

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"
MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
_SIGNER_SALT = "publications.talent-contact.started"
_SIGNED_VALUE = "talent-contact"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SIGNER_SALT)


def form_started_token() -> str:
    """The hidden start-time value, signed so that it cannot be backdated."""
    return _signer().sign(_SIGNED_VALUE)


def fill_time_problem(token: str) -> str:
    """ "" when the form was opened between 3 s and 24 h ago, else why it looks scripted."""
    if not token:
        return "no_start"
    try:
        value = _signer().unsign(token, max_age=MAX_FORM_AGE_SECONDS)
    except signing.SignatureExpired:
        return "too_old"
    except signing.BadSignature:
        return "forged_start"
    if value != _SIGNED_VALUE:
        return "forged_start"
    try:
        _signer().unsign(token, max_age=MIN_FILL_SECONDS)
    except signing.SignatureExpired:
        return ""  # older than the minimum: a person's pace
    return "too_fast"


# Text clean-up ------------------------------------------------------------------------------

# Bidirectional overrides and isolates can make a name read differently in the admin.


# The public list's filters --------------------------------------------------------------------


class TalentFilterForm(forms.Form):
    """?expertise=<id>&ward=<code>. Choices are handed in, so the page costs no extra query."""

    expertise = forms.TypedChoiceField(
        label=_("Field of expertise"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select({"class": "form-select"}),
    )
    ward = forms.ChoiceField(
        label=_("Area (ward)"), required=False, widget=forms.Select({"class": "form-select"})
    )

    def __init__(self, *args, expertise_choices=(), ward_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._expertise = {item.pk: item for item in expertise_choices}
        self._wards = {ward.code: ward for ward in ward_choices}
        self.fields["expertise"].choices = [
            ("", _("All fields")),
            *[(item.pk, str(item)) for item in expertise_choices],
        ]
        self.fields["ward"].choices = [
            ("", _("All wards")),
            *[(ward.code, ward.display_name) for ward in ward_choices],
        ]

    def selected(self) -> dict:
        """{"expertise": Expertise | None, "ward": Ward | None} from a valid form."""
        data = self.cleaned_data
        return {
            "expertise": self._expertise.get(data.get("expertise")),
            "ward": self._wards.get(data.get("ward") or ""),
        }


# The contact form -------------------------------------------------------------------------------

NAME_MAX = TalentContactRequest._meta.get_field("name").max_length
ORGANIZATION_MAX = TalentContactRequest._meta.get_field("organization").max_length
MESSAGE_MAX = TalentContactRequest._meta.get_field("message").max_length


class TalentContactForm(forms.Form):
    name = PlainTextField(label=_("Your name"), max_length=NAME_MAX)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("The center or the coordinator replies to this address."),
        max_length=254,
    )
    organization = PlainTextField(
        label=_("Organisation (optional)"), max_length=ORGANIZATION_MAX, required=False
    )
    message = PlainTextField(
        label=_("Your message"),
        multiline=True,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea({"rows": 8}),
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "I agree that the center handles my name, address and message to pass them on "
            "to the coordinator, as described in the privacy policy."
        ),
        error_messages={
            "required": _(
                "Please agree to the handling of your personal information. Without your "
                "agreement we cannot pass your message on."
            )
        },
    )
    # Spam signals: never shown as errors.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"}),
    )
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = _(
            "What you would like to ask or propose. Up to %(count)s characters."
        ) % {"count": f"{MESSAGE_MAX:,}"}
        if not self.is_bound:
            self.initial.setdefault(STARTED_FIELD, form_started_token())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("Your contact details"), "name", "email", "organization"),
            "message",
        )

    def spam_reason(self) -> str:
        """Why this valid submission looks scripted ("honeypot", "too_fast"...), or ""."""
        if str(self.cleaned_data.get(HONEYPOT_FIELD) or "").strip():
            return "honeypot"
        return fill_time_problem(str(self.cleaned_data.get(STARTED_FIELD) or ""))

    def service_fields(self) -> dict:
        """Keyword arguments for `talent_contact_request_create`, from a valid form."""
        data = self.cleaned_data
        return {name: data[name] for name in ("name", "email", "organization", "message")}


# The admin form ----------------------------------------------------------------------------------

_KANA = re.compile(r"^[\u3041-\u3096\u309d\u309e\u30fc\u30fb ]+$")


def to_hiragana(value: str) -> str:
    """ひらがな from any kana (half-width via NFKC), so that names sort in 五十音 order."""
    value = unicodedata.normalize("NFKC", value)
    # Katakana ァ..ヶ and the iteration marks ヽヾ sit 0x60 above their hiragana.
    value = "".join(
        chr(ord(c) - 0x60) if ("\u30a1" <= c <= "\u30f6" or c in "\u30fd\u30fe") else c
        for c in value
    )
    return " ".join(value.split())


class TalentProfileAdminForm(forms.ModelForm):
    photo = VerifiedImageField(
        label=_("Photo"),
        required=False,
        max_side=1200,
        widget=forms.ClearableFileInput,
        help_text=_(
            "JPEG, PNG, GIF or WebP. The photo is stored re-encoded, without its location "
            "or camera data."
        ),
    )

    class Meta:
        model = TalentProfile
        fields = [
            "name",
            "name_kana",
            "photo",
            "photo_alt",
            "affiliation",
            "expertise",
            "wards",
            "activities",
            "languages",
            "email",
        ]
        help_texts = {
            "name_kana": _("In hiragana or katakana; stored in hiragana for the 五十音 order."),
            "photo_alt": _("Required with a photo: what the photo shows, for screen readers."),
        }

    def clean_name_kana(self) -> str:
        value = to_hiragana(self.cleaned_data.get("name_kana") or "")
        if value and not _KANA.match(value):
            raise ValidationError(
                _("Write the reading in hiragana or katakana, for example やまだ はなこ."),
                code="invalid",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        photo = cleaned.get("photo")
        # `False` means "clear"; None or the initial file means "keep what is stored".
        has_photo = bool(photo) or (photo is None and bool(self.instance.photo))
        if "photo" in self.errors:
            has_photo = bool(self.instance.photo)
        if has_photo and not (cleaned.get("photo_alt") or "").strip():
            self.add_error(
                "photo_alt",
                ValidationError(
                    _("Describe the photo for people who cannot see it."), code="required"
                ),
            )
        return cleaned

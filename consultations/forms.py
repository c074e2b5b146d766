"""The public consultation form: validation, normalisation and the crispy layout.

No side effects here: the view calls `consultations.spam.spam_assess` and the
`consultation_submit` service with what this form cleaned.
"""

import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from center.core.models import Ward
from center.lib.forms import PlainTextField, strip_control_characters

from . import spam
from .models import REQUESTER_FIELDS, SUBJECT_FIELDS, ContactPreference, RequesterType, Topic
from .services import MAX_ATTACHMENTS, PRIVACY_NOTICE_VERSION
from .uploads import (
    ACCEPT_ATTRIBUTE,
    MAX_ATTACHMENT_MEGABYTES,
    clean_original_name,
    validate_attachment,
)
from .uploads import MESSAGES as UPLOAD_MESSAGES

OUTSIDE_YOKOHAMA = "outside"
BODY_MAX_LENGTH = 10_000

# Words that suggest 要配慮個人情報 (APPI Art. 2(3) and its Cabinet Order: race, creed,
# social status, medical history, criminal record, having been the victim of a crime,
# disability, health checks, medical treatment, criminal and juvenile proceedings).
# Nationality is not sensitive under the Act and is left out. A false alarm only asks for
# one more tick; a miss would mean handling such data without the consent the law requires.
# Words common in everyday talk of citizen activities are avoided ("ボランティア精神",
# "災害の被害想定", "がんばる"), so the question comes up when it matters.
SENSITIVE_WORDS_JA = (
    "病気", "病歴", "疾患", "持病", "難病", "障害", "障がい", "障碍", "診断書", "診断され",
    "健康診断", "健診", "通院", "入院", "治療", "服薬", "投薬", "処方", "精神疾患", "精神障",
    "精神科", "うつ病", "鬱", "認知症", "依存症", "妊娠", "流産", "癌", "犯罪", "前科",
    "逮捕", "起訴", "有罪", "服役", "受刑", "少年院", "被害者", "被害に遭", "被害にあ",
    "被害を受け", "虐待", "家庭内暴力", "宗教", "信仰", "信条", "人種", "被差別",
)  # fmt: skip
# Matched at the start of a word only ("disabilit" finds disability and disabilities).
SENSITIVE_WORDS_EN = (
    "illness", "disease", "disabilit", "disabled", "diagnos", "hospital", "medical",
    "medication", "mental health", "depression", "dementia", "autism", "HIV", "cancer",
    "pregnan", "criminal", "conviction", "arrest", "prison", "victim", "abuse", "religio",
    "racial", "ethnicity",
)  # fmt: skip
_SENSITIVE_EN = re.compile(r"\b(" + "|".join(SENSITIVE_WORDS_EN) + r")\w*", re.IGNORECASE)


def sensitive_words_in(text: str) -> list[str]:
    """The words in `text` that suggest sensitive personal information, in order found."""
    text = unicodedata.normalize("NFKC", text or "")
    found = [word for word in SENSITIVE_WORDS_JA if word.casefold() in text.casefold()]
    found += [match.group(0) for match in _SENSITIVE_EN.finditer(text)]
    return list(dict.fromkeys(found))


def _quoted_list(words: list[str]) -> str:
    if (get_language() or "ja").startswith("ja"):
        return "、".join(f"「{word}」" for word in words)
    return ", ".join(f"“{word}”" for word in words)


# Text normalisation ------------------------------------------------------------------

# Bidirectional overrides and isolates can make a name read differently in the admin.


def to_katakana(value: str) -> str:
    """Full-width katakana from any kana: half-width (NFKC) and hiragana are converted."""
    value = unicodedata.normalize("NFKC", value)
    # Hiragana ぁ..ゖ and the iteration marks ゝゞ sit 0x60 below their katakana.
    value = "".join(
        chr(ord(c) + 0x60) if ("\u3041" <= c <= "\u3096" or c in "\u309d\u309e") else c
        for c in value
    )
    return " ".join(value.split())


PHONE_INVALID = _(
    "Enter a phone number in Japan with 10 or 11 digits, with or without hyphens "
    "(for example 045-000-0000)."
)
_KATAKANA = re.compile(r"^[\u30a1-\u30fa\u30fc-\u30fe\u30fb ]+$")
_PHONE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc()]+")
_PHONE_ALLOWED = re.compile(r"^\+?[0-9\s\-\u2010-\u2015\u2212\u30fc()]+$")


def normalise_phone(value: str) -> str:
    """045-671-4735 from ０４５ー６７１ー４７３５, (045) 671 4735 or +81 45 671 4735.

    Raises ValidationError unless the number has the 10 or 11 digits of a Japanese
    landline, mobile or toll-free number.
    """
    value = unicodedata.normalize("NFKC", value).strip()
    if not _PHONE_ALLOWED.match(value):
        raise ValidationError(PHONE_INVALID, code="invalid")
    if value.startswith("+"):
        if not value[1:].lstrip().startswith("81"):
            raise ValidationError(PHONE_INVALID, code="invalid")
        value = "0" + value[1:].lstrip()[2:].lstrip(" -(")
    groups = [group for group in _PHONE_SEPARATORS.split(value) if group]
    digits = "".join(groups)
    if not (digits.startswith("0") and 10 <= len(digits) <= 11):
        raise ValidationError(PHONE_INVALID, code="invalid")
    return "-".join(groups)


# Fields --------------------------------------------------------------------------------


class KanaField(PlainTextField):
    default_error_messages = {
        "invalid": _("Write the reading in katakana or hiragana, for example ヤマダ or やまだ."),
    }

    def to_python(self, value):
        return to_katakana(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and not _KATAKANA.match(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class PhoneField(PlainTextField):
    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else value


class NormalisedEmailField(forms.EmailField):
    """Accepts full-width input (ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ), common from Japanese keyboards."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", strip_control_characters(value, multiline=False))
        return super().to_python(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django docs, "Uploading multiple files").

    Cleans to a list of files ready to store (see `uploads.validate_attachment`); every
    file's problem is reported, not only the first one's.
    """

    def __init__(self, *, max_files: int, **kwargs) -> None:
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if not data:
            files = []
        elif isinstance(data, list | tuple):
            files = list(data)
        else:
            files = [data]
        if not files:
            return super().clean(None, initial) or []
        if len(files) > self.max_files:
            raise ValidationError(
                _("You can attach up to %(count)s files; you chose %(chosen)s."),
                code="too_many_files",
                params={"count": self.max_files, "chosen": len(files)},
            )
        cleaned, errors = [], []
        for upload in files:
            try:
                checked = super().clean(upload, initial)
            except ValidationError as exc:  # empty file, contradicting "clear" box...
                name = clean_original_name(getattr(upload, "name", ""))
                errors += [
                    ValidationError(
                        UPLOAD_MESSAGES["named"],
                        code=error.code,
                        params={"name": name, "reason": " ".join(error.messages)},
                    )
                    for error in exc.error_list
                ]
                continue
            try:
                cleaned.append(validate_attachment(checked))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


# The form ------------------------------------------------------------------------------

ORGANISATION_TYPES = frozenset(RequesterType.values) - {
    RequesterType.INDIVIDUAL.value,
    RequesterType.OTHER.value,
}

FILES_NOT_KEPT = _(
    "Attachments are not kept when the form has to be corrected. Please choose your files again."
)


class ConsultationForm(forms.Form):
    requester_type = forms.ChoiceField(
        label=_("Who is asking?"),
        choices=RequesterType.choices,
        widget=forms.RadioSelect,
    )
    family_name = PlainTextField(
        label=_("Family name"),
        max_length=50,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    given_name = PlainTextField(
        label=_("Given name"),
        max_length=50,
        required=False,
        help_text=_("If your name has only one part, write it under family name."),
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    family_name_kana = KanaField(label=_("Family name (furigana)"), max_length=50, required=False)
    given_name_kana = KanaField(label=_("Given name (furigana)"), max_length=50, required=False)
    organization_name = PlainTextField(
        label=_("Name of your group or organisation"),
        max_length=200,
        required=False,
        help_text=_("Needed when you ask on behalf of a group, a company, a school or an office."),
        widget=forms.TextInput({"autocomplete": "organization"}),
    )
    email = NormalisedEmailField(
        label=_("Email address"),
        max_length=254,
        required=False,
        help_text=_("We send your reference number and our replies here."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    phone = PhoneField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )
    preferred_contact = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=ContactPreference.choices,
        initial=ContactPreference.EMAIL,
        widget=forms.RadioSelect,
    )
    ward = forms.ChoiceField(
        label=_("Ward"),
        help_text=_("Where you live, or where your group is active."),
    )
    topic = forms.ChoiceField(
        label=_("What is it about?"), choices=Topic.choices, widget=forms.RadioSelect
    )
    title = PlainTextField(
        label=_("Subject"),
        max_length=200,
        help_text=_("One line, for example “Starting a children's cafeteria in our area”."),
    )
    body = PlainTextField(
        label=_("What happened, and what would you like?"),
        multiline=True,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea({"rows": 10}),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        max_files=MAX_ATTACHMENTS,
        required=False,
    )
    privacy_consent = forms.BooleanField(
        label=_("I agree to the handling of my personal information as described above."),
        error_messages={
            "required": _(
                "Please agree to the handling of your personal information. Without your "
                "agreement we cannot receive the consultation."
            )
        },
    )
    sensitive_consent = forms.BooleanField(
        label=_("I agree to the handling of sensitive personal information in my message."),
        required=False,
        help_text=_(
            "Sensitive personal information (要配慮個人情報) means, for example, illness or "
            "medical treatment, disability, a criminal record, having been the victim of a "
            "crime, religion or creed, or race. The law requires your explicit consent before "
            "we handle it. Tick this box only if your message contains such information; if you "
            "would rather not share it, leave it out of your message."
        ),
    )
    # Spam signals (see consultations.spam): never shown as errors.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"}),
    )
    form_started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Texts with numbers are filled in here, in the language of the request.
        self.fields["body"].help_text = _(
            "Tell us in your own words: what you are doing or planning, what is difficult, "
            "and what help you are looking for. Up to %(count)s characters."
        ) % {"count": f"{BODY_MAX_LENGTH:,}"}
        self.fields["attachments"].help_text = _(
            "Up to %(count)s files, %(size)s MB each: PDF, images (JPEG, PNG, GIF, WebP), "
            "Word, Excel or PowerPoint. Photos are stored without their location data."
        ) % {"count": MAX_ATTACHMENTS, "size": MAX_ATTACHMENT_MEGABYTES}
        wards = list(Ward.objects.in_order())
        self._wards = {ward.code: ward for ward in wards}
        self.fields["ward"].choices = [
            ("", _("Choose a ward")),
            *[(ward.code, ward.display_name) for ward in wards],
            (OUTSIDE_YOKOHAMA, _("Outside Yokohama")),
        ]
        if not self.is_bound:
            self.initial.setdefault(spam.STARTED_FIELD, spam.form_started_token())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("About you"),
                "requester_type",
                "family_name",
                "given_name",
                "family_name_kana",
                "given_name_kana",
                "organization_name",
                "ward",
            ),
            Fieldset(_("How to reach you"), "preferred_contact", "email", "phone"),
            Fieldset(_("Your consultation"), "topic", "title", "body", "attachments"),
        )

    def clean_ward(self):
        code = self.cleaned_data["ward"]
        return None if code == OUTSIDE_YOKOHAMA else self._wards[code]

    def clean(self):
        cleaned = super().clean()
        preference = cleaned.get("preferred_contact")
        if (
            preference in (ContactPreference.PHONE, ContactPreference.EITHER)
            and not cleaned.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error(
                "phone",
                _(
                    "Enter a phone number so that we can call you, or choose to be contacted "
                    "by email."
                ),
            )
        if (
            preference != ContactPreference.PHONE
            and not cleaned.get("email")
            and "email" not in self.errors
        ):
            self.add_error(
                "email",
                _(
                    "Enter an email address so that we can reply, or choose to be "
                    "contacted by phone and give a phone number."
                ),
            )
        if (
            cleaned.get("requester_type") in ORGANISATION_TYPES
            and not cleaned.get("organization_name")
            and "organization_name" not in self.errors
        ):
            self.add_error(
                "organization_name",
                _("Enter the name of the group or organisation you are asking for."),
            )
        words = sensitive_words_in(
            " ".join(str(cleaned.get(name) or "") for name in ("title", "body"))
        )
        if words and not cleaned.get("sensitive_consent"):
            self.add_error(
                "sensitive_consent",
                _(
                    "Your message seems to contain sensitive personal information (it mentions "
                    "%(words)s). The law requires your explicit consent before we handle it: "
                    "tick this box, or remove that information from your message."
                )
                % {"words": _quoted_list(words[:5])},
            )
        return cleaned

    def full_clean(self):
        super().full_clean()
        # Browsers cannot refill a file input: if the form comes back with errors, every
        # file chosen (the good ones too) must be chosen again, and the person needs to be
        # told so at that field.
        if self.is_bound and self._errors and self.files.getlist("attachments"):
            self.add_error("attachments", FILES_NOT_KEPT)

    def consultation_fields(self) -> dict:
        """The model fields for `consultation_submit`, from a valid form."""
        data = self.cleaned_data
        names = (*REQUESTER_FIELDS, *SUBJECT_FIELDS, "sensitive_consent")
        return {
            **{name: data[name] for name in names},
            "privacy_notice_version": PRIVACY_NOTICE_VERSION,
        }

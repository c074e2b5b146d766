"""Form pieces every app's public forms share."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

# Bidirectional overrides can make text read differently from what is stored.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def strip_control_characters(value: str, *, multiline: bool) -> str:
    """Drop invisible control characters (NUL, escape, bidi overrides...) a person cannot
    have meant; keep line breaks and tabs in multi-line text, turn them into spaces else."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_BIDI_CONTROLS)
    kept = []
    for char in value:
        if char in "\n\t":
            kept.append(char if multiline else " ")
        elif unicodedata.category(char) != "Cc":
            kept.append(char)
    return "".join(kept)


class PlainTextField(forms.CharField):
    """Text as a person typed it, minus invisible control characters."""

    def __init__(self, *, multiline: bool = False, **kwargs) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = strip_control_characters(value, multiline=self.multiline)
        value = super().to_python(value)
        if not self.multiline:
            value = " ".join(value.split())
        return value


class AltTextRequiredMixin:
    """For a ModelForm of an AccessiblePhoto: alternative text is required unless the photo
    is marked decorative, said on the field before the database constraint would say it
    less kindly."""

    def clean(self):
        cleaned = super().clean()
        missing = not (cleaned.get("alt_text") or "").strip()
        if missing and not cleaned.get("is_decorative") and "alt_text" not in self.errors:
            self.add_error(
                "alt_text",
                forms.ValidationError(
                    _(
                        "Describe what the photo shows, or tick “decorative” if it adds "
                        "nothing to the text."
                    ),
                    code="alt_required",
                ),
            )
        return cleaned

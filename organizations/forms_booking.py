"""Forms of the spaces: the calendar's week/month choice and the booking request.

No side effects: the view calls `booking_create`, which applies the space's rules.
"""

import datetime
import re
import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from center.lib.forms import PlainTextField

from .models import Booking, Space

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _parse_date(value: str) -> datetime.date | None:
    text = unicodedata.normalize("NFKC", value or "").strip().replace("/", "-")
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        raise forms.ValidationError(
            _("Enter a real date in the form 2026-12-07."), code="invalid_date"
        ) from None


class JapaneseDateField(forms.DateField):
    """A date typed as 2026-12-07, 2026/12/07 or in full-width digits; 2026-02-30 is refused
    with a message that says so, not a generic one."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        return _parse_date(value)


class CalendarForm(forms.Form):
    """?week=2026-12-07 (any day of that week) or ?month=2026-12; neither: this week."""

    week = JapaneseDateField(required=False, label=_("Week of"))
    month = forms.CharField(required=False, max_length=10, label=_("Month"))

    def clean_month(self):
        text = unicodedata.normalize("NFKC", self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        match = _MONTH.match(text.replace("/", "-"))
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(
                _("Enter a month in the form 2026-12."), code="invalid_month"
            )
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return datetime.date(year, int(match.group(2)), 1)

    def clean_week(self):
        day = self.cleaned_data.get("week")
        if day is not None and not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Choose a week between 2000 and 2100."))
        return day


class BookingRequestForm(forms.Form):
    group = forms.ModelChoiceField(
        queryset=None,
        label=_("Group"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your registered groups.")},
    )
    date = JapaneseDateField(label=pgettext_lazy("booking", "Date"))
    block = forms.ChoiceField(
        label=_("Time block"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the time blocks of this space.")},
    )
    purpose = PlainTextField(
        label=_("Purpose"),
        max_length=Booking._meta.get_field("purpose").max_length,
        help_text=_("What the meeting is for (seen by staff only)."),
    )
    public_title = PlainTextField(
        label=_("Title on the calendar and the signage (optional)"),
        required=False,
        max_length=Booking._meta.get_field("public_title").max_length,
        help_text=_("Leave empty to show only “booked”."),
    )
    attendees = forms.IntegerField(
        label=_("Expected attendees"),
        min_value=1,
        max_value=200,
        initial=1,
        # Text, not type=number: a Japanese keyboard types full-width digits, which a
        # number input refuses in the browser; Python's int() reads them.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter the number of people as a whole number.")},
    )

    def __init__(self, *args, space: Space, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        self.fields["group"].queryset = groups
        self.fields["block"].choices = [
            (b["key"], space.block_label(b["key"])) for b in space.blocks
        ]

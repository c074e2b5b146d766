"""The dashboard's filters: fiscal year, quarter and ward (GET, no side effects)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from center.core.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from center.core.models import Ward
from center.core.stats import StatsPeriod

# How many past fiscal years the year filter offers.
YEARS_BACK = 6


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[
            (0, _("Whole year")),
            (1, _("Q1 (April–June)")),
            (2, _("Q2 (July–September)")),
            (3, _("Q3 (October–December)")),
            (4, _("Q4 (January–March)")),
        ],
    )
    ward = forms.ModelChoiceField(
        label=_("Ward"),
        queryset=Ward.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All of Yokohama"),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        current = fiscal_year_of()
        self.fields["year"].choices = [
            (year, fiscal_year_label(year)) for year in range(current, current - YEARS_BACK, -1)
        ]
        self.current_year = current
        self.scope = scope
        if scope.city_wide:
            self.fields["ward"].queryset = Ward.objects.in_order()
        else:
            del self.fields["ward"]
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select"

    def period(self) -> StatsPeriod:
        data = self.cleaned_data
        year = data.get("year") or self.current_year
        start, end = fiscal_year_bounds(year)
        quarter = data.get("quarter") or 0
        if quarter:
            start = _add_months(start, 3 * (quarter - 1))
            end = _add_months(start, 3) - datetime.timedelta(days=1)
        ward = self.scope.fixed_ward if not self.scope.city_wide else data.get("ward")
        return StatsPeriod(start=start, end=end, ward=ward)

    def selected_year(self) -> int:
        return self.cleaned_data.get("year") or self.current_year

    def selected_quarter(self) -> int:
        return self.cleaned_data.get("quarter") or 0


def _add_months(first_of_month: datetime.date, count: int) -> datetime.date:
    index = first_of_month.month - 1 + count
    return first_of_month.replace(year=first_of_month.year + index // 12, month=index % 12 + 1)

"""Japanese fiscal years (年度): April 1 to March 31, named by the calendar year they start in."""

import datetime

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FISCAL_YEAR_START_MONTH = 4
# 令和 began on 2019-05-01; fiscal year 2019 is conventionally 令和元年度.
REIWA_OFFSET = 2018


def fiscal_year_of(day: datetime.date | datetime.datetime | None = None) -> int:
    """The fiscal year a date belongs to: 2027-03-31 → 2026, 2027-04-01 → 2027."""
    if day is None:
        day = timezone.localdate()
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day.year if day.month >= FISCAL_YEAR_START_MONTH else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day (inclusive) of a fiscal year."""
    return (
        datetime.date(fiscal_year, FISCAL_YEAR_START_MONTH, 1),
        datetime.date(fiscal_year + 1, FISCAL_YEAR_START_MONTH, 1) - datetime.timedelta(days=1),
    )


def fiscal_year_quarter(day: datetime.date) -> int:
    """Quarter 1 is April–June, 4 is January–March."""
    return ((day.month - FISCAL_YEAR_START_MONTH) % 12) // 3 + 1


def fiscal_year_label(fiscal_year: int, *, era: bool = False) -> str:
    """'2026年度' or '令和8年度' in Japanese; 'FY2026' in English."""
    if not (get_language() or "ja").startswith("ja"):
        return _("FY%(year)s") % {"year": fiscal_year}
    if era:
        reiwa = fiscal_year - REIWA_OFFSET
        if reiwa >= 1:
            return f"令和{'元' if reiwa == 1 else reiwa}年度"
        return f"平成{fiscal_year - 1988}年度"
    return f"{fiscal_year}年度"

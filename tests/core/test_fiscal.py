import datetime

import pytest
from django.utils import translation

from center.core.fiscal import (
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_quarter,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 4, 1), 2026),
        (datetime.date(2027, 3, 31), 2026),
        (datetime.date(2026, 3, 31), 2025),
        (datetime.date(2026, 12, 31), 2026),
    ],
)
def test_fiscal_year_runs_april_to_march(day, year):
    assert fiscal_year_of(day) == year


def test_fiscal_year_of_an_aware_datetime_uses_japan_time():
    # 2027-03-31 16:00 UTC is already 2027-04-01 01:00 in Yokohama.
    moment = datetime.datetime(2027, 3, 31, 16, 0, tzinfo=datetime.UTC)
    assert fiscal_year_of(moment) == 2027


def test_bounds_are_inclusive():
    assert fiscal_year_bounds(2026) == (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))


def test_quarters_start_in_april():
    assert fiscal_year_quarter(datetime.date(2026, 4, 1)) == 1
    assert fiscal_year_quarter(datetime.date(2026, 12, 1)) == 3
    assert fiscal_year_quarter(datetime.date(2027, 3, 31)) == 4


def test_labels_in_japanese_and_english():
    with translation.override("ja"):
        assert fiscal_year_label(2026) == "2026年度"
        assert fiscal_year_label(2026, era=True) == "令和8年度"
        assert fiscal_year_label(2019, era=True) == "令和元年度"
        assert fiscal_year_label(2018, era=True) == "平成30年度"
    with translation.override("en"):
        assert fiscal_year_label(2026) == "FY2026"

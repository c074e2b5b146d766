"""Collects each app's yearly numbers (its `stats.business_stats`) into the six businesses.

The apps aggregate in the database and hand over `center.core.stats` shapes; this module
only orders them as the center's plan does (center.core.navigation.BUSINESSES) and turns
month labels into the reader's language.
"""

import datetime
import re
from dataclasses import dataclass, field
from importlib import import_module

from django.utils.translation import get_language

from center.core.navigation import BUSINESSES
from center.core.stats import Figure, StatsPeriod, Table

# Every app that reports numbers; each module has `business_stats(period)`.
STATS_MODULES = (
    "consultations.stats",
    "publications.stats",
    "events.stats",
    "organizations.stats",
    "networks.stats",
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class BusinessSection:
    slug: str
    label: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.figures and not self.tables


def collect(period: StatsPeriod) -> list[BusinessSection]:
    sections = {b.slug: BusinessSection(slug=b.slug, label=str(b.label)) for b in BUSINESSES}
    for module_name in STATS_MODULES:
        module = import_module(module_name)
        for stats in module.business_stats(period):
            section = sections.get(stats.business)
            if section is None:
                continue
            section.figures += stats.figures
            section.tables += [_localised(table) for table in stats.tables]
    return [section for section in sections.values() if not section.empty]


def month_label(value) -> str:
    """'2026-04' or a date → '2026年4月' in Japanese, 'Apr 2026' in English."""
    if isinstance(value, datetime.date):
        year, month = value.year, value.month
    else:
        match = _MONTH.match(str(value))
        if not match:
            return str(value)
        year, month = int(match.group(1)), int(match.group(2))
    if (get_language() or "ja").startswith("ja"):
        return f"{year}年{month}月"
    return datetime.date(year, month, 1).strftime("%b %Y")


def _localised(table: Table) -> Table:
    rows = [(month_label(row[0]), *row[1:]) for row in table.rows]
    return Table(
        key=table.key,
        title=table.title,
        columns=list(table.columns),
        rows=rows,
        chart=table.chart,
        note=table.note,
    )

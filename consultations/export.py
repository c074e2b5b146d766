"""CSV export of the consultation list, for Excel: UTF-8 with a BOM, CRLF, translated headers.

Free-text personal data (names, contact details, organisation, title, details) is exported
only to holders of `consultations.export_personal_data`.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from center.lib.spreadsheet import BOM, neutralise
from center.lib.spreadsheet import Echo as _Echo

from .models import Consultation

EXPORT_PERSONAL_DATA_PERMISSION = "consultations.export_personal_data"


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation
    value: Callable[[Consultation], Any]
    personal: bool = False


def _date(value) -> str:
    return value.isoformat() if value else ""


def _datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


COLUMNS: tuple[Column, ...] = (
    Column(_("reference number"), lambda c: c.reference),
    Column(_("received"), lambda c: _datetime(c.created_at)),
    Column(_("fiscal year"), lambda c: c.fiscal_year),
    Column(_("status"), lambda c: c.get_status_display()),
    Column(_("channel"), lambda c: c.get_channel_display()),
    Column(_("requester type"), lambda c: c.get_requester_type_display()),
    Column(_("ward"), lambda c: c.ward.display_name if c.ward else _("Outside Yokohama")),
    Column(_("topic"), lambda c: c.get_topic_display()),
    Column(_("priority"), lambda c: c.get_priority_display()),
    Column(_("assignee"), lambda c: str(c.assignee) if c.assignee else ""),
    Column(_("follow-up due"), lambda c: _date(c.follow_up_due)),
    Column(_("shared with the city"), lambda c: _yes_no(c.shared_with_city)),
    Column(
        _("referred to ward center"),
        lambda c: c.referred_ward.display_name if c.referred_ward else "",
    ),
    Column(_("first response"), lambda c: _datetime(c.first_response_at)),
    Column(_("closed"), lambda c: _datetime(c.closed_at)),
    Column(_("quarantined"), lambda c: _yes_no(c.quarantined)),
    Column(_("family name"), lambda c: c.family_name, personal=True),
    Column(_("given name"), lambda c: c.given_name, personal=True),
    Column(_("family name (furigana)"), lambda c: c.family_name_kana, personal=True),
    Column(_("given name (furigana)"), lambda c: c.given_name_kana, personal=True),
    Column(_("organisation"), lambda c: c.organization_name, personal=True),
    Column(_("email address"), lambda c: c.email, personal=True),
    Column(_("phone"), lambda c: c.phone, personal=True),
    Column(_("title"), lambda c: c.title, personal=True),
    Column(_("details"), lambda c: c.body, personal=True),
)


def user_may_export_personal_data(user) -> bool:
    return user.has_perm(EXPORT_PERSONAL_DATA_PERMISSION)


def columns_for(*, personal_data: bool) -> tuple[Column, ...]:
    return tuple(column for column in COLUMNS if personal_data or not column.personal)


def consultations_csv_rows(
    *, queryset: QuerySet[Consultation], personal_data: bool, language: str
) -> Iterator[str]:
    """The CSV text, one line at a time: BOM and header row, then one row per case.

    Each line is rendered inside `translation.override(language)`: rows are produced while
    the response streams, after the view (and the request's language) has returned. The
    override is left before each yield, so it never leaks into whatever runs in between.
    """
    columns = columns_for(personal_data=personal_data)
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    with translation.override(language):
        header = BOM + writer.writerow([neutralise(column.header) for column in columns])
    yield header
    cases: Iterable[Consultation] = queryset.select_related(
        "ward", "referred_ward", "assignee"
    ).iterator(chunk_size=2000)
    for case in cases:
        with translation.override(language):
            row = writer.writerow([neutralise(column.value(case)) for column in columns])
        yield row


def export_filename(now=None) -> str:
    now = timezone.localtime(now)
    return f"consultations-{now:%Y%m%d-%H%M}.csv"

"""CSV for Excel: UTF-8 with a byte order mark, and no cell a spreadsheet would run.

Every export of the portal (admin lists, the dashboard's tables) writes through here, so
the two rules below are kept in one place.
"""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# Excel opens a UTF-8 CSV as Shift_JIS unless the file starts with a byte order mark.
BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheets (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell as text that a spreadsheet shows, never evaluates."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterable[str]:
    """The rows as CSV lines (CRLF), every cell neutralised, the first line after the BOM."""
    writer = csv.writer(Echo(), lineterminator="\r\n")
    yield BOM
    for row in rows:
        yield writer.writerow([neutralise(value) for value in row])


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """A streamed CSV download; rows may be a generator over a large queryset."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

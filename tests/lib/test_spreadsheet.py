"""CSV for Excel: a BOM first, CRLF lines, formulas shown not run, never cached."""

from center.lib.spreadsheet import csv_response, neutralise


def test_a_download_starts_with_a_bom_and_neutralises_every_cell():
    response = csv_response([["名前", "金額"], ["=1+1", -3], ["@SUM(A1)", None]], "x.csv")
    body = response.getvalue().decode("utf-8")
    assert body == "\ufeff名前,金額\r\n'=1+1,'-3\r\n'@SUM(A1),\r\n"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Cache-Control"] == "private, no-store"


def test_plain_text_is_left_alone():
    assert neutralise("子育て") == "子育て" and neutralise(12) == "12" and neutralise(None) == ""

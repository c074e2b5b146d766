"""The dashboard with the apps' real numbers: a small hand-counted fiscal year shows the
same on the page, in the CSV and in the PDF; a ward sees its slice; the whole page stays
within its query budget whatever the amount of data."""

import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from center.core.models import Ward
from consultations.models import Topic
from tests.conftest import require_japanese_font
from tests.consultations.test_stats import at, make_case


@pytest.fixture
def year_2025(db):
    """FY2025: five cases in 鶴見区 (three about citizen activities), two in 中区,
    one from the year before."""
    tsurumi = Ward.objects.get(code="tsurumi")
    naka = Ward.objects.get(code="naka")
    for day in (5, 6, 7):
        make_case(at(2025, 4, day), ward=tsurumi, topic=Topic.ACTIVITY, answered_after_days=2)
    make_case(at(2025, 10, 1), ward=tsurumi, topic=Topic.PROPOSAL)
    make_case(at(2026, 3, 31, 23, 30), ward=tsurumi, topic=Topic.PROPOSAL)
    make_case(at(2025, 7, 1), ward=naka, topic=Topic.ACTIVITY, answered_after_days=4)
    make_case(at(2025, 7, 2), ward=naka, topic=Topic.ACTIVITY)
    make_case(at(2025, 3, 31), ward=naka, topic=Topic.ACTIVITY)  # FY2024


def _received(page: str) -> str:
    marker = 'data-key="consultations.received">'
    start = page.index(marker) + len(marker)
    return page[start : page.index("<", start)]


def test_the_page_shows_the_hand_counted_year(client, center_staff, year_2025):
    client.force_login(center_staff)
    page = client.get("/dashboard/?year=2025").content.decode()
    assert _received(page) == "7"
    assert "2026年3月" in page
    naka = client.get("/dashboard/?year=2025&ward=naka").content.decode()
    assert _received(naka) == "2"
    q1 = client.get("/dashboard/?year=2025&quarter=1").content.decode()
    assert _received(q1) == "3"


def test_ward_staff_see_their_own_count(client, tsurumi_staff, year_2025):
    client.force_login(tsurumi_staff)
    page = client.get("/dashboard/?year=2025").content.decode()
    assert _received(page) == "5"
    assert "区別の相談件数" not in page  # no by-ward table in a ward's slice


def test_csv_and_pdf_carry_the_same_numbers(client, center_staff, year_2025, tmp_path):
    client.force_login(center_staff)
    body = client.get("/dashboard/report.csv?year=2025").getvalue().decode("utf-8")
    assert "相談受付件数,7," in body
    assert "鶴見区,5" in body and "中区,2" in body
    require_japanese_font()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(client.get("/dashboard/report.pdf?year=2025").content)
    text = "".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "2025年度事業報告書" in text and "相談受付件数7" in text and "鶴見区5" in text


def test_the_page_costs_the_same_queries_with_more_data(client, center_staff, year_2025):
    client.force_login(center_staff)
    with CaptureQueriesContext(connection) as few:
        client.get("/dashboard/?year=2025")
    naka = Ward.objects.get(code="naka")
    for day in range(1, 28):
        make_case(at(2025, 11, day), ward=naka, topic=Topic.ACTIVITY, answered_after_days=1)
    with CaptureQueriesContext(connection) as many:
        client.get("/dashboard/?year=2025")
    assert len(many) == len(few) <= 30  # issue #8: constant, at most 30

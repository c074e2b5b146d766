"""The dashboard layer: who sees it, the filters reaching the apps, the ward slice forced
for ward staff, charts with the same numbers as the tables, the CSV and the PDF."""

import base64
import datetime
import re
import shutil
import subprocess

import pytest
from django.utils import translation

from center.core.fiscal import fiscal_year_of
from center.core.stats import Table
from center.dashboard import collect as collect_module
from center.dashboard.charts import chart_svg
from tests.conftest import require_japanese_font

from . import fake_stats


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(collect_module, "STATS_MODULES", ("tests.dashboard.fake_stats",))
    fake_stats.calls.clear()
    return fake_stats


def test_anonymous_visitors_are_sent_to_sign_in(client, fake):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["outsider", "org_member", "coordinator"])
def test_people_without_a_dashboard_role_get_403(client, fake, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/report.csv").status_code == 403
    assert client.get("/dashboard/report.pdf").status_code == 403
    assert fake.calls == []  # nothing was counted for them


def test_staff_see_the_current_fiscal_year_city_wide_by_default(client, fake, center_staff):
    client.force_login(center_staff)
    page = client.get("/dashboard/").content.decode()
    (period,) = fake.calls
    year = fiscal_year_of()
    assert (period.start, period.end) == (datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31))
    assert period.ward is None
    assert "1,234" in page and "2.5" in page and "—" in page
    assert "相談テーマ別" in page and '<th scope="row">子育て</th>' in page
    assert f"{year}年4月" in page  # month labels in the reader's language
    assert "no-such-business" not in page


def test_year_quarter_and_ward_filters_reach_the_apps(client, fake, city_staff):
    from center.core.models import Ward

    client.force_login(city_staff)
    year = fiscal_year_of() - 1
    response = client.get(f"/en/dashboard/?year={year}&quarter=4&ward=kohoku")
    assert response.status_code == 200
    (period,) = fake.calls
    assert (period.start, period.end) == (
        datetime.date(year + 1, 1, 1),
        datetime.date(year + 1, 3, 31),
    )
    assert period.ward == Ward.objects.get(code="kohoku")
    assert "Jan " in response.content.decode()


@pytest.mark.parametrize("query", ["year=1999", "quarter=7", "ward=atlantis", "year=abc"])
def test_bad_filters_get_a_message_not_an_error(client, fake, center_staff, query):
    client.force_login(center_staff)
    response = client.get(f"/dashboard/?{query}")
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert fake.calls == []


def test_ward_staff_see_only_their_ward_whatever_they_ask(client, fake, tsurumi_staff):
    client.force_login(tsurumi_staff)
    page = client.get("/dashboard/?ward=kohoku").content.decode()
    # The ward field is not theirs to set: an unknown field is ignored, the scope is fixed.
    (period,) = fake.calls
    assert period.ward.code == "tsurumi"
    assert "対象：鶴見区" in page
    assert 'name="ward"' not in page
    client.get("/dashboard/report.csv?ward=kohoku")
    assert fake.calls[-1].ward.code == "tsurumi"


def test_each_chart_is_an_svg_image_with_the_tables_numbers(client, fake, center_staff):
    client.force_login(center_staff)
    page = client.get("/dashboard/").content.decode()
    images = re.findall(
        r'<img class="img-fluid border" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"',
        page,
    )
    assert len(images) == 2
    svg = base64.b64decode(images[0][0]).decode()
    assert "<script" not in svg and "子育て" in svg and ">41<" in svg
    assert images[0][1].startswith("相談テーマ別: 子育て 41")


def test_a_table_without_numbers_draws_no_chart():
    table = Table(key="empty", title="空", columns=["区", "件数"], rows=[("鶴見区", 0)])
    assert chart_svg(table) == ""
    assert chart_svg(Table(key="t", title="t", columns=["a"], rows=[("x",)])) == ""


def test_csv_has_a_bom_every_table_and_no_formula(client, fake, center_staff):
    client.force_login(center_staff)
    response = client.get("/dashboard/report.csv?quarter=1")
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff")
    assert (
        "attachment" in response["Content-Disposition"]
        and "-q1.csv" in response["Content-Disposition"]
    )
    assert "受付件数,1234" in body and "子育て,41" in body
    assert "'=HYPERLINK(1),3" in body


def test_the_annual_report_pdf_has_the_numbers_in_japanese(client, fake, center_staff, tmp_path):
    require_japanese_font()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    client.force_login(center_staff)
    response = client.get("/dashboard/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    compact = "".join(text.split())
    assert "事業報告書" in compact and "相談テーマ別" in compact
    assert "1,234" in compact and "子育て41" in compact


def test_english_report_says_so(client, fake, center_staff):
    client.force_login(center_staff)
    with translation.override("en"):
        response = client.get("/en/dashboard/report.csv")
    assert "Annual report FY" in response.getvalue().decode("utf-8")


def test_my_page_links_to_the_dashboard_only_for_those_who_may_open_it(
    client, fake, center_staff, tsurumi_staff, org_member
):
    from django.urls import reverse

    for user, expected in ((center_staff, True), (tsurumi_staff, True), (org_member, False)):
        client.force_login(user)
        page = client.get(reverse("accounts:home")).content.decode()
        assert ("/dashboard/" in page) is expected, user.email

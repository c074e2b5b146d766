"""CSV export of the filtered case list: Excel-friendly, audited, personal data only with the
export permission, and formulas neutralised."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from center.core.models import AuditEvent
from consultations.export import COLUMNS, neutralise
from consultations.models import Status
from tests.consultations.test_selectors import make_case

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/consultations/consultation/"
EXPORT = "/admin/consultations/consultation/export/"
PERSONAL_HEADERS_EN = {
    "family name",
    "given name",
    "family name (furigana)",
    "given name (furigana)",
    "organisation",
    "email address",
    "phone",
    "title",
    "details",
}


def export(client, url=EXPORT, params=None) -> tuple[bytes, list[list[str]]]:
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="consultations-')
    raw = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return raw, rows


def test_the_file_is_utf8_with_a_bom_and_crlf_line_ends(client, center_staff):
    make_case(body="一行目\n二行目")
    client.force_login(center_staff)
    raw, rows = export(client)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 2  # header and one row; the newline inside a cell stays \n
    assert rows[1][-1] == "一行目\n二行目"


def test_headers_are_japanese_in_the_japanese_admin(client, center_staff):
    headers = [column.header for column in COLUMNS[:4]]
    with translation.override("en"):
        untranslated = [str(header) for header in headers]
    with translation.override("ja"):
        if any(str(h) == english for h, english in zip(headers, untranslated, strict=True)):
            # As in test_followup: an expected failure until locale/ja has the entries,
            # rather than a pass on English text.
            pytest.xfail(f"locale/ja has no translation yet for {untranslated}")
    make_case()
    client.force_login(center_staff)
    _raw, rows = export(client)
    assert rows[0][:4] == ["受付番号", "受付日時", "年度", "状況"]


def test_headers_are_english_in_the_english_admin(client, center_staff):
    make_case()
    client.force_login(center_staff)
    _raw, rows = export(client, url="/en" + EXPORT)
    with translation.override("en"):
        assert rows[0] == [str(column.header) for column in COLUMNS]
    assert rows[0][0] == "reference number"


def test_without_the_permission_no_personal_data_is_exported(client, coordinator):
    case = make_case(assignee=coordinator, family_name="山田", email="hanako@example.com")
    client.force_login(coordinator)
    raw, rows = export(client, url="/en" + EXPORT)
    assert not PERSONAL_HEADERS_EN & set(rows[0])
    assert rows[1][0] == case.reference
    for secret in ("山田", "hanako@example.com", case.title, case.body, "045-671-0000"):
        assert secret.encode() not in raw


def test_with_the_permission_personal_data_is_exported(client, center_staff):
    case = make_case(family_name="山田", email="hanako@example.com")
    client.force_login(center_staff)
    _raw, rows = export(client, url="/en" + EXPORT)
    assert set(rows[0]) >= PERSONAL_HEADERS_EN
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["family name"], record["email address"], record["title"]) == (
        "山田",
        "hanako@example.com",
        case.title,
    )


def test_the_permission_can_be_granted_to_one_person(client, city_staff):
    make_case(shared_with_city=True, phone="045-671-0000")
    client.force_login(city_staff)
    assert b"045-671-0000" not in export(client)[0]
    city_staff.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    assert b"045-671-0000" in export(client)[0]


def test_formulas_are_neutralised(client, center_staff):
    make_case(
        title='=HYPERLINK("http://evil.example","click")',
        family_name="+SUM(1,2)",
        given_name="-1",
        organization_name="@cmd",
        body="\tTAB",
    )
    client.force_login(center_staff)
    _raw, rows = export(client, url="/en" + EXPORT)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert record["family name"] == "'+SUM(1,2)"
    assert record["given name"] == "'-1"
    assert record["organisation"] == "'@cmd"
    assert record["details"] == "'\tTAB"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("\rx", "'\rx"), ("安全", "安全"), (None, ""), (2026, "2026"), ("", "")],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_the_export_follows_the_changelist_filters_and_search(client, center_staff):
    closed = make_case(status=Status.CLOSED, body="会場の件")
    make_case(status=Status.RECEIVED, body="会場の件")
    make_case(status=Status.CLOSED, body="別件")
    make_case(status=Status.CLOSED, body="会場の件", quarantined=True)
    client.force_login(center_staff)
    _raw, rows = export(client, params={"status__exact": Status.CLOSED, "q": "会場"})
    assert [row[0] for row in rows[1:]] == [closed.reference]


def test_the_export_only_holds_cases_the_user_may_see(client, coordinator):
    mine = make_case(assignee=coordinator)
    make_case()
    client.force_login(coordinator)
    _raw, rows = export(client)
    assert [row[0] for row in rows[1:]] == [mine.reference]


def test_each_export_is_audited_once_with_the_count(client, center_staff):
    for _ in range(3):
        make_case()
    client.force_login(center_staff)
    export(client, params={"status__exact": Status.RECEIVED})
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == center_staff
    assert event.detail["count"] == 3
    assert event.detail["personal_data"] is True
    assert event.detail["query"] == "status__exact=received"


def test_the_changelist_links_to_the_export_with_its_filters(client, center_staff):
    client.force_login(center_staff)
    response = client.get(CHANGELIST, {"status__exact": "closed", "p": "1"})
    assert response.context["export_url"] == EXPORT + "?status__exact=closed"
    assert f'href="{EXPORT}?status__exact=closed"' in response.content.decode()


def test_a_bad_filter_sends_back_to_the_changelist(client, center_staff):
    client.force_login(center_staff)
    response = client.get(EXPORT, {"no_such_field": "1"})
    assert response.status_code == 302
    assert response.url == CHANGELIST + "?e=1"


def test_the_export_action_exports_the_selected_cases(client, center_staff):
    chosen, _other = make_case(), make_case()
    client.force_login(center_staff)
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk], "index": 0}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [chosen.reference]
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).detail["count"] == 1


@pytest.mark.parametrize("persona", ["outsider", "org_member", "tsurumi_staff"])
def test_people_without_an_admin_role_cannot_export(client, request, persona):
    make_case()
    client.force_login(request.getfixturevalue(persona))
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()

"""The ward-center staff page: cases referred to their ward, and nothing the center keeps
to itself (other wards' cases, internal notes, contact details not shared)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from center.accounts.roles import WARD_STAFF
from center.accounts.services import user_create
from center.core.models import AuditEvent
from consultations import services
from consultations.models import Attachment, Consultation
from tests.conftest import PASSWORD
from tests.consultations.test_selectors import make_case, ward

pytestmark = pytest.mark.django_db

LIST_URL = "/consultation/staff/referred/"

# What make_case writes as the requester's contact details.
CONTACT_DETAILS = ("山田", "花子", "ヤマダ", "ハナコ", "みなと子ども食堂", "hanako@example.com")


def detail_url(case) -> str:
    return reverse("consultations:referred_case", args=[case.pk])


def references(response) -> set[str]:
    return {case.reference for case in response.context["page"].object_list}


@pytest.fixture
def cases(db):
    tsurumi = ward("tsurumi")
    return {
        "tsurumi": make_case(referred_ward=tsurumi),
        "tsurumi_contact": make_case(referred_ward=tsurumi, referral_shares_contact=True),
        "naka": make_case(referred_ward=ward("naka"), referral_shares_contact=True),
        "unreferred": make_case(),
        "quarantined": make_case(
            referred_ward=tsurumi, quarantined=True, quarantine_reason="honeypot"
        ),
    }


def referred_case_with_timeline(*, actor, shares_contact: bool) -> Consultation:
    """A case that went through the services: submitted, noted, answered, referred."""
    case = services.consultation_submit(
        fields={
            "requester_type": "npo",
            "family_name": "山田",
            "given_name": "花子",
            "family_name_kana": "ヤマダ",
            "given_name_kana": "ハナコ",
            "organization_name": "みなと子ども食堂",
            "email": "hanako@example.com",
            "phone": "045-671-0000",
            "topic": "activity",
            "title": "子ども食堂の会場探し",
            "body": "鶴見駅の近くで会場を探しています。",
        }
    )
    services.consultation_add_note(consultation=case, actor=actor, text="内部メモ:要注意の相談者")
    services.consultation_change_status(
        consultation=case, status="in_progress", actor=actor, note="状態変更の内部メモ"
    )
    services.consultation_reply(
        consultation=case, actor=actor, text="お問い合わせありがとうございます。"
    )
    services.consultation_share_with_city(consultation=case, actor=actor, basis="定例会議で共有")
    services.consultation_add_city_comment(
        consultation=case, actor=actor, text="市のコメント:非公開"
    )
    services.consultation_refer_to_ward(
        consultation=case,
        actor=actor,
        ward=ward("tsurumi"),
        shares_contact=shares_contact,
        note="鶴見区センターで会場の情報をお願いします。",
    )
    case.refresh_from_db()
    return case


# The list ------------------------------------------------------------------------------


def test_ward_staff_see_only_the_cases_referred_to_their_ward(client, tsurumi_staff, cases):
    client.force_login(tsurumi_staff)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert references(response) == {
        cases["tsurumi"].reference,
        cases["tsurumi_contact"].reference,
    }
    content = response.content.decode()
    for name in ("naka", "unreferred", "quarantined"):
        assert cases[name].reference not in content
        assert cases[name].title not in content


def test_staff_of_another_ward_see_only_their_own_ward(client, naka_staff, cases):
    client.force_login(naka_staff)
    response = client.get(LIST_URL)
    assert references(response) == {cases["naka"].reference}


def test_the_list_shows_the_columns_newest_first(client, tsurumi_staff):
    now = timezone.now()
    tsurumi = ward("tsurumi")
    older = make_case(referred_ward=tsurumi, created_at=now - datetime.timedelta(days=3))
    newer = make_case(referred_ward=tsurumi, created_at=now)
    client.force_login(tsurumi_staff)
    response = client.get(LIST_URL)
    assert [case.pk for case in response.context["page"].object_list] == [newer.pk, older.pk]
    content = response.content.decode()
    assert content.index(newer.reference) < content.index(older.reference)
    local = timezone.localtime(now)
    assert f"{local.year}年{local.month}月{local.day}日" in content
    assert "市民活動の相談" in content or "Citizen activities" in content
    assert newer.title in content
    assert detail_url(newer) in content
    # Contact details never appear on the list, whatever the referral shares.
    assert "hanako@example.com" not in content
    assert "<caption>" in content
    assert content.count("<h1") == 1


def test_the_list_is_paginated_by_fifty_with_a_constant_number_of_queries(
    client, tsurumi_staff, django_assert_max_num_queries
):
    tsurumi = ward("tsurumi")
    for _ in range(51):
        make_case(referred_ward=tsurumi)
    client.force_login(tsurumi_staff)
    with django_assert_max_num_queries(10):
        first = client.get(LIST_URL)
    assert len(first.context["page"].object_list) == 50
    assert "?page=2" in first.content.decode()
    second = client.get(LIST_URL, {"page": 2})
    assert len(second.context["page"].object_list) == 1
    # A page number nobody could have been given still answers, with the last page.
    assert client.get(LIST_URL, {"page": "9999"}).status_code == 200
    assert client.get(LIST_URL, {"page": "x<script>"}).status_code == 200


def test_the_list_says_so_when_nothing_is_referred(client, tsurumi_staff):
    client.force_login(tsurumi_staff)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "<table" not in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "org_member"])
def test_people_without_a_staff_role_are_refused(client, request, persona, cases):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST_URL).status_code == 403
    assert client.get(detail_url(cases["tsurumi"])).status_code == 403
    assert not AuditEvent.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, cases):
    for url in (LIST_URL, detail_url(cases["tsurumi"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_ward_staff_without_totp_are_sent_to_set_it_up(client, cases):
    user = user_create(
        email="tsurumi-new@example.com",
        password=PASSWORD,
        roles=[WARD_STAFF],
        ward=ward("tsurumi"),
        verified=True,
    )
    client.force_login(user)
    for url in (LIST_URL, detail_url(cases["tsurumi"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert not AuditEvent.objects.exists()


def test_other_staff_roles_see_their_own_scope(client, center_staff, city_staff, cases):
    client.force_login(center_staff)
    assert cases["unreferred"].reference in references(client.get(LIST_URL))
    client.force_login(city_staff)
    assert references(client.get(LIST_URL)) == set()


def test_the_english_page_works(client, tsurumi_staff, cases):
    client.force_login(tsurumi_staff)
    response = client.get("/en" + LIST_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Referred consultations" in content
    assert cases["tsurumi"].reference in content
    response = client.get(f"/en{LIST_URL}{cases['tsurumi'].pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Reference number" in content
    assert "Outside Yokohama" in content
    assert "The center has not shared" in content


# The detail page -----------------------------------------------------------------------


def test_ward_staff_open_a_case_referred_to_their_ward(client, tsurumi_staff, cases):
    case = cases["tsurumi"]
    client.force_login(tsurumi_staff)
    response = client.get(detail_url(case))
    assert response.status_code == 200
    content = response.content.decode()
    assert case.reference in content
    assert case.title in content
    assert case.body in content
    assert content.count("<h1") == 1
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_pages_are_never_cached(client, tsurumi_staff, cases):
    client.force_login(tsurumi_staff)
    response = client.get(LIST_URL)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["naka", "unreferred", "quarantined"])
def test_a_case_not_referred_to_the_ward_is_not_found(client, tsurumi_staff, cases, name):
    client.force_login(tsurumi_staff)
    assert client.get(detail_url(cases[name])).status_code == 404
    assert not AuditEvent.objects.exists()


def test_staff_of_another_ward_cannot_open_the_case(client, naka_staff, cases):
    client.force_login(naka_staff)
    assert client.get(detail_url(cases["tsurumi"])).status_code == 404
    assert client.get(detail_url(cases["naka"])).status_code == 200


def test_guessed_and_malformed_ids_are_not_found(client, tsurumi_staff, cases):
    client.force_login(tsurumi_staff)
    highest = Consultation.objects.order_by("-pk").first().pk
    visible = {cases["tsurumi"].pk, cases["tsurumi_contact"].pk}
    for pk in [*range(1, highest + 3), 0, 2**31, 2**63]:
        if pk in visible:
            continue
        response = client.get(f"{LIST_URL}{pk}/")
        assert response.status_code == 404, pk
    for raw in ("abc", "-1", "1.0", "%00", "1%20OR%201=1", cases["tsurumi"].reference):
        assert client.get(f"{LIST_URL}{raw}/").status_code == 404, raw
    assert not AuditEvent.objects.exists()


def test_contact_details_and_attachments_are_hidden_unless_the_referral_shares_them(
    client, tsurumi_staff, cases
):
    hidden, shared = cases["tsurumi"], cases["tsurumi_contact"]
    files = {
        case.pk: Attachment.objects.create(
            consultation=case,
            file="consultations/2026/04/plan.pdf",
            original_name="会場の図面.pdf",
            content_type="application/pdf",
            size=1024,
        )
        for case in (hidden, shared)
    }
    client.force_login(tsurumi_staff)

    response = client.get(detail_url(hidden))
    assert response.context["show_contact"] is False
    content = response.content.decode()
    for value in (*CONTACT_DETAILS, "045-671-0000"):
        assert value not in content
    assert reverse("consultations:attachment", args=[files[hidden.pk].pk]) not in content
    assert "会場の図面.pdf" not in content

    response = client.get(detail_url(shared))
    assert response.context["show_contact"] is True
    content = response.content.decode()
    for value in (*CONTACT_DETAILS, "045-671-0000"):
        assert value in content
    assert reverse("consultations:attachment", args=[files[shared.pk].pk]) in content
    assert "会場の図面.pdf" in content


def test_internal_notes_are_never_shown_but_the_referral_note_is(
    client, tsurumi_staff, center_staff
):
    case = referred_case_with_timeline(actor=center_staff, shares_contact=False)
    client.force_login(tsurumi_staff)
    content = client.get(detail_url(case)).content.decode()
    assert "内部メモ" not in content
    assert "状態変更の内部メモ" not in content
    assert "市のコメント" not in content
    assert "定例会議で共有" not in content
    assert "お問い合わせありがとうございます。" in content
    assert "鶴見区センターで会場の情報をお願いします。" in content
    assert "hanako@example.com" not in content


def test_the_note_of_an_earlier_referral_to_another_ward_is_not_shown(
    client, tsurumi_staff, naka_staff, center_staff
):
    case = make_case()
    services.consultation_refer_to_ward(
        consultation=case,
        actor=center_staff,
        ward=ward("naka"),
        shares_contact=True,
        note="中区向け:連絡先 090-0000-0000",
    )
    services.consultation_refer_to_ward(
        consultation=case,
        actor=center_staff,
        ward=ward("tsurumi"),
        shares_contact=False,
        note="鶴見区向けのメモ",
    )
    client.force_login(tsurumi_staff)
    content = client.get(detail_url(case)).content.decode()
    assert "鶴見区向けのメモ" in content
    assert "中区向け" not in content
    client.force_login(naka_staff)
    assert client.get(detail_url(case)).status_code == 404


def test_every_opening_is_written_to_the_audit_log(client, tsurumi_staff, cases):
    case = cases["tsurumi"]
    client.force_login(tsurumi_staff)
    client.get(detail_url(case))
    client.get(detail_url(case))
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, target_id=str(case.pk))
    assert events.count() == 2
    assert {event.actor for event in events} == {tsurumi_staff}
    assert {event.target_repr for event in events} == {case.reference}
    # The list shows no personal data and writes nothing.
    client.get(LIST_URL)
    assert AuditEvent.objects.count() == 2


def test_the_detail_page_needs_few_queries(
    client, tsurumi_staff, center_staff, django_assert_max_num_queries
):
    case = referred_case_with_timeline(actor=center_staff, shares_contact=True)
    client.force_login(tsurumi_staff)
    with django_assert_max_num_queries(15):
        assert client.get(detail_url(case)).status_code == 200

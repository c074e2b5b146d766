"""The requester's private tracking page, the receipt page and "my consultations"."""

import re
import time
from unittest import mock

import pytest
from django.utils import timezone, translation

from center.core.templatetags.center import jdate
from consultations.models import Consultation, Status
from consultations.services import (
    consultation_add_city_comment,
    consultation_add_note,
    consultation_assign,
    consultation_change_status,
    consultation_reply,
    consultation_share_with_city,
    consultation_submit,
)
from consultations.views.public import STATUS_EXPLANATIONS, receipt_token

from . import fresh_cache_fixture, valid_post  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("fresh_cache")


def make_case(title="集会所の使い方について", email="taro@example.jp", **extra):
    return consultation_submit(
        fields={
            "requester_type": "neighbourhood",
            "family_name": "横浜",
            "given_name": "太郎",
            "organization_name": "本町自治会",
            "email": email,
            "preferred_contact": "email",
            "topic": "activity",
            "title": title,
            "body": "相談の本文",
            **extra,
        }
    )


def track_url(consultation) -> str:
    return f"/consultation/track/{consultation.tracking_token}/"


def page_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# What the page shows --------------------------------------------------------------------


def test_the_page_shows_reference_title_date_and_status_explained(client, db):
    consultation = make_case()
    page = page_of(client, track_url(consultation))

    assert page.count("<h1") == 1
    assert consultation.reference in page
    assert "集会所の使い方について" in page
    with translation.override("ja"):
        assert jdate(consultation.created_at) in page
        assert str(Status.RECEIVED.label) in page
        assert str(STATUS_EXPLANATIONS[Status.RECEIVED]) in page.replace("&#x27;", "'")


def test_replies_and_status_changes_appear_with_the_center_as_author(client, db, center_staff):
    consultation = make_case()
    consultation_assign(consultation=consultation, assignee=center_staff, actor=center_staff)
    consultation_change_status(
        consultation=consultation, status=Status.IN_PROGRESS, actor=center_staff
    )
    consultation_reply(
        consultation=consultation, actor=center_staff, text="来週の相談会をご案内します。\n2行目"
    )

    page = page_of(client, track_url(consultation))

    assert "来週の相談会をご案内します。\n2行目" in page
    with translation.override("ja"):
        assert str(Status.IN_PROGRESS.label) in page
    # Nobody's name or address: the author is "the center".
    for staff_detail in (center_staff.email, str(center_staff), center_staff.get_full_name()):
        if staff_detail:
            assert staff_detail not in page


def test_internal_notes_city_comments_and_sharing_never_appear(client, db, center_staff):
    consultation = make_case()
    consultation_add_note(consultation=consultation, actor=center_staff, text="内部メモ:要注意の方")
    consultation_share_with_city(
        consultation=consultation, actor=center_staff, basis="共有根拠:協働事業の検討"
    )
    consultation.refresh_from_db()
    consultation_add_city_comment(
        consultation=consultation, actor=center_staff, text="市のコメント:予算なし"
    )
    consultation_change_status(
        consultation=consultation,
        status=Status.IN_PROGRESS,
        actor=center_staff,
        note="状態変更の理由:内部の判断",
    )

    page = page_of(client, track_url(consultation))

    for secret in ("内部メモ", "共有根拠", "市のコメント", "状態変更の理由", "要注意"):
        assert secret not in page


def test_the_token_of_one_case_never_shows_another(client, db):
    first = make_case(title="一件目の相談")
    second = make_case(title="二件目の相談")

    page = page_of(client, track_url(first))

    assert first.reference in page and "一件目の相談" in page
    assert second.reference not in page and "二件目の相談" not in page


@pytest.mark.parametrize(
    "token",
    ["unknown-token", "x" * 65, "%00", "' OR '1'='1"],
)
def test_an_unknown_token_is_a_404(client, db, token):
    make_case()
    assert client.get(f"/consultation/track/{token}/").status_code == 404


def test_a_prefix_of_a_real_token_is_a_404(client, db):
    consultation = make_case()
    assert client.get(f"/consultation/track/{consultation.tracking_token[:-1]}/").status_code == 404


def test_an_anonymised_case_is_no_longer_tracked(client, db):
    consultation = make_case()
    # As the retention task leaves it (the service itself is tested in test_retention).
    Consultation.objects.filter(pk=consultation.pk).update(anonymised_at=timezone.now())
    assert client.get(track_url(consultation)).status_code == 404


def test_the_page_stays_out_of_search_engines_caches_and_referers(client, db):
    response = client.get(track_url(make_case()))
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_html_in_a_reply_is_shown_as_text(client, db, center_staff):
    consultation = make_case()
    consultation_reply(
        consultation=consultation, actor=center_staff, text="<b>太字</b><script>x</script>"
    )
    page = page_of(client, track_url(consultation))
    assert "<script>x</script>" not in page
    assert "&lt;b&gt;太字&lt;/b&gt;" in page


def test_the_english_tracking_page_works(client, db):
    consultation = make_case()
    page = page_of(client, "/en" + track_url(consultation))
    assert '<html lang="en">' in page
    assert "Status of your consultation" in page
    assert "We have received your consultation." in page


def test_the_page_needs_few_queries(client, db, center_staff, django_assert_max_num_queries):
    consultation = make_case()
    for n in range(5):
        consultation_reply(consultation=consultation, actor=center_staff, text=f"返信{n}")
    with django_assert_max_num_queries(6):
        client.get(track_url(consultation))


# The receipt ----------------------------------------------------------------------------


def test_the_receipt_page_shows_the_reference_and_the_tracking_link(client, db):
    consultation = make_case()
    page = page_of(client, f"/consultation/thanks/{receipt_token(consultation.pk)}/")
    assert consultation.reference in page
    assert track_url(consultation) in page
    assert page.count("<h1") == 1


def test_the_receipt_mentions_the_mail_only_when_there_is_an_address(client, db):
    with_mail = page_of(client, f"/consultation/thanks/{receipt_token(make_case().pk)}/")
    without = page_of(client, f"/consultation/thanks/{receipt_token(make_case(email='').pk)}/")
    assert 'id="mail-sent"' in with_mail
    assert 'id="mail-sent"' not in without


def test_a_forged_or_expired_receipt_link_is_a_404(client, db):
    consultation = make_case()
    assert client.get(f"/consultation/thanks/{consultation.pk}/").status_code == 404
    assert client.get("/consultation/thanks/MQ:1abc:forged/").status_code == 404
    token = receipt_token(consultation.pk)
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 3601):
        assert client.get(f"/consultation/thanks/{token}/").status_code == 404


def test_the_receipt_page_is_private(client, db):
    response = client.get(f"/consultation/thanks/{receipt_token(make_case().pk)}/")
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


# From the form to the mail to the tracking page ---------------------------------------------


def test_the_receipt_mail_has_the_reference_and_a_link_that_opens_the_case(
    client, db, django_capture_on_commit_callbacks, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/consultation/", valid_post())
    assert response.status_code == 302
    receipt = next(m for m in mailoutbox if m.to == ["hanako@example.jp"])
    consultation = Consultation.objects.get()
    assert consultation.reference in receipt.subject
    assert consultation.reference in receipt.body
    link = re.search(re.escape(settings.SITE_URL) + r"(/consultation/track/[\w-]+/)", receipt.body)
    assert link, receipt.body
    page = page_of(client, link.group(1))
    assert consultation.reference in page
    assert link.group(1) in receipt.alternatives[0][0]


def test_a_public_reply_is_mailed_with_the_tracking_link(
    db, center_staff, django_capture_on_commit_callbacks, mailoutbox, settings
):
    consultation = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_reply(
            consultation=consultation, actor=center_staff, text="資料をお送りします & よろしく"
        )
    mail = mailoutbox[-1]
    assert mail.to == ["taro@example.jp"]
    assert consultation.reference in mail.subject
    assert "資料をお送りします & よろしく" in mail.body
    assert settings.SITE_URL + track_url(consultation) in mail.body


# My consultations --------------------------------------------------------------------------


def test_my_consultations_needs_a_sign_in(client, db):
    response = client.get("/consultation/my/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_member_sees_only_their_own_cases_with_status_and_links(client, org_member, outsider):
    mine = consultation_submit(
        fields={
            "requester_type": "npo",
            "family_name": "会員",
            "organization_name": "NPO",
            "email": org_member.email,
            "topic": "founding",
            "title": "わたしの相談",
        },
        submitted_by=org_member,
    )
    consultation_submit(
        fields={"requester_type": "individual", "topic": "other", "title": "他人の相談"},
        submitted_by=outsider,
    )
    make_case(title="匿名の相談")
    client.force_login(org_member)

    page = page_of(client, "/consultation/my/")

    assert "わたしの相談" in page and mine.reference in page
    assert track_url(mine) in page
    assert "他人の相談" not in page and "匿名の相談" not in page
    with translation.override("ja"):
        assert str(Status.RECEIVED.label) in page
    assert page.count("<h1") == 1


def test_my_consultations_with_none_yet_says_so(client, outsider):
    client.force_login(outsider)
    page = page_of(client, "/consultation/my/")
    assert 'href="/consultation/"' in page


def test_my_consultations_takes_a_constant_number_of_queries(
    client, org_member, django_assert_max_num_queries
):
    for n in range(8):
        consultation_submit(
            fields={"requester_type": "individual", "topic": "other", "title": f"相談{n}"},
            submitted_by=org_member,
        )
    client.force_login(org_member)
    with django_assert_max_num_queries(8):
        client.get("/consultation/my/")

"""The know-how library: search with kana folding, files checked and served to network users."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from center.core.models import AuditEvent
from networks.models import KnowHowArticle, KnowHowDocument
from networks.selectors_support import knowhow_search

from . import PDF, make_article, pdf_upload, ward_center

pytestmark = pytest.mark.django_db


def en(name, *args) -> str:
    with translation.override("en"):
        return reverse(f"networks:{name}", args=args)


def test_search_folds_kana_width_and_case():
    food = make_article(
        "tsurumi", title="子ども食堂の立ち上げ", body="コドモショクドウの相談とＮＰＯ法人"
    )
    make_article(None, title="広報の基本", body="チラシの作り方")
    assert list(knowhow_search(query="こどもしょくどう")) == [food]
    assert list(knowhow_search(query="npo")) == [food]
    assert list(knowhow_search(query="ｺﾄﾞﾓ 法人")) == [food]
    assert list(knowhow_search(query="こどもしょくどう チラシ")) == []


def test_the_list_page_searches_and_filters_by_category(client, naka_staff):
    food = make_article("tsurumi", title="子ども食堂の立ち上げ", body="コドモショクドウ")
    make_article(None, title="広報の基本")
    client.force_login(naka_staff)
    response = client.get(en("knowhow_list"), {"q": "こどもしょくどう"})
    assert list(response.context["page"]) == [food]
    response = client.get(en("knowhow_list"), {"category": "publicity"})
    assert list(response.context["page"]) == []
    response = client.get(en("knowhow_list"), {"category": "no-such-category"})
    assert response.status_code == 200


def test_the_author_ward_is_shown(client, naka_staff):
    article = make_article("tsurumi")
    client.force_login(naka_staff)
    page = client.get(en("knowhow_detail", article.pk)).text
    assert 'id="knowhow-author-ward">Tsurumi' in page


def test_markdown_is_rendered_and_sanitised(client, naka_staff):
    article = make_article(None, body="**太字**<script>alert(1)</script>")
    client.force_login(naka_staff)
    page = client.get(en("knowhow_detail", article.pk)).text
    assert "<strong>太字</strong>" in page
    assert "<script>alert(1)" not in page


def test_a_ward_shares_an_article_with_a_document(client, tsurumi_staff):
    ward_center("tsurumi")
    client.force_login(tsurumi_staff)
    response = client.post(
        en("knowhow_create"),
        {"title": "会計講座", "category": "courses", "body": "本文", "documents": [pdf_upload()]},
    )
    assert response.status_code == 302
    article = KnowHowArticle.objects.get()
    assert article.ward_center.ward.code == "tsurumi"
    document = article.documents.get()
    assert document.original_name == "資料.pdf"
    download = client.get(en("knowhow_document", document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    assert "attachment" in download["Content-Disposition"]


def test_a_document_download_is_never_sniffed_keeps_its_japanese_name_and_is_audited(
    client, naka_staff
):
    article = make_article("tsurumi", documents=[pdf_upload()])
    document = article.documents.get()
    client.force_login(naka_staff)
    response = client.get(en("knowhow_document", document.pk))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    # RFC 5987 percent-encoding of 資料.pdf
    assert "filename*=utf-8''%E8%B3%87%E6%96%99.pdf" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.actor, event.detail) == (naka_staff, {"knowhow_document": document.pk})


def test_a_document_missing_from_storage_is_a_404_and_not_audited(
    client, naka_staff, private_storage
):
    document = make_article("tsurumi", documents=[pdf_upload()]).documents.get()
    (private_storage / document.file.name).unlink()
    client.force_login(naka_staff)
    assert client.get(en("knowhow_document", document.pk)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00" * 100, content_type="application/pdf"), "PDF"),
        (
            SimpleUploadedFile("a.html", b"<html><script>x</script>", content_type="text/html"),
            "PDF",
        ),
    ],
)
def test_a_wrong_file_type_is_refused_with_a_clear_message(client, tsurumi_staff, upload, message):
    ward_center("tsurumi")
    client.force_login(tsurumi_staff)
    response = client.post(
        en("knowhow_create"),
        {"title": "会計講座", "category": "courses", "body": "本文", "documents": [upload]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["documents"]
    assert message in response.text
    assert not KnowHowArticle.objects.exists()


def test_an_oversized_file_is_refused_with_a_clear_message(client, tsurumi_staff):
    ward_center("tsurumi")
    client.force_login(tsurumi_staff)
    big = SimpleUploadedFile(
        "big.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    response = client.post(
        en("knowhow_create"),
        {"title": "会計講座", "category": "courses", "body": "本文", "documents": [big]},
    )
    assert response.status_code == 200
    assert "10" in " ".join(response.context["form"].errors["documents"])
    assert not KnowHowDocument.objects.exists()


def test_a_ward_cannot_edit_another_wards_article_but_center_staff_can(
    client, naka_staff, center_staff
):
    article = make_article("tsurumi")
    client.force_login(naka_staff)
    assert client.get(en("knowhow_edit", article.pk)).status_code == 404
    assert client.post(en("knowhow_edit", article.pk), {"title": "x"}).status_code == 404
    client.force_login(center_staff)
    response = client.post(
        en("knowhow_edit", article.pk),
        {"title": "改訂版", "category": "courses", "body": "新しい本文"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "改訂版"
    assert article.ward_center.ward.code == "tsurumi"  # the author ward stays
    assert list(knowhow_search(query="あたらしい")) == [] and list(
        knowhow_search(query="改訂版")
    ) == [article]


def test_city_staff_read_but_do_not_write(client, city_staff):
    article = make_article(None)
    client.force_login(city_staff)
    assert client.get(en("knowhow_detail", article.pk)).status_code == 200
    assert client.get(en("knowhow_create")).status_code == 403


def test_events_with_seats_for_ward_staff_are_listed_or_an_empty_state(
    client, naka_staff, monkeypatch
):
    import datetime

    from django.utils import timezone

    from center.core import listings

    client.force_login(naka_staff)
    monkeypatch.setattr(listings, "_PROVIDERS", {})
    assert 'id="staff-seats-empty"' in client.get(en("knowhow_list")).text
    item = listings.ListingItem(
        title="協働コーディネート研修",
        url="/events/1/",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="市民協働推進センター",
        note="区センター職員 5席",
    )
    listings.register_listing("events_with_ward_staff_seats", lambda: [item])
    page = client.get(en("knowhow_list")).text
    assert "協働コーディネート研修" in page
    assert "区センター職員 5席" in page
    assert 'id="staff-seats-empty"' not in page


def test_the_list_stays_within_a_fixed_number_of_queries(
    client, naka_staff, django_assert_max_num_queries
):
    for index in range(6):
        make_article(
            "tsurumi" if index % 2 else None, title=f"記事{index}", documents=[pdf_upload()]
        )
    client.force_login(naka_staff)
    with django_assert_max_num_queries(12):
        response = client.get(en("knowhow_list"))
    assert len(response.context["page"]) == 6


def test_the_default_categories_are_loaded_in_order():
    from networks.models import KnowHowCategory

    assert list(KnowHowCategory.objects.values_list("name", flat=True)) == [
        "団体支援",
        "協働コーディネート",
        "講座運営",
        "広報",
        "センター運営",
        "その他",
    ]

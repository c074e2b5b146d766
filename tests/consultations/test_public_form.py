"""The public consultation form, through the client, as a visitor meets it."""

import html
import io
import re
import zipfile

import pytest
from django.core.signing import TimestampSigner
from django.test import Client
from django.utils import translation
from PIL import Image

from center.core.models import OutboxMessage, Ward
from consultations.forms import FILES_NOT_KEPT, sensitive_words_in, to_katakana
from consultations.models import Attachment, Consultation, ReferenceCounter
from consultations.services import PRIVACY_NOTICE_VERSION
from consultations.uploads import MAX_ATTACHMENT_BYTES
from consultations.uploads import MESSAGES as UPLOAD_MESSAGES

from . import (  # noqa: F401  (fixtures)
    fresh_cache_fixture,
    image_bytes,
    jpeg_bytes,
    office_zip_bytes,
    ole2_bytes,
    pdf_bytes,
    private_media_fixture,
    upload,
    valid_post,
)

URL = "/consultation/"
pytestmark = pytest.mark.usefixtures("fresh_cache", "private_media")


def text_of(response) -> str:
    return response.content.decode()


def upload_message(code: str, **params) -> str:
    """An attachment error as the Japanese page words it (once the catalogue has it)."""
    with translation.override("ja"):
        return str(UPLOAD_MESSAGES[code]) % params


def field_error(response, field: str) -> str:
    """The error text shown next to one field (crispy's `<id>_error` block), unescaped."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', text_of(response), re.DOTALL)
    if not match:
        return ""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def post(client, data, url=URL, **extra):
    return client.post(url, data, **extra)


# The empty form -----------------------------------------------------------------------------


def test_the_form_shows_every_part_a_visitor_needs(client, db):
    response = client.get(URL)
    page = text_of(response)

    assert response.status_code == 200
    assert page.count("<h1") == 1
    for name in (
        "requester_type",
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "organization_name",
        "email",
        "phone",
        "preferred_contact",
        "ward",
        "topic",
        "title",
        "body",
        "attachments",
        "privacy_consent",
        "sensitive_consent",
    ):
        assert f'name="{name}"' in page, name
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<input type="file" name="attachments"[^>]* multiple', page)


def test_the_purpose_of_use_comes_before_the_submit_button_with_a_privacy_link(client, db):
    page = text_of(client.get(URL))
    purpose = page.index('id="purpose-title"')
    assert page.index('href="/privacy/"', purpose) < page.index('type="submit"')
    assert PRIVACY_NOTICE_VERSION in page[purpose:]
    assert purpose < page.index('name="privacy_consent"') < page.index('type="submit"')


def test_the_sensitive_information_checkbox_is_always_shown_with_its_explanation(client, db):
    page = text_of(client.get(URL))
    assert 'name="sensitive_consent"' in page
    assert "要配慮個人情報" in page
    assert 'aria-describedby="id_sensitive_consent_helptext"' in page


def test_the_wards_are_listed_in_order_then_outside_yokohama(client, db):
    page = text_of(client.get(URL))
    values = re.findall(r'<option value="([^"]*)"', page)
    codes = list(Ward.objects.in_order().values_list("code", flat=True))
    assert values == ["", *codes, "outside"]
    assert len(codes) == 18


def test_the_form_is_never_cached(client, db):
    response = client.get(URL)
    assert "no-store" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in text_of(response)


def test_the_english_form_works(client, db):
    response = client.get("/en/consultation/")
    page = text_of(response)
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "Consultation form" in page
    assert "Tsurumi" in page


def test_the_english_form_submits_and_remembers_the_language(client, db):
    response = post(client, valid_post(), url="/en/consultation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/consultation/thanks/")
    assert Consultation.objects.get().language == "en"


# A good submission ----------------------------------------------------------------------------


def test_a_valid_submission_is_stored_and_redirects_to_the_receipt(client, db):
    response = post(client, valid_post())

    assert response.status_code == 302
    consultation = Consultation.objects.get()
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert consultation.reference in text_of(receipt)
    assert consultation.channel == "web"
    assert consultation.language == "ja"
    assert consultation.submitted_by is None
    assert consultation.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert consultation.ward.code == "naka"
    assert consultation.quarantined is False


def test_kana_phone_and_email_are_normalised(client, db):
    post(
        client,
        valid_post(
            family_name_kana="やまだ",
            given_name_kana="ﾊﾅｺ",
            phone="０４５ー１２３ー４５６７",
            email="ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ",
        ),
    )
    consultation = Consultation.objects.get()
    assert (consultation.family_name_kana, consultation.given_name_kana) == ("ヤマダ", "ハナコ")
    assert consultation.phone == "045-123-4567"
    assert consultation.email == "hanako@example.jp"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("045-123-4567", "045-123-4567"),
        ("0451234567", "0451234567"),
        ("(045) 123 4567", "045-123-4567"),
        ("+81 45-123-4567", "045-123-4567"),
        ("090‐1234‐5678", "090-1234-5678"),
        ("０９０１２３４５６７８", "09012345678"),
    ],
)
def test_phone_numbers_are_accepted_in_their_usual_shapes(client, db, typed, stored):
    assert post(client, valid_post(phone=typed)).status_code == 302
    assert Consultation.objects.get().phone == stored


@pytest.mark.parametrize("typed", ["123", "045-123-45678-9", "phone me", "+1 555 123 4567"])
def test_a_phone_number_that_is_not_japanese_is_refused(client, db, typed):
    response = post(client, valid_post(phone=typed))
    assert response.status_code == 200
    assert field_error(response, "phone")
    assert Consultation.objects.count() == 0


def test_the_signed_in_requester_is_recorded(client, org_member):
    client.force_login(org_member)
    post(client, valid_post())
    assert Consultation.objects.get().submitted_by == org_member


def test_outside_yokohama_is_stored_without_a_ward(client, db):
    post(client, valid_post(ward="outside"))
    assert Consultation.objects.get().ward is None


def test_a_phone_only_requester_needs_no_email(client, db):
    response = post(client, valid_post(preferred_contact="phone", email=""))
    assert response.status_code == 302
    assert Consultation.objects.get().email == ""


# Errors -------------------------------------------------------------------------------------


def test_errors_sit_next_to_fields_and_in_a_summary_and_keep_what_was_typed(client, db):
    response = post(
        client,
        valid_post(family_name="", title="会場について", body="本文です。\n二行目", ward="naka"),
    )
    page = text_of(response)

    assert response.status_code == 200
    assert 'class="alert alert-danger error-summary"' in page
    assert 'href="#id_family_name"' in page
    assert field_error(response, "family_name")
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_family_name_error"' in page
    # What was typed is still there.
    assert 'value="会場について"' in page
    assert "本文です。\n二行目</textarea>" in page
    assert '<option value="naka" selected>' in page
    assert re.search(r'value="civic_group"[^>]*checked', page)
    assert re.search(r'name="privacy_consent"[^>]*checked', page)
    assert Consultation.objects.count() == 0


def test_email_is_required_unless_the_requester_prefers_the_phone(client, db):
    response = post(client, valid_post(email="", preferred_contact="email"))
    assert response.status_code == 200
    assert field_error(response, "email")


@pytest.mark.parametrize("preference", ["phone", "either"])
def test_a_phone_number_is_required_when_asked_to_call(client, db, preference):
    response = post(client, valid_post(preferred_contact=preference, phone=""))
    assert response.status_code == 200
    assert field_error(response, "phone")
    assert Consultation.objects.count() == 0


def test_a_group_must_give_its_name(client, db):
    response = post(client, valid_post(requester_type="npo", organization_name=""))
    assert field_error(response, "organization_name")
    assert (
        post(client, valid_post(requester_type="individual", organization_name="")).status_code
        == 302
    )


def test_furigana_must_be_kana(client, db):
    response = post(client, valid_post(family_name_kana="山田"))
    assert field_error(response, "family_name_kana")
    assert Consultation.objects.count() == 0


def test_the_privacy_consent_is_required(client, db):
    data = valid_post()
    del data["privacy_consent"]
    response = post(client, data)
    assert field_error(response, "privacy_consent")
    assert Consultation.objects.count() == 0


def test_sensitive_information_needs_its_own_consent_and_the_error_says_why(client, db):
    body = "持病があり通院しながら活動しています。"
    response = post(client, valid_post(body=body))

    error = field_error(response, "sensitive_consent")
    assert response.status_code == 200
    assert "「持病」" in error and "「通院」" in error
    assert Consultation.objects.count() == 0

    response = post(client, valid_post(body=body, sensitive_consent="on"))
    assert response.status_code == 302
    assert Consultation.objects.get().sensitive_consent is True


def test_a_message_without_sensitive_words_needs_no_sensitive_consent(client, db):
    assert (
        post(client, valid_post(body="ボランティア精神で災害の被害想定を学ぶ会です。")).status_code
        == 302
    )
    assert Consultation.objects.get().sensitive_consent is False


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("障害のある方と一緒に", ["障害"]),
        ("犯罪の被害者を支える", ["犯罪", "被害者"]),
        ("宗教団体ではありません", ["宗教"]),
        ("We support victims of abuse", ["victims", "abuse"]),
        ("Her DIAGNOSIS came last year", ["DIAGNOSIS"]),
        ("みんなでがんばります", []),
        ("The charity race in Kohoku", []),
    ],
)
def test_sensitive_words_are_recognised(text, found):
    assert sensitive_words_in(text) == found


def test_hiragana_and_half_width_kana_become_full_width_katakana():
    assert to_katakana("やまだ　はなこ") == "ヤマダ ハナコ"
    assert to_katakana("ｶﾞｯｺｳ") == "ガッコウ"
    assert to_katakana("いすゞ") == "イスヾ"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requester_type", "administrator"),
        ("preferred_contact", "carrier-pigeon"),
        ("topic", "<script>"),
        ("ward", "atlantis"),
        ("ward", "1"),
    ],
)
def test_forged_choices_are_form_errors_not_crashes(client, db, field, value):
    response = post(client, valid_post(**{field: value}))
    assert response.status_code == 200
    assert field_error(response, field)
    assert Consultation.objects.count() == 0


def test_extra_fields_cannot_set_what_staff_decide(client, db):
    response = post(
        client,
        valid_post(
            quarantined="",
            status="closed",
            reference="S1999-9999",
            assignee="1",
            shared_with_city="on",
            tracking_token="chosen-by-me",
            privacy_notice_version="1900-01-01",
            channel="counter",
        ),
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.status == "received"
    assert consultation.reference != "S1999-9999"
    assert consultation.assignee is None
    assert consultation.shared_with_city is False
    assert consultation.tracking_token != "chosen-by-me"
    assert consultation.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert consultation.channel == "web"


def test_the_csrf_check_still_applies(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, valid_post())
    assert response.status_code == 403
    assert Consultation.objects.count() == 0


# Bad input ---------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "x" * 10_001,
    "<script>alert('x')</script>",
    "\x00\x01\x02\x07\x08\x0b\x0c\x1b\x1f",
    "制御\x00文字\x1bあり",
    "絵文字🙂👨‍👩‍👧‍👦🏳️‍🌈",
    "ｈａｌｆ／ｆｕｌｌ　ＡＢＣ１２３ｱｲｳ",
    "\u202eevil\u202c",
    "' OR 1=1; --",
    "{{ settings.SECRET_KEY }}",
]


@pytest.mark.parametrize(
    "field",
    [
        "family_name",
        "given_name",
        "family_name_kana",
        "organization_name",
        "email",
        "phone",
        "title",
        "body",
    ],
)
@pytest.mark.parametrize("value", NASTY, ids=range(len(NASTY)))
def test_bad_input_is_a_clear_error_or_a_safely_stored_case_never_a_crash(client, db, field, value):
    counter_before = list(ReferenceCounter.objects.values_list("last_number", flat=True))
    response = post(client, valid_post(**{field: value}))

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        # Refused: nothing at all was stored, and the page says why.
        assert 'class="alert alert-danger error-summary"' in text_of(response)
        assert Consultation.objects.count() == 0
        assert Attachment.objects.count() == 0
        assert OutboxMessage.objects.count() == 0
        assert list(ReferenceCounter.objects.values_list("last_number", flat=True)) == (
            counter_before
        )
        return
    consultation = Consultation.objects.get()
    stored = getattr(consultation, field)
    assert "\x00" not in stored and "\x1b" not in stored and "\u202e" not in stored
    page = text_of(client.get(f"/consultation/track/{consultation.tracking_token}/"))
    assert "<script>alert" not in page


def test_a_very_long_body_is_refused_with_the_limit_explained(client, db):
    response = post(client, valid_post(body="あ" * 10_001))
    assert response.status_code == 200
    assert "10000" in field_error(response, "body")
    assert post(client, valid_post(body="あ" * 10_000)).status_code == 302


def test_script_in_the_title_is_shown_as_text(client, db):
    response = post(client, valid_post(title="<script>alert(1)</script>"))
    consultation = Consultation.objects.get()
    receipt = text_of(client.get(response["Location"]))
    track = text_of(client.get(f"/consultation/track/{consultation.tracking_token}/"))
    assert "<script>alert(1)</script>" not in track
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in track
    assert "<script>alert" not in receipt


def test_an_enormous_post_shows_the_form_with_an_error(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, valid_post(body="x" * 20_000))
    assert response.status_code == 413
    assert 'name="title"' in text_of(response)
    assert "alert-danger" in text_of(response)
    assert Consultation.objects.count() == 0


def test_too_many_fields_show_the_form_with_an_error(client, db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    data = valid_post(**{f"extra{n}": "x" for n in range(100)})
    response = post(client, data)
    assert response.status_code == 400
    assert 'name="title"' in text_of(response)
    assert Consultation.objects.count() == 0


def test_a_declared_body_larger_than_three_full_files_is_not_read(client, db):
    response = client.post(
        URL, data=b"x", content_type="application/octet-stream", CONTENT_LENGTH=10**10
    )
    assert response.status_code == 413
    assert 'name="title"' in text_of(response)


def test_a_broken_multipart_body_shows_the_form_with_an_error(client, db):
    response = client.post(
        URL, data=b"--nope\r\ngarbage", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400
    assert 'name="title"' in text_of(response)
    assert Consultation.objects.count() == 0


def test_a_get_with_a_query_string_of_fields_does_not_submit(client, db):
    assert client.get(URL, valid_post()).status_code == 200
    assert Consultation.objects.count() == 0


def test_other_methods_are_refused(client, db):
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


# Attachments --------------------------------------------------------------------------------


def attach(*files, **overrides):
    return valid_post(attachments=list(files), **overrides)


def test_a_pdf_an_image_and_an_office_file_are_stored_with_their_names(client, db):
    response = post(
        client,
        attach(
            upload("会則.pdf", pdf_bytes(), "application/pdf"),
            upload("チラシ.png", image_bytes("PNG"), "image/png"),
            upload("予算.xlsx", office_zip_bytes("xl")),
        ),
    )
    assert response.status_code == 302
    stored = Consultation.objects.get().attachments.order_by("pk")
    assert [(a.original_name, a.content_type) for a in stored] == [
        ("会則.pdf", "application/pdf"),
        ("チラシ.jpg", "image/jpeg"),
        ("予算.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("議事録.docx", office_zip_bytes("word"), "wordprocessingml.document"),
        ("発表.pptx", office_zip_bytes("ppt"), "presentationml.presentation"),
        ("古い文書.doc", ole2_bytes("WordDocument"), "application/msword"),
        ("古い表.xls", ole2_bytes("Workbook"), "application/vnd.ms-excel"),
        ("古いスライド.ppt", ole2_bytes("PowerPoint Document"), "application/vnd.ms-powerpoint"),
        ("animation.gif", image_bytes("GIF"), "image/jpeg"),
        ("photo.webp", image_bytes("WEBP"), "image/jpeg"),
    ],
)
def test_office_files_and_every_image_format_are_accepted(client, db, name, data, content_type):
    assert post(client, attach(upload(name, data))).status_code == 302
    assert content_type in Consultation.objects.get().attachments.get().content_type


def test_the_type_is_decided_by_content_not_by_the_name(client, db):
    response = post(client, attach(upload("scan.txt", pdf_bytes(), "text/plain")))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "scan.pdf"
    assert attachment.file.name.endswith(".pdf")


def rejected(client, *files) -> str:
    """The error shown at the attachments field; it always asks to choose the files again."""
    response = post(client, attach(*files))
    assert response.status_code == 200
    assert Consultation.objects.count() == 0
    assert Attachment.objects.count() == 0
    error = field_error(response, "attachments")
    with translation.override("ja"):
        assert error.endswith(str(FILES_NOT_KEPT))
    return error


def test_a_text_file_renamed_to_pdf_is_refused(client, db):
    error = rejected(client, upload("report.pdf", "ただのテキストです".encode(), "application/pdf"))
    assert upload_message("unsupported", name="report.pdf") in error


def test_a_truncated_pdf_is_refused(client, db):
    data = pdf_bytes()
    error = rejected(client, upload("cut.pdf", data[: len(data) // 2]))
    assert upload_message("damaged", name="cut.pdf") in error


def test_a_truncated_image_is_refused(client, db):
    data = jpeg_bytes(size=(400, 300))
    assert "photo.jpg" in rejected(client, upload("photo.jpg", data[: len(data) // 2]))


def test_a_truncated_office_file_is_refused(client, db):
    data = office_zip_bytes("word")
    error = rejected(client, upload("minutes.docx", data[:-200]))
    assert upload_message("damaged", name="minutes.docx") in error


def test_a_truncated_legacy_office_file_is_refused(client, db):
    data = ole2_bytes("WordDocument")
    error = rejected(client, upload("old.doc", data[: len(data) - 1024]))
    assert upload_message("damaged", name="old.doc") in error


def test_an_image_carrying_a_script_is_refused(client, db):
    polyglot = jpeg_bytes() + b"<script>alert(document.cookie)</script>"
    error = rejected(client, upload("photo.jpg", polyglot))
    assert upload_message("mixed", name="photo.jpg") in error


def test_an_image_that_is_also_a_pdf_is_refused(client, db):
    gif = image_bytes("GIF")
    polyglot = gif[:20] + b"%PDF-1.4\n" + gif[20:] + b"\n%%EOF\n"
    error = rejected(client, upload("both.pdf", polyglot))
    assert upload_message("mixed", name="both.pdf") in error


def test_an_html_page_renamed_to_pdf_is_refused(client, db):
    page = b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF"
    error = rejected(client, upload("page.pdf", page))
    assert upload_message("mixed", name="page.pdf") in error


def test_an_office_file_with_macros_is_refused(client, db):
    data = office_zip_bytes("word", extra={"word/vbaProject.bin": b"\x00" * 100})
    error = rejected(client, upload("macro.docm", data))
    assert upload_message("macros", name="macro.docm") in error


def test_a_zip_that_is_not_an_office_file_is_refused(client, db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = rejected(client, upload("archive.docx", buffer.getvalue()))
    assert upload_message("unsupported", name="archive.docx") in error


def test_a_password_protected_office_file_is_refused_with_the_reason(client, db):
    error = rejected(client, upload("secret.docx", ole2_bytes("EncryptedPackage")))
    assert upload_message("encrypted", name="secret.docx") in error


def test_a_compound_file_that_is_not_office_is_refused(client, db):
    error = rejected(client, upload("setup.doc", ole2_bytes("\x05SummaryInformation")))
    assert upload_message("unsupported", name="setup.doc") in error


def test_an_executable_is_refused(client, db):
    error = rejected(client, upload("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200))
    assert upload_message("unsupported", name="setup.pdf") in error


def test_an_empty_file_is_refused(client, db):
    assert "empty.pdf" in rejected(client, upload("empty.pdf", b""))


def test_a_file_over_10_mb_is_refused(client, db):
    big = pdf_bytes() + b"%" + b"0" * (MAX_ATTACHMENT_BYTES + 1024) + b"\n%%EOF\n"
    error = rejected(client, upload("big.pdf", big))
    assert upload_message("too_large", name="big.pdf", limit=10) in error


def test_four_files_are_refused(client, db):
    files = [upload(f"{n}.pdf", pdf_bytes()) for n in range(4)]
    error = rejected(client, *files)
    assert "3" in error


def test_every_bad_file_is_named_not_only_the_first(client, db):
    error = rejected(
        client,
        upload("one.pdf", b"not a pdf"),
        upload("good.pdf", pdf_bytes()),
        upload("two.pdf", b"not one either"),
    )
    assert "one.pdf" in error and "two.pdf" in error and "good.pdf" not in error


def test_files_must_be_chosen_again_after_an_error_elsewhere(client, db):
    response = post(client, attach(upload("会則.pdf", pdf_bytes()), family_name=""))
    assert response.status_code == 200
    with translation.override("ja"):
        assert field_error(response, "attachments") == str(FILES_NOT_KEPT)
    assert 'href="#id_attachments"' in text_of(response)
    assert Attachment.objects.count() == 0


def test_photos_are_stored_without_exif_or_location(client, db, private_media):
    original = jpeg_bytes(size=(120, 80), exif=True)
    assert Image.open(io.BytesIO(original)).getexif()  # the test file has EXIF

    post(client, attach(upload("現場.jpg", original, "image/jpeg")))

    attachment = Attachment.objects.get()
    stored = (private_media / attachment.file.name).read_bytes()
    assert attachment.original_name == "現場.jpg"
    assert b"Exif" not in stored
    assert b"SecretCam" not in stored and b"PhoneMaker" not in stored
    with Image.open(private_media / attachment.file.name) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (120, 80)


def test_a_forged_start_time_does_not_block_a_submission_it_only_flags_it(client, db):
    forged = TimestampSigner(salt="something-else").sign("consultation-form")
    response = post(client, valid_post(form_started=forged))
    assert response.status_code == 302
    assert Consultation.objects.get().quarantined is True

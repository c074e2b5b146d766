"""The 名刺サイズ center guide: a 91 × 55 mm card (front and back) and a 10-up A4 sheet, with a
QR code that decodes to the site; its texts edited by staff, refused when they would not fit."""

import base64
import io
import re
import subprocess

import pytest
import qrcode
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from publications.models import NameCard, PdfStatus
from publications.qr import qr_svg_data_uri
from publications.services import pamphlets as services
from tests.conftest import require_command, require_japanese_font
from tests.publications.test_pamphlets import STAFF_PERMISSIONS, compact, pdftotext
from tests.publications.test_story_admin import browser_post_data

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points in a millimetre
CARD = (91, 55)
A4 = (210, 297)
SAFE_MM = 4  # nothing printed closer to a card's edge (cutting tolerance)
PAGE = "/pamphlets/namecard/"
CHANGELIST = "/admin/publications/namecard/"


@pytest.fixture(autouse=True)
def _media_cache_and_permissions(settings, tmp_path):
    from django.contrib.auth.models import Group, Permission

    from center.accounts.roles import CENTER_STAFF

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    Group.objects.get(name=CENTER_STAFF).permissions.add(
        *Permission.objects.filter(
            content_type__app_label="publications", codename__in=STAFF_PERMISSIONS
        )
    )
    yield
    cache.clear()


def site_url() -> str:
    return f"{settings.SITE_URL}/"


def built_card(django_capture_on_commit_callbacks, **fields) -> NameCard:
    with django_capture_on_commit_callbacks(execute=True):
        services.namecard_save(card=NameCard(**fields))
    card = NameCard.objects.get()
    assert card.pdf_status == PdfStatus.READY, card.pdf_error
    return card


def read(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (round(float(page.mediabox.width) / MM, 1), round(float(page.mediabox.height) / MM, 1))
        for page in reader.pages
    ]


def rasterise(pdf: bytes, tmp_path, *, page: int, dpi: int) -> Image.Image:
    require_command("pdftoppm", "poppler-utils")
    source = tmp_path / "raster.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
        + [str(source), str(tmp_path / "raster")],
        check=True,
        timeout=60,
    )
    return Image.open(tmp_path / "raster.png").convert("L")


def zbar(image: Image.Image, tmp_path) -> list[str]:
    """What zbarimg (Debian zbar-tools) reads in the image: one entry per QR code."""
    require_command("zbarimg", "zbar-tools")
    path = tmp_path / "qr.png"
    image.save(path)
    result = subprocess.run(
        ["zbarimg", "--quiet", "--nodbus", "--raw", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.splitlines()


def word_boxes_mm(pdf: bytes, tmp_path) -> list[list[tuple[str, float, float, float, float]]]:
    """Every word pdftotext finds, page by page: (text, x0, y0, x1, y1) in millimetres."""
    require_command("pdftotext", "poppler-utils")
    path = tmp_path / "boxes.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in xhtml.split("<page ")[1:]:
        pages.append(
            [
                (text, *(float(value) / MM for value in box))
                for *box, text in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                    r"([^<]*)</word>",
                    page,
                )
            ]
        )
    return pages


# The card PDF -------------------------------------------------------------------------------


def test_card_pdf_is_one_card_91_by_55_mm_front_and_back(
    django_capture_on_commit_callbacks, tmp_path
):
    require_japanese_font()
    card = built_card(
        django_capture_on_commit_callbacks,
        phone="045-000-0000",
        hours="9:00〜21:00（日曜・祝日は17:00まで）",
    )
    pdf = read(card.card_pdf)
    assert card.card_pdf_size == len(pdf)
    assert page_sizes_mm(pdf) == [CARD, CARD]
    front = compact(pdftotext(pdf, tmp_path, first=1, last=1))
    back = compact(pdftotext(pdf, tmp_path, first=2, last=2))
    assert "横浜市市民協働推進センター" in front
    assert "組織の垣根を超えて、つながり、協働して、未来をつくる" in front
    assert "YokohamaCitizenCollaborationPromotionCenter" in front
    for text in ("〒231-0005", "横浜市中区本町6-50-10", "横浜市市庁舎1階", "馬車道駅"):
        assert text in back
    assert "045-000-0000" in back
    assert "9:00〜21:00（日曜・祝日は17:00まで）" in back
    assert card.shown_url in back


def test_qr_code_on_the_card_decodes_to_the_site(django_capture_on_commit_callbacks, tmp_path):
    require_japanese_font()
    card = built_card(django_capture_on_commit_callbacks)
    back = rasterise(read(card.card_pdf), tmp_path, page=2, dpi=300)
    assert zbar(back, tmp_path) == [site_url()]


def test_qr_code_is_large_enough_to_scan_and_keeps_its_quiet_zone(
    django_capture_on_commit_callbacks, tmp_path
):
    require_japanese_font()
    card = built_card(django_capture_on_commit_callbacks, url="https://kyodo-center.example.jp/")
    dpi = 300
    per_mm = dpi / 25.4
    back = rasterise(read(card.card_pdf), tmp_path, page=2, dpi=dpi)
    # The right-hand column down to the bottom of the QR image: only the code is printed there.
    left, bottom = round(60 * per_mm), round((5.5 + services.QR_SIZE_MM) * per_mm)
    region = back.crop((left, 0, back.width, bottom))
    dark = region.point(lambda value: 255 if value < 128 else 0)
    x0, y0, x1, y1 = dark.getbbox()
    symbol_mm = (x1 - x0) / per_mm
    assert symbol_mm >= 15, f"the code is {symbol_mm:.1f} mm wide"
    assert abs((y1 - y0) - (x1 - x0)) <= 2  # square
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(card.qr_url)
    code.make(fit=True)
    module_px = (x1 - x0) / len(code.get_matrix())
    quiet = round(4 * module_px) - 1
    ring = dark.crop((x0 - quiet, y0 - quiet, x1 + quiet, y1 + quiet))
    inner = Image.new("L", (x1 - x0, y1 - y0), 0)
    ring.paste(inner, (quiet, quiet))
    assert ring.getbbox() is None, "something is printed in the quiet zone"
    # And the card's edge is further out still: the whole image stays 4 mm inside.
    assert x1 + quiet <= back.width - SAFE_MM * per_mm


def test_the_embedded_qr_code_is_the_qrcode_librarys_encoding_of_the_site_url():
    """Without any decoder: the matrix drawn in the SVG the PDF and the page embed is
    exactly what the qrcode library encodes for the site's address, quiet zone included."""
    card = NameCard(pk=1)
    with translation.override("ja"):
        html = render_to_string(services.NAMECARD_TEMPLATE, services.namecard_context(card))
    (uri,) = re.findall(r'src="(data:image/svg\+xml;base64,[^"]+)"', html)
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    drawn = {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", svg)}
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(site_url())
    code.make(fit=True)
    matrix = code.get_matrix()
    expected = {(x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark}
    assert drawn == expected
    size = len(matrix)
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert all(4 <= x < size - 4 and 4 <= y < size - 4 for x, y in drawn)  # quiet zone
    assert 'fill="white"' in svg  # drawn on white, whatever the paper behind it


def test_a_card_with_every_text_at_its_limit_still_fits_inside_the_card(
    django_capture_on_commit_callbacks, tmp_path
):
    """The validation limits and the layout agree: the longest texts the form accepts stay
    4 mm inside the edges and clear of the QR code."""
    require_japanese_font()
    longest = {
        "center_name": "あ" * 14,
        "center_name_en": "a" * 53,
        "tagline": "あ" * 28,
        "address": "\n".join(["あ" * 22] * 3),
        "access": "\n".join(["あ" * 22] * 2),
        "phone": "0" * 30,
        "hours": "\n".join(["あ" * 22] * 2),
        "url": "https://" + "a" * 48 + ".jp/",
    }
    NameCard(pk=1, **longest).full_clean()  # the form accepts all of it
    card = built_card(django_capture_on_commit_callbacks, **longest)
    front, back = word_boxes_mm(read(card.card_pdf), tmp_path)
    qr_left = CARD[0] - 4 - services.QR_SIZE_MM
    qr_bottom = 5.5 + services.QR_SIZE_MM
    for words in (front, back):
        assert words
        for text, x0, y0, x1, y1 in words:
            assert x0 >= SAFE_MM - 0.5 and x1 <= CARD[0] - SAFE_MM + 0.5, (text, x0, x1)
            assert y0 >= SAFE_MM - 0.5 and y1 <= CARD[1] - SAFE_MM + 0.5, (text, y0, y1)
    for text, x0, y0, x1, y1 in back:
        overlaps_qr = x1 > qr_left and y0 < qr_bottom
        assert not overlaps_qr, (text, x0, y0, x1, y1)
    # Nothing was dropped: every line of every field is there.
    assert sum(text == "あ" * 22 for text, *_box in back) == 7


def test_text_too_long_for_the_card_is_refused_with_a_clear_error():
    card = NameCard(
        pk=1,
        address="\n".join(["横浜市中区本町6-50-10"] * 4),
        tagline="あ" * 40,
        url="https://" + "w" * 50 + ".jp/",
    )
    with pytest.raises(ValidationError) as raised:
        card.full_clean()
    errors = raised.value.error_dict
    assert {"address", "tagline", "url"} <= set(errors)
    assert errors["address"][0].code == "too_long_for_card"


# The A4 sheet -------------------------------------------------------------------------------


def test_sheet_is_a4_with_ten_fronts_then_ten_backs_whose_codes_all_scan(
    django_capture_on_commit_callbacks, tmp_path
):
    require_japanese_font()
    card = built_card(django_capture_on_commit_callbacks)
    pdf = read(card.sheet_pdf)
    assert card.sheet_pdf_size == len(pdf)
    assert page_sizes_mm(pdf) == [A4, A4]
    fronts = compact(pdftotext(pdf, tmp_path, first=1, last=1))
    backs = compact(pdftotext(pdf, tmp_path, first=2, last=2))
    assert fronts.count("組織の垣根を超えて") == 10
    assert backs.count("横浜市中区本町6-50-10") == 10
    assert "横浜市中区本町6-50-10" not in fronts
    assert zbar(rasterise(pdf, tmp_path, page=2, dpi=200), tmp_path) == [site_url()] * 10


def test_sheet_cards_are_2_by_5_touching_and_centred_with_the_back_mirrored():
    front = services.namecard_sheet_layout(back=False)
    back = services.namecard_sheet_layout(back=True)
    assert len(front) == len(back) == 10
    assert sorted({cell["x"] for cell in front}) == [14, 105]  # 14 mm margins left and right
    assert sorted({cell["y"] for cell in front}) == [11, 66, 121, 176, 231]  # 11 mm top/bottom
    for face, reverse_side in zip(front, back, strict=True):
        # Turned over on the long edge, x becomes 210 − x: each back lies behind its front.
        assert reverse_side["x"] == A4[0] - face["x"] - CARD[0]
        assert reverse_side["y"] == face["y"]
    # The left front card's back is printed in the right column.
    assert front[0]["x"] == 14 and back[0]["x"] == 105
    assert {(c["x"], c["y"]) for c in front} == {(c["x"], c["y"]) for c in back}


def test_crop_marks_stay_in_the_margins_and_inside_the_printable_area():
    cards = [
        (cell["x"], cell["y"], cell["x"] + CARD[0], cell["y"] + CARD[1])
        for cell in services.namecard_sheet_layout(back=False)
    ]
    marks = services.namecard_crop_marks()
    assert len(marks) == 2 * 3 + 2 * 6  # top and bottom of 3 cut lines, both sides of 6
    for mark in marks:
        xs, ys = sorted((mark["x1"], mark["x2"])), sorted((mark["y1"], mark["y2"]))
        assert xs[0] >= 3 and xs[1] <= A4[0] - 3 and ys[0] >= 3 and ys[1] <= A4[1] - 3
        for x0, y0, x1, y1 in cards:
            inside = xs[1] > x0 - 1 and xs[0] < x1 + 1 and ys[1] > y0 - 1 and ys[0] < y1 + 1
            assert not inside, (mark, (x0, y0))


# Staff edit the card --------------------------------------------------------------------------


def card_form(**overrides) -> dict:
    card = NameCard()
    data = {name: getattr(card, name) for name in services.NAMECARD_CONTENT_FIELDS[:-1]}
    data.update({"_save": "Save", **overrides})
    return data


def test_staff_fill_in_the_card_in_the_admin_and_both_pdfs_are_built(
    client, center_staff, django_capture_on_commit_callbacks, tmp_path
):
    require_japanese_font()
    client.force_login(center_staff)
    add = reverse("admin:publications_namecard_add")
    form = client.get(add)
    assert form.status_code == 200
    assert "横浜市中区本町6-50-10" in form.content.decode()  # the defaults, ready to edit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, card_form(phone="045-000-0000", hours="9:00〜21:00"))
    assert response.status_code == 302, response.context and response.context["errors"]
    card = NameCard.objects.get()
    assert card.pk == NameCard.SINGLETON_PK
    assert card.pdf_status == PdfStatus.READY
    assert "045-000-0000" in compact(pdftotext(read(card.card_pdf), tmp_path))
    assert "045-000-0000" in compact(pdftotext(read(card.sheet_pdf), tmp_path))

    # One card: no second one, no deleting it.
    assert client.get(add).status_code == 403
    delete = reverse("admin:publications_namecard_delete", args=[card.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    change = reverse("admin:publications_namecard_change", args=[card.pk])
    data = browser_post_data(client.get(change), phone="045-111-2222")
    old_files = (card.card_pdf.name, card.sheet_pdf.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, data).status_code == 302
    card.refresh_from_db()
    assert "045-111-2222" in compact(pdftotext(read(card.card_pdf), tmp_path))
    assert not any(default_storage.exists(name) for name in old_files)


def test_an_address_too_long_for_the_card_is_a_form_error(client, center_staff):
    client.force_login(center_staff)
    response = client.post(
        reverse("admin:publications_namecard_add"),
        card_form(address="横浜市中区本町6-50-10 横浜市市庁舎1階 市民協働推進センター内 窓口"),
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["adminform"].form.errors.as_data()["address"]] == [
        "too_long_for_card"
    ]
    assert not NameCard.objects.exists()


def test_rebuild_action_builds_the_pdfs_again(
    client, center_staff, django_capture_on_commit_callbacks
):
    card = built_card(django_capture_on_commit_callbacks)
    client.force_login(center_staff)
    assert "rebuild_pdf" in client.get(CHANGELIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "rebuild_pdf", "_selected_action": [card.pk]})
    card.refresh_from_db()
    assert card.pdf_revision == 2 and card.pdf_status == PdfStatus.READY


# The web version and the downloads --------------------------------------------------------------


def test_card_page_shows_the_centers_data_and_the_qr_code_before_anyone_saved_it(client):
    response = client.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "横浜市中区本町6-50-10" in page
    assert "馬車道駅" in page
    assert qr_svg_data_uri(site_url()) in page
    assert f'href="{site_url()}"' in page
    # Nothing to download yet: the PDFs are made when staff save the card.
    assert reverse("publications:namecard_pdf") not in page
    assert client.get(reverse("publications:namecard_pdf")).status_code == 404
    assert client.get(reverse("publications:namecard_sheet_pdf")).status_code == 404
    assert not NameCard.objects.exists()  # reading never writes


def test_card_page_in_english_keeps_the_printed_card_japanese(client):
    response = client.get("/en" + PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert page.count('<div lang="ja">') == 2  # front and back, as printed
    assert 'alt="QR' in page or 'alt="QRコード' in page


def test_downloads_are_the_stored_pdfs_with_their_sizes_on_the_pages(
    client, django_capture_on_commit_callbacks
):
    card = built_card(django_capture_on_commit_callbacks)
    for url in (PAGE, "/pamphlets/"):
        page = client.get(url).content.decode()
        assert reverse("publications:namecard_pdf") in page
        assert reverse("publications:namecard_sheet_pdf") in page
    for url, field in (
        (reverse("publications:namecard_pdf"), card.card_pdf),
        (reverse("publications:namecard_sheet_pdf"), card.sheet_pdf),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "filename*=utf-8''" in response["Content-Disposition"].lower()
        assert b"".join(response.streaming_content) == read(field)

import datetime
import io
import socket
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from center.lib.pdf import (
    LocalURLFetcher,
    RefusedURLError,
    html_to_pdf,
    pdf_base_url,
    pdf_response,
    render_pdf,
)
from tests.conftest import require_command, require_japanese_font

TITLE = "横浜市市民協働推進センター"
SENTENCE = "協働の輪を広げていきます"


def _compact(text: str) -> str:
    """Text without whitespace: extractors differ in where they put spaces and newlines."""
    return "".join(text.split())


def _render_test_sheet(**kwargs) -> bytes:
    context = {"issued_on": datetime.date(2026, 11, 23), "note": "試し刷り"}
    return render_pdf("pdf/test_sheet.html", context, **kwargs)


def _pdf_text(pdf_bytes: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


def _base_fonts(pdf_bytes: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _render_with_base(content: str, context: dict | None = None) -> bytes:
    """A document extending pdf/_base.html, for tests that need their own markup."""
    source = '{% extends "pdf/_base.html" %}{% block content %}' + content + "{% endblock %}"
    html = engines["django"].from_string(source).render({"CENTER_NAME": TITLE, **(context or {})})
    return html_to_pdf(html)


@pytest.fixture
def local_url():
    """Absolute form of a root-relative URL, as WeasyPrint hands it to the fetcher."""
    return lambda path: pdf_base_url().rstrip("/") + path


@pytest.fixture
def fetcher():
    return LocalURLFetcher(base_url=pdf_base_url())


# Round trip --------------------------------------------------------------------------


def test_test_sheet_text_is_extracted_by_pypdf():
    require_japanese_font()

    text = _compact(_pdf_text(_render_test_sheet(language="ja")))

    assert TITLE in text
    assert SENTENCE in text
    assert "2026年11月23日" in text


def test_test_sheet_text_is_extracted_by_pdftotext(tmp_path):
    require_japanese_font()
    pdftotext = require_command("pdftotext", "poppler-utils")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(_render_test_sheet(language="ja"))

    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )

    text = _compact(result.stdout.decode("utf-8"))
    assert TITLE in text
    assert SENTENCE in text


def test_test_sheet_embeds_noto_cjk_in_regular_and_bold():
    require_japanese_font()

    fonts = _base_fonts(_render_test_sheet(language="ja"))

    cjk = {name for name in fonts if "Noto" in name and "CJK" in name}
    assert cjk, f"no Noto CJK font embedded, only {fonts}"
    # The <h1>/<h2> headings need the bold face, not a synthesised one.
    assert any("Bold" in name for name in cjk), cjk


def test_footer_numbers_pages_as_page_of_pages():
    require_japanese_font()
    paragraphs = "".join(f"<p>{SENTENCE}。第{n}段落</p>" for n in range(120))

    pdf_bytes = _render_with_base(paragraphs)

    pages = PdfReader(io.BytesIO(pdf_bytes)).pages
    assert len(pages) >= 2
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"{number} / {total}" in text
        # The running header repeats on every page.
        assert TITLE in _compact(text)


def test_language_sets_the_document_language():
    require_japanese_font()

    japanese = PdfReader(io.BytesIO(_render_test_sheet(language="ja")))
    english = PdfReader(io.BytesIO(_render_test_sheet(language="en")))

    assert japanese.trailer["/Root"]["/Lang"] == "ja"
    assert english.trailer["/Root"]["/Lang"] == "en"


def test_without_language_the_active_language_is_used():
    require_japanese_font()

    with translation.override("en"):
        pdf_bytes = _render_test_sheet()

    assert PdfReader(io.BytesIO(pdf_bytes)).trailer["/Root"]["/Lang"] == "en"


def test_context_is_escaped():
    require_japanese_font()

    pdf_bytes = render_pdf("pdf/test_sheet.html", {"note": "<b>太字</b>"}, language="ja")

    assert "<b>太字</b>" in _pdf_text(pdf_bytes)


# No network --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://cdn.example.com/style.css",
        "ftp://example.com/x.png",
        "file:///etc/passwd",
        "//example.com/static/x.png",
        "/admin/",
        "/static/../center/settings/base.py",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/css/missing.css",
        "/media/../center/settings/base.py",
    ],
)
def test_fetcher_refuses_everything_but_local_static_and_media(fetcher, local_url, url):
    if url.startswith("/") and not url.startswith("//"):
        url = local_url(url)
    elif url.startswith("//"):
        url = "http:" + url

    with pytest.raises(RefusedURLError):
        fetcher(url)


def test_fetcher_serves_static_files_from_disk(fetcher, local_url):
    response = fetcher(local_url("/static/css/pdf.css"))

    assert response.read() == (Path(settings.BASE_DIR) / "static/css/pdf.css").read_bytes()
    # WeasyPrint ignores a <link> stylesheet served with any other type.
    assert response.content_type == "text/css"


def test_fetcher_serves_media_files_from_media_root(fetcher, local_url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "ロゴ.png").write_bytes(b"png bytes")
    fetcher = LocalURLFetcher(base_url=pdf_base_url())

    response = fetcher(local_url("/media/logos/%E3%83%AD%E3%82%B4.png"))

    assert response.read() == b"png bytes"
    assert response.content_type == "image/png"


def test_fetcher_decodes_data_uris(fetcher):
    response = fetcher("data:text/plain;base64,5Y2U5YON")

    assert response.read().decode("utf-8") == "協働"


@pytest.fixture
def no_sockets(monkeypatch):
    """Record and refuse every attempt to open a connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("tests never open network connections")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture
def fetch_spy(monkeypatch):
    """Wrap LocalURLFetcher.fetch: every URL asked for, and what became of it."""
    calls = []
    original = LocalURLFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except Exception as exc:
            calls.append((url, type(exc)))
            raise
        calls.append((url, "served"))
        return response

    monkeypatch.setattr(LocalURLFetcher, "fetch", spy)
    return calls


def test_rendering_refuses_external_urls_and_serves_local_files(
    settings, tmp_path, no_sockets, fetch_spy, local_url
):
    require_japanese_font()
    settings.MEDIA_ROOT = tmp_path
    Image.new("RGB", (8, 8), "red").save(tmp_path / "dot.png")

    pdf_bytes = _render_with_base(
        '<link rel="stylesheet" href="https://cdn.example.com/style.css">'
        '<img src="http://example.com/x.png" alt="">'
        '<img src="/media/dot.png" alt="">'
        f"<p>{SENTENCE}</p>"
    )

    assert SENTENCE in _compact(_pdf_text(pdf_bytes))
    outcomes = dict(fetch_spy)
    assert outcomes["https://cdn.example.com/style.css"] is RefusedURLError
    assert outcomes["http://example.com/x.png"] is RefusedURLError
    assert outcomes[local_url("/static/css/pdf.css")] == "served"
    assert outcomes[local_url("/media/dot.png")] == "served"
    assert no_sockets == []
    # The local image made it into the document.
    page = PdfReader(io.BytesIO(pdf_bytes)).pages[0]
    xobjects = page["/Resources"]["/XObject"].values()
    assert any(xobject.get_object()["/Subtype"] == "/Image" for xobject in xobjects)


# Response ----------------------------------------------------------------------------


def test_pdf_response_gives_japanese_filename_as_rfc5987():
    response = pdf_response(b"%PDF-1.7", "協働事業報告書 2026年度.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7"
    assert response["Content-Disposition"] == (
        'attachment; filename="2026.pdf"; '
        "filename*=UTF-8''%E5%8D%94%E5%83%8D%E4%BA%8B%E6%A5%AD%E5%A0%B1%E5%91%8A%E6%9B%B8"
        "%202026%E5%B9%B4%E5%BA%A6.pdf"
    )
    assert "private" in response["Cache-Control"]


def test_pdf_response_falls_back_to_document_pdf_for_an_all_japanese_name():
    response = pdf_response(b"%PDF", "報告書.pdf", as_attachment=False)

    assert response["Content-Disposition"].startswith('inline; filename="document.pdf"; ')


def test_pdf_response_keeps_newlines_and_quotes_out_of_the_header():
    response = pdf_response(b"%PDF", 'a"b\r\nX-Evil: 1.pdf')

    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="ab X-Evil: 1.pdf"; ')

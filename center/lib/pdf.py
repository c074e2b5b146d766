"""Templated PDFs: a Django template rendered to HTML, then to PDF with WeasyPrint.

Rendering never touches the network. `LocalURLFetcher` serves data: URIs, files under
STATIC_URL (from the staticfiles finders, then STATIC_ROOT) and files under MEDIA_URL (from
MEDIA_ROOT); every other URL is refused, and WeasyPrint logs the refusal and leaves the
resource out. Fonts come from the system (fontconfig): Debian's fonts-noto-cjk provides
"Noto Sans CJK JP" in regular and bold.

Call `render_pdf` inside a task for slow or batch documents (CONVENTIONS.md, "Templates,
mail, PDF"); a one-page document may be rendered in the request.
"""

import contextlib
import mimetypes
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils._os import safe_join
from django.utils.cache import patch_cache_control
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURLError(ValueError):
    """A PDF asked for a resource outside the local static and media files."""


class LocalURLFetcher(URLFetcher):
    """WeasyPrint URL fetcher that reads local files and never opens a connection.

    WeasyPrint 70 calls `fetch(url)` and reads `_fail_on_errors` from the fetcher when
    it raises, so this subclasses its `URLFetcher` rather than being a plain function.
    With `fail_on_errors=False` (the default) a refused URL is logged and skipped.
    """

    def __init__(self, *, base_url: str) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)
        self.media_prefix = (
            urljoin(base_url, settings.MEDIA_URL)
            if settings.MEDIA_URL and settings.MEDIA_ROOT
            else None
        )

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            # urllib's DataHandler decodes data: URIs in memory; the parent class only
            # lets the "data" protocol through (allowed_protocols above).
            return super().fetch(url, headers)
        path = self.local_path(url)
        mime_type, _encoding = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url,
            body=path.read_bytes(),
            headers={"Content-Type": mime_type or "application/octet-stream"},
        )

    def local_path(self, url: str) -> Path:
        """The file a static or media URL names; RefusedURLError for anything else."""
        address = url.split("#", 1)[0].split("?", 1)[0]
        if address.startswith(self.static_prefix):
            relative = self._relative(address, self.static_prefix, url)
            found = self._find_static(relative)
        elif self.media_prefix and address.startswith(self.media_prefix):
            relative = self._relative(address, self.media_prefix, url)
            found = self._join(settings.MEDIA_ROOT, relative)
        else:
            raise RefusedURLError(f"PDF resources must be local static or media files: {url}")
        if found is None or not found.is_file():
            raise RefusedURLError(f"No local file for {url}")
        return found

    @staticmethod
    def _relative(address: str, prefix: str, url: str) -> str:
        relative = unquote(address[len(prefix) :])
        parts = relative.replace("\\", "/").split("/")
        if not relative or "\x00" in relative or ".." in parts:
            raise RefusedURLError(f"Invalid local path in {url}")
        return relative

    def _find_static(self, relative: str) -> Path | None:
        # Finders first, so development sees the source files; then STATIC_ROOT, where
        # collectstatic puts the hashed names a manifest storage's {% static %} returns.
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return None
        if found:
            return Path(found)
        if settings.STATIC_ROOT:
            return self._join(settings.STATIC_ROOT, relative)
        return None

    @staticmethod
    def _join(root, relative: str) -> Path | None:
        try:
            return Path(safe_join(root, relative))
        except SuspiciousFileOperation:
            return None


def pdf_base_url() -> str:
    """Base URL that root-relative /static/ and /media/ links are resolved against."""
    return f"{settings.SITE_URL}/"


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML document, resolving resources with `LocalURLFetcher`."""
    base_url = pdf_base_url()
    document = HTML(string=html, base_url=base_url, url_fetcher=LocalURLFetcher(base_url=base_url))
    return document.write_pdf()


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """Render `template_name` (under templates/pdf/) with `context` and return the PDF.

    With `language`, the template renders inside `translation.override(language)`, so a
    PDF for a recipient comes out in the recipient's language; without it, in the active
    language (the request's).
    """
    context = {"CENTER_NAME": settings.CENTER_NAME, "SITE_URL": settings.SITE_URL, **context}
    # override(None) would deactivate translation altogether, so only override when asked.
    switch = translation.override(language) if language else contextlib.nullcontext()
    with switch:
        html = render_to_string(template_name, context)
    return html_to_pdf(html)


def _ascii_filename(filename: str) -> str:
    """'2026年度 報告.pdf' → '2026.pdf'; 'document.pdf' when nothing ASCII is left."""
    ascii_name = (
        unicodedata.normalize("NFKD", filename)
        .encode("ascii", "ignore")
        .decode("ascii")
        .replace("\\", "")
        .replace('"', "")
    )
    stem, dot, extension = ascii_name.rpartition(".")
    if not dot:
        stem, extension = ascii_name, ""
    stem = stem.strip(" ._-")
    return f"{stem or 'document'}{'.' if extension else ''}{extension}"


def pdf_response(pdf_bytes: bytes, filename: str, *, as_attachment: bool = True) -> HttpResponse:
    """An HttpResponse for a PDF, with a Content-Disposition browsers read in Japanese.

    The header carries an ASCII `filename` for old clients and the UTF-8 name as RFC 5987
    `filename*`, which every current browser prefers.
    """
    # A name comes from data (an event title...): CR/LF would split the header.
    filename = " ".join(filename.split()) or "document.pdf"
    ascii_name = _ascii_filename(filename)
    disposition = "attachment" if as_attachment else "inline"
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    # A PDF is usually about one person (a receipt, a consultation record): no shared caches.
    patch_cache_control(response, private=True)
    return response

"""Pamphlet pages: the list with the business-card guide, each pamphlet's web version (with
the staff preview), the card's web version, and the stored PDFs at stable addresses.

The PDFs are served from storage through these views rather than linked at their media
URLs: the address stays the same when a rebuild stores a new file under a new name, and
the download carries the document's Japanese title as its file name.
"""

import logging
from urllib.parse import urljoin

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from center.core.cache import public_cache, without_query

from ..selectors.pamphlets import (
    namecard_current,
    pamphlet_get_for_user,
    pamphlet_with_pdf,
    pamphlets_public_list,
)
from ..services.pamphlets import namecard_context

logger = logging.getLogger(__name__)

# Long enough to spare the server, short enough that a rebuilt file shows within minutes.
PDF_MAX_AGE = 600
_UNSAFE_IN_FILENAMES = str.maketrans(dict.fromkeys('\\/:*?"<>|', " "))


def _pdf_file_response(field: FieldFile, filename: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except OSError as exc:
        # The row names a file storage has lost (a restored backup without media...).
        logger.error("Stored PDF %s is missing: %s", field.name, exc)
        raise Http404 from exc
    filename = " ".join(filename.translate(_UNSAFE_IN_FILENAMES).split()) or "document.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=filename)
    patch_cache_control(response, public=True, max_age=PDF_MAX_AGE)
    return response


@require_safe
@public_cache(when=without_query)
def pamphlet_list(request):
    """Published pamphlets and the business-card guide, with their downloads."""
    context = {"pamphlets": list(pamphlets_public_list()), "card": namecard_current()}
    return render(request, "publications/pamphlet_list.html", context)


@require_safe
@public_cache(when=without_query)
def pamphlet_detail(request, pk: int):
    """A pamphlet's web version; a draft only as a preview for staff."""
    page = pamphlet_get_for_user(user=request.user, pk=pk)
    first_image = next((s for s in page.sections if s.image and not s.image_is_decorative), None)
    context = {
        "pamphlet": page.pamphlet,
        "sections": page.sections,
        "is_preview": page.is_preview,
        # Read by base.html's Open Graph block: an absolute URL, whatever MEDIA_URL is.
        "og_image": urljoin(settings.SITE_URL + "/", first_image.image.url) if first_image else "",
        "og_image_alt": first_image.image_alt if first_image else "",
    }
    response = render(request, "publications/pamphlet_detail.html", context)
    if page.is_preview:
        # Unpublished text: kept out of every shared cache and of search engines.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def pamphlet_pdf(request, pk: int):
    """The pamphlet's current PDF; 404 while there is none (a draft, a first build)."""
    pamphlet = pamphlet_with_pdf(pk=pk)
    return _pdf_file_response(pamphlet.pdf, f"{pamphlet.title}.pdf")


@require_safe
@public_cache(when=without_query)
def namecard(request):
    """The business-card guide's web version: both faces as text, with the QR code."""
    card = namecard_current()
    return render(request, "publications/namecard.html", namecard_context(card))


@require_safe
def namecard_pdf(request):
    card = namecard_current()
    if not card.card_pdf:
        raise Http404
    return _pdf_file_response(card.card_pdf, f"{card.center_name} {gettext('business card')}.pdf")


@require_safe
def namecard_sheet_pdf(request):
    card = namecard_current()
    if not card.sheet_pdf:
        raise Http404
    return _pdf_file_response(
        card.sheet_pdf, f"{card.center_name} {gettext('business cards, A4 sheet')}.pdf"
    )

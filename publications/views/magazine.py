"""情報誌 pages: the archive, one issue's web version (with the staff preview), the PDF.

Anonymous visitors get cached pages at the bare addresses; the services empty the cache
when an issue is published, edited or its PDF becomes ready, so "being prepared" turns
into a download link without waiting for the cache to expire.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from center.core.cache import public_cache, without_query
from center.lib.pdf import pdf_response

from ..selectors.magazine import (
    magazine_issue_articles,
    magazine_issue_get_for_user,
    magazine_issue_get_published,
    magazine_issues_for_archive,
    user_is_magazine_editor,
)
from ..services.magazine import magazine_pdf_filename, magazine_pdf_render


def _content_language() -> str:
    # The magazine is written in Japanese: on the English pages its text is marked so,
    # for screen readers and translation tools.
    return "" if (get_language() or "").startswith(settings.LANGUAGE_CODE) else "ja"


@require_safe
@public_cache(when=without_query)
def magazine_archive(request):
    """Every published issue, newest first, with its cover and download."""
    context = {
        "issues": magazine_issues_for_archive(),
        "content_lang": _content_language(),
    }
    return render(request, "publications/magazine_list.html", context)


@require_safe
@public_cache(when=without_query)
def magazine_issue(request, number: int):
    """An issue's web version; center staff may preview a draft."""
    issue = magazine_issue_get_for_user(user=request.user, number=number)
    is_preview = not issue.is_published
    context = {
        "issue": issue,
        "articles": magazine_issue_articles(issue),
        "is_preview": is_preview,
        "content_lang": _content_language(),
        # Read by base.html's Open Graph block: an absolute URL, whatever MEDIA_URL is.
        "og_image": (
            urljoin(settings.SITE_URL + "/", issue.cover_image.url) if issue.cover_image else ""
        ),
        "og_image_alt": issue.cover_alt_text,
    }
    response = render(request, "publications/magazine_detail.html", context)
    if is_preview:
        # Unpublished text: kept out of every shared cache and of search engines.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def magazine_pdf(request, number: int):
    """The stored PDF of a published issue; 404 while it is being prepared (the issue page
    then says so) and for a draft (staff use the preview)."""
    issue = magazine_issue_get_published(number=number)
    if not issue.pdf_is_ready:
        raise Http404
    try:
        file = issue.pdf_file.open("rb")
    except OSError as exc:  # the row says ready but the storage lost the file
        raise Http404 from exc
    response = FileResponse(file, as_attachment=True, filename=magazine_pdf_filename(issue))
    response["Content-Type"] = "application/pdf"
    # Rebuilt under a new name, so an address's file never changes; still, an hour is
    # enough for proxies.
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def magazine_pdf_preview(request, number: int):
    """The PDF as it would be printed now, rendered on the spot: center staff only (a
    draft has no stored PDF, and staff check the layout before publishing)."""
    if not user_is_magazine_editor(request.user):
        raise Http404
    issue = magazine_issue_get_for_user(user=request.user, number=number)
    response = pdf_response(
        magazine_pdf_render(issue), magazine_pdf_filename(issue), as_attachment=False
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

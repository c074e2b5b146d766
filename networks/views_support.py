"""Hearings, support requests and know-how pages of the network area (/network/...).

Every view is behind `network_user_required` (anonymous → login, other accounts → 403) and
reads rows through networks.selectors_support, which answers 404 for another ward's rows.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from center.core.listings import listing_items
from center.core.models import AuditEvent
from center.core.services import audit_event_record
from center.lib.files import private_file_response

from . import selectors_support as selectors
from . import services_support as services
from .access import (
    is_center_side,
    is_center_staff,
    network_user_required,
    private_page,
    user_ward_center,
)
from .forms_support import KnowHowForm, KnowHowSearchForm, SupportRequestForm

# Hearings ------------------------------------------------------------------------------


@network_user_required
@require_safe
def hearing_list(request):
    hearings = selectors.hearings_visible_to(request.user)
    return private_page(
        render(
            request,
            "networks/support/hearing_list.html",
            {
                "hearings": hearings,
                "wards": selectors.wards_for_comparison(request.user),
                "center_side": is_center_side(request.user),
            },
        )
    )


@network_user_required
@require_safe
def hearing_detail(request, pk: int):
    hearing = selectors.hearing_get_for_user(user=request.user, pk=pk)
    return private_page(
        render(
            request,
            "networks/support/hearing_detail.html",
            {"hearing": hearing, "answers": hearing.answers.all()},
        )
    )


@network_user_required
@require_safe
def hearing_compare(request, ward_code: str):
    center = selectors.ward_center_for_comparison(user=request.user, ward_code=ward_code)
    years, rows = selectors.hearing_comparison(ward_center=center)
    return private_page(
        render(
            request,
            "networks/support/hearing_compare.html",
            {"ward_center": center, "years": years, "rows": rows},
        )
    )


# Support requests --------------------------------------------------------------------


@network_user_required
@require_safe
def request_list(request):
    support_requests = selectors.support_requests_visible_to(request.user)
    page = Paginator(support_requests, 30).get_page(request.GET.get("page"))
    return private_page(
        render(
            request,
            "networks/support/request_list.html",
            {
                "page": page,
                "rows": [(item, selectors.support_request_public_status(item)) for item in page],
                "can_file": user_ward_center(request.user) is not None,
            },
        )
    )


@network_user_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_create(request):
    # Only a ward files a request: the center side answers them in the consultation queue.
    ward_center = user_ward_center(request.user)
    if ward_center is None:
        raise PermissionDenied
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support_request = services.support_request_file(
                ward_center=ward_center,
                filed_by=request.user,
                language=translation.get_language() or "ja",
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your request was sent to the center (reference %(reference)s).")
                % {"reference": support_request.consultation.reference},
            )
            return redirect("networks:support_request_detail", pk=support_request.pk)
    return private_page(render(request, "networks/support/request_form.html", {"form": form}))


@network_user_required
@require_safe
def request_detail(request, pk: int):
    support_request = selectors.support_request_get_for_user(user=request.user, pk=pk)
    code, label = selectors.support_request_public_status(support_request)
    return private_page(
        render(
            request,
            "networks/support/request_detail.html",
            {
                "item": support_request,
                "status_code": code,
                "status_label": label,
                "center_staff": is_center_staff(request.user),
            },
        )
    )


# Know-how ----------------------------------------------------------------------------


@network_user_required
@require_safe
def knowhow_list(request):
    form = KnowHowSearchForm(request.GET or None)
    query, category = "", None
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    articles = selectors.knowhow_search(query=query, category=category)
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return private_page(
        render(
            request,
            "networks/support/knowhow_list.html",
            {
                "form": form,
                "page": page,
                "query": query,
                "events": listing_items("events_with_ward_staff_seats"),
                "can_write": is_center_staff(request.user)
                or user_ward_center(request.user) is not None,
            },
        )
    )


@network_user_required
@require_safe
def knowhow_detail(request, pk: int):
    article = selectors.knowhow_get(pk=pk)
    return private_page(
        render(
            request,
            "networks/support/knowhow_detail.html",
            {
                "article": article,
                "can_edit": selectors.knowhow_editable_by(user=request.user, article=article),
            },
        )
    )


@network_user_required
@require_http_methods(["GET", "HEAD", "POST"])
def knowhow_edit(request, pk: int | None = None):
    article = None
    if pk is not None:
        article = selectors.knowhow_get(pk=pk)
        if not selectors.knowhow_editable_by(user=request.user, article=article):
            raise Http404
    elif not (is_center_staff(request.user) or user_ward_center(request.user)):
        raise PermissionDenied  # city staff read the library, they do not write in it
    initial = (
        {"title": article.title, "category": article.category.key, "body": article.body}
        if article
        else {}
    )
    form = KnowHowForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.knowhow_save(
                article=article,
                title=data["title"],
                category=data["category"],
                body=data["body"],
                author=request.user,
                ward_center=user_ward_center(request.user),
                documents=data["documents"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The article was saved."))
            return redirect("networks:knowhow_detail", pk=article.pk)
    return private_page(
        render(request, "networks/support/knowhow_form.html", {"form": form, "article": article})
    )


@network_user_required
@require_safe
def knowhow_document(request, pk: int):
    """A know-how file, for network users only; streamed from private storage as a
    download, never cached."""
    document = selectors.knowhow_document_get(pk=pk)
    # Opened before the audit row is written: a file missing from storage is a 404, not a download.
    response = private_file_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        target=document.article,
        label=document.original_name[:100],
        detail={"knowhow_document": document.pk},
        request=request,
    )
    return response

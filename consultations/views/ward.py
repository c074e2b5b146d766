"""Cases referred to a ward center, for its staff (who do not use the Django admin).

The selectors decide which cases a user sees; these views only add the role gate, the
audit record and the rule that internal notes never leave the center.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from ..models import CaseEvent, Consultation, Status
from ..selectors import (
    consultation_get_for_user,
    consultations_visible_to,
    contact_details_visible,
    public_timeline,
)
from ..services import consultation_record_view

CASES_PER_PAGE = 50
INTERNAL_KINDS = (CaseEvent.Kind.NOTE, CaseEvent.Kind.CITY_COMMENT)


def _require_staff_role(user) -> None:
    # Citizens and group members have no case to see here: a plain refusal, before any query
    # about cases, so the answer never depends on what exists.
    if not user.has_staff_role:
        raise PermissionDenied


@login_required
@require_safe
@cache_control(private=True, no_store=True)
def referred_cases(request):
    """The cases this user may see (for ward staff: those referred to their ward), newest
    first, 50 a page."""
    _require_staff_role(request.user)
    cases = (
        consultations_visible_to(user=request.user)
        .only("reference", "created_at", "topic", "requester_type", "status", "title")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "consultations/ward/case_list.html", {"page": page})


@login_required
@require_safe
@cache_control(private=True, no_store=True)
def referred_case(request, pk: int):
    """One case: 404 unless the selector lets this user see it. Every opening is audited.
    Contact details and attachments only when the referral shares them."""
    _require_staff_role(request.user)
    consultation = consultation_get_for_user(user=request.user, pk=pk)
    consultation_record_view(consultation=consultation, actor=request.user, request=request)
    show_contact = contact_details_visible(user=request.user, consultation=consultation)
    context = {
        "consultation": consultation,
        "entries": _timeline(consultation),
        "show_contact": show_contact,
        "attachments": list(consultation.attachments.all()) if show_contact else [],
    }
    return render(request, "consultations/ward/case_detail.html", context)


def _timeline(consultation: Consultation) -> list[dict]:
    """The requester's timeline plus the referral notes written for the ward it is referred
    to now. Internal notes and city comments are never part of it."""
    # public_timeline already keeps to public events; the exclude is a second lock on the
    # one thing this page must never show.
    events = list(public_timeline(consultation=consultation).exclude(kind__in=INTERNAL_KINDS))
    if consultation.referred_ward_id:
        # A case referred elsewhere before: that ward's note was not written for this one.
        events += consultation.events.filter(
            kind=CaseEvent.Kind.REFERRED, detail__ward=consultation.referred_ward.code
        )
    events.sort(key=lambda event: (event.created_at, event.pk))
    return [_timeline_entry(event, consultation) for event in events]


def _timeline_entry(event: CaseEvent, consultation: Consultation) -> dict:
    if event.kind == CaseEvent.Kind.REFERRED:
        label = _("Referred to %(ward)s") % {"ward": consultation.referred_ward.display_name}
        return {"when": event.created_at, "label": label, "text": event.text}
    if event.kind == CaseEvent.Kind.PUBLIC_REPLY:
        return {"when": event.created_at, "label": _("Reply from the center"), "text": event.text}
    if event.kind == CaseEvent.Kind.SUBMITTED:
        return {"when": event.created_at, "label": _("Consultation received"), "text": ""}
    # A status change is public for its new status; the note beside it is for colleagues.
    if event.kind == CaseEvent.Kind.STATUS and event.to_status:
        label = _("Status: %(status)s") % {"status": Status(event.to_status).label}
        return {"when": event.created_at, "label": label, "text": ""}
    return {"when": event.created_at, "label": event.get_kind_display(), "text": ""}

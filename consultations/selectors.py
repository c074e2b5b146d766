"""Who sees which consultation. Every view, admin and export reads cases through these."""

import re

from django.db.models import Q, QuerySet
from django.http import Http404

from center.accounts.roles import CENTER_STAFF, CITY_STAFF, COORDINATOR, WARD_STAFF

from .models import Attachment, CaseEvent, Consultation

_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+")


def consultations_visible_to(*, user) -> QuerySet[Consultation]:
    """Center staff: every case. Coordinators: cases assigned to them. City staff: cases
    shared with the city. Ward staff: cases referred to their ward. Anyone else: none.
    A person holding several roles sees the union."""
    cases = Consultation.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return cases.none()
    if user.is_superuser or user.has_role(CENTER_STAFF):
        return cases
    scope = Q(pk__in=[])
    if user.has_role(COORDINATOR):
        scope |= Q(assignee=user)
    if user.has_role(CITY_STAFF):
        scope |= Q(shared_with_city=True)
    if user.has_role(WARD_STAFF) and user.ward_id:
        scope |= Q(referred_ward_id=user.ward_id)
    return cases.filter(scope).filter(quarantined=False)


def consultation_get_for_user(*, user, pk: int) -> Consultation:
    """One case, or 404 for anyone not entitled to it (no hint that it exists)."""
    try:
        return consultations_visible_to(user=user).get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def contact_details_visible(*, user, consultation: Consultation) -> bool:
    """Ward staff see contact details only when the referral says so; entitled staff always."""
    if user.is_superuser or user.has_role(CENTER_STAFF, COORDINATOR, CITY_STAFF):
        return True
    return bool(
        user.has_role(WARD_STAFF)
        and consultation.referred_ward_id == user.ward_id
        and consultation.referral_shares_contact
    )


def consultation_get_by_token(*, token: str) -> Consultation:
    """The requester's tracking page: the unguessable token is the only key."""
    # Tokens are URL-safe base64; anything else (NUL bytes included) is refused before the
    # database sees it.
    if not token or len(token) > 64 or not _TOKEN_SHAPE.fullmatch(token):
        raise Http404
    try:
        return Consultation.objects.get(tracking_token=token, anonymised_at__isnull=True)
    except Consultation.DoesNotExist:
        raise Http404 from None


def public_timeline(*, consultation: Consultation) -> QuerySet[CaseEvent]:
    """What the requester may see: status changes and replies, never internal notes."""
    return consultation.events.filter(is_public=True).select_related(None).order_by("created_at")


def attachment_get_for_user(*, user, pk: int) -> Attachment:
    """Attachments follow their case: whoever may open the case may open its files
    (ward staff only when the referral shares contact details, as files can identify people)."""
    try:
        attachment = Attachment.objects.select_related("consultation").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    consultation = consultation_get_for_user(user=user, pk=attachment.consultation_id)
    if not contact_details_visible(user=user, consultation=consultation):
        raise Http404
    return attachment


def consultations_of_requester(*, user) -> QuerySet[Consultation]:
    """My page: the cases a signed-in person submitted themselves."""
    if not getattr(user, "is_authenticated", False):
        return Consultation.objects.none()
    return Consultation.objects.filter(submitted_by=user, anonymised_at__isnull=True)

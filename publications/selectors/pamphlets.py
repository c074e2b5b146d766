"""Reads of pamphlets and the business-card center guide, with their visibility rules."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ..models import NameCard, Pamphlet, PamphletSection

__all__ = [
    "PamphletPage",
    "namecard_current",
    "pamphlet_can_preview",
    "pamphlet_get_for_user",
    "pamphlet_with_pdf",
    "pamphlets_public_list",
]

PREVIEW_PERMISSION = "publications.view_pamphlet"


def pamphlets_public_list() -> QuerySet[Pamphlet]:
    """Published pamphlets in their order: what the list shows, no section loaded."""
    return (
        Pamphlet.objects.published()
        .for_listing()
        .only(
            "pk",
            "title",
            "summary",
            "edition",
            "language",
            "pdf",
            "pdf_size",
            "pdf_status",
            "updated_at",
        )
    )


def pamphlet_can_preview(*, user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(PREVIEW_PERMISSION))


@dataclass(frozen=True)
class PamphletPage:
    pamphlet: Pamphlet
    sections: list[PamphletSection]
    # True for a draft shown to staff: the public cannot see it.
    is_preview: bool


def pamphlet_get_for_user(*, user, pk: int) -> PamphletPage:
    """One pamphlet with its sections: for everyone while published; a draft only for
    users who may view pamphlets in the back office (a preview), 404 for anyone else."""
    sections = Prefetch("sections", queryset=PamphletSection.objects.order_by("order", "pk"))
    pamphlet = Pamphlet.objects.published().prefetch_related(sections).filter(pk=pk).first()
    is_preview = False
    # Only now the second query, and only for people who may preview: a visitor learns
    # nothing about whether a draft exists.
    if pamphlet is None and pamphlet_can_preview(user=user):
        pamphlet = Pamphlet.objects.prefetch_related(sections).filter(pk=pk).first()
        is_preview = True
    if pamphlet is None:
        raise Http404
    return PamphletPage(
        pamphlet=pamphlet, sections=list(pamphlet.sections.all()), is_preview=is_preview
    )


def pamphlet_with_pdf(*, pk: int) -> Pamphlet:
    """A published pamphlet whose PDF has been built; 404 otherwise (drafts have none)."""
    pamphlet = Pamphlet.objects.published().exclude(pdf="").filter(pk=pk).first()
    if pamphlet is None:
        raise Http404
    return pamphlet


def namecard_current() -> NameCard:
    """The card as staff last saved it, or, before anyone has, the center's defaults (not
    saved: a read never writes; it has no PDFs yet)."""
    return NameCard.objects.filter(pk=NameCard.SINGLETON_PK).first() or NameCard(
        pk=NameCard.SINGLETON_PK
    )

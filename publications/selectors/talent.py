"""Reads of the 協働人材バンク talent bank for the public site.

The one visibility rule lives in `TalentProfile.objects.published()` (published, consent
recorded, not withdrawn); everything here starts from it, so a profile flagged published
in the database without consent is still never shown.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from center.core.models import Ward

from ..models import Expertise, TalentProfile

__all__ = [
    "talent_filter_choices",
    "talent_get_public",
    "talent_list_public",
    "talent_public_queryset",
]


def talent_public_queryset() -> QuerySet[TalentProfile]:
    """Public profiles in Japanese order (by ふりがな), with what a card shows prefetched.

    Queries stay constant in the number of profiles: one for the profiles, one each for
    their fields of expertise and their wards. The email address is deferred: no public
    page has a reason to load it.
    """
    return (
        TalentProfile.objects.published()
        .defer("email")
        .prefetch_related("expertise", "wards")
        .order_by("name_kana", "pk")
    )


def talent_list_public(
    *, expertise: Expertise | None = None, ward: Ward | None = None
) -> QuerySet[TalentProfile]:
    """Public profiles, narrowed to one field of expertise and/or one ward when given."""
    profiles = talent_public_queryset()
    if expertise is not None:
        profiles = profiles.filter(expertise=expertise)
    if ward is not None:
        profiles = profiles.filter(wards=ward)
    # Filtering through a many-to-many join cannot repeat a row here (one value each), but
    # distinct() keeps that true if a filter ever takes several values.
    return profiles.distinct()


def talent_get_public(*, pk: int) -> TalentProfile:
    """One public profile, or Http404 (unpublished, no consent, withdrawn, unknown)."""
    return get_object_or_404(talent_public_queryset(), pk=pk)


def talent_filter_choices() -> tuple[list[Expertise], list[Ward]]:
    """What the list can be filtered by: every field of expertise and ward, in order."""
    return list(Expertise.objects.order_by("order", "name")), list(Ward.objects.in_order())

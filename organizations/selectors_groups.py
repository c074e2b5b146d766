"""Reads of group registration, each with its permission rule.

The public directory shows approved, current, opted-in groups and only their public fields
(the views hand templates nothing else). Members reach their own groups; any other group,
and its documents, is a 404 for them, as for everyone.
"""

import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from center.core.models import SdgGoal, Ward
from center.lib.japanese import normalize

from .models import ActivityField, Group, GroupDocument, GroupMembership

__all__ = [
    "DIRECTORY_PAGE_SIZE",
    "PUBLIC_FIELDS",
    "directory_filter_choices",
    "directory_page",
    "group_document_get_for_user",
    "group_get_for_member",
    "group_get_public",
    "groups_for_user",
    "membership_get_for_admin",
]

DIRECTORY_PAGE_SIZE = 20
# What anyone may see of a group: never the contact person, email, phone, postal code,
# street address (the ward only), documents or member list.
PUBLIC_FIELDS = (
    "pk",
    "name",
    "name_kana",
    "kind",
    "ward",
    "description",
    "website",
    "sns",
    "member_count",
    "valid_until",
    "status",
    "listed_publicly",
)


def _public_queryset(today: datetime.date | None = None) -> QuerySet[Group]:
    return (
        Group.objects.listed(today)
        .only(*PUBLIC_FIELDS, "ward__code", "ward__name", "ward__name_en", "ward__order")
        .select_related("ward")
        .prefetch_related(
            Prefetch("fields", queryset=ActivityField.objects.order_by("number")),
            Prefetch("sdgs", queryset=SdgGoal.objects.order_by("number")),
        )
    )


def directory_filter_choices() -> dict:
    """Choices for the filter form: one query each, cached with the page."""
    return {
        "fields": [(f.number, f.display_name) for f in ActivityField.objects.all()],
        "wards": [(w.code, w.display_name) for w in Ward.objects.in_order()],
        "sdgs": [(g.number, str(g)) for g in SdgGoal.objects.all()],
    }


def directory_page(
    *,
    field: int | None = None,
    ward: str | None = None,
    sdg: int | None = None,
    kind: str | None = None,
    q: str = "",
    page: int | str = 1,
    today: datetime.date | None = None,
) -> Page:
    """One page of the directory. Search folds width, case and kana (center.lib.japanese)."""
    groups = _public_queryset(today)
    if field:
        groups = groups.filter(fields__number=field)
    if ward:
        groups = groups.filter(ward__code=ward)
    if sdg:
        groups = groups.filter(sdgs__number=sdg)
    if kind:
        groups = groups.filter(kind=kind)
    for word in normalize(q or "").split():
        groups = groups.filter(search_text__contains=word)
    if field or sdg:
        groups = groups.distinct()
    return Paginator(groups.order_by("name_kana", "pk"), DIRECTORY_PAGE_SIZE).get_page(page)


def group_get_public(*, pk) -> Group:
    """A group's public page: 404 unless it is in the directory."""
    try:
        return _public_queryset().get(pk=pk)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def groups_for_user(*, user) -> QuerySet[Group]:
    """Every group `user` belongs to, whatever its status (their "my group" list)."""
    if not getattr(user, "is_authenticated", False):
        return Group.objects.none()
    return (
        Group.objects.filter(memberships__user=user)
        .select_related("ward")
        .order_by("-created_at")
        .distinct()
    )


def group_get_for_member(*, user, pk) -> tuple[Group, GroupMembership]:
    """The group and the user's membership of it; 404 for anyone not a member."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    membership = (
        GroupMembership.objects.select_related("group__ward").filter(user=user, group_id=pk).first()
        if str(pk).isdigit()
        else None
    )
    if membership is None:
        raise Http404
    return membership.group, membership


def membership_get_for_admin(*, user, group: Group, pk) -> GroupMembership:
    """A membership of `group`, only for an admin of `group`; 404 otherwise."""
    if not group.memberships.filter(user=user, role=GroupMembership.Role.ADMIN).exists():
        raise Http404
    membership = group.memberships.select_related("user").filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def group_document_get_for_user(*, user, group_pk, pk) -> GroupDocument:
    """A document of the user's own group; 404 for every other group's documents."""
    group, _membership = group_get_for_member(user=user, pk=group_pk)
    document = (
        GroupDocument.objects.filter(group=group, pk=pk).first() if str(pk).isdigit() else None
    )
    if document is None:
        raise Http404
    return document

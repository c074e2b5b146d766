"""Reads of the 市民協働HUB: the board, a post, the partner list, and who may act.

Public reads never select a contact field: templates cannot show what they are not given.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import ActivityField, Group, HubPost, IntroductionRequest, Partner

# Columns a public page may read; contact_* and the author never leave the database.
_PUBLIC_PARTNER_FIELDS = ("id", "kind", "name", "department", "description", "website")
_PUBLIC_GROUP_FIELDS = ("group__id", "group__name")


def current_groups_for_user(*, user) -> QuerySet[Group]:
    """The approved groups whose registration is still valid that `user` is a member of."""
    if not getattr(user, "is_authenticated", False):
        return Group.objects.none()
    return Group.objects.filter(
        status=Group.Status.APPROVED,
        valid_until__gte=timezone.localdate(),
        memberships__user=user,
    ).distinct()


def partners_for_user(*, user) -> QuerySet[Partner]:
    """The active partners `user` holds an account for."""
    if not getattr(user, "is_authenticated", False):
        return Partner.objects.none()
    return Partner.objects.active().filter(memberships__user=user).distinct()


@dataclass(frozen=True)
class HubActor:
    """Which sides a signed-in person may act for on the board."""

    groups: list[Group]
    partners: list[Partner]

    @property
    def can_post_need(self) -> bool:
        return bool(self.groups)

    @property
    def can_post_offer(self) -> bool:
        return bool(self.partners)

    @property
    def can_request_introduction(self) -> bool:
        return bool(self.groups or self.partners)

    def owns(self, post: HubPost) -> bool:
        return any(group.pk == post.group_id for group in self.groups) or any(
            partner.pk == post.partner_id for partner in self.partners
        )


def hub_actor_for_user(*, user) -> HubActor:
    return HubActor(
        groups=list(current_groups_for_user(user=user)),
        partners=list(partners_for_user(user=user)),
    )


def _public_posts() -> QuerySet[HubPost]:
    return (
        HubPost.objects.for_listing()
        .only(
            "id",
            "kind",
            "title",
            "body",
            "until",
            "status",
            "created_at",
            "field__number",
            "field__name",
            "field__name_en",
            "ward__code",
            "ward__name",
            "ward__name_en",
            *_PUBLIC_GROUP_FIELDS,
            *(f"partner__{name}" for name in ("id", "name", "department")),
        )
        .visible()
    )


def hub_board(
    *, kind: str | None = None, field: int | None = None, ward: str | None = None
) -> QuerySet[HubPost]:
    """The open, visible posts that have not run past their date, newest first."""
    posts = _public_posts().filter(pk__in=HubPost.objects.on_board().values("pk"))
    if kind:
        posts = posts.filter(kind=kind)
    if field:
        posts = posts.filter(field_id=field)
    if ward:
        posts = posts.filter(ward__code=ward)
    return posts


def hub_post_get_public(*, pk: int) -> HubPost:
    """A visible post (open or closed); a hidden or unknown one is a 404."""
    post = _public_posts().filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def hub_post_get_for_owner(*, pk: int, user) -> HubPost:
    """A visible post of one of the user's groups or partners; anyone else gets a 404."""
    actor = hub_actor_for_user(user=user)
    post = HubPost.objects.visible().filter(pk=pk).first()
    if post is None or not actor.owns(post):
        raise Http404
    return post


def hub_partner_list_public() -> QuerySet[Partner]:
    return Partner.objects.listed().only(*_PUBLIC_PARTNER_FIELDS).prefetch_related("fields", "sdgs")


def hub_filter_choices() -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """Fields and wards for the board's filter form."""
    from center.core.models import Ward

    fields = [(field.number, field.display_name) for field in ActivityField.objects.all()]
    wards = [(ward.code, ward.display_name) for ward in Ward.objects.in_order()]
    return fields, wards


def hub_my_posts(*, user) -> QuerySet[HubPost]:
    actor = hub_actor_for_user(user=user)
    return (
        HubPost.objects.for_listing()
        .filter(Q(group__in=actor.groups) | Q(partner__in=actor.partners))
        .visible()
    )


def hub_my_introductions(*, user) -> QuerySet[IntroductionRequest]:
    """The requests the user sent: post and status only (the view shows no contact)."""
    if not getattr(user, "is_authenticated", False):
        return IntroductionRequest.objects.none()
    return IntroductionRequest.objects.filter(requester=user).select_related("post")

"""Writes of the 市民協働HUB: posts on the board and introduction requests.

Posts are published at once (the board is for registered groups and partners the staff
know); staff can hide one. An introduction request is mailed to the coordinators, one of
them takes it, and the outcome is mailed to both sides. Neither side's contact details
are ever shown on the site: the coordinator connects them by mail.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from center.accounts.roles import COORDINATOR
from center.core.cache import public_cache_invalidate
from center.core.models import AuditEvent
from center.core.services import audit_event_record, outbox_enqueue
from center.lib.i18n import user_mail_language

from .models import Group, HubPost, IntroductionRequest, Partner
from .selectors_hub import current_groups_for_user, partners_for_user

__all__ = [
    "hub_intro_assign",
    "hub_intro_decide",
    "hub_intro_request_create",
    "hub_post_close",
    "hub_post_create_need",
    "hub_post_create_offer",
    "hub_post_hide",
    "hub_post_unhide",
]

logger = logging.getLogger(__name__)

SEND_EMAIL_TASK = "center.core.tasks.send_email"


def _invalidate_public_pages() -> None:
    # robust: the change is committed whatever happens to the cache.
    transaction.on_commit(public_cache_invalidate, robust=True)


def _site_url(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, args=args)


def _validate_until(until) -> None:
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("The date is in the past.")})


# Posts -----------------------------------------------------------------------------------


@transaction.atomic
def hub_post_create_need(
    *, user, group: Group, title: str, body: str, field=None, ward=None, until=None
) -> HubPost:
    """Post a need for `group`. PermissionDenied unless the user is a member of that group
    and its registration is approved and current."""
    if not current_groups_for_user(user=user).filter(pk=group.pk).exists():
        raise PermissionDenied
    _validate_until(until)
    post = HubPost(
        kind=HubPost.Kind.NEED,
        group=group,
        author=user,
        title=title,
        body=body,
        field=field,
        ward=ward or group.ward,
        until=until,
    )
    post.full_clean()
    post.save()
    _invalidate_public_pages()
    return post


@transaction.atomic
def hub_post_create_offer(
    *, user, partner: Partner, title: str, body: str, field=None, ward=None, until=None
) -> HubPost:
    """Post an offer for `partner`. PermissionDenied unless the user holds an account for
    that active partner."""
    if not partners_for_user(user=user).filter(pk=partner.pk).exists():
        raise PermissionDenied
    _validate_until(until)
    post = HubPost(
        kind=HubPost.Kind.OFFER,
        partner=partner,
        author=user,
        title=title,
        body=body,
        field=field,
        ward=ward,
        until=until,
    )
    post.full_clean()
    post.save()
    _invalidate_public_pages()
    return post


@transaction.atomic
def hub_post_close(*, post: HubPost, user) -> HubPost:
    """The posting side closes its post (found help / no longer needed)."""
    allowed = (
        current_groups_for_user(user=user).filter(pk=post.group_id).exists()
        if post.group_id
        else partners_for_user(user=user).filter(pk=post.partner_id).exists()
    )
    if not allowed:
        raise PermissionDenied
    HubPost.objects.filter(pk=post.pk).update(
        status=HubPost.Status.CLOSED, updated_at=timezone.now()
    )
    post.status = HubPost.Status.CLOSED
    _invalidate_public_pages()
    return post


@transaction.atomic
def hub_post_hide(*, post: HubPost, actor, reason: str = "") -> HubPost:
    """Staff take a post off every public page (moderation after publication)."""
    HubPost.objects.filter(pk=post.pk).update(
        is_hidden=True, hidden_reason=reason[:300], updated_at=timezone.now()
    )
    post.is_hidden, post.hidden_reason = True, reason[:300]
    audit_event_record(
        actor=actor, action=AuditEvent.Action.CHANGE, target=post, detail={"hub": "hidden"}
    )
    _invalidate_public_pages()
    return post


@transaction.atomic
def hub_post_unhide(*, post: HubPost, actor) -> HubPost:
    HubPost.objects.filter(pk=post.pk).update(
        is_hidden=False, hidden_reason="", updated_at=timezone.now()
    )
    post.is_hidden, post.hidden_reason = False, ""
    audit_event_record(
        actor=actor, action=AuditEvent.Action.CHANGE, target=post, detail={"hub": "shown"}
    )
    _invalidate_public_pages()
    return post


def hub_post_changed() -> None:
    """Call after any other edit of a post or a partner (the admin does)."""
    _invalidate_public_pages()


# Introduction requests --------------------------------------------------------------------


def _coordinator_emails() -> list[str]:
    emails = list(
        get_user_model()
        .objects.filter(groups__name=COORDINATOR, is_active=True)
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )
    # No coordinator account yet: the staff inbox must still hear of the request.
    return emails or list(settings.STAFF_ALERT_EMAILS)


@transaction.atomic
def hub_intro_request_create(
    *, post: HubPost, user, message: str, group: Group | None = None, partner=None
) -> IntroductionRequest:
    """Ask the center to introduce the user's group or partner to the side behind `post`.

    PermissionDenied unless the user acts for that (current) group or (active) partner.
    ValidationError when the post is closed or hidden, is the user's own side's post, or
    the user already has an open request for it. After commit the coordinators are mailed.
    """
    if (group is None) == (partner is None):
        raise ValidationError(_("Choose whom you are asking for."))
    if group is not None and not current_groups_for_user(user=user).filter(pk=group.pk).exists():
        raise PermissionDenied
    if partner is not None and not partners_for_user(user=user).filter(pk=partner.pk).exists():
        raise PermissionDenied
    post = HubPost.objects.select_for_update().get(pk=post.pk)
    if post.is_hidden or post.status != HubPost.Status.OPEN:
        raise ValidationError(_("This post is closed: introductions are no longer possible."))
    if (group is not None and post.group_id == group.pk) or (
        partner is not None and post.partner_id == partner.pk
    ):
        raise ValidationError(_("This is your own post."))
    if IntroductionRequest.objects.filter(
        post=post, requester=user, status__in=IntroductionRequest.OPEN_STATUSES
    ).exists():
        raise ValidationError(
            _("You have already asked for an introduction to this post; a coordinator is on it.")
        )
    intro = IntroductionRequest(
        post=post,
        requester=user,
        requester_group=group,
        requester_partner=partner,
        message=message,
    )
    intro.full_clean()
    try:
        with transaction.atomic():
            intro.save()
    except IntegrityError as exc:  # a double submit racing this one
        raise ValidationError(
            _("You have already asked for an introduction to this post; a coordinator is on it.")
        ) from exc
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template="hub-intro-coordinators",
        to=_coordinator_emails(),
        context={
            "post_title": post.title,
            "post_kind": post.kind,
            "post_owner": post.owner_name,
            "requester_side": intro.requester_side_name,
            "message": intro.message,
            "admin_url": _site_url("admin:organizations_introductionrequest_change", intro.pk),
        },
        language=settings.LANGUAGE_CODE,
    )
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template="hub-intro-receipt",
        to=[user.email],
        context={"post_title": post.title, "mine_url": _site_url("organizations:hub_mine")},
        language=user_mail_language(user),
    )
    return intro


def _locked_intro(intro: IntroductionRequest) -> IntroductionRequest:
    return IntroductionRequest.objects.select_for_update().get(pk=intro.pk)


@transaction.atomic
def hub_intro_assign(*, intro: IntroductionRequest, coordinator) -> IntroductionRequest:
    """A coordinator takes the request (a new one, or one a colleague left open)."""
    locked = _locked_intro(intro)
    if locked.status not in IntroductionRequest.OPEN_STATUSES:
        raise ValidationError(_("This request has already been decided."))
    locked.coordinator = coordinator
    locked.status = IntroductionRequest.Status.IN_PROGRESS
    locked.save(update_fields=["coordinator", "status"])
    audit_event_record(
        actor=coordinator,
        action=AuditEvent.Action.CHANGE,
        target=locked,
        detail={"hub_intro": "assigned"},
    )
    intro.coordinator, intro.status = locked.coordinator, locked.status
    return locked


def _owner_emails(post: HubPost) -> list[str]:
    """Where the posting side hears of the outcome: its contact address, else its author."""
    address = post.group.contact_email if post.group_id else post.partner.contact_email
    if not address and post.author_id:
        address = post.author.email
    return [address] if address else []


@transaction.atomic
def hub_intro_decide(
    *, intro: IntroductionRequest, coordinator, outcome: str, note: str = ""
) -> IntroductionRequest:
    """Record the outcome (introduced or declined) and, after commit, mail both sides.

    The note is the coordinator's message to both sides; when introducing, it is where the
    coordinator says how the two will be put in touch (the site never shows contacts).
    """
    if outcome not in (
        IntroductionRequest.Status.INTRODUCED,
        IntroductionRequest.Status.DECLINED,
    ):
        raise ValidationError(_("Unknown outcome."))
    locked = _locked_intro(intro)
    if locked.status not in IntroductionRequest.OPEN_STATUSES:
        raise ValidationError(_("This request has already been decided."))
    locked.status = outcome
    locked.coordinator = locked.coordinator or coordinator
    locked.outcome_note = note or locked.outcome_note
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "coordinator", "outcome_note", "decided_at"])
    audit_event_record(
        actor=coordinator,
        action=AuditEvent.Action.CHANGE,
        target=locked,
        detail={"hub_intro": outcome},
    )
    post = HubPost.objects.select_related("group", "partner", "author").get(pk=locked.post_id)
    context = {
        "post_title": post.title,
        "outcome": outcome,
        "note": locked.outcome_note,
        "post_url": _site_url("organizations:hub_post", post.pk),
    }
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template="hub-intro-outcome",
        to=[locked.requester.email],
        context={**context, "side": "requester", "other_side": post.owner_name},
        language=user_mail_language(locked.requester),
    )
    owner_to = _owner_emails(post)
    # Both sides hear the outcome: a decline may be the posting side's own answer.
    if owner_to:
        outbox_enqueue(
            SEND_EMAIL_TASK,
            template="hub-intro-outcome",
            to=owner_to,
            context={**context, "side": "owner", "other_side": locked.requester_side_name},
            language=user_mail_language(post.author) if post.author_id else settings.LANGUAGE_CODE,
        )
    intro.status, intro.decided_at = locked.status, locked.decided_at
    intro.coordinator, intro.outcome_note = locked.coordinator, locked.outcome_note
    return locked

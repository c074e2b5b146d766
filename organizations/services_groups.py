"""Writes of group registration (団体登録): apply, review, renew, members and documents.

A person with a verified account applies for their group and becomes its group admin at
once (they follow the review on their "my group" page). Staff approve, reject with a reason
or ask for more, each with a mail. Approval gives every member the `org_member` role and
makes the registration valid to the end of the fiscal year (3月31日); a reminder goes out
once per group and year in February–March, and a member renews with one click. A lapsed
group (valid_until passed) leaves the directory by date alone, no job needed.

Mails are queued with `outbox_enqueue`: they commit or roll back with the change.
"""

import datetime
import logging
import re
import secrets
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as RoleGroup
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.accounts.roles import ORG_MEMBER
from center.core.cache import public_cache_invalidate
from center.core.fiscal import fiscal_year_bounds, fiscal_year_of
from center.core.models import AuditEvent
from center.core.services import audit_event_record, outbox_enqueue
from center.lib.i18n import user_mail_language
from center.lib.japanese import normalize

from .models import Group, GroupDocument, GroupInvitation, GroupMembership

__all__ = [
    "RENEWAL_MONTHS",
    "group_apply",
    "group_approve",
    "group_reject",
    "group_renew",
    "group_renewal_open",
    "group_search_text",
    "group_request_info",
    "group_update",
    "INVITATION_VALID_DAYS",
    "invitation_accept",
    "invitation_create",
    "invitation_expired",
    "invitation_expired_message",
    "membership_remove",
    "membership_set_role",
    "normalize_postal_code",
    "renewal_reminders_send",
    "valid_until_for",
]

logger = logging.getLogger(__name__)

SEND_EMAIL_TASK = "center.core.tasks.send_email"
# An invitation link opens the group to whoever holds it: it works once, and not forever.
INVITATION_VALID_DAYS = 14
# February and March: the reminder goes out and the one-click renewal opens.
RENEWAL_MONTHS = (2, 3)
_POSTAL_CODE = re.compile(r"^(\d{3})[-‐−ー―]?(\d{4})$")


# Helpers ----------------------------------------------------------------------------------


def normalize_postal_code(value: str) -> str:
    """'２３１−００２３', '2310023' or '231-0023' → '231-0023'; ValidationError otherwise."""
    text = unicodedata.normalize("NFKC", value or "").strip().lstrip("〒").strip()
    text = text.replace(" ", "")
    match = _POSTAL_CODE.match(text)
    if not match:
        raise ValidationError(
            _("Enter a postal code of seven digits, for example 231-0023."), code="postal_code"
        )
    return f"{match.group(1)}-{match.group(2)}"


def valid_until_for(today: datetime.date) -> datetime.date:
    """The last day (3月31日) of the fiscal year `today` is in."""
    return fiscal_year_bounds(fiscal_year_of(today))[1]


def _invalidate_public_pages() -> None:
    # robust: the change is committed whatever happens to the cache.
    transaction.on_commit(public_cache_invalidate, robust=True)


def _site_url(name: str, *args, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, args=args)


def _admins(group: Group) -> list:
    return [
        membership.user
        for membership in group.memberships.select_related("user").filter(
            role=GroupMembership.Role.ADMIN
        )
    ]


def _mail_admins(group: Group, template: str, extra: dict | None = None) -> None:
    """One mail per group admin, in their language; the contact address too if different."""
    recipients = {}
    for user in _admins(group):
        recipients.setdefault(user.email.lower(), (user.email, user_mail_language(user)))
    if group.contact_email and group.contact_email.lower() not in recipients:
        recipients[group.contact_email.lower()] = (group.contact_email, settings.LANGUAGE_CODE)
    for email, language in recipients.values():
        context = {
            "group_name": group.name,
            "review_note": group.review_note,
            "valid_until": group.valid_until.isoformat() if group.valid_until else "",
            "group_url": _site_url("organizations:mine_detail", group.pk, language=language),
            **(extra or {}),
        }
        outbox_enqueue(
            SEND_EMAIL_TASK, template=template, to=[email], context=context, language=language
        )


def _grant_org_member(user) -> None:
    role = RoleGroup.objects.filter(name=ORG_MEMBER).first()
    if role is not None:
        user.groups.add(role)
        user.__dict__.pop("role_names", None)


def _revoke_org_member_if_unused(user) -> None:
    # The role follows membership of an approved group: once none is left, it goes.
    if GroupMembership.objects.filter(user=user, group__status=Group.Status.APPROVED).exists():
        return
    role = RoleGroup.objects.filter(name=ORG_MEMBER).first()
    if role is not None:
        user.groups.remove(role)
        user.__dict__.pop("role_names", None)


def _lock(group: Group) -> Group:
    return Group.objects.select_for_update().get(pk=group.pk)


def _save_documents(group: Group, documents: Iterable[tuple[str, object]], user) -> None:
    for kind, upload in documents:
        if not upload:
            continue
        document = GroupDocument(
            group=group,
            kind=kind,
            original_name=upload.original_name,
            content_type=upload.detected_content_type,
            size=upload.size,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        document.file.save(upload.original_name, upload, save=False)
        document.full_clean()
        document.save()


def group_search_text(group: Group) -> str:
    """What the directory search looks in, folded the way queries are."""
    return normalize(" ".join([group.name, group.name_kana, group.description]))


def _set_values(group: Group, data: dict) -> None:
    for name, value in data.items():
        setattr(group, name, value)
    group.postal_code = normalize_postal_code(group.postal_code)
    group.search_text = group_search_text(group)


# Application ------------------------------------------------------------------------------


def _require_verified(user) -> None:
    from allauth.account.models import EmailAddress

    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise PermissionDenied(_("Confirm your email address before applying."))


@transaction.atomic
def group_apply(
    *,
    user,
    data: dict,
    fields: Iterable,
    sdgs: Iterable = (),
    documents: Iterable[tuple[str, object]] = (),
    now: datetime.datetime | None = None,
) -> Group:
    """Register an application for review; the applicant becomes the group's admin.

    `data` holds the Group's own fields; `documents` (kind, checked upload) pairs. All or
    nothing: a failure anywhere leaves no group, no membership and no file row.
    """
    _require_verified(user)
    fields = list(fields)
    if not fields:
        raise ValidationError({"fields": _("Choose at least one field of activity.")})
    group = Group(status=Group.Status.PENDING, submitted_at=now or timezone.now())
    _set_values(group, data)
    group.full_clean()
    # A double click sends the form twice: lock the applicant's row so the second request
    # waits for the first, then sees its pending application and is refused.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if Group.objects.filter(
        status=Group.Status.PENDING,
        name=group.name,
        memberships__user=user,
    ).exists():
        raise ValidationError(
            _(
                "You have already sent an application for this group; it is waiting for "
                "review. You can see it under My groups."
            )
        )
    group.save()
    group.fields.set(fields)
    group.sdgs.set(list(sdgs))
    GroupMembership.objects.create(group=group, user=user, role=GroupMembership.Role.ADMIN)
    _save_documents(group, documents, user)
    audit_event_record(actor=user, action=AuditEvent.Action.CREATE, target=group)
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template="group-received",
        to=[user.email],
        context={
            "group_name": group.name,
            "group_url": _site_url(
                "organizations:mine_detail", group.pk, language=user_mail_language(user)
            ),
        },
        language=user_mail_language(user),
    )
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    user,
    data: dict,
    fields: Iterable,
    sdgs: Iterable = (),
    documents: Iterable[tuple[str, object]] = (),
    now: datetime.datetime | None = None,
) -> Group:
    """A member edits their group. An answer to "more information needed" goes back to
    review; a rejected application cannot be edited (apply again instead)."""
    if not GroupMembership.objects.filter(group=group, user=user).exists():
        raise PermissionDenied
    group = _lock(group)
    if group.status == Group.Status.REJECTED:
        raise ValidationError(_("A rejected application cannot be changed."))
    fields = list(fields)
    if not fields:
        raise ValidationError({"fields": _("Choose at least one field of activity.")})
    _set_values(group, data)
    if group.status == Group.Status.NEEDS_INFO:
        group.status = Group.Status.PENDING
        group.submitted_at = now or timezone.now()
    group.full_clean()
    group.save()
    group.fields.set(fields)
    group.sdgs.set(list(sdgs))
    _save_documents(group, documents, user)
    audit_event_record(actor=user, action=AuditEvent.Action.CHANGE, target=group)
    _invalidate_public_pages()
    return group


# Review (staff) ---------------------------------------------------------------------------


@transaction.atomic
def group_approve(*, group: Group, actor, today: datetime.date | None = None) -> Group:
    """Register the group to the end of this fiscal year; members get the org_member role."""
    today = today or timezone.localdate()
    group = _lock(group)
    if group.status == Group.Status.APPROVED:
        return group
    group.status = Group.Status.APPROVED
    group.approved_at = timezone.now()
    group.valid_until = valid_until_for(today)
    group.review_note = ""
    group.full_clean()
    group.save()
    for membership in group.memberships.select_related("user"):
        _grant_org_member(membership.user)
    audit_event_record(
        actor=actor, action=AuditEvent.Action.CHANGE, target=group, detail={"review": "approve"}
    )
    _mail_admins(group, "group-approved")
    _invalidate_public_pages()
    return group


def _decide_with_note(*, group: Group, actor, note: str, status: str, template: str) -> Group:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"review_note": _("Write the message to the applicant.")})
    group = _lock(group)
    was_approved = group.status == Group.Status.APPROVED
    group.status = status
    group.review_note = note
    group.full_clean()
    group.save()
    if was_approved:
        for membership in group.memberships.select_related("user"):
            _revoke_org_member_if_unused(membership.user)
    audit_event_record(
        actor=actor, action=AuditEvent.Action.CHANGE, target=group, detail={"review": status}
    )
    _mail_admins(group, template)
    _invalidate_public_pages()
    return group


@transaction.atomic
def group_reject(*, group: Group, actor, reason: str) -> Group:
    """Refuse the application, with the reason mailed to the applicant."""
    return _decide_with_note(
        group=group,
        actor=actor,
        note=reason,
        status=Group.Status.REJECTED,
        template="group-rejected",
    )


@transaction.atomic
def group_request_info(*, group: Group, actor, message: str) -> Group:
    """Ask the applicant for more; their next edit sends the application back to review."""
    return _decide_with_note(
        group=group,
        actor=actor,
        note=message,
        status=Group.Status.NEEDS_INFO,
        template="group-needs-info",
    )


# Renewal ----------------------------------------------------------------------------------


def group_renewal_open(group: Group, today: datetime.date | None = None) -> bool:
    """Renewal is open from February 1 before the registration ends, and after it lapsed."""
    today = today or timezone.localdate()
    if group.status != Group.Status.APPROVED or group.valid_until is None:
        return False
    return today >= datetime.date(group.valid_until.year, 2, 1)


@transaction.atomic
def group_renew(*, group: Group, user, today: datetime.date | None = None) -> Group:
    """ "No change" renewal by a member: valid to the next 3月31日 after the current one
    (or after today, for a group that has lapsed)."""
    today = today or timezone.localdate()
    if not GroupMembership.objects.filter(group=group, user=user).exists():
        raise PermissionDenied
    group = _lock(group)
    if not group_renewal_open(group, today):
        raise ValidationError(_("This registration cannot be renewed yet."))
    start = max(today, group.valid_until + datetime.timedelta(days=1))
    group.valid_until = valid_until_for(start)
    group.full_clean()
    group.save()
    audit_event_record(
        actor=user, action=AuditEvent.Action.CHANGE, target=group, detail={"renewed": True}
    )
    _invalidate_public_pages()
    return group


def renewal_reminders_send(*, today: datetime.date | None = None) -> int:
    """Queue one renewal reminder per group and fiscal year, in February–March.

    Exactly once per group and year: each group is claimed with a conditional UPDATE and
    only the process whose UPDATE changed the row queues the mail. A failure for one group
    is logged and the batch goes on.
    """
    today = today or timezone.localdate()
    if today.month not in RENEWAL_MONTHS:
        return 0
    fiscal_year = fiscal_year_of(today)
    ending = fiscal_year_bounds(fiscal_year)[1]
    due = (
        Group.objects.approved()
        .filter(valid_until=ending)
        .exclude(renewal_reminded_for=fiscal_year)
    )
    count = 0
    for group_id in due.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                claimed = (
                    Group.objects.filter(pk=group_id, valid_until=ending)
                    .filter(
                        Q(renewal_reminded_for__isnull=True) | ~Q(renewal_reminded_for=fiscal_year)
                    )
                    .update(renewal_reminded_for=fiscal_year)
                )
                if not claimed:
                    continue
                group = Group.objects.get(pk=group_id)
                _mail_admins(group, "group-renewal-reminder")
                count += 1
        except Exception:
            logger.exception("Renewal reminder for group %s failed", group_id)
    return count


# Members ----------------------------------------------------------------------------------


def _require_admin(group: Group, user) -> None:
    if not GroupMembership.objects.filter(
        group=group, user=user, role=GroupMembership.Role.ADMIN
    ).exists():
        raise PermissionDenied


@transaction.atomic
def invitation_create(*, group: Group, actor, email: str) -> GroupInvitation:
    """A group admin invites an address; the mailed link carries the token."""
    _require_admin(group, actor)
    email = (email or "").strip()
    if group.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the group.")})
    invitation = GroupInvitation(
        group=group, email=email, token=secrets.token_urlsafe(32), invited_by=actor
    )
    invitation.full_clean()
    invitation.save()
    language = user_mail_language(actor)
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template="group-invitation",
        to=[email],
        context={
            "group_name": group.name,
            "inviter_name": actor.name or actor.email,
            "accept_url": _site_url(
                "organizations:invitation", invitation.token, language=language
            ),
            "valid_days": INVITATION_VALID_DAYS,
        },
        language=language,
    )
    return invitation


@transaction.atomic
def invitation_expired(invitation: GroupInvitation, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return invitation.created_at < now - datetime.timedelta(days=INVITATION_VALID_DAYS)


def invitation_expired_message() -> str:
    return _(
        "This invitation has expired (links work for %(days)s days). Ask the group's "
        "administrator to invite you again."
    ) % {"days": INVITATION_VALID_DAYS}


def invitation_accept(*, token: str, user) -> GroupMembership:
    """The signed-in invitee joins the group; the link works once."""
    invitation = (
        GroupInvitation.objects.select_for_update().filter(token=token, accepted_at=None).first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation has already been used or does not exist."))
    if invitation_expired(invitation):
        raise ValidationError(invitation_expired_message())
    membership, _created = GroupMembership.objects.get_or_create(
        group=invitation.group, user=user, defaults={"role": GroupMembership.Role.MEMBER}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.group.status == Group.Status.APPROVED:
        _grant_org_member(user)
    return membership


@transaction.atomic
def membership_remove(*, group: Group, actor, membership: GroupMembership) -> None:
    """A group admin removes a member (or themselves); the last admin stays."""
    _require_admin(group, actor)
    group = _lock(group)
    if membership.group_id != group.pk:
        raise PermissionDenied
    if (
        membership.role == GroupMembership.Role.ADMIN
        and group.memberships.filter(role=GroupMembership.Role.ADMIN).count() <= 1
    ):
        raise ValidationError(_("A group needs at least one administrator."))
    user = membership.user
    membership.delete()
    _revoke_org_member_if_unused(user)
    audit_event_record(
        actor=actor, action=AuditEvent.Action.DELETE, target=group, detail={"member": user.pk}
    )


@transaction.atomic
def membership_set_role(*, group: Group, actor, membership: GroupMembership, role: str) -> None:
    """A group admin makes a member an admin, or an admin a plain member; the last admin
    stays one (as with removing), so a group is never left without someone to run it."""
    _require_admin(group, actor)
    group = _lock(group)
    if membership.group_id != group.pk or role not in GroupMembership.Role.values:
        raise PermissionDenied
    if membership.role == role:
        return
    if (
        membership.role == GroupMembership.Role.ADMIN
        and group.memberships.filter(role=GroupMembership.Role.ADMIN).count() <= 1
    ):
        raise ValidationError(_("A group needs at least one administrator."))
    membership.role = role
    membership.save(update_fields=["role"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        target=group,
        detail={"member": membership.user_id, "role": role},
    )

"""Writes for network meetings and ward-staff invitations.

Each write is one transaction; mails are queued through the outbox in the same transaction,
so a change and its announcement commit (or roll back) together.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.accounts.models import User
from center.accounts.roles import WARD_STAFF
from center.core.services import outbox_enqueue
from center.lib.i18n import user_mail_language
from consultations.uploads import validate_attachment

from .models import ActionItem, Meeting, MeetingMaterial, MeetingRsvp, WardCenter

logger = logging.getLogger(__name__)

INVITATION_SALT = "networks.ward-staff-invitation"
INVITATION_MAX_AGE = datetime.timedelta(days=7)
REMINDER_HOURS_BEFORE = 48


# Recipients ----------------------------------------------------------------------------


def ward_staff_recipients():
    """Active ward staff of every ward center (the ward must have a center)."""
    return (
        User.objects.filter(
            is_active=True, groups__name=WARD_STAFF, ward__isnull=False, ward__center__isnull=False
        )
        .distinct()
        .order_by("pk")
    )


def _enqueue_for_ward_staff(task_name: str, meeting_id: int) -> int:
    count = 0
    for user_id in ward_staff_recipients().values_list("pk", flat=True):
        outbox_enqueue(task_name, meeting_id, user_id)
        count += 1
    return count


# RSVP ----------------------------------------------------------------------------------


@transaction.atomic
def rsvp_save(
    *,
    meeting: Meeting,
    ward_center: WardCenter,
    attending: bool,
    attendee_names: str = "",
    note: str = "",
    actor=None,
) -> MeetingRsvp:
    """The ward's reply for a meeting, replacing any earlier one.

    Refused once the meeting has started or the reply deadline passed: the center has
    already planned the room by then.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.accepts_rsvp:
        if meeting.is_past:
            raise ValidationError(
                _("This meeting has already taken place; replies are closed."), code="past"
            )
        raise ValidationError(
            _("The reply deadline for this meeting has passed. Please contact the center."),
            code="closed",
        )
    attendee_names = attendee_names.strip()
    if attending and not attendee_names:
        raise ValidationError(
            {"attendee_names": _("Enter the names of those who will attend.")}, code="required"
        )
    rsvp = MeetingRsvp.objects.filter(meeting=meeting, ward_center=ward_center).first()
    if rsvp is None:
        rsvp = MeetingRsvp(meeting=meeting, ward_center=ward_center)
    rsvp.attending = attending
    rsvp.attendee_names = attendee_names if attending else ""
    rsvp.note = note.strip()
    rsvp.responded_by = actor
    rsvp.responded_at = timezone.now()
    rsvp.full_clean()
    rsvp.save()
    return rsvp


# Materials and minutes -----------------------------------------------------------------


def material_clean_upload(upload):
    """Check type (by content) and size; returns the file to store (renamed, typed).
    Raises ValidationError with a message naming the file."""
    return validate_attachment(upload)


@transaction.atomic
def material_add(*, meeting: Meeting, title: str, upload, notify: bool = True) -> MeetingMaterial:
    clean = material_clean_upload(upload)
    material = MeetingMaterial(
        meeting=meeting,
        title=title.strip() or clean.original_name,
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=clean.size,
    )
    material.file.save(clean.name, clean, save=False)
    material.full_clean()
    material.save()
    if notify:
        materials_announce(meeting=meeting)
    return material


@transaction.atomic
def materials_announce(*, meeting: Meeting) -> int:
    """Mail ward staff about this meeting's materials not yet announced. Returns mails queued.

    The materials are claimed (notified_at set) in the same transaction as the mails, so
    saving the meeting again never announces the same file twice.
    """
    now = timezone.now()
    claimed = MeetingMaterial.objects.filter(meeting=meeting, notified_at__isnull=True).update(
        notified_at=now
    )
    if not claimed:
        return 0
    return _enqueue_for_ward_staff("networks.tasks_meetings.send_materials_posted", meeting.pk)


@transaction.atomic
def minutes_publish(*, meeting: Meeting) -> bool:
    """Publish the minutes to all ward centers and mail ward staff. Once: a second call on
    published minutes changes nothing and mails nobody. Empty minutes are refused."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before publishing them."), code="empty")
    if meeting.minutes_published_at is not None:
        return False
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at", "updated_at"])
    _enqueue_for_ward_staff("networks.tasks_meetings.send_minutes_published", meeting.pk)
    return True


# Reminders -----------------------------------------------------------------------------


def meeting_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Claim each meeting starting within REMINDER_HOURS_BEFORE and queue its reminders.

    Exactly once per meeting: the claim is a conditional UPDATE on `reminder_sent_at IS
    NULL`, committed together with the outbox messages, so two beats never both remind.
    Returns the number of meetings reminded.
    """
    now = now or timezone.now()
    due = Meeting.objects.filter(
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=REMINDER_HOURS_BEFORE),
    ).values_list("pk", flat=True)
    reminded = 0
    for meeting_id in list(due):
        try:
            with transaction.atomic():
                claimed = Meeting.objects.filter(
                    pk=meeting_id, reminder_sent_at__isnull=True
                ).update(reminder_sent_at=now)
                if claimed != 1:
                    continue
                _enqueue_for_ward_staff("networks.tasks_meetings.send_reminder", meeting_id)
                reminded += 1
        except Exception:
            logger.exception("Meeting %s: reminders not queued", meeting_id)
    return reminded


# Action items --------------------------------------------------------------------------


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str) -> ActionItem:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.status = status
    item.full_clean()
    item.save(update_fields=["status", "updated_at"])
    return item


# Invitations ---------------------------------------------------------------------------


def invitation_token(user: User) -> str:
    # The password hash is part of the token: once the invitee sets a password, the link
    # stops working (a one-time link without storing anything).
    return signing.dumps({"u": user.pk, "p": user.password[-16:]}, salt=INVITATION_SALT)


def invitation_url(user: User) -> str:
    """The accept link, on the page in the invitee's own language."""
    with translation.override(user_mail_language(user)):
        path = reverse("networks:invitation_accept", args=[invitation_token(user)])
    return settings.SITE_URL + path


def invitation_user_from_token(token: str) -> User | None:
    """The invited, not yet activated account for this token; None when the link is
    forged, expired or already used."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE.total_seconds()
        )
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=False).first()
    if user is None or user.password[-16:] != data.get("p"):
        return None
    return user


@transaction.atomic
def ward_staff_invite(
    *, email: str, ward_center: WardCenter, name: str = "", language: str = "ja", invited_by=None
) -> User:
    """Create an inactive ward-staff account for this ward center and mail the invitation.

    An address that already has an account is refused (existing accounts change roles in
    the user admin); an invitation not yet accepted can be sent again with `invitation_resend`.
    """
    from center.accounts.services import user_create

    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("An account with this email address already exists.")}, code="exists"
        )
    user = user_create(
        email=email,
        password=None,
        name=name.strip(),
        roles=[WARD_STAFF],
        ward=ward_center.ward,
        verified=False,
    )
    user.is_active = False
    user.language = language
    user.full_clean()
    user.save(update_fields=["is_active", "language"])
    outbox_enqueue("networks.tasks_meetings.send_invitation", user.pk)
    return user


@transaction.atomic
def invitation_resend(*, user: User) -> None:
    if user.is_active or not user.has_role(WARD_STAFF):
        raise ValidationError(_("This account is already active."), code="active")
    outbox_enqueue("networks.tasks_meetings.send_invitation", user.pk)


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    """Set the password, activate the account and verify its address (the mail reached it)."""
    from allauth.account.models import EmailAddress

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("This invitation has already been used."), code="used")
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    return user


# Registers the mail tasks in processes that queue them (Celery autodiscovers tasks.py only).
from . import tasks_meetings  # noqa: E402, F401

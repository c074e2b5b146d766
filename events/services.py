"""Registrations: the public form and staff (phone, counter, walk-in) register people for an
event; registrants cancel or leave the waiting list by their private link; freed seats go to
the waiting list in order; reminders go out once before the event.

Capacity counts seats (the sum of `party_size` of confirmed registrations). Every write that
changes who holds a seat locks the event row first (`select_for_update`), so concurrent
registrations and cancellations of one event queue up and each sees the one before it:
50 people asking for the last 10 seats at once make exactly 10 confirmations. Locks are
always taken in the same order, event then registration, so two writers never deadlock.
The partial unique constraint `events_one_live_registration_per_email` stops a duplicate
that the lock cannot (SQLite has no row locks).

Mails are queued with `outbox_enqueue`: they commit or roll back with the registration and
go out after the commit.
"""

import datetime
import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.core.cache import public_cache_invalidate
from center.core.services import outbox_enqueue

from .models import Answer, Event, Question, Registration

__all__ = [
    "MAX_ANSWER_LENGTH",
    "PRIVACY_NOTICE_VERSION",
    "STAFF_CHANNELS",
    "event_get_for_registration",
    "event_seats_taken",
    "registrant_url",
    "registration_cancel",
    "registration_create",
    "registration_get_by_token",
    "registration_leave_waitlist",
    "registration_refusal",
    "registration_reminders_send",
    "waitlist_promote",
    "waitlist_refill",
]

logger = logging.getLogger(__name__)

PRIVACY_NOTICE_VERSION = "2026-12-01"
MAX_ANSWER_LENGTH = 2000
# Channels through which staff enter a registration: no email address needed, and the
# public registration window does not apply (a phone call the day before is welcome).
STAFF_CHANNELS = frozenset(
    {
        Registration.Channel.PHONE,
        Registration.Channel.COUNTER,
        Registration.Channel.WALK_IN,
    }
)
_LIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


# Reads ------------------------------------------------------------------------------------


def event_get_for_registration(*, pk) -> Event:
    """A published (or cancelled, still shown) event, or 404: drafts do not exist publicly."""
    try:
        return Event.objects.published().select_related("program").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def event_seats_taken(event: Event) -> int:
    """Seats held by confirmed registrations."""
    total = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    ).aggregate(seats=Sum("party_size"))["seats"]
    return total or 0


def registration_refusal(*, event: Event, now: datetime.datetime | None = None) -> str:
    """Why the public cannot register for this event now, as a message; "" when it can.

    Being full is no refusal while the event keeps a waiting list.
    """
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("This event has been cancelled.")
    if event.status != Event.Status.PUBLISHED:
        return _("This event is not open for registration.")
    if not event.registration_required:
        return _("No registration is needed for this event: just come along.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(date)s.") % {
            "date": _format_moment(event.registration_opens_at)
        }
    if not event.registration_is_open(now):
        return _("Registration for this event is closed.")
    return ""


def registration_get_by_token(*, token: str) -> Registration:
    """The registrant's private page: the unguessable token is the only key."""
    if not token or len(token) > 64:
        raise Http404
    try:
        return Registration.objects.select_related("event__program", "ward").get(token=token)
    except Registration.DoesNotExist:
        raise Http404 from None


def registrant_url(registration: Registration) -> str:
    """The absolute link to the registrant's private page, in their language."""
    with translation.override(registration.language):
        path = reverse("events:registrant", kwargs={"token": registration.token})
    return settings.SITE_URL + path


def _format_moment(moment: datetime.datetime) -> str:
    from center.core.templatetags.center import jdate

    return jdate(moment, True)


# Writes -----------------------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    # Only the event row: the program and everything else stay free for readers.
    return Event.objects.select_for_update(of=("self",)).get(pk=event.pk)


def _clean_answers(
    *, event: Event, answers: Mapping, required_enforced: bool
) -> list[tuple[Question, str]]:
    """The answers as (question, stored value), or ValidationError listing what is wrong.

    A key that is not a question of this event (a forged or stale form) is refused as a
    whole: it would otherwise be dropped silently or stored against another event.
    """
    questions = {
        question.pk: question
        for question in event.questions.filter(purpose=Question.Purpose.REGISTRATION)
    }
    given: dict[int, object] = {}
    for key, value in answers.items():
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            question_id = None
        if question_id not in questions:
            raise ValidationError(
                _("The form does not match this event's questions. Please reload the page."),
                code="unknown_question",
            )
        given[question_id] = value

    errors: list[ValidationError] = []
    cleaned: list[tuple[Question, str]] = []
    for question in questions.values():
        value = given.get(question.pk)
        if question.kind == Question.Kind.CHECKBOX:
            if value in (None, ""):
                values: list[str] = []
            elif isinstance(value, str):
                values = [value]
            else:
                values = [str(item) for item in value]
            values = [item.strip() for item in values if str(item).strip()]
            choices = question.choice_list()
            if any(item not in choices for item in values):
                errors.append(
                    ValidationError(
                        _("“%(question)s”: please choose among the options given.")
                        % {"question": question.label},
                        code="invalid_choice",
                    )
                )
                continue
            # Stored in the question's order, one per line, whatever order they came in.
            text = "\n".join(choice for choice in choices if choice in values)
        else:
            text = "" if value is None else str(value).strip()
            is_choice = question.kind == Question.Kind.CHOICE
            if is_choice and text and text not in question.choice_list():
                errors.append(
                    ValidationError(
                        _("“%(question)s”: please choose among the options given.")
                        % {"question": question.label},
                        code="invalid_choice",
                    )
                )
                continue
            if len(text) > MAX_ANSWER_LENGTH:
                errors.append(
                    ValidationError(
                        _("“%(question)s”: please keep the answer under %(max)s characters.")
                        % {"question": question.label, "max": MAX_ANSWER_LENGTH},
                        code="too_long",
                    )
                )
                continue
        if question.required and required_enforced and not text:
            errors.append(
                ValidationError(
                    _("“%(question)s” needs an answer.") % {"question": question.label},
                    code="required",
                )
            )
            continue
        if text:
            cleaned.append((question, text))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _in_reminder_window(event: Event, now: datetime.datetime) -> bool:
    hours = event.reminder_hours_before
    return bool(hours) and event.starts_at - now <= datetime.timedelta(hours=hours)


@transaction.atomic
def registration_create(
    *,
    event: Event,
    family_name: str,
    given_name: str = "",
    family_name_kana: str = "",
    given_name_kana: str = "",
    email: str = "",
    phone: str = "",
    organization: str = "",
    ward=None,
    heard_from: str = "",
    accessibility_needs: str = "",
    party_size: int = 1,
    answers: Mapping | None = None,
    language: str = "ja",
    channel: str = Registration.Channel.WEB,
    created_by=None,
    privacy_notice_version: str = PRIVACY_NOTICE_VERSION,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register a person (and the seats of their party) for an event, or raise
    ValidationError saying why not; nothing is stored then.

    Confirmed while seats remain; otherwise waitlisted, or refused as full when the event
    keeps no waiting list. A walk-in is there already: always confirmed. The public (channel
    "web") needs an email address and an open registration window; staff channels need
    neither, only an event that is published and not over. One live registration per
    email address and event. `answers` maps question ids to a string (a list of strings
    for a checkbox question); staff channels may leave required questions unanswered.

    After commit: the confirmation (or waiting-list) mail, when there is an address.
    """
    now = now or timezone.now()
    event = _lock_event(event)
    is_staff_channel = channel in STAFF_CHANNELS
    email = (email or "").strip()

    if is_staff_channel:
        if event.status != Event.Status.PUBLISHED:
            raise ValidationError(_("This event is not open for registration."))
        if event.ends_at <= now:
            raise ValidationError(_("This event is over."))
    else:
        refusal = registration_refusal(event=event, now=now)
        if refusal:
            raise ValidationError(refusal)
        if not email:
            raise ValidationError({"email": _("Please enter your email address.")}, code="required")

    if not isinstance(party_size, int) or isinstance(party_size, bool):
        raise ValidationError({"party_size": _("Please enter a number of people.")})
    if party_size < 1 or party_size > event.max_party_size:
        raise ValidationError(
            {
                "party_size": _("One registration can be for 1 to %(max)s people.")
                % {"max": event.max_party_size}
            },
            code="party_size",
        )

    if (
        email
        and Registration.objects.filter(event=event, email__iexact=email, status__in=_LIVE).exists()
    ):
        raise ValidationError(
            {
                "email": _(
                    "This email address is already registered for this event. The mail we "
                    "sent has a link to your registration."
                )
            },
            code="duplicate",
        )

    cleaned_answers = _clean_answers(
        event=event, answers=answers or {}, required_enforced=not is_staff_channel
    )

    # A walk-in is in the room already: staff decided to let them in.
    fits = event.capacity is None or event_seats_taken(event) + party_size <= event.capacity
    if fits or channel == Registration.Channel.WALK_IN:
        status = Registration.Status.CONFIRMED
    elif event.waitlist_enabled:
        status = Registration.Status.WAITLISTED
    else:
        raise ValidationError(
            _("Sorry, this event is full and takes no more registrations."), code="full"
        )

    registration = Registration(
        event=event,
        status=status,
        channel=channel,
        family_name=family_name,
        given_name=given_name,
        family_name_kana=family_name_kana,
        given_name_kana=given_name_kana,
        email=email,
        phone=phone,
        organization=organization,
        ward=ward,
        heard_from=heard_from,
        accessibility_needs=accessibility_needs,
        party_size=party_size,
        language=language,
        privacy_notice_version=privacy_notice_version,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        created_at=now,
    )
    if status == Registration.Status.CONFIRMED and _in_reminder_window(event, now):
        # Registered inside the reminder window: the confirmation is the reminder.
        registration.reminder_sent_at = now
    # The partial unique constraint is left to the database (checked above under the lock;
    # here it would be a second query with a generic message).
    registration.full_clean(exclude=["event", "ward", "created_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # Only a concurrent duplicate that slipped past the lock (SQLite) gets here.
        raise ValidationError(
            {"email": _("This email address is already registered for this event.")},
            code="duplicate",
        ) from None
    Answer.objects.bulk_create(
        Answer(registration=registration, question=question, value=value)
        for question, value in cleaned_answers
    )

    if registration.email:
        if status == Registration.Status.CONFIRMED:
            outbox_enqueue("events.tasks.send_confirmation", registration.pk)
        else:
            outbox_enqueue("events.tasks.send_waitlisted", registration.pk)
    transaction.on_commit(public_cache_invalidate)
    return registration


def waitlist_promote(*, event: Event, now: datetime.datetime | None = None) -> list[Registration]:
    """Move people up from the waiting list into free seats, earliest first; a party moves
    up only if all of it fits, and a smaller party behind it may then go first. Each one
    promoted is mailed. Returns those promoted.

    Call inside a transaction that holds the event's row lock (the services here do);
    nothing moves once the event has started or when it is not published.
    """
    now = now or timezone.now()
    if event.status != Event.Status.PUBLISHED or event.starts_at <= now:
        return []
    waiting = Registration.objects.filter(
        event=event, status=Registration.Status.WAITLISTED
    ).order_by("created_at", "pk")
    free = None if event.capacity is None else event.capacity - event_seats_taken(event)
    promoted: list[Registration] = []
    for registration in waiting:
        if free is not None:
            if free <= 0:
                break
            if registration.party_size > free:
                continue
            free -= registration.party_size
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        fields = ["status", "promoted_at"]
        if _in_reminder_window(event, now):
            # The promotion mail carries everything a reminder would.
            registration.reminder_sent_at = now
            fields.append("reminder_sent_at")
        registration.save(update_fields=fields)
        if registration.email:
            outbox_enqueue("events.tasks.send_promoted", registration.pk)
        promoted.append(registration)
    if promoted:
        transaction.on_commit(public_cache_invalidate)
    return promoted


@transaction.atomic
def waitlist_refill(*, event: Event, now: datetime.datetime | None = None) -> list[Registration]:
    """Fill seats freed other than by a cancellation (staff raised the capacity): lock the
    event, then promote as `waitlist_promote` does. For the event services and the admin."""
    return waitlist_promote(event=_lock_event(event), now=now)


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor=None, now: datetime.datetime | None = None
) -> Registration:
    """Cancel a registration (confirmed or waitlisted): its seats go to the waiting list
    in order, the registrant gets a mail.

    Cancelling a cancelled registration changes nothing. The registrant (`actor` None)
    cannot cancel once the event has started; staff can.
    """
    now = now or timezone.now()
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if not registration.is_live:
        return registration
    if actor is None and event.starts_at <= now:
        raise ValidationError(
            _("This event has already started, so the registration can no longer be cancelled.")
        )
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if registration.email:
        outbox_enqueue("events.tasks.send_cancelled", registration.pk)
    if was_confirmed:
        waitlist_promote(event=event, now=now)
    transaction.on_commit(public_cache_invalidate)
    registration.event = event
    return registration


@transaction.atomic
def registration_leave_waitlist(
    *, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """A waitlisted person leaves the waiting list (by their link); they get a short mail.

    Leaving twice changes nothing; a confirmed registration must be cancelled instead.
    """
    now = now or timezone.now()
    _lock_event(registration.event)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status == Registration.Status.LEFT_WAITLIST:
        return registration
    if registration.status != Registration.Status.WAITLISTED:
        raise ValidationError(_("This registration is not on the waiting list."))
    registration.status = Registration.Status.LEFT_WAITLIST
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if registration.email:
        outbox_enqueue("events.tasks.send_cancelled", registration.pk)
    transaction.on_commit(public_cache_invalidate)
    return registration


# Reminders --------------------------------------------------------------------------------


def _events_due_for_reminders(now: datetime.datetime) -> list[int]:
    """Published events starting within their own `reminder_hours_before` from now that
    still have someone to remind. The hours differ per event, so the window is checked in
    Python over the (few) upcoming events; the database narrows them down first."""
    waiting = Registration.objects.filter(
        event=OuterRef("pk"),
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
    ).exclude(email="")
    longest = datetime.timedelta(hours=32767)
    candidates = (
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            reminder_hours_before__gt=0,
            starts_at__gt=now,
            starts_at__lte=now + longest,
        )
        .filter(Exists(waiting))
        .values_list("pk", "starts_at", "reminder_hours_before")
    )
    return [
        pk
        for pk, starts_at, hours in candidates
        if starts_at - now <= datetime.timedelta(hours=hours)
    ]


def registration_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Queue one reminder per confirmed registration (with an address) of each published
    event starting within the event's `reminder_hours_before`. Returns how many were queued.

    Exactly once per registration: each row is claimed with a conditional UPDATE on
    `reminder_sent_at IS NULL` (and still confirmed), committed
    together with its outbox message, so two beats running at once, or one after the other,
    never queue a registration twice; the mail task retries until the mail is out. A
    cancelled registration or event is never claimed. A failing row is logged and skipped.
    """
    now = now or timezone.now()
    event_ids = _events_due_for_reminders(now)
    if not event_ids:
        return 0
    due = (
        Registration.objects.filter(
            event_id__in=event_ids,
            status=Registration.Status.CONFIRMED,
            reminder_sent_at__isnull=True,
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queued = 0
    for registration_id in list(due):
        try:
            with transaction.atomic():
                # Conditions on this table's own columns only: a join would make Django
                # write `id IN (subquery)`, which PostgreSQL does not re-check after
                # waiting for a concurrent claim, and two beats would both claim the row.
                # A cancelled event is checked again by the mail task.
                claimed = Registration.objects.filter(
                    pk=registration_id,
                    reminder_sent_at__isnull=True,
                    status=Registration.Status.CONFIRMED,
                ).update(reminder_sent_at=now)
                if claimed != 1:
                    continue  # another beat got there first, or it was just cancelled
                outbox_enqueue("events.tasks.send_reminder", registration_id)
        except Exception:
            logger.exception("Reminder for registration %s not queued", registration_id)
            continue
        queued += 1
    return queued

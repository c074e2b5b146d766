"""Every write to the consultation queue. Views, admin actions and tasks call these."""

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.core.fiscal import fiscal_year_bounds, fiscal_year_of
from center.core.models import AuditEvent, Ward
from center.core.services import audit_event_record, outbox_enqueue
from center.lib.storage import private_storage

from ..models import (
    FINISHED_STATUSES,
    REQUESTER_FIELDS,
    SUBJECT_FIELDS,
    Attachment,
    CaseEvent,
    Channel,
    CitySharing,
    Consultation,
    ConsultationSession,
    ReferenceCounter,
    Status,
)

logger = logging.getLogger(__name__)

# The privacy notice shown above the submit button; stored with every case.
PRIVACY_NOTICE_VERSION = "2026-12-01"
MAX_ATTACHMENTS = 3

# Fields that hold personal data: blanked by anonymisation, left out of plain CSV exports.
PERSONAL_FIELDS = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "organization_name",
    "email",
    "phone",
    "title",
    "body",
)


def _reference_next(*, fiscal_year: int) -> str:
    """The next reference number of a fiscal year: S2026-0001, S2026-0002, ...

    Must run inside the submitting transaction: the row lock serialises concurrent
    submissions, and a rollback returns the number, so the sequence has no gaps.
    """
    ReferenceCounter.objects.get_or_create(fiscal_year=fiscal_year)
    counter = ReferenceCounter.objects.select_for_update().get(fiscal_year=fiscal_year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"S{fiscal_year}-{counter.last_number:04d}"


def _event(consultation: Consultation, kind: str, *, author=None, **fields) -> CaseEvent:
    event = CaseEvent.objects.create(consultation=consultation, kind=kind, author=author, **fields)
    Consultation.objects.filter(pk=consultation.pk).update(last_activity_at=event.created_at)
    return event


@transaction.atomic
def consultation_submit(
    *,
    fields: dict,
    attachments: Iterable[UploadedFile] = (),
    channel: str = Channel.WEB,
    language: str = "ja",
    submitted_by=None,
    entered_by=None,
    quarantine_reason: str = "",
) -> Consultation:
    """Store a new case with its attachments and consent, then (after commit) mail a receipt
    to the requester and an alert to staff.

    `fields` are the model's requester and topic fields, already validated by a form.
    A quarantined case is stored like any other but sends no receipt until released.
    """
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("You can attach up to %(count)s files.") % {"count": MAX_ATTACHMENTS}
        )
    now = timezone.now()
    fiscal_year = fiscal_year_of(now)
    consultation = Consultation(
        **{name: value for name, value in fields.items() if name != "privacy_notice_version"},
        channel=channel,
        language=language,
        submitted_by=submitted_by if getattr(submitted_by, "is_authenticated", False) else None,
        privacy_notice_version=fields.get("privacy_notice_version", PRIVACY_NOTICE_VERSION),
        quarantined=bool(quarantine_reason),
        quarantine_reason=quarantine_reason[:200],
        fiscal_year=fiscal_year,
        created_at=now,
        last_activity_at=now,
        reference="pending",
    )
    consultation.full_clean(exclude=["reference"])
    consultation.reference = _reference_next(fiscal_year=fiscal_year)
    consultation.save()
    for upload in attachments:
        Attachment.objects.create(
            consultation=consultation,
            file=upload,
            original_name=getattr(upload, "original_name", None) or upload.name[:255],
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            size=upload.size,
        )
    _event(
        consultation,
        CaseEvent.Kind.SUBMITTED,
        author=entered_by,
        is_public=True,
        to_status=Status.RECEIVED,
        detail={"channel": channel, "quarantined": consultation.quarantined},
    )
    if not consultation.quarantined:
        _notify_new_case(consultation)
    return consultation


def _notify_new_case(consultation: Consultation) -> None:
    if consultation.email:
        outbox_enqueue("consultations.tasks.send_receipt", consultation.pk)
    outbox_enqueue("consultations.tasks.send_staff_alert", consultation.pk)


@transaction.atomic
def consultation_release(*, consultation: Consultation, actor) -> Consultation:
    """A person judged a quarantined submission genuine: it joins the queue and is mailed."""
    if not consultation.quarantined:
        return consultation
    consultation.quarantined = False
    consultation.save(update_fields=["quarantined", "updated_at"])
    _event(consultation, CaseEvent.Kind.RELEASED, author=actor)
    _notify_new_case(consultation)
    return consultation


@transaction.atomic
def consultation_change_status(
    *, consultation: Consultation, status: str, actor, note: str = ""
) -> Consultation:
    """Move a case along the workflow; refuses transitions the workflow does not allow."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if status == consultation.status:
        return consultation
    if not consultation.can_move_to(status):
        raise ValidationError(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": consultation.get_status_display(), "to": Status(status).label}
        )
    previous = consultation.status
    consultation.status = status
    now = timezone.now()
    if status in (Status.CLOSED, Status.WITHDRAWN):
        consultation.closed_at = now
    elif previous in (Status.CLOSED, Status.WITHDRAWN):
        consultation.closed_at = None
    if consultation.first_response_at is None and status != Status.RECEIVED:
        consultation.first_response_at = now
    consultation.save(update_fields=["status", "closed_at", "first_response_at", "updated_at"])
    _event(
        consultation,
        CaseEvent.Kind.STATUS,
        author=actor,
        text=note,
        from_status=previous,
        to_status=status,
        is_public=True,
    )
    return consultation


@transaction.atomic
def consultation_assign(*, consultation: Consultation, assignee, actor) -> Consultation:
    """Give a case to a staff member or coordinator (None to unassign)."""
    if assignee is not None and not (assignee.is_superuser or assignee.is_staff):
        raise ValidationError(_("Cases can only be assigned to center staff or coordinators."))
    consultation.assignee = assignee
    consultation.save(update_fields=["assignee", "updated_at"])
    _event(
        consultation,
        CaseEvent.Kind.ASSIGNED,
        author=actor,
        detail={"assignee": assignee.pk if assignee else None},
        text=str(assignee) if assignee else "",
    )
    return consultation


def _require_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write something first."))
    return text


@transaction.atomic
def consultation_add_note(*, consultation: Consultation, actor, text: str) -> CaseEvent:
    """An internal note: never shown to the requester."""
    return _event(consultation, CaseEvent.Kind.NOTE, author=actor, text=_require_text(text))


@transaction.atomic
def consultation_add_city_comment(*, consultation: Consultation, actor, text: str) -> CaseEvent:
    """The city's comment on a case shared with it; internal like a note."""
    if not consultation.shared_with_city:
        raise ValidationError(_("This case is not shared with the city."))
    return _event(consultation, CaseEvent.Kind.CITY_COMMENT, author=actor, text=_require_text(text))


@transaction.atomic
def consultation_reply(*, consultation: Consultation, actor, text: str) -> CaseEvent:
    """A reply to the requester: shown on the tracking page and mailed when there is an address."""
    event = _event(
        consultation,
        CaseEvent.Kind.PUBLIC_REPLY,
        author=actor,
        text=_require_text(text),
        is_public=True,
    )
    if consultation.first_response_at is None:
        consultation.first_response_at = event.created_at
        consultation.save(update_fields=["first_response_at", "updated_at"])
    if consultation.email:
        outbox_enqueue("consultations.tasks.send_reply", event.pk)
    return event


@transaction.atomic
def consultation_share_with_city(*, consultation: Consultation, actor, basis: str) -> CitySharing:
    """Share a case with 協働推進課, recording who, when and why."""
    basis = (basis or "").strip()
    if not basis:
        raise ValidationError(_("Say on what basis the case is shared with the city."))
    sharing, _created = CitySharing.objects.update_or_create(
        consultation=consultation,
        defaults={"shared_by": actor, "shared_at": timezone.now(), "basis": basis[:300]},
    )
    consultation.shared_with_city = True
    consultation.save(update_fields=["shared_with_city", "updated_at"])
    _event(consultation, CaseEvent.Kind.SHARED_CITY, author=actor, text=basis)
    return sharing


@transaction.atomic
def consultation_refer_to_ward(
    *, consultation: Consultation, actor, ward: Ward, shares_contact: bool, note: str = ""
) -> Consultation:
    """Refer a case to a ward center; its staff then see it (contact details only if allowed)."""
    consultation.referred_ward = ward
    consultation.referral_shares_contact = shares_contact
    consultation.save(update_fields=["referred_ward", "referral_shares_contact", "updated_at"])
    _event(
        consultation,
        CaseEvent.Kind.REFERRED,
        author=actor,
        text=note,
        detail={"ward": ward.code, "shares_contact": shares_contact},
    )
    if consultation.can_move_to(Status.REFERRED):
        consultation_change_status(consultation=consultation, status=Status.REFERRED, actor=actor)
    return consultation


def consultation_record_view(*, consultation: Consultation, actor, request=None) -> None:
    """Every staff opening of a case is logged (who, when, from where)."""
    # The label is the reference only: the audit log outlives the case's personal data.
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        target=consultation,
        request=request,
        label=consultation.reference,
    )


# Plain fields staff may edit on the case page. Status, assignee, sharing, referral and
# quarantine are left out: each has its own service, which leaves a line on the timeline.
EDITABLE_FIELDS = frozenset(
    {"channel", "priority", "follow_up_due", *REQUESTER_FIELDS, *SUBJECT_FIELDS}
)


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, actor, changes: dict, request=None
) -> Consultation:
    """Save staff edits of plain fields (see EDITABLE_FIELDS) and audit which fields changed
    (names only: the values may be personal data)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable through consultation_update: {sorted(unknown)}")
    if not changes:
        return consultation
    for name, value in changes.items():
        setattr(consultation, name, value)
    consultation.full_clean(
        exclude=[f.name for f in Consultation._meta.fields if f.name not in changes]
    )
    # update_fields: a concurrent status change or share is not overwritten with stale values.
    consultation.save(update_fields=[*changes, "updated_at"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        target=consultation,
        label=consultation.reference,
        detail={"fields": sorted(changes)},
        request=request,
    )
    return consultation


@transaction.atomic
def consultation_refer_to_session(
    *, consultation: Consultation, actor, session: ConsultationSession, note: str = ""
) -> Consultation:
    """Point a case to a 相談会 day (an internal referral line, and status 紹介済み when the
    workflow allows). Booking a slot is a separate step."""
    _event(
        consultation,
        CaseEvent.Kind.REFERRED,
        author=actor,
        text=note,
        detail={
            "session": session.pk,
            "session_title": session.title,
            "session_date": session.date.isoformat(),
        },
    )
    if consultation.can_move_to(Status.REFERRED):
        consultation_change_status(consultation=consultation, status=Status.REFERRED, actor=actor)
    return consultation


def consultations_record_export(
    *, actor, count: int, personal_data: bool, query: str = "", request=None
) -> None:
    """One audit line per CSV export: who, how many cases, with or without personal data.

    The target is the consultation model itself (an export is of a list, not of one case).
    """
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        target=ContentType.objects.get_for_model(Consultation),
        detail={"count": count, "personal_data": personal_data, "query": query[:500]},
        request=request,
    )


# Retention ------------------------------------------------------------------------------


def retention_cutoff(today: date | None = None) -> date:
    """Cases finished before this date have passed the retention period.

    A case closed in fiscal year N is kept through fiscal year N + period, then anonymised.
    """
    today = today or timezone.localdate()
    first_kept_year = fiscal_year_of(today) - settings.CONSULTATION_RETENTION_FISCAL_YEARS
    return fiscal_year_bounds(first_kept_year)[0]


def consultations_due_for_anonymisation(today: date | None = None):
    """Finished cases whose last day (closing, or last activity when no closing date was
    recorded) is before the cutoff, and quarantined submissions received before it."""
    cutoff = retention_cutoff(today)
    finished_on = Coalesce("closed_at", "last_activity_at")
    return (
        Consultation.objects.filter(anonymised_at__isnull=True)
        .annotate(finished_on=finished_on)
        .filter(
            Q(status__in=FINISHED_STATUSES, finished_on__date__lt=cutoff)
            | Q(quarantined=True, created_at__date__lt=cutoff)
        )
    )


@transaction.atomic
def consultation_anonymise(
    *, consultation: Consultation, today: date | None = None
) -> Consultation:
    """Blank the personal data, delete the files, keep the statistics (topic, ward, month,
    requester type, channel, status). Idempotent; a case no longer due (reopened since it
    was listed) is left alone."""
    pk = consultation.pk
    due = consultations_due_for_anonymisation(today).select_for_update(of=("self",))
    consultation = due.filter(pk=pk).first()
    if consultation is None:
        return Consultation.objects.get(pk=pk)
    for field in PERSONAL_FIELDS:
        setattr(consultation, field, "")
    with translation.override(settings.LANGUAGE_CODE):
        consultation.title = str(_("(anonymised)"))
    consultation.submitted_by = None
    consultation.anonymised_at = timezone.now()
    consultation.save()
    files = [attachment.file.name for attachment in consultation.attachments.all()]
    consultation.attachments.all().delete()
    storage = private_storage()
    # Files go only once the rows are gone for good: a rollback must not lose them.
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    consultation.events.update(text="")
    CitySharing.objects.filter(consultation=consultation).update(basis="")
    consultation.bookings.update(name="", email="")
    AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Consultation),
        target_id=str(consultation.pk),
    ).update(target_repr=consultation.reference)
    _event(consultation, CaseEvent.Kind.ANONYMISED)
    return consultation


def consultations_anonymise_expired(*, today: date | None = None) -> int:
    """The nightly job: anonymise every case past retention, one transaction each.

    A case that fails is logged and skipped; the others still go through.
    """
    count = 0
    for pk in list(consultations_due_for_anonymisation(today).values_list("pk", flat=True)):
        try:
            consultation_anonymise(consultation=Consultation(pk=pk), today=today)
        except Exception:
            logger.exception("Could not anonymise consultation %s", pk)
            continue
        count += 1
    return count

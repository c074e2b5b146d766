"""Writes of the 協働人材バンク talent bank: consent, publication and contact requests.

A profile is public only while the person's consent is recorded and not withdrawn
(`TalentProfile.objects.published()`); these services keep `is_published` in step with that
rule, so the flag never says "public" for a profile the queryset would hide. Every change a
visitor can see drops the public page cache once the transaction commits.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from center.core.cache import public_cache_invalidate
from center.core.models import AuditEvent
from center.core.services import audit_event_record, outbox_enqueue
from center.lib.i18n import mail_language

from ..models import TalentContactRequest, TalentProfile

__all__ = [
    "talent_contact_request_create",
    "talent_contact_request_mark_handled",
    "talent_profile_changed",
    "talent_publish",
    "talent_record_consent",
    "talent_unpublish",
    "talent_withdraw_consent",
]

logger = logging.getLogger(__name__)

SEND_EMAIL_TASK = "center.core.tasks.send_email"
STAFF_TEMPLATE = "talent-contact"
RECEIPT_TEMPLATE = "talent-contact-receipt"

NO_CONSENT = _(
    "This profile cannot be published: the person's consent to publication has not been "
    "recorded, or it was withdrawn. Record their consent first."
)


def _locked(profile: TalentProfile) -> TalentProfile:
    # Lock the row: a withdrawal and a publication racing each other must not end with a
    # published profile whose consent is withdrawn.
    return TalentProfile.objects.select_for_update().get(pk=profile.pk)


def _copy_state(source: TalentProfile, target: TalentProfile) -> None:
    """Let the caller's instance see what was saved (admin pages keep using it)."""
    for name in (
        "is_published",
        "consent_given_at",
        "consent_recorded_by_id",
        "consent_withdrawn_at",
        "updated_at",
    ):
        setattr(target, name, getattr(source, name))


def _invalidate_public_pages() -> None:
    # robust: the change is committed whatever happens to the cache; a failure is logged.
    transaction.on_commit(public_cache_invalidate, robust=True)


def _audit(*, actor, profile: TalentProfile, what: str) -> None:
    audit_event_record(
        actor=actor, action=AuditEvent.Action.CHANGE, target=profile, detail={"talent": what}
    )


def has_consent(profile: TalentProfile) -> bool:
    return profile.consent_given_at is not None and profile.consent_withdrawn_at is None


@transaction.atomic
def talent_record_consent(*, profile: TalentProfile, actor) -> TalentProfile:
    """Record that the person agreed to publication (now, by `actor`).

    Clears an earlier withdrawal. Does not publish: that is `talent_publish`, a separate step.
    """
    locked = _locked(profile)
    locked.consent_given_at = timezone.now()
    locked.consent_recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.consent_withdrawn_at = None
    locked.save(
        update_fields=[
            "consent_given_at",
            "consent_recorded_by",
            "consent_withdrawn_at",
            "updated_at",
        ]
    )
    _audit(actor=actor, profile=locked, what="consent recorded")
    # A profile flagged published by hand becomes public with consent: drop cached pages.
    _invalidate_public_pages()
    _copy_state(locked, profile)
    return locked


@transaction.atomic
def talent_withdraw_consent(*, profile: TalentProfile, actor) -> TalentProfile:
    """Record that the person withdrew consent, and unpublish in the same write.

    The public list and detail stop showing the profile as soon as this commits (the page
    cache is dropped then). Withdrawing again keeps the first withdrawal's time.
    """
    locked = _locked(profile)
    if locked.consent_withdrawn_at is None:
        locked.consent_withdrawn_at = timezone.now()
    locked.is_published = False
    locked.save(update_fields=["consent_withdrawn_at", "is_published", "updated_at"])
    _audit(actor=actor, profile=locked, what="consent withdrawn, unpublished")
    _invalidate_public_pages()
    _copy_state(locked, profile)
    return locked


@transaction.atomic
def talent_publish(*, profile: TalentProfile, actor) -> TalentProfile:
    """Show the profile on the public site. ValidationError without recorded consent."""
    locked = _locked(profile)
    if not has_consent(locked):
        raise ValidationError(NO_CONSENT, code="no_consent")
    if not locked.is_published:
        locked.is_published = True
        locked.save(update_fields=["is_published", "updated_at"])
        _audit(actor=actor, profile=locked, what="published")
        _invalidate_public_pages()
    _copy_state(locked, profile)
    return locked


@transaction.atomic
def talent_unpublish(*, profile: TalentProfile, actor) -> TalentProfile:
    """Take the profile off the public site; consent stays as recorded."""
    locked = _locked(profile)
    if locked.is_published:
        locked.is_published = False
        locked.save(update_fields=["is_published", "updated_at"])
        _audit(actor=actor, profile=locked, what="unpublished")
        _invalidate_public_pages()
    _copy_state(locked, profile)
    return locked


def talent_profile_changed() -> None:
    """Call after any other edit of a profile or a field of expertise (the admin does)."""
    _invalidate_public_pages()


@transaction.atomic
def talent_contact_request_create(
    *,
    profile: TalentProfile,
    name: str,
    email: str,
    organization: str,
    message: str,
    language: str,
    is_suspect: bool = False,
) -> TalentContactRequest:
    """Store a visitor's message to a coordinator and, after commit, mail it to the staff
    (settings.STAFF_ALERT_EMAILS) and a receipt to the visitor in `language`.

    The coordinator's own address is never used: staff pass the message on. A suspect
    submission (spam checks in `forms_talent`) is stored but sends no mail, so a bot learns
    nothing and the form cannot be used to mail strangers. ValidationError if a field is
    invalid or the profile is not public.
    """
    if not TalentProfile.objects.published().filter(pk=profile.pk).exists():
        raise ValidationError(_("This coordinator's profile is no longer public."))
    contact = TalentContactRequest(
        profile=profile, name=name, email=email, organization=organization, message=message
    )
    contact.full_clean()
    contact.save()
    if is_suspect:
        # No flag on the model yet: the log keeps the trace (no personal data in it).
        logger.info("Talent contact request %s looks like spam: no mail sent", contact.pk)
        return contact

    with translation.override(settings.LANGUAGE_CODE):
        admin_path = reverse("admin:publications_talentcontactrequest_change", args=[contact.pk])
    # Task arguments are JSON values: the mail is rendered from these, not from the rows.
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template=STAFF_TEMPLATE,
        to=list(settings.STAFF_ALERT_EMAILS),
        context={
            "coordinator_name": profile.name,
            "name": contact.name,
            "email": contact.email,
            "organization": contact.organization,
            "message": contact.message,
            "language": mail_language(language),
            "admin_url": settings.SITE_URL + admin_path,
        },
        language=settings.LANGUAGE_CODE,
    )
    # The receipt carries no text the visitor typed (not even the name): whoever enters a
    # stranger's address cannot make us mail that stranger their words.
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template=RECEIPT_TEMPLATE,
        to=[contact.email],
        context={"coordinator_name": profile.name},
        language=mail_language(language),
    )
    return contact


@transaction.atomic
def talent_contact_request_mark_handled(
    *, contact_request: TalentContactRequest, actor
) -> TalentContactRequest:
    """Mark a request as passed on. Marking it again keeps the first time."""
    updated = TalentContactRequest.objects.filter(
        pk=contact_request.pk, handled_at__isnull=True
    ).update(handled_at=timezone.now())
    contact_request.refresh_from_db(fields=["handled_at"])
    if updated:
        audit_event_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            target=contact_request,
            detail={"talent_contact": "handled"},
            label=f"{TalentContactRequest._meta.verbose_name} #{contact_request.pk}",
        )
    return contact_request

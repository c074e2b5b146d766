"""Applications to take part in an event other than as a registrant: groups asking for a
booth at the 未来創発シンポジウム or the 市民活動フェス, and university students applying to
the 大学生インターンシップ. The public forms store an application and mail a receipt and a
staff alert; staff accept or reject a booth, and review an intern up to the host project
they are matched with, each decision mailed to the applicant in their language.

Mails are queued with `outbox_enqueue` (the generic `center.core.tasks.send_email`), so they
commit or roll back with the row; their context is JSON values rendered when the task runs.
The staff alert names no one: it carries the event, the kind of application and a link to
the admin, where reading the application needs a staff login.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.core.models import AuditEvent
from center.core.services import audit_event_record, outbox_enqueue
from center.lib.i18n import mail_language

from .models import ApplicationStatus, Event, ExhibitorApplication, InternshipApplication
from .services import PRIVACY_NOTICE_VERSION

__all__ = [
    "EXHIBITOR_PROGRAMS",
    "INTERNSHIP_PROGRAMS",
    "application_refusal",
    "event_get_for_exhibitors",
    "event_get_for_internship",
    "exhibitor_application_create",
    "exhibitor_application_decide",
    "internship_application_create",
    "internship_application_review",
]

SEND_EMAIL_TASK = "center.core.tasks.send_email"
# The programs whose events take booth exhibitors, and the one that takes interns.
EXHIBITOR_PROGRAMS = frozenset({"symposium", "festival"})
INTERNSHIP_PROGRAMS = frozenset({"internship"})


# Reads ------------------------------------------------------------------------------------


def _event_of_programs(pk, programs: frozenset[str]) -> Event:
    try:
        return (
            Event.objects.published()
            .select_related("program")
            .get(pk=pk, program__slug__in=programs)
        )
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def event_get_for_exhibitors(*, pk) -> Event:
    """A published event of the symposium or the festival, or 404 (no booth form elsewhere)."""
    return _event_of_programs(pk, EXHIBITOR_PROGRAMS)


def event_get_for_internship(*, pk) -> Event:
    """A published event of the internship program, or 404."""
    return _event_of_programs(pk, INTERNSHIP_PROGRAMS)


def application_refusal(*, event: Event, now: datetime.datetime | None = None) -> str:
    """Why the event takes no application now, as a message; "" when it does."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("This event has been cancelled.")
    if event.status != Event.Status.PUBLISHED:
        return _("This event is not open for applications.")
    if event.ends_at <= now:
        return _("This event is over, so it takes no more applications.")
    return ""


# Helpers ----------------------------------------------------------------------------------


def _event_context(event: Event, language: str) -> dict:
    """The event as JSON values for a mail, with its page in the recipient's language."""
    from center.core.templatetags.center import jdate

    with translation.override(language):
        path = reverse("events:detail", args=[event.pk])
        when = jdate(event.starts_at, True)
    return {"event_title": event.title, "event_date": when, "event_url": settings.SITE_URL + path}


def _staff_alert(*, template: str, event: Event, admin_url_name: str, pk: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        admin_path = reverse(admin_url_name, args=[pk])
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template=template,
        to=list(settings.STAFF_ALERT_EMAILS),
        context={
            **_event_context(event, settings.LANGUAGE_CODE),
            "admin_url": settings.SITE_URL + admin_path,
        },
        language=settings.LANGUAGE_CODE,
    )


def _refuse_unless_open(event: Event, now: datetime.datetime | None) -> None:
    refusal = application_refusal(event=event, now=now)
    if refusal:
        raise ValidationError(refusal, code="closed")


# Exhibitors -------------------------------------------------------------------------------


@transaction.atomic
def exhibitor_application_create(
    *,
    event: Event,
    group_name: str,
    contact_name: str,
    email: str,
    activity: str,
    phone: str = "",
    booth_needs: str = "",
    materials: str = "",
    language: str = "ja",
    privacy_notice_version: str = PRIVACY_NOTICE_VERSION,
    now: datetime.datetime | None = None,
) -> ExhibitorApplication:
    """Store a group's booth application for a symposium or festival event, or raise
    ValidationError (nothing stored). After commit: a receipt to the applicant and an
    alert without personal data to the staff."""
    if event.program.slug not in EXHIBITOR_PROGRAMS:
        raise ValidationError(_("This event takes no booth exhibitors."), code="wrong_program")
    _refuse_unless_open(event, now)
    language = mail_language(language)
    application = ExhibitorApplication(
        event=event,
        group_name=group_name,
        contact_name=contact_name,
        email=(email or "").strip(),
        phone=phone,
        activity=activity,
        booth_needs=booth_needs,
        materials=materials,
        language=language,
        privacy_notice_version=privacy_notice_version,
        created_at=now or timezone.now(),
    )
    application.full_clean(exclude=["event"])
    application.save()
    # The receipt repeats nothing the visitor typed: whoever enters a stranger's address
    # cannot make us mail that stranger their words.
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template="event-exhibitor-receipt",
        to=[application.email],
        context=_event_context(event, language),
        language=language,
    )
    _staff_alert(
        template="event-exhibitor-staff-alert",
        event=event,
        admin_url_name="admin:events_exhibitorapplication_change",
        pk=application.pk,
    )
    return application


@transaction.atomic
def exhibitor_application_decide(
    *,
    application: ExhibitorApplication,
    status: str,
    actor,
    note: str | None = None,
    now: datetime.datetime | None = None,
) -> ExhibitorApplication:
    """Accept or reject a booth application: records who decided and when, and mails the
    applicant the decision with `note` (or the note already on the application) in their
    language. Deciding what is already decided is refused, so no second mail goes out."""
    if status not in (ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED):
        raise ValidationError(_("Choose to accept or to reject the application."))
    application = (
        ExhibitorApplication.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=application.pk)
    )
    if application.status == status:
        raise ValidationError(
            _("The application is already “%(status)s”.")
            % {"status": ApplicationStatus(status).label}
        )
    application.status = status
    if note is not None:
        application.decision_note = note.strip()
    application.decided_at = now or timezone.now()
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    application.full_clean(exclude=["event"])
    application.save(update_fields=["status", "decision_note", "decided_at", "decided_by"])
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        target=application,
        detail={"exhibitor_application": status},
        label=f"{ExhibitorApplication._meta.verbose_name} #{application.pk}",
    )
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template="event-exhibitor-decision",
        to=[application.email],
        context={
            **_event_context(application.event, application.language),
            "accepted": status == ApplicationStatus.ACCEPTED,
            "group_name": application.group_name,
            "contact_name": application.contact_name,
            "note": application.decision_note,
        },
        language=application.language,
    )
    return application


# Internships ------------------------------------------------------------------------------


@transaction.atomic
def internship_application_create(
    *,
    event: Event,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    email: str,
    university: str,
    year: int,
    interests: str,
    availability: str,
    phone: str = "",
    faculty: str = "",
    language: str = "ja",
    privacy_notice_version: str = PRIVACY_NOTICE_VERSION,
    now: datetime.datetime | None = None,
) -> InternshipApplication:
    """Store a student's application to an internship event, or raise ValidationError
    (nothing stored). After commit: a receipt to the student and a staff alert."""
    if event.program.slug not in INTERNSHIP_PROGRAMS:
        raise ValidationError(_("This event takes no internship applications."))
    _refuse_unless_open(event, now)
    language = mail_language(language)
    application = InternshipApplication(
        event=event,
        family_name=family_name,
        given_name=given_name,
        family_name_kana=family_name_kana,
        given_name_kana=given_name_kana,
        email=(email or "").strip(),
        phone=phone,
        university=university,
        faculty=faculty,
        year=year,
        interests=interests,
        availability=availability,
        language=language,
        privacy_notice_version=privacy_notice_version,
        created_at=now or timezone.now(),
    )
    application.full_clean(exclude=["event"])
    application.save()
    outbox_enqueue(
        SEND_EMAIL_TASK,
        template="event-internship-receipt",
        to=[application.email],
        context=_event_context(event, language),
        language=language,
    )
    _staff_alert(
        template="event-internship-staff-alert",
        event=event,
        admin_url_name="admin:events_internshipapplication_change",
        pk=application.pk,
    )
    return application


@transaction.atomic
def internship_application_review(
    *,
    application: InternshipApplication,
    status: str,
    actor,
    matched_project: str | None = None,
    review_note: str | None = None,
) -> InternshipApplication:
    """Move a student's application through the review: reviewing, matched (a host project
    is required) or declined. Records the reviewer. The student gets a mail when the status
    becomes matched or declined (not for notes or for "being reviewed"); setting the same
    status again only updates the project and notes, and mails nobody."""
    Status = InternshipApplication.Status
    if status not in Status.values:
        raise ValidationError(_("Unknown status."))
    application = (
        InternshipApplication.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=application.pk)
    )
    if matched_project is not None:
        application.matched_project = matched_project.strip()
    if review_note is not None:
        application.review_note = review_note.strip()
    if status == Status.MATCHED and not application.matched_project:
        raise ValidationError(
            {"matched_project": _("Enter the host project the student is matched with.")},
            code="project_required",
        )
    changed = application.status != status
    application.status = status
    application.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    application.full_clean(exclude=["event"])
    application.save(update_fields=["status", "matched_project", "review_note", "reviewed_by"])
    if changed:
        audit_event_record(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            target=application,
            detail={"internship_application": status},
            label=f"{InternshipApplication._meta.verbose_name} #{application.pk}",
        )
    if changed and status in (Status.MATCHED, Status.DECLINED):
        outbox_enqueue(
            SEND_EMAIL_TASK,
            template="event-internship-decision",
            to=[application.email],
            context={
                **_event_context(application.event, application.language),
                "matched": status == Status.MATCHED,
                "name": str(application),
                "matched_project": application.matched_project,
            },
            language=application.language,
        )
    return application

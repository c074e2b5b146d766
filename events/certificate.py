"""The completion certificate (修了証) of a course: an event with more than one session,
whose registrant attended every one of them.

A one-page PDF rendered in the request (WeasyPrint, `templates/pdf/events/certificate.html`)
for the registrant, from the private link of their page, and for staff from the
registration admin, where several certificates come out as one PDF, a page each.
"""

from django.contrib import messages
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from center.core.models import AuditEvent
from center.core.services import audit_event_record
from center.lib.pdf import pdf_response, render_pdf

from .models import Registration

TEMPLATE = "pdf/events/certificate.html"


def registration_is_complete(registration: Registration) -> bool:
    """A confirmed registration of a course (two sessions or more) with an attendance for
    every session. A one-day event has no certificate."""
    if registration.status != Registration.Status.CONFIRMED:
        return False
    session_ids = set(registration.event.sessions.values_list("pk", flat=True))
    if len(session_ids) < 2:
        return False
    attended = set(registration.attendances.values_list("session_id", flat=True))
    return session_ids <= attended


def certificate_context(registration: Registration) -> dict:
    """What one certificate shows: the person, the course, its sessions, the issue date."""
    event = registration.event
    return {
        "name": str(registration),
        "name_kana": f"{registration.family_name_kana} {registration.given_name_kana}".strip(),
        "event": event,
        "program": event.program,
        "sessions": list(event.sessions.all()),
        "registration": registration,
    }


def certificates_pdf(registrations: list[Registration], *, language: str) -> bytes:
    """One PDF, one page per certificate, in `language`."""
    return render_pdf(
        TEMPLATE,
        {
            "certificates": [certificate_context(r) for r in registrations],
            "issued_on": timezone.localdate(),
        },
        language=language,
    )


def certificate_filename(registration: Registration) -> str:
    return f"修了証_{registration.event.title}_{registration}.pdf"


@never_cache
@require_safe
def certificate_download(request, token: str):
    """The registrant's certificate, by their private link; 404 until the course is complete."""
    from .services import registration_get_by_token

    registration = registration_get_by_token(token=token)
    if not registration_is_complete(registration):
        raise Http404
    pdf = certificates_pdf([registration], language=translation.get_language() or "ja")
    return pdf_response(pdf, certificate_filename(registration))


def download_certificates(modeladmin, request, queryset):
    """Admin action (RegistrationAdmin): the certificates of the selected registrations that
    completed their course, as one PDF; those that did not are named in a message."""
    registrations = list(
        queryset.select_related("event__program").order_by("event__starts_at", "created_at", "pk")
    )
    complete = [r for r in registrations if registration_is_complete(r)]
    if not complete:
        modeladmin.message_user(
            request,
            _("None of the selected registrations completed every session of a course."),
            messages.WARNING,
        )
        return None
    for registration in complete:
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.DOWNLOAD,
            target=registration,
            label=f"{Registration._meta.verbose_name} #{registration.pk}: certificate",
            request=request,
        )
    pdf = certificates_pdf(complete, language=translation.get_language() or "ja")
    filename = (
        certificate_filename(complete[0])
        if len(complete) == 1
        else f"修了証_{timezone.localdate():%Y%m%d}.pdf"
    )
    return pdf_response(pdf, filename)


download_certificates.short_description = gettext_lazy("Download completion certificates (PDF)")
download_certificates.allowed_permissions = ("view",)

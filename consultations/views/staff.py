"""Back-office pages of the consultation queue: attachments, the weekly agenda, retention."""

import csv
import datetime
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from center.accounts.roles import CENTER_STAFF, CITY_STAFF
from center.core.models import AuditEvent
from center.core.services import audit_event_record
from center.lib.files import private_file_response
from center.lib.pdf import pdf_response, render_pdf

from ..selectors import attachment_get_for_user
from ..services import (
    consultations_anonymise_expired,
    consultations_due_for_anonymisation,
    followup,
    retention_cutoff,
)
from ..services.followup import week_monday


@login_required
@require_safe
def attachment_download(request, pk: int):
    """One attachment, for whoever may open its case (ward staff only when the referral shares
    contact details); 404 for anyone else, with no hint that it exists. Streamed from private
    storage as a download, never cached, and written to the audit log."""

    attachment = attachment_get_for_user(user=request.user, pk=pk)
    # Opened before the audit row is written: a file missing from storage is a 404, not a download.
    response = private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        target=attachment.consultation,
        # The reference, not str(case): titles and file names may hold personal data.
        label=attachment.consultation.reference,
        detail={"attachment": attachment.pk},
        request=request,
    )
    return response


AGENDA_ROLES = (CENTER_STAFF, CITY_STAFF)  # city staff co-run the 定例会議
# Far enough ahead to prepare the next meetings; a typo like 2206 gets a message instead.
AGENDA_MAX_DAYS_AHEAD = 366
AGENDA_EARLIEST = datetime.date(2000, 1, 1)
RETENTION_LIST_LIMIT = 200


def _require_role(user, *roles: str) -> None:
    if not (user.is_superuser or user.has_role(*roles)):
        raise PermissionDenied


def _agenda_week(raw: str | None, *, today: datetime.date) -> tuple[datetime.date, str]:
    """The Monday of the asked week (any day snaps to its Monday), or this week's Monday
    and a message when the value is not a usable date."""
    if not raw:
        return week_monday(today), ""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw, flags=re.ASCII):
            raise ValueError(raw)
        day = datetime.datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        return week_monday(today), _("That is not a date (use YYYY-MM-DD). Showing this week.")
    if not AGENDA_EARLIEST <= day <= today + datetime.timedelta(days=AGENDA_MAX_DAYS_AHEAD):
        return week_monday(today), _("No agenda for that week. Showing this week.")
    return week_monday(day), ""


@login_required
@require_safe
def weekly_agenda(request):
    """The 定例会議 papers: an HTML preview with PDF and CSV downloads (?format=pdf|csv)."""
    user = request.user
    _require_role(user, *AGENDA_ROLES)
    output = request.GET.get("format", "html")
    week, problem = _agenda_week(request.GET.get("week"), today=timezone.localdate())
    if problem:
        messages.warning(request, problem)
        if output in ("pdf", "csv"):
            # Never hand over a file for a week nobody asked for.
            return redirect("consultations:agenda")
    # City staff see every case on the agenda, but the title only of cases shared with them.
    agenda = followup.weekly_agenda(
        week_start=week, titles_of_unshared=user.is_superuser or user.has_role(CENTER_STAFF)
    )
    context = {
        "agenda": agenda,
        "sections": _agenda_sections(agenda),
        "generated_at": timezone.now(),
    }
    if output not in ("pdf", "csv"):
        _record_agenda_read(request, week, AuditEvent.Action.VIEW, "html")
        context.update(
            previous_week=week - datetime.timedelta(days=7),
            next_week=week + datetime.timedelta(days=7),
        )
        return render(request, "consultations/staff/agenda.html", context)
    _record_agenda_read(request, week, AuditEvent.Action.EXPORT, output)
    if output == "pdf":
        pdf = render_pdf("pdf/consultations/agenda.html", context, language=get_language())
        return pdf_response(pdf, f"agenda-{week.isoformat()}.pdf")
    return _csv_response(followup.weekly_agenda_csv_rows(agenda), f"agenda-{week.isoformat()}.csv")


def _agenda_sections(agenda: dict) -> list[tuple[str, object, list]]:
    return [(key, label, agenda[key]) for key, label in followup.AGENDA_SECTIONS]


def _record_agenda_read(request, week: datetime.date, action: str, output: str) -> None:
    # The target must be a model instance and the agenda is none: the reader stands in.
    audit_event_record(
        actor=request.user,
        action=action,
        target=request.user,
        detail={"report": "weekly_agenda", "week": week.isoformat(), "format": output},
        request=request,
    )


def _csv_response(rows: list[list[str]], filename: str) -> HttpResponse:
    """Excel-friendly CSV: UTF-8 with a BOM (or Excel reads Shift_JIS) and CRLF line ends."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True)
    response.write("\ufeff")
    csv.writer(response, lineterminator="\r\n").writerows(rows)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def retention_preview(request):
    """APPI retention: which finished cases the nightly task will anonymise, and a button
    to run it now. Center staff only: the city does not decide on the center's records."""
    _require_role(request.user, CENTER_STAFF)
    if request.method == "POST":
        count = consultations_anonymise_expired()
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.CHANGE,
            target=request.user,
            detail={"operation": "consultation_retention_run", "anonymised": count},
            request=request,
        )
        messages.success(
            request,
            ngettext("%(count)s case was anonymised.", "%(count)s cases were anonymised.", count)
            % {"count": count},
        )
        return redirect("consultations:retention")
    due = consultations_due_for_anonymisation().order_by("closed_at", "pk")
    context = {
        "period": settings.CONSULTATION_RETENTION_FISCAL_YEARS,
        "cutoff": retention_cutoff(),
        "count": due.count(),
        "cases": due.only("reference", "closed_at", "topic")[:RETENTION_LIST_LIMIT],
        "limit": RETENTION_LIST_LIMIT,
    }
    return render(request, "consultations/staff/retention.html", context)

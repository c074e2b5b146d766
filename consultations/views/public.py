"""The public side of the consultation window: the form, the receipt, tracking, my cases."""

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from ..forms import ConsultationForm
from ..models import CaseEvent, Channel, Consultation, Status
from ..selectors import consultation_get_by_token, consultations_of_requester, public_timeline
from ..services import MAX_ATTACHMENTS, PRIVACY_NOTICE_VERSION, consultation_submit
from ..spam import spam_assess
from ..uploads import MAX_ATTACHMENT_BYTES

RECEIPT_SALT = "consultations.receipt"
RECEIPT_MAX_AGE_SECONDS = 60 * 60
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Anything bigger than every file at its limit plus generous room for the text is not a
# form a person filled in: refused before a byte of it is read or spooled to disk.
MAX_REQUEST_BYTES = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 2 * 1024 * 1024

TOO_BIG = _(
    "What you sent was too large for us to read, so nothing was received. Attach at most "
    "%(count)s files of up to %(size)s MB each, then send the form again."
)

UNREADABLE = _(
    "What you sent could not be read, so nothing was received. Please fill in the form "
    "again and send it."
)

STATUS_EXPLANATIONS = {
    Status.RECEIVED: _(
        "We have received your consultation. A staff member will read it and contact you."
    ),
    Status.IN_PROGRESS: _("A staff member is working on your consultation."),
    Status.WAITING: _(
        "We are waiting for information from you. Please see our latest message below or in "
        "your mail."
    ),
    Status.REFERRED: _(
        "We have passed your consultation on to a ward center or another organisation that "
        "can help better. They or we will contact you."
    ),
    Status.CLOSED: _(
        "Your consultation is closed. If you have a new question, you are welcome to send a "
        "new consultation."
    ),
    Status.WITHDRAWN: _("This consultation was withdrawn."),
}


def receipt_token(consultation_pk: int) -> str:
    return signing.dumps(consultation_pk, salt=RECEIPT_SALT)


def _body_problem(request) -> tuple[str, int]:
    """A message and status when the body cannot be read as our form, else ("", 200)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    too_big = str(TOO_BIG) % {
        "count": MAX_ATTACHMENTS,
        "size": MAX_ATTACHMENT_BYTES // (1024 * 1024),
    }
    if declared > MAX_REQUEST_BYTES:
        return too_big, 413
    try:
        request.POST  # noqa: B018  (parse now, where the errors can be caught)
        request.FILES  # noqa: B018
    except RequestDataTooBig:
        return too_big, 413
    except (TooManyFieldsSent, TooManyFilesSent, MultiPartParserError):
        return str(UNREADABLE), 400
    return "", 200


# csrf_exempt only to parse the body first: Django's CSRF middleware reads request.POST
# before the view, and an oversized body would then end in an error page instead of the
# form. The CSRF check itself runs unchanged in `_consultation_form` (csrf_protect).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consultation_form(request):
    if request.method == "POST":
        problem, status = _body_problem(request)
        if problem:
            return _render_form(request, ConsultationForm(), problem=problem, status=status)
    return _consultation_form(request)


@csrf_protect
def _consultation_form(request):
    if request.method != "POST":
        return _render_form(request, ConsultationForm())
    form = ConsultationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            consultation = consultation_submit(
                fields=form.consultation_fields(),
                attachments=form.cleaned_data["attachments"],
                channel=Channel.WEB,
                language=request.LANGUAGE_CODE,
                submitted_by=request.user,
                quarantine_reason=spam_assess(request, form.cleaned_data),
            )
        except ValidationError as exc:
            # The service re-validates the model; a message it finds is the form's too.
            form.add_error(None, exc.messages)
        else:
            # Post/redirect/get: the service has committed, and a reload cannot resend.
            return redirect("consultations:receipt", signed=receipt_token(consultation.pk))
    return _render_form(request, form)


def _render_form(request, form, *, problem: str = "", status: int = 200):
    return render(
        request,
        "consultations/consultation_form.html",
        {
            "form": form,
            "problem": problem,
            "privacy_notice_version": PRIVACY_NOTICE_VERSION,
            "retention_years": settings.CONSULTATION_RETENTION_FISCAL_YEARS,
        },
        status=status,
    )


def _private(response):
    """Pages reached by a secret link: kept out of search engines and Referer headers."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_GET
def receipt(request, signed: str):
    try:
        pk = signing.loads(signed, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE_SECONDS)
    except signing.BadSignature:
        raise Http404 from None
    # The signature is the permission: only the browser that just submitted holds it.
    consultation = Consultation.objects.filter(pk=pk, anonymised_at__isnull=True).first()
    if consultation is None:
        raise Http404
    return _private(render(request, "consultations/receipt.html", {"consultation": consultation}))


@never_cache
@require_GET
def track(request, token: str):
    # Tokens are URL-safe base64 (secrets.token_urlsafe); anything else cannot match, and a
    # NUL byte would make PostgreSQL raise instead of finding nothing.
    if not _TOKEN_SHAPE.fullmatch(token):
        raise Http404
    consultation = consultation_get_by_token(token=token)
    entries = [_timeline_entry(event) for event in public_timeline(consultation=consultation)]
    context = {
        "consultation": consultation,
        "status_explanation": STATUS_EXPLANATIONS.get(consultation.status, ""),
        "entries": entries,
    }
    return _private(render(request, "consultations/track.html", context))


def _timeline_entry(event: CaseEvent) -> dict:
    """What the requester sees of one public event: never who wrote it, never a note."""
    # Only replies carry text: the note on a status change is written for colleagues
    # (the event is public for its new status, not for what staff wrote beside it).
    if event.kind == CaseEvent.Kind.PUBLIC_REPLY:
        return {"when": event.created_at, "label": _("Reply from the center"), "text": event.text}
    if event.kind == CaseEvent.Kind.SUBMITTED:
        return {"when": event.created_at, "label": _("Consultation received"), "text": ""}
    if event.kind == CaseEvent.Kind.STATUS and event.to_status:
        label = _("Status: %(status)s") % {"status": Status(event.to_status).label}
        return {"when": event.created_at, "label": label, "text": ""}
    return {"when": event.created_at, "label": event.get_kind_display(), "text": ""}


@never_cache
@login_required
@require_GET
def my_cases(request):
    cases = consultations_of_requester(user=request.user).order_by("-created_at")
    return render(request, "consultations/my_cases.html", {"cases": cases})

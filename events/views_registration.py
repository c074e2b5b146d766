"""Registration pages: the public form, the page right after it, and the registrant's
private page (status, online link, .ics, cancel or leave the waiting list) reached by the
unguessable link in their mails.

None of these pages is cached: each shows a form or one person's data.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from . import services
from .forms import RegistrationForm
from .models import Registration

REGISTRATION_SIGNING_SALT = "events.registration"
DONE_MAX_AGE = 60 * 60


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, pk: int):
    event = services.event_get_for_registration(pk=pk)
    refusal = services.registration_refusal(event=event)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            # A bot that filled the honeypot sees a generic page and nothing is stored.
            return render(request, "events/registration_received.html", {"event": event})
        try:
            registration = services.registration_create(
                event=event, **form.registration_fields(), language=get_language()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            signed = signing.dumps(registration.pk, salt=REGISTRATION_SIGNING_SALT)
            return redirect("events:register_done", signed=signed)
    context = {
        "event": event,
        "form": form,
        "refusal": refusal,
        "seats_left": _seats_left(event),
    }
    return render(
        request,
        "events/registration_form.html",
        context,
        status=400 if form.is_bound else 200,
    )


def _add_service_errors(form: RegistrationForm, error: ValidationError) -> None:
    # Errors about one field land next to it; the rest (full, closed) above the form.
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in field_errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _seats_left(event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - services.event_seats_taken(event), 0)


@never_cache
@require_safe
def register_done(request, signed: str):
    """Shown right after registering: the signed id expires after an hour."""
    try:
        pk = signing.loads(signed, salt=REGISTRATION_SIGNING_SALT, max_age=DONE_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        raise Http404 from None
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    return render(
        request,
        "events/registration_done.html",
        {"registration": registration, "event": registration.event},
    )


def _registrant_context(registration: Registration) -> dict:
    event = registration.event
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {
        "registration": registration,
        "event": event,
        "sessions": list(event.sessions.all()),
        "answers": list(registration.answers.select_related("question")),
        # The meeting link is for those holding a seat only.
        "online_url": event.online_url if confirmed else "",
        "has_started": event.starts_at <= timezone.now(),
    }


@never_cache
@require_safe
def registrant(request, token: str):
    registration = services.registration_get_by_token(token=token)
    return render(request, "events/registrant_detail.html", _registrant_context(registration))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registrant_cancel(request, token: str):
    """GET shows a confirm button, POST cancels: mail scanners open links, and must not
    cancel anyone."""
    registration = services.registration_get_by_token(token=token)
    error = ""
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your registration is cancelled."))
            return redirect("events:registrant", token=token)
    context = {**_registrant_context(registration), "action": "cancel", "error": error}
    return render(request, "events/registrant_confirm.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registrant_leave(request, token: str):
    """GET shows a confirm button, POST takes the person off the waiting list."""
    registration = services.registration_get_by_token(token=token)
    error = ""
    if request.method == "POST":
        try:
            services.registration_leave_waitlist(registration=registration)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("You have left the waiting list."))
            return redirect("events:registrant", token=token)
    context = {**_registrant_context(registration), "action": "leave", "error": error}
    return render(request, "events/registrant_confirm.html", context)


@never_cache
@require_safe
def registrant_ics(request, token: str):
    """The event's calendar file, for a live registration only."""
    from .ics import event_ics

    registration = services.registration_get_by_token(token=token)
    if not registration.is_live:
        raise Http404
    response = HttpResponse(event_ics(registration.event), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="event-{registration.event.pk}.ics"'
    return response

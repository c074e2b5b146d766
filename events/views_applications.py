"""The public application forms (a booth at the symposium or the festival, the student
internship) and the thank-you page after each. Not cached: forms and per-visitor results.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from . import services_applications as services
from .forms_applications import ExhibitorApplicationForm, InternshipApplicationForm

KINDS = {
    "exhibit": (services.event_get_for_exhibitors, ExhibitorApplicationForm),
    "internship": (services.event_get_for_internship, InternshipApplicationForm),
}
CREATE = {
    "exhibit": services.exhibitor_application_create,
    "internship": services.internship_application_create,
}


def _apply(request, pk: int, kind: str):
    get_event, form_class = KINDS[kind]
    event = get_event(pk=pk)
    refusal = services.application_refusal(event=event)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            # A bot that filled the honeypot sees the usual page and nothing is stored.
            return redirect(f"events:{kind}_thanks", pk=event.pk)
        try:
            CREATE[kind](event=event, **form.service_kwargs(), language=get_language())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return redirect(f"events:{kind}_thanks", pk=event.pk)
    context = {"event": event, "form": form, "refusal": refusal, "kind": kind}
    return render(
        request,
        f"events/application_{kind}_form.html",
        context,
        status=400 if form.is_bound else 200,
    )


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in field_errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def exhibit(request, pk: int):
    return _apply(request, pk, "exhibit")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def internship_apply(request, pk: int):
    return _apply(request, pk, "internship")


@never_cache
@require_safe
def application_thanks(request, pk: int, kind: str):
    """The same page whoever asks: it names the event and nothing about the applicant."""
    event = KINDS[kind][0](pk=pk)
    return render(request, "events/application_thanks.html", {"event": event, "kind": kind})

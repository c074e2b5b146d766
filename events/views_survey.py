"""The attendee's survey page (reached by the private link in the survey mail) and the
staff page of one event's results.

The survey page is never cached: it shows a form for one person. One response per
registration; once given, the page thanks and says it cannot be changed.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from . import services_survey
from .forms_survey import SurveyForm
from .models import Event, SurveyResponse
from .selectors_survey import survey_results

RESULTS_PERMISSION = "events.view_surveyresponse"


def _response_of(registration):
    return SurveyResponse.objects.filter(registration=registration).first()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token: str):
    registration = services_survey.survey_registration_get_by_token(token=token)
    event = registration.event
    context = {"registration": registration, "event": event}
    response = _response_of(registration)
    if response is not None:
        return render(request, "events/survey_thanks.html", {**context, "response": response})
    if not services_survey.registration_attended(registration):
        return render(request, "events/survey_unavailable.html", context, status=403)
    form = SurveyForm(request.POST or None, questions=services_survey.survey_questions(event))
    if request.method == "POST" and form.is_valid():
        try:
            services_survey.survey_response_submit(
                registration=registration,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                answers=form.answers(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "already_answered" or (
                hasattr(error, "error_list")
                and any(e.code == "already_answered" for e in error.error_list)
            ):
                return redirect("events:survey", token=token)
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("events:survey", token=token)
    return render(
        request,
        "events/survey_form.html",
        {**context, "form": form},
        status=400 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_safe
def survey_results_view(request, pk: int):
    """Staff only (`events.view_surveyresponse`); anyone else gets a 404."""
    if not request.user.has_perm(RESULTS_PERMISSION):
        raise Http404
    event = get_object_or_404(Event.objects.select_related("program"), pk=pk)
    return render(
        request,
        "events/survey_results.html",
        {"event": event, "results": survey_results(event=event)},
    )

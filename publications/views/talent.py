"""The public 協働人材バンク talent bank: list, profile, and contact through the center.

The list and profiles are cached for anonymous visitors; the contact form is not (it
carries a CSRF token). No page here ever reads a coordinator's email address.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from center.core.cache import public_cache

from ..forms_talent import TalentContactForm, TalentFilterForm
from ..selectors.talent import talent_filter_choices, talent_get_public, talent_list_public
from ..services.talent import talent_contact_request_create


@require_GET
@public_cache
def talent_list(request):
    expertise_choices, ward_choices = talent_filter_choices()
    form = TalentFilterForm(
        request.GET, expertise_choices=expertise_choices, ward_choices=ward_choices
    )
    # An unknown or malformed filter (forged id, control characters, a very long value)
    # shows the form's error and no results, never a 500; as a 400 it is not cached either,
    # so junk query strings cannot fill the page cache.
    valid = form.is_valid()
    return render(
        request,
        "publications/talent_list.html",
        {
            "form": form,
            "profiles": talent_list_public(**form.selected()) if valid else [],
            "filtered": valid and any(form.selected().values()),
        },
        status=200 if valid else 400,
    )


@require_GET
@public_cache
def talent_detail(request, pk: int):
    profile = talent_get_public(pk=pk)
    return render(request, "publications/talent_detail.html", {"profile": profile})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def talent_contact(request, pk: int):
    profile = talent_get_public(pk=pk)
    if request.method != "POST":
        form = TalentContactForm()
    else:
        form = TalentContactForm(request.POST)
        if form.is_valid():
            try:
                talent_contact_request_create(
                    profile=profile,
                    **form.service_fields(),
                    language=request.LANGUAGE_CODE,
                    # A suspect message is kept but mails no one; the page is the same.
                    is_suspect=bool(form.spam_reason()),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                # Post/redirect/get: a reload cannot send the message twice.
                return redirect("publications:talent_contact_sent", pk=profile.pk)
    return render(request, "publications/talent_contact.html", {"profile": profile, "form": form})


@never_cache
@require_GET
def talent_contact_sent(request, pk: int):
    profile = talent_get_public(pk=pk)
    return render(request, "publications/talent_contact_sent.html", {"profile": profile})

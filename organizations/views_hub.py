"""The 市民協働HUB board: browse needs and offers, post one, ask for an introduction.

Browsing is public and cached for anonymous visitors. Posting and asking need a signed-in
member of a registered (approved, current) group or a partner account; others get a 403.
No page here is handed a contact field (see selectors_hub).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from center.core.cache import public_cache

from .forms_hub import HubFilterForm, IntroductionForm, NeedForm, OfferForm
from .selectors_hub import (
    current_groups_for_user,
    hub_actor_for_user,
    hub_board,
    hub_filter_choices,
    hub_my_introductions,
    hub_my_posts,
    hub_partner_list_public,
    hub_post_get_for_owner,
    hub_post_get_public,
    partners_for_user,
)
from .services_hub import (
    hub_intro_request_create,
    hub_post_close,
    hub_post_create_need,
    hub_post_create_offer,
)


def _short_query(request) -> bool:
    # Only the filter form's own parameters are worth a cache entry.
    return set(request.GET) <= {"kind", "field", "ward"}


@require_GET
@public_cache(when=_short_query)
def hub_index(request):
    field_choices, ward_choices = hub_filter_choices()
    form = HubFilterForm(request.GET, field_choices=field_choices, ward_choices=ward_choices)
    valid = form.is_valid()
    actor = hub_actor_for_user(user=request.user)
    return render(
        request,
        "organizations/hub/board.html",
        {
            "form": form,
            "posts": hub_board(**form.selected()) if valid else [],
            "actor": actor,
            "filtered": valid and any(form.selected().values()),
        },
        status=200 if valid else 400,
    )


@require_GET
@public_cache
def hub_post(request, pk: int):
    post = hub_post_get_public(pk=pk)
    actor = hub_actor_for_user(user=request.user)
    return render(
        request,
        "organizations/hub/post_detail.html",
        {"post": post, "actor": actor, "owns": actor.owns(post)},
    )


@require_GET
@public_cache
def hub_partners(request):
    return render(
        request, "organizations/hub/partner_list.html", {"partners": hub_partner_list_public()}
    )


def _post_form_view(request, *, form_class, owners, owner_arg, create, template):
    if not owners.exists():
        raise PermissionDenied
    form = form_class(request.POST or None, **{f"{owner_arg}s": owners})
    if request.method == "POST" and form.is_valid():
        try:
            post = create(
                user=request.user,
                **{owner_arg: form.cleaned_data[owner_arg]},
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Your post is on the board."))
            return redirect("organizations:hub_post", pk=post.pk)
    return render(request, template, {"form": form})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_need_new(request):
    return _post_form_view(
        request,
        form_class=NeedForm,
        owners=current_groups_for_user(user=request.user),
        owner_arg="group",
        create=hub_post_create_need,
        template="organizations/hub/need_form.html",
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_offer_new(request):
    return _post_form_view(
        request,
        form_class=OfferForm,
        owners=partners_for_user(user=request.user),
        owner_arg="partner",
        create=hub_post_create_offer,
        template="organizations/hub/offer_form.html",
    )


@login_required
@require_POST
def hub_post_close_view(request, pk: int):
    post = hub_post_get_for_owner(pk=pk, user=request.user)
    hub_post_close(post=post, user=request.user)
    messages.success(request, _("The post is closed and has left the board."))
    return redirect("organizations:hub_mine")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hub_introduce(request, pk: int):
    post = hub_post_get_public(pk=pk)
    actor = hub_actor_for_user(user=request.user)
    if not actor.can_request_introduction:
        raise PermissionDenied
    form = IntroductionForm(request.POST or None, groups=actor.groups, partners=actor.partners)
    if request.method == "POST" and form.is_valid():
        try:
            hub_intro_request_create(post=post, user=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Your request has been sent. A coordinator will contact you by email."),
            )
            return redirect("organizations:hub_mine")
    return render(request, "organizations/hub/introduce.html", {"post": post, "form": form})


@never_cache
@login_required
@require_GET
def hub_mine(request):
    actor = hub_actor_for_user(user=request.user)
    return render(
        request,
        "organizations/hub/mine.html",
        {
            "actor": actor,
            "posts": hub_my_posts(user=request.user),
            "introductions": hub_my_introductions(user=request.user),
        },
    )

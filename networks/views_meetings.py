"""Network meeting pages under /network/meetings/, the invitation pages, and file downloads.

Every view but the invitation link is behind `network_user_required`; rows a ward must not
see come from selectors_meetings, which answers 404.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from center.accounts.models import User
from center.accounts.roles import WARD_STAFF
from center.core.models import AuditEvent
from center.core.services import audit_event_record
from center.lib.files import private_file_response

from . import selectors_meetings as selectors
from . import services_meetings as services
from .access import (
    is_center_side,
    is_center_staff,
    network_user_required,
    private_page,
    user_ward_center,
)
from .forms_meetings import InvitationForm, RsvpForm, SetPasswordForm
from .models import ActionItem

MEETINGS_PER_PAGE = 20


@network_user_required
@require_safe
def meeting_list(request):
    upcoming = list(selectors.meetings_upcoming())
    past = Paginator(selectors.meetings_past(), MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    rsvps = selectors.rsvps_by_meeting(user=request.user, meetings=upcoming)
    return private_page(
        render(
            request,
            "networks/meetings/meeting_list.html",
            {
                "upcoming": [(m, rsvps.get(m.pk)) for m in upcoming],
                "past": past,
                "ward_center": user_ward_center(request.user),
            },
        )
    )


@network_user_required
@require_safe
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(pk=pk)
    ward_center = user_ward_center(request.user)
    center_side = is_center_side(request.user)
    context = {
        "meeting": meeting,
        "ward_center": ward_center,
        "center_side": center_side,
        "rsvp": selectors.rsvp_for(meeting=meeting, ward_center=ward_center),
        "rsvp_table": selectors.rsvp_table(meeting=meeting) if center_side else None,
        "action_items": selectors.action_items_visible_to(request.user).filter(meeting=meeting),
    }
    return private_page(render(request, "networks/meetings/meeting_detail.html", context))


@network_user_required
@require_http_methods(["GET", "HEAD", "POST"])
def rsvp(request, pk: int, ward_code: str):
    """The RSVP of ward `ward_code` for a meeting: only that ward's own staff (404 for
    anyone else, including for a ward that does not exist)."""
    ward_center = selectors.ward_center_for_rsvp(user=request.user, ward_code=ward_code)
    meeting = selectors.meeting_get(pk=pk)
    current = selectors.rsvp_for(meeting=meeting, ward_center=ward_center)
    if request.method == "POST":
        form = RsvpForm(request.POST)
        if form.is_valid():
            try:
                services.rsvp_save(
                    meeting=meeting,
                    ward_center=ward_center,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                # A field error goes to its field; "the meeting is over" to the summary.
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your reply has been saved."))
                return redirect("networks:meeting_detail", pk=meeting.pk)
    else:
        initial = {}
        if current is not None:
            initial = {
                "attending": "yes" if current.attending else "no",
                "attendee_names": current.attendee_names,
                "note": current.note,
            }
        form = RsvpForm(initial=initial)
    return private_page(
        render(
            request,
            "networks/meetings/rsvp_form.html",
            {"meeting": meeting, "ward_center": ward_center, "form": form, "current": current},
        )
    )


@network_user_required
@require_safe
def action_item_list(request):
    """Action items tracked across meetings: the ward's own and those for all wards (the
    center side: all of them), open first."""
    items = selectors.action_items_visible_to(request.user)
    show = request.GET.get("show", "open")
    if show != "all":
        items = items.open()
    return private_page(
        render(
            request,
            "networks/meetings/action_item_list.html",
            {
                "items": items.order_by("due_on", "pk"),
                "show": show,
                "ward_center": user_ward_center(request.user),
            },
        )
    )


@network_user_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_item_detail(request, pk: int):
    item = selectors.action_item_get_for_user(user=request.user, pk=pk)
    editable = selectors.action_item_editable_by(user=request.user, item=item)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            services.action_item_set_status(item=item, status=request.POST.get("status", ""))
        except ValidationError:
            messages.error(request, _("Choose one of the statuses."))
        else:
            messages.success(request, _("The status was saved."))
        return redirect("networks:action_item_detail", pk=item.pk)
    return private_page(
        render(
            request,
            "networks/meetings/action_item_detail.html",
            {"item": item, "editable": editable, "statuses": ActionItem.Status.choices},
        )
    )


@network_user_required
@require_safe
def material_download(request, pk: int):
    """A meeting material, for network users only; streamed from private storage."""
    material = selectors.material_get(pk=pk)
    # Opened before the audit row is written: a file missing from storage is a 404, not a download.
    response = private_file_response(
        material.file,
        filename=material.original_name or "material",
        content_type=material.content_type,
    )
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        target=material.meeting,
        label=material.original_name[:100],
        detail={"meeting_material": material.pk},
        request=request,
    )
    return response


# Invitations ---------------------------------------------------------------------------


@network_user_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_create(request):
    """Center staff invite a ward-staff member: an inactive account and a mail with a link."""
    if not is_center_staff(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                user = services.ward_staff_invite(invited_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("The invitation has been sent to %(email)s.") % {"email": user.email},
                )
                return redirect("networks:invitation_create")
    else:
        form = InvitationForm()
    pending = (
        User.objects.filter(is_active=False, groups__name=WARD_STAFF)
        .select_related("ward")
        .order_by("-date_joined")[:50]
    )
    return private_page(
        render(
            request, "networks/meetings/invitation_form.html", {"form": form, "pending": pending}
        )
    )


@network_user_required
@require_http_methods(["POST"])
def invitation_resend(request, pk: int):
    """Send the invitation mail again (a new link) to an account not yet activated."""
    if not is_center_staff(request.user):
        raise PermissionDenied
    invitee = (
        User.objects.filter(pk=pk, is_active=False, groups__name=WARD_STAFF).distinct().first()
    )
    if invitee is None:
        raise Http404
    services.invitation_resend(user=invitee)
    messages.success(
        request, _("The invitation has been sent to %(email)s.") % {"email": invitee.email}
    )
    return redirect("networks:invitation_create")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token: str):
    """The invitee sets a password; the account becomes active and is signed in, and the
    MFA middleware then takes them through setting up their authenticator app."""
    user = services.invitation_user_from_token(token)
    if user is None:
        return render(request, "networks/meetings/invitation_invalid.html", status=404)
    if request.method == "POST":
        form = SetPasswordForm(request.POST, user=user)
        if form.is_valid():
            try:
                user = services.invitation_accept(
                    user=user, password=form.cleaned_data["password1"]
                )
            except ValidationError:
                return render(request, "networks/meetings/invitation_invalid.html", status=404)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your password has been set."))
            return redirect(reverse("networks:index"))
    else:
        form = SetPasswordForm(user=user)
    return render(
        request, "networks/meetings/invitation_accept.html", {"form": form, "invitee": user}
    )

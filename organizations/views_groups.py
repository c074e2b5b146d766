"""Group registration pages: the public directory, the application, and "my group".

The directory and group pages are public and cached for anonymous visitors; every page
under /groups/mine/ is for the group's own members (a 404 for anyone else).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from center.core.cache import public_cache
from center.core.models import AuditEvent
from center.core.services import audit_event_record
from center.lib.files import private_file_response

from .forms_groups import DirectoryFilterForm, GroupForm, InvitationForm
from .models import GroupInvitation, GroupMembership
from .selectors_groups import (
    directory_filter_choices,
    directory_page,
    group_document_get_for_user,
    group_get_for_member,
    group_get_public,
    groups_for_user,
    membership_get_for_admin,
)
from .services_groups import (
    group_apply,
    group_renew,
    group_renewal_open,
    group_update,
    invitation_accept,
    invitation_create,
    invitation_expired,
    invitation_expired_message,
    membership_remove,
    membership_set_role,
)

_DIRECTORY_PARAMETERS = {"q", "field", "ward", "sdg", "kind", "page"}


def _short_query(request) -> bool:
    # Only the filter form's own parameters are worth a cache entry.
    return set(request.GET) <= _DIRECTORY_PARAMETERS


def _add_service_error(form, error: ValidationError) -> None:
    try:
        form.add_error(None, error)
    except (ValueError, KeyError):  # a model field the form does not show
        form.add_error(None, error.messages)


@require_GET
@public_cache(when=_short_query)
def group_index(request):
    form = DirectoryFilterForm(request.GET, choices=directory_filter_choices())
    valid = form.is_valid()
    page = directory_page(**form.selected(), page=request.GET.get("page", 1)) if valid else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizations/groups/directory.html",
        {
            "form": form,
            "page_obj": page,
            "groups": page.object_list if page else [],
            "filtered": valid and any(form.selected().values()),
            "query": query.urlencode(),
        },
        status=200 if valid else 400,
    )


@require_GET
@public_cache
def group_detail(request, pk: int):
    return render(request, "organizations/groups/detail.html", {"group": group_get_public(pk=pk)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def group_apply_view(request):
    if request.method == "POST":
        form = GroupForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                group = group_apply(
                    user=request.user,
                    data=form.group_data(),
                    fields=form.cleaned_data["fields"],
                    sdgs=form.cleaned_data["sdgs"],
                    documents=form.documents(),
                )
            except PermissionDenied as exc:
                messages.error(request, str(exc) or _("You cannot apply with this account."))
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you. We received your application and will review it soon."),
                )
                return redirect("organizations:mine_detail", group.pk)
    else:
        form = GroupForm(initial={"contact_email": request.user.email})
    return render(request, "organizations/groups/apply.html", {"form": form})


@never_cache
@login_required
@require_GET
def mine(request):
    return render(
        request, "organizations/groups/mine.html", {"groups": groups_for_user(user=request.user)}
    )


@never_cache
@login_required
@require_GET
def mine_detail(request, pk: int):
    group, membership = group_get_for_member(user=request.user, pk=pk)
    is_admin = membership.role == GroupMembership.Role.ADMIN
    members = list(group.memberships.select_related("user").order_by("role", "joined_at"))
    return render(
        request,
        "organizations/groups/mine_detail.html",
        {
            "group": group,
            "membership": membership,
            "is_admin": is_admin,
            "is_current": group.is_current(),
            "renewal_open": group_renewal_open(group),
            "documents": group.documents.all(),
            "members": members,
            # The last admin cannot be removed: no button for them.
            "admin_count": sum(m.role == GroupMembership.Role.ADMIN for m in members),
            "invitations": group.invitations.filter(accepted_at=None) if is_admin else [],
            "invite_form": InvitationForm() if is_admin else None,
            "today": timezone.localdate(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mine_edit(request, pk: int):
    group, _membership = group_get_for_member(user=request.user, pk=pk)
    initial = {"fields": group.fields.all(), "sdgs": group.sdgs.all()}
    if request.method == "POST":
        form = GroupForm(
            request.POST, request.FILES, instance=group, initial=initial, documents_required=False
        )
        if form.is_valid():
            try:
                group_update(
                    group=group,
                    user=request.user,
                    data=form.group_data(),
                    fields=form.cleaned_data["fields"],
                    sdgs=form.cleaned_data["sdgs"],
                    documents=form.documents(),
                )
            except ValidationError as exc:
                _add_service_error(form, exc)
            else:
                messages.success(request, _("The group's details were saved."))
                return redirect("organizations:mine_detail", group.pk)
    else:
        form = GroupForm(instance=group, initial=initial, documents_required=False)
    return render(request, "organizations/groups/edit.html", {"form": form, "group": group})


@login_required
@require_POST
def mine_renew(request, pk: int):
    group, _membership = group_get_for_member(user=request.user, pk=pk)
    try:
        group = group_renew(group=group, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you. The registration was renewed."))
    return redirect("organizations:mine_detail", group.pk)


@never_cache
@login_required
@require_GET
def mine_document(request, pk: int, document_pk: int):
    document = group_document_get_for_user(user=request.user, group_pk=pk, pk=document_pk)
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.DOWNLOAD,
        target=document.group,
        detail={"document": document.pk},
        request=request,
    )
    return private_file_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )


@login_required
@require_POST
def mine_invite(request, pk: int):
    group, _membership = group_get_for_member(user=request.user, pk=pk)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation_create(group=group, actor=request.user, email=form.cleaned_data["email"])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
    else:
        messages.error(request, _("Enter a valid email address to invite."))
    return redirect("organizations:mine_detail", group.pk)


@login_required
@require_POST
def mine_member_remove(request, pk: int, membership_pk: int):
    group, _membership = group_get_for_member(user=request.user, pk=pk)
    membership = membership_get_for_admin(user=request.user, group=group, pk=membership_pk)
    try:
        membership_remove(group=group, actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The member was removed from the group."))
    if membership.user_id == request.user.pk:
        return redirect("organizations:mine")
    return redirect("organizations:mine_detail", group.pk)


@login_required
@require_POST
def mine_member_role(request, pk: int, membership_pk: int):
    group, _membership = group_get_for_member(user=request.user, pk=pk)
    membership = membership_get_for_admin(user=request.user, group=group, pk=membership_pk)
    role = request.POST.get("role", "")
    try:
        membership_set_role(group=group, actor=request.user, membership=membership, role=role)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The member's role was changed."))
    return redirect("organizations:mine_detail", group.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    found = (
        GroupInvitation.objects.select_related("group")
        .filter(token=token, accepted_at=None)
        .first()
        if len(token) <= 64
        else None
    )
    if found is None:
        raise Http404
    if invitation_expired(found):
        return render(
            request,
            "organizations/groups/invitation.html",
            {"invitation": found, "expired_message": invitation_expired_message()},
            status=410,
        )
    if request.method == "POST":
        with transaction.atomic():
            try:
                membership = invitation_accept(token=token, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("organizations:mine")
        messages.success(request, _("You joined %(group)s.") % {"group": found.group.name})
        return redirect("organizations:mine_detail", membership.group_id)
    return render(request, "organizations/groups/invitation.html", {"invitation": found})

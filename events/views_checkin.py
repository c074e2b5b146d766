"""Staff check-in pages, made for a phone at the door: today's sessions, one session's list
(search, tick, untick, add a walk-in), and the page a scanned QR code opens.

Everyone without `events.change_registration` gets a 404 (a login page first when signed
out): a scanned code, or a guessed address, does nothing for them. Forms only, no script:
a tick is a small POST that comes back to the list at the same place.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import checkin
from .forms import WalkInForm
from .models import Event, EventSession, Registration

MAX_QUERY_LENGTH = 50


def _list_url(session: EventSession, query: str = "", anchor: str = "") -> str:
    url = reverse("events:checkin", kwargs={"pk": session.pk})
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode({"q": query})
    return url + (f"#{anchor}" if anchor else "")


@never_cache
@login_required
@require_safe
def checkin_index(request):
    """Sessions of published events from today on (today first), to pick one."""
    if not checkin.user_may_check_in(request.user):
        raise Http404
    today = timezone.localdate()
    sessions = (
        EventSession.objects.filter(event__status=Event.Status.PUBLISHED, ends_at__date__gte=today)
        .select_related("event")
        .order_by("starts_at")[:30]
    )
    return render(request, "events/checkin_index.html", {"sessions": sessions, "today": today})


@never_cache
@login_required
@require_safe
def checkin_session(request, pk: int):
    session = checkin.session_get_for_checkin(user=request.user, pk=pk)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    registrations = list(checkin.checkin_list(session=session, query=query))
    everyone = checkin.checkin_list(session=session)
    context = {
        "session": session,
        "event": session.event,
        "registrations": registrations,
        "query": query,
        "expected": sum(r.party_size for r in everyone),
        "arrived": sum(r.party_size for r in everyone if r.attended),
        "walk_in_form": WalkInForm(),
    }
    return render(request, "events/checkin_session.html", context)


@never_cache
@login_required
@require_POST
def checkin_toggle(request, pk: int, registration_pk: int):
    session = checkin.session_get_for_checkin(user=request.user, pk=pk)
    registration = get_object_or_404(Registration, pk=registration_pk, event=session.event)
    query = request.POST.get("q", "")[:MAX_QUERY_LENGTH]
    try:
        if request.POST.get("attended") == "0":
            checkin.attendance_remove(
                registration=registration, session=session, actor=request.user
            )
            messages.info(request, _("%(name)s: check-in undone.") % {"name": registration})
        else:
            checkin.attendance_record(
                registration=registration, session=session, actor=request.user
            )
            messages.success(request, _("%(name)s: checked in.") % {"name": registration})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_list_url(session, query, anchor=f"r{registration.pk}"))


@never_cache
@login_required
@require_POST
def checkin_walk_in(request, pk: int):
    session = checkin.session_get_for_checkin(user=request.user, pk=pk)
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            registration = checkin.walk_in_register(
                session=session, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s: walk-in added and checked in.") % {"name": registration}
            )
            return redirect(_list_url(session, anchor=f"r{registration.pk}"))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect(_list_url(session))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkin_scan(request, code: str):
    """What a scanned QR code opens: the person and a button to check them in (POST), for
    the session of the day. Nothing at all for anyone but check-in staff."""
    if not checkin.user_may_check_in(request.user):
        raise Http404
    registration = checkin.registration_from_checkin_code(code)
    if registration.event.status != Event.Status.PUBLISHED:
        raise Http404
    sessions = list(registration.event.sessions.all())
    session = checkin.session_for_today(registration.event)
    if request.method == "POST":
        chosen = request.POST.get("session")
        session = next((s for s in sessions if str(s.pk) == chosen), None)
        if session is None:
            raise Http404
        try:
            checkin.attendance_record(
                registration=registration, session=session, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s: checked in.") % {"name": registration})
            return redirect(_list_url(session, anchor=f"r{registration.pk}"))
    attended = set(registration.attendances.values_list("session_id", flat=True))
    context = {
        "registration": registration,
        "event": registration.event,
        "sessions": sessions,
        "session": session,
        "attended": attended,
        "answers": list(registration.answers.select_related("question")),
    }
    return render(request, "events/checkin_scan.html", context)

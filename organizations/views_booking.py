"""Spaces pages: the list, each space's week and month availability (public, cached for
anonymous visitors, no personal data), the booking request for members of registered
groups, "my bookings" and the cancel page the mailed link opens."""

import contextlib
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from center.core.cache import public_cache, without_query

from .forms_booking import BookingRequestForm, CalendarForm
from .selectors_booking import (
    availability_days,
    bookings_for_member,
    month_weeks,
    space_get_public,
    spaces_all,
    week_dates,
)
from .services_booking import (
    booking_cancel,
    booking_cancel_refusal,
    booking_cancel_token,
    booking_create,
    booking_get_by_cancel_token,
    booking_groups_for_user,
)

_CALENDAR_PARAMETERS = {"week", "month"}


def _calendar_query(request) -> bool:
    return set(request.GET) <= _CALENDAR_PARAMETERS


@require_GET
@public_cache(when=without_query)
def space_index(request):
    return render(request, "organizations/booking/index.html", {"spaces": spaces_all()})


@require_GET
@public_cache(when=_calendar_query)
def space_detail(request, slug: str):
    space = space_get_public(slug=slug)
    today = timezone.localdate()
    form = CalendarForm(request.GET)
    context = {"space": space, "form": form, "today": today}
    if not form.is_valid():
        return render(request, "organizations/booking/space.html", context, status=400)
    month = form.cleaned_data["month"]
    if month is not None:
        weeks = month_weeks(month.year, month.month)
        dates = [day for week in weeks for day in week if day is not None]
        by_date = {
            row["date"]: row for row in availability_days(space=space, dates=dates, today=today)
        }
        context.update(
            view="month",
            month=month,
            weeks=[[by_date.get(day) for day in week] for week in weeks],
            previous_month=(month - datetime.timedelta(days=1)).replace(day=1),
            next_month=(month + datetime.timedelta(days=32)).replace(day=1),
            week_of_month=month if month > today else today,
        )
    else:
        dates = week_dates(form.cleaned_data["week"] or today)
        context.update(
            view="week",
            days=availability_days(space=space, dates=dates, today=today),
            previous_week=dates[0] - datetime.timedelta(days=7),
            next_week=dates[0] + datetime.timedelta(days=7),
            month_of_week=dates[0].replace(day=1),
            week_start=dates[0],
            week_end=dates[-1],
        )
    return render(request, "organizations/booking/space.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_request(request, slug: str):
    space = space_get_public(slug=slug)
    today = timezone.localdate()
    groups = booking_groups_for_user(user=request.user, date=today + datetime.timedelta(days=1))
    if not groups.exists():
        return render(
            request,
            "organizations/booking/no_group.html",
            {"space": space},
            status=403,
        )
    if request.method == "POST":
        form = BookingRequestForm(request.POST, space=space, groups=groups)
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = booking_create(
                    space=space,
                    group=data["group"],
                    user=request.user,
                    date=data["date"],
                    block=data["block"],
                    purpose=data["purpose"],
                    public_title=data["public_title"],
                    attendees=data["attendees"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                if booking.status == booking.Status.PENDING:
                    messages.success(
                        request,
                        _(
                            "Thank you. Your request is waiting for staff approval; "
                            "we sent you a mail and will write again when it is decided."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("Your booking is confirmed. We sent you a mail with a cancel link."),
                    )
                return redirect("organizations:my_bookings")
    else:
        initial = {"group": groups.first(), "attendees": 1}
        with contextlib.suppress(ValueError):
            initial["date"] = datetime.date.fromisoformat(request.GET.get("date", ""))
        if space.block(request.GET.get("block", "")):
            initial["block"] = request.GET["block"]
        form = BookingRequestForm(space=space, groups=groups, initial=initial)
    return render(
        request,
        "organizations/booking/request.html",
        {"space": space, "form": form, "today": today},
    )


@never_cache
@login_required
@require_GET
def my_bookings(request):
    today = timezone.localdate()
    upcoming, past = bookings_for_member(user=request.user, today=today)
    for booking in upcoming:
        booking.cancel_token = (
            booking_cancel_token(booking)
            if not booking_cancel_refusal(booking, today=today)
            else ""
        )
    return render(
        request,
        "organizations/booking/mine.html",
        {
            "upcoming": upcoming,
            "past": past,
            "spaces": spaces_all(),
            "can_book": booking_groups_for_user(
                user=request.user, date=today + datetime.timedelta(days=1)
            ).exists(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel_view(request, token: str):
    """The mailed cancel link: GET shows the booking and asks, POST cancels. The signed
    token is the key, so the booker needs no sign-in (as with event registrations)."""
    booking = booking_get_by_cancel_token(token)
    refusal = booking_cancel_refusal(booking)
    if request.method == "POST" and not refusal:
        try:
            booking = booking_cancel(booking=booking, by_booker=True)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(
                request, _("The booking was cancelled. We sent you a confirming mail.")
            )
            return redirect("organizations:booking_cancel", token)
    return render(
        request,
        "organizations/booking/cancel.html",
        {"booking": booking, "refusal": refusal, "active": booking.status in booking.ACTIVE},
    )

"""相談会 pages: the public list of sessions and slots, booking, and cancelling by link."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from center.core.cache import public_cache

from ..forms_sessions import SlotBookingForm
from ..models import SlotBooking
from ..services import sessions as services

BOOKING_DONE_MAX_AGE = 60 * 60


@require_GET
@public_cache
def session_list(request):
    """Upcoming sessions; a free slot links to its form, a taken one only says so."""
    return render(
        request,
        "consultations/session_list.html",
        {"sessions": services.sessions_for_public_listing()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def slot_book(request, pk: int):
    slot = services.slot_get_public(pk=pk)
    refusal = services.slot_refusal(slot=slot)
    if request.method == "POST":
        # Bound even when the slot was taken meanwhile: what was typed stays on the page.
        form = SlotBookingForm(request.POST, session=slot.session)
        if form.is_valid():
            try:
                booking = services.slot_book(
                    slot=slot,
                    **form.booking_fields(),
                    language=get_language(),
                    submitted_by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                signed = signing.dumps(booking.pk, salt=services.BOOKING_SIGNING_SALT)
                return redirect("consultations:booking_done", signed=signed)
    else:
        form = SlotBookingForm(session=slot.session)
    context = {"slot": slot, "session": slot.session, "form": form, "refusal": refusal}
    return render(request, "consultations/slot_book.html", context)


@never_cache
@require_GET
def booking_done(request, signed: str):
    """Shown once, right after booking: the signed id expires after an hour."""
    try:
        pk = signing.loads(signed, salt=services.BOOKING_SIGNING_SALT, max_age=BOOKING_DONE_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        raise Http404 from None
    booking = get_object_or_404(SlotBooking.objects.select_related("slot__session"), pk=pk)
    return render(request, "consultations/booking_done.html", {"booking": booking})


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel(request, token: str):
    """GET only shows the booking: mail scanners follow links, and must not cancel."""
    booking = services.booking_get_by_token(token=token)
    error = ""
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("Your booking is cancelled. Thank you for letting us know.")
            )
            return redirect("consultations:booking_cancel", token=token)
    context = {
        "booking": booking,
        "slot": booking.slot,
        "session": booking.slot.session,
        "error": error,
        "has_started": booking.slot.starts_at <= timezone.now(),
    }
    return render(request, "consultations/booking_cancel.html", context)

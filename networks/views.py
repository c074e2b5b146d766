"""The network home page (/network/): what is coming, what was published, what is open."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors_meetings as meetings
from .access import is_center_side, is_center_staff, network_user_required, user_ward_center
from .selectors_support import support_requests_open_for

HOME_ITEMS = 10


@network_user_required
@require_safe
def index(request):
    """The ward centers' shared area: signed-in ward, center and city staff only."""
    user = request.user
    upcoming = list(meetings.meetings_upcoming()[: meetings.UPCOMING_ON_HOME])
    rsvps = meetings.rsvps_by_meeting(user=user, meetings=upcoming)
    response = render(
        request,
        "networks/index.html",
        {
            "ward_center": user_ward_center(user),
            "center_side": is_center_side(user),
            "center_staff": is_center_staff(user),
            "upcoming": [(m, rsvps.get(m.pk)) for m in upcoming],
            "latest_minutes": meetings.latest_minutes(),
            "latest_materials": meetings.latest_materials(),
            "action_items": meetings.action_items_open_for_ward(user)[:HOME_ITEMS],
            "support_requests": support_requests_open_for(user)[:HOME_ITEMS],
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response

"""Reads for network meetings, with the rules of who sees what.

Meetings, their agenda, materials and published minutes are shared with every network user.
What belongs to one ward is narrower: a ward user sees their own ward's RSVP and action
items plus the items that concern all wards, never another ward's — asking for one by id
answers 404, exactly as for an id that does not exist. Center and city staff see all.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .access import is_center_side, user_ward_center
from .models import ActionItem, Meeting, MeetingMaterial, MeetingRsvp, WardCenter

UPCOMING_ON_HOME = 3
LATEST_ON_HOME = 3


def meetings_upcoming() -> QuerySet[Meeting]:
    return Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")


def meetings_past() -> QuerySet[Meeting]:
    return Meeting.objects.filter(starts_at__lte=timezone.now()).order_by("-starts_at")


def meeting_get(*, pk) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).prefetch_related("agenda_items", "materials").first()
    if meeting is None:
        raise Http404
    return meeting


def rsvp_for(*, meeting: Meeting, ward_center: WardCenter | None) -> MeetingRsvp | None:
    if ward_center is None:
        return None
    return MeetingRsvp.objects.filter(meeting=meeting, ward_center=ward_center).first()


def rsvps_by_meeting(*, user, meetings) -> dict[int, MeetingRsvp]:
    """This ward's replies for these meetings, by meeting id (empty for the center side)."""
    center = user_ward_center(user)
    if center is None:
        return {}
    return {
        rsvp.meeting_id: rsvp
        for rsvp in MeetingRsvp.objects.filter(
            ward_center=center, meeting__in=[m.pk for m in meetings]
        )
    }


def rsvp_table(*, meeting: Meeting) -> list[tuple[WardCenter, MeetingRsvp | None]]:
    """Every ward center with its reply (or None): the center side's overview."""
    replies = {r.ward_center_id: r for r in meeting.rsvps.all()}
    return [(c, replies.get(c.pk)) for c in WardCenter.objects.select_related("ward")]


def ward_center_for_rsvp(*, user, ward_code: str) -> WardCenter:
    """The ward center whose reply this user may give: their own; 404 for any other ward
    (and for center-side users, who do not reply for a ward)."""
    center = user_ward_center(user)
    if center is None or center.ward.code != ward_code:
        raise Http404
    return center


def _action_scope(user) -> Q | None:
    if is_center_side(user):
        return None
    center = user_ward_center(user)
    if center is None:
        return Q(pk__in=[])
    return Q(owner=center) | Q(all_wards=True)


def action_items_visible_to(user) -> QuerySet[ActionItem]:
    items = ActionItem.objects.select_related("owner__ward", "meeting")
    scope = _action_scope(user)
    return items if scope is None else items.filter(scope)


def action_items_open_for_ward(user) -> QuerySet[ActionItem]:
    """The home page: the open items of my ward (and those for all wards); for the center
    side, every open item."""
    return action_items_visible_to(user).open().order_by("due_on", "pk")


def action_item_get_for_user(*, user, pk) -> ActionItem:
    item = action_items_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def action_item_editable_by(*, user, item: ActionItem) -> bool:
    """Center staff update any item; a ward's staff the items their own ward owns (not the
    center's, nor another ward's "all wards" item)."""
    from .access import is_center_staff, user_ward_center

    if is_center_staff(user):
        return True
    ward_center = user_ward_center(user)
    return ward_center is not None and item.owner_id == ward_center.pk


def material_get(*, pk) -> MeetingMaterial:
    # Materials are shared with all ward centers: any network user may open any of them.
    material = MeetingMaterial.objects.select_related("meeting").filter(pk=pk).first()
    if material is None:
        raise Http404
    return material


def latest_minutes() -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(minutes_published_at__isnull=False)
        .exclude(minutes="")
        .order_by("-minutes_published_at")[:LATEST_ON_HOME]
    )


def latest_materials() -> QuerySet[MeetingMaterial]:
    return MeetingMaterial.objects.select_related("meeting").order_by("-uploaded_at", "-pk")[
        :LATEST_ON_HOME
    ]

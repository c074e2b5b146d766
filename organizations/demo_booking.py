"""Demo data: the three spaces with bookings this week (confirmed, pending, cancelled)
and a closure day. Uses the demo member's group from demo_groups."""

import datetime
from decimal import Decimal

from django.utils import timezone

from .models import Booking, Closure, GroupMembership, Space

# (days from today, space slug, block, status, public title, purpose)
BOOKINGS = [
    (1, "lab-meeting", "morning", "confirmed", "川の清掃 打ち合わせ", "定例ミーティング"),
    (2, "lab-meeting", "evening", "confirmed", "", "会計の確認"),
    (3, "space-a", "afternoon", "pending", "市民協働フォーラム準備会", "市との共催イベントの準備"),
    (4, "lab-meeting", "afternoon", "cancelled", "", "広報物の作成"),
    (5, "space-b", "morning", "confirmed", "地域の防災ワークショップ", "市との共催ワークショップ"),
]


def load() -> list[dict]:
    from .demo_groups import demo_member_group

    group = demo_member_group()
    if group is None:
        return []
    membership = GroupMembership.objects.filter(group=group).select_related("user").first()
    if membership is None:
        return []
    today = timezone.localdate()
    spaces = {space.slug: space for space in Space.objects.all()}
    for days, slug, block, status, title, purpose in BOOKINGS:
        space = spaces.get(slug)
        if space is None:
            continue
        date = today + datetime.timedelta(days=days)
        if Booking.objects.filter(space=space, date=date, block=block).exists():
            continue
        Booking.objects.create(
            space=space,
            group=group,
            booked_by=membership.user,
            date=date,
            block=block,
            hours=Decimal(str(space.block_hours(block))),
            purpose=purpose,
            public_title=title,
            status=status,
            cancelled_at=timezone.now() if status == "cancelled" else None,
        )
    closed = today + datetime.timedelta(days=6)
    Closure.objects.get_or_create(
        date=closed,
        space=None,
        defaults={"kind": Closure.Kind.MAINTENANCE, "reason": "館内設備点検のため休館"},
    )
    return []

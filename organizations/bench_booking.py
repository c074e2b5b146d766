"""Spaces benchmark for `manage.py bench` (issue #6): a space's month availability view.

1. Queries: the month view of the lab costs as many queries with no booking as with every
   block of every day of the month booked (django.test.Client, the page cache emptied
   before each request), and the week view the same.
2. Throughput: the full month and the week under the command's gunicorn with wrk, each
   paired with a run of /bench/minimal/ just before (as in bench_groups). Target ≥ 60 %.

Bookings are written with bulk_create for a bench group marked with MARK, and removed at
the end with the group and its account.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from .bench_groups import MARK, _count, _throughput

SPACE = "lab-meeting"
BENCH_EMAIL = "bench-booker@example.invalid"


def run(base_url: str, stdout) -> None:
    from center.core.cache import public_cache_invalidate

    from .models import Space

    if not Space.objects.filter(slug=SPACE).exists():
        stdout.write(f"spaces: no space {SPACE!r} (migrations not applied?) — skipped")
        return
    _remove()
    month = _next_month()
    pages = [f"/spaces/{SPACE}/?month={month:%Y-%m}", f"/spaces/{SPACE}/?week={month}"]
    try:
        empty = {path: _count(path) for path in pages}
        written = _fill(month)
        full = {path: _count(path) for path in pages}
        stdout.write(f"spaces: {written} bookings fill every block of {month:%Y-%m}")
        stdout.write("queries per page, no booking → month fully booked:")
        for path in pages:
            verdict = "constant" if empty[path] == full[path] else "GROWS (finding)"
            stdout.write(f"  {path:<40} {empty[path]:>3} → {full[path]:<3} {verdict}")
        public_cache_invalidate()
        _throughput(base_url, stdout, pages, names=["month, full", "week, full"])
    finally:
        _remove()
        public_cache_invalidate()


def _next_month() -> datetime.date:
    first = timezone.localdate().replace(day=1)
    return (first + datetime.timedelta(days=32)).replace(day=1)


def _fill(month: datetime.date) -> int:
    from center.accounts.services import user_create
    from center.core.models import Ward

    from .models import Booking, Group, GroupMembership, Space

    space = Space.objects.get(slug=SPACE)
    user = user_create(email=BENCH_EMAIL, password=None, name="負荷試験", verified=True)
    group = Group.objects.create(
        name=f"{MARK}スペース予約",
        name_kana="ふかしけん",
        kind=Group.Kind.VOLUNTARY,
        representative_name="山田 花子",
        contact_name="田中 由美",
        contact_email=BENCH_EMAIL,
        postal_code="231-0023",
        address="横浜市中区山下町1-1",
        ward=Ward.objects.in_order().first(),
        description="負荷試験",
        member_count=1,
        status=Group.Status.APPROVED,
        valid_until=month + datetime.timedelta(days=400),
    )
    GroupMembership.objects.create(group=group, user=user)
    days = []
    day = month
    while day.month == month.month:
        days.append(day)
        day += datetime.timedelta(days=1)
    rows = [
        Booking(
            space=space,
            group=group,
            booked_by=user,
            date=day,
            block=block["key"],
            hours=Decimal(str(space.block_hours(block["key"]))),
            purpose="負荷試験",
            status=Booking.Status.CONFIRMED,
        )
        for day in days
        for block in space.blocks
    ]
    # Slots already taken by real bookings stay theirs.
    taken = set(
        Booking.objects.filter(space=space, date__in=days, status__in=Booking.ACTIVE).values_list(
            "date", "block"
        )
    )
    rows = [row for row in rows if (row.date, row.block) not in taken]
    Booking.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _remove() -> None:
    from center.accounts.models import User

    from .models import Booking, Group

    groups = Group.objects.filter(name__startswith=f"{MARK}スペース予約")
    Booking.objects.filter(group__in=groups).delete()
    for group in groups:
        group.memberships.all().delete()
        group.delete()
    User.objects.filter(email=BENCH_EMAIL).delete()

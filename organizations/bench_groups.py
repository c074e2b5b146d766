"""Group directory benchmark for `manage.py bench` (issue #6): /groups/ with 2,000 groups.

1. Queries: the directory, page 20 of it, a filtered and a searched list and one group's
   page cost as many queries with 10 bench groups as with 2,000 (django.test.Client, the
   page cache emptied before each request).
2. Throughput: the same pages under the command's gunicorn with wrk (its `check_page` and
   `run_wrk`, at its default load), each paired with a run of /bench/minimal/ just before.
   Target ≥ 60 %.

Groups are written with bulk_create, marked with MARK in their name, and removed at the end.
"""

import datetime
import time
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

GROUPS = 2_000
FEW = 10
MARK = "【負荷試験】"
TARGET = 0.60

PAGES = [
    "/groups/",
    "/groups/?page=20",
    "/groups/?field=1&kind=npo",
    # Percent-encoded, as a browser sends it (urllib and wrk take ASCII only).
    "/groups/?q=" + quote("こども"),
]


def run(base_url: str, stdout) -> None:
    from center.core.cache import public_cache_invalidate

    _remove()
    try:
        first = _write(FEW)
        pages = [*PAGES, f"/groups/{first}/"]
        # Page 20 exists only with many groups: counted with the big set only.
        queries_few = {path: _count(path) for path in pages if "page=20" not in path}
        started = time.perf_counter()
        _write(GROUPS - FEW)
        stdout.write(
            f"set-up: {GROUPS:,} registered, listed groups written in "
            f"{time.perf_counter() - started:.1f} s"
        )
        queries_many = {path: _count(path) for path in pages}
        stdout.write(f"queries per page, {FEW} → {GROUPS:,} bench groups:")
        for path in pages:
            before, after = queries_few.get(path), queries_many[path]
            verdict = (
                "—"
                if before is None
                else "constant"
                if before == after
                else "GROWS WITH THE LIST (finding)"
            )
            stdout.write(
                f"  {path:<40} {before if before is not None else '-':>3} → {after:<3} {verdict}"
            )
        public_cache_invalidate()
        _throughput(base_url, stdout, pages)
    finally:
        _remove()
        public_cache_invalidate()


def _remove() -> None:
    from .models import Group

    Group.objects.filter(name__startswith=MARK).delete()


def _write(count: int) -> int:
    """`count` approved, current, listed groups across wards, kinds, fields and SDGs;
    returns the first one's pk."""
    from center.core.fiscal import fiscal_year_bounds, fiscal_year_of
    from center.core.models import SdgGoal, Ward

    from .models import ActivityField, Group
    from .services_groups import group_search_text

    wards = list(Ward.objects.in_order())
    fields = list(ActivityField.objects.all())
    goals = list(SdgGoal.objects.all())
    kinds = [value for value, _label in Group.Kind.choices]
    valid_until = fiscal_year_bounds(fiscal_year_of(timezone.localdate()))[1]
    start = Group.objects.filter(name__startswith=MARK).count()
    rows = []
    for index in range(start, start + count):
        group = Group(
            name=f"{MARK}こども食堂ネットワーク{index + 1}",
            name_kana=f"ふかしけん こどもしょくどう{index + 1}",
            kind=kinds[index % len(kinds)],
            representative_name="山田 花子",
            contact_name="田中 由美",
            contact_email=f"bench{index}@example.com",
            postal_code="231-0023",
            address="横浜市中区山下町1-1",
            ward=wards[index % len(wards)],
            description="地域の子どもたちに温かい食事と居場所を届ける活動をしています。",
            member_count=10 + index % 50,
            status=Group.Status.APPROVED,
            approved_at=timezone.now() - datetime.timedelta(days=30),
            valid_until=valid_until,
        )
        group.search_text = group_search_text(group)
        rows.append(group)
    groups = Group.objects.bulk_create(rows, batch_size=500)
    Group.fields.through.objects.bulk_create(
        [
            Group.fields.through(group_id=g.pk, activityfield_id=fields[(i + k) % len(fields)].pk)
            for i, g in enumerate(groups)
            for k in (0, 12)
        ],
        batch_size=2000,
    )
    Group.sdgs.through.objects.bulk_create(
        [
            Group.sdgs.through(group_id=g.pk, sdggoal_id=goals[i % len(goals)].pk)
            for i, g in enumerate(groups)
        ],
        batch_size=2000,
    )
    return groups[0].pk


def _count(path: str) -> int:
    from center.core.cache import public_cache_invalidate

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)  # fills per-process memos
    public_cache_invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(captured)


def _throughput(base_url: str, stdout, pages: list[str], names: list[str] | None = None) -> None:
    """Each page under wrk, paired with a run of the minimal view just before it."""
    from center.core.management.commands.bench import (
        BASELINE,
        Command,
        Scenario,
        check_page,
        run_wrk,
    )

    # Let every gunicorn worker see the new page-cache generation first.
    time.sleep(settings.PUBLIC_PAGE_GENERATION_CHECK_SECONDS + 0.5)
    options = Command().create_parser("manage.py", "bench").parse_args([])
    seconds, warmup = options.duration, options.warmup
    load = {"connections": options.connections, "threads": options.threads}
    names = names or ["directory", "page 20", "field + kind", "search", "group page"]
    scenarios = [Scenario(name, path, TARGET) for name, path in zip(names, pages, strict=True)]
    check_page(base_url + BASELINE.path)
    run_wrk(base_url + BASELINE.path, seconds=warmup, **load)
    pairs = []
    for scenario in scenarios:
        url = base_url + scenario.path
        check_page(url)
        stdout.write(f"Measuring minimal, then {scenario.name}, {seconds} s each…")
        baseline = run_wrk(base_url + BASELINE.path, seconds=seconds, **load)
        run_wrk(url, seconds=warmup, **load)
        pairs.append((scenario, baseline, run_wrk(url, seconds=seconds, **load)))
    stdout.write("")
    header = (
        f"{'scenario':<14} {'minimal':>9} {'req/s':>9} {'p99 ms':>8} "
        f"{'vs minimal':>11} {'target':>8}"
    )
    stdout.write(header)
    stdout.write("-" * len(header))
    for scenario, baseline, result in pairs:
        ratio = result.requests_per_second / baseline.requests_per_second
        verdict = "met" if ratio >= scenario.target else "NOT met (finding)"
        stdout.write(
            f"{scenario.name:<14} {baseline.requests_per_second:>9.1f} "
            f"{result.requests_per_second:>9.1f} {result.p99_ms:>8.1f} {ratio:>11.0%} "
            f"{'≥ 60%':>8}  {verdict}"
        )

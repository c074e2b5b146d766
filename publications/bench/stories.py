"""協働事例 benchmark for `manage.py bench`: the story list and search with 1,000 stories.

Runs against the command's gunicorn and database (production settings, PostgreSQL, Redis):

1. Queries: the list, a page far down it, a filtered list and the search cost as many
   queries with 10 published stories as with 1,000 (counted through django.test.Client
   with the page cache emptied before each request).
2. Throughput: the same pages loaded with wrk as the command loads its scenarios (its own
   `check_page` and `run_wrk`, at its default load), each against a run of
   `/bench/minimal/` made just before it. Target ≥ 60 % (issue #4). Visitors get cached
   pages, as in production; the same pages at an address the cache refuses are measured
   too, without a target, to show what a cache miss costs (every new search is one).

The stories are real published ones (ward, SDGs, themes, partners of two sectors, a photo,
a revision), written with bulk_create and removed again at the end, so the command's own
scenarios measure the demo data on every run. Their photo rows share one file name and no
file is written: list pages only print its URL and wrk never fetches images.
"""

import datetime
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

STORIES = 1_000
FEW = 10
MARK = "【負荷試験】"
TARGET = 0.60
PHOTO_NAME = "stories/bench/shared.jpg"
# center.core.cache never stores a page whose query string is over 200 characters, and the
# story list stores only the query strings its own links make.
UNCACHED_SEARCH = "&uncached=" + "x" * 200
UNCACHED_LIST = "&uncached=1"
SEARCH = "/search/?q=%E5%8D%94%E5%83%8D"  # 協働: found in every bench story

SUMMARIES = [
    "自治会と大学が協働で地域の防災マップを作りました。",
    "NPOと企業が協働し、子ども食堂の運営を続けています。",
    "市民と区役所が協働して公園の花壇を手入れしています。",
]
BODY = """## きっかけ

{ward}で活動する団体が、市民協働推進センターの相談窓口を訪れたことから始まりました。

## 取り組み

- 月に一度の打ち合わせ
- [センターの講座](https://example.jp/)への参加
- 参加者 **{number}** 名

協働の輪が広がっています。
"""


def run(*, base_url: str, stdout) -> None:
    from center.core.cache import public_cache_invalidate

    _remove_bench_stories()
    try:
        pages = ["/stories/", "/stories/?page=20", "/stories/?ward=naka&sdg=11", SEARCH]
        _top_up_to(FEW)
        few = _published_count()
        queries_few = {path: _count_queries(path) for path in pages}
        started = time.perf_counter()
        _top_up_to(STORIES)
        stdout.write(
            f"set-up: {_published_count() - few:,} published stories written in "
            f"{time.perf_counter() - started:.1f} s"
        )
        many = _published_count()
        queries_many = {path: _count_queries(path) for path in pages}
        _report_queries(stdout, pages, few, queries_few, many, queries_many)
        _report_server_times(stdout, many)

        public_cache_invalidate()
        # Each gunicorn worker re-reads the cache generation at most this often.
        time.sleep(settings.PUBLIC_PAGE_GENERATION_CHECK_SECONDS + 0.5)
        _bench_throughput(base_url, stdout, many)
    finally:
        _remove_bench_stories()
        public_cache_invalidate()


# Data ---------------------------------------------------------------------------------------


def _published_count() -> int:
    from publications.models import CaseStory

    return CaseStory.objects.published().count()


def _remove_bench_stories() -> None:
    from publications.models import CaseStory

    # Partners, photos and revisions go with them (CASCADE), as do their SDG and theme rows.
    CaseStory.objects.filter(title__startswith=MARK).delete()


def _top_up_to(total: int) -> None:
    """Write published stories until `total` are published (the demo's count included)."""
    from center.core.cache import public_cache_invalidate
    from center.core.models import SdgGoal, Ward
    from publications.models import (
        CaseStory,
        Sector,
        StoryPartner,
        StoryPhoto,
        StoryRevision,
        Theme,
    )

    missing = total - _published_count()
    if missing <= 0:
        return
    wards = list(Ward.objects.in_order())
    goals = list(SdgGoal.objects.order_by("number"))
    themes = list(Theme.objects.all())
    sectors = [value for value, _label in Sector.choices]
    start = CaseStory.objects.filter(title__startswith=MARK).count()
    now = timezone.now()
    stories = []
    for index in range(start, start + missing):
        ward = wards[index % len(wards)]
        stories.append(
            CaseStory(
                title=f"{MARK}{ward.name}の協働事例 {index + 1:04d}",
                summary=SUMMARIES[index % len(SUMMARIES)],
                body=BODY.format(ward=ward.name, number=index % 90 + 10),
                ward=ward,
                year=2015 + index % 11,
                status=CaseStory.Status.PUBLISHED,
                # Older than the demo's stories: the list's first page stays theirs.
                published_at=now - datetime.timedelta(days=400, minutes=index),
            )
        )
    stories = CaseStory.objects.bulk_create(stories, batch_size=500)

    sdg_rows, theme_rows, partners, photos, revisions = [], [], [], [], []
    for index, story in enumerate(stories):
        for goal in {goals[index % 17], goals[10], goals[16]}:
            sdg_rows.append(CaseStory.sdgs.through(casestory_id=story.pk, sdggoal_id=goal.pk))
        for theme in themes[index % max(len(themes), 1) :][:2]:
            theme_rows.append(CaseStory.themes.through(casestory_id=story.pk, theme_id=theme.pk))
        for offset in (0, 3):
            partners.append(
                StoryPartner(
                    story=story,
                    name=f"協働パートナー{index % 50 + offset}",
                    sector=sectors[(index + offset) % len(sectors)],
                )
            )
        photos.append(
            StoryPhoto(story=story, image=PHOTO_NAME, caption="活動の様子", alt_text="活動の様子")
        )
        revisions.append(
            StoryRevision(story=story, title=story.title, summary=story.summary, body=story.body)
        )
    CaseStory.sdgs.through.objects.bulk_create(sdg_rows, batch_size=2000)
    CaseStory.themes.through.objects.bulk_create(theme_rows, batch_size=2000)
    StoryPartner.objects.bulk_create(partners, batch_size=2000)
    StoryPhoto.objects.bulk_create(photos, batch_size=2000)
    StoryRevision.objects.bulk_create(revisions, batch_size=2000)
    public_cache_invalidate()


# Queries and server time, in this process ---------------------------------------------------


def _client() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def _count_queries(path: str) -> int:
    from center.core.cache import public_cache_invalidate

    client = _client()
    client.get(path)  # fills per-process memos (ward codes, the site pages' texts)
    public_cache_invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(captured)


def _report_queries(stdout, pages, few, queries_few, many, queries_many) -> None:
    stdout.write(f"queries per page, {few:,} → {many:,} published stories:")
    for path in pages:
        before, after = queries_few[path], queries_many[path]
        verdict = "constant" if before == after else "GROWS WITH THE LIST (finding)"
        stdout.write(f"  {path:<32} {before:>3} → {after:<3} {verdict}")


def _report_server_times(stdout, stories: int) -> None:
    """Time to render each page on a cache miss, in this process (no HTTP, no gunicorn)."""
    from center.core.cache import public_cache_invalidate

    client = _client()
    stdout.write(f"server time on a cache miss with {stories:,} stories (median of 5):")
    for path in ("/stories/", "/stories/?page=20", SEARCH):
        timings = []
        for _round in range(6):
            public_cache_invalidate()
            started = time.perf_counter()
            client.get(path)
            timings.append(time.perf_counter() - started)
        # The first round also renders each story's Markdown once (then remembered).
        stdout.write(f"  {path:<32} {statistics.median(timings[1:]) * 1000:>6.0f} ms")


# Throughput, through gunicorn ---------------------------------------------------------------


def _load_settings() -> dict[str, int]:
    """The command's own defaults, so these pages are loaded as its scenarios are."""
    from center.core.management.commands.bench import Command

    options = Command().create_parser("manage.py", "bench").parse_args([])
    return {
        "seconds": options.duration,
        "warmup": options.warmup,
        "connections": options.connections,
        "threads": options.threads,
    }


def _bench_throughput(base_url: str, stdout, stories: int) -> None:
    from center.core.management.commands.bench import BASELINE, Scenario, check_page, run_wrk

    scenarios = [
        Scenario("story list", "/stories/", TARGET),
        Scenario("list page 20", "/stories/?page=20", TARGET),
        Scenario("filtered list", "/stories/?ward=naka&sdg=11", TARGET),
        Scenario("search", SEARCH, TARGET),
        Scenario("list, uncached", "/stories/?page=20" + UNCACHED_LIST),
        Scenario("search, uncached", SEARCH + UNCACHED_SEARCH),
    ]
    load = _load_settings()
    seconds, warmup = load.pop("seconds"), load.pop("warmup")
    check_page(base_url + BASELINE.path)
    run_wrk(base_url + BASELINE.path, seconds=warmup, **load)
    # Each page right after its own run of the yardstick: on a shared machine the load of
    # other processes drifts over minutes, and a pair measured together drifts together.
    pairs = []
    for scenario in scenarios:
        url = base_url + scenario.path
        check_page(url)
        stdout.write(f"Measuring minimal, then {scenario.name}, {seconds} s each…")
        baseline = run_wrk(base_url + BASELINE.path, seconds=seconds, **load)
        run_wrk(url, seconds=warmup, **load)
        pairs.append((scenario, baseline, run_wrk(url, seconds=seconds, **load)))

    stdout.write("")
    stdout.write(
        f"{stories:,} published stories; wrk -t{load['threads']} -c{load['connections']} "
        f"-d{seconds}s against the command's gunicorn; each page paired with a minimal run"
    )
    header = (
        f"{'scenario':<17} {'minimal':>9} {'req/s':>9} {'p99 ms':>8} {'vs minimal':>11} "
        f"{'target':>8} {'errors':>7}"
    )
    stdout.write(header)
    stdout.write("-" * len(header))
    verdicts = []
    for scenario, baseline, result in pairs:
        ratio = result.requests_per_second / baseline.requests_per_second
        target = f"≥ {scenario.target:.0%}" if scenario.target is not None else "—"
        stdout.write(
            f"{scenario.name:<17} {baseline.requests_per_second:>9.1f} "
            f"{result.requests_per_second:>9.1f} {result.p99_ms:>8.1f} {ratio:>11.0%} "
            f"{target:>8} {result.errors + baseline.errors:>7}"
        )
        if scenario.target is not None:
            verdicts.append((scenario, ratio))
    for scenario, ratio in verdicts:
        verdict = "met" if ratio >= scenario.target else "NOT met (finding)"
        stdout.write(
            f"{scenario.name} ({scenario.path}): {ratio:.0%} of minimal, "
            f"target ≥ {scenario.target:.0%}: {verdict}"
        )

"""Events benchmark for `manage.py bench`: the event list with 500 events and 20,000
registrations, and the reminder job for 5,000 registrations (issue #5).

Runs against the command's gunicorn and database (production settings, PostgreSQL, Redis):

1. Queries: `/events/`, page 10 of it, `/events/?business=exchange` and a list the page cache
   refuses cost as many queries with 10 bench events as with 500 (counted through
   django.test.Client with the page cache emptied before each request); and the time to
   render them on a cache miss, in this process.
2. Throughput: the same pages loaded with wrk as the command loads its scenarios (its own
   `check_page` and `run_wrk`, at its default load), each against a run of `/bench/minimal/`
   made just before it. Target ≥ 60 %. Visitors get cached pages, as in production; the
   list at an address the cache refuses is measured too, without a target, to show what a
   cache miss costs.
3. The reminder job: `events.tasks.send_reminders` called in this process for 5,000
   confirmed registrations of events starting within their reminder window, with Celery
   eager (each claimed row's mail rendered and "sent" at once) and the locmem mail
   backend: seconds for the whole run, and the check that a second run sends nothing.

Everything is written with bulk_create (events marked with MARK in their title) and
removed at the end; reminders the job sent to rows that are not the bench's (the demo's
registrations due within their window) are put back as unsent, and the outbox rows the run
wrote are deleted.
"""

import datetime
import logging
import statistics
import time
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

EVENTS = 500
FEW = 10
REGISTRATIONS = 20_000
REMINDER_EVENTS = 10
REMINDERS = 5_000
MARK = "【負荷試験】"
TARGET = 0.60
UNCACHED = "uncached=1"  # not a filter: the list answers it freshly and never stores it

PAGES = [
    "/events/",
    "/events/?page=10",
    "/events/?business=exchange",
    f"/events/?{UNCACHED}",
]


def run(*, base_url: str, stdout) -> None:
    from center.core.cache import public_cache_invalidate

    _remove_bench_events()
    try:
        _write_events(FEW, registrations=FEW * REGISTRATIONS // EVENTS)
        queries_few = {path: _count_queries(path) for path in PAGES}
        started = time.perf_counter()
        _write_events(EVENTS - FEW, registrations=REGISTRATIONS - FEW * REGISTRATIONS // EVENTS)
        stdout.write(
            f"set-up: {EVENTS:,} published upcoming events across every program and "
            f"{REGISTRATIONS:,} registrations written in {time.perf_counter() - started:.1f} s"
        )
        queries_many = {path: _count_queries(path) for path in PAGES}
        _report_queries(stdout, queries_few, queries_many)
        _report_server_times(stdout)

        public_cache_invalidate()
        # Each gunicorn worker re-reads the cache generation at most this often.
        time.sleep(settings.PUBLIC_PAGE_GENERATION_CHECK_SECONDS + 0.5)
        _bench_throughput(base_url, stdout)
    finally:
        _remove_bench_events()
        public_cache_invalidate()

    _bench_reminders(stdout)


# Data ---------------------------------------------------------------------------------------


def _remove_bench_events() -> None:
    from events.models import Event, Registration

    # Registrations protect their event: they go first (their answers and attendance with
    # them), then the events with their sessions.
    Registration.objects.filter(event__title__startswith=MARK).delete()
    Event.objects.filter(title__startswith=MARK).delete()


def _write_events(
    count: int,
    *,
    registrations: int,
    starts_in: datetime.timedelta = datetime.timedelta(days=30),
    spacing: datetime.timedelta = datetime.timedelta(hours=3),
    reminder_hours_before: int = 24,
) -> list:
    """`count` published events across the programs, starting after `starts_in`, `spacing`
    apart, each with one session and an equal share of `registrations` (confirmed,
    a few waitlisted and cancelled, with an address)."""
    from events.models import Event, EventSession, Program, Registration, Venue

    programs = list(Program.objects.filter(is_active=True).order_by("order", "pk"))
    venues = [Venue.LAB, Venue.SPACE_A, Venue.SPACE_B, Venue.ONLINE]
    now = timezone.now().replace(second=0, microsecond=0)
    start = Event.objects.filter(title__startswith=MARK).count()
    events = []
    for index in range(start, start + count):
        program = programs[index % len(programs)]
        starts = now + starts_in + spacing * index
        venue = venues[index % len(venues)]
        events.append(
            Event(
                program=program,
                title=f"{MARK}{program.name} 第{index + 1}回",
                summary="地域で活動する方のための講座です。",
                description="市民協働の基礎を学びます。\n\n質疑応答の時間もあります。",
                status=Event.Status.PUBLISHED,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                venue=venue,
                online_url="https://meet.example.jp/bench" if venue == Venue.ONLINE else "",
                capacity=60,
                fee_note="無料",
                audience="どなたでも",
                reminder_hours_before=reminder_hours_before,
            )
        )
    events = Event.objects.bulk_create(events, batch_size=500)
    EventSession.objects.bulk_create(
        [EventSession(event=e, starts_at=e.starts_at, ends_at=e.ends_at) for e in events],
        batch_size=1000,
    )
    rows = []
    for number in range(registrations):
        event = events[number % len(events)]
        status = Registration.Status.CONFIRMED
        if number % 50 == 7:
            status = Registration.Status.WAITLISTED
        elif number % 50 == 13:
            status = Registration.Status.CANCELLED
        rows.append(
            Registration(
                event=event,
                status=status,
                family_name="山田",
                given_name=f"花子{number}",
                family_name_kana="ヤマダ",
                given_name_kana="ハナコ",
                email=f"bench{event.pk}-{number}@example.com",
                party_size=1 + number % 2,
                privacy_notice_version="bench",
                cancelled_at=now if status == Registration.Status.CANCELLED else None,
            )
        )
    Registration.objects.bulk_create(rows, batch_size=2000)
    return events


# Queries, in this process -------------------------------------------------------------------


def _client() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def _count_queries(path: str) -> int:
    from center.core.cache import public_cache_invalidate

    client = _client()
    client.get(path)  # fills per-process memos
    public_cache_invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(captured)


def _report_queries(stdout, queries_few, queries_many) -> None:
    stdout.write(f"queries per page, {FEW} → {EVENTS:,} bench events:")
    for path in PAGES:
        before, after = queries_few[path], queries_many[path]
        verdict = "constant" if before == after else "GROWS WITH THE LIST (finding)"
        stdout.write(f"  {path:<32} {before:>3} → {after:<3} {verdict}")


def _report_server_times(stdout) -> None:
    """Time to render each page on a cache miss, in this process (no HTTP, no gunicorn)."""
    from center.core.cache import public_cache_invalidate

    client = _client()
    stdout.write(f"server time on a cache miss with {EVENTS:,} events (median of 5):")
    for path in PAGES[:3]:
        timings = []
        for _round in range(6):
            public_cache_invalidate()
            started = time.perf_counter()
            client.get(path)
            timings.append(time.perf_counter() - started)
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


def _bench_throughput(base_url: str, stdout) -> None:
    from center.core.management.commands.bench import BASELINE, Scenario, check_page, run_wrk

    scenarios = [
        Scenario("event list", "/events/", TARGET),
        Scenario("by business", "/events/?business=exchange", TARGET),
        Scenario("list page 10", "/events/?page=10", TARGET),
        Scenario("list, uncached", f"/events/?{UNCACHED}"),
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
        f"{EVENTS:,} events, {REGISTRATIONS:,} registrations; wrk -t{load['threads']} "
        f"-c{load['connections']} -d{seconds}s against the command's gunicorn; each page "
        "paired with a minimal run"
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


# The reminder job, in this process ----------------------------------------------------------


def _bench_reminders(stdout) -> None:
    from django.core import mail

    from center.celery_app import app
    from center.core.models import OutboxMessage
    from events.models import Registration
    from events.tasks import send_reminders

    # Rows that are not ours but due now (the demo's): put back as unsent afterwards.
    others_due = set(
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED, reminder_sent_at__isnull=True
        )
        .exclude(event__title__startswith=MARK)
        .values_list("pk", flat=True)
    )
    last_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    eager = app.conf.task_always_eager
    trace_logger = logging.getLogger("celery.app.trace")
    trace_level = trace_logger.level
    _remove_bench_events()
    try:
        _write_events(
            REMINDER_EVENTS,
            registrations=REMINDERS * 50 // 48,  # 48 of each 50 are confirmed
            starts_in=datetime.timedelta(hours=6),
            spacing=datetime.timedelta(hours=1),  # all within their 24-hour window
            reminder_hours_before=24,
        )
        due = Registration.objects.filter(
            event__title__startswith=MARK, status=Registration.Status.CONFIRMED
        ).count()
        # First the beat job as production runs it: claim each row and write its outbox
        # message; publishing to the broker is left out (the mails are sent by workers).
        with mock.patch("center.core.services.outbox_dispatch"):
            started = time.perf_counter()
            claimed = send_reminders()
            claim_seconds = time.perf_counter() - started
        Registration.objects.filter(event__title__startswith=MARK).update(reminder_sent_at=None)
        OutboxMessage.objects.filter(pk__gt=last_outbox).delete()
        stdout.write("")
        stdout.write(
            f"reminder beat job (claim + outbox row per registration, as in production): "
            f"{claimed:,} in {claim_seconds:.1f} s "
            f"({claim_seconds / max(claimed, 1) * 1000:.2f} ms each)"
        )
        app.conf.task_always_eager = True
        trace_logger.setLevel(logging.WARNING)  # not one line per mail
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            started = time.perf_counter()
            queued = send_reminders()
            elapsed = time.perf_counter() - started
            sent = sum(1 for m in mail.outbox if m.to and m.to[0].startswith("bench"))
            again = send_reminders()
        stdout.write(
            f"reminder job with every mail built and sent in this process (Celery eager, "
            f"locmem mail): {due:,} confirmed registrations due"
        )
        stdout.write(
            f"  queued {queued:,}, bench mails sent {sent:,} in {elapsed:.1f} s "
            f"({elapsed / max(queued, 1) * 1000:.1f} ms each); a second run queued {again}"
        )
    finally:
        app.conf.task_always_eager = eager
        trace_logger.setLevel(trace_level)
        _remove_bench_events()
        Registration.objects.filter(pk__in=others_due, reminder_sent_at__isnull=False).update(
            reminder_sent_at=None
        )
        OutboxMessage.objects.filter(pk__gt=last_outbox).delete()

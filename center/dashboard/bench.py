"""Dashboard benchmark for `manage.py bench` (issue #8): five fiscal years of data — 50,000
consultations, 5,000 events and 100,000 registrations — then:

1. Queries: the dashboard for a year costs as many queries with the five years written as
   before (target: constant, ≤ 30).
2. Server time of /dashboard/ (this year, last year, last year's Q3, one ward), in this
   process with django.test.Client and a signed-in center staff account (target < 500 ms).
3. The annual report PDF (WeasyPrint, charts included): time per report.

Rows are written with bulk_create, marked (references "D…", event titles with the events
bench's MARK), and removed at the end.
"""

import datetime
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

CASES = 50_000
EVENTS = 5_000
REGISTRATIONS = 100_000
YEARS = 5
TARGET_MS = 500
MAX_QUERIES = 30
ROUNDS = 5


def run(base_url: str, stdout) -> None:
    from center.core.fiscal import fiscal_year_of
    from consultations.bench import _staff_client

    client = _staff_client()
    year = fiscal_year_of()
    pages = [
        "/dashboard/",
        f"/dashboard/?year={year - 1}",
        f"/dashboard/?year={year - 1}&quarter=3",
        f"/dashboard/?year={year - 1}&ward=naka",
    ]
    _remove()
    try:
        # A hundredth of the data first: the same years have some of everything, so a count
        # that depends on data being there at all is not mistaken for growth.
        started = time.perf_counter()
        _write_cases(CASES // 100, offset=0)
        _write_events(EVENTS // 100, REGISTRATIONS // 100)
        before = {path: _measure(client, path, rounds=1)[1] for path in pages}
        _write_cases(CASES - CASES // 100, offset=CASES // 100)
        _write_events(EVENTS - EVENTS // 100, REGISTRATIONS - REGISTRATIONS // 100)
        stdout.write(
            f"set-up: {CASES:,} cases, {EVENTS:,} events, {REGISTRATIONS:,} registrations "
            f"over {YEARS} fiscal years, written in {time.perf_counter() - started:.0f} s"
        )
        stdout.write(f"{'page':<42} {'queries':>12} {'median ms':>10} {'worst ms':>9}  target")
        for path in pages:
            timings, queries = _measure(client, path, rounds=ROUNDS)
            median = statistics.median(timings) * 1000
            constant = "constant" if queries == before[path] else f"was {before[path]}"
            verdict = (
                "met"
                if median < TARGET_MS and queries <= MAX_QUERIES and queries == before[path]
                else "NOT met (finding)"
            )
            stdout.write(
                f"{path:<42} {queries:>3} ({constant:>8}) {median:>10.0f} "
                f"{max(timings) * 1000:>9.0f}  < {TARGET_MS} ms, ≤ {MAX_QUERIES} q: {verdict}"
            )
        pdf_times = []
        for _round in range(3):
            started = time.perf_counter()
            response = client.get(f"/dashboard/report.pdf?year={year - 1}")
            pdf_times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"report.pdf answered {response.status_code}")
        stdout.write(
            f"annual report PDF ({len(response.content) / 1024:.0f} KB): median "
            f"{statistics.median(pdf_times):.2f} s, worst {max(pdf_times):.2f} s"
        )
    finally:
        _remove()


def _measure(client, path: str, *, rounds: int) -> tuple[list[float], int]:
    timings, queries = [], 0
    for _round in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        queries = max(queries, len(captured))
    return timings, queries


def _write_cases(count: int, *, offset: int) -> None:
    from center.core.fiscal import fiscal_year_of
    from center.core.models import Ward
    from consultations.models import Consultation, Status, Topic

    wards = list(Ward.objects.all())
    statuses = [s for s, _label in Status.choices]
    topics = [t for t, _label in Topic.choices]
    channels = [c for c, _label in Consultation._meta.get_field("channel").choices]
    now = timezone.now()
    span = datetime.timedelta(days=365 * YEARS)
    batch = []
    for index in range(offset, offset + count):
        # Spread over the five years whatever the batch: index ↦ position in the span.
        created = now - span * ((index * 7919) % CASES / CASES)
        batch.append(
            Consultation(
                reference=f"D{index:07d}",
                fiscal_year=fiscal_year_of(created),
                channel=channels[index % len(channels)],
                requester_type="individual" if index % 3 else "npo",
                family_name="集計",
                given_name=f"データ{index}",
                email=f"dash{index}@example.jp",
                topic=topics[index % len(topics)],
                title=f"集計の性能確認用の相談 {index}",
                status=statuses[index % len(statuses)],
                ward=wards[index % len(wards)],
                privacy_notice_version="bench",
                created_at=created,
                last_activity_at=created,
                first_response_at=created + datetime.timedelta(hours=6 + index % 96),
            )
        )
        if len(batch) == 5000:
            Consultation.objects.bulk_create(batch)
            batch = []
    Consultation.objects.bulk_create(batch)


def _write_events(count: int, registrations: int) -> None:
    from events.bench import _write_events as write_events

    span = datetime.timedelta(days=365 * YEARS)
    # Each batch spans the five years (the events bench numbers its titles on).
    write_events(count, registrations=registrations, starts_in=-span, spacing=span / count)


def _remove() -> None:
    from consultations.models import Consultation
    from events.bench import _remove_bench_events

    _remove_bench_events()
    Consultation.objects.filter(reference__startswith="D", privacy_notice_version="bench").delete()

"""Consultation benchmarks for `manage.py bench` (run against its gunicorn and database).

1. 200 public form submissions at concurrency 16, each from its own client address (as
   behind the load balancer): all stored, reference numbers unique and gapless, p99 latency.
2. The triage changelist with 50,000 cases: server time and query count.
"""

import datetime
import html
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

SUBMISSIONS = 200
CONCURRENCY = 16
CHANGELIST_CASES = 50_000


def run(*, base_url: str, stdout) -> None:
    _bench_submissions(base_url, stdout)
    _bench_changelist(stdout)


# Form submissions ---------------------------------------------------------------------------


def _hidden_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    if match is None:
        raise RuntimeError(f"the form has no {name} field")
    return html.unescape(match.group(1))


def _prepare_visitor(base_url: str, index: int):
    """Load the form as one visitor would: its own cookies and CSRF token.

    The production settings mark cookies Secure, so each request says it came through the
    TLS-terminating proxy (X-Forwarded-Proto), and the cookie is sent back by hand."""
    address = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256 + 1}"
    headers = {
        "X-Forwarded-For": address,
        "X-Forwarded-Proto": "https",
        "Referer": base_url.replace("http://", "https://") + "/consultation/",
    }
    response = urllib.request.urlopen(
        urllib.request.Request(f"{base_url}/consultation/", headers=headers), timeout=30
    )
    page = response.read().decode()
    cookies = "; ".join(
        header.split(";", 1)[0] for header in response.headers.get_all("Set-Cookie") or []
    )
    headers["Cookie"] = cookies
    fields = {
        "csrfmiddlewaretoken": _hidden_value(page, "csrfmiddlewaretoken"),
        "form_started": _hidden_value(page, "form_started"),
        "website": "",
        "requester_type": "individual",
        "family_name": "負荷",
        "given_name": f"試験{index}",
        "family_name_kana": "フカ",
        "given_name_kana": "シケン",
        "email": f"bench{index}@example.jp",
        "preferred_contact": "email",
        "ward": ["naka", "tsurumi", "kohoku", "outside"][index % 4],
        "topic": "activity",
        "title": f"ベンチマークの相談 {index}",
        "body": "活動場所について相談したいです。" * 5,
        "privacy_consent": "on",
    }
    return headers, fields


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_no_redirect = urllib.request.build_opener(_NoRedirect)


def _submit(base_url: str, visitor) -> float:
    headers, fields = visitor
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(f"{base_url}/consultation/", data=data, headers=headers)
    started = time.perf_counter()
    try:
        response = _no_redirect.open(request, timeout=60)
        status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as redirect:  # urllib reports an unfollowed 302 this way
        status, location = redirect.code, redirect.headers.get("Location", "")
    elapsed = time.perf_counter() - started
    if status != 302 or "/consultation/thanks/" not in location:
        raise RuntimeError(f"submission not accepted: {status} {location}")
    return elapsed


def _bench_submissions(base_url: str, stdout) -> None:
    from .models import Consultation

    before = set(Consultation.objects.values_list("pk", flat=True))
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        visitors = list(pool.map(lambda i: _prepare_visitor(base_url, i), range(SUBMISSIONS)))
    time.sleep(3.2)  # the form treats faster-than-human submissions as suspect

    lock = threading.Lock()
    failures: list[str] = []

    def submit(visitor):
        try:
            return _submit(base_url, visitor)
        except Exception as exc:  # counted and reported, never hidden
            with lock:
                failures.append(repr(exc))
            return None

    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        latencies = [t for t in pool.map(submit, visitors) if t is not None]
    wall = time.perf_counter() - started

    if not latencies:
        stdout.write(f"form submissions: all {SUBMISSIONS} failed; first: {failures[0]}")
        return
    new_cases = Consultation.objects.exclude(pk__in=before)
    references = list(new_cases.values_list("reference", flat=True))
    numbers = sorted(int(ref.split("-")[1]) for ref in references)
    gapless = numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else False
    quarantined = new_cases.filter(quarantined=True).count()
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 1 else 0.0
    stdout.write(
        f"form submissions: {SUBMISSIONS} at concurrency {CONCURRENCY} in {wall:.1f} s "
        f"({len(latencies) / wall:.1f}/s); p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {p99:.0f} ms"
    )
    stdout.write(
        f"  stored {len(references)}/{SUBMISSIONS}, unique {len(set(references))}, "
        f"gapless {gapless}, quarantined {quarantined}, failed requests {len(failures)}"
    )
    if failures:
        stdout.write(f"  first failure: {failures[0]}")


# The triage changelist ----------------------------------------------------------------------


def _ensure_cases(target: int) -> None:
    from center.core.models import Ward

    from .models import Consultation, Status, Topic

    missing = target - Consultation.objects.count()
    if missing <= 0:
        return
    wards = list(Ward.objects.all())
    statuses = [s for s, _label in Status.choices]
    topics = [t for t, _label in Topic.choices]
    now = timezone.now()
    batch = []
    # Bulk rows with their own reference series (B…), so the form's S-numbers stay gapless.
    start = Consultation.objects.filter(reference__startswith="B").count()
    for index in range(start, start + missing):
        batch.append(
            Consultation(
                reference=f"B{index:07d}",
                fiscal_year=2026,
                requester_type="individual",
                family_name="大量",
                given_name=f"データ{index}",
                email=f"bulk{index}@example.jp",
                topic=topics[index % len(topics)],
                title=f"一覧の性能確認用の相談 {index}",
                status=statuses[index % len(statuses)],
                ward=wards[index % len(wards)],
                privacy_notice_version="bench",
                created_at=now - datetime.timedelta(minutes=index),
                last_activity_at=now,
            )
        )
        if len(batch) == 5000:
            Consultation.objects.bulk_create(batch)
            batch = []
    Consultation.objects.bulk_create(batch)


def _staff_client() -> Client:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from center.accounts.models import User
    from center.accounts.roles import CENTER_STAFF
    from center.accounts.services import user_create

    user = User.objects.filter(email="bench-staff@example.jp").first()
    if user is None:
        user = user_create(
            email="bench-staff@example.jp", password=None, roles=[CENTER_STAFF], verified=True
        )
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def _bench_changelist(stdout) -> None:
    from .models import Consultation

    _ensure_cases(CHANGELIST_CASES)
    client = _staff_client()
    url = "/admin/consultations/consultation/"
    timings = []
    queries = 0
    for filters in ["", "?status__exact=in_progress", "?q=データ123", "?p=100"]:
        for _round in range(3):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url + filters)
                timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"changelist answered {response.status_code} for {filters}")
            queries = max(queries, len(captured))
    stdout.write(
        f"admin changelist with {Consultation.objects.count():,} cases: median "
        f"{statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms, "
        f"at most {queries} queries (target ≤ 15)"
    )

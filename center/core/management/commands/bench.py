"""`manage.py bench`: how fast the public pages are, measured against a yardstick.

Runs the production stack on this machine: PostgreSQL and Redis from DATABASE_URL and
REDIS_URL, gunicorn with sync workers and the production settings, static files from
whitenoise. Each scenario is loaded with wrk; its requests per second are compared with
those of `/bench/minimal/`, the cheapest response Django can give, so the ratio says how much
a page costs on top of the framework whatever the machine.

A missed target is a finding, not a failure: the command exits non-zero only when the
harness itself cannot run (no wrk, no database, a page that does not answer 200...).
"""

import importlib
import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    # Minimum requests/s as a fraction of the baseline's; None: measured, no target.
    target: float | None = None


BASELINE = Scenario("minimal", "/bench/minimal/")

# Add a line here for each page worth watching.
SCENARIOS = [
    BASELINE,
    Scenario("home (ja)", "/", target=0.60),
    Scenario("home (en)", "/en/", target=0.60),
    Scenario("about", "/about/", target=0.60),
    Scenario("相談会 list", "/consultation/sessions/", target=0.60),
    Scenario("news list", "/news/", target=0.60),
    Scenario("story list", "/stories/", target=0.60),
    Scenario("talent bank", "/talent/", target=0.60),
    Scenario("search", "/search/?q=%E5%8D%94%E5%83%8D", target=0.60),
    # The form carries a CSRF token, so it is never cached: measured, no target.
    Scenario("consultation form", "/consultation/"),
]


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx/3xx responses plus socket errors


_WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * _WRK_UNITS_MS[match[2]]


def parse_wrk_output(output: str) -> WrkResult:
    """Read requests/s, the 99th percentile and the error counts from `wrk --latency`."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    if not (rps and p99 and total):
        raise ValueError(f"unexpected wrk output:\n{output}")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx[1])
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(count) for count in sockets.groups())
    return WrkResult(
        requests_per_second=float(rps[1]),
        p99_ms=_duration_ms(p99[1]),
        requests=int(total[1]),
        errors=errors,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ensure_database(database_url: str) -> None:
    """Create the bench database on a new machine (the server only has `postgres` and
    `test`); the bench then migrates it like any deployment."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl().replace("postgresql://", "postgres://")
    with psycopg.connect(
        maintenance.replace("postgres://", "postgresql://"), autocommit=True
    ) as db:
        if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# Measuring: also imported by the apps' benches, so every page is loaded the same way. -------


def check_page(url: str, log: Path | None = None) -> None:
    """A page that fails would be benchmarked as a fast error page: refuse it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        raise CommandError(f"{url} did not answer: {exc}") from exc
    if status != 200:
        tail = _tail(log) if log is not None else ""
        raise CommandError(f"{url} answered {status}, not 200:\n{tail}")


def run_wrk(url: str, *, seconds: int, connections: int, threads: int) -> WrkResult:
    """Load `url` with wrk for `seconds` and read what it measured."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise CommandError("wrk is not installed (apt-get install wrk).")
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise CommandError(f"{' '.join(command)} failed:\n{completed.stderr}")
    try:
        return parse_wrk_output(completed.stdout)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


class Command(BaseCommand):
    help = (
        "Benchmark the public pages under gunicorn with the production settings, against "
        "/bench/minimal/. Needs DATABASE_URL (PostgreSQL), REDIS_URL and wrk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="Seconds per scenario.")
        parser.add_argument("--connections", type=int, default=32, help="Open connections.")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers.")
        parser.add_argument("--warmup", type=int, default=2, help="Warm-up seconds per page.")
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--skip-apps", action="store_true", help="Only the pages, not the apps' benches."
        )
        which.add_argument(
            "--only",
            metavar="APP",
            help="Only this app's bench (<app>/bench.py, e.g. publications), not the pages "
            "nor the other apps' benches.",
        )

    def handle(
        self,
        *args,
        duration,
        connections,
        threads,
        workers,
        warmup,
        skip_apps=False,
        only=None,
        **options,
    ):
        if shutil.which("wrk") is None:
            raise CommandError("wrk is not installed (apt-get install wrk).")
        if only is not None:
            self._check_only(only)  # a typo fails now, not after the set-up
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith(("postgres://", "postgresql://", "pgsql://", "psql://")):
            raise CommandError(
                "DATABASE_URL must point to a PostgreSQL database, e.g. "
                "postgres://postgres@127.0.0.1:5432/center_bench"
            )
        if not os.environ.get("REDIS_URL", "").startswith(("redis://", "rediss://")):
            raise CommandError("REDIS_URL must point to Redis, e.g. redis://127.0.0.1:6379/0")

        _ensure_database(database_url)
        workdir = Path(tempfile.mkdtemp(prefix="center-bench-"))
        port = _free_port()
        env = self._environment(workdir, port)
        server = None
        try:
            self._prepare(env, workdir)
            server = self._start_gunicorn(env, workdir, port, workers)
            base_url = f"http://127.0.0.1:{port}"
            if only is None:
                load = {"connections": connections, "threads": threads}
                results = {}
                for scenario in SCENARIOS:
                    check_page(base_url + scenario.path, workdir / "gunicorn.log")
                    run_wrk(base_url + scenario.path, seconds=warmup, **load)
                    self.stdout.write(f"Measuring {scenario.path} for {duration} s…")
                    results[scenario] = run_wrk(base_url + scenario.path, seconds=duration, **load)
                self._report(results, duration, connections, threads, workers)
            if not skip_apps:
                self._run_app_benches(base_url, only=only)
        finally:
            if server is not None:
                self._stop(server)
            shutil.rmtree(workdir, ignore_errors=True)

    def _run_app_benches(self, base_url: str, only: str | None = None) -> None:
        """Each app may add its own measurements in `<app>/bench.py`: `run(base_url, stdout)`
        runs against the same gunicorn and database."""
        for app_config in apps.get_app_configs():
            if only is not None and only not in (app_config.label, app_config.name):
                continue
            try:
                module = importlib.import_module(f"{app_config.name}.bench")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.bench":
                    raise
                continue
            self.stdout.write("")
            self.stdout.write(f"== {app_config.verbose_name} ({app_config.name}/bench.py)")
            module.run(base_url=base_url, stdout=self.stdout)

    def _check_only(self, app: str) -> None:
        """Refuse `--only APP` unless APP is installed and has a bench."""
        for app_config in apps.get_app_configs():
            if app in (app_config.label, app_config.name):
                if importlib.util.find_spec(f"{app_config.name}.bench") is None:
                    path = app_config.name.replace(".", "/")
                    raise CommandError(f"{app} has no bench ({path}/bench.py).")
                return
        raise CommandError(f"No installed app is called {app}.")

    # Set-up ----------------------------------------------------------------------

    def _environment(self, workdir: Path, port: int) -> dict[str, str]:
        """The production settings, made to run on this machine over plain HTTP."""
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="center.settings.production",
            SECRET_KEY=f"bench-{secrets.token_urlsafe(48)}",
            DJANGO_DEBUG="false",
            ALLOWED_HOSTS="127.0.0.1",
            CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
            SITE_URL=f"http://127.0.0.1:{port}",
            SECURE_SSL_REDIRECT="false",
            EMAIL_URL="dummymail://",
            STATIC_ROOT=str(workdir / "static"),
            MEDIA_ROOT=str(workdir / "media"),
            PRIVATE_MEDIA_ROOT=str(workdir / "private"),
            LOG_LEVEL="WARNING",
            # Benches may simulate many visitors behind one proxy (X-Forwarded-For).
            TRUSTED_PROXY_COUNT="1",
        )
        return env

    def _manage(self, env: dict[str, str], *arguments: str) -> None:
        self.stdout.write(f"manage.py {' '.join(arguments)}")
        completed = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            raise CommandError(
                f"manage.py {' '.join(arguments)} failed:\n{completed.stderr[-3000:]}"
            )

    def _prepare(self, env: dict[str, str], workdir: Path) -> None:
        self._manage(env, "migrate", "--noinput", "-v", "0")
        if "load_demo" in get_commands():
            # Pages with content, as a visitor would see them; idempotent.
            self._manage(env, "load_demo", "--allow-without-debug", "--quiet-logins")
        else:
            self.stdout.write("No load_demo command yet: measuring the pages without data.")
        self._manage(env, "collectstatic", "--noinput", "-v", "0")
        # Drop pages a previous run (or older code) left in the shared Redis cache.
        self._manage(
            env,
            "shell",
            "-c",
            "from center.core.cache import public_cache_invalidate; public_cache_invalidate()",
        )

    def _start_gunicorn(self, env, workdir: Path, port: int, workers: int):
        log = workdir / "gunicorn.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "center.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--worker-class",
            "sync",
        ]
        self.stdout.write(" ".join(command[2:]))
        with log.open("wb") as log_file:
            # A session of its own, so stopping it stops the workers too.
            server = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}{BASELINE.path}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited at start-up:\n{_tail(log)}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return server
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        self._stop(server)
        raise CommandError(f"gunicorn did not answer {url} within 30 s:\n{_tail(log)}")

    def _stop(self, server: subprocess.Popen) -> None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    # Report ----------------------------------------------------------------------

    def _report(self, results, duration, connections, threads, workers) -> None:
        baseline = results[BASELINE].requests_per_second
        self.stdout.write("")
        self.stdout.write(
            f"gunicorn -w {workers} (sync), production settings, PostgreSQL + Redis; "
            f"wrk -t{threads} -c{connections} -d{duration}s; {os.cpu_count()} CPU(s)"
        )
        header = (
            f"{'scenario':<12} {'URL':<18} {'req/s':>9} {'p99 ms':>8} "
            f"{'vs minimal':>11} {'target':>8} {'errors':>7}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        verdicts = []
        for scenario, result in results.items():
            ratio = result.requests_per_second / baseline if baseline else 0.0
            target = f"≥ {scenario.target:.0%}" if scenario.target is not None else "—"
            self.stdout.write(
                f"{scenario.name:<12} {scenario.path:<18} {result.requests_per_second:>9.1f} "
                f"{result.p99_ms:>8.1f} {ratio:>11.0%} {target:>8} {result.errors:>7}"
            )
            if scenario.target is not None:
                verdicts.append((scenario, ratio >= scenario.target, ratio))
        self.stdout.write("")
        for scenario, met, ratio in verdicts:
            line = (
                f"{scenario.name} ({scenario.path}): {ratio:.0%} of minimal, "
                f"target ≥ {scenario.target:.0%}: "
            )
            if met:
                self.stdout.write(line + self.style.SUCCESS("met"))
            else:
                self.stdout.write(line + self.style.WARNING("NOT met"))

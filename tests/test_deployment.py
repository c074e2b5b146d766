"""The production topology: compose file, image recipe, settings from the environment, and
the whole stack (gunicorn + whitenoise, celery worker, celery beat, PostgreSQL, Redis) run
by hand on this machine, as docker-compose.yml runs it in containers.

Everything here runs `manage.py`, gunicorn and celery as subprocesses with a clean
environment, because settings are read once at import and this process has its own.
"""

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import require, require_redis

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
TOPOLOGY_REDIS_DB = 15  # a Redis database of its own, flushed before and after


def _secret_key() -> str:
    return secrets.token_urlsafe(45)[:60]


def _settings_variables() -> set[str]:
    """Every environment variable the settings read, found in center/settings/*.py."""
    pattern = re.compile(r"(?:env\.\w+|env_bool|env_url|_read)\(\s*\"([A-Z][A-Z0-9_]*)\"")
    names = set()
    for path in (ROOT / "center" / "settings").glob("*.py"):
        names.update(pattern.findall(path.read_text()))
    return names


def _clean_env(**overrides: str) -> dict[str, str]:
    """This process's environment minus any project setting, plus `overrides`."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest for Playwright; a
    # deployed process never has it, and check --deploy rightly refuses it.
    drop = _settings_variables() | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {name: value for name, value in os.environ.items() if name not in drop}
    env.update(overrides)
    return env


def _production_env(**overrides: str) -> dict[str, str]:
    return _clean_env(
        **{
            "DJANGO_SETTINGS_MODULE": "center.settings.production",
            "SECRET_KEY": _secret_key(),
            "ALLOWED_HOSTS": "portal.example.jp",
            "SITE_URL": "https://portal.example.jp",
            **overrides,
        }
    )


def _manage(env: dict[str, str], *arguments: str, timeout: int = 120):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


# The compose file and the image --------------------------------------------------------


def _compose() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_is_valid_against_the_compose_spec():
    checker = BIN / "check-jsonschema"
    assert checker.exists(), f"{checker} missing: install the dev dependencies"
    completed = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_compose_runs_web_worker_and_beat_after_healthy_postgres_and_redis():
    services = _compose()["services"]
    assert set(services) >= SERVICES
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert service["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
    web_command = " ".join(services["web"]["command"])
    assert web_command.index("migrate") < web_command.index("gunicorn center.wsgi:application")
    assert "8000:8000" in services["web"]["ports"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "center", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "center", "beat"]
    assert "--schedule" in services["beat"]["command"]


def test_image_runs_gunicorn_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", dockerfile, re.MULTILINE)
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert (
        'CMD ["gunicorn", "center.wsgi:application", "-b", "0.0.0.0:8000", "-w", "3", '
        '"--access-logfile", "-"]'
    ) in dockerfile
    # The image must not pick up the developer's virtualenv or secrets.
    assert not re.search(r"^COPY \. ", dockerfile, re.MULTILINE)


def test_env_example_documents_every_variable_the_settings_read():
    documented = set(_read_env_file(ROOT / ".env.example"))
    assert _settings_variables() - documented == set()


# Settings from the environment -----------------------------------------------------------


def test_production_settings_pass_the_deploy_checks_without_a_warning():
    completed = _manage(_production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_env_example_with_a_real_secret_key_passes_the_deploy_checks():
    example = _read_env_file(ROOT / ".env.example")
    completed = _manage(
        _clean_env(**{**example, "SECRET_KEY": _secret_key()}),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def _assert_start_up_fails_naming(completed, variable: str) -> None:
    assert completed.returncode != 0
    # The last line is the exception itself; the traceback above it would name the
    # variable anyway, in the source lines it quotes.
    last_line = completed.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:"), completed.stderr[
        -2000:
    ]
    assert variable in last_line


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://x"),
        ("REDIS_URL", "http://x"),
        ("DJANGO_DEBUG", "ture"),
        ("CSRF_TRUSTED_ORIGINS", "example.org"),
        ("SITE_URL", "portal.example.jp"),
        ("EMAIL_URL", "mail://x"),
        ("SECRET_KEY", "short"),
    ],
)
def test_a_malformed_setting_stops_start_up_and_names_the_variable(variable, value):
    completed = _manage(_production_env(**{variable: value}), "check")
    _assert_start_up_fails_naming(completed, variable)


def test_production_without_a_secret_key_stops_start_up_and_names_it():
    env = _production_env()
    del env["SECRET_KEY"]
    _assert_start_up_fails_naming(_manage(env, "check"), "SECRET_KEY")


def test_the_placeholder_secret_key_of_env_example_is_refused():
    example = _read_env_file(ROOT / ".env.example")
    _assert_start_up_fails_naming(_manage(_clean_env(**example), "check"), "SECRET_KEY")


# The whole stack, by hand -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def _get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode(errors="replace")


class Stack:
    """Subprocesses of the topology, each in a session of its own with a log file."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env = env
        self.logs = logs
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *command: str) -> None:
        with (self.logs / f"{name}.log").open("wb") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", *command],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs_tail(self) -> str:
        return "\n".join(
            f"--- {name}.log\n" + "\n".join(self.log(name).splitlines()[-25:])
            for name in self.processes
        )

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _admin_connection():
    """A connection to the server of DATABASE_URL, or a skip (a failure under CI=true)."""
    import environ

    url = os.environ.get("DATABASE_URL", "")
    require(
        url.startswith(("postgres://", "postgresql://", "pgsql://", "psql://")),
        "DATABASE_URL does not point to PostgreSQL",
    )
    import psycopg

    config = environ.Env.db_url_config(url)
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": int(config.get("PORT") or 5432),
        "user": config.get("USER") or "postgres",
        "password": config.get("PASSWORD") or None,
        "dbname": config.get("NAME") or "postgres",
    }
    try:
        connection = psycopg.connect(**params, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        require(False, f"PostgreSQL at {params['host']}:{params['port']} is not reachable: {exc}")
    return connection, url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def topology_database():
    """A throwaway PostgreSQL database, dropped at the end whatever happens."""
    from psycopg import sql

    admin, url = _admin_connection()
    name = f"center_topology_{secrets.token_hex(4)}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(url, name)
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.close()


@pytest.fixture
def topology_redis():
    import redis

    url = require_redis()
    broker = urlunsplit(urlsplit(url)._replace(path=f"/{TOPOLOGY_REDIS_DB}"))
    client = redis.Redis.from_url(broker)
    client.flushdb()
    try:
        yield broker, client
    finally:
        client.flushdb()
        client.close()


@pytest.mark.services
def test_production_topology_serves_pages_and_runs_scheduled_tasks(
    topology_redis, topology_database, tmp_path
):
    import psycopg

    redis_url, redis_client = topology_redis
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="center.settings.production",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=base,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=topology_database,
        REDIS_URL=redis_url,
        EMAIL_URL="dummymail://",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        # Beat's default is a sweep a minute; every 2 s keeps the test short.
        OUTBOX_SWEEP_INTERVAL_SECONDS="2",
    )
    for step in (("migrate", "--noinput"), ("collectstatic", "--noinput", "-v", "0")):
        completed = _manage(env, *step, timeout=600)
        assert completed.returncode == 0, completed.stderr[-3000:]

    stack = Stack(env, tmp_path)
    try:
        stack.start(
            "web", "gunicorn", "center.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"
        )
        stack.start("worker", "celery", "-A", "center", "worker", "-l", "info", "-c", "1")
        stack.start(
            "beat",
            "celery",
            "-A",
            "center",
            "beat",
            "-l",
            "info",
            "--schedule",
            str(tmp_path / "celerybeat-schedule"),
        )

        def web_is_up() -> bool:
            try:
                return _get(f"{base}/bench/minimal/")[0] == 200
            except OSError:
                return False

        assert _wait_for(web_is_up, 60), stack.logs_tail()

        status, _, home = _get(f"{base}/")
        assert status == 200, stack.logs_tail()
        assert '<html lang="ja">' in home
        assert "横浜市市民協働推進センター" in home, (
            "no Japanese on the home page: is locale/ja/LC_MESSAGES/django.po there and "
            "compiled (make compilemessages)?"
        )
        status, _, english = _get(f"{base}/en/")
        assert status == 200
        assert '<html lang="en">' in english
        assert "Yokohama Citizen Collaboration Promotion Center" in english

        # whitenoise serves the collected files, under their name and their hashed name.
        status, headers, _ = _get(f"{base}/static/bootstrap/css/bootstrap.min.css")
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        hashed = re.search(r'href="(/static/bootstrap/css/bootstrap\.min\.\w+\.css)"', home)
        assert hashed, "the home page does not link the hashed stylesheet"
        status, headers, _ = _get(base + hashed[1])
        assert status == 200
        assert "immutable" in headers["Cache-Control"]

        # A task left pending (as if the broker had been down): beat schedules the sweep,
        # the worker runs it and publishes the message, the worker runs the message.
        with psycopg.connect(topology_database.replace("postgres://", "postgresql://", 1)) as db:
            message_id = db.execute(
                "INSERT INTO core_outboxmessage "
                "(created_at, task_name, args, kwargs, attempts, last_error) "
                "VALUES (now() - interval '10 minutes', 'center.core.tasks.worker_heartbeat', "
                "'[]', '{}', 0, '') RETURNING id"
            ).fetchone()[0]
            db.commit()

            def swept() -> bool:
                row = db.execute(
                    "SELECT sent_at FROM core_outboxmessage WHERE id = %s", [message_id]
                ).fetchone()
                db.commit()
                return row[0] is not None

            assert _wait_for(swept, 100), "the outbox row was never sent\n" + stack.logs_tail()

        def heartbeat_written() -> bool:
            return bool(redis_client.keys("*worker:heartbeat*"))

        assert _wait_for(heartbeat_written, 30), (
            "the worker never ran the swept task\n" + stack.logs_tail()
        )
        assert "Sending due task outbox-sweep" in stack.log("beat"), stack.logs_tail()
        for name, process in stack.processes.items():
            assert process.poll() is None, f"{name} died\n" + stack.logs_tail()
    finally:
        stack.stop()


# The benchmark harness (`manage.py bench`) ------------------------------------------------

WRK_OUTPUT = """\
Running 1s test @ http://127.0.0.1:18765/nope
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.40ms    2.54ms  20.41ms   89.31%
    Req/Sec     0.97k   166.87     1.27k    72.73%
  Latency Distribution
     50%    1.42ms
     75%    2.66ms
     90%    5.08ms
     99%    1.18s
  1060 requests in 1.10s, 538.28KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:    963.71
Transfer/sec:    489.38KB
"""


def test_bench_reads_throughput_p99_and_errors_from_wrk():
    from center.core.management.commands.bench import parse_wrk_output

    result = parse_wrk_output(WRK_OUTPUT)
    assert result.requests_per_second == 963.71
    assert result.p99_ms == pytest.approx(1180.0)
    assert result.requests == 1060
    assert result.errors == 7 + 2 + 1

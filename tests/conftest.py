"""Shared fixtures: personas (as in healthchecks' hc/test.py) and service checks.

A test that needs PostgreSQL, Redis, Chromium or a Japanese font calls `require(...)`:
on a bare machine it skips with the reason; with CI=true it fails instead, so CI can
never pass by skipping the real stack.
"""

import os
import shutil
import socket
import subprocess

import pytest
from django.conf import settings

from center.accounts.roles import CENTER_STAFF, CITY_STAFF, COORDINATOR, ORG_MEMBER, WARD_STAFF

IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct-horse-battery-staple"


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL")
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url)
        if _port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379):
            return url
    return None


def require_redis() -> str:
    url = redis_url()
    require(url is not None, "REDIS_URL is not set or Redis is not reachable")
    return url


def require_postgresql() -> None:
    require(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        "DATABASE_URL does not point to PostgreSQL",
    )


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    path = chromium_path()
    require(path is not None, "Debian chromium is not installed (apt-get install chromium)")
    return path


def require_japanese_font() -> None:
    try:
        found = subprocess.run(
            ["fc-list", ":lang=ja"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    require(bool(found), "no Japanese font installed (apt-get install fonts-noto-cjk)")


def require_command(name: str, package: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed (apt-get install {package})")
    return path


# What base.html itself reads on an uncached render: the emergency-closure banner
# (organizations/context_processors.py). Query budgets of public pages add it.
LAYOUT_QUERIES = 1


# Personas ---------------------------------------------------------------------------


def _make_user(email: str, roles=(), ward_code: str | None = None, **extra):
    from center.accounts.services import user_create
    from center.core.models import Ward

    ward = Ward.objects.get(code=ward_code) if ward_code else None
    return user_create(
        email=email,
        password=PASSWORD,
        name=extra.get("name", email),
        roles=roles,
        ward=ward,
        verified=True,
    )


def _with_totp(user):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def outsider(db):
    """A signed-up citizen with no role."""
    return _make_user("outsider@example.com")


@pytest.fixture
def org_member(db):
    return _make_user("member@example.com", roles=[ORG_MEMBER])


@pytest.fixture
def coordinator(db):
    return _with_totp(_make_user("coordinator@example.com", roles=[COORDINATOR]))


@pytest.fixture
def center_staff(db):
    return _with_totp(_make_user("staff@example.com", roles=[CENTER_STAFF]))


@pytest.fixture
def city_staff(db):
    return _with_totp(_make_user("city@example.com", roles=[CITY_STAFF]))


@pytest.fixture
def tsurumi_staff(db):
    """Ward-center staff of 鶴見区."""
    return _with_totp(_make_user("tsurumi@example.com", roles=[WARD_STAFF], ward_code="tsurumi"))


@pytest.fixture
def naka_staff(db):
    """Ward-center staff of 中区."""
    return _with_totp(_make_user("naka@example.com", roles=[WARD_STAFF], ward_code="naka"))


@pytest.fixture
def staff_without_mfa(db):
    return _make_user("new-staff@example.com", roles=[CENTER_STAFF])


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Japanese: a request to /en/ must not leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def broker_down():
    """Point Celery at a port where nothing listens, as when Redis is down."""
    from center.celery_app import app

    saved = {
        "task_always_eager": app.conf.task_always_eager,
        "broker_url": app.conf.broker_url,
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    app.__dict__.pop("amqp", None)
    yield
    app.conf.update(saved)
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """A transactional test runs after another one flushed the database; serialized rollback
    does not always bring back what migrations loaded (wards, role groups, programs, ward
    centers...). Put back whatever is missing before the test starts."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group
    from django.core.management.sql import emit_post_migrate_signal

    from tests.reference_data import restore_reference_data

    if not Group.objects.filter(name=CENTER_STAFF).exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    restore_reference_data()

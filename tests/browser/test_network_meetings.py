"""Network meeting pages in the browser, signed in as ward staff with TOTP set up.

The network home, the meeting list, a meeting page (agenda, materials, minutes) and the
RSVP form showing an error pass axe-core's WCAG 2.1 A/AA rules in Japanese and English;
and a ward user replies to a meeting through the real form.
"""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from networks import services_meetings as services
from networks.models import MeetingRsvp, WardCenter
from tests.browser.conftest import screenshot_path
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.browser.test_network_support import sign_in_as
from tests.networks.meetings.helpers import make_action_item, make_meeting


@pytest.fixture
def meetings(tmp_path, settings, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    from networks.models import MeetingMaterial
    from tests.networks.meetings.helpers import make_material

    # A transactional test before this one may have flushed the centers the migration loads.
    if WardCenter.objects.count() < 18:
        importlib.import_module("networks.migrations.0002_meetings").add_ward_centers(apps, None)
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    monkeypatch.setattr(
        MeetingMaterial._meta.get_field("file"), "storage", FileSystemStorage(location=location)
    )
    tsurumi = WardCenter.objects.get(ward__code="tsurumi")
    upcoming = make_meeting(
        title="第4回 ネットワーク会議",
        online_url="https://meet.example.jp/network-4",
        description="会場とオンラインの併用です。",
    )
    upcoming.agenda_items.create(
        order=1, title="開会・報告", presenter="センター", duration_minutes=15
    )
    upcoming.agenda_items.create(order=2, title="意見交換", duration_minutes=40)
    past = make_meeting(
        days=-30, title="第3回 ネットワーク会議", minutes="## 決定事項\n- 各区で共有する"
    )
    services.minutes_publish(meeting=past)
    make_material(past, title="センター報告資料")
    make_action_item(owner=tsurumi, meeting=past, title="鶴見：事例をまとめる")
    make_action_item(owner=None, all_wards=True, meeting=past, title="各区：よくある相談を共有")
    return upcoming, past


@pytest.mark.parametrize("language", ["ja", "en"])
def test_meeting_pages_are_accessible(page, live_server, meetings, tsurumi_staff, language):
    upcoming, past = meetings
    sign_in_as(page, live_server, tsurumi_staff)
    prefix = "" if language == "ja" else "/en"
    problems = []

    def check(path: str, shot: str) -> None:
        problems.extend(f"{path}: {p}" for p in _check_structure(page, language))
        problems.extend(f"{path}: {p}" for p in axe_violations(page))
        page.screenshot(path=screenshot_path(f"network-meetings-{shot}-{language}"), full_page=True)

    for path, shot in (
        ("/network/", "home"),
        ("/network/meetings/", "list"),
        (f"/network/meetings/{upcoming.pk}/", "upcoming"),
        (f"/network/meetings/{past.pk}/", "past"),
        ("/network/actions/", "actions"),
        (f"/network/meetings/{upcoming.pk}/rsvp/tsurumi/", "rsvp"),
    ):
        response = page.goto(f"{live_server.url}{prefix}{path}")
        assert response.status == 200, path
        check(path, shot)

    # The RSVP form with an error: attending without names.
    page.goto(f"{live_server.url}{prefix}/network/meetings/{upcoming.pk}/rsvp/tsurumi/")
    page.locator("#id_attending_0").check()
    page.locator("#rsvp-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("rsvp-error", "rsvp-error")
    assert problems == [], "\n".join(problems)


def test_a_ward_user_replies_through_the_form(page, live_server, meetings, tsurumi_staff):
    upcoming, _past = meetings
    sign_in_as(page, live_server, tsurumi_staff)
    page.goto(f"{live_server.url}/en/network/")
    page.get_by_role("link", name=f"Reply ({upcoming.title})").click()
    page.locator("#id_attending_0").check()
    page.locator("#id_attendee_names").fill("佐藤、鈴木")
    page.locator("#rsvp-form button[type=submit]").click()
    expect(page.locator("#rsvp-section")).to_contain_text("佐藤、鈴木")
    rsvp = MeetingRsvp.objects.get(meeting=upcoming)
    assert rsvp.attending and rsvp.ward_center.ward.code == "tsurumi"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_center_staff_pages_are_accessible(page, live_server, meetings, center_staff, language):
    upcoming, _past = meetings
    services.rsvp_save(
        meeting=upcoming,
        ward_center=WardCenter.objects.get(ward__code="naka"),
        attending=True,
        attendee_names="田中",
    )
    sign_in_as(page, live_server, center_staff)
    prefix = "" if language == "ja" else "/en"
    problems = []
    for path in ("/network/", f"/network/meetings/{upcoming.pk}/", "/network/invitations/"):
        assert page.goto(f"{live_server.url}{prefix}{path}").status == 200, path
        problems.extend(f"{path}: {p}" for p in _check_structure(page, language))
        problems.extend(f"{path}: {p}" for p in axe_violations(page))
    # The invitation form with an error (no address, no ward center).
    page.locator("#invitation-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    problems.extend(axe_violations(page))
    page.screenshot(
        path=screenshot_path(f"network-meetings-invitation-error-{language}"), full_page=True
    )
    assert problems == [], "\n".join(problems)

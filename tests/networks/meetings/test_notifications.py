"""Minutes and materials are announced to active ward staff of every ward, each in their
language, once; reminders go out once per meeting, never twice."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from center.accounts.roles import CENTER_STAFF
from networks import services_meetings as services
from networks.tasks_meetings import send_reminders

from .helpers import make_material, make_meeting, make_ward_user, private_media  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipients(tsurumi_staff, naka_staff, center_staff, city_staff, org_member):
    english = make_ward_user("aoba", email="aoba@example.com", language="en")
    inactive = make_ward_user("seya", email="seya@example.com")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    return {"ja": {tsurumi_staff.email, naka_staff.email}, "en": {english.email}}


def addressees():
    return sorted(address for message in mail.outbox for address in message.to)


def test_publishing_minutes_mails_every_active_ward_staff_once(
    recipients, django_capture_on_commit_callbacks
):
    meeting = make_meeting(days=-1, minutes="## 議事録\n- 報告")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_publish(meeting=meeting) is True
    assert addressees() == sorted(recipients["ja"] | recipients["en"])
    # Each in their language.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["aoba@example.com"].subject.startswith("Minutes published")
    assert '<html lang="en">' in by_address["aoba@example.com"].alternatives[0][0]
    assert '<html lang="ja">' in by_address["tsurumi@example.com"].alternatives[0][0]
    # Publishing again mails nobody.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_publish(meeting=meeting) is False
    assert mail.outbox == []


def test_empty_minutes_cannot_be_published(recipients):
    meeting = make_meeting(days=-1)
    with pytest.raises(ValidationError):
        services.minutes_publish(meeting=meeting)
    assert mail.outbox == []


def test_new_materials_are_announced_once(
    recipients,
    private_media,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    meeting = make_meeting()
    make_material(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.materials_announce(meeting=meeting) == 3
    assert addressees() == sorted(recipients["ja"] | recipients["en"])
    assert all("資料1" in m.body or "資料1" in m.alternatives[0][0] for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.materials_announce(meeting=meeting) == 0
    assert mail.outbox == []


def test_reminder_is_sent_once_even_when_the_job_runs_twice(
    recipients, django_capture_on_commit_callbacks
):
    soon = make_meeting(days=1)
    make_meeting(days=10)  # too far ahead
    make_meeting(days=-1)  # already over
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 1
    assert addressees() == sorted(recipients["ja"] | recipients["en"])
    assert all(soon.title in m.subject for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == 0
    assert mail.outbox == []
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None


def test_reminder_tells_the_ward_whether_it_replied(
    tsurumi_staff, naka_staff, django_capture_on_commit_callbacks
):
    meeting = make_meeting(days=1)
    from .helpers import center_of

    services.rsvp_save(
        meeting=meeting, ward_center=center_of("tsurumi"), attending=True, attendee_names="佐藤"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reminders_send()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "佐藤" in by_address["tsurumi@example.com"].body
    assert "佐藤" not in by_address["naka@example.com"].body


def test_a_ward_staff_member_who_left_before_the_mail_task_ran_gets_nothing(
    tsurumi_staff, django_capture_on_commit_callbacks
):
    from center.accounts.services import user_set_roles

    meeting = make_meeting(days=-1, minutes="本文")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.minutes_publish(meeting=meeting)
    user_set_roles(user=tsurumi_staff, roles=[CENTER_STAFF])
    for callback in callbacks:
        callback()
    assert mail.outbox == []


@override_settings(LANGUAGE_CODE="ja")
def test_meeting_links_in_mails_point_to_the_meeting(
    tsurumi_staff, django_capture_on_commit_callbacks
):
    meeting = make_meeting(days=-1, minutes="本文")
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(meeting=meeting)
    assert f"/network/meetings/{meeting.pk}/" in mail.outbox[0].body

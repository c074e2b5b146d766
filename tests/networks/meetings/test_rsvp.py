"""RSVP per ward center: own ward only, names required when attending, closed once the
meeting has started or the deadline passed (a clear message, never a 500)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from networks import services_meetings as services
from networks.models import MeetingRsvp

from .helpers import center_of, make_meeting

pytestmark = pytest.mark.django_db


def rsvp_url(meeting, code):
    return reverse("networks:meeting_rsvp", args=[meeting.pk, code])


def test_ward_staff_reply_attending_with_names_then_change_to_absent(client, tsurumi_staff):
    meeting = make_meeting()
    client.force_login(tsurumi_staff)
    response = client.post(
        rsvp_url(meeting, "tsurumi"),
        {"attending": "yes", "attendee_names": "佐藤、鈴木", "note": ""},
    )
    assert response.status_code == 302
    rsvp = MeetingRsvp.objects.get(meeting=meeting, ward_center=center_of("tsurumi"))
    assert rsvp.attending and rsvp.attendee_names == "佐藤、鈴木"
    assert rsvp.responded_by == tsurumi_staff

    client.post(rsvp_url(meeting, "tsurumi"), {"attending": "no", "attendee_names": "佐藤"})
    rsvp.refresh_from_db()
    assert not rsvp.attending and rsvp.attendee_names == ""
    assert MeetingRsvp.objects.filter(meeting=meeting).count() == 1


def test_attending_without_names_is_an_error_on_the_form(client, tsurumi_staff):
    meeting = make_meeting()
    client.force_login(tsurumi_staff)
    response = client.post(
        "/en" + rsvp_url(meeting, "tsurumi"), {"attending": "yes", "attendee_names": "  "}
    )
    assert response.status_code == 200
    assert "attendee_names" in response.context["form"].errors
    assert b"Enter the names of those who will attend." in response.content
    assert not MeetingRsvp.objects.exists()


def test_no_choice_is_an_error(client, tsurumi_staff):
    meeting = make_meeting()
    client.force_login(tsurumi_staff)
    response = client.post(rsvp_url(meeting, "tsurumi"), {})
    assert response.status_code == 200
    assert "attending" in response.context["form"].errors


def test_past_meeting_shows_a_clear_message_and_refuses_a_reply(client, tsurumi_staff):
    meeting = make_meeting(days=-3)
    client.force_login(tsurumi_staff)
    url = "/en" + rsvp_url(meeting, "tsurumi")
    page = client.get(url)
    assert page.status_code == 200
    assert b"already taken place" in page.content
    assert b'id="rsvp-form"' not in page.content
    response = client.post(url, {"attending": "yes", "attendee_names": "佐藤"})
    assert response.status_code == 200
    assert b"already taken place" in response.content
    assert not MeetingRsvp.objects.exists()


def test_after_the_deadline_the_service_refuses(tsurumi_staff):
    meeting = make_meeting(rsvp_deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as caught:
        services.rsvp_save(meeting=meeting, ward_center=center_of("tsurumi"), attending=False)
    assert caught.value.code == "closed"


def test_another_wards_rsvp_page_is_404_and_nothing_is_stored(client, tsurumi_staff):
    meeting = make_meeting()
    client.force_login(tsurumi_staff)
    assert client.get(rsvp_url(meeting, "naka")).status_code == 404
    response = client.post(rsvp_url(meeting, "naka"), {"attending": "no"})
    assert response.status_code == 404
    assert not MeetingRsvp.objects.exists()


def test_center_staff_see_every_wards_reply_on_the_meeting_page(client, center_staff, naka_staff):
    meeting = make_meeting()
    services.rsvp_save(
        meeting=meeting, ward_center=center_of("naka"), attending=True, attendee_names="田中"
    )
    client.force_login(center_staff)
    response = client.get(reverse("networks:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    table = response.context["rsvp_table"]
    assert len(table) == 18
    replied = {center.ward.code: rsvp for center, rsvp in table if rsvp}
    assert set(replied) == {"naka"}
    assert "田中" in response.content.decode()
    # A center-side user does not reply for a ward.
    assert client.get(rsvp_url(meeting, "naka")).status_code == 404


def test_ward_staff_see_only_their_own_reply_not_the_table(client, tsurumi_staff):
    meeting = make_meeting()
    services.rsvp_save(
        meeting=meeting, ward_center=center_of("naka"), attending=True, attendee_names="田中"
    )
    client.force_login(tsurumi_staff)
    response = client.get(reverse("networks:meeting_detail", args=[meeting.pk]))
    assert response.context["rsvp_table"] is None
    assert "田中" not in response.content.decode()

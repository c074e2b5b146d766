"""A double click files one request; an anonymised case takes the ward's copy of its
personal data with it; editing an old hearing keeps its questions; an invitation link
opens the page in the invitee's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from networks.models import SupportRequest
from networks.services_support import support_requests_scrub_anonymised

from . import file_request


def test_a_second_identical_request_is_refused(tsurumi_staff):
    file_request("tsurumi", user=tsurumi_staff)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        file_request("tsurumi", user=tsurumi_staff)
    assert "has just been filed" in " ".join(caught.value.messages)
    assert SupportRequest.objects.count() == 1
    file_request("tsurumi", user=tsurumi_staff, summary="別の相談")  # a new request is fine
    assert SupportRequest.objects.count() == 2


def test_a_double_post_of_the_form_makes_one_case(client, tsurumi_staff):
    from consultations.models import Consultation

    client.force_login(tsurumi_staff)
    data = {"summary": "会計の相談", "kind": "management", "urgency": "2"}
    client.post("/en/network/requests/new/", data)
    again = client.post("/en/network/requests/new/", data)
    assert "has just been filed" in again.content.decode()
    assert Consultation.objects.count() == 1


def test_anonymising_the_case_blanks_the_wards_copy(client, tsurumi_staff):
    item = file_request(
        "tsurumi",
        user=tsurumi_staff,
        contact_consent=True,
        contact_name="山田 花子",
        contact_email="hanako@example.com",
        contact_phone="045-000-0000",
        details="山田さんの団体について",
    )
    other = file_request("tsurumi", user=tsurumi_staff, summary="まだ保存中の依頼")
    item.consultation.anonymised_at = timezone.now()
    item.consultation.save(update_fields=["anonymised_at"])
    assert support_requests_scrub_anonymised() == 1
    assert support_requests_scrub_anonymised() == 0
    client.force_login(tsurumi_staff)
    page = client.get(f"/en/network/requests/{item.pk}/").content.decode()
    for personal in ("hanako@example.com", "045-000-0000", "山田 花子", "山田さんの団体"):
        assert personal not in page
    other.refresh_from_db()
    assert other.summary == "まだ保存中の依頼"


def test_the_scrub_runs_daily_from_beat(settings):
    from center.celery_app import app

    entry = settings.CELERY_BEAT_SCHEDULE["network-support-scrub-anonymised"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks

"""A consultation sent while Redis is down is stored; its mails go out when Redis is back."""

import pytest

from center.celery_app import app
from center.core.models import OutboxMessage
from center.core.services import outbox_sweep
from consultations.models import Consultation

from . import fresh_cache_fixture, private_media_fixture, valid_post  # noqa: F401

pytestmark = pytest.mark.usefixtures("fresh_cache", "private_media")


def test_the_case_is_stored_and_mailed_later_when_the_broker_is_down(
    client,
    db,
    broker_down,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/consultation/", valid_post())

    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert not consultation.quarantined
    assert sorted(OutboxMessage.objects.pending().values_list("task_name", flat=True)) == [
        "consultations.tasks.send_receipt",
        "consultations.tasks.send_staff_alert",
    ]
    assert mailoutbox == []
    # The visitor still gets the receipt page with the reference number.
    receipt = client.get(response["Location"])
    assert consultation.reference in receipt.content.decode()

    # Redis is back: the sweeper publishes what waited, and the mails go out once.
    app.conf.task_always_eager = True
    assert outbox_sweep(older_than_seconds=0) == (2, 0)
    assert sorted(tuple(m.to) for m in mailoutbox) == sorted(
        [(consultation.email,), tuple(app_settings_alerts())]
    )
    assert outbox_sweep(older_than_seconds=0) == (0, 0)
    assert len(mailoutbox) == 2


def app_settings_alerts():
    from django.conf import settings

    return settings.STAFF_ALERT_EMAILS

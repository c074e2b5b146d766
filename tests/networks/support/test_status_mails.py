"""The ward hears by mail when its support request's status changes (as it sees it: folded
into received / in progress / done / withdrawn), once per change."""

from django.core import mail
from django.test import TestCase

from consultations.models import Status
from consultations.services import cases as consultation_services
from networks.services_support import support_status_notifications_send

from . import file_request


def send() -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return support_status_notifications_send()


def change(item, status, actor):
    with TestCase.captureOnCommitCallbacks(execute=True):
        consultation_services.consultation_change_status(
            consultation=item.consultation, status=status, actor=actor
        )


def test_a_change_is_mailed_once_to_whoever_filed_it(tsurumi_staff, center_staff):
    item = file_request("tsurumi", user=tsurumi_staff)
    mail.outbox.clear()
    assert send() == 0  # just filed: nothing to tell
    change(item, Status.IN_PROGRESS, center_staff)
    assert send() == 1
    assert send() == 0
    (message,) = mail.outbox
    assert message.to == [tsurumi_staff.email]
    assert "対応中" in message.subject or "In progress" in message.subject
    assert f"/network/requests/{item.pk}/" in message.body
    assert "tsurumi の支援依頼" in message.body


def test_moves_inside_one_public_status_are_not_mailed(tsurumi_staff, center_staff):
    item = file_request("tsurumi", user=tsurumi_staff)
    change(item, Status.IN_PROGRESS, center_staff)
    send()
    mail.outbox.clear()
    change(item, Status.WAITING, center_staff)  # still "in progress" for the ward
    assert send() == 0 and mail.outbox == []
    change(item, Status.CLOSED, center_staff)
    assert send() == 1
    assert len(mail.outbox) == 1


def test_the_mail_is_in_the_filers_language(tsurumi_staff, center_staff):
    tsurumi_staff.language = "en"
    tsurumi_staff.save(update_fields=["language"])
    item = file_request("tsurumi", user=tsurumi_staff)
    change(item, Status.CLOSED, center_staff)
    mail.outbox.clear()
    send()
    (message,) = mail.outbox
    assert message.subject == "Your support request: Done"
    assert "/en/network/requests/" in message.body


def test_a_request_whose_filer_left_is_marked_without_a_mail(tsurumi_staff, center_staff):
    item = file_request("tsurumi", user=tsurumi_staff)
    tsurumi_staff.is_active = False
    tsurumi_staff.save(update_fields=["is_active"])
    change(item, Status.IN_PROGRESS, center_staff)
    mail.outbox.clear()
    assert send() == 0 and mail.outbox == []
    item.refresh_from_db()
    assert item.notified_status == "in_progress"  # not retried forever


def test_the_job_runs_from_beat(settings):
    from center.celery_app import app

    entry = settings.CELERY_BEAT_SCHEDULE["network-support-status-mails"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks

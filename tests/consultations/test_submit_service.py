"""consultation_submit against the real database: numbers, consent, attachments, mail."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from center.core.fiscal import fiscal_year_of
from center.core.models import OutboxMessage, Ward
from consultations.models import (
    Attachment,
    CaseEvent,
    Channel,
    Consultation,
    ReferenceCounter,
    Status,
)
from consultations.services import (
    PRIVACY_NOTICE_VERSION,
    consultation_release,
    consultation_submit,
)
from consultations.uploads import validate_attachment
from tests.conftest import require_postgresql

from . import jpeg_bytes, pdf_bytes, private_media_fixture, upload  # noqa: F401

TOKYO = datetime.timezone(datetime.timedelta(hours=9))


def fields(**overrides) -> dict:
    data = {
        "requester_type": "npo",
        "family_name": "佐藤",
        "given_name": "一郎",
        "family_name_kana": "サトウ",
        "given_name_kana": "イチロウ",
        "organization_name": "NPO法人みなとみらい",
        "email": "ichiro@example.jp",
        "phone": "045-123-4567",
        "preferred_contact": "email",
        "topic": "founding",
        "title": "NPO法人の設立について",
        "body": "設立の手順を教えてください。",
        "sensitive_consent": False,
    }
    data.update(overrides)
    if "ward" not in data:
        data["ward"] = Ward.objects.get(code="nishi")
    return data


def at(year, month, day):
    """Freeze the service's clock at noon, Tokyo time, on that day."""
    moment = datetime.datetime(year, month, day, 12, tzinfo=TOKYO)
    return lambda: moment


# Reference numbers --------------------------------------------------------------------


def test_references_are_sequential_within_the_fiscal_year(db):
    first = consultation_submit(fields=fields())
    second = consultation_submit(fields=fields())
    year = fiscal_year_of(timezone.now())
    assert (first.reference, second.reference) == (f"S{year}-0001", f"S{year}-0002")
    assert first.fiscal_year == year


def test_numbering_starts_again_on_the_first_of_april(db, monkeypatch):
    monkeypatch.setattr("consultations.services.cases.timezone.now", at(2027, 3, 31))
    march = [consultation_submit(fields=fields()).reference for _ in range(2)]
    monkeypatch.setattr("consultations.services.cases.timezone.now", at(2027, 4, 1))
    april = consultation_submit(fields=fields())

    assert march == ["S2026-0001", "S2026-0002"]
    assert april.reference == "S2027-0001"
    assert april.fiscal_year == 2027
    assert dict(ReferenceCounter.objects.values_list("fiscal_year", "last_number")) == {
        2026: 2,
        2027: 1,
    }


def test_a_rolled_back_submission_gives_its_number_back(db):
    year = fiscal_year_of(timezone.now())
    consultation_submit(fields=fields())
    with pytest.raises(RuntimeError), transaction.atomic():
        consultation_submit(fields=fields())
        raise RuntimeError("the request failed after the service")
    after = consultation_submit(fields=fields())

    assert after.reference == f"S{year}-0002"
    assert Consultation.objects.count() == 2


def test_invalid_fields_store_nothing_and_use_no_number(db):
    with pytest.raises(ValidationError) as caught:
        consultation_submit(fields=fields(topic="not-a-topic"))
    assert "topic" in caught.value.message_dict
    assert Consultation.objects.count() == 0
    assert ReferenceCounter.objects.filter(last_number__gt=0).count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_title_is_required(db):
    with pytest.raises(ValidationError):
        consultation_submit(fields=fields(title=""))
    assert Consultation.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reference_numbers_are_unique_and_gapless_when_twenty_submissions_race():
    """Each thread has its own connection; the counter row lock must serialise them.
    Needs DATABASE_URL pointing at PostgreSQL (SQLite serialises every writer anyway)."""
    require_postgresql()
    count = 20
    barrier = threading.Barrier(count)
    references, errors = [], []
    lock = threading.Lock()

    def submit():
        try:
            barrier.wait(timeout=30)
            consultation = consultation_submit(fields=fields(ward=None, email=""))
            with lock:
                references.append(consultation.reference)
        except Exception as exc:  # collected and asserted below, never lost in a thread
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    year = fiscal_year_of(timezone.now())
    assert errors == []
    assert sorted(references) == [f"S{year}-{n:04d}" for n in range(1, count + 1)]
    assert Consultation.objects.count() == count
    assert ReferenceCounter.objects.get(fiscal_year=year).last_number == count


# What is stored -------------------------------------------------------------------------


def test_the_case_keeps_its_channel_language_and_consent(db):
    consultation = consultation_submit(
        fields=fields(sensitive_consent=True), channel=Channel.WEB, language="en"
    )
    consultation.refresh_from_db()
    assert consultation.channel == Channel.WEB
    assert consultation.language == "en"
    assert consultation.status == Status.RECEIVED
    assert consultation.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert consultation.sensitive_consent is True
    assert consultation.quarantined is False
    assert len(consultation.tracking_token) >= 40


def test_the_notice_version_shown_can_be_passed_with_the_fields(db):
    consultation = consultation_submit(fields=fields(privacy_notice_version="2025-04-01"))
    assert consultation.privacy_notice_version == "2025-04-01"


def test_tracking_tokens_differ_between_cases(db):
    tokens = {consultation_submit(fields=fields()).tracking_token for _ in range(5)}
    assert len(tokens) == 5


def test_an_anonymous_visitor_is_not_recorded_as_the_submitter(db, org_member):
    anonymous = consultation_submit(fields=fields(), submitted_by=AnonymousUser())
    signed_in = consultation_submit(fields=fields(), submitted_by=org_member)
    assert anonymous.submitted_by is None
    assert signed_in.submitted_by == org_member


def test_the_timeline_starts_with_a_public_submitted_event(db):
    consultation = consultation_submit(fields=fields())
    event = consultation.events.get()
    assert event.kind == CaseEvent.Kind.SUBMITTED
    assert event.is_public is True
    assert event.to_status == Status.RECEIVED


def test_outside_yokohama_is_stored_as_no_ward(db):
    assert consultation_submit(fields=fields(ward=None)).ward is None


# Attachments ------------------------------------------------------------------------------


def test_attachments_are_stored_privately_with_their_original_names(db, private_media, settings):
    pdf = validate_attachment(upload("会則.pdf", pdf_bytes()))
    photo = validate_attachment(upload("会場の写真.jpg", jpeg_bytes(exif=True)))

    consultation = consultation_submit(fields=fields(), attachments=[pdf, photo])

    stored = list(consultation.attachments.order_by("pk"))
    assert [a.original_name for a in stored] == ["会則.pdf", "会場の写真.jpg"]
    assert [a.content_type for a in stored] == ["application/pdf", "image/jpeg"]
    for attachment in stored:
        path = private_media / attachment.file.name
        assert path.is_file()
        assert attachment.size == path.stat().st_size
        assert str(settings.MEDIA_ROOT) not in str(path)
        # Stored under a random name: the sender's file name is not on the disk.
        assert "会" not in attachment.file.name


def test_more_than_three_attachments_store_nothing(db, private_media):
    files = [validate_attachment(upload(f"{n}.pdf", pdf_bytes())) for n in range(4)]
    with pytest.raises(ValidationError):
        consultation_submit(fields=fields(), attachments=files)
    assert Consultation.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert not any(private_media.rglob("*.pdf"))


# Mail and quarantine ----------------------------------------------------------------------


def test_receipt_and_staff_alert_are_queued_and_sent_after_commit(
    db, django_capture_on_commit_callbacks, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = consultation_submit(fields=fields())

    assert sorted(OutboxMessage.objects.values_list("task_name", flat=True)) == [
        "consultations.tasks.send_receipt",
        "consultations.tasks.send_staff_alert",
    ]
    receipt, alert = sorted(mailoutbox, key=lambda m: m.to != ["ichiro@example.jp"])
    assert receipt.to == ["ichiro@example.jp"]
    assert consultation.reference in receipt.subject
    assert consultation.tracking_token in receipt.body
    assert alert.to == list(settings.STAFF_ALERT_EMAILS)
    assert consultation.reference in alert.subject


def test_nothing_is_mailed_before_the_transaction_commits(db, mailoutbox):
    consultation_submit(fields=fields())
    assert mailoutbox == []
    assert OutboxMessage.objects.pending().count() == 2


def test_without_an_email_address_only_staff_are_alerted(
    db, django_capture_on_commit_callbacks, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation_submit(
            fields=fields(email="", preferred_contact="phone"), channel=Channel.PHONE
        )
    assert [m.to for m in mailoutbox] == [list(settings.STAFF_ALERT_EMAILS)]


def test_the_staff_alert_carries_no_personal_data(
    db, django_capture_on_commit_callbacks, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = consultation_submit(fields=fields())
    alert = next(m for m in mailoutbox if m.to == list(settings.STAFF_ALERT_EMAILS))
    text = alert.subject + alert.body + alert.alternatives[0][0]
    for personal in ("佐藤", "一郎", "サトウ", "ichiro@example.jp", "045-123-4567", "みなとみらい"):
        assert personal not in text
    assert consultation.title not in text
    assert consultation.body not in text
    assert f"/admin/consultations/consultation/{consultation.pk}/" in alert.body


def test_the_receipt_is_written_in_the_visitors_language(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = consultation_submit(fields=fields(), language="en")
    receipt = next(m for m in mailoutbox if m.to == ["ichiro@example.jp"])
    assert "We have received your consultation" in receipt.subject
    assert f"/en/consultation/track/{consultation.tracking_token}/" in receipt.body


def test_special_characters_reach_the_plain_text_mail_unescaped(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation_submit(fields=fields(title="会計 & 税務 <相談>"))
    receipt = next(m for m in mailoutbox if m.to == ["ichiro@example.jp"])
    assert "会計 & 税務 <相談>" in receipt.body
    assert "会計 &amp; 税務 &lt;相談&gt;" in receipt.alternatives[0][0]


def test_a_quarantined_submission_is_stored_but_not_mailed(
    db, django_capture_on_commit_callbacks, mailoutbox, private_media
):
    photo = validate_attachment(upload("photo.png", jpeg_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        consultation = consultation_submit(
            fields=fields(), attachments=[photo], quarantine_reason="x" * 300
        )
    consultation.refresh_from_db()
    assert consultation.quarantined is True
    assert consultation.quarantine_reason == "x" * 200
    assert consultation.reference.startswith("S")
    assert consultation.attachments.count() == 1
    assert mailoutbox == []
    assert OutboxMessage.objects.count() == 0


def test_releasing_a_quarantined_case_sends_the_mail_it_held_back(
    db, django_capture_on_commit_callbacks, mailoutbox, center_staff, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation = consultation_submit(fields=fields(), quarantine_reason="honeypot")
    with django_capture_on_commit_callbacks(execute=True):
        consultation_release(consultation=consultation, actor=center_staff)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["ichiro@example.jp", *settings.STAFF_ALERT_EMAILS]
    )

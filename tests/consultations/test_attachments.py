"""Attachments are served only through the permission-checked view, never from a media URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from center.core.models import AuditEvent
from consultations import services
from consultations.models import Consultation
from tests.consultations.test_selectors import ward

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    """Attachments go to a temporary directory (the storage follows settings.STORAGES)."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location


def case_with_attachment(**fields):
    upload = SimpleUploadedFile("議事録 2026.pdf", PDF, content_type="application/pdf")
    consultation = services.consultation_submit(
        fields={
            "requester_type": "npo",
            "family_name": "山田",
            "given_name": "花子",
            "email": "hanako@example.com",
            "topic": "activity",
            "title": "活動場所の相談",
            "body": "詳しい内容",
        },
        attachments=[upload],
    )
    if fields:
        Consultation.objects.filter(pk=consultation.pk).update(**fields)
        consultation.refresh_from_db()
    return consultation, consultation.attachments.get()


def download_url(attachment) -> str:
    return reverse("consultations:attachment", args=[attachment.pk])


def download(client, attachment):
    response = client.get(download_url(attachment))
    # Consuming the stream closes it through the test client, which keeps the test's database
    # connection open; an explicit close() would end the connection mid-test on PostgreSQL.
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_the_file_is_stored_outside_the_media_root(private_storage, settings):
    _case, attachment = case_with_attachment()
    path = private_storage / attachment.file.name
    assert path.read_bytes() == PDF
    assert not str(path).startswith(str(settings.MEDIA_ROOT))


def test_center_staff_download_as_an_attachment_that_is_never_cached(client, center_staff):
    case, attachment = case_with_attachment()
    client.force_login(center_staff)
    response, body = download(client, attachment)
    assert response.status_code == 200
    assert body == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # The Japanese name survives, encoded as RFC 5987 says.
    assert "filename*=utf-8''%E8%AD%B0%E4%BA%8B%E9%8C%B2%202026.pdf" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_every_download_is_audited(client, center_staff):
    case, attachment = case_with_attachment()
    client.force_login(center_staff)
    download(client, attachment)
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.actor, event.target_id) == (center_staff, str(case.pk))
    assert event.detail == {"attachment": attachment.pk}
    assert event.target_repr == case.reference  # no title or file name in the log


def test_a_coordinator_downloads_only_from_assigned_cases(client, coordinator):
    case, attachment = case_with_attachment()
    client.force_login(coordinator)
    assert download(client, attachment)[0].status_code == 404
    services.consultation_assign(consultation=case, assignee=coordinator, actor=coordinator)
    assert download(client, attachment)[0].status_code == 200


def test_city_staff_download_only_from_shared_cases(client, city_staff, center_staff):
    case, attachment = case_with_attachment()
    client.force_login(city_staff)
    assert download(client, attachment)[0].status_code == 404
    services.consultation_share_with_city(consultation=case, actor=center_staff, basis="連携")
    assert download(client, attachment)[0].status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "org_member"])
def test_people_without_a_case_role_get_a_404(client, request, persona):
    _case, attachment = case_with_attachment()
    client.force_login(request.getfixturevalue(persona))
    assert download(client, attachment)[0].status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    _case, attachment = case_with_attachment()
    response = client.get(download_url(attachment))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_ward_staff_of_another_ward_get_a_404(client, naka_staff):
    _case, attachment = case_with_attachment(
        referred_ward=ward("tsurumi"), referral_shares_contact=True
    )
    client.force_login(naka_staff)
    assert download(client, attachment)[0].status_code == 404


def test_ward_staff_download_only_when_the_referral_shares_contact_details(client, tsurumi_staff):
    case, attachment = case_with_attachment(referred_ward=ward("tsurumi"))
    client.force_login(tsurumi_staff)
    assert download(client, attachment)[0].status_code == 404
    Consultation.objects.filter(pk=case.pk).update(referral_shares_contact=True)
    assert download(client, attachment)[0].status_code == 200


def test_quarantined_cases_files_are_for_center_staff_only(client, coordinator, center_staff):
    case, attachment = case_with_attachment(quarantined=True, quarantine_reason="honeypot")
    services.consultation_assign(consultation=case, assignee=coordinator, actor=center_staff)
    client.force_login(coordinator)
    assert download(client, attachment)[0].status_code == 404
    client.force_login(center_staff)
    assert download(client, attachment)[0].status_code == 200


def test_a_file_missing_from_storage_is_a_404(client, center_staff, private_storage):
    _case, attachment = case_with_attachment()
    (private_storage / attachment.file.name).unlink()
    client.force_login(center_staff)
    assert download(client, attachment)[0].status_code == 404


def test_an_unknown_attachment_is_a_404(client, center_staff):
    client.force_login(center_staff)
    assert client.get(reverse("consultations:attachment", args=[999999])).status_code == 404


def test_the_download_view_only_reads(client, center_staff):
    _case, attachment = case_with_attachment()
    client.force_login(center_staff)
    assert client.post(download_url(attachment)).status_code == 405


def test_the_case_page_links_files_to_the_checked_view_not_to_media(client, center_staff, settings):
    case, attachment = case_with_attachment()
    client.force_login(center_staff)
    page = client.get(reverse("admin:consultations_consultation_change", args=[case.pk]))
    html = page.content.decode()
    assert f'href="{download_url(attachment)}"' in html
    assert "議事録 2026.pdf" in html
    assert settings.MEDIA_URL not in html
    assert attachment.file.name not in html

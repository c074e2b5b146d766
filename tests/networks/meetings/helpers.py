"""Builders shared by the meeting tests and the 18 × 18 matrix."""

import datetime
import io

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from center.accounts.roles import WARD_STAFF
from center.core.models import Ward
from networks import services_meetings as services
from networks.models import ActionItem, Meeting, MeetingMaterial, WardCenter
from tests.conftest import PASSWORD


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def center_of(code: str) -> WardCenter:
    return WardCenter.objects.select_related("ward").get(ward__code=code)


def make_meeting(*, days: float = 10, **fields) -> Meeting:
    starts = timezone.now() + datetime.timedelta(days=days)
    fields.setdefault("title", f"第{Meeting.objects.count() + 1}回ネットワーク会議")
    fields.setdefault("place", "市民協働推進センター 会議室")
    return Meeting.objects.create(starts_at=starts, **fields)


def make_ward_user(code: str, *, email: str | None = None, language: str = "ja", totp=True):
    from center.accounts.services import user_create

    user = user_create(
        email=email or f"{code}-staff@example.com",
        password=PASSWORD,
        name=f"{code} staff",
        roles=[WARD_STAFF],
        ward=Ward.objects.get(code=code),
        verified=True,
    )
    if language != "ja":
        user.language = language
        user.save(update_fields=["language"])
    if totp:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


def make_action_item(*, owner: WardCenter | None, meeting=None, all_wards=False, **fields):
    fields.setdefault("title", f"対応事項 {owner or 'center'}")
    return ActionItem.objects.create(owner=owner, meeting=meeting, all_wards=all_wards, **fields)


def make_material(meeting, *, title="資料1") -> MeetingMaterial:
    upload = SimpleUploadedFile("shiryo.pdf", pdf_bytes(), content_type="application/pdf")
    return services.material_add(meeting=meeting, title=title, upload=upload, notify=False)


@pytest.fixture
def private_media(settings, tmp_path, monkeypatch):
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
    return location

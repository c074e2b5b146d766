"""Helpers for the hearings, support requests and know-how tests (networks/*_support.py)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from center.core.models import Ward
from consultations.uploads import validate_attachment
from networks import services_support as services
from networks.models import KnowHowCategory, WardCenter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ward_center(code: str) -> WardCenter:
    ward = Ward.objects.get(code=code)
    center, _created = WardCenter.objects.get_or_create(
        ward=ward, defaults={"name": f"{ward.name}民活動支援センター", "name_en": ward.name_en}
    )
    return center


def make_hearing(code: str, year: int = 2025, **answers):
    return services.hearing_create(
        ward_center=ward_center(code),
        fiscal_year=year,
        held_on=datetime.date(year, 7, 1),
        answers=answers or {"issues": f"{code} {year} の課題"},
    )


def file_request(code: str, *, user=None, **fields):
    values = {
        "summary": f"{code} の支援依頼",
        "kind": "founding",
        "urgency": 2,
        "group_name": "みどり子ども食堂",
    }
    values.update(fields)
    return services.support_request_file(ward_center=ward_center(code), filed_by=user, **values)


def pdf_upload(name: str = "資料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_article(
    code: str | None,
    *,
    title: str = "会計講座の組み立て方",
    category: str = "courses",
    body: str = "本文",
    documents=(),
):
    return services.knowhow_save(
        title=title,
        category=KnowHowCategory.objects.get(key=category),
        body=body,
        author=None,
        ward_center=ward_center(code) if code else None,
        documents=[validate_attachment(upload) for upload in documents],
    )


def use_private_storage(tmp_path, settings, monkeypatch):
    """Know-how files go to a temporary private folder (see tests/consultations)."""
    from django.core.files.storage import FileSystemStorage

    from networks.models import KnowHowDocument

    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    monkeypatch.setattr(
        KnowHowDocument._meta.get_field("file"), "storage", FileSystemStorage(location=location)
    )
    return location

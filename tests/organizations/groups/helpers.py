"""Builders for the group registration tests."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from center.accounts.services import user_create
from center.core.models import Ward
from organizations.models import ActivityField, Group, GroupMembership
from organizations.services_groups import group_search_text
from tests.conftest import PASSWORD

SECRET_EMAIL = "secret-contact@example.org"
SECRET_PHONE = "045-123-4567"
SECRET_ADDRESS = "横浜市中区秘密町1-2-3"
SECRET_CONTACT = "連絡 花子"

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="kiyaku.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def docx(name="meibo.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/msword")


def make_user(email: str):
    return user_create(email=email, password=PASSWORD, name=email, verified=True)


def make_group(
    name="みどり川の会",
    *,
    kana="みどりかわのかい",
    status=Group.Status.APPROVED,
    valid_until: datetime.date | None = None,
    ward="naka",
    kind=Group.Kind.VOLUNTARY,
    fields=(7,),
    admin=None,
    member=None,
    listed=True,
    description="川の清掃",
):
    group = Group(
        name=name,
        name_kana=kana,
        kind=kind,
        representative_name="代表 太郎",
        contact_name=SECRET_CONTACT,
        contact_email=SECRET_EMAIL,
        contact_phone=SECRET_PHONE,
        postal_code="231-0001",
        address=SECRET_ADDRESS,
        ward=Ward.objects.get(code=ward),
        description=description,
        member_count=10,
        status=status,
        listed_publicly=listed,
        valid_until=(
            valid_until
            if valid_until is not None
            else (
                timezone.localdate() + datetime.timedelta(days=100)
                if status == Group.Status.APPROVED
                else None
            )
        ),
    )
    group.search_text = group_search_text(group)
    group.save()
    group.fields.set(ActivityField.objects.filter(number__in=fields))
    if admin is not None:
        GroupMembership.objects.create(group=group, user=admin, role=GroupMembership.Role.ADMIN)
    if member is not None:
        GroupMembership.objects.create(group=group, user=member)
    return group


def application_data(**overrides) -> dict:
    data = {
        "name": "あおぞら読み聞かせの会",
        "name_kana": "あおぞらよみきかせのかい",
        "kind": "voluntary",
        "representative_name": "青空 太郎",
        "contact_name": "青空 花子",
        "contact_email": "aozora@example.org",
        "contact_phone": "045-111-2222",
        "postal_code": "２３１－００２３",
        "address": "横浜市中区山下町1-1",
        "ward": str(Ward.objects.get(code="naka").pk),
        "fields": ["2", "13"],
        "sdgs": ["4"],
        "description": "図書館で子どもに絵本を読み聞かせています。",
        "website": "https://aozora.example.org/",
        "sns": "",
        "member_count": "12",
        "listed_publicly": "on",
        "rules_document": pdf(),
        "roster_document": docx(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path / "private"


def ensure_activity_fields() -> None:
    """Put back the 20 fields of activity (a data migration) when a transactional test
    flushed them and serialized rollback could not restore them (browser tests)."""
    import importlib

    from django.apps import apps

    if ActivityField.objects.count() < 20:
        migration = importlib.import_module("organizations.migrations.0002_groups")

        class _Editor:
            class connection:  # noqa: N801 - the schema editor's attribute
                alias = "default"

        migration.load_activity_fields(apps, _Editor)

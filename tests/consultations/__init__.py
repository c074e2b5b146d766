"""Helpers for the consultation tests: files made in memory, a valid form post, fixtures.

Fixtures defined here are imported by the test modules that use them as
`from . import private_media_fixture  # noqa: F401`: pytest finds a fixture in a module's
namespace by its `name=`, so this package needs no conftest of its own.
"""

import io
import struct
import time
import zipfile
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from consultations import spam
from consultations.models import Attachment

# Files -----------------------------------------------------------------------------------


def jpeg_bytes(size=(64, 48), *, exif: bool = False, color="teal") -> bytes:
    image = Image.new("RGB", size, color)
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0131] = "SecretCam 1.0"  # Software
        gps = {1: "N", 2: (35.0, 26.0, 39.0), 3: "E", 4: (139.0, 38.0, 18.0)}
        data[0x8825] = gps  # GPSInfo
        options["exif"] = data.tobytes()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def image_bytes(format: str, size=(32, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format=format)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def office_zip_bytes(folder: str = "word", *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Office Open XML package: docx (word), xlsx (xl) or pptx (ppt)."""
    main = {"word": "document.xml", "xl": "workbook.xml", "ppt": "presentation.xml"}[folder]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(f"{folder}/{main}", '<?xml version="1.0"?><document>' + "x" * 5000)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


_END_OF_CHAIN, _FAT_SECTOR, _FREE = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole2_bytes(stream: str = "WordDocument", *, stream_sectors: int = 8) -> bytes:
    """A minimal compound file ([MS-CFB], version 3, 512-byte sectors) as legacy Office
    writes it: sector 0 holds the allocation table, sector 1 the directory (root entry and
    one stream), sectors 2.. the stream."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into(
        "<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, _END_OF_CHAIN, 0, _END_OF_CHAIN, 0
    )
    difat = [0] + [_FREE] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)

    fat = [_FAT_SECTOR, _END_OF_CHAIN]
    fat += [2 + i + 1 for i in range(stream_sectors - 1)] + [_END_OF_CHAIN]
    fat += [_FREE] * (128 - len(fat))
    fat_sector = struct.pack("<128I", *fat)

    def entry(name: str, kind: int, start: int, size: int, child: int = _FREE) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        data = bytearray(128)
        data[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", data, 64, len(encoded), kind, 1)
        struct.pack_into("<III", data, 68, _FREE, _FREE, child)
        struct.pack_into("<IQ", data, 116, start, size)
        return bytes(data)

    directory = (
        entry("Root Entry", 5, _END_OF_CHAIN, 0, child=1)
        + entry(stream, 2, 2, stream_sectors * 512)
        + bytes(256)
    )
    body = b"".join(bytes([65 + i % 26]) * 512 for i in range(stream_sectors))
    return bytes(header) + fat_sector + directory + body


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# The form --------------------------------------------------------------------------------


def started_token(seconds_ago: float = 60) -> str:
    """The signed start time of a form opened `seconds_ago` seconds ago."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds_ago):
        return spam.form_started_token()


def valid_post(**overrides) -> dict:
    """What a person who filled in the whole form correctly sends."""
    data = {
        "requester_type": "civic_group",
        "family_name": "山田",
        "given_name": "花子",
        "family_name_kana": "やまだ",
        "given_name_kana": "ﾊﾅｺ",
        "organization_name": "中区こども食堂ネット",
        "email": "hanako@example.jp",
        "phone": "０４５−１２３−４５６７",
        "preferred_contact": "email",
        "ward": "naka",
        "topic": "activity",
        "title": "こども食堂の会場を探しています",
        "body": "月に2回、地域の子どもたちに食事を出す活動の会場を探しています。",
        "privacy_consent": "on",
        "website": "",
        "form_started": started_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Fixtures --------------------------------------------------------------------------------


@pytest.fixture(name="fresh_cache")
def fresh_cache_fixture():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(name="private_media")
def private_media_fixture(settings, tmp_path, monkeypatch):
    """Attachments go to a temporary private folder.

    The model field evaluated its storage callable once at import, so the field's storage
    is swapped as well as settings.STORAGES (which resets django's storage handler).
    """
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    monkeypatch.setattr(
        Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=location)
    )
    return location

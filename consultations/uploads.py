"""Attachments to a consultation: the type is decided by the content, never by the file name.

Accepted: PDF; JPEG, PNG, GIF and WebP images (re-encoded without EXIF, so the stored copy is
one we made ourselves); Word, Excel and PowerPoint, both the current zip-based formats
(docx, xlsx, pptx) and the legacy OLE2 ones (doc, xls, ppt). Everything else is refused with
a message saying what is accepted. Staff open these files on their own computers, so a file
that pretends to be two things at once (an image carrying HTML, an image that is also a PDF)
or that arrived cut off is refused too, rather than stored and trusted later.
"""

import io
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _

from center.lib.images import reencode_image

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENT_MEGABYTES = MAX_ATTACHMENT_BYTES // (1024 * 1024)
# What the file picker offers first; the server still checks the content.
ACCEPT_ATTRIBUTE = ",".join(
    [".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp"]
    + [".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx"]
)

# Unpacked size and entry count a real Office document stays far below; the limits keep the
# zip integrity check (which inflates every entry) cheap even for a crafted "zip bomb".
_ZIP_MAX_UNPACKED_BYTES = 300 * 1024 * 1024
_ZIP_MAX_ENTRIES = 5000

_OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_IMAGE_MAGIC = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
)
# Markup a browser or a PHP server would act on. An image has no reason to contain any.
# Each pattern is five bytes or more, so the compressed pixels of a 10 MB photo match one
# by chance less than once in a thousand uploads.
_MARKUP = re.compile(
    rb"<script|<html[\s>]|<body[\s>]|<iframe|<svg[\s>]|<\?php|javascript:", re.IGNORECASE
)
# Browsers and PDF readers look for these signatures in the first kilobyte.
_SNIFF_BYTES = 1024

_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
}
# The part folders of Office Open XML packages (ECMA-376), one per application.
_OFFICE_ZIP_PARTS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
# Streams that name a legacy Office document inside its OLE2 container (UTF-16 names).
_OLE2_STREAMS = (
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("Book", "xls"),
    ("PowerPoint Document", "ppt"),
)

MESSAGES = {
    "too_large": _("“%(name)s” is larger than %(limit)s MB. Make it smaller, or send it later."),
    "unsupported": _(
        "“%(name)s” cannot be accepted. Attach a PDF, an image (JPEG, PNG, GIF, WebP) or a "
        "Word, Excel or PowerPoint file."
    ),
    "damaged": _(
        "“%(name)s” seems to be damaged or incomplete. Save it again and attach it once more."
    ),
    "mixed": _(
        "“%(name)s” contains content that does not belong in this type of file, so it cannot "
        "be accepted. Save it again as a plain PDF or image."
    ),
    "macros": _(
        "“%(name)s” contains macros, which we cannot accept. Save it as a document without "
        "macros (docx, xlsx or pptx)."
    ),
    "encrypted": _(
        "“%(name)s” is protected with a password, so we could not open it. Attach it without "
        "the password."
    ),
    "named": _("“%(name)s”: %(reason)s"),
}


@dataclass(frozen=True)
class _Kind:
    extension: str
    is_image: bool = False


def _refuse(code: str, name: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params={"name": name, **params})


def clean_original_name(name: str) -> str:
    """The name the sender gave the file, safe to show and to offer as a download name."""
    name = unicodedata.normalize("NFC", PurePath(str(name or "")).name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf")).strip()
    return name[:200] or "file"


def _with_extension(name: str, extension: str) -> str:
    """Keep the sender's name, but let the extension say what the stored file really is."""
    path = PurePath(name)
    current = path.suffix.lower().lstrip(".")
    if current == extension or {current, extension} == {"jpg", "jpeg"}:
        return name
    return f"{path.stem or 'file'}.{extension}"


def _detect(data: bytes, name: str) -> _Kind:
    """What the bytes are. Raises ValidationError for anything not on the list."""
    head = data[:_SNIFF_BYTES]
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        # A file that is an image *and* a PDF or a web page is built to be read two ways.
        if b"%PDF-" in head or _MARKUP.search(data):
            raise _refuse("mixed", name)
        return _Kind("image", is_image=True)
    if _MARKUP.search(head):
        raise _refuse("mixed", name)
    if data.startswith(b"%PDF-"):
        _check_pdf(data, name)
        return _Kind("pdf")
    if data.startswith(b"PK\x03\x04"):
        return _Kind(_office_zip_kind(data, name))
    if data.startswith(_OLE2_MAGIC):
        return _Kind(_ole2_kind(data, name))
    raise _refuse("unsupported", name)


def _check_pdf(data: bytes, name: str) -> None:
    # A complete PDF ends with %%EOF (PDF 32000-1 §7.5.5, readers look in the last 1024
    # bytes); a file cut off on the way has lost it.
    if b"%%EOF" not in data[-_SNIFF_BYTES:]:
        raise _refuse("damaged", name)


def _office_zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > _ZIP_MAX_ENTRIES or (
                sum(entry.file_size for entry in entries) > _ZIP_MAX_UNPACKED_BYTES
            ):
                raise _refuse("unsupported", name)
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names:
                raise _refuse("unsupported", name)
            found = [
                extension
                for prefix, extension in _OFFICE_ZIP_PARTS
                if any(n.startswith(prefix) for n in names)
            ]
            if len(found) != 1:
                raise _refuse("unsupported", name)
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise _refuse("macros", name)
            # Inflates every entry and checks its CRC: finds truncated or corrupted parts.
            if archive.testzip() is not None:
                raise _refuse("damaged", name)
            return found[0]
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        # A zip without its central directory at the end is the usual cut-off download.
        raise _refuse("damaged", name) from exc
    except NotImplementedError as exc:  # an unsupported compression method
        raise _refuse("unsupported", name) from exc


def _ole2_kind(data: bytes, name: str) -> str:
    """doc, xls or ppt, judged by the streams inside; checks the file is complete."""
    _check_ole2_complete(data, name)
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise _refuse("encrypted", name)
    for stream, extension in _OLE2_STREAMS:
        # Directory entries hold stream names in UTF-16, padded with NUL.
        if (stream + "\0").encode("utf-16-le") in data:
            return extension
    raise _refuse("unsupported", name)


_FREE_SECTOR = 0xFFFFFFFF
_SPECIAL_SECTORS = 0xFFFFFFFA  # and above: end of chain, FAT sector, free...


def _check_ole2_complete(data: bytes, name: str) -> None:
    """Every sector the allocation table uses must be in the file ([MS-CFB] 2.2, 2.3).

    The table itself is read from the sectors the header lists (enough for files up to
    about 7 MB with 512-byte sectors, and for any file up to our size limit with 4096).
    """
    if len(data) < 512:
        raise _refuse("damaged", name)
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise _refuse("damaged", name)
    sector_size = 1 << sector_shift
    fat_sector_count, directory_start = struct.unpack_from("<II", data, 0x2C)
    header_fat_sectors = struct.unpack_from("<109I", data, 0x4C)[: min(fat_sector_count, 109)]

    def sector_in_file(sector: int) -> bool:
        # Sector n starts after the header, which takes one sector's room: (n + 1) * size.
        return sector < _SPECIAL_SECTORS and (sector + 2) * sector_size <= len(data)

    if not header_fat_sectors or not all(sector_in_file(s) for s in header_fat_sectors):
        raise _refuse("damaged", name)
    if not sector_in_file(directory_start):
        raise _refuse("damaged", name)
    entries_per_sector = sector_size // 4
    last_used = -1
    for index, fat_sector in enumerate(header_fat_sectors):
        offset = (fat_sector + 1) * sector_size
        entries = struct.unpack_from(f"<{entries_per_sector}I", data, offset)
        for position, entry in enumerate(entries):
            if entry != _FREE_SECTOR:
                last_used = index * entries_per_sector + position
    if last_used >= 0 and not sector_in_file(last_used):
        raise _refuse("damaged", name)


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def validate_attachment(upload: UploadedFile) -> UploadedFile:
    """Check one uploaded file and return the file to store.

    Raises ValidationError (codes: too_large, unsupported, damaged, mixed, macros,
    encrypted, or the code center.lib.images gave an image) with a message naming the file.
    The returned file is named `<uuid>.<ext>` for storage and carries `original_name`
    (the sender's name, with the extension corrected to the real type) and `content_type`
    (from the content, not from the browser). Images come back re-encoded: no EXIF, GPS or
    anything else but the pixels.
    """
    name = clean_original_name(getattr(upload, "name", ""))
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise _refuse("too_large", name, limit=MAX_ATTACHMENT_MEGABYTES)
    kind = _detect(_read_all(upload), name)
    if kind.is_image:
        try:
            clean = reencode_image(upload)
        except ValidationError as exc:  # truncated, too many pixels...: say which file
            raise ValidationError(
                MESSAGES["named"],
                code=exc.error_list[0].code,
                params={"name": name, "reason": " ".join(exc.messages)},
            ) from exc
        extension = PurePath(clean.name).suffix.lstrip(".")
        stored = SimpleUploadedFile(
            clean.name, clean.read(), content_type=_CONTENT_TYPES[extension]
        )
    else:
        extension = kind.extension
        stored = upload
        stored.name = f"{uuid4().hex}.{extension}"
        stored.content_type = _CONTENT_TYPES[extension]
    stored.original_name = _with_extension(name, extension)
    stored.seek(0)
    return stored

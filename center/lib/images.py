"""Uploaded images: verify, strip metadata, re-encode, make renditions.

Every image a user uploads goes through `reencode_image` (or a form's `VerifiedImageField`)
before it is stored: the stored file is one we encoded ourselves, so it carries no EXIF, GPS
or XMP from the camera, and a crafted file never reaches a browser or WeasyPrint as it came.
"""

import contextlib
import io
import threading
import warnings
from pathlib import Path
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps

# What Pillow may even try to parse: content decides the format, never the file name.
ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# Pillow's JPEG opener returns format "MPO" for a JPEG with a multi-picture extension, as
# many cameras and phones write; every browser reads it as a JPEG.
_OPENED_FORMATS = (*ALLOWED_FORMATS, "MPO")
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/gif,image/webp"

JPEG_QUALITY = 85
_MEGABYTE = 1024 * 1024
_GREY_MODES = {"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "F"}

MESSAGES = {
    "file_too_large": _("The image file is too large. The limit is %(limit)s MB."),
    "invalid_image": _(
        "Upload a JPEG, PNG, GIF or WebP image. The file is not an image, or not in one of "
        "these formats."
    ),
    "too_many_pixels": _(
        "The image has too many pixels. The limit is %(limit)s megapixels; please make it "
        "smaller and upload it again."
    ),
    "corrupt_image": _(
        "The image file is damaged or incomplete. Please save it again and upload it."
    ),
}


def _megabytes(num_bytes: int) -> str:
    return f"{max(num_bytes / _MEGABYTE, 0.01):.2f}".rstrip("0").rstrip(".")


def _megapixels(pixels: int) -> str:
    return f"{max(pixels / 1_000_000, 0.01):.2f}".rstrip("0").rstrip(".")


def _file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    return size


def _rewind(file) -> None:
    # A stored FieldFile may be closed; an UploadedFile may have been read by a validator.
    if getattr(file, "closed", False):
        file.open("rb")
    file.seek(0)


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        MESSAGES["too_many_pixels"],
        code="too_many_pixels",
        params={"limit": _megapixels(max_pixels)},
    )


def _open_checked(file, max_pixels: int) -> Image.Image:
    """Open (headers only) and check the format and the dimensions; pixels stay undecoded."""
    _rewind(file)
    try:
        image = Image.open(file, formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(max_pixels) from exc
    except Image.UnidentifiedImageError as exc:
        raise ValidationError(MESSAGES["invalid_image"], code="invalid_image") from exc
    except Exception as exc:  # a recognised but mangled header: SyntaxError, struct.error...
        raise ValidationError(MESSAGES["corrupt_image"], code="corrupt_image") from exc
    if image.format not in _OPENED_FORMATS:
        raise ValidationError(MESSAGES["invalid_image"], code="invalid_image")
    # Image.open has read only the header: refuse a decompression bomb before decoding.
    if image.width * image.height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return image


_decoding_lock = threading.Lock()


@contextlib.contextmanager
def _strict_decoding():
    """Decode with Pillow's LOAD_TRUNCATED_IMAGES off, whatever the process has set.

    WeasyPrint turns it on for the whole process when imported (weasyprint/images.py),
    and then Pillow pads a truncated JPEG or GIF with grey instead of raising. The flag is
    a module global, so it is switched for the moment of decoding only; a PDF rendered in
    another thread meanwhile would at worst skip a truncated image rather than pad it.
    """
    with _decoding_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def verify_image(
    uploaded_file, *, max_bytes: int | None = None, max_pixels: int | None = None
) -> Image.Image:
    """Check an uploaded file is a sound JPEG, PNG, GIF or WebP and return it decoded.

    Limits default to settings.IMAGE_UPLOAD_MAX_BYTES and settings.IMAGE_MAX_PIXELS, read
    at call time. Raises ValidationError with code `file_too_large`, `invalid_image`,
    `too_many_pixels` or `corrupt_image`. The returned image has its pixels loaded (first
    frame of an animation) and `format` set; the file is rewound for whoever reads it next.
    """
    if max_bytes is None:
        max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if max_pixels is None:
        max_pixels = settings.IMAGE_MAX_PIXELS
    if _file_size(uploaded_file) > max_bytes:
        raise ValidationError(
            MESSAGES["file_too_large"],
            code="file_too_large",
            params={"limit": _megabytes(max_bytes)},
        )
    # Inside Image.open, Pillow warns past Image.MAX_IMAGE_PIXELS and raises past twice
    # that, before our own limit is checked: both mean the same as exceeding max_pixels.
    with warnings.catch_warnings(), _strict_decoding():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # verify() checks structure (PNG chunk CRCs...) and leaves the image unusable,
            # so it is opened a second time to decode the pixels, which finds truncation.
            _open_checked(uploaded_file, max_pixels).verify()
            image = _open_checked(uploaded_file, max_pixels)
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels(max_pixels) from exc
        except Exception as exc:  # OSError, SyntaxError, EOFError, ValueError from plugins
            raise ValidationError(MESSAGES["corrupt_image"], code="corrupt_image") from exc
        finally:
            _rewind(uploaded_file)
    return image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode not in ("RGBA", "LA", "La", "RGBa", "PA") and "transparency" not in image.info:
        return False
    # An alpha channel that is opaque everywhere (common in screenshots) is no reason to
    # store a PNG several times larger than the JPEG.
    alpha = image.convert("RGBA").getchannel("A")
    return alpha.getextrema()[0] < 255


def _encode(image: Image.Image, *, name_stem: str) -> ContentFile:
    """Encode as JPEG, or PNG when the image is transparent, with no metadata at all."""
    grey = image.mode in _GREY_MODES
    if image.mode.startswith("I"):
        # 16-bit greyscale PNG (scanners): scale to 8 bits; convert("L") would clip to white.
        image = image.convert("I").point(lambda value: value / 256)
    # The colour profile describes the pixels, not the person (Display P3 from phones), so
    # it is kept to keep colours right; a CMYK profile no longer fits once converted to RGB.
    icc_profile = image.info.get("icc_profile") if image.mode != "CMYK" else None
    if _has_transparency(image):
        target_mode, output_format, extension = ("LA" if grey else "RGBA"), "PNG", "png"
    else:
        target_mode, output_format, extension = ("L" if grey else "RGB"), "JPEG", "jpg"
    if image.mode != target_mode:
        image = image.convert(target_mode)
    # convert() and exif_transpose() copy `info`, where EXIF, XMP and comments live, and
    # encoders fall back to it; an empty dict leaves them nothing to write but the pixels.
    image.info = {}
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if output_format == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        options.update(optimize=True)
    buffer = io.BytesIO()
    image.save(buffer, format=output_format, **options)
    return ContentFile(buffer.getvalue(), name=f"{name_stem}.{extension}")


def reencode_image(uploaded_file, *, max_side: int | None = None) -> ContentFile:
    """Verify an upload and return a clean copy to store, named `<uuid>.jpg` or `.png`.

    The copy is turned upright from the EXIF orientation, shrunk to fit `max_side` pixels
    on its longer side if given (never enlarged), and carries no EXIF, GPS or XMP. Raises
    ValidationError as `verify_image` does.
    """
    image = ImageOps.exif_transpose(verify_image(uploaded_file))
    if max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return _encode(image, name_stem=uuid4().hex)


def make_rendition(image_file, *, width: int) -> ContentFile:
    """A copy at most `width` pixels wide (never enlarged), metadata-free.

    Named after the source (`<stem>_w<width>.jpg`), so renditions sit next to their image.
    """
    image = ImageOps.exif_transpose(verify_image(image_file))
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    stem = Path(getattr(image_file, "name", "") or "").stem or uuid4().hex
    return _encode(image, name_stem=f"{stem}_w{width}")


class VerifiedImageField(forms.FileField):
    """A FileField whose cleaned value is the re-encoded ContentFile from `reencode_image`.

    Unchanged (the initial file) and cleared (False) values pass through untouched.
    """

    def __init__(self, *, max_side: int | None = None, **kwargs) -> None:
        self.max_side = max_side
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT_ATTRIBUTE)
        return attrs

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if not cleaned or cleaned is initial:
            return cleaned
        return reencode_image(cleaned, max_side=self.max_side)

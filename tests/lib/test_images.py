"""Images are made in memory with Pillow; nothing here touches the disk or the network."""

import io
import random
import re
import struct
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageCms, ImageFile

from center.lib.images import (
    VerifiedImageField,
    make_rendition,
    reencode_image,
    verify_image,
)

UUID_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
)


def image_bytes(format="JPEG", size=(40, 30), mode="RGB", color="red", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=format, **options)
    return buffer.getvalue()


def noisy_image(format: str, size=(256, 256)) -> bytes:
    """Random pixels, so the compressed data is long and a cut lands inside it."""
    pixels = random.Random(0).randbytes(size[0] * size[1] * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(buffer, format=format)
    return buffer.getvalue()


def cut_in_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width x height but holds only a few bytes of pixel data.

    Building a real image that size would take gigabytes; the verifier must refuse the
    file from its header alone, before it decodes (and would fail on) the pixel data.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    # The browser's content type is whatever the client says; nothing here trusts it.
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def rejection(file, **limits) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        verify_image(file, **limits)
    return caught.value


def english(error: ValidationError) -> str:
    with translation.override("en"):
        return error.messages[0]


def camera_jpeg(orientation: int = 6) -> bytes:
    """A 60x40 JPEG as a phone writes it: red top-left quadrant, EXIF with GPS, XMP."""
    image = Image.new("RGB", (60, 40), "blue")
    image.paste("red", (0, 0, 30, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Model] = "Model 7"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 26.0, 40.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (139.0, 38.0, 30.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, xmp=XMP, comment=b"home address")
    return buffer.getvalue()


def opened(content_file) -> Image.Image:
    content_file.seek(0)
    return Image.open(io.BytesIO(content_file.read()))


# verify_image ------------------------------------------------------------------------


def test_text_named_jpg_is_not_an_image():
    error = rejection(upload(b"This is a plain text file, not a photo.\n", "x.jpg"))

    assert error.code == "invalid_image"
    assert english(error) == (
        "Upload a JPEG, PNG, GIF or WebP image. The file is not an image, or not in one of "
        "these formats."
    )


@pytest.mark.parametrize("format", ["BMP", "TIFF", "ICO"])
def test_image_formats_outside_the_four_web_formats_are_refused(format):
    error = rejection(upload(image_bytes(format=format, size=(16, 16)), "x.png"))

    assert error.code == "invalid_image"


def test_content_decides_the_format_not_the_name():
    image = verify_image(upload(image_bytes(format="PNG"), "renamed.jpg"))

    assert image.format == "PNG"
    assert image.size == (40, 30)


@pytest.mark.parametrize("format", ["JPEG", "PNG", "GIF", "WEBP"])
def test_the_four_web_formats_are_accepted(format):
    image = verify_image(upload(image_bytes(format=format), "upload"))

    assert image.format == format


def test_file_over_the_byte_limit_is_refused_with_the_limit_in_mb():
    data = image_bytes() + bytes(3 * 1024 * 1024)

    error = rejection(upload(data), max_bytes=2 * 1024 * 1024)

    assert error.code == "file_too_large"
    assert english(error) == "The image file is too large. The limit is 2 MB."


def test_byte_limit_defaults_to_the_setting_read_at_call_time(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1024 * 1024 + 512 * 1024
    data = image_bytes() + bytes(2 * 1024 * 1024)

    error = rejection(upload(data))

    assert english(error) == "The image file is too large. The limit is 1.5 MB."


def test_huge_dimensions_are_refused_from_the_header_without_decoding():
    # 30000 x 30000 is 900 megapixels: past twice Pillow's own limit, so Image.open raises.
    error = rejection(upload(png_header_only(30_000, 30_000), "bomb.png"))

    # "corrupt_image" would mean the pixels were decoded: there are almost none.
    assert error.code == "too_many_pixels"
    assert english(error) == (
        "The image has too many pixels. The limit is 40 megapixels; please make it smaller "
        "and upload it again."
    )


def test_pillow_bomb_warning_counts_as_too_many_pixels():
    # 100 megapixels: over Image.MAX_IMAGE_PIXELS (a warning in Pillow) but under a
    # max_pixels raised for this test, so only the warning can stop it.
    data = png_header_only(10_000, 10_000)

    error = rejection(upload(data, "bomb.png"), max_pixels=500_000_000)

    assert error.code == "too_many_pixels"


def test_dimensions_over_max_pixels_are_refused():
    error = rejection(upload(image_bytes(size=(100, 100))), max_pixels=5_000)

    assert error.code == "too_many_pixels"
    assert english(error).startswith("The image has too many pixels. The limit is 0.01 megapixels")


@pytest.mark.parametrize("format", ["JPEG", "GIF", "PNG", "WEBP"])
def test_truncated_image_is_refused(format):
    error = rejection(upload(cut_in_half(noisy_image(format))))

    assert error.code == "corrupt_image"
    assert english(error) == (
        "The image file is damaged or incomplete. Please save it again and upload it."
    )


def test_truncated_jpeg_is_refused_although_weasyprint_lets_pillow_pad_it(monkeypatch):
    # Importing weasyprint sets this for the whole process (weasyprint/images.py); Pillow
    # then pads a truncated JPEG with grey instead of raising.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    error = rejection(upload(cut_in_half(noisy_image("JPEG"))))

    assert error.code == "corrupt_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint


def test_png_with_a_damaged_chunk_is_refused():
    data = bytearray(image_bytes(format="PNG", size=(64, 64)))
    idat = data.index(b"IDAT")
    data[idat + 8] ^= 0xFF  # flip a byte of the compressed pixels: the CRC no longer matches

    error = rejection(upload(bytes(data), "x.png"))

    assert error.code == "corrupt_image"


def test_verified_file_is_rewound_for_the_next_reader():
    file = upload(image_bytes())

    verify_image(file)

    assert file.tell() == 0


# reencode_image ----------------------------------------------------------------------


def test_camera_fixture_really_carries_gps_and_xmp():
    # Guards the test below: stripping metadata that was never there proves nothing.
    original = Image.open(io.BytesIO(camera_jpeg()))

    assert original.getexif()[ExifTags.Base.Orientation] == 6
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "xmp" in original.info


def test_reencode_drops_exif_gps_and_xmp_and_applies_orientation():
    result = reencode_image(upload(camera_jpeg()))

    data = result.read()
    image = opened(result)
    assert image.format == "JPEG"
    assert UUID_NAME.match(result.name) and result.name.endswith(".jpg")
    # Orientation 6: the camera was turned a quarter clockwise; upright is 40 wide.
    assert image.size == (40, 60)
    red_corner = image.getpixel((35, 5))  # the red top-left quadrant is now top-right
    assert red_corner[0] > 200 and red_corner[2] < 60
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info
    assert "comment" not in image.info
    for secret in (b"Exif\x00\x00", b"SecretCam", b"adobe:ns:meta", b"home address"):
        assert secret not in data


def test_reencode_names_a_png_upload_by_its_content():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (5, 5, 15, 15))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    result = reencode_image(upload(buffer.getvalue(), "logo.jpg"))

    assert UUID_NAME.match(result.name) and result.name.endswith(".png")
    reopened = opened(result)
    assert reopened.format == "PNG" and reopened.mode == "RGBA"
    assert reopened.getpixel((0, 0))[3] == 0
    assert reopened.getpixel((10, 10)) == (0, 128, 0, 255)


def test_reencode_stores_an_opaque_rgba_image_as_jpeg():
    data = image_bytes(format="PNG", mode="RGBA", color=(10, 20, 30, 255))

    result = reencode_image(upload(data, "screenshot.png"))

    assert result.name.endswith(".jpg")
    assert opened(result).mode == "RGB"


def test_reencode_keeps_gif_transparency_as_png():
    image = Image.new("P", (10, 10), 0)
    image.putpalette([255, 255, 255, 200, 0, 0] + [0, 0, 0] * 254)
    image.paste(1, (2, 2, 8, 8))
    buffer = io.BytesIO()
    image.save(buffer, format="GIF", transparency=0)

    result = reencode_image(upload(buffer.getvalue(), "icon.gif"))

    reopened = opened(result)
    assert result.name.endswith(".png")
    assert reopened.getpixel((0, 0))[3] == 0
    assert reopened.getpixel((5, 5)) == (200, 0, 0, 255)


def test_reencode_turns_greyscale_into_greyscale_jpeg():
    result = reencode_image(upload(image_bytes(format="PNG", mode="L", color=128), "x.png"))

    assert opened(result).mode == "L"


def test_reencode_scales_16_bit_greyscale_instead_of_clipping_it():
    result = reencode_image(upload(image_bytes(format="PNG", mode="I;16", color=30_000), "x.png"))

    assert abs(opened(result).getpixel((0, 0)) - 30_000 // 256) <= 1


def test_reencode_keeps_the_colour_profile():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    result = reencode_image(upload(image_bytes(icc_profile=profile)))

    assert opened(result).info.get("icc_profile") == profile


def test_reencode_fits_max_side_and_never_enlarges():
    large = reencode_image(upload(image_bytes(size=(400, 200))), max_side=100)
    small = reencode_image(upload(image_bytes(size=(40, 20))), max_side=100)

    assert opened(large).size == (100, 50)
    assert opened(small).size == (40, 20)


def test_reencode_refuses_what_verify_refuses():
    with pytest.raises(ValidationError) as caught:
        reencode_image(upload(b"GIF89a but not really", "x.gif"))

    assert caught.value.code == "invalid_image"


# make_rendition ----------------------------------------------------------------------


def test_rendition_is_scaled_to_width_and_named_after_its_source():
    source = reencode_image(upload(image_bytes(size=(400, 300))))

    rendition = make_rendition(source, width=100)

    assert opened(rendition).size == (100, 75)
    assert rendition.name == source.name.replace(".jpg", "_w100.jpg")


def test_rendition_is_never_enlarged():
    rendition = make_rendition(upload(image_bytes(size=(80, 60)), "small.jpg"), width=640)

    assert opened(rendition).size == (80, 60)
    assert rendition.name == "small_w640.jpg"


def test_rendition_carries_no_metadata_and_is_upright():
    rendition = make_rendition(upload(camera_jpeg(), "camera.jpg"), width=20)

    image = opened(rendition)
    assert image.size == (20, 30)
    assert not image.getexif()
    assert b"SecretCam" not in (rendition.seek(0) or rendition.read())


# VerifiedImageField ------------------------------------------------------------------


class PhotoForm(forms.Form):
    photo = VerifiedImageField(max_side=50, required=False)


def test_field_cleans_to_the_reencoded_file():
    form = PhotoForm(files={"photo": upload(camera_jpeg())})

    assert form.is_valid(), form.errors
    photo = form.cleaned_data["photo"]
    assert UUID_NAME.match(photo.name)
    assert opened(photo).size == (33, 50)
    assert not opened(photo).getexif()


def test_field_reports_the_verification_error():
    with translation.override("en"):
        form = PhotoForm(files={"photo": upload(b"not an image", "x.jpg")})

        assert not form.is_valid()
        assert form.errors["photo"] == [
            "Upload a JPEG, PNG, GIF or WebP image. The file is not an image, or not in one "
            "of these formats."
        ]


def test_field_passes_an_unchanged_initial_file_through():
    initial = object()
    field = VerifiedImageField(required=False)

    assert field.clean(None, initial) is initial
    assert field.clean(None) is None


def test_field_tells_the_browser_which_files_to_offer():
    html = str(PhotoForm()["photo"])

    assert 'accept="image/jpeg,image/png,image/gif,image/webp"' in html

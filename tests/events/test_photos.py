"""Event photos: uploads verified and re-encoded (no EXIF), alt text unless decorative, and
shown on the event page with their alt text."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.admin import EventPhotoAdminForm
from events.models import EventPhoto
from tests.events.registration_helpers import make_event

pytestmark = pytest.mark.django_db


def jpeg_with_exif() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x0110] = "Model with location"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("会場.jpg", buffer.getvalue(), content_type="image/jpeg")


def form(files, **data):
    return EventPhotoAdminForm(
        data={"caption": "", "alt_text": "", "is_decorative": "", "order": 0, **data},
        files=files,
    )


def test_a_photo_needs_alt_text_unless_decorative():
    photo_form = form({"image": jpeg_with_exif()})
    assert not photo_form.is_valid()
    assert "alt_text" in photo_form.errors
    assert form({"image": jpeg_with_exif()}, is_decorative="on").is_valid()


def test_a_file_that_is_not_an_image_is_refused_on_the_form():
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    photo_form = form({"image": fake}, alt_text="会場の様子")
    assert not photo_form.is_valid()
    assert "image" in photo_form.errors


def test_an_uploaded_photo_loses_its_exif_and_shows_on_the_event_page(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    event = make_event(title="写真つきのイベント")
    photo_form = form(
        {"image": jpeg_with_exif()}, alt_text="協働ラボで話し合う参加者", caption="前回の様子"
    )
    assert photo_form.is_valid(), photo_form.errors
    photo = photo_form.save(commit=False)
    photo.event = event
    photo.save()
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'alt="協働ラボで話し合う参加者"' in page
    assert "前回の様子" in page
    assert EventPhoto.objects.count() == 1

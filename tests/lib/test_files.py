"""Private downloads: never rendered inline, never cached, 404 when the file is gone."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile, FileField
from django.http import Http404

from center.lib.files import private_file_response


def stored_file(tmp_path, name: str, content: bytes | None) -> FieldFile:
    storage = FileSystemStorage(location=tmp_path)
    if content is not None:
        name = storage.save(name, ContentFile(content))
    field = FileField(storage=storage)
    field.name = "file"
    return FieldFile(instance=None, field=field, name=name)


def test_a_private_file_is_an_uncached_attachment_with_its_original_name(tmp_path):
    response = private_file_response(
        stored_file(tmp_path, "a1b2.pdf", b"%PDF-1.4 minutes"),
        filename="議事録.pdf",
        content_type="application/pdf",
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%AD%B0%E4%BA%8B%E9%8C%B2.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_type_is_sent_as_bytes_and_a_missing_file_is_a_404(tmp_path):
    response = private_file_response(
        stored_file(tmp_path, "x.bin", b"data"), filename="x.bin", content_type=""
    )
    assert response["Content-Type"] == "application/octet-stream"
    # Close the file only: response.close() would send request_finished, which touches
    # the database connection this test has no access to.
    response.file_to_stream.close()
    with pytest.raises(Http404):
        private_file_response(stored_file(tmp_path, "gone.pdf", None), filename="gone.pdf")

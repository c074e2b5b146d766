"""Public uploads are served under /media/ with caching headers, also with DEBUG off, and
nothing outside MEDIA_ROOT (such as private consultation attachments) can be reached."""

import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    (tmp_path / "media" / "stories").mkdir(parents=True)
    (tmp_path / "media" / "stories" / "photo.jpg").write_bytes(b"\xff\xd8\xffjpeg")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "secret.pdf").write_bytes(b"%PDF secret")
    return tmp_path


def test_a_public_upload_is_served_with_caching_headers(client, media_root):
    response = client.get("/media/stories/photo.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xffjpeg"
    assert response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    ["/media/../private/secret.pdf", "/media/%2e%2e/private/secret.pdf", "/media/missing.jpg"],
)
def test_nothing_outside_media_root_is_served(client, media_root, path):
    response = client.get(path)
    assert response.status_code in (400, 404)  # 400: Django's answer to a path escaping the root
    assert b"%PDF secret" not in response.content


def test_media_answers_only_get_and_head(client, media_root):
    assert client.post("/media/stories/photo.jpg").status_code == 405

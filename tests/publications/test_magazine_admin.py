"""情報誌 in the Django admin: the issue with its inline articles, cover and photo uploads
(bad files are form errors, alt text required), the publish / rebuild actions and the
PDF build status, editing a published issue, and who may use any of it."""

import io
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from PIL import Image

from center.accounts.roles import CENTER_STAFF
from publications.models import CaseStory, MagazineArticle, MagazineIssue, MagazinePhoto
from tests.publications.test_magazine import (
    FAKE_PDF,
    add_article,
    add_story,
    install_fake_render,
    make_issue,
    publish,
)
from tests.publications.test_stories import make_story
from tests.publications.test_story_admin import browser_post_data

pytestmark = pytest.mark.django_db

PdfStatus = MagazineIssue.PdfStatus
CHANGELIST = "/en/admin/publications/magazineissue/"
ADD = "/en/admin/publications/magazineissue/add/"
MAGAZINE_MODELS = ("magazineissue", "magazinearticle", "magazinephoto")


@pytest.fixture
def fake_render(monkeypatch):
    return install_fake_render(monkeypatch)


@pytest.fixture(autouse=True)
def _magazine_permissions(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    # What center/accounts/roles.py should grant center staff (reported to the lead);
    # given here so the tests hold either way.
    Group.objects.get(name=CENTER_STAFF).permissions.add(
        *Permission.objects.filter(
            content_type__app_label="publications", content_type__model__in=MAGAZINE_MODELS
        )
    )
    yield
    cache.clear()


def change_url(issue) -> str:
    return reverse("admin:publications_magazineissue_change", args=[issue.pk])


def article_change_url(article) -> str:
    return reverse("admin:publications_magazinearticle_change", args=[article.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def run_action(client, action: str, *issues):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [issue.pk for issue in issues]}
    )


def jpeg_upload(name="cover.jpg", size=(120, 160)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def issue_data(**overrides) -> dict:
    """The add form as a browser posts it: one standalone article."""
    data = {
        "number": "12",
        "season": "2026年 春号",
        "title": "協働の現場を訪ねて",
        "lead": "",
        "published_on": "",
        "cover_alt_text": "",
        "articles-TOTAL_FORMS": "1",
        "articles-INITIAL_FORMS": "0",
        "articles-MIN_NUM_FORMS": "0",
        "articles-MAX_NUM_FORMS": "1000",
        "articles-0-order": "1",
        "articles-0-kicker": "特集",
        "articles-0-story": "",
        "articles-0-title": "参加者インタビュー",
        "articles-0-lead": "",
        "articles-0-body": "本文です。",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def form_errors(response, field: str) -> list[str]:
    return [error.code for error in response.context["adminform"].form.errors.as_data()[field]]


def article_errors(response) -> dict:
    (inline,) = response.context["inline_admin_formsets"]
    return {
        field: [error.code for error in errors]
        for field, errors in inline.formset.forms[0].errors.as_data().items()
    }


# Who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "city_staff", "tsurumi_staff"])
def test_only_center_staff_have_the_magazine_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(CHANGELIST).status_code in (302, 403)


# Writing an issue --------------------------------------------------------------------------


def test_staff_open_the_list_filters_search_and_add_form(client, center_staff):
    make_issue(3, title="防災特集")
    client.force_login(center_staff)
    for url in (
        CHANGELIST,
        CHANGELIST + "?status__exact=draft&pdf_status__exact=none",
        CHANGELIST + "?q=防災",
        ADD,
        "/en/admin/publications/magazinearticle/",
    ):
        assert client.get(url).status_code == 200, url
    assert "防災特集" in client.get(CHANGELIST + "?q=防災").content.decode()


def test_staff_create_an_issue_with_a_cover_and_an_article(client, center_staff):
    client.force_login(center_staff)
    response = client.post(
        ADD,
        issue_data(cover_image=jpeg_upload(), cover_alt_text="表紙：港の見える丘の写真"),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    issue = MagazineIssue.objects.get()
    assert issue.status == MagazineIssue.Status.DRAFT
    # Re-encoded under a name of our own, not the uploaded file's.
    assert issue.cover_image.name.endswith(".jpg") and "cover.jpg" not in issue.cover_image.name
    assert issue.cover_thumbnail.name.endswith("_w480.jpg")
    assert issue.articles.get().title == "参加者インタビュー"


def test_a_cover_that_is_not_an_image_is_a_form_error(client, center_staff):
    client.force_login(center_staff)
    fake = SimpleUploadedFile("cover.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client.post(ADD, issue_data(cover_image=fake, cover_alt_text="表紙"))
    assert response.status_code == 200
    assert form_errors(response, "cover_image") == ["invalid_image"]
    assert not MagazineIssue.objects.exists()


def test_an_oversized_cover_is_a_form_error(client, center_staff, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    client.force_login(center_staff)
    big = jpeg_upload(size=(600, 800))
    assert big.size > 1000
    response = client.post(ADD, issue_data(cover_image=big, cover_alt_text="表紙"))
    assert response.status_code == 200
    assert form_errors(response, "cover_image") == ["file_too_large"]
    assert "The image file is too large" in response.content.decode()


def test_a_cover_needs_alt_text(client, center_staff):
    client.force_login(center_staff)
    response = client.post(ADD, issue_data(cover_image=jpeg_upload(), cover_alt_text=" "))
    assert response.status_code == 200
    assert form_errors(response, "cover_alt_text") == ["alt_required"]


def test_a_duplicate_issue_number_is_a_form_error(client, center_staff):
    make_issue(12)
    client.force_login(center_staff)
    response = client.post(ADD, issue_data())
    assert response.status_code == 200
    assert form_errors(response, "number") == ["unique"]


def test_an_article_is_a_story_or_its_own_text_not_both_nor_neither(client, center_staff):
    story = make_story("公開中の事例")
    client.force_login(center_staff)
    both = client.post(ADD, issue_data(**{"articles-0-story": str(story.pk)}))
    assert both.status_code == 200
    assert article_errors(both) == {"story": ["story_and_text"]}
    assert "magazine_article_story_or_own_text" not in both.content.decode()
    neither = client.post(
        ADD, issue_data(**{"articles-0-title": "", "articles-0-body": "", "articles-0-kicker": ""})
    )
    # An untouched extra form is skipped; one with only an order set is not.
    assert neither.status_code == 200
    assert article_errors(neither) == {"title": ["required"]}
    story_only = client.post(
        ADD,
        issue_data(
            **{"articles-0-story": str(story.pk), "articles-0-title": "", "articles-0-body": ""}
        ),
    )
    assert story_only.status_code == 302
    assert MagazineArticle.objects.get().story == story


def test_an_unpublished_story_cannot_be_chosen(client, center_staff):
    draft = make_story("下書きの事例", status=CaseStory.Status.DRAFT)
    client.force_login(center_staff)
    response = client.post(
        ADD,
        issue_data(
            **{"articles-0-story": str(draft.pk), "articles-0-title": "", "articles-0-body": ""}
        ),
    )
    assert response.status_code == 200
    assert article_errors(response) == {"story": ["invalid_choice"]}
    assert "Choose a published collaboration story" in response.content.decode()


def test_the_story_autocomplete_offers_published_stories_only(client, center_staff):
    make_story("公開中の防災訓練")
    make_story("下書きの防災訓練", status=CaseStory.Status.DRAFT)
    client.force_login(center_staff)
    response = client.get(
        "/en/admin/autocomplete/",
        {
            "term": "防災",
            "app_label": "publications",
            "model_name": "magazinearticle",
            "field_name": "story",
        },
    )
    assert response.status_code == 200
    assert [row["text"] for row in json.loads(response.content)["results"]] == ["公開中の防災訓練"]


def test_a_standalone_article_gets_photos_with_alt_text_unless_decorative(client, center_staff):
    issue = make_issue()
    article = add_article(issue, "インタビュー")
    client.force_login(center_staff)
    page = client.get(article_change_url(article))
    assert page.status_code == 200

    def post(**photo):
        data = browser_post_data(
            page,
            **{
                "photos-TOTAL_FORMS": "1",
                "photos-0-image": jpeg_upload("IMG_0001.JPG", (64, 48)),
                "photos-0-caption": "相談会の様子",
                "photos-0-order": "0",
                **photo,
            },
        )
        return client.post(article_change_url(article), data)

    missing = post(**{"photos-0-alt_text": "  "})
    assert missing.status_code == 200
    (inline,) = missing.context["inline_admin_formsets"]
    assert [e.code for e in inline.formset.forms[0].errors.as_data()["alt_text"]] == [
        "alt_required"
    ]
    assert not MagazinePhoto.objects.exists()

    decorative = post(**{"photos-0-alt_text": "", "photos-0-is_decorative": "on"})
    assert decorative.status_code == 302
    photo = MagazinePhoto.objects.get()
    assert photo.is_decorative and "IMG_0001" not in photo.image.name

    not_an_image = post(
        **{
            "photos-0-image": SimpleUploadedFile("x.jpg", b"GIF89a broken", "image/gif"),
            "photos-0-alt_text": "説明",
        }
    )
    assert not_an_image.status_code == 200
    (inline,) = not_an_image.context["inline_admin_formsets"]
    assert "image" in inline.formset.forms[0].errors


def test_a_reprinted_story_article_has_no_photo_upload(client, center_staff):
    issue = make_issue()
    article = add_story(issue, make_story("事例"))
    client.force_login(center_staff)
    page = client.get(article_change_url(article))
    assert page.status_code == 200
    assert "photos-TOTAL_FORMS" not in page.content.decode()


# Publishing and the PDF ------------------------------------------------------------------------


def test_publish_action_publishes_and_the_list_shows_the_pdf_status(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    issue = make_issue(4)
    add_article(issue)
    client.force_login(center_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "publish", issue)
    assert response.status_code == 302
    assert any(message.startswith("Published:") for message in messages_of(response))
    issue.refresh_from_db()
    assert issue.status == MagazineIssue.Status.PUBLISHED
    assert issue.pdf_status == PdfStatus.READY
    listing = client.get(CHANGELIST).content.decode()
    assert "Ready</a> (60\xa0bytes)" in listing
    assert 'href="/en/magazine/4/pdf/"' in listing


def test_refused_publication_is_reported_not_a_500(client, center_staff):
    issue = make_issue()  # no article
    client.force_login(center_staff)
    response = run_action(client, "publish", issue)
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "1 issue was not changed" in message
    assert "at least one article" in message


def test_a_failed_build_shows_its_error_and_rebuild_pdf_fixes_it(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    fake_render.error = RuntimeError("image magazine/2025/x.jpg could not be decoded")
    issue = make_issue(4)
    add_article(issue)
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    assert issue.pdf_status == PdfStatus.FAILED
    client.force_login(center_staff)
    listing = client.get(CHANGELIST).content.decode()
    assert "Build failed" in listing
    assert "RuntimeError: image magazine/2025/x.jpg could not be decoded" in listing
    detail = client.get(change_url(issue)).content.decode()
    assert "RuntimeError: image magazine/2025/x.jpg could not be decoded" in detail

    fake_render.error = None
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "rebuild_pdf", issue)
    assert any("PDF being built again" in message for message in messages_of(response))
    issue.refresh_from_db()
    assert issue.pdf_status == PdfStatus.READY and issue.pdf_error == ""


def test_staff_editing_a_published_issue_rebuild_its_pdf(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    issue = make_issue(4)
    add_article(issue, "記事")
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    generation = issue.pdf_generation
    client.force_login(center_staff)
    page = client.get(change_url(issue))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(issue), browser_post_data(page, title="差し替えた特集"))
    assert response.status_code == 302
    rebuilt = gettext("The issue is live with your changes; its PDF is being built again.")
    assert rebuilt in messages_of(response)
    issue.refresh_from_db()
    assert issue.title == "差し替えた特集"
    assert issue.pdf_generation == generation + 1
    assert issue.pdf_status == PdfStatus.READY
    assert len(fake_render.calls) == 2

    # Saving without a change builds nothing.
    page = client.get(change_url(issue))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(issue), browser_post_data(page))
    assert len(fake_render.calls) == 2


def test_editing_an_article_of_a_published_issue_rebuilds_its_pdf(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    issue = make_issue(4)
    article = add_article(issue, "記事")
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    client.force_login(center_staff)
    page = client.get(article_change_url(article))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(article_change_url(article), browser_post_data(page, body="直した本文"))
    assert len(fake_render.calls) == 2
    issue.refresh_from_db()
    assert issue.pdf_status == PdfStatus.READY


def test_a_published_issue_cannot_be_deleted(client, center_staff, fake_render, published):
    client.force_login(center_staff)
    delete = reverse("admin:publications_magazineissue_delete", args=[published.pk])
    assert client.get(delete).status_code == 403
    assert "delete_selected" not in client.get(CHANGELIST).content.decode()


@pytest.fixture
def published(center_staff, fake_render, django_capture_on_commit_callbacks):
    issue = make_issue()
    add_article(issue)
    return publish(issue, center_staff, django_capture_on_commit_callbacks)


def test_change_page_links_to_the_previews(client, center_staff, fake_render):
    issue = make_issue(9)
    client.force_login(center_staff)
    html = client.get(change_url(issue)).content.decode()
    assert 'href="/magazine/9/pdf/preview/"' in html
    assert 'href="/magazine/9/"' in html
    pdf = client.get("/magazine/9/pdf/preview/")
    assert pdf.status_code == 200 and pdf.content == FAKE_PDF

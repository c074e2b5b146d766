"""情報誌 magazine: the publish → task → stored PDF flow, rebuilds, visibility, the web
version, the archive and its queries, the sitemap.

Most tests replace the PDF renderer with a stub (`fake_render`): they are about the flow,
not the typesetting. test_magazine_pdf.py renders real PDFs and reads them back.
"""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from center.core.models import OutboxMessage
from center.core.services import outbox_sweep
from publications.models import CaseStory, MagazineArticle, MagazineIssue, MagazinePhoto
from publications.services import magazine as magazine_services
from publications.services import (
    magazine_issue_content_changed,
    magazine_issue_publish,
    magazine_issue_return_to_draft,
    magazine_issue_save,
    magazine_pdf_build,
    magazine_pdf_rebuild,
    magazine_story_changed,
)
from tests.publications.test_stories import make_story

pytestmark = pytest.mark.django_db

PdfStatus = MagazineIssue.PdfStatus
FAKE_PDF = b"%PDF-1.7\n% a stub standing in for WeasyPrint's output\n%%EOF\n"
BEING_PREPARED = "The PDF is being prepared"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    # The page cache lives in locmem across tests; the database does not.
    cache.clear()
    yield
    cache.clear()


class FakeRender:
    """Stands in for center.lib.pdf.render_pdf; records what it was asked to print."""

    def __init__(self):
        self.calls: list[dict] = []
        self.error: Exception | None = None
        self.during = None  # a callable run while "rendering" (to race a build)

    def __call__(self, template_name, context, *, language=None):
        self.calls.append({"template": template_name, "context": context, "language": language})
        if self.during is not None:
            self.during()
        if self.error is not None:
            raise self.error
        return FAKE_PDF


def install_fake_render(monkeypatch) -> FakeRender:
    render = FakeRender()
    monkeypatch.setattr(magazine_services, "render_pdf", render)
    return render


@pytest.fixture
def fake_render(monkeypatch):
    return install_fake_render(monkeypatch)


def jpeg(size=(40, 30), color="navy") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def make_issue(number=1, *, title="協働のまちを歩く", season="2025年 秋号", cover=True, **fields):
    issue = MagazineIssue(number=number, title=title, season=season, **fields)
    if cover:
        issue.cover_image = jpeg((60, 80), "teal")
        issue.cover_alt_text = "港の見える丘で話し合う人たち"
    issue.full_clean()
    issue.save()
    return issue


def add_article(issue, title="インタビュー", *, order=0, photos=0, **fields) -> MagazineArticle:
    article = MagazineArticle.objects.create(
        issue=issue,
        order=order,
        title=title,
        lead=fields.pop("lead", f"{title}のリード"),
        body=fields.pop("body", f"## {title}の見出し\n\n{title}の本文です。"),
        **fields,
    )
    for number in range(photos):
        MagazinePhoto.objects.create(
            article=article,
            image=jpeg(),
            caption=f"{title}の写真{number}",
            alt_text=f"{title}の写真{number}の説明",
            order=number,
        )
    return article


def add_story(issue, story, *, order=0, kicker="") -> MagazineArticle:
    return MagazineArticle.objects.create(issue=issue, order=order, story=story, kicker=kicker)


def publish(issue, actor, capture) -> MagazineIssue:
    """Publish and run what commits trigger: the outbox hands the build to the (eager)
    task, as the worker would once the web request has committed."""
    with capture(execute=True):
        magazine_issue_publish(issue=issue, actor=actor)
    issue.refresh_from_db()
    return issue


@pytest.fixture
def published(center_staff, fake_render, django_capture_on_commit_callbacks):
    """A published issue with a built (stub) PDF and two articles."""
    issue = make_issue()
    add_article(issue, "相談会レポート", order=1, photos=1)
    add_article(issue, "センターからのお知らせ", order=2)
    return publish(issue, center_staff, django_capture_on_commit_callbacks)


# Publish → task → stored PDF ----------------------------------------------------------------


def test_issue_page_says_being_prepared_until_the_task_has_stored_the_pdf(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    issue = make_issue(number=7)
    add_article(issue, "相談会レポート")
    with django_capture_on_commit_callbacks() as after_commit:
        magazine_issue_publish(issue=issue, actor=center_staff)
    # Published, but the worker has not run the build yet (the commit hooks are held).
    issue.refresh_from_db()
    assert issue.pdf_status == PdfStatus.PENDING
    assert OutboxMessage.objects.filter(
        task_name="publications.tasks_magazine.build_magazine_pdf",
        args=[issue.pk, issue.pdf_generation],
    ).exists()
    before = client.get("/en/magazine/7/")
    assert before.status_code == 200
    assert BEING_PREPARED in before.content.decode()
    assert "/magazine/7/pdf/" not in before.content.decode()
    assert client.get("/en/magazine/7/pdf/").status_code == 404

    for callback in after_commit:
        callback()  # the outbox hands the build to the (eager) task
    issue.refresh_from_db()
    assert issue.pdf_status == PdfStatus.READY
    assert issue.pdf_size == len(FAKE_PDF)
    # The cached "being prepared" page was dropped when the file became ready.
    after = client.get("/en/magazine/7/").content.decode()
    assert BEING_PREPARED not in after
    assert 'href="/en/magazine/7/pdf/"' in after
    assert f"{len(FAKE_PDF)}\xa0bytes" in after  # the file size next to the link
    download = client.get("/en/magazine/7/pdf/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == FAKE_PDF
    assert "filename*=utf-8''" in download["Content-Disposition"].lower()


def test_publishing_sets_the_date_and_renders_in_japanese(published, fake_render):
    assert published.status == MagazineIssue.Status.PUBLISHED
    assert published.published_on is not None and published.published_at is not None
    (call,) = fake_render.calls
    assert call["template"] == "pdf/publications/magazine.html"
    assert call["language"] == "ja"
    assert [a.title for a in call["context"]["articles"]] == [
        "相談会レポート",
        "センターからのお知らせ",
    ]


def test_a_publication_made_while_redis_is_down_gets_its_pdf_when_the_broker_is_back(
    center_staff, fake_render, broker_down, django_capture_on_commit_callbacks
):
    from center.celery_app import app

    issue = make_issue()
    add_article(issue)
    with django_capture_on_commit_callbacks(execute=True):
        magazine_issue_publish(issue=issue, actor=center_staff)
    issue.refresh_from_db()
    assert issue.status == MagazineIssue.Status.PUBLISHED  # the publication went through
    assert issue.pdf_status == PdfStatus.PENDING
    message = OutboxMessage.objects.get(task_name__endswith="build_magazine_pdf")
    assert message.sent_at is None and message.last_error

    app.conf.task_always_eager = True  # the broker is back (the fixture restores it)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(older_than_seconds=0) == (1, 0)
    issue.refresh_from_db()
    assert issue.pdf_status == PdfStatus.READY


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "city_staff"])
def test_only_center_staff_publish_or_rebuild(request, persona, fake_render):
    actor = request.getfixturevalue(persona)
    issue = make_issue()
    add_article(issue)
    with pytest.raises(PermissionDenied):
        magazine_issue_publish(issue=issue, actor=actor)
    issue.refresh_from_db()
    assert issue.status == MagazineIssue.Status.DRAFT
    with pytest.raises(PermissionDenied):
        magazine_pdf_rebuild(issue=issue, actor=actor)
    assert not OutboxMessage.objects.exists()


def test_an_issue_without_articles_is_not_published(center_staff, fake_render):
    issue = make_issue()
    with pytest.raises(ValidationError) as error:
        magazine_issue_publish(issue=issue, actor=center_staff)
    assert [e.code for e in error.value.error_list] == ["not_publishable"]
    issue.refresh_from_db()
    assert issue.status == MagazineIssue.Status.DRAFT


def test_an_issue_reprinting_an_unpublished_story_is_not_published(center_staff, fake_render):
    issue = make_issue()
    add_story(issue, make_story("下書きの事例", status=CaseStory.Status.DRAFT))
    with pytest.raises(ValidationError) as error:
        magazine_issue_publish(issue=issue, actor=center_staff)
    assert "下書きの事例" in " ".join(error.value.messages)


def test_publishing_twice_is_refused(published, center_staff):
    with pytest.raises(ValidationError):
        magazine_issue_publish(issue=published, actor=center_staff)


# Failures, rebuilds, stale PDFs ---------------------------------------------------------------


def test_a_failed_build_is_recorded_and_a_rebuild_stores_the_pdf(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    fake_render.error = OSError("font cache is not writable")
    issue = make_issue(number=3)
    add_article(issue)
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    assert issue.pdf_status == PdfStatus.FAILED
    assert issue.pdf_error == "OSError: font cache is not writable"
    assert not issue.pdf_file
    # The public sees "being prepared", never an error or a broken link.
    page = client.get("/en/magazine/3/")
    assert page.status_code == 200
    assert BEING_PREPARED in page.content.decode()

    fake_render.error = None
    with django_capture_on_commit_callbacks(execute=True):
        magazine_pdf_rebuild(issue=issue, actor=center_staff)
    issue.refresh_from_db()
    assert issue.pdf_status == PdfStatus.READY
    assert issue.pdf_error == ""
    assert 'href="/en/magazine/3/pdf/"' in client.get("/en/magazine/3/").content.decode()


def test_a_draft_has_no_pdf_to_rebuild(center_staff):
    issue = make_issue()
    with pytest.raises(ValidationError):
        magazine_pdf_rebuild(issue=issue, actor=center_staff)


def test_editing_a_published_issue_rebuilds_its_pdf_and_deletes_the_old_file(
    published, center_staff, fake_render, django_capture_on_commit_callbacks
):
    storage = published.pdf_file.storage
    old_name, old_generation = published.pdf_file.name, published.pdf_generation
    assert storage.exists(old_name)
    with django_capture_on_commit_callbacks() as callbacks:
        assert magazine_issue_content_changed(issue=published, actor=center_staff)
    published.refresh_from_db()
    # Stale: not offered until the new one is ready.
    assert published.pdf_status == PdfStatus.PENDING
    assert published.pdf_generation == old_generation + 1
    for callback in callbacks:
        callback()
    published.refresh_from_db()
    assert published.pdf_status == PdfStatus.READY
    assert published.pdf_file.name != old_name
    assert not storage.exists(old_name)
    assert len(fake_render.calls) == 2


def test_saving_the_issue_form_never_undoes_a_build_that_finished_meanwhile(
    center_staff, fake_render, django_capture_on_commit_callbacks
):
    issue = make_issue()
    add_article(issue)
    with django_capture_on_commit_callbacks() as build:
        magazine_issue_publish(issue=issue, actor=center_staff)
    form_instance = MagazineIssue.objects.get(pk=issue.pk)  # loaded by the admin: pending
    for callback in build:
        callback()  # the worker finishes meanwhile
    form_instance.lead = "はじめに"
    magazine_issue_save(issue=form_instance, actor=center_staff)
    issue.refresh_from_db()
    assert issue.lead == "はじめに"
    assert issue.pdf_status == PdfStatus.READY and issue.pdf_file


def test_editing_a_draft_builds_nothing(center_staff, fake_render):
    issue = make_issue()
    assert magazine_issue_content_changed(issue=issue, actor=center_staff) is False
    assert not OutboxMessage.objects.exists()


def test_a_build_for_an_older_generation_is_skipped(published, fake_render):
    name = published.pdf_file.name
    result = magazine_pdf_build(issue_id=published.pk, generation=published.pdf_generation - 1)
    assert result == "skipped"
    published.refresh_from_db()
    assert published.pdf_file.name == name
    assert len(fake_render.calls) == 1


def test_a_build_overtaken_by_an_edit_keeps_no_file(
    published, center_staff, fake_render, django_capture_on_commit_callbacks
):
    """An edit lands while the build renders: the older build's file is dropped, and the
    issue waits for the newer build instead of showing the outdated PDF."""
    storage = published.pdf_file.storage
    generation = published.pdf_generation

    def edit_meanwhile():
        fake_render.during = None
        with django_capture_on_commit_callbacks(execute=False):
            magazine_issue_content_changed(issue=published, actor=center_staff)

    fake_render.during = edit_meanwhile
    files_before = set(storage.listdir("magazine/pdf")[1])
    assert magazine_pdf_build(issue_id=published.pk, generation=generation) == "skipped"
    published.refresh_from_db()
    assert published.pdf_status == PdfStatus.PENDING
    assert published.pdf_generation == generation + 1
    assert set(storage.listdir("magazine/pdf")[1]) == files_before


def test_a_repeated_build_of_the_same_generation_replaces_the_file(published, fake_render):
    storage = published.pdf_file.storage
    first = published.pdf_file.name
    assert magazine_pdf_build(issue_id=published.pk, generation=published.pdf_generation) == (
        "ready"
    )
    published.refresh_from_db()
    assert published.pdf_file.name != first
    assert not storage.exists(first)
    assert storage.listdir("magazine/pdf")[1] == [published.pdf_file.name.rsplit("/", 1)[1]]


def test_returning_to_draft_takes_the_issue_and_its_pdf_off_the_site(
    client, published, center_staff, django_capture_on_commit_callbacks
):
    storage = published.pdf_file.storage
    name = published.pdf_file.name
    assert client.get("/magazine/1/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        magazine_issue_return_to_draft(issue=published, actor=center_staff)
    published.refresh_from_db()
    assert published.status == MagazineIssue.Status.DRAFT
    assert published.pdf_status == PdfStatus.NOT_BUILT
    assert not storage.exists(name)
    assert client.get("/magazine/1/").status_code == 404
    assert client.get("/magazine/1/pdf/").status_code == 404
    assert "/magazine/1/" not in client.get("/magazine/").content.decode()


def test_a_corrected_story_rebuilds_the_issues_that_reprint_it(
    center_staff, fake_render, django_capture_on_commit_callbacks
):
    story = make_story("港北区の子ども食堂")
    issue = make_issue()
    add_story(issue, story)
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    make_issue(number=2)  # a draft reprinting nothing is left alone
    with django_capture_on_commit_callbacks(execute=True):
        assert magazine_story_changed(story=story) == 1
    assert len(fake_render.calls) == 2


def test_withdrawing_or_republishing_a_story_rebuilds_the_issues_that_reprint_it(
    center_staff, fake_render, django_capture_on_commit_callbacks
):
    from publications.services.stories import story_publish, story_withdraw

    story = make_story("港北区の子ども食堂")
    issue = make_issue()
    add_story(issue, story)
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        story_withdraw(story=story, actor=center_staff)
    assert len(fake_render.calls) == 2
    with django_capture_on_commit_callbacks(execute=True):
        story_publish(story=story, actor=center_staff)
    assert len(fake_render.calls) == 3


# Who sees what -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [None, "outsider", "coordinator", "tsurumi_staff"])
def test_a_draft_is_not_found_for_anyone_but_center_staff(client, request, persona):
    issue = make_issue(number=5)
    add_article(issue, "未公開の記事")
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for url in ("/magazine/5/", "/en/magazine/5/", "/magazine/5/pdf/", "/magazine/5/pdf/preview/"):
        assert client.get(url).status_code == 404, url
    assert "未公開の記事" not in client.get("/magazine/").content.decode()


def test_center_staff_preview_a_draft_and_its_pdf(client, center_staff, fake_render):
    issue = make_issue(number=5)
    add_article(issue, "未公開の記事")
    client.force_login(center_staff)
    response = client.get("/en/magazine/5/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Preview." in body and "未公開の記事" in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]
    pdf = client.get("/magazine/5/pdf/preview/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == FAKE_PDF
    assert pdf["Content-Disposition"].startswith("inline;")
    # Previewing stores nothing and publishes nothing.
    issue.refresh_from_db()
    assert issue.status == MagazineIssue.Status.DRAFT and not issue.pdf_file


def test_unknown_or_absurd_issue_numbers_are_404(client):
    for url in ("/magazine/999/", "/magazine/0/", "/magazine/" + "9" * 40 + "/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/magazine/abc/").status_code == 404


# The web version ------------------------------------------------------------------------------


def _article_titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="mt-2" id="article-\d+-title">([^<]+)</h2>', html)


def test_articles_appear_in_their_order_with_a_contents_list_of_anchors(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    issue = make_issue()
    third = add_article(issue, "三番目", order=30)
    first = add_article(issue, "一番目", order=10)
    second = add_story(issue, make_story("二番目の事例", summary="事例の概要文"), order=20)
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    html = client.get("/magazine/1/").content.decode()
    assert _article_titles(html) == ["一番目", "二番目の事例", "三番目"]
    anchors = re.findall(r'<li><a href="#(article-\d+)">', html)
    assert anchors == [f"article-{first.pk}", f"article-{second.pk}", f"article-{third.pk}"]
    for anchor in anchors:
        assert f'id="{anchor}"' in html
    assert html.count("<h1") == 1


def test_a_story_article_reprints_the_story_and_links_to_it(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    story = make_story("町内会と企業の防災訓練", summary="合同で訓練しました。", photos=2)
    story.body = "## きっかけ\n\n地震への備えを話し合いました。"
    story.save()
    issue = make_issue()
    add_story(issue, story, kicker="特集")
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    html = client.get("/magazine/1/").content.decode()
    assert "町内会と企業の防災訓練" in html and "合同で訓練しました。" in html
    # The story body's "##" heading sits under the article's <h2>.
    assert "<h3>きっかけ</h3>" in html
    assert html.count('alt="写真') == 2
    assert f'href="/stories/{story.pk}/"' in html
    assert "特集" in html


def test_a_story_withdrawn_from_the_site_leaves_the_magazine_too(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    story = make_story("取り下げる事例")
    issue = make_issue()
    add_story(issue, story, order=1)
    add_article(issue, "残る記事", order=2)
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    story.status = CaseStory.Status.WITHDRAWN
    story.save()
    cache.clear()
    html = client.get("/magazine/1/").content.decode()
    assert "取り下げる事例" not in html
    assert _article_titles(html) == ["残る記事"]
    assert "取り下げる事例" not in client.get("/magazine/").content.decode()


def test_the_web_version_in_english(client, published):
    response = client.get("/en/magazine/1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Contents" in html and "Magazine no. 1" in html and "Download the PDF" in html
    # The articles themselves are Japanese text, marked so for screen readers.
    assert '<h1 lang="ja">協働のまちを歩く</h1>' in html
    assert 'href="/en/magazine/"' in html


def test_issue_page_has_open_graph_tags_with_the_cover(client, published, settings):
    html = client.get("/magazine/1/").content.decode()
    cover = f"{settings.SITE_URL}{published.cover_image.url}"
    assert f'<meta property="og:image" content="{cover}">' in html
    assert '<meta property="og:image:alt" content="港の見える丘で話し合う人たち">' in html
    assert '<meta property="og:type" content="article">' in html


def test_markup_in_a_standalone_article_is_sanitised(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    issue = make_issue()
    add_article(issue, "安全", body='<script>alert(1)</script>本文<img src=x onerror="alert(2)">')
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    html = client.get("/magazine/1/").content.decode()
    assert "alert(" not in html
    assert "本文" in html
    pdf_context_body = str(fake_render.calls[0]["context"]["articles"][0].body_html)
    assert "alert(" not in pdf_context_body


# The archive --------------------------------------------------------------------------------


def test_archive_lists_published_issues_newest_first_with_covers_and_downloads(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    for number, day in ((1, datetime.date(2025, 4, 1)), (2, datetime.date(2025, 10, 1))):
        issue = make_issue(number, title=f"第{number}号の特集", published_on=day)
        add_article(issue, f"第{number}号の記事")
        magazine_issue_save(issue=issue, actor=center_staff, cover_changed=True)  # thumbnail
        publish(issue, center_staff, django_capture_on_commit_callbacks)
    make_issue(3, title="下書きの号")
    html = client.get("/en/magazine/").content.decode()
    assert html.index("第2号の特集") < html.index("第1号の特集")
    assert "下書きの号" not in html
    assert 'href="/en/magazine/2/pdf/"' in html and 'href="/en/magazine/1/pdf/"' in html
    assert html.count("_w480") == 2  # the cover thumbnails, not the full covers
    assert "第2号の記事" in html


def test_archive_without_issues(client):
    response = client.get("/en/magazine/")
    assert response.status_code == 200
    assert "No issues are published yet." in response.content.decode()


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_archive_queries_do_not_grow_with_the_number_of_issues(
    client,
    center_staff,
    fake_render,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    issue = make_issue(1)
    add_article(issue, "記事", photos=1)
    add_story(issue, make_story("事例"), order=2)
    publish(issue, center_staff, django_capture_on_commit_callbacks)
    one = _queries(client, "/magazine/")
    for number in range(2, 8):
        issue = make_issue(number)
        add_article(issue, f"記事{number}", photos=2)
        add_story(issue, make_story(f"事例{number}"), order=2)
        publish(issue, center_staff, django_capture_on_commit_callbacks)
    cache.clear()
    with django_assert_max_num_queries(one):
        response = client.get("/magazine/")
    assert response.content.decode().count('class="border-top py-4"') == 7
    assert one <= 3  # issues, their articles (with the story titles), the session-less rest


def test_issue_page_queries_do_not_grow_with_articles_or_photos(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    small = make_issue(1)
    add_article(small, "記事", photos=1)
    add_story(small, make_story("事例", photos=1, sectors=["npo"]), order=2)
    publish(small, center_staff, django_capture_on_commit_callbacks)
    big = make_issue(2)
    for order in range(6):
        add_article(big, f"記事{order}", order=order, photos=3)
        add_story(
            big, make_story(f"事例{order}", photos=2, sectors=["npo", "company"]), order=10 + order
        )
    publish(big, center_staff, django_capture_on_commit_callbacks)
    assert _queries(client, "/magazine/1/") == _queries(client, "/magazine/2/")


def test_pages_are_cached_for_visitors_and_refreshed_on_publication(
    client, center_staff, fake_render, django_capture_on_commit_callbacks
):
    first = make_issue(1)
    add_article(first)
    publish(first, center_staff, django_capture_on_commit_callbacks)
    assert "第2号" not in client.get("/magazine/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/magazine/")
    assert len(queries) == 0  # served from the page cache
    second = make_issue(2, title="第2号の特集")
    add_article(second)
    publish(second, center_staff, django_capture_on_commit_callbacks)
    assert "第2号の特集" in client.get("/magazine/").content.decode()


# Sitemap --------------------------------------------------------------------------------------


def test_sitemap_lists_published_issues_in_both_languages(client, published):
    make_issue(2, title="下書き")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/magazine/1/</loc>" in xml
    assert "/en/magazine/1/</loc>" in xml
    assert "/magazine/2/" not in xml


def test_a_pdf_file_lost_from_storage_is_404_not_500(client, published):
    published.pdf_file.storage.delete(published.pdf_file.name)
    assert client.get("/magazine/1/pdf/").status_code == 404

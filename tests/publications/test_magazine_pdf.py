"""The magazine PDF, rendered for real (WeasyPrint, Noto Sans CJK JP) and read back with
pdftotext and pypdf: cover, contents whose page numbers point at the articles, running
header, page numbers, photos, Japanese text, A4."""

import io
import re
import subprocess

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from publications.models import MagazineIssue
from tests.conftest import require_command, require_japanese_font
from tests.publications.test_magazine import add_article, add_story, make_issue, publish
from tests.publications.test_stories import make_story

pytestmark = pytest.mark.django_db

A4_POINTS = (595.3, 841.9)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    yield
    cache.clear()


def page_texts(pdf: bytes, tmp_path) -> list[str]:
    """pdftotext -layout, one string per page."""
    require_command("pdftotext", "poppler-utils")
    path = tmp_path / "magazine.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    ).stdout
    return text.split("\f")[: len(PdfReader(io.BytesIO(pdf)).pages)]


def compact(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def built_issue(center_staff, django_capture_on_commit_callbacks):
    """A published issue, its PDF built by the task: a story and two articles of its own,
    one long enough to run over two pages."""
    require_japanese_font()
    story = make_story(
        "町内会と企業が一緒に防災訓練",
        summary="本町一丁目町内会と近くの企業が、初めて合同で防災訓練を開きました。",
        photos=1,
        sectors=["neighbourhood", "company"],
    )
    issue = make_issue(
        12,
        title="協働が生まれる現場から",
        season="2025年 秋号",
        lead="異なる主体が出会い、一緒に動き出した現場を訪ねました。",
    )
    add_story(issue, story, order=1, kicker="特集")
    long_body = "\n\n".join(
        f"## 問{number}\n\n" + "相談会では、活動の悩みを一緒に整理しました。" * 12
        for number in range(1, 9)
    )
    add_article(
        issue,
        "市民協働相談会の参加者インタビュー",
        order=2,
        kicker="相談会レポート",
        body=long_body,
        photos=3,
    )
    add_article(issue, "センターからのお知らせ", order=3, body="- 年末年始は休館します。")
    issue = publish(issue, center_staff, django_capture_on_commit_callbacks)
    assert issue.pdf_status == MagazineIssue.PdfStatus.READY, issue.pdf_error
    with issue.pdf_file.open("rb") as stored:
        return issue, stored.read()


def test_the_pdf_has_a_cover_contents_with_page_numbers_and_japanese_text(built_issue, tmp_path):
    issue, pdf = built_issue
    pages = page_texts(pdf, tmp_path)
    assert len(pages) >= 5

    cover = compact(pages[0])
    assert "協働が生まれる現場から" in cover and "2025年秋号" in cover
    assert "異なる主体が出会い" in cover

    # Every page after the cover carries its number at the foot and the running header.
    for number, text in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[-1] == str(number), (number, lines[-3:])
        assert "2025年 秋号" in lines[0], (number, lines[0])

    # The contents (page 2) list each article with the page its heading is printed on.
    contents = pages[1]
    titles = [
        "町内会と企業が一緒に防災訓練",
        "市民協働相談会の参加者インタビュー",
        "センターからのお知らせ",
    ]
    listed = []
    for title in titles:
        match = re.search(re.escape(title) + r"\s*\.+\s*(\d+)", contents)
        assert match, f"{title} is not in the contents:\n{contents}"
        listed.append(int(match[1]))
    actual = [
        next(n for n, text in enumerate(pages[2:], start=3) if title in text.split("\n", 3)[-1])
        for title in titles
    ]
    assert listed == actual
    # The long interview runs over more than one page, so the pages are really counted.
    assert listed[2] - listed[1] >= 2

    body = compact("".join(pages[2:]))
    assert "本町一丁目町内会と近くの企業が" in body  # the story's summary, reprinted
    assert "相談会では、活動の悩みを一緒に整理しました。" in body
    assert "問1" in body and "年末年始は休館します。" in body


def test_the_pdf_is_a4_japanese_with_the_cjk_font_and_the_photos(built_issue):
    _issue, pdf = built_issue
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (
            A4_POINTS
        )
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert any("Noto-Sans-CJK-JP" in name for name in fonts), fonts
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 5  # the cover, the story's photo and the interview's three
    assert "協働が生まれる現場から" in reader.metadata.title
    # Bookmarks follow the articles, for navigating the PDF.
    outline = str(reader.outline)
    assert "市民協働相談会の参加者インタビュー" in outline


def test_the_download_is_the_stored_pdf_with_a_japanese_file_name(client, built_issue):
    issue, pdf = built_issue
    response = client.get("/magazine/12/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert int(response["Content-Length"]) == issue.pdf_size == len(pdf)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "2025%E5%B9%B4" in disposition  # 2025年, percent-encoded in filename*


def test_the_demo_has_two_issues_with_their_pdfs_built(
    tmp_path, django_capture_on_commit_callbacks
):
    require_japanese_font()
    from center.accounts import demo as accounts_demo
    from publications.demo import articles, magazine

    with django_capture_on_commit_callbacks(execute=True):
        accounts_demo.load()
        articles.load()
        magazine.load()
        magazine.load()  # idempotent
    first, second = MagazineIssue.objects.order_by("number")
    for issue in (first, second):
        assert issue.status == MagazineIssue.Status.PUBLISHED
        assert issue.pdf_status == MagazineIssue.PdfStatus.READY, issue.pdf_error
        assert issue.cover_thumbnail
    stories = second.articles.filter(story__isnull=False)
    own = second.articles.filter(story__isnull=True)
    assert stories.count() >= 3
    assert own.filter(photos__isnull=False).exists()
    with second.pdf_file.open("rb") as stored:
        text = compact("".join(page_texts(stored.read(), tmp_path)))
    assert "協働が生まれる現場から" in text
    assert compact(own.first().title) in text
    assert compact(stories.first().story.title) in text

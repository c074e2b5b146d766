"""情報誌 pages with content, in both languages: the archive and an issue's web version
(its contents' in-page links, the download or "being prepared") pass axe-core's WCAG 2.1
A/AA rules and have the page structure every public page has. The site-wide crawl sees an
empty archive only, so the pages with issues are checked here."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from publications.models import MagazineArticle, MagazineIssue
from tests.browser.test_accessibility import _check_structure, axe_violations
from tests.publications.test_magazine import add_article, add_story, jpeg, make_issue
from tests.publications.test_stories import make_story

FAKE_PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def issues(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()  # pages cached by an earlier test show rows that are gone
    ready = make_issue(2, title="協働が生まれる現場から")
    add_story(ready, make_story("町内会と企業の防災訓練", photos=1), order=1, kicker="特集")
    add_article(ready, "相談会の参加者インタビュー", order=2, photos=2, kicker="相談会レポート")
    ready.cover_thumbnail = jpeg((48, 64), "teal")
    ready.status = MagazineIssue.Status.PUBLISHED
    ready.published_on = timezone.localdate()
    ready.pdf_status = MagazineIssue.PdfStatus.READY
    ready.pdf_file.save("magazine-002.pdf", ContentFile(FAKE_PDF), save=False)
    ready.pdf_size = len(FAKE_PDF)
    ready.save()
    pending = make_issue(1, title="まちの居場所をつくる人たち", cover=False)
    add_article(pending, "センターのご案内")
    pending.status = MagazineIssue.Status.PUBLISHED
    pending.pdf_status = MagazineIssue.PdfStatus.PENDING
    pending.save()
    yield ready, pending
    cache.clear()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_magazine_pages_are_accessible(page, live_server, issues, language):
    prefix = "" if language == "ja" else "/en"
    problems = []
    for path in ("/magazine/", "/magazine/2/", "/magazine/1/"):
        page.goto(f"{live_server.url}{prefix}{path}")
        problems += [f"{path}: {problem}" for problem in _check_structure(page, language)]
        problems += axe_violations(page)
    assert problems == [], "\n".join(problems)


def test_the_contents_jump_to_the_articles(page, live_server, issues):
    page.goto(f"{live_server.url}/en/magazine/2/")
    page.get_by_role("link", name="相談会の参加者インタビュー").click()
    interview = MagazineArticle.objects.get(title="相談会の参加者インタビュー")
    expect(page).to_have_url(f"{live_server.url}/en/magazine/2/#article-{interview.pk}")
    heading = page.get_by_role("heading", name="相談会の参加者インタビュー", level=2)
    expect(heading).to_be_in_viewport()
    expect(page.get_by_role("link", name="Download the PDF of issue no. 2")).to_be_visible()
    page.goto(f"{live_server.url}/en/magazine/1/")
    expect(page.get_by_role("status")).to_contain_text("The PDF is being prepared")

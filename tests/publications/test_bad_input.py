"""Bad input across news, 協働事例, the talent bank and search: a clear error or an empty
result, never a 500, and never a page that hangs.

The per-subject files test each page's own rules (an unknown category is ignored, a bad
talent filter shows the form's error...). This file is the sweep across them: photo
uploads that are not photos or are too big, through the real admin forms as center staff;
titles of only symbols or emoji, from the admin to the public pages; every public address
with control characters, 10,000-character values and impossible page numbers; and
Markdown that is broken or built to be slow, on the public pages and in the admin preview.
"""

import io
import struct
import time
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from center.core.cache import public_cache_clear
from publications.models import CaseStory, NewsItem, Sector, StoryPhoto, StoryRevision
from publications.services import story_publish
from tests.publications.test_news import make_news
from tests.publications.test_stories import jpeg_bytes, make_story, titles
from tests.publications.test_story_admin import (
    ADD,
    browser_post_data,
    change_url,
    run_action,
    story_data,
)
from tests.publications.test_talent import expertise, make_profile

pytestmark = pytest.mark.django_db

# A page that takes longer than this is broken for its visitor whatever its status; the
# quadratic Markdown inputs below took minutes before center/lib/text.py bounded them.
SLOW_SECONDS = 5


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    public_cache_clear()
    yield
    public_cache_clear()


def stored_files(settings) -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def photo_errors(response, index: int) -> list[str]:
    """The error codes of the photo form at `index` on a re-shown admin page."""
    (photos,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "photos"
    ]
    return [error.code for error in photos.forms[index].errors.as_data().get("image", [])]


def photo_messages(response, index: int) -> list[str]:
    (photos,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "photos"
    ]
    with translation.override("en"):
        return [str(message) for message in photos.forms[index].errors.get("image", [])]


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's
    shape, made without allocating the pixels."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    # IHDR starts at byte 8: length (4), type (4), width (4), height (4), ... then its CRC.
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29]))
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)


# Photos in the admin ----------------------------------------------------------------------


@pytest.fixture
def illustrated_story(center_staff):
    """A published story with one photo, as staff find it when they come to add another."""
    story = make_story("写真のある事例", status=CaseStory.Status.IN_REVIEW, photos=1)
    story_publish(story=story, actor=center_staff)
    return story


def post_second_photo(client, story, upload, **overrides):
    """The change form as a browser sends it: the story edited and a second photo added."""
    page = client.get(change_url(story))
    data = browser_post_data(
        page,
        title="題名も変えた",
        **{
            "photos-1-image": upload,
            "photos-1-alt_text": "二枚目の写真",
            "photos-1-order": "1",
            "_save": "Save",
            **overrides,
        },
    )
    return client.post(change_url(story), data)


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        pytest.param(
            SimpleUploadedFile(
                "会場の写真.jpg",
                "これは写真ではなく、メモ帳で書いた文章です。\n".encode() * 20,
                content_type="image/jpeg",
            ),
            "invalid_image",
            id="text-renamed-jpg",
        ),
        pytest.param(
            SimpleUploadedFile("empty.png", b"", content_type="image/png"),
            "empty",  # refused by Django's own FileField
            id="empty-file",
        ),
        pytest.param(
            SimpleUploadedFile("cut.jpg", jpeg_bytes((400, 300))[:600], content_type="image/jpeg"),
            "corrupt_image",
            id="truncated-jpeg",
        ),
        pytest.param(
            SimpleUploadedFile("bomb.png", png_claiming(8000, 6000), content_type="image/png"),
            "too_many_pixels",
            id="48-megapixel-header",
        ),
    ],
)
def test_a_bad_photo_is_refused_on_the_change_form_and_nothing_stored_is_lost(
    client, center_staff, settings, illustrated_story, upload, code
):
    files_before = stored_files(settings)
    revisions_before = StoryRevision.objects.count()
    client.force_login(center_staff)

    response = post_second_photo(client, illustrated_story, upload)

    assert response.status_code == 200  # the form again, with the error on the field
    assert photo_errors(response, 1) == [code]
    illustrated_story.refresh_from_db()
    assert illustrated_story.title == "写真のある事例"  # the whole save was refused
    (kept,) = StoryPhoto.objects.filter(story=illustrated_story)
    assert Path(kept.image.path).is_file()
    assert stored_files(settings) == files_before
    assert StoryRevision.objects.count() == revisions_before
    # The public page still shows the story and its photo.
    client.logout()
    public = client.get(f"/stories/{illustrated_story.pk}/").content.decode()
    assert kept.image.url in public


def test_a_photo_file_over_the_size_limit_is_refused_with_the_limit_named(
    client, center_staff, settings, illustrated_story
):
    settings.IMAGE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    oversized = jpeg_bytes((64, 48)) + b"\0" * (10 * 1024 * 1024)
    files_before = stored_files(settings)
    client.force_login(center_staff)

    response = post_second_photo(
        client,
        illustrated_story,
        SimpleUploadedFile("huge.jpg", oversized, content_type="image/jpeg"),
    )

    assert response.status_code == 200
    assert photo_errors(response, 1) == ["file_too_large"]
    assert photo_messages(response, 1) == ["The image file is too large. The limit is 10 MB."]
    assert stored_files(settings) == files_before
    assert StoryPhoto.objects.filter(story=illustrated_story).count() == 1


def test_a_photo_larger_than_print_size_is_accepted_and_shrunk(client, center_staff):
    client.force_login(center_staff)
    buffer = io.BytesIO()
    Image.new("RGB", (3600, 600), "navy").save(buffer, format="JPEG")
    upload = SimpleUploadedFile("panorama.jpg", buffer.getvalue(), content_type="image/jpeg")

    response = client.post(
        ADD,
        story_data(
            **{
                "photos-TOTAL_FORMS": "1",
                "photos-0-image": upload,
                "photos-0-alt_text": "港の全景",
                "photos-0-order": "0",
            }
        ),
    )

    assert response.status_code == 302
    with StoryPhoto.objects.get().image.open("rb") as stored:
        assert Image.open(stored).size == (2400, 400)


# Titles of only symbols or emoji ----------------------------------------------------------

SYMBOL_TITLES = ["★☆♪", "🎉🎉", "※→〒♨", "👨‍👩‍👧‍👦🏳️‍🌈"]


@pytest.mark.parametrize("title", SYMBOL_TITLES)
def test_a_news_title_of_only_symbols_is_saved_in_the_admin_and_shown(client, center_staff, title):
    client.force_login(center_staff)
    add_page = client.get("/admin/publications/newsitem/add/")
    data = browser_post_data(
        add_page, title=title, body="本文", is_published="on", category="notice", _save="Save"
    )
    response = client.post("/admin/publications/newsitem/add/", data)
    assert response.status_code == 302, response.context and response.context["errors"]

    item = NewsItem.objects.get()
    assert item.title == title
    client.logout()
    detail = client.get(f"/news/{item.pk}/")
    assert detail.status_code == 200
    assert f'<h1 id="news-title">{title}</h1>' in detail.content.decode()
    assert title in client.get("/news/").content.decode()
    assert title in client.get("/news/feed/rss/").content.decode()


@pytest.mark.parametrize("title", SYMBOL_TITLES)
def test_a_story_title_of_only_symbols_is_saved_published_and_found(client, center_staff, title):
    client.force_login(center_staff)
    response = client.post(ADD, story_data(title=title))
    assert response.status_code == 302
    story = CaseStory.objects.get()
    run_action(client, "submit_for_review", story)
    run_action(client, "publish", story)

    client.logout()
    assert client.get(f"/stories/{story.pk}/").status_code == 200
    assert titles(client.get("/stories/")) == [title]
    found = client.get("/search/", {"q": title})
    assert found.status_code == 200
    assert f"/stories/{story.pk}/" in [result.url for result in found.context["page"]]


@pytest.mark.parametrize(
    ("title", "field_error"),
    [
        ("\x00", "null_characters_not_allowed"),
        ("   \u3000 ", "required"),
        ("🎉" * 201, "max_length"),
    ],
)
def test_an_impossible_title_is_a_form_error_not_a_500(client, center_staff, title, field_error):
    client.force_login(center_staff)
    news_page = client.get("/admin/publications/newsitem/add/")
    news = client.post(
        "/admin/publications/newsitem/add/",
        browser_post_data(news_page, title=title, body="本文", _save="Save"),
    )
    story = client.post(ADD, story_data(title=title))

    for response in (news, story):
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors.as_data()
        assert [error.code for error in errors["title"]] == [field_error]
    assert not NewsItem.objects.exists() and not CaseStory.objects.exists()


def test_two_hundred_emoji_fit_the_title(client, center_staff):
    client.force_login(center_staff)
    assert client.post(ADD, story_data(title="🎉" * 200)).status_code == 302
    assert CaseStory.objects.get().title == "🎉" * 200


# Hostile addresses on every public page ---------------------------------------------------

LONG = "あ" * 10_000
HOSTILE_QUERIES = [
    "page=%00",
    "page=%1F",
    "page=\x1f",
    "page=abc",
    "page=999999",
    "page=-1",
    "page=1e3",
    "page=" + "9" * 10_000,
    "q=%00%1F%7F",
    "q=" + quote(LONG),
    "q=\x1f%E5%8D%94%E5%83%8D",
    "ward=%00",
    "ward=atlantis",
    "ward=" + quote(LONG),
    "sdg=%1F",
    "sdg=18",
    "sector=nope",
    "theme=abc",
    "theme=999999",
    "category=%00",
    "category=" + quote(LONG),
    "expertise=%1F",
    "expertise=999999",
    "%00=%00",
    quote(LONG) + "=1",
    "page=1&page=2&ward=naka&ward=seya",
]


@pytest.fixture
def everything():
    child = expertise()
    news = make_news(title="協働のお知らせ")
    story = make_story("協働の事例", sdgs=[4], sectors=[Sector.NPO], photos=1)
    profile = make_profile(fields=[child], wards=["naka"])
    return {"news": news, "story": story, "profile": profile}


def public_paths(everything) -> list[str]:
    news, story, profile = everything["news"], everything["story"], everything["profile"]
    return [
        "/news/",
        f"/news/{news.pk}/",
        "/news/feed/rss/",
        "/news/feed/atom/",
        "/stories/",
        f"/stories/{story.pk}/",
        "/stories/feed/rss/",
        "/stories/feed/atom/",
        "/search/",
        "/talent/",
        f"/talent/{profile.pk}/",
        f"/talent/{profile.pk}/contact/",
        "/en/stories/",
        "/en/search/",
        "/en/talent/",
    ]


@pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")
def test_no_public_address_answers_a_500_whatever_its_query_string(client, everything):
    answers = {}
    for path in public_paths(everything):
        for query in HOSTILE_QUERIES:
            started = time.monotonic()
            status = client.get(f"{path}?{query}").status_code
            answers[(path, query[:40])] = (status, time.monotonic() - started < SLOW_SECONDS)

    # The talent list answers a filter it cannot apply with its form's error (a 400, so it
    # is never cached); every other page ignores what it does not understand.
    wrong = {
        key: answer
        for key, answer in answers.items()
        if answer != (200, True) and not (key[0].endswith("/talent/") and answer == (400, True))
    }
    assert wrong == {}


def test_an_impossible_page_number_shows_the_last_page_of_each_list(client, everything):
    for path in ("/news/", "/stories/", "/search/?q=%E5%8D%94%E5%83%8D&"):
        separator = "" if path.endswith("&") else "?"
        response = client.get(f"{path}{separator}page=999999")
        assert response.status_code == 200
        page = response.context.get("page") or response.context.get("page_obj")
        assert page.number == page.paginator.num_pages


def test_a_10000_character_query_is_cut_and_answers_without_a_match(client, everything):
    response = client.get("/search/", {"q": "協働" + "\x1f" + "あ" * 10_000})
    assert response.status_code == 200
    assert len(response.context["query"].text) <= 100
    assert response.context["page"] is not None  # searched, with no crash and no match
    assert list(response.context["page"]) == []


# Broken and hostile Markdown -------------------------------------------------------------

BROKEN_BODIES = [
    pytest.param("[" * 20_000, id="20000-open-brackets"),
    pytest.param("![" * 10_000, id="10000-open-images"),
    pytest.param("[a](" * 5_000, id="5000-open-links"),
    pytest.param("<a\n\n" * 5_000, id="5000-unclosed-tags"),
    pytest.param("a\n=\n" * 5_000, id="5000-underlined-headings"),
    pytest.param("- a\n***\n" * 2_500, id="2500-rules-in-a-list"),
    pytest.param("<div><p><table><tr><td>**太字", id="unclosed-html"),
    pytest.param("<script>alert(1)</script><img src=x onerror=alert(2)>本文", id="script"),
    pytest.param("```\nコード\n" + "> " * 2_000, id="unclosed-fence-deep-quote"),
]


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


@pytest.mark.parametrize("body", BROKEN_BODIES)
def test_a_story_with_broken_markdown_renders_everywhere_quickly(client, center_staff, body):
    story = make_story("壊れた本文の協働事例", body=body + "\n\n終わりの段落")

    for url in (f"/stories/{story.pk}/", "/stories/", "/search/?q=%E7%B5%82%E3%82%8F%E3%82%8A"):
        public_cache_clear()
        response, seconds = timed_get(client, url)
        assert response.status_code == 200, url
        assert seconds < SLOW_SECONDS, (url, seconds)
        page = response.content.decode()
        assert "<script>alert" not in page and "onerror" not in page
    assert "壊れた本文の協働事例" in page  # the search found it by its last paragraph

    client.force_login(center_staff)
    response, seconds = timed_get(client, change_url(story))  # the admin's preview
    assert response.status_code == 200 and seconds < SLOW_SECONDS


def test_a_pathological_body_is_shown_as_its_plain_words(client):
    story = make_story(body="[" * 20_000 + "\n\n**終わり**")
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "[" * 1000 in page
    assert "**終わり**" in page  # plain text: the markup is shown, not applied


def test_long_real_texts_keep_their_markdown(client):
    """The bounds that stop pathological texts leave long honest ones alone."""
    links = "".join(f"- [参加団体{n}](https://example.jp/{n})\n" for n in range(300))
    table = "<table>\n" + "<tr><td>項目</td><td>内容</td></tr>\n" * 500 + "</table>\n"
    sections = "".join(f"## 第{n}章\n\n市民協働の記録です。**要点**あり。\n\n" for n in range(60))
    story = make_story(body=f"{links}\n{table}\n{sections}")

    page = client.get(f"/stories/{story.pk}/").content.decode()

    assert page.count('<a href="https://example.jp/') == 300
    assert page.count("<td>内容</td>") == 500
    assert "<h2>第59章</h2>" in page and "<strong>要点</strong>" in page


@pytest.mark.parametrize("body", BROKEN_BODIES)
def test_a_news_item_with_broken_markdown_renders_quickly(client, body):
    item = make_news(body=body)
    response, seconds = timed_get(client, f"/news/{item.pk}/")
    assert response.status_code == 200 and seconds < SLOW_SECONDS
    assert "<script>alert" not in response.content.decode()


# The admin's own lists -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["category=%00", "status__exact=%00", "status__exact=a%00b", "q=%00", "ward__id__exact=%00"],
)
@pytest.mark.parametrize("model", ["newsitem", "casestory"])
def test_a_nul_in_an_admin_filter_is_an_ignored_filter_not_a_500(
    client, center_staff, everything, model, query
):
    """PostgreSQL refuses NUL in a text parameter: without the guard, a DataError."""
    client.force_login(center_staff)
    response = client.get(f"/admin/publications/{model}/?{query}", follow=True)
    assert response.status_code == 200

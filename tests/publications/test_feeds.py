"""RSS and Atom feeds of news and case stories, and the sitemap entries of the app."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from center.core.cache import public_cache_clear
from publications.feeds import StoryAtomFeed, StoryRssFeed
from publications.models import CaseStory, NewsItem, TalentProfile

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    public_cache_clear()
    yield
    public_cache_clear()


def make_news(**fields) -> NewsItem:
    values = {
        "title": "お知らせ",
        "body": "**本文**です。",
        "is_published": True,
        "publish_from": timezone.now() - datetime.timedelta(days=1),
    }
    values.update(fields)
    return NewsItem.objects.create(**values)


def make_story(title="港北区の子ども食堂", *, published=True, **fields) -> CaseStory:
    return CaseStory.objects.create(
        title=title,
        summary=fields.pop("summary", f"{title}の概要"),
        year=2024,
        status=CaseStory.Status.PUBLISHED if published else CaseStory.Status.DRAFT,
        published_at=fields.pop("published_at", timezone.now()) if published else None,
        **fields,
    )


def rss_items(response) -> list[ET.Element]:
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel").findall("item")


# News feeds ---------------------------------------------------------------------------------


def test_the_news_rss_feed_lists_published_items_newest_first(client, settings):
    now = timezone.now()
    older = make_news(title="古い", publish_from=now - datetime.timedelta(days=3))
    newer = make_news(title="新しい", publish_from=now - datetime.timedelta(hours=1))
    make_news(title="固定の古い", is_pinned=True, publish_from=now - datetime.timedelta(days=9))
    make_news(title="下書き", is_published=False)
    make_news(title="予約", publish_from=now + datetime.timedelta(days=1))
    response = client.get("/news/feed/rss/")
    assert response.status_code == 200
    items = rss_items(response)
    assert [item.findtext("title") for item in items] == ["新しい", "古い", "固定の古い"]
    assert items[0].findtext("link") == f"{settings.SITE_URL}/news/{newer.pk}/"
    assert items[1].findtext("description") == "本文です。"
    assert items[1].findtext("category") == older.get_category_display()
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("link") == f"{settings.SITE_URL}/news/"
    assert channel.findtext("language") == "ja"


def test_the_news_feed_holds_at_most_20_items(client):
    for number in range(25):
        make_news(title=f"お知らせ{number}")
    assert len(rss_items(client.get("/news/feed/rss/"))) == 20


def test_the_news_atom_feed(client, settings):
    item = make_news(title="アトム")
    response = client.get("/news/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["アトム"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"{settings.SITE_URL}/news/{item.pk}/"
    self_link = [el for el in root.findall(f"{ATOM}link") if el.get("rel") == "self"][0]
    assert self_link.get("href") == f"{settings.SITE_URL}/news/feed/atom/"


def test_feed_titles_follow_the_request_language(client):
    make_news(title="Open day")
    english = ET.fromstring(client.get("/en/news/feed/rss/").content).find("channel")
    assert english.findtext("title").startswith("News | ")
    assert english.findtext("language") == "en"
    assert english.findtext("link").endswith("/en/news/")
    assert "/en/news/" in english.find("item").findtext("link")


def test_control_characters_in_a_title_do_not_break_the_feed(client):
    make_news(title="壊れた\x01題名\x0b", body="本文\x02")
    for path in ("/news/feed/rss/", "/news/feed/atom/"):
        response = client.get(path)
        assert response.status_code == 200
        ET.fromstring(response.content)  # well-formed XML
        assert "壊れた題名" in response.content.decode()


def test_an_empty_news_feed_is_valid(client):
    assert rss_items(client.get("/news/feed/rss/")) == []


# Story feeds (wired into views/stories.py by the stories area) ----------------------------


def _call(feed, path="/stories/feed/rss/", language="ja"):
    request = RequestFactory().get(path)
    with translation.override(language):
        return feed(request)


def test_the_story_rss_feed_lists_published_stories_newest_first_with_their_summary(settings):
    now = timezone.now()
    make_story("古い事例", published_at=now - datetime.timedelta(days=30))
    newest = make_story("新しい事例", summary="市民と大学の協働。", published_at=now)
    make_story("下書きの事例", published=False)
    items = rss_items(_call(StoryRssFeed()))
    assert [item.findtext("title") for item in items] == ["新しい事例", "古い事例"]
    assert items[0].findtext("description") == "市民と大学の協働。"
    assert items[0].findtext("link") == f"{settings.SITE_URL}/stories/{newest.pk}/"


def test_the_story_feed_holds_at_most_20_stories():
    for number in range(22):
        make_story(f"事例{number}")
    assert len(rss_items(_call(StoryRssFeed()))) == 20


def test_the_story_atom_feed_in_english():
    make_story("Story")
    response = _call(StoryAtomFeed(), "/en/stories/feed/atom/", "en")
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title").startswith("Collaboration stories | ")
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == ["Story"]


# Sitemap ----------------------------------------------------------------------------------


def sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_published_news_in_both_languages_and_no_draft(client):
    published = make_news(title="公開")
    draft = make_news(title="下書き", is_published=False)
    expired = make_news(
        publish_from=timezone.now() - datetime.timedelta(days=5),
        publish_until=timezone.now() - datetime.timedelta(days=1),
    )
    locations = sitemap_locations(client)
    assert any(loc.endswith(f"/news/{published.pk}/") for loc in locations)
    assert any(loc.endswith(f"/en/news/{published.pk}/") for loc in locations)
    assert not any(loc.endswith(f"/news/{draft.pk}/") for loc in locations)
    assert not any(loc.endswith(f"/news/{expired.pk}/") for loc in locations)
    # The static pages are still there.
    assert any(loc.endswith("/about/") for loc in locations)


def test_the_sitemap_lists_published_stories_and_consenting_talent_only(client):
    story = make_story("公開事例")
    draft = make_story("下書き事例", published=False)
    now = timezone.now()
    listed = TalentProfile.objects.create(
        name="山田 花子", name_kana="やまだ はなこ", is_published=True, consent_given_at=now
    )
    withdrawn = TalentProfile.objects.create(
        name="佐藤 太郎",
        name_kana="さとう たろう",
        is_published=True,
        consent_given_at=now,
        consent_withdrawn_at=now,
    )
    locations = sitemap_locations(client)
    assert any(loc.endswith(f"/stories/{story.pk}/") for loc in locations)
    assert not any(loc.endswith(f"/stories/{draft.pk}/") for loc in locations)
    assert any(loc.endswith(f"/talent/{listed.pk}/") for loc in locations)
    assert not any(loc.endswith(f"/talent/{withdrawn.pk}/") for loc in locations)

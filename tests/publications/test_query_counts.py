"""Every public page of news, 協働事例, the talent bank and search costs the same number of
queries with 3 items as with 30: templates never query, selectors prefetch.

Each page is measured twice through the client with the page cache emptied (a cached page
costs nothing and would prove nothing): once over 3 items of every kind, once after 27 more
were added, each item as rich as real ones (ward, SDGs, themes, partners of two sectors,
photos, fields of expertise, several wards). The two counts must be equal and stay under a
bound, so a new per-row query is caught however the page is reached.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from center.core.cache import public_cache_clear
from publications.models import NewsItem, Sector
from tests.conftest import LAYOUT_QUERIES
from tests.publications.test_news import make_news
from tests.publications.test_stories import make_story, theme
from tests.publications.test_talent import expertise, make_profile

pytestmark = pytest.mark.django_db

FEW = 3
MANY = 30
WARDS = ["naka", "tsurumi", "kohoku", "isogo", "seya"]


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    public_cache_clear()
    yield
    public_cache_clear()


class Corpus:
    """Published news, stories and talent profiles, all matching the search for 協働."""

    def __init__(self):
        self.count = 0
        self.themes = [theme("子育て", "Child-rearing"), theme("防災", "Disaster preparedness")]
        self.fields = [
            expertise("NPO運営", "Running an NPO", 0),
            expertise("協働コーディネート", "Coordinating collaboration", 1),
        ]

    def grow_to(self, total: int) -> None:
        now = timezone.now()
        for number in range(self.count, total):
            ward_code = WARDS[number % len(WARDS)]
            make_news(
                title=f"協働のお知らせ{number}",
                body=f"**市民協働**の催し{number}。[詳しく](https://example.jp/{number})",
                category=NewsItem.Category.EVENT if number % 2 else NewsItem.Category.NOTICE,
                is_pinned=number == 0,
                publish_from=now - datetime.timedelta(hours=number + 1),
            )
            make_story(
                f"協働事例{number}",
                ward_code=ward_code,
                sdgs=[4, number % 17 + 1],
                themes=self.themes,
                sectors=[Sector.NPO, Sector.COMPANY],
                photos=2,
                body=f"## 経緯\n\n市民協働推進の取り組み{number}。",
            )
            make_profile(
                f"協働 太郎{number}",
                f"きょうどう たろう{number:02d}",
                fields=self.fields,
                wards=[ward_code, "naka"],
                photo=number % 2 == 0,
                activities=f"市民協働の相談に応じています（{number}）。",
            )
        self.count = total


@pytest.fixture
def corpus():
    return Corpus()


def count_queries(client, url: str) -> int:
    # One request first: per-process memos (the ward codes, the site pages' texts for the
    # search) are filled once per process, not per page, and are not what is measured.
    client.get(url)
    public_cache_clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def list_urls(corpus: Corpus) -> list[str]:
    child = corpus.themes[0].pk
    field = corpus.fields[0].pk
    return [
        "/news/",
        "/news/?category=event",
        "/news/?page=2",
        "/en/news/",
        "/news/feed/rss/",
        "/stories/",
        "/stories/?ward=naka",
        "/stories/?sdg=4",
        "/stories/?sector=npo",
        f"/stories/?theme={child}",
        f"/stories/?ward=naka&sdg=4&sector=company&theme={child}",
        "/stories/?page=2",
        "/en/stories/",
        "/stories/feed/atom/",
        "/talent/",
        f"/talent/?expertise={field}",
        "/talent/?ward=naka",
        "/en/talent/",
        "/search/?q=%E5%8D%94%E5%83%8D",  # 協働: every news item, story and profile
        "/search/?q=%E5%8D%94%E5%83%8D&page=2",
        "/en/search/?q=%E5%8D%94%E5%83%8D",
    ]


# What each page costs at most; a higher count is a regression even if constant.
LIST_BOUNDS = {
    "/news/": 2,  # count, page
    "/stories/": 7,  # filter choices (3), count, page, SDGs and photos of the cards
    "/talent/": 5,  # filter choices (2), profiles, 2 prefetches
    "/search/": 5,  # news, stories, their partners, profiles, events (a registered source)
}


def bound_for(url: str) -> int:
    path = url.removeprefix("/en").split("?")[0]
    if "/feed/" in path:
        return 2
    return LIST_BOUNDS[path] + LAYOUT_QUERIES


def test_list_pages_cost_the_same_queries_for_3_or_30_items(
    client, corpus, django_assert_max_num_queries
):
    corpus.grow_to(FEW)
    urls = list_urls(corpus)
    few = {url: count_queries(client, url) for url in urls}
    corpus.grow_to(MANY)
    many = {url: count_queries(client, url) for url in urls}

    assert many == few
    for url in urls:
        public_cache_clear()
        with django_assert_max_num_queries(bound_for(url)):
            client.get(url)


def test_lists_with_many_items_still_show_them_all_or_a_full_page(client, corpus):
    """The counts above are of pages that really show the 30 items (or a full page)."""
    corpus.grow_to(MANY)
    assert len(client.get("/news/").context["page"].object_list) == 20
    assert len(client.get("/stories/").context["stories"]) == 12
    assert client.get("/talent/").content.decode().count('class="card h-100"') == MANY
    results = client.get("/search/?q=%E5%8D%94%E5%83%8D").context["page"].paginator.object_list
    kinds = [result.kind for result in results]
    assert [kinds.count(kind) for kind in ("news", "story", "talent")] == [MANY, MANY, MANY]


def detail_urls() -> list[str]:
    """The first item of each kind: the one whose neighbours and related rows grow."""
    from publications.models import CaseStory, TalentProfile

    news = NewsItem.objects.order_by("pk").first()
    story = CaseStory.objects.order_by("pk").first()
    profile = TalentProfile.objects.order_by("pk").first()
    return [
        f"/news/{news.pk}/",
        f"/en/news/{news.pk}/",
        f"/stories/{story.pk}/",
        f"/en/stories/{story.pk}/",
        f"/talent/{profile.pk}/",
        f"/en/talent/{profile.pk}/",
    ]


# A story page: the story and its four prefetches, then the related cards and their two.
DETAIL_BOUNDS = {"news": 1, "stories": 8, "talent": 3}


def test_detail_pages_cost_the_same_queries_for_3_or_30_items(
    client, corpus, django_assert_max_num_queries
):
    corpus.grow_to(FEW)
    urls = detail_urls()
    few = {url: count_queries(client, url) for url in urls}
    corpus.grow_to(MANY)
    # The story also gains photos and partners of its own, and every new story is related.
    from publications.models import CaseStory, StoryPartner

    story = CaseStory.objects.order_by("pk").first()
    for number in range(10):
        StoryPartner.objects.create(story=story, name=f"追加{number}", sector=Sector.CITIZEN)
    many = {url: count_queries(client, url) for url in urls}

    assert many == few
    for url in urls:
        kind = url.removeprefix("/en").split("/")[1]
        public_cache_clear()
        with django_assert_max_num_queries(DETAIL_BOUNDS[kind] + LAYOUT_QUERIES):
            client.get(url)


def test_a_story_page_shows_its_related_stories_with_many_to_choose_from(client, corpus):
    corpus.grow_to(MANY)
    url = detail_urls()[2]
    assert len(client.get(url).context["related"]) == 3

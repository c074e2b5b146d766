"""News: the public list and pages, the staff preview, the page cache, the admin, OGP tags
and bad input."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from center.accounts.roles import CENTER_STAFF, COORDINATOR, ROLES
from center.core.cache import public_cache_clear
from publications.models import NewsItem
from publications.services.news import news_delete, news_save
from tests.conftest import LAYOUT_QUERIES, require

pytestmark = pytest.mark.django_db

LIST_URL = "/news/"
NEWS_PERMISSIONS = ("view_newsitem", "add_newsitem", "change_newsitem", "delete_newsitem")


@pytest.fixture(autouse=True)
def _empty_page_cache():
    public_cache_clear()
    yield
    public_cache_clear()


def make_news(**fields) -> NewsItem:
    now = timezone.now()
    values = {
        "title": "お知らせ",
        "body": "本文です。",
        "is_published": True,
        "publish_from": now - datetime.timedelta(days=1),
    }
    values.update(fields)
    return NewsItem.objects.create(**values)


def detail_url(item: NewsItem, prefix: str = "") -> str:
    return f"{prefix}/news/{item.pk}/"


def grant(user, *codenames: str):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="publications", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)  # a fresh object: no stale permission cache


@pytest.fixture
def news_editor(center_staff):
    """Center staff holding the news permissions (whatever roles.py grants today)."""
    return grant(center_staff, *NEWS_PERMISSIONS)


def html(response) -> str:
    return response.content.decode()


# The public list ------------------------------------------------------------------------


def test_the_list_shows_published_items_pinned_first_then_newest(client):
    now = timezone.now()
    old = make_news(title="古いお知らせ", publish_from=now - datetime.timedelta(days=10))
    new = make_news(title="新しいお知らせ", publish_from=now - datetime.timedelta(hours=1))
    pinned = make_news(
        title="重要なお知らせ", is_pinned=True, publish_from=now - datetime.timedelta(days=30)
    )
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [pinned, new, old]
    page = html(response)
    assert page.index("重要なお知らせ") < page.index("新しいお知らせ") < page.index("古いお知らせ")
    assert f'href="/news/{new.pk}/"' in page


def test_drafts_and_items_outside_their_window_are_not_listed(client):
    now = timezone.now()
    make_news(title="下書き", is_published=False)
    make_news(title="予約投稿", publish_from=now + datetime.timedelta(days=1))
    make_news(
        title="掲載終了",
        publish_from=now - datetime.timedelta(days=5),
        publish_until=now - datetime.timedelta(days=1),
    )
    make_news(title="掲載中", publish_until=now + datetime.timedelta(days=1))
    page = html(client.get(LIST_URL))
    assert "掲載中" in page
    for hidden in ("下書き", "予約投稿", "掲載終了"):
        assert hidden not in page


def test_the_category_filter_shows_one_category(client):
    make_news(title="イベントのお知らせ", category=NewsItem.Category.EVENT)
    make_news(title="募集のお知らせ", category=NewsItem.Category.RECRUITMENT)
    response = client.get(LIST_URL, {"category": "event"})
    assert "イベントのお知らせ" in html(response)
    assert "募集のお知らせ" not in html(response)
    assert 'aria-current="page"' in html(response)


@pytest.mark.parametrize("value", ["nope", "<script>alert(1)</script>", "", "EVENT", "event\x00"])
def test_an_unknown_category_is_ignored(client, value):
    make_news(title="イベントのお知らせ", category=NewsItem.Category.EVENT)
    make_news(title="募集のお知らせ", category=NewsItem.Category.RECRUITMENT)
    response = client.get(LIST_URL, {"category": value})
    assert response.status_code == 200
    assert "イベントのお知らせ" in html(response) and "募集のお知らせ" in html(response)
    assert "<script>alert(1)" not in html(response)


def test_the_list_has_20_items_a_page_and_keeps_the_category_across_pages(client):
    now = timezone.now()
    for number in range(25):
        make_news(
            title=f"イベント{number}",
            category=NewsItem.Category.EVENT,
            publish_from=now - datetime.timedelta(hours=number + 1),
        )
    first = client.get(LIST_URL, {"category": "event"})
    assert len(first.context["page"].object_list) == 20
    assert 'href="?category=event&amp;page=2"' in html(first)
    second = client.get(LIST_URL, {"category": "event", "page": "2"})
    assert len(second.context["page"].object_list) == 5
    assert "イベント24" in html(second)


@pytest.mark.parametrize(
    "value", ["abc", "0", "-1", "9999", "1.5", "1e3", "", "99999999999999999999"]
)
def test_a_bad_page_number_answers_with_a_page_never_a_500(client, value):
    make_news()
    response = client.get(LIST_URL, {"page": value})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_the_list_costs_the_same_queries_for_3_or_40_items(client, django_assert_max_num_queries):
    for _ in range(3):
        make_news()
    with django_assert_max_num_queries(2 + LAYOUT_QUERIES):
        client.get(LIST_URL)
    for _ in range(37):
        make_news()
    public_cache_clear()
    with django_assert_max_num_queries(2 + LAYOUT_QUERIES):
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 20


def test_the_list_says_so_when_there_is_no_news(client):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "<h1>" in html(response)


def test_the_list_advertises_its_feeds(client):
    page = html(client.get(LIST_URL))
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert 'href="/news/feed/rss/"' in page
    assert 'href="/news/feed/atom/"' in page


def test_the_english_list_is_under_en(client):
    make_news(title="Open day")
    response = client.get("/en/news/")
    assert response.status_code == 200
    assert '<html lang="en">' in html(response)
    assert "<h1>News</h1>" in html(response)
    assert 'href="/en/news/feed/rss/"' in html(response)


# One item ---------------------------------------------------------------------------------


def test_a_published_item_shows_its_sanitised_markdown_body(client):
    item = make_news(
        title="協働フォーラム開催",
        body="# 大見出し\n\n**参加無料**です。\n\n<script>alert(1)</script>\n\n[詳細](https://example.jp)",
    )
    response = client.get(detail_url(item))
    assert response.status_code == 200
    page = html(response)
    assert page.count("<h1") == 1
    assert "<h2>大見出し</h2>" in page
    assert "<strong>参加無料</strong>" in page
    assert "alert(1)" not in page
    assert '<a href="https://example.jp" rel="noopener noreferrer">詳細</a>' in page
    assert "Preview" not in page


@pytest.mark.parametrize(
    "fields",
    [
        {"is_published": False},
        {"publish_from": timezone.now() + datetime.timedelta(days=1)},
        {
            "publish_from": timezone.now() - datetime.timedelta(days=5),
            "publish_until": timezone.now() - datetime.timedelta(days=1),
        },
    ],
    ids=["draft", "scheduled", "expired"],
)
@pytest.mark.parametrize("persona", [None, "outsider", "org_member", "tsurumi_staff"])
def test_an_unpublished_item_is_a_404_for_everyone_without_the_permission(
    client, request, fields, persona
):
    item = make_news(title="未公開のお知らせ", **fields)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(detail_url(item))
    assert response.status_code == 404
    assert "未公開のお知らせ" not in html(response)


def test_an_unknown_or_absurd_id_is_a_404(client):
    assert client.get("/news/999999/").status_code == 404
    assert client.get("/news/99999999999999999999999999/").status_code == 404
    assert client.get("/news/abc/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"is_published": False}, "This news item is a draft."),
        ({"publish_from": timezone.now() + datetime.timedelta(days=1)}, "It will be published"),
        (
            {
                "publish_from": timezone.now() - datetime.timedelta(days=5),
                "publish_until": timezone.now() - datetime.timedelta(days=1),
            },
            "Its publication ended",
        ),
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_a_news_editor_previews_an_unpublished_item_with_a_banner(
    client, news_editor, fields, reason
):
    item = make_news(title="下書きのお知らせ", **fields)
    client.force_login(news_editor)
    response = client.get(detail_url(item, "/en"))
    assert response.status_code == 200
    page = html(response)
    assert "Preview — not published." in page
    assert reason in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert f"/admin/publications/newsitem/{item.pk}/change/" in page


def test_the_view_permission_alone_is_enough_to_preview(client, outsider):
    item = make_news(is_published=False)
    client.force_login(grant(outsider, "view_newsitem"))
    response = client.get(detail_url(item))
    assert response.status_code == 200
    assert "/change/" not in html(response)


@pytest.mark.parametrize("persona", ["center_staff", "coordinator"])
def test_center_staff_and_coordinators_may_preview_drafts(client, request, persona):
    role = {"center_staff": CENTER_STAFF, "coordinator": COORDINATOR}[persona]
    require(
        "publications.view_newsitem" in ROLES[role].permissions,
        f"center/accounts/roles.py does not grant publications.view_newsitem to {role} yet",
    )
    item = make_news(is_published=False)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(detail_url(item)).status_code == 200


def test_a_published_item_shows_no_preview_banner_to_editors(client, news_editor):
    item = make_news()
    client.force_login(news_editor)
    assert "Preview" not in html(client.get(detail_url(item)))


@pytest.mark.parametrize("title", ["🎉🎉🎉", "★☆♪→※", "<>&\"'", "ｶﾀｶﾅ　全角　スペース", "Ω≈ç√∫"])
def test_titles_of_only_symbols_or_emoji_display(client, title):
    item = make_news(title=title, body="")
    listed = client.get(LIST_URL)
    shown = client.get(detail_url(item))
    assert listed.status_code == shown.status_code == 200
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;").replace("'", "&#x27;")
    assert escaped in html(listed)
    assert f'<h1 id="news-title">{escaped}</h1>' in html(shown)


def test_the_detail_page_costs_one_query_for_a_visitor(client, django_assert_num_queries):
    item = make_news(body="**本文**")
    with django_assert_num_queries(1 + LAYOUT_QUERIES):
        assert client.get(detail_url(item)).status_code == 200


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "category=%3Cscript%3Ealert(1)%3C/script%3E",
        "page=abc",
        "page=%00",
        "category=%00%01%1b%7f&page=%0d%0a",
        "x=" + "a" * 10_000,
        "category=" + "%E3%81%82" * 3_000,
        "page=1&page=2&category=event&category=notice",
        "%ff%fe=%c0%af",
        "category[]=event",
    ],
)
@pytest.mark.parametrize("path", [LIST_URL, "/en/news/", "/news/feed/rss/", "/news/feed/atom/"])
def test_hostile_query_strings_never_cause_a_500(client, path, query):
    make_news()
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 404)


def test_only_the_lists_own_addresses_are_cached(client):
    from django.core.cache import cache

    make_news()
    client.get(LIST_URL + "?x=" + "a" * 10_000)
    client.get(LIST_URL + "?category=nope")
    assert not [key for key in cache._cache if "public-pages:" in key and "x=aaa" in key]
    first = client.get(LIST_URL + "?category=notice&page=1")
    assert first.has_header("Cache-Control") and "public" in first["Cache-Control"]
    odd = client.get(LIST_URL + "?category=nope")
    assert "public" not in odd.get("Cache-Control", "")


# Page cache and services ----------------------------------------------------------------------


def test_saving_news_through_the_service_refreshes_cached_pages(
    client, django_capture_on_commit_callbacks
):
    item = make_news(title="最初の題名")
    assert "最初の題名" in html(client.get(LIST_URL))
    assert "最初の題名" in html(client.get(detail_url(item)))
    item.title = "新しい題名"
    with django_capture_on_commit_callbacks(execute=True):
        news_save(item=item)
    assert "新しい題名" in html(client.get(LIST_URL))
    assert "新しい題名" in html(client.get(detail_url(item)))
    with django_capture_on_commit_callbacks(execute=True):
        news_delete(item=item)
    assert "新しい題名" not in html(client.get(LIST_URL))
    assert client.get(detail_url(item)).status_code == 404


def test_anonymous_visitors_get_the_cached_list(client, django_assert_num_queries):
    make_news(title="キャッシュ")
    client.get(LIST_URL)
    with django_assert_num_queries(0):
        assert "キャッシュ" in html(client.get(LIST_URL))


def test_the_service_records_the_author_and_validates(center_staff):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    item = news_save(item=NewsItem(title="題名", publish_from=now), actor=center_staff)
    assert item.created_by == center_staff
    with pytest.raises(ValidationError):
        news_save(
            item=NewsItem(
                title="逆順", publish_from=now, publish_until=now - datetime.timedelta(days=1)
            )
        )


# Admin ----------------------------------------------------------------------------------------


def test_the_admin_list_shows_the_columns_and_a_preview_link(client, news_editor):
    item = make_news(title="管理画面のお知らせ", is_published=False)
    client.force_login(news_editor)
    response = client.get("/admin/publications/newsitem/")
    assert response.status_code == 200
    page = html(response)
    assert "管理画面のお知らせ" in page
    assert f'href="/news/{item.pk}/"' in page
    for filter_name in ("category__exact", "is_published__exact", "is_pinned__exact"):
        assert filter_name in page
    assert client.get("/admin/publications/newsitem/?q=管理画面").status_code == 200


def test_the_admin_form_has_markdown_help_and_a_sanitised_preview(client, news_editor):
    item = make_news(body="**太字** <img src=x onerror=alert(1)>")
    client.force_login(news_editor)
    with translation.override("en"):
        response = client.get(reverse("admin:publications_newsitem_change", args=[item.pk]))
    assert response.status_code == 200
    page = html(response)
    assert "Markdown:" in page
    assert "<strong>太字</strong>" in page
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert client.get(reverse("admin:publications_newsitem_add")).status_code == 200


def test_adding_news_in_the_admin_drops_the_cached_list(
    client, news_editor, django_capture_on_commit_callbacks
):
    client.get(LIST_URL)  # cached, empty
    client.force_login(news_editor)
    now = timezone.localtime()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:publications_newsitem_add"),
            {
                "title": "管理画面から追加",
                "category": "notice",
                "body": "本文",
                "is_published": "on",
                "publish_from_0": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d"),
                "publish_from_1": (now - datetime.timedelta(hours=1)).strftime("%H:%M:%S"),
                "publish_until_0": "",
                "publish_until_1": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = NewsItem.objects.get(title="管理画面から追加")
    assert item.created_by == news_editor
    client.logout()
    assert "管理画面から追加" in html(client.get(LIST_URL))
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(news_editor)
        client.post(reverse("admin:publications_newsitem_delete", args=[item.pk]), {"post": "yes"})
    client.logout()
    assert "管理画面から追加" not in html(client.get(LIST_URL))


def test_bulk_deleting_in_the_admin_drops_the_cached_list(
    client, news_editor, django_capture_on_commit_callbacks
):
    items = [make_news(title=f"一括{n}") for n in range(2)]
    assert "一括0" in html(client.get(LIST_URL))
    client.force_login(news_editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/publications/newsitem/",
            {"action": "delete_selected", "_selected_action": [i.pk for i in items], "post": "yes"},
        )
    assert not NewsItem.objects.exists()
    client.logout()
    assert "一括0" not in html(client.get(LIST_URL))


@pytest.mark.parametrize("persona", ["outsider", "org_member"])
def test_people_without_an_admin_role_never_reach_the_news_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/admin/publications/newsitem/")
    assert response.status_code in (302, 403, 404)


# Open Graph -----------------------------------------------------------------------------------


def og(page: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', page)
    return match.group(1) if match else None


@pytest.mark.parametrize("path", ["/", "/about/", LIST_URL, "/en/", "/en/news/"])
def test_every_public_page_has_open_graph_tags(client, settings, path):
    page = html(client.get(path))
    english = path.startswith("/en/")
    assert og(page, "og:site_name")
    assert og(page, "og:title")
    assert og(page, "og:description")
    assert og(page, "og:type") == "website"
    assert og(page, "og:url") == settings.SITE_URL + path
    assert og(page, "og:locale") == ("en_US" if english else "ja_JP")
    assert og(page, "twitter:card") == "summary"


def test_the_news_list_has_its_own_og_title(client):
    assert og(html(client.get("/en/news/")), "og:title").startswith("News | ")


def test_a_news_item_is_shared_as_an_article_with_its_title_and_summary(client, settings):
    item = make_news(
        title="協働フォーラム「つながる」", body="## 概要\n\n市民と企業が**協働**します。"
    )
    page = html(client.get(detail_url(item)))
    assert og(page, "og:type") == "article"
    assert og(page, "og:title") == "協働フォーラム「つながる」"
    assert og(page, "og:description") == "概要 市民と企業が協働します。"
    assert og(page, "og:url") == f"{settings.SITE_URL}/news/{item.pk}/"
    assert og(page, "article:published_time")
    assert '<meta name="description" content="概要 市民と企業が協働します。">' in page
    assert "<title>協働フォーラム「つながる」" in page

"""Site search: Japanese-aware folding, AND terms, ranking, highlighting, who is never
found, and bad input."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from center.core.cache import public_cache_clear
from publications.models import CaseStory, NewsItem, StoryPartner, TalentProfile
from publications.search import highlight, normalize, search, search_query_parse

pytestmark = pytest.mark.django_db

URL = "/search/"
HIDDEN_EMAIL = "secret.coordinator@example.org"


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    public_cache_clear()
    cache.clear()
    yield
    public_cache_clear()
    cache.clear()


def make_story(
    title="港北区の子ども食堂",
    *,
    summary="地域で支える食堂の事例です。",
    body="",
    status=CaseStory.Status.PUBLISHED,
    days_ago=10,
    partners=(),
):
    story = CaseStory.objects.create(
        title=title,
        summary=summary,
        body=body,
        year=2025,
        status=status,
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    for name in partners:
        StoryPartner.objects.create(story=story, name=name, sector="npo")
    return story


def make_news(title="お知らせ", *, body="本文です。", **fields):
    values = {"is_published": True, "publish_from": timezone.now() - datetime.timedelta(days=1)}
    values.update(fields)
    return NewsItem.objects.create(title=title, body=body, **values)


def make_profile(name="山田 花子", kana="やまだ はなこ", *, public=True, withdrawn=False, **extra):
    now = timezone.now()
    return TalentProfile.objects.create(
        name=name,
        name_kana=kana,
        affiliation=extra.pop("affiliation", "NPO法人 みなと協働ネット"),
        activities=extra.pop("activities", "地域の子ども食堂の立ち上げを支援しています。"),
        email=extra.pop("email", HIDDEN_EMAIL),
        is_published=public,
        consent_given_at=now if public else None,
        consent_withdrawn_at=now if withdrawn else None,
        **extra,
    )


def titles(q: str, *, pages: bool = False) -> list[str]:
    """Titles found for `q`; site pages (they mention 協働 everywhere) only when asked."""
    results = search(search_query_parse(q))
    return [r.document.title for r in results if pages or r.kind != "page"]


def get(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Normalisation and matching ---------------------------------------------------------------


def test_normalize_folds_width_case_and_hiragana():
    assert normalize("ＮＰＯ") == normalize("npo") == "npo"
    assert normalize("ｷｮｳﾄﾞｳ") == normalize("キョウドウ") == normalize("きょうどう")
    assert normalize("こどもしょくどう") == "コドモショクドウ"


def test_a_word_is_found_inside_a_compound():
    make_story("市民協働推進の事例")
    assert titles("協働") == ["市民協働推進の事例"]


def test_hiragana_and_katakana_find_each_other():
    make_story("コドモショクドウの一年")
    make_news("こどもしょくどう開設のお知らせ")
    assert set(titles("こどもしょくどう")) == {
        "コドモショクドウの一年",
        "こどもしょくどう開設のお知らせ",
    }
    assert set(titles("コドモショクドウ")) == {
        "コドモショクドウの一年",
        "こどもしょくどう開設のお知らせ",
    }


def test_full_and_half_width_variants_are_folded():
    make_story("NPOと企業の協働")
    make_news("キョウドウ通信 第1号")
    assert titles("ＮＰＯ") == ["NPOと企業の協働"]
    assert titles("npo") == ["NPOと企業の協働"]
    assert titles("ｷｮｳﾄﾞｳ") == ["キョウドウ通信 第1号"]


def test_every_term_must_match_and_the_full_width_space_separates_terms():
    make_story("港北区の子ども食堂", summary="大学と連携しました。")
    make_story("港北区の防災訓練", summary="自治会と連携しました。")
    assert titles("港北区 大学") == ["港北区の子ども食堂"]
    assert titles("港北区\u3000自治会") == ["港北区の防災訓練"]
    assert titles("港北区 存在しない言葉") == []


def test_partner_names_summary_and_body_are_searched():
    make_story("事例A", partners=["よこはま環境ネット"])
    make_story("事例B", body="**海岸清掃**を行いました。")
    assert titles("環境ネット") == ["事例A"]
    assert titles("海岸清掃") == ["事例B"]


# What is never found ----------------------------------------------------------------------


def test_drafts_unpublished_and_withdrawn_consent_never_appear():
    for status in (CaseStory.Status.DRAFT, CaseStory.Status.IN_REVIEW, CaseStory.Status.WITHDRAWN):
        make_story(f"非公開の協働 {status}", status=status)
    make_news("下書きの協働", is_published=False)
    make_news("予約の協働", publish_from=timezone.now() + datetime.timedelta(days=3))
    make_news(
        "終了した協働",
        publish_from=timezone.now() - datetime.timedelta(days=9),
        publish_until=timezone.now() - datetime.timedelta(days=1),
    )
    make_profile("非公開 協働", public=False)
    make_profile("撤回 協働", withdrawn=True)
    make_story("公開中の協働")
    found = [t for t in titles("協働") if "協働" in t]
    assert found == ["公開中の協働"]


def test_a_talent_email_is_never_searched_or_shown(client):
    make_profile("鈴木 一郎", "すずき いちろう")
    assert titles("secret.coordinator") == []
    assert titles("example.org") == []
    html = get(client, URL, q="鈴木")
    assert "<mark>鈴木</mark> 一郎" in html
    assert HIDDEN_EMAIL not in html


def test_talent_is_found_by_kana_and_affiliation():
    make_profile("鈴木 一郎", "すずき いちろう", affiliation="みなとみらい大学")
    assert titles("スズキ") == ["鈴木 一郎"]
    assert titles("みなとみらい大学") == ["鈴木 一郎"]


def test_the_about_page_is_found_by_its_text(client):
    html = get(client, URL, q="ミズベサロン")
    assert 'href="/about/"' in html
    assert "<mark>ミズベサロン</mark>" in html


def test_site_pages_are_searched_in_the_page_language(client):
    html = get(client, "/en/search/", q="center")
    assert 'href="/en/about/"' in html
    # The header and footer of every page are not part of a page's text.
    with translation.override("ja"):
        assert titles("ミズベサロン", pages=True) == ["センターについて"]


# Ranking ----------------------------------------------------------------------------------


def test_a_title_hit_ranks_above_a_body_hit_even_when_older():
    make_story("関係ない題", body="ここに防災の話があります。", days_ago=1)
    make_story("防災の協働", days_ago=300)
    assert titles("防災") == ["防災の協働", "関係ない題"]


def test_equal_scores_are_ordered_newest_first():
    make_news("防災訓練 その1", publish_from=timezone.now() - datetime.timedelta(days=30))
    make_news("防災訓練 その2", publish_from=timezone.now() - datetime.timedelta(days=2))
    assert titles("防災訓練") == ["防災訓練 その2", "防災訓練 その1"]


def test_results_come_twenty_a_page(client):
    for number in range(25):
        make_news(f"ゾウガメ通信 {number}")
    first = get(client, URL, q="ゾウガメ")
    second = get(client, URL, q="ゾウガメ", page="2")
    assert first.count('<li class="border-bottom') == 20
    assert second.count('<li class="border-bottom') == 5
    assert "25" in re.search(r'role="status"[^>]*>([^<]*)', first)[1]


# Highlighting -----------------------------------------------------------------------------


def test_highlight_wraps_matches_and_escapes_the_text():
    text = "<b>市民協働</b> & ＮＰＯ"
    result = highlight(text, search_query_parse("協働 npo").terms, window=None)
    assert result == "&lt;b&gt;市民<mark>協働</mark>&lt;/b&gt; &amp; <mark>ＮＰＯ</mark>"


def test_highlight_falls_back_to_plain_escaped_text_when_lengths_differ():
    # Half-width ｶﾞ becomes one character as a whole but two when normalised one by one.
    result = highlight("ｶﾞｲﾄﾞ<i>", search_query_parse("ガイド").terms, window=None)
    assert result == "ｶﾞｲﾄﾞ&lt;i&gt;"


def test_snippet_is_cut_around_the_first_hit():
    body = "あ" * 300 + "防災" + "い" * 300
    make_story("題", body=body)
    (result,) = search(search_query_parse("防災"))
    snippet = str(result.snippet)
    assert "<mark>防災</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 122


def test_the_page_escapes_html_in_texts_and_in_the_query(client):
    make_story("<script>alert(1)</script>協働の記録")
    html = get(client, URL, q="<script>協働")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    html = get(client, URL, q="協働")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>協働</mark>の記録" in html


# The page ---------------------------------------------------------------------------------


def test_an_empty_query_shows_the_box_and_a_hint_without_results(client):
    html = get(client, URL)
    assert html.count("<h1") == 1
    assert 'type="search"' in html and 'for="search-q"' in html
    assert "<ol" not in html
    assert 'role="status"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "style=" not in html and "<script>" not in html.split("</footer>")[0]


def test_results_are_an_ordered_list_with_kind_date_and_link(client):
    story = make_story("市民協働推進の事例")
    html = get(client, URL, q="協働")
    assert "<ol" in html
    assert f'href="/stories/{story.pk}/"' in html
    assert "協働事例" in html
    assert "<time" in html


def test_the_english_page_works(client):
    story = make_story("ゾウガメの協働")
    html = get(client, "/en/search/", q="ゾウガメ")
    assert '<html lang="en">' in html
    assert "Site search" in html
    assert "Collaboration stories" in html
    assert "1 result for" in html
    assert f'href="/en/stories/{story.pk}/"' in html


def test_search_is_linked_from_the_footer(client):
    html = get(client, "/")
    assert 'href="/search/"' in html


def test_a_long_query_is_shortened_with_a_message(client):
    html = get(client, URL, q="協" * 150)
    assert "shortened" in html or "短" in html
    assert 'value="' + "協" * 100 + '"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "協働", "page": "abc"},
        {"q": "協働", "page": "99999"},
        {"q": "協働", "page": "-1"},
        {"q": "\x00\x01協働\x7f\u200b"},
        {"q": "   \u3000  "},
        {"q": "<script>alert(1)</script>"},
        {"q": "%" * 50},
        {"q": ["a", "b"]},
    ],
)
def test_bad_input_never_fails(client, params):
    make_story("市民協働推進の事例")
    response = client.get(URL, params)
    assert response.status_code == 200


def test_control_characters_are_stripped_from_the_query():
    query = search_query_parse("協\x00働\x1b")
    assert query.text == "協働"
    assert query.terms == ("協働",)


def test_anonymous_pages_are_cached_and_still_correct(client):
    make_story("市民協働推進の事例")
    first = client.get(URL, {"q": "協働"})
    second = client.get(URL, {"q": "協働"})
    assert first.content == second.content
    assert "public" in first["Cache-Control"]


def test_the_database_only_lists_published_rows_so_every_backend_agrees():
    """Matching never reaches SQL (no LIKE/ILIKE, no collation), so SQLite and PostgreSQL
    return the same results; case and width folding is Python's."""
    make_story("NPOと企業")
    make_story("ｎｐｏ連携の記録")
    with CaptureQueriesContext(connection) as queries:
        found = set(titles("Npo"))
    assert found == {"NPOと企業", "ｎｐｏ連携の記録"}
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert " LIKE " not in sql and "ILIKE" not in sql
    assert "EMAIL" not in sql

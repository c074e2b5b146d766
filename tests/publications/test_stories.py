"""協働事例 case stories: the workflow services, the public list and page, and the cache."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from center.core.models import AuditEvent, SdgGoal, Ward
from publications.models import CaseStory, Sector, StoryPartner, StoryPhoto, StoryRevision, Theme
from publications.selectors import stories_related
from publications.services import (
    story_publish,
    story_return_to_draft,
    story_submit_for_review,
    story_withdraw,
)

pytestmark = pytest.mark.django_db

Status = CaseStory.Status
LIST = "/stories/"


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    # The page cache lives in locmem across tests; the database does not.
    cache.clear()
    yield
    cache.clear()


def jpeg_bytes(size=(32, 24), color="green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def ward(code: str) -> Ward:
    return Ward.objects.get(code=code)


def make_story(
    title="港北区の子ども食堂",
    *,
    status=Status.PUBLISHED,
    ward_code: str | None = "kohoku",
    sdgs=(),
    themes=(),
    sectors=(),
    author=None,
    photos=0,
    **fields,
) -> CaseStory:
    story = CaseStory.objects.create(
        title=title,
        summary=fields.pop("summary", f"{title}の概要"),
        body=fields.pop("body", "本文です。"),
        ward=ward(ward_code) if ward_code else None,
        year=fields.pop("year", 2024),
        status=status,
        author=author,
        published_at=timezone.now() if status == Status.PUBLISHED else None,
        **fields,
    )
    story.sdgs.set(sdgs)
    story.themes.set(themes)
    for number, sector in enumerate(sectors):
        StoryPartner.objects.create(story=story, name=f"団体{number}", sector=sector)
    for number in range(photos):
        StoryPhoto.objects.create(
            story=story,
            image=ContentFile(jpeg_bytes(), name=f"photo{number}.jpg"),
            caption=f"写真{number}の説明",
            alt_text=f"写真{number}",
            order=number,
        )
    return story


def theme(name="子育て", name_en="Child-rearing") -> Theme:
    return Theme.objects.get_or_create(name=name, defaults={"name_en": name_en})[0]


def titles(response) -> list[str]:
    """The story titles of the cards on a list page, in order."""
    return re.findall(
        r'id="story-\d+-title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


class _H1Counter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag, attrs):
        self.count += tag == "h1"


def h1_count(response) -> int:
    parser = _H1Counter()
    parser.feed(response.content.decode())
    return parser.count


# Services: who may move a story where -----------------------------------------------------


def test_author_coordinator_submits_her_draft_for_review(coordinator):
    story = make_story(status=Status.DRAFT, author=coordinator)
    story_submit_for_review(story=story, actor=coordinator)
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW


def test_coordinator_cannot_submit_someone_elses_draft(coordinator, outsider):
    story = make_story(status=Status.DRAFT, author=outsider)
    with pytest.raises(PermissionDenied):
        story_submit_for_review(story=story, actor=coordinator)
    with pytest.raises(PermissionDenied):
        story_submit_for_review(story=story, actor=outsider)  # the author, but no role


def test_only_a_draft_can_be_submitted(coordinator):
    story = make_story(status=Status.IN_REVIEW, author=coordinator)
    with pytest.raises(ValidationError):
        story_submit_for_review(story=story, actor=coordinator)


def test_coordinator_can_never_publish_not_even_her_own_story_in_review(coordinator):
    story = make_story(status=Status.IN_REVIEW, author=coordinator)
    with pytest.raises(PermissionDenied):
        story_publish(story=story, actor=coordinator)
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW
    assert not StoryRevision.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "org_member", "city_staff", "tsurumi_staff"])
def test_other_roles_cannot_publish_withdraw_or_return(request, persona):
    actor = request.getfixturevalue(persona)
    story = make_story(status=Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        story_publish(story=story, actor=actor)
    with pytest.raises(PermissionDenied):
        story_return_to_draft(story=story, actor=actor, reason="no")
    published = make_story(status=Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        story_withdraw(story=published, actor=actor)


def test_staff_publish_sets_the_date_and_records_a_revision(center_staff):
    story = make_story(status=Status.IN_REVIEW, title="瀬谷区の防災訓練", body="本文 v1")
    revision = story_publish(story=story, actor=center_staff)
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert story.published_at is not None
    assert (revision.title, revision.summary, revision.body) == (
        "瀬谷区の防災訓練",
        "瀬谷区の防災訓練の概要",
        "本文 v1",
    )
    assert revision.published_by == center_staff


def test_each_publication_keeps_a_revision_and_the_first_date(center_staff):
    story = make_story(status=Status.IN_REVIEW, body="v1")
    story_publish(story=story, actor=center_staff)
    first_published_at = CaseStory.objects.get(pk=story.pk).published_at
    story.body = "v2"
    story.save()
    story_publish(story=story, actor=center_staff)
    story_withdraw(story=story, actor=center_staff)
    story_publish(story=story, actor=center_staff)
    story.refresh_from_db()
    assert story.published_at == first_published_at
    assert list(story.revisions.order_by("pk").values_list("body", flat=True)) == [
        "v1",
        "v2",
        "v2",
    ]


def test_a_draft_is_not_published_without_review(center_staff):
    story = make_story(status=Status.DRAFT)
    with pytest.raises(ValidationError):
        story_publish(story=story, actor=center_staff)


def test_superuser_may_publish(django_user_model):
    admin = django_user_model.objects.create_superuser("root@example.com", "x")
    story = make_story(status=Status.IN_REVIEW)
    story_publish(story=story, actor=admin)
    assert story.status == Status.PUBLISHED


def test_withdraw_only_a_published_story(center_staff):
    with pytest.raises(ValidationError):
        story_withdraw(story=make_story(status=Status.IN_REVIEW), actor=center_staff)
    story = make_story(status=Status.PUBLISHED)
    story_withdraw(story=story, actor=center_staff)
    assert CaseStory.objects.get(pk=story.pk).status == Status.WITHDRAWN


def test_return_to_draft_needs_a_reason_and_is_audited(center_staff):
    story = make_story(status=Status.IN_REVIEW)
    with pytest.raises(ValidationError):
        story_return_to_draft(story=story, actor=center_staff, reason="   ")
    story_return_to_draft(story=story, actor=center_staff, reason="写真の説明を追加してください")
    assert CaseStory.objects.get(pk=story.pk).status == Status.DRAFT
    event = AuditEvent.objects.get(target_id=str(story.pk))
    assert event.actor == center_staff
    assert event.detail["reason"] == "写真の説明を追加してください"


def test_a_published_story_is_withdrawn_before_it_goes_back_to_draft(center_staff):
    story = make_story(status=Status.PUBLISHED)
    with pytest.raises(ValidationError):
        story_return_to_draft(story=story, actor=center_staff, reason="直します")
    story_withdraw(story=story, actor=center_staff)
    story_return_to_draft(story=story, actor=center_staff, reason="直します")
    assert CaseStory.objects.get(pk=story.pk).status == Status.DRAFT


# Public pages: visibility -------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.WITHDRAWN])
def test_unpublished_story_is_404_and_not_listed_for_the_public(client, outsider, status):
    story = make_story("非公開の事例", status=status)
    make_story("公開の事例")
    assert client.get(f"/stories/{story.pk}/").status_code == 404
    assert titles(client.get(LIST)) == ["公開の事例"]
    client.force_login(outsider)
    assert client.get(f"/stories/{story.pk}/").status_code == 404
    assert "非公開の事例" not in client.get(LIST).content.decode()


def test_coordinator_sees_no_one_elses_draft(client, coordinator, outsider):
    story = make_story(status=Status.DRAFT, author=outsider)
    client.force_login(coordinator)
    assert client.get(f"/stories/{story.pk}/").status_code == 404


def test_staff_preview_a_draft_with_a_banner(client, center_staff):
    story = make_story("下書きの事例", status=Status.DRAFT)
    client.force_login(center_staff)
    response = client.get(f"/stories/{story.pk}/")
    assert response.status_code == 200
    assert "alert-warning" in response.content.decode()
    assert titles(client.get(LIST)) == []  # a preview, still not listed


def test_author_previews_her_own_draft(client, coordinator):
    story = make_story(status=Status.DRAFT, author=coordinator)
    client.force_login(coordinator)
    assert client.get(f"/stories/{story.pk}/").status_code == 200


def test_published_page_has_no_preview_banner_and_one_h1(client):
    story = make_story(photos=1)
    response = client.get(f"/stories/{story.pk}/")
    assert response.status_code == 200
    assert "alert-warning" not in response.content.decode()
    assert h1_count(response) == 1
    assert h1_count(client.get(LIST)) == 1


def test_unknown_or_huge_story_id_is_a_404(client):
    assert client.get("/stories/999999/").status_code == 404
    assert client.get("/stories/99999999999999999999999/").status_code == 404


# Cache ------------------------------------------------------------------------------------


def test_anonymous_list_shows_a_story_right_after_it_is_published(
    client, center_staff, django_capture_on_commit_callbacks
):
    story = make_story("新しい事例", status=Status.IN_REVIEW)
    assert titles(client.get(LIST)) == []  # now cached without it
    assert client.get(LIST).has_header("Cache-Control")
    with django_capture_on_commit_callbacks(execute=True):
        story_publish(story=story, actor=center_staff)
    assert titles(client.get(LIST)) == ["新しい事例"]
    assert client.get(f"/stories/{story.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        story_withdraw(story=story, actor=center_staff)
    assert titles(client.get(LIST)) == []
    assert client.get(f"/stories/{story.pk}/").status_code == 404


# List: filters, pagination, queries ---------------------------------------------------------


@pytest.fixture
def filter_corpus():
    child, disaster = theme("子育て", "Child-rearing"), theme("防災", "Disaster preparedness")
    make_story("鶴見の子育て", ward_code="tsurumi", sdgs=[4], themes=[child], sectors=[Sector.NPO])
    make_story(
        "中区の防災",
        ward_code="naka",
        sdgs=[11, 13],
        themes=[disaster],
        sectors=[Sector.COMPANY, Sector.NEIGHBOURHOOD],
    )
    make_story(
        "中区の大学連携",
        ward_code="naka",
        sdgs=[4, 17],
        themes=[child, disaster],
        sectors=[Sector.UNIVERSITY, Sector.UNIVERSITY],
    )
    make_story("非公開", ward_code="naka", sdgs=[4], status=Status.DRAFT, sectors=[Sector.NPO])
    return {"child": child, "disaster": disaster}


def listed(client, query: str) -> set[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return set(titles(response))


def test_filter_by_ward(client, filter_corpus):
    assert listed(client, "ward=naka") == {"中区の防災", "中区の大学連携"}
    assert listed(client, "ward=tsurumi") == {"鶴見の子育て"}
    assert listed(client, "ward=seya") == set()


def test_filter_by_sdg(client, filter_corpus):
    assert listed(client, "sdg=4") == {"鶴見の子育て", "中区の大学連携"}
    assert listed(client, "sdg=13") == {"中区の防災"}


def test_filter_by_partner_sector_lists_each_story_once(client, filter_corpus):
    assert listed(client, "sector=university") == {"中区の大学連携"}
    assert titles(client.get(f"{LIST}?sector=university")) == ["中区の大学連携"]
    assert listed(client, "sector=npo") == {"鶴見の子育て"}


def test_filter_by_theme_and_combined(client, filter_corpus):
    child = filter_corpus["child"]
    assert listed(client, f"theme={child.pk}") == {"鶴見の子育て", "中区の大学連携"}
    assert listed(client, f"theme={child.pk}&ward=naka&sdg=17") == {"中区の大学連携"}


def test_filter_form_has_labels_and_a_submit_button(client, filter_corpus):
    page = client.get(LIST).content.decode()
    for name in ("ward", "sdg", "sector", "theme"):
        assert f'<label class="form-label" for="id_{name}">' in page
    assert '<button type="submit"' in page


@pytest.mark.parametrize(
    "query",
    [
        "ward=%00",
        "ward=<script>alert(1)</script>",
        "sdg=abc",
        "sdg=99",
        "sdg=-1",
        "sdg=4.5",
        "theme=99999999999999999999999",
        "theme=%E2%80%8B",
        "sector=nope",
        "sector=%01%02%7F",
        "page=abc",
        "page=0",
        "page=-3",
        "page=99999",
        "ward=naka&ward=tsurumi",
        "ward=" + "x" * 10_000,
        "q=" + quote("協" * 10_000),
        "sector=" + quote("\u202e\ufeff" * 50),
    ],
)
def test_bad_filter_input_is_ignored_never_a_500(client, filter_corpus, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_bad_filter_is_ignored_while_good_ones_apply(client, filter_corpus):
    assert listed(client, "ward=naka&sdg=abc&sector=nope") == {"中区の防災", "中区の大学連携"}


def test_12_a_page_and_page_links_keep_the_filters(client):
    for number in range(14):
        make_story(f"事例{number:02d}", ward_code="naka", sdgs=[3])
    make_story("他の区", ward_code="seya")
    first = client.get(f"{LIST}?ward=naka&sdg=3&bogus=1")
    assert len(titles(first)) == 12
    page = first.content.decode()
    assert 'href="?ward=naka&amp;sdg=3&amp;page=2"' in page
    assert "bogus" not in page.split("pagination")[1]
    second = client.get(f"{LIST}?ward=naka&sdg=3&page=2")
    assert len(titles(second)) == 2
    assert "他の区" not in second.content.decode()


def test_card_shows_first_photo_alt_ward_year_and_sdgs(client):
    story = make_story("カードの事例", ward_code="naka", sdgs=[4, 11], photos=2, year=2023)
    decorative = make_story("飾りの写真", photos=1)
    decorative.photos.update(is_decorative=True, alt_text="")
    page = client.get(LIST).content.decode()
    first_photo = story.photos.get(order=0)
    assert f'src="{first_photo.image.url}" alt="写真0"' in page
    assert "写真1" not in page  # the first photo only
    assert f'src="{decorative.photos.get().image.url}" alt=""' in page
    assert "中区" in page and "2023" in page
    assert ">4</abbr>" in page
    assert ">11</abbr>" in page


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_number_of_stories(client, django_assert_max_num_queries):
    child = theme()
    make_story("一件目", sdgs=[1, 2], themes=[child], sectors=[Sector.NPO], photos=1)
    few = _list_queries(client)
    cache.clear()
    for number in range(14):
        make_story(
            f"事例{number}",
            ward_code=["naka", "seya", "tsurumi"][number % 3],
            sdgs=[number % 17 + 1, 17],
            themes=[child],
            sectors=[Sector.NPO, Sector.COMPANY],
            photos=2,
        )
    cache.clear()
    with django_assert_max_num_queries(few):
        response = client.get(LIST)
    assert len(titles(response)) == 12
    assert few <= 9  # filter choices (3), count, stories, 4 prefetches


def test_detail_queries_do_not_grow_with_photos_partners_or_related(client):
    child = theme()
    story = make_story(sdgs=[4], themes=[child], sectors=[Sector.NPO], photos=1)
    make_story("関連", sdgs=[4], photos=1, sectors=[Sector.NPO])
    with CaptureQueriesContext(connection) as small:
        client.get(f"/stories/{story.pk}/")
    cache.clear()
    for number in range(6):
        make_story(f"関連{number}", sdgs=[4], themes=[child], photos=2, sectors=[Sector.NPO])
    StoryPartner.objects.create(story=story, name="追加", sector=Sector.COMPANY)
    with CaptureQueriesContext(connection) as large:
        client.get(f"/stories/{story.pk}/")
    assert len(large) == len(small)


# Detail --------------------------------------------------------------------------------


def test_detail_shows_photos_with_captions_partners_by_sector_and_facts(client):
    child = theme()
    story = make_story(
        "中区の協働",
        ward_code="naka",
        sdgs=[11],
        themes=[child],
        sectors=[Sector.NPO, Sector.COMPANY, Sector.NPO],
        photos=2,
        body="一段落目\n\n<script>alert(1)</script>",
    )
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert page.count("<figure") == 2
    assert '<figcaption class="figure-caption">写真0の説明</figcaption>' in page
    assert 'alt="写真1"' in page
    # Grouped in the order sectors are declared: NPOs (two partners) before companies.
    npo, company = page.index(str(Sector.NPO.label)), page.index(str(Sector.COMPANY.label))
    assert npo < company
    assert page.index("団体0") < page.index("団体2") < company < page.index("団体1")
    assert "中区" in page and "子育て" in page and "住み続けられるまちづくりを" in page
    assert "<script>alert(1)</script>" not in page


def test_related_stories_share_a_theme_sdg_or_ward_and_are_published(client):
    child = theme()
    story = make_story("本人", ward_code="naka", sdgs=[4], themes=[child])
    make_story("テーマとSDGが同じ", ward_code="seya", sdgs=[4], themes=[child])
    make_story("区だけ同じ", ward_code="naka")
    make_story("SDGだけ同じ", ward_code="seya", sdgs=[4])
    make_story("何も共有しない", ward_code="seya", sdgs=[15])
    make_story("下書き", ward_code="naka", sdgs=[4], themes=[child], status=Status.DRAFT)
    make_story("テーマだけ同じ", ward_code="tsurumi", themes=[child])
    story = CaseStory.objects.for_listing().get(pk=story.pk)
    related = [other.title for other in stories_related(story=story)]
    assert len(related) == 3
    assert related[0] == "テーマとSDGが同じ"
    assert set(related) <= {"テーマとSDGが同じ", "区だけ同じ", "SDGだけ同じ", "テーマだけ同じ"}
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert 'id="story-related-title"' in page and "テーマとSDGが同じ" in page
    assert "何も共有しない" not in page and "下書き" not in page
    assert page.count('<h3 class="h5 card-title"') == 3


def test_a_story_sharing_nothing_has_no_related_section(client):
    story = make_story("孤立", ward_code=None)
    make_story("他")
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert 'id="story-related-title"' not in page


def test_detail_sets_open_graph_tags_with_an_absolute_photo_url(client, settings):
    story = make_story("OGの事例", photos=1)
    page = client.get(f"/stories/{story.pk}/").content.decode()
    photo = story.photos.get()
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="OGの事例">' in page
    assert '<meta property="og:description" content="OGの事例の概要">' in page
    assert f'<meta property="og:image" content="{settings.SITE_URL}{photo.image.url}">' in page
    assert '<meta property="og:image:alt" content="写真0">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_story_without_photo_has_a_summary_card(client):
    page = client.get(f"/stories/{make_story().pk}/").content.decode()
    assert 'property="og:image"' not in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_body_is_sanitised_markdown(client):
    story = make_story(
        body="## 成果\n\n**太字**<script>alert(1)</script><img src=x onerror=alert(1)>"
    )
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "<strong>太字</strong>" in page
    assert "<script>alert(1)</script>" not in page and "onerror" not in page


def test_preview_is_never_cached_nor_indexed(client, center_staff):
    story = make_story(status=Status.IN_REVIEW)
    client.force_login(center_staff)
    response = client.get(f"/stories/{story.pk}/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_only_our_own_query_strings_are_cached(client):
    make_story("最初", ward_code="naka")
    assert titles(client.get(f"{LIST}?ward=naka&sdg=&sector=&theme=")) == ["最初"]
    assert titles(client.get(f"{LIST}?ward=naka&utm_source=x")) == ["最初"]
    # Added behind the cache's back (no service, no invalidation).
    make_story("二番目", ward_code="naka")
    assert titles(client.get(f"{LIST}?ward=naka&sdg=&sector=&theme=")) == ["最初"]  # cached
    assert titles(client.get(f"{LIST}?ward=naka&utm_source=x")) == ["二番目", "最初"]  # fresh


def test_head_requests_are_answered(client):
    story = make_story()
    assert client.head(LIST).status_code == 200
    assert client.head(f"/stories/{story.pk}/").status_code == 200
    assert client.post(LIST).status_code == 405


def test_feeds_list_published_stories_only(client):
    make_story("公開された事例")
    make_story("下書きの事例", status=Status.DRAFT)
    for path in ("/stories/feed/rss/", "/stories/feed/atom/", "/en/stories/feed/rss/"):
        response = client.get(path)
        assert response.status_code == 200
        body = response.content.decode()
        assert "公開された事例" in body and "下書きの事例" not in body


# English -------------------------------------------------------------------------------


def test_english_pages_work_under_en(client):
    child = theme("子育て", "Child-rearing")
    story = make_story("English page story", ward_code="naka", themes=[child], sdgs=[4])
    listing = client.get("/en/stories/")
    assert listing.status_code == 200
    assert '<html lang="en">' in listing.content.decode()
    assert "Collaboration stories" in listing.content.decode()
    assert "Naka" in listing.content.decode()
    detail = client.get(f"/en/stories/{story.pk}/")
    assert detail.status_code == 200
    assert "Child-rearing" in detail.content.decode()
    assert client.get(f"/en/stories/?ward=naka&theme={child.pk}").status_code == 200


def test_each_language_is_cached_apart(client):
    make_story()
    ja = client.get(LIST).content.decode()
    en = client.get("/en/stories/").content.decode()
    assert '<html lang="ja">' in ja and '<html lang="en">' in en


def test_sdg_labels_come_from_the_goal_table():
    # The filter's SDG choices are the 17 goals, numbered.
    from publications.forms_stories import StoryFilterForm

    form = StoryFilterForm({})
    assert [value for value, _label in form.fields["sdg"].choices][1:] == list(range(1, 18))
    assert SdgGoal.objects.count() == 17

"""Reads of the 情報誌 magazine: the archive, one issue with its articles, who may preview.

Visibility in one place: the public sees published issues only; center staff (and
superusers, the same people who publish case stories) see and preview every issue. An
article that reprints a case story shows only while that story is published: a story
withdrawn from the site disappears from the magazine's web version too.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from center.lib.text import render_markdown

from ..models import CaseStory, MagazineArticle, MagazineIssue, MagazinePhoto, StoryPhoto
from .stories import user_is_story_editor

__all__ = [
    "MagazineArticleView",
    "magazine_issue_articles",
    "magazine_issue_get_for_user",
    "magazine_issue_get_published",
    "magazine_issue_for_pdf",
    "magazine_issues_for_archive",
    "magazine_issues_with_story",
    "user_is_magazine_editor",
]

# Below this many characters a body reads better in one column than in two half-empty ones.
TWO_COLUMN_MIN_CHARS = 500

# In an article the title is an <h2>, so the body's headings (<h2>–<h4> after the
# sanitiser) move one level down. The sanitiser leaves headings without attributes.
_BODY_HEADING = re.compile(r"<(/?)h([234])>")


def user_is_magazine_editor(user) -> bool:
    """Center staff and superusers: edit, publish and preview every issue."""
    return user_is_story_editor(user)


def _shown_articles() -> QuerySet[MagazineArticle]:
    """Articles as the public sees them: standalone ones, and reprints of published stories."""
    return MagazineArticle.objects.filter(
        Q(story__isnull=True) | Q(story__status=CaseStory.Status.PUBLISHED)
    ).order_by("order", "pk")


def magazine_issues_for_archive() -> QuerySet[MagazineIssue]:
    """Published issues, newest first, each with its article titles: two queries whatever
    the number of issues."""
    return (
        MagazineIssue.objects.published()
        .newest_first()
        .prefetch_related(
            Prefetch(
                "articles",
                queryset=_shown_articles()
                .select_related("story")
                .only("id", "issue_id", "order", "kicker", "title", "story__id", "story__title"),
            )
        )
    )


def _with_contents(issues: QuerySet[MagazineIssue]) -> QuerySet[MagazineIssue]:
    photos = MagazinePhoto.objects.order_by("order", "pk")
    story_photos = StoryPhoto.objects.order_by("order", "pk")
    return issues.prefetch_related(
        Prefetch(
            "articles",
            queryset=_shown_articles()
            .select_related("story", "story__ward")
            .prefetch_related(
                Prefetch("photos", queryset=photos),
                Prefetch("story__photos", queryset=story_photos),
                "story__partners",
            ),
        )
    )


def magazine_issue_get_for_user(*, user, number: int) -> MagazineIssue:
    """One issue with its articles and photos (a constant number of queries): 404 unless
    published, or the visitor is center staff (a preview)."""
    issue = _with_contents(MagazineIssue.objects.filter(number=number)).first()
    if issue is None:
        raise Http404
    if issue.is_published or user_is_magazine_editor(user):
        return issue
    raise Http404


def magazine_issue_get_published(*, number: int) -> MagazineIssue:
    """A published issue's own row (no articles), e.g. to serve its PDF; 404 otherwise."""
    issue = MagazineIssue.objects.published().filter(number=number).first()
    if issue is None:
        raise Http404
    return issue


def magazine_issue_for_pdf(*, issue_id: int) -> MagazineIssue | None:
    """The issue with everything its PDF prints, or None when it no longer exists."""
    return _with_contents(MagazineIssue.objects.filter(pk=issue_id)).first()


def magazine_issues_with_story(*, story: CaseStory) -> QuerySet[MagazineIssue]:
    """Published issues that reprint `story` (their PDF prints it)."""
    return MagazineIssue.objects.published().filter(articles__story=story).distinct()


@dataclass(frozen=True)
class MagazineArticleView:
    """An article as the web version and the PDF show it, whichever kind it is."""

    anchor: str
    position: int
    kicker: str
    title: str
    lead: str
    body_html: SafeString
    photos: list = field(default_factory=list)
    story: CaseStory | None = None
    # For the PDF's layout: long bodies are set in two columns.
    is_long: bool = False

    @property
    def lead_photo(self):
        return self.photos[0] if self.photos else None

    @property
    def more_photos(self) -> list:
        return self.photos[1:]


def _body_html(markdown_text: str) -> SafeString:
    html = render_markdown(markdown_text)
    # Safe: only renames tags in already sanitised HTML.
    return mark_safe(_BODY_HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}>", html))


def magazine_issue_articles(issue: MagazineIssue) -> list[MagazineArticleView]:
    """The issue's articles in order, from a prefetched issue (no query of its own)."""
    views = []
    for position, article in enumerate(issue.articles.all(), start=1):
        story = article.story
        if story is not None:
            title, lead, body, photos = story.title, story.summary, story.body, story.photos
        else:
            title, lead, body, photos = article.title, article.lead, article.body, article.photos
        views.append(
            MagazineArticleView(
                anchor=f"article-{article.pk}",
                position=position,
                kicker=article.kicker,
                title=title,
                lead=lead,
                body_html=_body_html(body),
                photos=list(photos.all()),
                story=story,
                is_long=len(body) >= TWO_COLUMN_MIN_CHARS,
            )
        )
    return views

"""Reads of news items: the public list, one item (with the staff preview), the feeds."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ..models import NewsItem

__all__ = [
    "NewsPage",
    "news_can_preview",
    "news_category_or_none",
    "news_for_feed",
    "news_get_for_user",
    "news_preview_reason",
    "news_public_list",
]

PREVIEW_PERMISSION = "publications.view_newsitem"
FEED_SIZE = 20


def news_category_or_none(value: str | None) -> str | None:
    """The category a visitor asked for, or None for anything we do not know (ignored)."""
    return value if value in NewsItem.Category.values else None


def news_public_list(*, category: str | None = None) -> QuerySet[NewsItem]:
    """Published items in their window, pinned first, newest first; optionally one category."""
    items = NewsItem.objects.published().for_listing()
    if category is not None:
        items = items.filter(category=category)
    return items.only(
        "pk", "title", "body", "category", "is_pinned", "publish_from", "publish_until"
    )


def news_for_feed() -> QuerySet[NewsItem]:
    """The newest published items, newest first: a feed is a timeline, pinning means nothing."""
    return NewsItem.objects.published().order_by("-publish_from", "-pk")[:FEED_SIZE]


def news_can_preview(*, user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(PREVIEW_PERMISSION))


@dataclass(frozen=True)
class NewsPage:
    item: NewsItem
    # True when the public cannot see it (draft, not yet started or expired): a staff preview.
    is_preview: bool


def news_get_for_user(*, user, pk: int) -> NewsPage:
    """One item: visible to everyone while published and in its window; otherwise only to
    users who may view news in the back office (a preview), and 404 for anyone else."""
    item = NewsItem.objects.published().filter(pk=pk).first()
    if item is not None:
        return NewsPage(item=item, is_preview=False)
    # Only now the second query, and only for people who may preview: a visitor learns
    # nothing about whether a draft exists.
    if news_can_preview(user=user):
        item = NewsItem.objects.filter(pk=pk).first()
        if item is not None:
            return NewsPage(item=item, is_preview=True)
    raise Http404


def news_preview_reason(item: NewsItem, now=None) -> str:
    """Why the public does not see this item: "draft", "scheduled" or "expired"."""
    now = now or timezone.now()
    if not item.is_published:
        return "draft"
    if item.publish_from > now:
        return "scheduled"
    return "expired"

"""Writes of news items. Every change drops the cached public pages once it is committed."""

from django.db import transaction
from django.db.models import QuerySet

from center.core.cache import public_cache_invalidate

from ..models import NewsItem

__all__ = ["news_delete", "news_delete_many", "news_save"]


@transaction.atomic
def news_save(*, item: NewsItem, actor=None) -> NewsItem:
    """Validate and save a new or changed item; a new one records who created it.

    Raises ValidationError (full_clean) for an item the model refuses, e.g. a
    publish-until before its publish-from."""
    if item.pk is None and item.created_by_id is None and getattr(actor, "pk", None):
        item.created_by = actor
    item.full_clean()
    item.save()
    # After commit: invalidating earlier would let a visitor re-cache the old page from the
    # not yet committed state.
    transaction.on_commit(public_cache_invalidate)
    return item


@transaction.atomic
def news_delete(*, item: NewsItem) -> None:
    item.delete()
    transaction.on_commit(public_cache_invalidate)


@transaction.atomic
def news_delete_many(*, items: QuerySet[NewsItem]) -> int:
    """Delete a selection (the admin's bulk action); returns how many items went."""
    deleted, _per_model = items.delete()
    transaction.on_commit(public_cache_invalidate)
    return deleted

"""News pages: the list (by category, 20 a page), one item (with the staff preview), feeds.

Anonymous visitors get cached pages, but only at the addresses our own links produce: any
other query string (a typo, a scanner's 10,000 characters) is answered freshly and never
stored, so nobody can fill the cache with junk keys.
"""

import re

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from center.core.cache import public_cache, without_query
from center.lib.text import plain_text

from ..feeds import NewsAtomFeed, NewsRssFeed
from ..models import NewsItem
from ..selectors.news import (
    news_category_or_none,
    news_get_for_user,
    news_preview_reason,
    news_public_list,
)

NEWS_PER_PAGE = 20
DESCRIPTION_CHARS = 160
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")


def _list_query_is_ours(request) -> bool:
    """True for the query strings the list's own links make: ?category=…&page=…"""
    params = request.GET
    if not set(params) <= {"category", "page"}:
        return False
    if any(len(params.getlist(name)) != 1 for name in params):
        return False
    if "category" in params and news_category_or_none(params["category"]) is None:
        return False
    return "page" not in params or bool(_PAGE_NUMBER.fullmatch(params["page"]))


@require_safe
@public_cache(when=_list_query_is_ours)
def news_list(request):
    """Published news, pinned first; an unknown category or page number is ignored."""
    category = news_category_or_none(request.GET.get("category"))
    paginator = Paginator(news_public_list(category=category), NEWS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "category": category,
        "categories": NewsItem.Category.choices,
        "category_label": NewsItem.Category(category).label if category else "",
    }
    return render(request, "publications/news_list.html", context)


@require_safe
@public_cache(when=without_query)
def news_detail(request, pk: int):
    """One item; a draft, scheduled or expired item only as a preview for news editors."""
    news_page = news_get_for_user(user=request.user, pk=pk)
    item = news_page.item
    context = {
        "item": item,
        "is_preview": news_page.is_preview,
        "preview_reason": news_preview_reason(item) if news_page.is_preview else "",
        "description": plain_text(item.body, DESCRIPTION_CHARS),
    }
    response = render(request, "publications/news_detail.html", context)
    if news_page.is_preview:
        # Unpublished text: kept out of every shared cache and of search engines.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


news_rss = require_safe(public_cache(when=without_query)(NewsRssFeed()))
news_atom = require_safe(public_cache(when=without_query)(NewsAtomFeed()))

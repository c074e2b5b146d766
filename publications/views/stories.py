"""協働事例 pages: the filterable list, the story page (with staff preview) and the feeds.

Anonymous visitors get cached pages, but only at addresses our own links and filter form
produce (as on the news pages): any other query string is answered freshly and never
stored, so nobody can fill the cache with junk keys.
"""

import functools
import re
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from center.core.cache import public_cache, without_query
from center.core.models import Ward

from ..feeds import StoryAtomFeed, StoryRssFeed
from ..forms_stories import StoryFilterForm
from ..models import CaseStory, Sector
from ..selectors.stories import (
    stories_for_public_listing,
    stories_related,
    story_get_for_user,
    story_partners_by_sector,
)

STORIES_PER_PAGE = 12
_LIST_PARAMS = {
    "page": re.compile(r"[1-9][0-9]{0,5}"),
    "sdg": re.compile(r"[1-9]|1[0-7]"),
    "theme": re.compile(r"[1-9][0-9]{0,6}"),
}


@functools.cache
def _ward_codes() -> frozenset[str]:
    # The 18 wards come from a data migration and are never edited: read once per process.
    return frozenset(Ward.objects.values_list("code", flat=True))


def _list_query_is_ours(request) -> bool:
    """True for what the filter form and page links send (blank fields included), checked
    without a query so that a cache hit stays cheap."""
    params = request.GET
    for name in params:
        values = params.getlist(name)
        if len(values) != 1:
            return False
        value = values[0]
        if value == "" and name != "page":
            continue
        if name == "ward":
            ok = value in _ward_codes()
        elif name == "sector":
            ok = value in Sector.values
        else:
            pattern = _LIST_PARAMS.get(name)
            ok = pattern is not None and bool(pattern.fullmatch(value))
        if not ok:
            return False
    return True


@require_safe
@public_cache(when=_list_query_is_ours)
def story_list(request):
    """Published stories, 12 a page; filters that do not parse are ignored, never a 500."""
    form = StoryFilterForm(request.GET)
    stories = stories_for_public_listing(filters=form.filters())
    # get_page: a page number that is not a number, or past the end, still shows a page.
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    active = form.active_query()
    context = {
        "form": form,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "stories": page.object_list,
        "is_filtered": bool(active),
        # Only the valid filters are carried into page links, never what was typed.
        "filter_query": urlencode(active),
    }
    return render(request, "publications/story_list.html", context)


@require_safe
@public_cache(when=without_query)
def story_detail(request, pk: int):
    """A published story; center staff (and its author) may preview it unpublished."""
    story = story_get_for_user(user=request.user, pk=pk)
    is_preview = story.status != CaseStory.Status.PUBLISHED
    photos = list(story.photos.all())
    first = photos[0] if photos else None
    context = {
        "story": story,
        "photos": photos,
        "partner_groups": story_partners_by_sector(story=story),
        "related": stories_related(story=story),
        "is_preview": is_preview,
        # Read by base.html's Open Graph block: an absolute URL, whatever MEDIA_URL is.
        "og_image": urljoin(settings.SITE_URL + "/", first.image.url) if first else "",
        "og_image_alt": first.alt_text if first and not first.is_decorative else "",
    }
    response = render(request, "publications/story_detail.html", context)
    if is_preview:
        # Unpublished text: kept out of every shared cache and of search engines.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


story_rss = require_safe(public_cache(when=without_query)(StoryRssFeed()))
story_atom = require_safe(public_cache(when=without_query)(StoryAtomFeed()))

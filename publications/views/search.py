"""The site search page: /search/?q=… (a GET form, so anonymous pages can be cached)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from center.core.cache import public_cache

from ..search import MAX_QUERY_CHARS, search_query_parse
from ..search import search as run_search

RESULTS_PER_PAGE = 20


@require_safe
# public_cache itself skips query strings over 200 characters (no junk keys from scanners).
@public_cache
def search(request):
    """Results for `q`, 20 a page; no `q` shows the box and a hint. `page` junk → page 1."""
    query = search_query_parse(request.GET.get("q"))
    page = None
    if query:
        paginator = Paginator(run_search(query), RESULTS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
    context = {"query": query, "page": page, "max_query_chars": MAX_QUERY_CHARS}
    return render(request, "publications/search.html", context)

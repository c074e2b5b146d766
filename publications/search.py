"""Site search over news, 協働事例, the 協働人材バンク and the site pages.

Matching is done in Python, not by the database, so SQLite and PostgreSQL give the same
results and Japanese works without a tokenizer: query and texts are normalised the same
way (`normalize`: NFKC, casefold, hiragana folded to katakana) and every query term must
occur as a substring somewhere in a result (AND). 「協働」 therefore finds 「市民協働推進」,
「こどもしょくどう」 finds 「コドモショクドウ」 and 「ＮＰＯ」 finds "NPO".

Limit: each search reads every published row of each source (at most
`MAX_CANDIDATES_PER_SOURCE`, newest first) with `.only()` of the searched fields. That is
fine for the center's size (a few thousand rows in all); past that, move to a database
full-text index (PostgreSQL pg_bigm or trigram) and keep this module's normalisation.

Events (and any app publications may not import) join through
`center.core.search_sources`: they register a source, and its candidates are ranked here
with the rest.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.template import Context, loader
from django.template.loader_tags import BlockNode
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from center.core.search_sources import search_sources
from center.core.views import SITE_PAGES
from center.lib.japanese import normalize
from center.lib.text import plain_texts

from .models import CaseStory, NewsItem, StoryPartner, TalentProfile

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 100
MAX_TERMS = 10
MAX_CANDIDATES_PER_SOURCE = 5000
SNIPPET_CHARS = 120
# Characters of context shown before the first hit in a snippet.
SNIPPET_LEAD = 40
SITE_PAGE_CACHE_SECONDS = 60 * 60
SITE_PAGE_CACHE_VERSION = 1

# Weights per field role, counted once per term and field that contains it.
WEIGHT_TITLE = 5
WEIGHT_SUMMARY = 2
WEIGHT_BODY = 1
# At most this much for brand-new content, falling to 0 over RECENCY_DAYS: it orders
# equally relevant results, never lifts a body hit above a title hit.
RECENCY_BONUS = 0.9
RECENCY_DAYS = 365

KIND_LABELS = {
    "news": _("News"),
    "story": _("Collaboration stories"),
    "talent": _("Collaboration talent bank"),
    "page": _("Center information"),
}

_WHITESPACE = re.compile(r"\s+")


# Normalisation ------------------------------------------------------------------------------


def _strip_controls(text: str) -> str:
    # Cc: control characters; Cs: lone surrogates (cannot even be encoded).
    return "".join(
        " " if c in "\t\n\r" else c
        for c in text
        if unicodedata.category(c) not in ("Cc", "Cs") or c in "\t\n\r"
    )


@dataclass(frozen=True)
class SearchQuery:
    text: str  # cleaned, as shown back in the search box
    terms: tuple[str, ...]  # normalised, distinct, in order
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.terms)


def search_query_parse(raw: str | None) -> SearchQuery:
    """A visitor's `q`: controls stripped, cut at MAX_QUERY_CHARS, split on any whitespace
    (the full-width space too) into at most MAX_TERMS distinct terms."""
    text = _WHITESPACE.sub(" ", _strip_controls(raw or "")).strip()
    truncated = len(text) > MAX_QUERY_CHARS
    if truncated:
        text = text[:MAX_QUERY_CHARS].rstrip()
    terms = tuple(dict.fromkeys(normalize(text).split()))[:MAX_TERMS]
    return SearchQuery(text=text, terms=terms, truncated=truncated)


# Documents ----------------------------------------------------------------------------------


@dataclass
class Document:
    """One searchable thing: fields are (weight, text) pairs, the first is the title."""

    kind: str
    url_name: str
    title: str
    date: datetime | None
    fields: list[tuple[int, str]]
    pk: int | None = None
    _normalised: list[str] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        # Reversed only for the results on the page shown, not for every published row.
        return reverse(self.url_name, kwargs={"pk": self.pk} if self.pk is not None else None)

    @property
    def normalised(self) -> list[str]:
        if self._normalised is None:
            self._normalised = [normalize(text) for _, text in self.fields]
        return self._normalised


def _news_documents(now: datetime) -> list[Document]:
    items = list(
        NewsItem.objects.published(now)
        .order_by("-publish_from", "-pk")
        .only("pk", "title", "body", "publish_from")[:MAX_CANDIDATES_PER_SOURCE]
    )
    bodies = plain_texts([item.body for item in items])
    return [
        Document(
            kind="news",
            url_name="publications:news_detail",
            pk=item.pk,
            title=item.title,
            date=item.publish_from,
            fields=[(WEIGHT_TITLE, item.title), (WEIGHT_BODY, body)],
        )
        for item, body in zip(items, bodies, strict=True)
    ]


def _story_documents() -> list[Document]:
    # Plain rows, not model instances: a search reads every published story (1,000 stories
    # as instances with prefetched partners cost more than all the matching).
    stories = list(
        CaseStory.objects.published()
        .order_by("-published_at", "-pk")
        .values_list("pk", "title", "summary", "body", "published_at")[:MAX_CANDIDATES_PER_SOURCE]
    )
    partners: dict[int, list[str]] = {}
    for story_id, name in (
        StoryPartner.objects.filter(story__status=CaseStory.Status.PUBLISHED)
        .order_by("pk")
        .values_list("story_id", "name")
    ):
        partners.setdefault(story_id, []).append(name)
    bodies = plain_texts([body for _pk, _title, _summary, body, _date in stories])
    return [
        Document(
            kind="story",
            url_name="publications:story_detail",
            pk=pk,
            title=title,
            date=published_at,
            fields=[
                (WEIGHT_TITLE, title),
                (WEIGHT_SUMMARY, summary),
                (WEIGHT_SUMMARY, " ".join(partners.get(pk, ()))),
                (WEIGHT_BODY, body),
            ],
        )
        for (pk, title, summary, _markdown, published_at), body in zip(stories, bodies, strict=True)
    ]


def _talent_documents() -> list[Document]:
    # Never the email field: it is for staff only and must not be findable.
    profiles = list(
        TalentProfile.objects.published()
        .order_by("name_kana", "pk")
        .only("pk", "name", "name_kana", "affiliation", "activities")[:MAX_CANDIDATES_PER_SOURCE]
    )
    return [
        Document(
            kind="talent",
            url_name="publications:talent_detail",
            pk=profile.pk,
            title=profile.name,
            date=None,
            fields=[
                (WEIGHT_TITLE, profile.name),
                (WEIGHT_TITLE, profile.name_kana),
                (WEIGHT_SUMMARY, profile.affiliation),
                (WEIGHT_BODY, activities),
            ],
        )
        for profile, activities in zip(
            profiles, plain_texts([p.activities for p in profiles]), strict=True
        )
    ]


def _block_text(template, name: str, context: Context) -> str:
    for node in template.nodelist.get_nodes_by_type(BlockNode):
        if node.name == name:
            rendered = node.render(context)
            return _WHITESPACE.sub(" ", html.unescape(strip_tags(rendered))).strip()
    return ""


def _render_site_page(page: str, language: str) -> tuple[str, str]:
    """(title, text) of a site page's own blocks, without the site's header and footer."""
    stem = SITE_PAGES[page]
    template = loader.select_template([f"{stem}.{language}.html", f"{stem}.ja.html"]).template
    context = Context(
        {
            "page": page,
            "retention_years": settings.CONSULTATION_RETENTION_FISCAL_YEARS,
            "SITE_URL": settings.SITE_URL,
            "CENTER_NAME": settings.CENTER_NAME,
        }
    )
    with context.render_context.push_state(template), context.bind_template(template):
        return _block_text(template, "title", context), _block_text(template, "content", context)


def _site_page_texts(language: str) -> dict[str, tuple[str, str]]:
    """Rendered once per language and kept an hour: the pages change only with a deploy."""
    key = f"publications:search:site-pages:{SITE_PAGE_CACHE_VERSION}:{language}"
    try:
        texts = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable for the search's site pages", exc_info=True)
        texts = None
    if texts is None:
        with translation.override(language):
            texts = {page: _render_site_page(page, language) for page in SITE_PAGES}
        try:
            cache.set(key, texts, SITE_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Cache unavailable for the search's site pages", exc_info=True)
    return texts


def _page_documents() -> list[Document]:
    language = "en" if (translation.get_language() or "ja").startswith("en") else "ja"
    return [
        Document(
            kind="page",
            url_name=f"core:{page}",
            title=title,
            date=None,
            fields=[(WEIGHT_TITLE, title), (WEIGHT_BODY, text)],
        )
        for page, (title, text) in _site_page_texts(language).items()
    ]


def _registered_documents(now: datetime) -> list[Document]:
    """Candidates of the sources other apps registered (events...)."""
    documents = []
    for source in search_sources():
        candidates = source.candidates(now)[:MAX_CANDIDATES_PER_SOURCE]
        bodies = plain_texts([candidate.body for candidate in candidates])
        documents += [
            Document(
                kind=source.kind,
                url_name=candidate.url_name,
                pk=candidate.pk,
                title=candidate.title,
                date=candidate.date,
                fields=[
                    (WEIGHT_TITLE, candidate.title),
                    (WEIGHT_SUMMARY, candidate.summary),
                    (WEIGHT_BODY, body),
                ],
            )
            for candidate, body in zip(candidates, bodies, strict=True)
        ]
    return documents


# Matching and ranking -----------------------------------------------------------------------


@dataclass
class SearchResult:
    document: Document
    score: float
    terms: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def kind_label(self) -> str:
        if self.document.kind in KIND_LABELS:
            return str(KIND_LABELS[self.document.kind])
        labels = {source.kind: source.label for source in search_sources()}
        return str(labels.get(self.document.kind, self.document.kind))

    @property
    def url(self) -> str:
        return self.document.url

    @property
    def date(self) -> datetime | None:
        return self.document.date

    @property
    def title_html(self) -> SafeString:
        return highlight(self.document.title, self.terms, window=None)

    @property
    def snippet(self) -> SafeString:
        """~SNIPPET_CHARS around the first hit outside the title, else the opening text."""
        texts = [
            (text, norm)
            for (_, text), norm in zip(
                self.document.fields[1:], self.document.normalised[1:], strict=True
            )
            if text
        ]
        for text, norm in texts:
            if any(term in norm for term in self.terms):
                return highlight(text, self.terms, window=SNIPPET_CHARS)
        return highlight(texts[0][0], self.terms, window=SNIPPET_CHARS) if texts else mark_safe("")


def _score(document: Document, terms: tuple[str, ...], now: datetime) -> float:
    """0 unless every term occurs somewhere; else the weighted hits plus a recency bonus."""
    score = 0.0
    for term in terms:
        hits = [
            weight
            for (weight, _), norm in zip(document.fields, document.normalised, strict=True)
            if term in norm
        ]
        if not hits:
            return 0.0
        score += sum(hits)
    if document.date is not None:
        age_days = max((now - document.date).total_seconds() / 86400, 0)
        score += RECENCY_BONUS * max(0.0, 1 - age_days / RECENCY_DAYS)
    return score


def search(query: SearchQuery, *, now: datetime | None = None) -> list[SearchResult]:
    """Every public match for `query`, best first (score, then newest). Empty for no terms."""
    if not query:
        return []
    now = now or timezone.now()
    documents = [
        *_news_documents(now),
        *_story_documents(),
        *_talent_documents(),
        *_page_documents(),
        *_registered_documents(now),
    ]
    results = []
    for document in documents:
        score = _score(document, query.terms, now)
        if score > 0:
            results.append(SearchResult(document=document, score=score, terms=query.terms))
    # Stable sorts: newest first, then by score, so equal scores stay newest first.
    results.sort(key=lambda r: r.date.timestamp() if r.date else float("-inf"), reverse=True)
    results.sort(key=lambda r: r.score, reverse=True)
    return results


# Highlighting -------------------------------------------------------------------------------


def _normalised_with_map(text: str) -> tuple[str, list[int]] | None:
    """The normalised text and, per normalised character, the index of its original one.

    None when normalising character by character differs from normalising the whole text
    (say, a half-width ｶ followed by its ﾞ): the positions would not map back safely."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = normalize(char)
        pieces.append(piece)
        origin.extend([index] * len(piece))
    joined = "".join(pieces)
    if joined != normalize(text):
        return None
    return joined, origin


def _spans(norm: str, origin: list[int], terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Merged (start, end) spans in the original text where any term occurs."""
    spans = []
    for term in terms:
        start = norm.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((origin[start], origin[end - 1] + 1))
            start = norm.find(term, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: tuple[str, ...], *, window: int | None) -> SafeString:
    """`text` escaped, with every term occurrence wrapped in <mark>.

    With a `window`, only about that many characters around the first hit are kept, with
    an ellipsis where text was cut. Each piece of text is escaped before the tags are put
    between the pieces, so nothing the text contains can become markup."""
    mapped = _normalised_with_map(text)
    spans = _spans(*mapped, terms) if mapped else []
    start, end = 0, len(text)
    if window is not None and len(text) > window:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - SNIPPET_LEAD, len(text) - window))
        end = start + window
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    # Safe: every piece of the visitor's and the author's text went through escape().
    return mark_safe("".join(parts))

"""Body texts written by staff: Markdown in, allow-listed HTML out.

Python-Markdown passes raw HTML through (it has no safe mode any more), so whatever it
produces is only a draft: the *output* goes through nh3 (ammonia) with a strict allow-list.
Nothing here trusts the author: scripts, styles, event handlers, forms and foreign embeds
never reach a page, whoever typed them.
"""

import functools
import hashlib
import html
import logging
import re
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

# No "extra": its footnotes, attr_list, abbr and md_in_html produce ids, classes and tags
# the allow-list would strip again, leaving broken anchors. nl2br because Japanese authors
# break lines where they want them, and a joined line reads as one run-on sentence.
MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    # h1, h5 and h6 are kept through cleaning only to be renamed afterwards (_HEADINGS).
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
# Removed together with everything inside them, not just unwrapped.
REMOVED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "noscript",
    "noembed",
    "noframes",
    "template",
    "svg",
    "math",
    "textarea",
    "select",
    "title",
    "xmp",
}
URL_SCHEMES = {"http", "https", "mailto"}
# Bump when the rules above change, so no page keeps HTML made under the old ones.
RENDER_VERSION = 1
RENDER_CACHE_SECONDS = 7 * 24 * 60 * 60

# A page has one <h1> (its title): body headings start at <h2> and stop at <h4>.
_HEADINGS = {"h1": "h2", "h5": "h4", "h6": "h4"}
_HEADING_TAG = re.compile(r"<(/?)(h1|h5|h6)>")
# After nh3 every "<" inside an attribute value is escaped, so a literal "<img" is a tag.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
# C0 controls except tab and newlines: Python-Markdown uses STX/ETX as its own markers.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr|th|td)>|<br>|<hr>")
_WHITESPACE = re.compile(r"\s+")
# Python-Markdown is quadratic on some shapes of text, and a page that takes minutes is as
# broken as a 500. From every "[" (and every "](") it scans ahead to the matching bracket,
# or to the end of the paragraph when there is none: 20,000 "[" took over a minute. It
# takes heading, rule and underline lines off a paragraph one at a time, searching the rest
# each time. And Python's HTMLParser (3.11) reads from every unclosed "<tag" to the end of
# the text. A text whose scans would add up past these bounds (a fraction of a second of
# work) is shown as plain paragraphs instead, as when Markdown fails. Real texts stay far
# below them: a link or a tag costs the length of its own text.
MAX_LINK_SCAN = 500_000
MAX_BLOCK_LINE_SCAN = 5_000_000
MAX_TAG_SCAN = 1_500_000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LINK_BRACKETS = re.compile(r"\]\(|[\[\]()]")
_BLOCK_LINE = re.compile(r"^ {0,3}(?:#|(?:[-*_] *){3,}$|[=-]+ *$)", re.MULTILINE)
_TAG_OPEN = re.compile(r"</?[A-Za-z]")
# What a stored upload's URL looks like (Django's storage keeps word characters, Japanese
# included, and . - _): no quotes, spaces or brackets that could only come from a trick.
_MEDIA_PATH = re.compile(r"[\w./~%-]+")


def _allowed_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_local_media(value) else None
    return value


def _is_local_media(url: str) -> bool:
    """Images only from our own uploads: a foreign image is a tracking pixel or an embed."""
    url = url.strip()
    if "\\" in url or url.startswith("//"):
        return False
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return False
    return (
        parts.path.startswith(settings.MEDIA_URL)
        and _MEDIA_PATH.fullmatch(parts.path) is not None
        and ".." not in parts.path.split("/")
        and not parts.query
    )


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_allowed_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_html(fragment: str) -> str:
    """Allow-listed HTML from any HTML fragment (see module docstring)."""
    cleaned = _cleaner().clean(_clean_input(fragment))
    cleaned = _HEADING_TAG.sub(lambda m: f"<{m[1]}{_HEADINGS[m[2]]}>", cleaned)
    return _IMG_WITHOUT_SRC.sub("", cleaned)


def _clean_input(text: str) -> str:
    # Lone surrogates cannot be encoded (nh3 and hashing would raise); controls are noise.
    return _SURROGATES.sub("\ufffd", _CONTROL_CHARS.sub("", text or ""))


def _link_scan_cost(paragraph: str) -> int:
    """How many characters Python-Markdown's link patterns scan in this paragraph."""
    cost = 0
    squares: list[int] = []
    parens: list[tuple[int, bool]] = []  # (position, opens a link target)
    for match in _LINK_BRACKETS.finditer(paragraph):
        token, at = match[0], match.start()
        if token == "[":
            squares.append(at)
        elif token in ("]", "]("):
            if squares:
                cost += at - squares.pop()
            if token == "](":
                parens.append((at, True))
        elif token == "(":
            parens.append((at, False))
        elif parens:
            start, is_link = parens.pop()
            cost += at - start if is_link else 0
    end = len(paragraph)
    return cost + sum(end - at for at in squares) + sum(end - at for at, link in parens if link)


def _tag_scan_cost(text: str) -> int:
    """How many characters HTMLParser reads looking for the ends of tags (stops early)."""
    cost = 0
    for match in _TAG_OPEN.finditer(text):
        end = text.find(">", match.start())
        cost += (end if end != -1 else len(text)) - match.start()
        if cost > MAX_TAG_SCAN:
            break
    return cost


def _too_slow_for_markdown(text: str) -> bool:
    if _tag_scan_cost(text) > MAX_TAG_SCAN:
        return True
    link_scan = block_line_scan = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        link_scan += _link_scan_cost(paragraph)
        block_line_scan += len(_BLOCK_LINE.findall(paragraph)) * len(paragraph)
        if link_scan > MAX_LINK_SCAN or block_line_scan > MAX_BLOCK_LINE_SCAN:
            return True
    return False


def _markdown_to_html(text: str) -> str:
    if _too_slow_for_markdown(text):
        logger.warning("Markdown not applied to a pathological text of %d characters", len(text))
        return linebreaks(escape(text))
    try:
        return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    except Exception:
        # Pathological input (say, thousands of nested quotes) must not take a page down:
        # show the text as plain paragraphs instead.
        logger.warning("Markdown could not render a text of %d characters", len(text))
        return linebreaks(escape(text))


def _memo_key(kind: str, cleaned_text: str) -> str:
    digest = hashlib.sha256(f"{settings.MEDIA_URL}\0{cleaned_text}".encode()).hexdigest()
    return f"publications:{kind}:{RENDER_VERSION}:{digest}"


def _safe_html(text: str) -> str:
    text = _clean_input(text)
    # Remembered by content: Python-Markdown is slow on some inputs (thousands of "["
    # take minutes), so a text is converted once per change, not once per page view.
    key = _memo_key("markdown", text)
    try:
        rendered = cache.get(key)
    except Exception:  # the cache is down: render anyway, a page needs no memo
        logger.warning("Cache unavailable for a Markdown render", exc_info=True)
        return sanitize_html(_markdown_to_html(text))
    if rendered is None:
        rendered = sanitize_html(_markdown_to_html(text))
        try:
            cache.set(key, rendered, RENDER_CACHE_SECONDS)
        except Exception:
            logger.warning("Cache unavailable for a Markdown render", exc_info=True)
    return rendered


def render_markdown(text: str) -> SafeString:
    """Staff-written Markdown as HTML that is safe to put on a public page."""
    if not text:
        return mark_safe("")
    # Safe because sanitize_html allow-listed every tag and attribute.
    return mark_safe(_safe_html(text))


def plain_text(text: str, max_chars: int = 200) -> str:
    """The words of a Markdown text without markup, for summaries, feeds and meta tags.

    Cut at `max_chars` (an ellipsis included). The result is plain text: templates escape
    it as usual."""
    if not text:
        return ""
    # A space after each block, so paragraphs and list items do not run into each other.
    spaced = _BLOCK_END.sub(lambda match: match[0] + " ", _safe_html(text))
    words = _WHITESPACE.sub(" ", html.unescape(nh3.clean(spaced, tags=set()))).strip()
    if max_chars > 0 and len(words) > max_chars:
        return words[: max_chars - 1].rstrip() + "…"
    return words


def plain_texts(texts: list[str]) -> list[str]:
    """`plain_text(text, 0)` of many texts, remembered together: one cache round trip for
    all of them instead of one per text (the search reads every published body)."""
    keys = [_memo_key("plain", _clean_input(text)) if text else "" for text in texts]
    try:
        found = cache.get_many([key for key in keys if key])
    except Exception:
        logger.warning("Cache unavailable for plain texts", exc_info=True)
        found = {}
    results, missing = [], {}
    for text, key in zip(texts, keys, strict=True):
        words = found.get(key) if key else ""
        if words is None:
            words = missing[key] = plain_text(text, 0)
        results.append(words)
    if missing:
        try:
            cache.set_many(missing, RENDER_CACHE_SECONDS)
        except Exception:
            logger.warning("Cache unavailable for plain texts", exc_info=True)
    return results


def markdown_preview(text: str) -> SafeString:
    """The rendered body as the public page will show it, for the admin's preview field."""
    return render_to_string("lib/_markdown_preview.html", {"html": render_markdown(text)})

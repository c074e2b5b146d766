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


def _markdown_to_html(text: str) -> str:
    try:
        return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    except Exception:
        # Pathological input (say, thousands of nested quotes) must not take a page down:
        # show the text as plain paragraphs instead.
        logger.warning("Markdown could not render a text of %d characters", len(text))
        return linebreaks(escape(text))


def _safe_html(text: str) -> str:
    text = _clean_input(text)
    # Remembered by content: Python-Markdown is slow on some inputs (thousands of "["
    # take minutes), so a text is converted once per change, not once per page view.
    digest = hashlib.sha256(f"{settings.MEDIA_URL}\0{text}".encode()).hexdigest()
    key = f"publications:markdown:{RENDER_VERSION}:{digest}"
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


def markdown_preview(text: str) -> SafeString:
    """The rendered body as the public page will show it, for the admin's preview field."""
    return render_to_string("publications/_markdown_preview.html", {"html": render_markdown(text)})

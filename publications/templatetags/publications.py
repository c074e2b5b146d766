"""`{% load publications %}`: body texts on public pages.

{{ item.body|markdown }}            allow-listed HTML (center/lib/text.py)
{{ item.body|plain_text:160 }}      the words only, for summaries and meta tags
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from center.lib import text

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value) -> SafeString:
    return text.render_markdown(str(value) if value is not None else "")


@register.filter(name="plain_text")
def plain_text_filter(value, max_chars=200) -> str:
    try:
        limit = int(max_chars)
    except (TypeError, ValueError):
        limit = 200
    return text.plain_text(str(value) if value is not None else "", limit)


@register.filter
def newsletter_subject(issue) -> str:
    """An issue's subject in the page's language (Japanese when it has no English one)."""
    return issue.subject_in(get_language() or "ja")


@register.filter
def newsletter_subject_language(issue) -> str:
    """The language of the subject `newsletter_subject` shows, for a lang attribute."""
    return "en" if (get_language() or "ja").startswith("en") and issue.subject_en else "ja"


@register.filter
def masked_email(value: str) -> str:
    """ta***@example.jp: enough for its owner to recognise, little for anyone else who
    opens a forwarded link."""
    local, at, domain = str(value).partition("@")
    if not at:
        return "***"
    return f"{local[:2]}***@{domain}"

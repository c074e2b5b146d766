"""`{% load publications %}`: body texts on public pages.

{{ item.body|markdown }}            allow-listed HTML (publications/text.py)
{{ item.body|plain_text:160 }}      the words only, for summaries and meta tags
"""

from django import template
from django.utils.safestring import SafeString

from publications import text

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

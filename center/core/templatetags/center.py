import datetime
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import get_language

from center.core.fiscal import fiscal_year_label
from center.lib.i18n import strip_language_prefix

register = template.Library()

_WEEKDAYS_JA = "月火水木金土日"


@register.simple_tag(takes_context=True)
def url_in_language(context, language: str) -> str:
    """This page's URL in another language (no prefix for Japanese, /en/ for English)."""
    request = context["request"]
    path = strip_language_prefix(request.path)
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


@register.filter
def jdate(value, with_time: bool = False) -> str:
    """2026年11月23日(月) in Japanese; the locale's long date in English."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if (get_language() or "ja").startswith("ja"):
        text = f"{value.year}年{value.month}月{value.day}日({_WEEKDAYS_JA[value.weekday()]})"
        if with_time and isinstance(value, datetime.datetime):
            text += f" {value:%H:%M}"
        return text
    fmt = "D j M Y, H:i" if with_time and isinstance(value, datetime.datetime) else "D j M Y"
    return formats.date_format(value, fmt)


@register.filter
def fiscal_year(value: int, era: bool = False) -> str:
    return fiscal_year_label(int(value), era=bool(era))


@register.filter(name="markdown")
def markdown_filter(value):
    """Staff-written Markdown as allow-listed HTML (center/lib/text.py), for any app."""
    from center.lib.text import render_markdown

    return render_markdown(str(value) if value is not None else "")


@register.filter
def number(value) -> str:
    """1234 → '1,234'; 12.345 → '12.3'; anything else as it is (None → '—')."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float | Decimal):
        return f"{float(value):,.1f}"
    return str(value)

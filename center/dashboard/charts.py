"""Server-rendered SVG charts (pygal) of a `center.core.stats.Table`.

A chart is an SVG image in a data: URI, shown with `<img alt=…>` beside a data table with
the same numbers: no JavaScript, nothing fetched, allowed by the site's CSP (img-src data:),
and WeasyPrint draws the same image in the annual report.
"""

import base64
import re
import unicodedata

import pygal
from pygal.style import Style

from center.core.stats import Table

# Dark, distinct colours: each keeps at least 4.5:1 against white.
PALETTE = ("#0b5394", "#a14a00", "#2e6b1f", "#6a329f", "#990000", "#38434f")

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    opacity="1",
    opacity_hover="1",
    colors=PALETTE,
    font_family="'Noto Sans CJK JP', 'Noto Sans JP', sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
    title_font_size=15,
    tooltip_font_size=12,
)

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def chart_svg(table: Table) -> str:
    """The chart's SVG markup; "" when the table is not drawn or has no number to draw."""
    if not table.chart or not table.rows or len(table.columns) < 2:
        return ""
    if not any(_number(value) for row in table.rows for value in row[1:]):
        return ""
    many = len(table.rows)
    series_count = len(table.columns) - 1
    common = {
        "style": STYLE,
        "js": [],
        "explicit_size": True,
        "width": 720,
        "show_legend": series_count > 1,
        "legend_at_bottom": True,
        "print_values": table.chart in ("bar", "column") and many <= 24,
        "print_values_position": "top",
        "margin": 12,
        "truncate_label": 30,
        "min_scale": 4,
    }
    if table.chart == "bar":
        # pygal sizes the label column as if every character were a Latin one; Japanese
        # characters are about twice as wide, so widen the left margin by the difference.
        common["margin_left"] = 12 + _wide_extra(chart_labels(table), STYLE.label_font_size)
        height = max(160, 60 + 34 * many * series_count)
        chart = pygal.HorizontalBar(height=height, **common)
    elif table.chart == "line":
        chart = pygal.Line(height=320, x_label_rotation=30 if many > 6 else 0, **common)
    else:  # "column": months along the bottom
        chart = pygal.Bar(height=320, x_label_rotation=30 if many > 6 else 0, **common)
    # pygal stacks horizontal bars from the bottom up: reversed, they read top-down in the
    # same order as the table beside them.
    rows = table.rows[::-1] if table.chart == "bar" else table.rows
    chart.x_labels = [str(row[0]) for row in rows]
    for index, column in enumerate(table.columns[1:], start=1):
        chart.add(str(column), [_number(row[index]) for row in rows])
    svg = chart.render(is_unicode=True)
    # Tooltips need pygal's JavaScript, which an <img> never runs: drop the dead weight.
    return _COMMENT.sub("", _SCRIPT.sub("", svg))


def chart_data_uri(table: Table) -> str:
    svg = chart_svg(table)
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_alt(table: Table) -> str:
    """A short text alternative: the title and the largest rows; the table has the rest."""
    numbered = [(str(row[0]), _number(row[1])) for row in table.rows if _number(row[1]) is not None]
    top = sorted(numbered, key=lambda item: item[1], reverse=True)[:3]
    details = ", ".join(f"{label} {_format(value)}" for label, value in top)
    return f"{table.title}: {details}" if details else str(table.title)


def chart_labels(table: Table) -> list[str]:
    return [str(row[0]) for row in table.rows]


def _wide_extra(labels: list[str], font_size: int) -> int:
    wide = max(
        (sum(unicodedata.east_asian_width(ch) in "WF" for ch in label[:30]) for label in labels),
        default=0,
    )
    return int(wide * font_size * 0.45)


def _number(value):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _format(value) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

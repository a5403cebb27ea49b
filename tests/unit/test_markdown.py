"""markdown: editor Markdown -> safe HTML (raw HTML escaped, unsafe links dropped, headings shifted)."""
from __future__ import annotations

import pytest

from briefing import markdown


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("a <b>bold</b> c", "<p>a &lt;b&gt;bold&lt;/b&gt; c</p>\n"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"),
        ("<!-- hidden -->\n\ntext", "<p>&lt;!-- hidden --&gt;</p>\n<p>text</p>\n"),
        ("<div>\n*x*\n</div>", "<p>&lt;div&gt;\n<em>x</em>\n&lt;/div&gt;</p>\n"),
        ("`code <b>`", "<p><code>code &lt;b&gt;</code></p>\n"),
        ("```\n<script>\n```", "<pre><code>&lt;script&gt;\n</code></pre>\n"),
    ],
)
def test_raw_html_is_escaped_never_passed_through(source, html):
    assert markdown.render_embedded(source) == html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](java&#x09;script:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](VBScript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "![x](javascript:alert(1))",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "[x][1]\n\n[1]: javascript:alert(1)",
    ],
)
def test_unsafe_links_are_not_linked(source):
    html = markdown.render_embedded(source)
    assert "<a" not in html and "<img" not in html and "href" not in html and "src=" not in html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[x](https://example.org/a?b=1&c=2)", '<p><a href="https://example.org/a?b=1&amp;c=2">x</a></p>\n'),
        ("[x](http://example.org)", '<p><a href="http://example.org">x</a></p>\n'),
        ("[x](mailto:press@example.org)", '<p><a href="mailto:press@example.org">x</a></p>\n'),
        ("[x](../about/index.html)", '<p><a href="../about/index.html">x</a></p>\n'),
        ("[x](#sources)", '<p><a href="#sources">x</a></p>\n'),
        ("<https://example.org>", '<p><a href="https://example.org">https://example.org</a></p>\n'),
        ('[x]("onmouseover=alert(1))', '<p><a href="%22onmouseover=alert(1)">x</a></p>\n'),
    ],
)
def test_safe_links_are_linked_with_escaped_addresses(source, html):
    assert markdown.render_embedded(source) == html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("# Background", "<h3>Background</h3>\n"),
        ("## Career", "<h3>Career</h3>\n"),
        ("## Career\n\n### Early life", "<h3>Career</h3>\n<h4>Early life</h4>\n"),
        ("#### Detail\n\n###### Deeper", "<h3>Detail</h3>\n<h5>Deeper</h5>\n"),
        ("# A\n\n## B\n\n### C\n\n#### D\n\n##### E", "<h3>A</h3>\n<h4>B</h4>\n<h5>C</h5>\n<h6>D</h6>\n<h6>E</h6>\n"),
        ("Setext\n======", "<h3>Setext</h3>\n"),
    ],
)
def test_embedded_headings_start_one_level_under_the_section_and_keep_their_depth(source, html):
    assert markdown.render_embedded(source) == html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("# Method", "<h2>Method</h2>\n"),
        ("### Sources", "<h2>Sources</h2>\n"),
        ("## Method\n\n### Sources", "<h2>Method</h2>\n<h3>Sources</h3>\n"),
    ],
)
def test_free_page_headings_start_at_h2_under_the_page_title(source, html):
    assert markdown.render_page(source) == html


def test_common_markdown_still_renders():
    source = "Analyst note with **bold**, _emphasis_ and a list:\n\n- one\n- two\n\n> quoted\n"
    assert markdown.render_embedded(source) == (
        "<p>Analyst note with <strong>bold</strong>, <em>emphasis</em> and a list:</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
    )


def test_render_tokens_uses_the_given_text_renderer_and_restores_the_default():
    tokens = markdown.parse("Hello *world*")
    assert markdown.render_tokens(tokens, lambda token: token.content.upper()) == "<p>HELLO <em>WORLD</em></p>\n"
    assert markdown.render_tokens(markdown.parse("a < b")) == "<p>a &lt; b</p>\n"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<a href=\"x\">&'", "&lt;a href=&#34;x&#34;&gt;&amp;&#39;"),
        ("plain", "plain"),
        ("Biden’s", "Biden’s"),
    ],
)
def test_escape_text_escapes_markup_characters(text, html):
    assert markdown.escape_text(text) == html


@pytest.mark.parametrize(
    "source",
    ["![chart](https://example.org/chart.png)", "![x](data:image/png;base64,AAAA)", "![local](img/chart.png)"],
)
def test_images_are_never_rendered_so_no_page_fetches_from_outside(source):
    html = markdown.render_embedded(source)
    assert "<img" not in html
    assert "!" in html  # the Markdown stays visible as text

"""outputs/links: every internal link and #anchor of a site lands. A walk over both example sites as built on
disk, read with the standard HTML parser (an oracle independent of the checker's regular expression), and
the checker's verdict on each kind of link."""
from __future__ import annotations

import os
import posixpath
import random
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from briefing.config import SiteConfig
from briefing.model import Page
from briefing.outputs.links import ATTRIBUTE, SPACED_EQUALS, TIGHT_ATTRIBUTE, check_links, check_summaries, scan_page, summarize_page

LINK_ATTRIBUTES = ("href", "src", "xlink:href")


class LinksAndIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name in LINK_ATTRIBUTES and value is not None:
                self.links.append(value)
            elif name == "id" and value is not None:
                self.ids.add(value)


def parse(path: Path) -> LinksAndIds:
    parser = LinksAndIds()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def walk_links(root: Path) -> tuple[int, list[str]]:
    """(internal links followed, broken ones) over every HTML page under `root`, as a browser opening the
    site from disk resolves them."""
    pages = sorted(Path(folder, name) for folder, _, names in os.walk(root) for name in names if name.endswith(".html"))
    parsed = {page: parse(page) for page in pages}
    followed, broken = 0, []
    for page, found in parsed.items():
        for link in found.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            assert not parts.path.startswith("/"), f"{page}: root-absolute link {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            followed += 1
            if root.resolve() not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(root)}: {link} (no file)")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(root)}: {link} (no id)")
    return followed, broken


def test_every_internal_link_and_anchor_of_the_example_sites_resolves_on_disk(built_sites):
    for case, root in sorted(built_sites.items()):
        followed, broken = walk_links(root)
        assert broken == [], case
        assert followed > 500, f"{case}: only {followed} links followed"


def test_the_checker_finds_the_same_links_and_ids_as_an_html_parser(built_sites):
    for root in built_sites.values():
        for page in sorted(root.rglob("*.html")):
            parsed, scanned = parse(page), scan_page(page.read_bytes())
            assert set(scanned.links) == set(parsed.links), page
            assert {id_.decode() for id_ in scanned.ids} == parsed.ids, page


# --- the checker on small sites --------------------------------------------------------------------

CONFIG = SiteConfig(project=Path("/project"), output=Path("/project/site"), base_url="https://example.org/briefing")


def check(files: dict[str, str]) -> list[str]:
    pages = [Page(path, content.encode("utf-8")) for path, content in files.items()]
    return sorted(str(problem) for problem in check_links(pages, CONFIG))


TARGETS = {
    "index.html": '<main id="main"></main>',
    "documents/a/index.html": '<p id="s-1">One.</p><a id="m-joe-biden-1">Biden</a>',
    "assets/style.css": "",
}


@pytest.mark.parametrize(
    "page, link",
    [
        ("actors/x/index.html", "../../documents/a/index.html"),
        ("actors/x/index.html", "../../documents/a/index.html#m-joe-biden-1"),
        ("actors/x/index.html", "../../assets/style.css"),
        ("documents/a/index.html", "#s-1"),
        ("documents/a/index.html", "index.html#s-1"),
        ("documents/a/index.html", "./index.html"),
        ("documents/index.html", "a/index.html#s-1"),
        ("documents/index.html", "../documents/./a/../a/index.html"),
        ("index.html", "documents/a/index.html?from=home#s-1"),
        ("index.html", "#main"),
        ("index.html", "#"),
        ("index.html", "https://other.example.com/missing/"),
        ("index.html", "mailto:desk@example.org"),
        ("index.html", "//cdn.example.com/x.js"),
        ("index.html", "https://example.org/briefing/documents/a/"),
        ("index.html", "https://example.org/briefing/documents/a/index.html#s-1"),
        ("index.html", "https://example.org/briefing"),
        ("index.html", "https://example.org/briefingx/missing.html"),
    ],
)
def test_a_link_that_lands_is_not_reported(page, link):
    files = {**TARGETS, page: TARGETS.get(page, "") + f'<a href="{link}">x</a>'}
    assert check(files) == []


@pytest.mark.parametrize(
    "page, markup, message",
    [
        ("actors/x/index.html", '<a href="../../documents/missing/index.html">x</a>',
         "site/actors/x/index.html:1:4: error: link to ../../documents/missing/index.html has no target"),
        ("actors/x/index.html", '<a href="../../documents/a/index.html#m-joe-biden-2">x</a>',
         "site/actors/x/index.html:1:4: error: link to ../../documents/a/index.html#m-joe-biden-2 has no target: "
         "site/documents/a/index.html has no element with id 'm-joe-biden-2'"),
        ("actors/x/index.html", '<p>\n  <a class="chip" href="#statements">x</a>',
         "site/actors/x/index.html:2:19: error: link to #statements has no target: this page has no element with id 'statements'"),
        ("actors/x/index.html", '<a href="../../documents/a/">x</a>',
         "site/actors/x/index.html:1:4: error: link to ../../documents/a/ names a folder, which works on a web server "
         "but not from disk; link to ../../documents/a/index.html"),
        ("actors/x/index.html", '<a href="/documents/a/index.html">x</a>',
         "site/actors/x/index.html:1:4: error: link to /documents/a/index.html is absolute: it breaks under a sub-path "
         "and from disk; link relative to the page"),
        ("actors/x/index.html", '<a href="../../../elsewhere/index.html">x</a>',
         "site/actors/x/index.html:1:4: error: link to ../../../elsewhere/index.html leaves the site"),
        ("actors/x/index.html", '<link rel="stylesheet" href="../../assets/missing.css">',
         "site/actors/x/index.html:1:24: error: link to ../../assets/missing.css has no target"),
        ("actors/x/index.html", '<script src="../../assets/search.js" defer></script>',
         "site/actors/x/index.html:1:9: error: link to ../../assets/search.js has no target"),
        ("actors/x/index.html", "<a href='../../documents/b/index.html'>x</a>",
         "site/actors/x/index.html:1:4: error: link to ../../documents/b/index.html has no target"),
        ("actors/x/index.html", '<svg><a xlink:href="../y/index.html">y</a></svg>',
         "site/actors/x/index.html:1:9: error: link to ../y/index.html has no target"),
        ("actors/x/index.html", '<a href="../../documents/a/index.html?a=1&amp;b=2#s-9">x</a>',
         "site/actors/x/index.html:1:4: error: link to ../../documents/a/index.html?a=1&b=2#s-9 has no target: "
         "site/documents/a/index.html has no element with id 's-9'"),
        ("index.html", '<a href="https://example.org/briefing/actors/gone/">x</a>',
         "site/index.html:1:4: error: link to https://example.org/briefing/actors/gone/ has no target"),
        ("caf%C3%A9/index.html", '<a href="../documents/caf%C3%A9/index.html">x</a>',
         "site/caf%C3%A9/index.html:1:4: error: link to ../documents/caf%C3%A9/index.html has no target"),
    ],
)
def test_a_broken_link_is_reported_at_its_place_in_the_output_page(page, markup, message):
    assert check({**TARGETS, page: markup}) == [message]


def test_percent_encoded_links_are_decoded_before_they_are_looked_up():
    files = {**TARGETS, "café/index.html": '<p id="été"></p>', "index.html": '<a href="caf%C3%A9/index.html#%C3%A9t%C3%A9">x</a>'}
    assert check(files) == []


def test_links_in_comments_and_inline_scripts_are_not_links():
    markup = '<!-- <a href="old/index.html"> -->\n<script>const a = \'<a href="gone.html">\';</script>\n<a href="missing.html">x</a>'
    assert check({**TARGETS, "index.html": markup}) == ["site/index.html:3:4: error: link to missing.html has no target"]


@pytest.mark.parametrize(
    "markup",
    [
        "<p>The page said href=missing.html and id=x.</p>",
        "<p><code>&lt;a href='missing.html'&gt;</code></p>",
        '<meta name="description" content="see href=missing.html">',
        '<meta property="og:title" content="&lt;iframe src=&#34;&#34;/srcdoc=&#39;x&#39;&gt;">',
        '<li data-name="a src=missing.png b"><a href="index.html">x</a></li>',
    ],
)
def test_attribute_lookalikes_in_text_or_in_other_attributes_are_not_links(markup):
    assert check({**TARGETS, "index.html": TARGETS["index.html"] + markup}) == []


def test_a_broken_link_is_located_at_the_attribute_not_at_the_same_text_earlier():
    markup = '<p>Old address: href=gone.html</p>\n<a class="x" href=gone.html>x</a>'
    assert check({**TARGETS, "index.html": markup}) == ["site/index.html:2:14: error: link to gone.html has no target"]


def test_each_distinct_broken_link_is_reported_once_per_page_at_its_first_use():
    markup = '<a href="gone.html">1</a>\n<a href="gone.html">2</a>'
    assert check({**TARGETS, "index.html": markup}) == ["site/index.html:1:4: error: link to gone.html has no target"]


def test_anchors_are_not_looked_for_in_files_that_are_not_html():
    assert check({**TARGETS, "index.html": '<a href="assets/style.css#x">x</a>'}) == []


# --- the fast scan, and the check over summaries -----------------------------------------------------------


def attributes(pattern, content: bytes) -> set[tuple[bool, bytes]]:
    return {(name == b"id", double_quoted or single_quoted or bare) for name, double_quoted, single_quoted, bare in pattern.findall(content)}


def test_the_fast_attribute_pattern_finds_what_the_general_one_finds_where_no_equals_sign_has_space_beside_it():
    pieces = [b" ", b"\n", b"\t", b"<a", b"<p", b">", b"/>", b"=", b'"', b"'", b"href", b"id", b"src", b"xlink:href", b"x",
              b"data-href", b" href=", b' id="', b"`", b"&amp;", b"<", b"#s-1"]
    generator, compared = random.Random(6), 0
    for _ in range(60_000):
        content = b"".join(generator.choice(pieces) for _ in range(generator.randint(1, 24)))
        if not SPACED_EQUALS.search(content):
            compared += 1
            assert attributes(TIGHT_ATTRIBUTE, content) == attributes(ATTRIBUTE, content), content
    assert compared > 30_000


def test_the_fast_attribute_pattern_finds_what_the_general_one_finds_on_the_example_sites(built_sites):
    for root in built_sites.values():
        for page in sorted(root.rglob("*.html")):
            content = page.read_bytes()
            assert not SPACED_EQUALS.search(content), page  # else the general pattern reads it
            assert attributes(TIGHT_ATTRIBUTE, content) == attributes(ATTRIBUTE, content), page


def test_a_page_with_spaces_around_an_equals_sign_is_still_read_whole():
    scanned = scan_page(b'<p>a = b</p><a href = "x.html" id= y>x</a><a class="c" href="z.html">')
    assert set(scanned.links) == {"x.html", "z.html"} and scanned.ids == {b"y"}


def test_checking_summaries_reads_again_only_the_pages_with_a_broken_link():
    files = {**TARGETS, "actors/x/index.html": '<a href="../../documents/a/index.html#s-1">ok</a>\n<a href="gone.html">x</a>'}
    pages = [Page(path, content.encode()) for path, content in files.items()]
    summaries = [summary for summary in map(summarize_page, pages) if summary]
    assert [summary.path for summary in summaries] == ["index.html", "documents/a/index.html", "actors/x/index.html"]
    read = []

    def read_page(path: str) -> bytes:
        read.append(path)
        return files[path].encode()

    problems = check_summaries(summaries, files, CONFIG, None, read_page)
    assert [str(problem) for problem in problems] == ["site/actors/x/index.html:2:4: error: link to gone.html has no target"]
    assert read == ["actors/x/index.html"]
    assert problems == check_links(pages, CONFIG)

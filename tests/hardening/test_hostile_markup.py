"""Untrusted text never becomes live markup: a whole project made of public XSS and template-injection
payloads (../shared/badinputs/) is built and every page is audited: no script but ours, no event handler,
no javascript: or data: URL, no frame or other forbidden element. The same audit runs on every payload
rendered alone as Markdown, and on markdown-it-py's own XSS fixtures. The browser half of this proof is
tests/browser/test_hostile_pages.py.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from briefing import markdown
from briefing.diagnostics import Diagnostics
from briefing.frontmatter import FieldError, read_url
from briefing.mentions import MentionMatcher
from briefing.model import DocumentMeta, Source
from briefing.stages.annotate import annotate_document
from hardening_support import (
    CANARIES,
    MARKDOWN_LINK_TARGETS,
    audit_html,
    badinputs_file,
    build_hostile_site,
    hostile_payloads,
    unsafe_url,
)
import yaml


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, Diagnostics]:
    return build_hostile_site(tmp_path_factory.mktemp("hostile"))


def test_no_page_of_a_project_built_from_payloads_has_live_markup(hostile_site):
    site, _ = hostile_site
    pages = sorted(site.rglob("*.html"))
    problems = {page.relative_to(site).as_posix(): audit_html(page.read_text(encoding="utf-8")) for page in pages}
    assert {page: found for page, found in problems.items() if found} == {}
    print(f"\n{len(hostile_payloads())} payloads, {len(pages)} pages audited")
    seeds = sorted(path.stem for path in (site.parent / "project" / "seeds").iterdir())
    written = {page.relative_to(site).as_posix() for page in pages}
    assert {f"documents/{seed}/index.html" for seed in seeds} <= written  # every seed was published...
    assert {f"actors/actor-{number:03}/index.html" for number in range(40)} <= written  # ...and every actor
    assert "about/index.html" in written


def test_payloads_are_shown_as_text(hostile_site):
    site, _ = hostile_site
    page = (site / "documents/payloads-00/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__xss=&#39;script&#39;&lt;/script&gt;" in page  # from the analyst note
    assert "{{7*7}} {% raw %}{{ config }}{% endraw %} ${7*7} #{7*7}" in page  # templates never evaluate text
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;window.__xss=&#39;title&#39;&lt;/script&gt;</title>" in home


def test_data_exports_and_feeds_stay_well_formed(hostile_site):
    site, _ = hostile_site
    for path in site.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in site.rglob("*.xml"):
        ElementTree.parse(path)


def test_plain_text_seeds_never_produce_links_or_diagnostics_about_them(hostile_site):
    # A .txt seed is never Markdown, so nothing in it can be a link, broken or not.
    _, report = hostile_site
    assert [str(item) for item in report.errors if item.location.path.endswith(".txt")] == []


def test_every_payload_rendered_alone_as_markdown_has_no_live_markup():
    matcher = MentionMatcher({"alert": "alert-actor", "script": "script-actor", "onerror": "onerror-actor"})
    problems = {}
    payloads = [*hostile_payloads(), *(f"[link]({target})" for target in MARKDOWN_LINK_TARGETS)]
    for payload in payloads:
        rendered = [markdown.render_embedded(payload), markdown.render_page(payload)]
        for markup in ("markdown", "text"):
            source = Source("x", "seeds/x.md", markup, "x", DocumentMeta(), payload, 1)
            rendered.append(annotate_document(source, matcher).body_html)
        found = [problem for html_text in rendered for problem in audit_html(html_text)]
        if found:
            problems[payload] = found
    assert problems == {}
    print(f"\n{len(payloads)} payloads rendered 4 ways each")


def markdown_it_xss_cases() -> list[tuple[str, str]]:
    """(title, input) pairs of markdown-it-py's fixtures/xss.md: a title line, then '.', input, '.', expected, '.'."""
    lines = badinputs_file("markdown/markdown-it-py_xss.md").read_text(encoding="utf-8").split("\n")
    cases, index = [], 0
    while index < len(lines):
        if lines[index] == ".":
            end = lines.index(".", index + 1)
            cases.append((lines[index - 1] if index else "first", "\n".join(lines[index + 1:end])))
            index = lines.index(".", end + 1) + 1
        else:
            index += 1
    return cases


def test_markdown_it_xss_fixtures_render_without_live_markup():
    cases = markdown_it_xss_cases()
    assert len(cases) >= 10
    problems = {title: audit_html(markdown.render_embedded(text)) for title, text in cases}
    assert {title: found for title, found in problems.items() if found} == {}


@pytest.mark.parametrize("target", MARKDOWN_LINK_TARGETS)
def test_markdown_links_to_script_urls_are_not_links(target):
    assert "<a " not in markdown.render_embedded(f"[click]({target})")


def _url_node(text: str) -> yaml.Node:
    return yaml.ScalarNode("tag:yaml.org,2002:str", text, yaml.Mark("x", 0, 0, 0, None, None), None)


def test_front_matter_urls_refuse_every_payload_that_a_browser_would_not_treat_as_a_web_address():
    accepted = []
    for payload in [*hostile_payloads(), *MARKDOWN_LINK_TARGETS]:
        try:
            value = read_url(_url_node(payload))
        except FieldError:
            continue
        accepted.append(value)
        assert not unsafe_url(value)
        assert value.lower().startswith(("http://", "https://", "mailto:"))
    assert not [value for value in accepted if any(char in value for char in "<>\"' \t\n")]


@pytest.mark.parametrize(
    ("html_text", "problem"),
    [
        ("<p><script>alert(1)</script></p>", "<script []>"),
        ('<script src="../assets/evil.js" defer></script>', "<script [('src', '../assets/evil.js'), ('defer', None)]>"),
        ('<img src=x onerror="alert(1)">', "<img> element"),
        ('<p onclick="alert(1)">x</p>', "<p onclick=...> event handler"),
        ('<a href=" java\tscript:alert(1)">x</a>', "<a href=' java\\tscript:alert(1)'>"),
        ('<a href="DATA:text/html,x">x</a>', "<a href='DATA:text/html,x'>"),
        ("<iframe src=about:blank></iframe>", "<iframe> element"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "<meta [('http-equiv', 'refresh'), ('content', '0;url=javascript:alert(1)')]>"),
        ('<div style="background:url(javascript:alert(1))">', "<div style='background:url(javascript:alert(1))'>"),
        ("<scr<script>ipt>", "1 '<script' in the text, 0 script elements"),
    ],
)
def test_audit_finds_live_markup(html_text, problem):
    assert problem in audit_html(html_text)


def test_audit_accepts_our_own_markup():
    assert audit_html('<script src="../assets/timeline.js" defer></script><a href="https://x.org/">x</a><a href="mailto:a@b.c">m</a>') == []

"""Markdown -> safe HTML. One configured parser for the whole engine.

Raw HTML is never passed through (markdown-it-py's "js-default" preset has `html` off), link validation
keeps only http(s), mailto and relative links, and images are not rendered (no external requests).
Headings are moved so the highest one sits one level under the section holding the text.

Bounded time: markdown-it-py rescans the rest of a paragraph for every '[' that is left open or nested
(25,000 nested brackets take seconds, and it grows with the paragraph), so those scans are counted and a
text that spends more than its budget (a few per character) is parsed again as plain paragraphs.
`too_complex` tells the loader beforehand, so it can warn; every other input renders in linear time.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape



class MarkdownTooComplex(Exception):
    """A text spent its link-scan budget."""


_BUDGET = "briefing_link_scan_budget"  # key in the parse's env: [scans left]


def _make_parser() -> MarkdownIt:
    # Images are off: an editor's ![](https://...) would make every reader's browser fetch from outside.
    parser = MarkdownIt("js-default").disable("image")
    parser.validateLink = _is_safe_link  # type: ignore[method-assign]
    skip_token = parser.inline.skipToken

    def counted_skip_token(state) -> None:  # link label scans call this once per position
        left = state.env.get(_BUDGET)
        if left is not None:
            left[0] -= 1
            if left[0] < 0:
                raise MarkdownTooComplex
        skip_token(state)

    parser.inline.skipToken = counted_skip_token  # type: ignore[method-assign]
    return parser


def link_scan_budget(text: str) -> int:
    """Normal writing needs well under one scan per character; pathological input needs hundreds."""
    return 2 * len(text) + 100_000


_BRACKET_OR_BLANK_LINE = re.compile(r"\[|\n[ \t]*\n")


def _link_scan_estimate(text: str) -> int:
    """Characters from each '[' to the end of its paragraph, summed: what the scans could cost at most."""
    total = opened = opened_at = 0
    for match in _BRACKET_OR_BLANK_LINE.finditer(text):
        if match.group() == "[":
            opened, opened_at = opened + 1, opened_at + match.start()
        else:
            total, opened, opened_at = total + opened * match.start() - opened_at, 0, 0
    return total + opened * len(text) - opened_at


def too_complex(text: str) -> bool:
    """Whether `parse` would give up on `text` and read it as plain paragraphs. Costs a trial parse only
    when the text has enough open brackets to possibly need one."""
    if "[" not in text or _link_scan_estimate(text) <= link_scan_budget(text) // 4:
        return False
    try:
        PARSER.parse(text, {_BUDGET: [link_scan_budget(text)]})
    except MarkdownTooComplex:
        return True
    return False


def _is_safe_link(url: str) -> bool:
    scheme = url.strip().lower().split(":", 1)[0] if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


PARSER = _make_parser()
# Paragraphs of text and nothing else: linear on any input.
PLAIN_PARSER = MarkdownIt("zero")


def parse(text: str) -> list[Token]:
    try:
        return PARSER.parse(text, {_BUDGET: [link_scan_budget(text)]})
    except MarkdownTooComplex:
        return PLAIN_PARSER.parse(text)


def place_headings(tokens: Sequence[Token], top: int) -> None:
    """Move headings so the text's highest one is <h{top}>, one level under the section holding it;
    their depth relative to each other is kept."""
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    shift = top - min(levels) if levels else 0
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{max(1, min(6, int(token.tag[1]) + shift))}"


def render_tokens(tokens: Sequence[Token], text_renderer: Callable[[Token], str] | None = None) -> str:
    """Tokens -> HTML. `text_renderer`, when given, renders each inline `text` token (it must escape)."""
    if text_renderer is None:
        return PARSER.renderer.render(tokens, PARSER.options, {})
    rules = PARSER.renderer.rules
    original = rules.get("text")
    rules["text"] = lambda tokens, index, options, env: text_renderer(tokens[index])
    try:
        return PARSER.renderer.render(tokens, PARSER.options, {})
    finally:
        rules["text"] = original


def render_embedded(text: str) -> str:
    """Markdown written by an editor (a biography, an analyst note, a free page) -> HTML."""
    tokens = parse(text)
    place_headings(tokens, top=3)  # under the page's h1 and the section's h2
    return render_tokens(tokens)


def render_page(text: str) -> str:
    """A free page's Markdown: its headings start at h2 under the page title."""
    tokens = parse(text)
    place_headings(tokens, top=2)
    return render_tokens(tokens)


def escape_text(text: str) -> str:
    return str(escape(text))

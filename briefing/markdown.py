"""Markdown -> safe HTML. One configured parser for the whole engine.

Raw HTML is never passed through (markdown-it-py's "js-default" preset has `html` off), link validation
keeps only http(s), mailto and relative links, and images are not rendered (no external requests).
Headings are moved so the highest one sits one level under the section holding the text.
"""
from __future__ import annotations

from typing import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import escape



def _make_parser() -> MarkdownIt:
    # Images are off: an editor's ![](https://...) would make every reader's browser fetch from outside.
    parser = MarkdownIt("js-default").disable("image")
    parser.validateLink = _is_safe_link  # type: ignore[method-assign]
    return parser


def _is_safe_link(url: str) -> bool:
    scheme = url.strip().lower().split(":", 1)[0] if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


PARSER = _make_parser()


def parse(text: str) -> list[Token]:
    return PARSER.parse(text)


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

"""Source -> AnnotatedDocument: cleaned text split into paragraphs and sentences, every actor mention
found, and the body rendered to HTML with each mention marked up.

Plain-text seeds are never read as Markdown. In Markdown seeds, mentions are found inside text runs
only: never inside links, code or raw markup, and a name split by emphasis is not joined.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from .. import markdown, urls
from ..markdown import escape_text
from ..mentions import MentionMatcher
from ..model import AnnotatedDocument, Mention, Sentence, Source
from ..sentences import split_sentences
from .clean import clean_text

TITLE_LENGTH = 90
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ACTOR_PREFIX = urls.root_prefix(urls.document_path("x"))  # every document page sits at the same depth


@dataclass
class _Annotator:
    """Collects sentences and mentions paragraph by paragraph, numbering mentions per actor."""

    matcher: MentionMatcher
    link_all: bool
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    count_by_actor: dict[str, int] = field(default_factory=dict)
    paragraph_count: int = 0

    def start_paragraph(self, text: str) -> tuple[int, list[int]]:
        """Record the sentences of the next paragraph (numbered from 1, as its `p-N` id); returns (its
        first sentence's index, each sentence's start offset)."""
        self.paragraph_count += 1
        paragraph = self.paragraph_count
        spans = split_sentences(text)
        first = len(self.sentences)
        self.sentences.extend(Sentence(paragraph, text[start:end]) for start, end in spans)
        return first, [start for start, _ in spans]

    def mark_up(self, run: str, run_offset: int, sentence_base: int, sentence_starts: list[int]) -> str:
        """A run of text -> escaped HTML with each mention as a `.mention` element."""
        pieces = []
        position = 0
        for match in self.matcher.find(run):
            number = self.count_by_actor.get(match.actor, 0) + 1
            self.count_by_actor[match.actor] = number
            anchor = f"m-{match.actor}-{number}"
            in_paragraph = run_offset + match.start
            nth_sentence = max(0, bisect.bisect_right(sentence_starts, in_paragraph) - 1)
            offset = in_paragraph - sentence_starts[nth_sentence] if sentence_starts else 0
            surface = run[match.start:match.end]
            self.mentions.append(Mention(match.actor, anchor, surface, sentence_base + nth_sentence, offset))
            pieces.append(escape_text(run[position:match.start]))
            attributes = f'class="mention" data-actor="{match.actor}" id="{anchor}"'
            if self.link_all or number == 1:
                href = _ACTOR_PREFIX + urls.actor_path(match.actor)
                pieces.append(f'<a {attributes} href="{href}">{escape_text(surface)}</a>')
            else:
                pieces.append(f"<span {attributes}>{escape_text(surface)}</span>")
            position = match.end
        pieces.append(escape_text(run[position:]))
        return "".join(pieces)


def annotate_document(source: Source, matcher: MentionMatcher, link_all: bool = True) -> AnnotatedDocument:
    text = clean_text(source.body)
    annotator = _Annotator(matcher, link_all)
    if source.markup == "markdown":
        body_html, first_text = _annotate_markdown(text, annotator)
    else:
        body_html, first_text = _annotate_plain(text, annotator)
    return AnnotatedDocument(
        slug=source.slug,
        path=source.path,
        title=source.meta.title or derive_title(first_text) or source.stem,
        meta=source.meta,
        body_html=body_html,
        note_html=source.note_html,
        sentences=tuple(annotator.sentences),
        mentions=tuple(annotator.mentions),
        word_count=len(text.split()),
    )


def plain_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; a text without blank lines has one paragraph per line."""
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _annotate_plain(text: str, annotator: _Annotator) -> tuple[str, str]:
    html = []
    paragraphs = plain_paragraphs(text)
    for number, paragraph in enumerate(paragraphs, start=1):
        base, starts = annotator.start_paragraph(paragraph)
        html.append(f'<p id="p-{number}">{annotator.mark_up(paragraph, 0, base, starts)}</p>\n')
    return "".join(html), paragraphs[0] if paragraphs else ""


def _inline_plain_text(inline: Token) -> tuple[str, list[int | None]]:
    """An inline token's readable text, and each child's offset in it (None where mentions are not
    looked for: inside links and for non-text children)."""
    parts, offsets = [], []
    length, link_depth = 0, 0
    for child in inline.children or []:
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        piece = child.content if child.type in ("text", "code_inline") else " " if child.type in ("softbreak", "hardbreak") else ""
        offsets.append(length if child.type == "text" and link_depth == 0 else None)
        parts.append(piece)
        length += len(piece)
    return "".join(parts), offsets


def _annotate_markdown(text: str, annotator: _Annotator) -> tuple[str, str]:
    tokens = markdown.parse(text)
    first_text = ""
    paragraph = 0
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        paragraph += 1
        plain, offsets = _inline_plain_text(token)
        first_text = first_text or plain
        if index and tokens[index - 1].nesting == 1:
            tokens[index - 1].attrSet("id", f"p-{paragraph}")
        base, starts = annotator.start_paragraph(plain)
        for child, offset in zip(token.children or [], offsets):
            if offset is not None:
                child.meta["html"] = annotator.mark_up(child.content, offset, base, starts)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 1)}"
    body = markdown.render_tokens(tokens, lambda token: token.meta.get("html", escape_text(token.content)))
    return body, first_text


def derive_title(text: str) -> str:
    """The first sentence, cut at a word boundary near TITLE_LENGTH characters."""
    spans = split_sentences(text)
    if not spans:
        return ""
    sentence = text[spans[0][0]:spans[0][1]].rstrip(".")
    if len(sentence) <= TITLE_LENGTH:
        return sentence
    cut = sentence.rfind(" ", 0, TITLE_LENGTH)
    return sentence[: cut if cut > 0 else TITLE_LENGTH].rstrip(",;:") + "…"

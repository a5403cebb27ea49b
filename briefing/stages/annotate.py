"""Source -> AnnotatedDocument: cleaned text split into paragraphs and sentences, every actor mention
found, and the body rendered to HTML with each mention marked up.

Plain-text seeds are never read as Markdown. In Markdown seeds, mentions are found inside text runs
only: never inside links, code or raw markup, and a name split by emphasis is not joined.
"""
from __future__ import annotations

import bisect
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from markdown_it.token import Token

from .. import markdown, urls
from ..markdown import escape_text
from ..mentions import MentionMatcher
from ..dates import find_dates
from ..model import AnnotatedDocument, Mention, Sentence, Source, Statement, TimelineEvent
from ..statements import find_statements
from ..sentences import split_sentences
from .clean import clean_text

TITLE_LENGTH = 90
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ACTOR_PREFIX = urls.root_prefix(urls.document_path("x"))  # every document page sits at the same depth


@dataclass
class _Annotator:
    """Collects sentences and mentions paragraph by paragraph, numbering mentions per actor.

    Each sentence gets an element id (`s-N`) so statements and events can link to it: plain text wraps
    every sentence in a span; Markdown, whose sentences may cross emphasis or links, gets an empty marker
    span where each sentence starts (`pending_markers`)."""

    matcher: MentionMatcher
    link_all: bool
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    count_by_actor: dict[str, int] = field(default_factory=dict)
    paragraph_count: int = 0
    pending_markers: list[tuple[int, int]] = field(default_factory=list)  # (offset in paragraph, sentence index)

    def start_paragraph(self, text: str, with_markers: bool = False) -> tuple[int, list[tuple[int, int]]]:
        """Record the sentences of the next paragraph (numbered from 1, as its `p-N` id); returns (its
        first sentence's index, each sentence's (start, end) offsets)."""
        self.paragraph_count += 1
        paragraph = self.paragraph_count
        spans = split_sentences(text)
        first = len(self.sentences)
        self.sentences.extend(Sentence(paragraph, text[start:end]) for start, end in spans)
        if with_markers:
            self.pending_markers = [(start, first + index) for index, (start, _) in enumerate(spans)]
        return first, spans

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
            pieces.append(self.text_html(run, position, match.start, run_offset, before_mention=True))
            attributes = f'class="mention" data-actor="{match.actor}" id="{anchor}"'
            if self.link_all or number == 1:
                href = _ACTOR_PREFIX + urls.actor_path(match.actor)
                pieces.append(f'<a {attributes} href="{href}">{escape_text(surface)}</a>')
            else:
                pieces.append(f"<span {attributes}>{escape_text(surface)}</span>")
            position = match.end
        pieces.append(self.text_html(run, position, len(run), run_offset))
        return "".join(pieces)

    def text_html(self, run: str, start: int, end: int, run_offset: int, before_mention: bool = False) -> str:
        """run[start:end] escaped, with the markers of sentences starting before its end placed in it (and
        at its end when a mention follows: that sentence starts with the mention)."""
        pieces = []
        limit = run_offset + end + (before_mention or start == end)
        while self.pending_markers and self.pending_markers[0][0] < limit:
            offset, sentence = self.pending_markers.pop(0)
            cut = min(max(offset - run_offset, start), end)
            pieces += [escape_text(run[start:cut]), sentence_marker(sentence)]
            start = cut
        pieces.append(escape_text(run[start:end]))
        return "".join(pieces)


def sentence_marker(sentence: int) -> str:
    return f'<span class="sentence" id="{urls.sentence_anchor(sentence)}"></span>'


def annotate_document(source: Source, matcher: MentionMatcher, link_all: bool = True) -> AnnotatedDocument:
    text = clean_text(source.body)
    annotator = _Annotator(matcher, link_all)
    if source.markup == "markdown":
        body_html, first_text = _annotate_markdown(text, annotator)
    else:
        body_html, first_text = _annotate_plain(text, annotator)
    statements, events = attribute_sentences(annotator.sentences, annotator.mentions, source.meta.date)
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
        statements=statements,
        events=events,
    )


def attribute_sentences(
    sentences: list[Sentence], mentions: list[Mention], published: datetime.date | None
) -> tuple[tuple[Statement, ...], tuple[TimelineEvent, ...]]:
    """Who speaks in each sentence, and which days each sentence names."""
    spans_by_sentence: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for mention in mentions:
        spans_by_sentence[mention.sentence].append((mention.offset, mention.offset + len(mention.text), mention.actor))
    statements, events = [], []
    for index, sentence in enumerate(sentences):
        spans = spans_by_sentence.get(index, [])
        dates = find_dates(sentence.text, published)
        if dates:
            actors = tuple(dict.fromkeys(actor for _, _, actor in spans))
            for date_mention in {d.date: d for d in reversed(dates)}.values():
                events.append(TimelineEvent(date_mention.date, date_mention.text, index, actors))
        if spans:
            said_on = dates[0].date if dates else published
            statements.extend(
                Statement(attribution.actor, index, attribution.verb, attribution.quote, said_on)
                for attribution in find_statements(sentence.text, spans)
            )
    return tuple(statements), tuple(sorted(events, key=lambda event: (event.sentence, event.date)))


def plain_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; a text without blank lines has one paragraph per line."""
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _annotate_plain(text: str, annotator: _Annotator) -> tuple[str, str]:
    html = []
    paragraphs = plain_paragraphs(text)
    for number, paragraph in enumerate(paragraphs, start=1):
        base, spans = annotator.start_paragraph(paragraph)
        starts = [start for start, _ in spans]
        pieces, position = [], 0
        for index, (start, end) in enumerate(spans):
            marked = annotator.mark_up(paragraph[start:end], start, base, starts)
            anchor = urls.sentence_anchor(base + index)
            pieces.append(f'{escape_text(paragraph[position:start])}<span class="sentence" id="{anchor}">{marked}</span>')
            position = end
        html.append(f'<p id="p-{number}">{"".join(pieces)}</p>\n')
    return "".join(html), paragraphs[0] if paragraphs else ""


def _inline_plain_text(inline: Token) -> tuple[str, list[int | None], list[int]]:
    """An inline token's readable text, each child's offset in it where mentions are looked for (None
    inside links and for non-text children), and every child's offset in it."""
    parts, offsets, starts = [], [], []
    length, link_depth = 0, 0
    for child in inline.children or []:
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        piece = child.content if child.type in ("text", "code_inline") else " " if child.type in ("softbreak", "hardbreak") else ""
        offsets.append(length if child.type == "text" and link_depth == 0 else None)
        starts.append(length)
        parts.append(piece)
        length += len(piece)
    return "".join(parts), offsets, starts


def _annotate_markdown(text: str, annotator: _Annotator) -> tuple[str, str]:
    tokens = markdown.parse(text)
    first_text = ""
    paragraph = 0
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        paragraph += 1
        plain, offsets, child_starts = _inline_plain_text(token)
        first_text = first_text or plain
        if index and tokens[index - 1].nesting == 1:
            tokens[index - 1].attrSet("id", f"p-{paragraph}")
        base, spans = annotator.start_paragraph(plain, with_markers=True)
        starts = [start for start, _ in spans]
        children = []
        for child, offset, start in zip(token.children or [], offsets, child_starts):
            if offset is not None:
                child.meta["html"] = annotator.mark_up(child.content, offset, base, starts)
            elif child.type == "text":  # link text: no mentions, but a sentence may start in it
                child.meta["html"] = annotator.text_html(child.content, 0, len(child.content), start)
            elif child.type in ("link_open", "code_inline") and annotator.pending_markers[:1] and annotator.pending_markers[0][0] <= start:
                children.append(_marker_token(annotator, start))  # the sentence starts with the link or code
            children.append(child)
        if annotator.pending_markers:  # sentences that start inside code at the paragraph's end
            children.append(_marker_token(annotator, len(plain)))
        token.children = children
    markdown.place_headings(tokens, top=3)  # under the page h1 and the "Source text" h2
    body = markdown.render_tokens(tokens, lambda token: token.meta.get("html", escape_text(token.content)))
    return body, first_text


def _marker_token(annotator: _Annotator, up_to: int) -> Token:
    """An inline token holding the markers of the pending sentences that start at or before `up_to`."""
    marker = Token("html_inline", "", 0)
    while annotator.pending_markers and annotator.pending_markers[0][0] <= up_to:
        marker.content += sentence_marker(annotator.pending_markers.pop(0)[1])
    return marker


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

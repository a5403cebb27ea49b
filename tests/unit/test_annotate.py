"""annotate: a Source -> AnnotatedDocument (paragraphs, sentences with s-N anchors, mentions, body HTML,
derived title, statements and timeline events)."""
from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest

from briefing.mentions import MentionMatcher
from briefing.model import DocumentMeta, Mention, Sentence, Source, Statement, TimelineEvent
from briefing.stages.annotate import TITLE_LENGTH, annotate_document, attribute_sentences, derive_title, plain_paragraphs

ALIAS_INDEX = {
    "Joe Biden": "joe-biden",
    "Biden": "joe-biden",
    "U.S.": "united-states",
    "Kyiv": "ukraine",
    "Ukraine": "ukraine",
    "White House": "white-house",
    "AT&T": "att",
}


@pytest.fixture(scope="module")
def matcher() -> MentionMatcher:
    return MentionMatcher(ALIAS_INDEX)


def source(body: str, markup: str = "text", title: str = "", stem: str = "talks", date: datetime.date | None = None) -> Source:
    path = f"seeds/{stem}.{'md' if markup == 'markdown' else 'txt'}"
    meta = DocumentMeta(title=title, date=date)
    return Source(stem=stem, path=path, markup=markup, slug=stem, meta=meta, body=body, body_line=1)


def link(actor: str, number: int, text: str) -> str:
    return f'<a class="mention" data-actor="{actor}" id="m-{actor}-{number}" href="../../actors/{actor}/index.html">{text}</a>'


def span(actor: str, number: int, text: str) -> str:
    return f'<span class="mention" data-actor="{actor}" id="m-{actor}-{number}">{text}</span>'


def sentence(number: int, html: str) -> str:
    """A plain-text sentence: wrapped whole in its anchor span."""
    return f'<span class="sentence" id="s-{number}">{html}</span>'


def marker(number: int) -> str:
    """Where a Markdown sentence starts: an empty anchor span."""
    return f'<span class="sentence" id="s-{number}"></span>'


# --- plain text -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("One.\n\nTwo.\n", ["One.", "Two."]),
        ("One line\nsame paragraph\n\nTwo.", ["One line same paragraph", "Two."]),
        ("One.\n  \t\nTwo.", ["One.", "Two."]),
        ("One.\n\n\n\nTwo.", ["One.", "Two."]),
        ("Line one.\nLine two.\nLine three.", ["Line one.", "Line two.", "Line three."]),
        ("Line one.\n\nLine two.\nLine three.", ["Line one.", "Line two. Line three."]),
        ("  spaced    out  ", ["spaced out"]),
        ("", []),
        ("\n\n", []),
    ],
)
def test_plain_paragraphs_split_by_blank_lines_else_one_per_line(text, paragraphs):
    assert plain_paragraphs(text) == paragraphs


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("# x\n", "# x"),
        ("1. x\n", "1. x"),
        ("* x\n", "* x"),
        ("- x\n", "- x"),
        ("> x\n", "&gt; x"),
        ("**x** _y_ `z`\n", "**x** _y_ `z`"),
        ("[x](javascript:alert(1))\n", "[x](javascript:alert(1))"),
        ("<script>alert(1)</script> &amp;\n", "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;"),
        ("    indented code?\n", "indented code?"),
    ],
)
def test_plain_text_is_never_read_as_markdown(matcher, body, html):
    assert annotate_document(source(body), matcher).body_html == f'<p id="p-1">{sentence(1, html)}</p>\n'


def test_plain_text_file_without_blank_lines_has_one_paragraph_per_line(matcher):
    doc = annotate_document(source("# Heading-like line\n1. Listed\n* Starred\n"), matcher)
    assert doc.body_html == (
        f'<p id="p-1">{sentence(1, "# Heading-like line")}</p>\n'
        f'<p id="p-2">{sentence(2, "1.")} {sentence(3, "Listed")}</p>\n'  # a stop before a capital ends a sentence
        f'<p id="p-3">{sentence(4, "* Starred")}</p>\n'
    )


def test_mentions_are_marked_up_with_stable_ids_and_links_to_the_actor_page(matcher):
    doc = annotate_document(source("Joe Biden went to Kyiv. Biden met U.S. officials.\n\nThe White House agreed.\n"), matcher)
    assert doc.body_html == (
        f'<p id="p-1">{sentence(1, f"""{link("joe-biden", 1, "Joe Biden")} went to {link("ukraine", 1, "Kyiv")}.""")} '
        f'{sentence(2, f"""{link("joe-biden", 2, "Biden")} met {link("united-states", 1, "U.S.")} officials.""")}</p>\n'
        f'<p id="p-2">{sentence(3, f"""The {link("white-house", 1, "White House")} agreed.""")}</p>\n'
    )


def test_mention_text_is_escaped_inside_its_element(matcher):
    doc = annotate_document(source("AT&T <b>and</b> Biden\n"), matcher)
    assert doc.body_html == (
        f'<p id="p-1">{sentence(1, f"""{link("att", 1, "AT&amp;T")} &lt;b&gt;and&lt;/b&gt; {link("joe-biden", 1, "Biden")}""")}</p>\n'
    )


def test_mention_links_first_links_the_first_mention_of_each_actor_and_spans_the_rest(matcher):
    doc = annotate_document(source("Biden one. Biden two.\nKyiv and Biden.\n"), matcher, link_all=False)
    assert doc.body_html == (
        f'<p id="p-1">{sentence(1, f"""{link("joe-biden", 1, "Biden")} one.""")} '
        f'{sentence(2, f"""{span("joe-biden", 2, "Biden")} two.""")}</p>\n'
        f'<p id="p-2">{sentence(3, f"""{link("ukraine", 1, "Kyiv")} and {span("joe-biden", 3, "Biden")}.""")}</p>\n'
    )


def test_sentences_and_mentions_record_paragraph_sentence_index_and_offset(matcher):
    doc = annotate_document(source("Joe Biden went to Kyiv. Biden met U.S. officials.\n\nThe White House said so. Biden agreed.\n"), matcher)
    assert doc.sentences == (
        Sentence(1, "Joe Biden went to Kyiv."),
        Sentence(1, "Biden met U.S. officials."),
        Sentence(2, "The White House said so."),
        Sentence(2, "Biden agreed."),
    )
    assert doc.mentions == (
        Mention("joe-biden", "m-joe-biden-1", "Joe Biden", 0, 0),
        Mention("ukraine", "m-ukraine-1", "Kyiv", 0, 18),
        Mention("joe-biden", "m-joe-biden-2", "Biden", 1, 0),
        Mention("united-states", "m-united-states-1", "U.S.", 1, 10),
        Mention("white-house", "m-white-house-1", "White House", 2, 4),
        Mention("joe-biden", "m-joe-biden-3", "Biden", 3, 0),
    )


def test_each_mention_offset_points_at_its_text_in_its_sentence(matcher):
    body = "U.S. President Joe Biden spoke on Sept. 11. Did Kyiv agree? “Yes,” said Biden’s aide in Kyiv.\nUkraine waited."
    doc = annotate_document(source(body), matcher)
    assert len(doc.mentions) == 6
    for mention in doc.mentions:
        text = doc.sentences[mention.sentence].text
        assert text[mention.offset:mention.offset + len(mention.text)] == mention.text


def test_no_mentions_without_actors():
    doc = annotate_document(source("Joe Biden went to Kyiv.\n"), MentionMatcher({}))
    assert doc.mentions == ()
    assert doc.body_html == f'<p id="p-1">{sentence(1, "Joe Biden went to Kyiv.")}</p>\n'


def test_text_is_cleaned_before_analysis(matcher):
    doc = annotate_document(source("\ufeffKyivâ€™s view. Â\r\nBiden\r\n"), matcher)
    assert doc.sentences == (Sentence(1, "Kyiv’s view."), Sentence(2, "Biden"))
    assert [m.anchor for m in doc.mentions] == ["m-ukraine-1", "m-joe-biden-1"]


def test_word_count_counts_words_of_the_cleaned_text(matcher):
    assert annotate_document(source("One two three.\n\nFour five.\n"), matcher).word_count == 5


# --- Markdown -------------------------------------------------------------------------------------

def test_markdown_mentions_in_links_and_code_are_not_marked(matcher):
    body = "See [Joe Biden](https://example.org) and `Biden` and Biden.\n\n```\nBiden in code\n```\n"
    doc = annotate_document(source(body, "markdown"), matcher)
    assert doc.body_html == (
        f'<p id="p-1">{marker(1)}See <a href="https://example.org">Joe Biden</a> and <code>Biden</code> and {link("joe-biden", 1, "Biden")}.</p>\n'
        "<pre><code>Biden in code\n</code></pre>\n"
    )
    assert doc.mentions == (Mention("joe-biden", "m-joe-biden-1", "Biden", 0, 28),)


def test_markdown_name_split_by_emphasis_is_not_joined(matcher):
    doc = annotate_document(source("**Joe** Biden spoke.", "markdown"), matcher)
    assert doc.body_html == f'<p id="p-1">{marker(1)}<strong>Joe</strong> {link("joe-biden", 1, "Biden")} spoke.</p>\n'
    assert doc.mentions == (Mention("joe-biden", "m-joe-biden-1", "Biden", 0, 4),)


def test_markdown_raw_html_is_escaped_and_mentions_inside_it_still_marked(matcher):
    doc = annotate_document(source("<b>Kyiv</b> & Biden", "markdown"), matcher)
    assert doc.body_html == f'<p id="p-1">{marker(1)}&lt;b&gt;{link("ukraine", 1, "Kyiv")}&lt;/b&gt; &amp; {link("joe-biden", 1, "Biden")}</p>\n'


def test_markdown_headings_start_at_h3_and_blocks_get_paragraph_ids(matcher):
    doc = annotate_document(source("# Kyiv talks\n\nBiden spoke.\n\n> Kyiv agreed.\n", "markdown"), matcher)
    assert doc.body_html == (
        f'<h3 id="p-1">{marker(1)}{link("ukraine", 1, "Kyiv")} talks</h3>\n'
        f'<p id="p-2">{marker(2)}{link("joe-biden", 1, "Biden")} spoke.</p>\n'
        f'<blockquote>\n<p id="p-3">{marker(3)}{link("ukraine", 2, "Kyiv")} agreed.</p>\n</blockquote>\n'
    )
    assert [s.paragraph for s in doc.sentences] == [1, 2, 3]


@pytest.mark.parametrize(
    ("body", "tags"),
    [
        ("# A\n\n## B\n", ["h3", "h4"]),
        ("## A\n\n### B\n", ["h3", "h4"]),
        ("### A\n\n## B\n", ["h4", "h3"]),
        ("# A\n\n###### B\n", ["h3", "h6"]),
    ],
)
def test_markdown_headings_keep_their_relative_depth_under_the_source_text_heading(matcher, body, tags):
    html = annotate_document(source(body, "markdown"), matcher).body_html
    assert [line[1:3] for line in html.splitlines()] == tags


def test_markdown_offsets_count_entities_and_line_breaks_as_read(matcher):
    doc = annotate_document(source("Biden &amp; Kyiv met\nAT&amp;T.", "markdown"), matcher)
    assert doc.sentences == (Sentence(1, "Biden & Kyiv met AT&T."),)
    assert [(m.text, m.offset) for m in doc.mentions] == [("Biden", 0), ("Kyiv", 8), ("AT&T", 17)]


# --- sentence anchors -----------------------------------------------------------------------------

_VOID = {"br", "hr", "img", "wbr"}


class _Anchors(HTMLParser):
    """Reads body HTML: each element with an id `s-N` (its id, whether it is an empty marker, the
    readable text before it and inside it) and each mention (its id and the `s-N` element around it)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.open: list[tuple[str, str | None]] = []  # (tag, sentence id) of each open element
        self.sentences: list[dict] = []
        self.mention_sentences: dict[str, str | None] = {}
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element_id = attributes.get("id") or ""
        sentence_id = element_id if element_id.startswith("s-") else None
        if attributes.get("class") == "mention":
            around = [sid for _, sid in self.open if sid]
            self.mention_sentences[element_id] = around[-1] if around else None
        if sentence_id:
            self.sentences.append({"id": sentence_id, "class": attributes.get("class"), "before": self.text, "start": len(self.text)})
        if tag not in _VOID:
            self.open.append((tag, sentence_id))

    def handle_endtag(self, tag):
        opened, sentence_id = self.open.pop()
        assert opened == tag, f"</{tag}> closes <{opened}>"
        if sentence_id:
            entry = next(entry for entry in self.sentences if entry["id"] == sentence_id)
            entry["inside"] = self.text[entry["start"]:]

    def handle_data(self, data):
        self.text += data


def squeeze(text: str) -> str:
    return " ".join(text.split())


PLAIN_BODIES = {
    "one sentence": "Biden spoke.",
    "sentences and paragraphs": "Joe Biden went to Kyiv. Biden met U.S. officials.\n\nThe White House agreed. So did Kyiv.",
    "abbreviations do not end sentences": "U.S. officials met on Sept. 11. Gen. Smith and Biden agreed! Did Kyiv? Yes.",
    "quotes close sentences": "“We will,” Biden said. “When?” Kyiv asked. Nobody knew.",
    "lines without blank lines": "Biden spoke.\nKyiv agreed. U.S. too.\nDone.",
}


@pytest.mark.parametrize("body", PLAIN_BODIES.values(), ids=PLAIN_BODIES.keys())
def test_plain_text_wraps_every_sentence_in_one_span_numbered_in_order(matcher, body):
    doc = annotate_document(source(body), matcher)
    anchors = _Anchors(doc.body_html)
    assert [entry["id"] for entry in anchors.sentences] == [f"s-{n}" for n in range(1, len(doc.sentences) + 1)]
    assert [entry["inside"] for entry in anchors.sentences] == [s.text for s in doc.sentences]
    assert {entry["class"] for entry in anchors.sentences} == {"sentence"}


@pytest.mark.parametrize("body", PLAIN_BODIES.values(), ids=PLAIN_BODIES.keys())
def test_plain_text_mentions_nest_inside_the_span_of_their_sentence(matcher, body):
    doc = annotate_document(source(body), matcher)
    anchors = _Anchors(doc.body_html)
    assert doc.mentions
    assert anchors.mention_sentences == {m.anchor: f"s-{m.sentence + 1}" for m in doc.mentions}


def test_plain_text_keeps_the_space_between_sentence_spans(matcher):
    doc = annotate_document(source("One. Two.\n\nThree."), matcher)
    assert doc.body_html == (
        f'<p id="p-1">{sentence(1, "One.")} {sentence(2, "Two.")}</p>\n<p id="p-2">{sentence(3, "Three.")}</p>\n'
    )


MARKDOWN_BODIES = {
    "sentences and paragraphs": "Joe Biden went to Kyiv. Biden met U.S. officials.\n\nThe White House agreed. So did Kyiv.",
    "sentence starting with a mention mid-paragraph": "One. Two.\n\nThree. Biden four.",
    "sentence starting inside bold": "Biden spoke. **Kyiv agreed.** Done.",
    "second sentence inside the same bold": "**Biden spoke. Kyiv agreed.**",
    "bold name starting a sentence": "Biden spoke. **Kyiv** agreed.",
    "sentence starting inside a link": "Biden spoke. [Kyiv agreed.](https://example.org) Done.",
    "link at the end of a paragraph": "Biden spoke. [Kyiv agreed.](https://example.org)",
    "link opening the paragraph": "[Kyiv agreed.](https://example.org) Biden too.",
    "sentence starting in the middle of a link": "See [the talks. Kyiv agreed](https://example.org) now.",
    "sentence after code": "Run `x()`. Kyiv agreed.",
    "sentence after code, then a plain one": "Run `x()`. Then. Biden agreed.",
    "sentence starting with code": "Done. `X()` runs.",
    "soft line break between sentences": "Biden spoke.\nKyiv agreed.",
    "heading, list and quote": "# Kyiv talks\n\n- Biden spoke. Kyiv too.\n- Second item.\n\n> Kyiv agreed. U.S. too.",
}


@pytest.mark.parametrize("body", MARKDOWN_BODIES.values(), ids=MARKDOWN_BODIES.keys())
def test_markdown_marks_every_sentence_with_one_empty_span_numbered_in_order(matcher, body):
    doc = annotate_document(source(body, "markdown"), matcher)
    anchors = _Anchors(doc.body_html)
    assert [entry["id"] for entry in anchors.sentences] == [f"s-{n}" for n in range(1, len(doc.sentences) + 1)]
    assert [entry["inside"] for entry in anchors.sentences] == [""] * len(doc.sentences)
    assert {entry["class"] for entry in anchors.sentences} == {"sentence"}


@pytest.mark.parametrize("body", MARKDOWN_BODIES.values(), ids=MARKDOWN_BODIES.keys())
def test_markdown_sentence_marker_stands_where_its_sentence_starts(matcher, body):
    """All the text before a marker is the sentences before it: the link to s-N lands on sentence N."""
    doc = annotate_document(source(body, "markdown"), matcher)
    anchors = _Anchors(doc.body_html)
    before = [squeeze(entry["before"]) for entry in anchors.sentences]
    assert before == [squeeze(" ".join(s.text for s in doc.sentences[:n])) for n in range(len(doc.sentences))]


def test_markdown_sentence_starting_inside_bold_is_marked_before_its_first_word(matcher):
    doc = annotate_document(source("Biden spoke. **Kyiv agreed.** Done.", "markdown"), matcher)
    assert doc.body_html == (
        f'<p id="p-1">{marker(1)}{link("joe-biden", 1, "Biden")} spoke. '
        f'<strong>{marker(2)}{link("ukraine", 1, "Kyiv")} agreed.</strong> {marker(3)}Done.</p>\n'
    )


def test_markdown_sentence_ids_continue_across_paragraphs_and_blocks(matcher):
    doc = annotate_document(source("# Kyiv talks\n\nOne. Two.\n\n- Three.\n", "markdown"), matcher)
    assert doc.body_html == (
        f'<h3 id="p-1">{marker(1)}{link("ukraine", 1, "Kyiv")} talks</h3>\n'
        f'<p id="p-2">{marker(2)}One. {marker(3)}Two.</p>\n'
        f'<ul>\n<li>{marker(4)}Three.</li>\n</ul>\n'
    )


# --- statements and events ------------------------------------------------------------------------

SPEAKERS = MentionMatcher({
    "Antony Blinken": "antony-blinken",
    "Blinken": "antony-blinken",
    "David Lammy": "david-lammy",
    "Lammy": "david-lammy",
    "Politico": "politico",
    "Joe Biden": "joe-biden",
    "Biden": "joe-biden",
    "Keir Starmer": "keir-starmer",
    "Starmer": "keir-starmer",
    "White House": "white-house",
    "Kyiv": "ukraine",
    "Washington": "united-states",
})
PUBLISHED = datetime.date(2024, 9, 12)


def analysed(body: str, date: datetime.date | None = PUBLISHED, markup: str = "text"):
    return annotate_document(source(body, markup, date=date), SPEAKERS)


@pytest.mark.parametrize(
    ("body", "statements"),
    [
        ("Blinken said the talks went well.", [Statement("antony-blinken", 0, "said", None, PUBLISHED)]),
        ("Blinken said on Sept. 11 that talks went well.",
         [Statement("antony-blinken", 0, "said", None, datetime.date(2024, 9, 11))]),
        ("The U.S. has been flexible “from day one,” Blinken said.",
         [Statement("antony-blinken", 0, "said", "from day one", PUBLISHED)]),
        ("Kyiv has long argued that the limits hurt.", [Statement("ukraine", 0, "has long argued", None, PUBLISHED)]),
        ("Washington has consistently claimed that strikes could escalate.",
         [Statement("united-states", 0, "has consistently claimed", None, PUBLISHED)]),
        ("Both Blinken and Lammy said on Sept. 11 that Russia escalates.", [
            Statement("antony-blinken", 0, "said", None, datetime.date(2024, 9, 11)),
            Statement("david-lammy", 0, "said", None, datetime.date(2024, 9, 11)),
        ]),
        ("Talks are under way, an official told Politico.", []),
        ("Biden met Starmer on Sept. 13.", []),
        ("Nobody said anything.", []),
    ],
)
def test_statement_names_actor_sentence_verb_quote_and_day_said(body, statements):
    assert list(analysed(body).statements) == statements


def test_statement_takes_the_first_day_its_sentence_names():
    doc = analysed("Blinken said on Sept. 10 that the talks of Sept. 11 went well.")
    assert doc.statements == (Statement("antony-blinken", 0, "said", None, datetime.date(2024, 9, 10)),)


def test_statement_without_a_day_in_an_undated_document_has_no_date():
    assert analysed("Blinken said the talks went well.", date=None).statements == (
        Statement("antony-blinken", 0, "said", None, None),
    )


def test_statement_sentence_index_counts_sentences_across_paragraphs():
    doc = analysed("Kyiv waited. Nobody spoke.\n\nThen Biden met Starmer. Politico reported the meeting.")
    assert doc.statements == (Statement("politico", 3, "reported", None, PUBLISHED),)
    assert doc.sentences[3].text == "Politico reported the meeting."


def test_markdown_statements_use_the_readable_sentence_text():
    doc = analysed("Kyiv waited.\n\n**Blinken** said _on Sept. 11_ that [the talks](https://example.org) went well.", markup="markdown")
    assert doc.statements == (Statement("antony-blinken", 1, "said", None, datetime.date(2024, 9, 11)),)


@pytest.mark.parametrize(
    ("body", "events"),
    [
        ("Biden met Starmer at the White House on Sept. 13.",
         [TimelineEvent(datetime.date(2024, 9, 13), "Sept. 13", 0, ("joe-biden", "keir-starmer", "white-house"))]),
        ("Starmer met Biden on Sept. 13, and Biden thanked Starmer.",
         [TimelineEvent(datetime.date(2024, 9, 13), "Sept. 13", 0, ("keir-starmer", "joe-biden"))]),
        ("Nothing happened on Sept. 13.", [TimelineEvent(datetime.date(2024, 9, 13), "Sept. 13", 0, ())]),
        ("They met on Sept. 11 and again on September 11.",
         [TimelineEvent(datetime.date(2024, 9, 11), "Sept. 11", 0, ())]),
        ("Blinken said on Sept. 12 that the talks of Sept. 11 went well.", [
            TimelineEvent(datetime.date(2024, 9, 11), "Sept. 11", 0, ("antony-blinken",)),
            TimelineEvent(datetime.date(2024, 9, 12), "Sept. 12", 0, ("antony-blinken",)),
        ]),
        ("Biden spoke. On Sept. 13 Starmer came.\n\nKyiv waited on 2024-09-10.", [
            TimelineEvent(datetime.date(2024, 9, 13), "Sept. 13", 1, ("keir-starmer",)),
            TimelineEvent(datetime.date(2024, 9, 10), "2024-09-10", 2, ("ukraine",)),
        ]),
        ("Biden met Starmer at the White House.", []),
    ],
)
def test_event_per_distinct_day_in_a_sentence_with_its_actors_in_order_of_first_mention(body, events):
    assert list(analysed(body).events) == events


def test_days_without_a_year_are_not_events_in_an_undated_document():
    doc = analysed("Biden met Starmer on Sept. 13. Kyiv waited until September 14, 2024.", date=None)
    assert doc.events == (TimelineEvent(datetime.date(2024, 9, 14), "September 14, 2024", 1, ("ukraine",)),)


def test_attribute_sentences_reads_mention_offsets_within_each_sentence():
    sentences = [Sentence(1, "Kyiv waited."), Sentence(1, "On Sept. 11, Lammy told Blinken that he said so.")]
    mentions = [
        Mention("ukraine", "m-ukraine-1", "Kyiv", 0, 0),
        Mention("david-lammy", "m-david-lammy-1", "Lammy", 1, 13),
        Mention("antony-blinken", "m-antony-blinken-1", "Blinken", 1, 24),
    ]
    statements, events = attribute_sentences(sentences, mentions, PUBLISHED)
    assert statements == (Statement("david-lammy", 1, "told", None, datetime.date(2024, 9, 11)),)
    assert events == (TimelineEvent(datetime.date(2024, 9, 11), "Sept. 11", 1, ("david-lammy", "antony-blinken")),)


# --- titles ---------------------------------------------------------------------------------------

LONG_SENTENCE = (
    "U.S. President Joe Biden is finalizing the details of a plan to lift some restrictions on "
    "Ukraine’s use of American long-range weapons."
)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Joe Biden went to Kyiv. He stayed.", "Joe Biden went to Kyiv"),
        ("Will Kyiv strike? Maybe.", "Will Kyiv strike?"),
        ("No full stop", "No full stop"),
        ("U.S. officials met on Sept. 11. Talks went on.", "U.S. officials met on Sept. 11"),
        (LONG_SENTENCE, "U.S. President Joe Biden is finalizing the details of a plan to lift some restrictions on…"),
        ("word, " * 20, "word, word, word, word, word, word, word, word, word, word, word, word, word, word, word…"),
        ("a" * 120 + ". Next.", "a" * TITLE_LENGTH + "…"),
        ("x" * TITLE_LENGTH + ".", "x" * TITLE_LENGTH),
        ("", ""),
    ],
)
def test_derive_title_takes_the_first_sentence_cut_at_a_word_boundary(text, title):
    assert derive_title(text) == title


def test_derived_title_is_at_most_about_90_characters():
    title = derive_title(LONG_SENTENCE)
    assert len(title) <= TITLE_LENGTH + 1 and title.endswith("…") and not title[:-1].endswith(" ")


@pytest.mark.parametrize(
    ("body", "markup", "given", "title"),
    [
        ("Joe Biden went to Kyiv. He stayed.\n", "text", "", "Joe Biden went to Kyiv"),
        ("Joe Biden went to Kyiv.\n", "text", "Given title", "Given title"),
        ("\n\n", "text", "", "talks"),
        ("# Kyiv talks\n\nBody.\n", "markdown", "", "Kyiv talks"),
        ("See [the talks](https://example.org) now. More.\n", "markdown", "", "See the talks now"),
    ],
)
def test_document_title_is_the_given_one_else_derived_else_the_stem(matcher, body, markup, given, title):
    assert annotate_document(source(body, markup, title=given), matcher).title == title

"""annotate: a Source -> AnnotatedDocument (paragraphs, sentences, mentions, body HTML, derived title)."""
from __future__ import annotations

import pytest

from briefing.mentions import MentionMatcher
from briefing.model import DocumentMeta, Mention, Sentence, Source
from briefing.stages.annotate import TITLE_LENGTH, annotate_document, derive_title, plain_paragraphs

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


def source(body: str, markup: str = "text", title: str = "", stem: str = "talks") -> Source:
    path = f"seeds/{stem}.{'md' if markup == 'markdown' else 'txt'}"
    return Source(stem=stem, path=path, markup=markup, slug=stem, meta=DocumentMeta(title=title), body=body, body_line=1)


def link(actor: str, number: int, text: str) -> str:
    return f'<a class="mention" data-actor="{actor}" id="m-{actor}-{number}" href="../../actors/{actor}/index.html">{text}</a>'


def span(actor: str, number: int, text: str) -> str:
    return f'<span class="mention" data-actor="{actor}" id="m-{actor}-{number}">{text}</span>'


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
        ("# x\n", '<p id="p-1"># x</p>\n'),
        ("1. x\n", '<p id="p-1">1. x</p>\n'),
        ("* x\n", '<p id="p-1">* x</p>\n'),
        ("- x\n", '<p id="p-1">- x</p>\n'),
        ("> x\n", '<p id="p-1">&gt; x</p>\n'),
        ("**x** _y_ `z`\n", '<p id="p-1">**x** _y_ `z`</p>\n'),
        ("[x](javascript:alert(1))\n", '<p id="p-1">[x](javascript:alert(1))</p>\n'),
        ("<script>alert(1)</script> &amp;\n", '<p id="p-1">&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;</p>\n'),
        ("    indented code?\n", '<p id="p-1">indented code?</p>\n'),
    ],
)
def test_plain_text_is_never_read_as_markdown(matcher, body, html):
    assert annotate_document(source(body), matcher).body_html == html


def test_plain_text_file_without_blank_lines_has_one_paragraph_per_line(matcher):
    doc = annotate_document(source("# Heading-like line\n1. Listed\n* Starred\n"), matcher)
    assert doc.body_html == '<p id="p-1"># Heading-like line</p>\n<p id="p-2">1. Listed</p>\n<p id="p-3">* Starred</p>\n'


def test_mentions_are_marked_up_with_stable_ids_and_links_to_the_actor_page(matcher):
    doc = annotate_document(source("Joe Biden went to Kyiv. Biden met U.S. officials.\n\nThe White House agreed.\n"), matcher)
    assert doc.body_html == (
        f'<p id="p-1">{link("joe-biden", 1, "Joe Biden")} went to {link("ukraine", 1, "Kyiv")}. '
        f'{link("joe-biden", 2, "Biden")} met {link("united-states", 1, "U.S.")} officials.</p>\n'
        f'<p id="p-2">The {link("white-house", 1, "White House")} agreed.</p>\n'
    )


def test_mention_text_is_escaped_inside_its_element(matcher):
    doc = annotate_document(source("AT&T <b>and</b> Biden\n"), matcher)
    assert doc.body_html == f'<p id="p-1">{link("att", 1, "AT&amp;T")} &lt;b&gt;and&lt;/b&gt; {link("joe-biden", 1, "Biden")}</p>\n'


def test_mention_links_first_links_the_first_mention_of_each_actor_and_spans_the_rest(matcher):
    doc = annotate_document(source("Biden one. Biden two.\nKyiv and Biden.\n"), matcher, link_all=False)
    assert doc.body_html == (
        f'<p id="p-1">{link("joe-biden", 1, "Biden")} one. {span("joe-biden", 2, "Biden")} two.</p>\n'
        f'<p id="p-2">{link("ukraine", 1, "Kyiv")} and {span("joe-biden", 3, "Biden")}.</p>\n'
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
    assert doc.body_html == '<p id="p-1">Joe Biden went to Kyiv.</p>\n'


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
        f'<p id="p-1">See <a href="https://example.org">Joe Biden</a> and <code>Biden</code> and {link("joe-biden", 1, "Biden")}.</p>\n'
        "<pre><code>Biden in code\n</code></pre>\n"
    )
    assert doc.mentions == (Mention("joe-biden", "m-joe-biden-1", "Biden", 0, 28),)


def test_markdown_name_split_by_emphasis_is_not_joined(matcher):
    doc = annotate_document(source("**Joe** Biden spoke.", "markdown"), matcher)
    assert doc.body_html == f'<p id="p-1"><strong>Joe</strong> {link("joe-biden", 1, "Biden")} spoke.</p>\n'
    assert doc.mentions == (Mention("joe-biden", "m-joe-biden-1", "Biden", 0, 4),)


def test_markdown_raw_html_is_escaped_and_mentions_inside_it_still_marked(matcher):
    doc = annotate_document(source("<b>Kyiv</b> & Biden", "markdown"), matcher)
    assert doc.body_html == f'<p id="p-1">&lt;b&gt;{link("ukraine", 1, "Kyiv")}&lt;/b&gt; &amp; {link("joe-biden", 1, "Biden")}</p>\n'


def test_markdown_headings_shift_one_level_and_blocks_get_paragraph_ids(matcher):
    doc = annotate_document(source("# Kyiv talks\n\nBiden spoke.\n\n> Kyiv agreed.\n", "markdown"), matcher)
    assert doc.body_html == (
        f'<h2 id="p-1">{link("ukraine", 1, "Kyiv")} talks</h2>\n'
        f'<p id="p-2">{link("joe-biden", 1, "Biden")} spoke.</p>\n'
        f'<blockquote>\n<p id="p-3">{link("ukraine", 2, "Kyiv")} agreed.</p>\n</blockquote>\n'
    )
    assert [s.paragraph for s in doc.sentences] == [1, 2, 3]


def test_markdown_offsets_count_entities_and_line_breaks_as_read(matcher):
    doc = annotate_document(source("Biden &amp; Kyiv met\nAT&amp;T.", "markdown"), matcher)
    assert doc.sentences == (Sentence(1, "Biden & Kyiv met AT&T."),)
    assert [(m.text, m.offset) for m in doc.mentions] == [("Biden", 0), ("Kyiv", 8), ("AT&T", 17)]


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

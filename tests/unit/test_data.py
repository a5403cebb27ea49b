"""outputs/data: Graph -> site/data/ (actors, documents, mentions, statements, events and the network as
JSON; the flat tables also as CSV), exact structure, CSV quoting, page links and deterministic bytes."""
from __future__ import annotations

import csv
import datetime
import io
import json
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.mentions import MentionMatcher
from briefing.model import Actor, DocumentMeta, Link, Source
from briefing.outputs.data import _cell, _csv_page, data_paths, iter_data, json_text, render_data
from briefing.stages.annotate import annotate_document
from briefing.stages.crosslink import build_crosslinks

ACTORS = (
    Actor(
        "joe-biden", "Joe Biden", "person", "content/actors/joe-biden.md", aliases=("Biden",), role="President",
        affiliation=("united-states",), country="US", summary="U.S. president, 2021–2025.",
        links=(Link("Wikipedia", "https://en.wikipedia.org/wiki/Joe_Biden"),),
    ),
    Actor("keir-starmer", "Keir Starmer", "person", "content/actors/keir-starmer.md", aliases=("Starmer",)),
    Actor("ukraine", "Ukraine", "state", "content/actors/ukraine.md", aliases=("Kyiv",)),
    Actor("iran", "Iran", "state", "content/actors/iran.md"),
    Actor("politico", "Politico", "media", "content/actors/politico.md"),
)
ALIAS_INDEX = {form: actor.slug for actor in ACTORS for form in actor.surface_forms}
MATCHER = MentionMatcher(ALIAS_INDEX)
NAMES = ["actors", "documents", "mentions", "statements", "events"]
FILES = sorted([*(f"data/{name}.json" for name in NAMES), *(f"data/{name}.csv" for name in NAMES),
                "data/network.json", "data/edges.csv"])


def document(slug: str, date: str | None, body: str, markup: str = "text", **meta):
    meta = DocumentMeta(date=datetime.date.fromisoformat(date) if date else None, **meta)
    path = f"seeds/{slug}.{'md' if markup == 'markdown' else 'txt'}"
    return annotate_document(Source(slug, path, markup, slug, meta, body, 1), MATCHER)


def documents():
    return [
        document("notes", "2024-09-10", "**Starmer** said on Monday that Biden would call. Kyiv waited.", "markdown"),
        document(
            "talks", "2024-09-12",
            "Biden met Starmer on Sept. 11. Kyiv said the talks were “long, hard and frank.”\n\n"
            "Politico reported the meeting, an official told Politico.",
            title="Talks in Washington", source="Politico", url="https://example.org/talks", author="A. Writer",
            summary='Biden, Starmer and "Kyiv".', tags=("talks", "UK"),
        ),
        document("calls", None, "Starmer called Biden and Kyiv on Monday."),
    ]


@pytest.fixture(scope="module")
def graph():
    return build_crosslinks(ACTORS, documents(), ALIAS_INDEX)


@pytest.fixture(scope="module")
def files(graph) -> dict[str, bytes]:
    return {page.path: page.content for page in render_data(graph)}


def read_json(files, name: str):
    return json.loads(files[f"data/{name}"].decode("utf-8"))


def read_csv(files, name: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(files[f"data/{name}"].decode("utf-8"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def test_data_files_are_the_five_tables_as_json_and_csv_and_the_network(files):
    assert list(files) == FILES


def test_data_paths_names_what_iter_data_makes_in_its_order(graph):
    # The preview server lists the exports by these paths and makes them only when one is asked for.
    assert data_paths() == [page.path for page in iter_data(graph)]


def test_every_json_file_is_utf8_json_with_the_schema_version(files):
    for path, content in files.items():
        if path.endswith(".json"):
            data = json.loads(content.decode("utf-8"))
            assert data["version"] == 1
            assert content.endswith(b"}\n")


def test_json_keeps_non_ascii_text_as_written(files):
    assert "U.S. president, 2021–2025." in files["data/actors.json"].decode("utf-8")


# --- actors ---------------------------------------------------------------------------------------

ACTOR_RECORDS = [
    {
        "slug": "iran", "name": "Iran", "kind": "state", "aliases": [], "role": "", "affiliation": [], "country": "",
        "summary": "", "links": [], "mentions": 0, "documents": 0, "statements": 0, "first_seen": "", "last_seen": "",
        "page": "actors/iran/index.html",
    },
    {
        "slug": "joe-biden", "name": "Joe Biden", "kind": "person", "aliases": ["Biden"], "role": "President",
        "affiliation": ["united-states"], "country": "US", "summary": "U.S. president, 2021–2025.",
        "links": [{"title": "Wikipedia", "url": "https://en.wikipedia.org/wiki/Joe_Biden"}],
        "mentions": 3, "documents": 3, "statements": 0, "first_seen": "2024-09-10", "last_seen": "2024-09-12",
        "page": "actors/joe-biden/index.html",
    },
    {
        "slug": "keir-starmer", "name": "Keir Starmer", "kind": "person", "aliases": ["Starmer"], "role": "",
        "affiliation": [], "country": "", "summary": "", "links": [], "mentions": 3, "documents": 3, "statements": 1,
        "first_seen": "2024-09-10", "last_seen": "2024-09-12", "page": "actors/keir-starmer/index.html",
    },
    {
        "slug": "politico", "name": "Politico", "kind": "media", "aliases": [], "role": "", "affiliation": [],
        "country": "", "summary": "", "links": [], "mentions": 2, "documents": 1, "statements": 1,
        "first_seen": "2024-09-12", "last_seen": "2024-09-12", "page": "actors/politico/index.html",
    },
    {
        "slug": "ukraine", "name": "Ukraine", "kind": "state", "aliases": ["Kyiv"], "role": "", "affiliation": [],
        "country": "", "summary": "", "links": [], "mentions": 3, "documents": 3, "statements": 1,
        "first_seen": "2024-09-10", "last_seen": "2024-09-12", "page": "actors/ukraine/index.html",
    },
]


def test_actors_json_lists_every_actor_by_slug_with_profile_counts_and_page(files):
    assert read_json(files, "actors.json") == {"version": 1, "actors": ACTOR_RECORDS}


def test_actors_csv_flattens_lists_and_links_to_text(files):
    header, rows = read_csv(files, "actors.csv")
    assert header == list(ACTOR_RECORDS[0])
    assert rows[1] == {
        "slug": "joe-biden", "name": "Joe Biden", "kind": "person", "aliases": "Biden", "role": "President",
        "affiliation": "united-states", "country": "US", "summary": "U.S. president, 2021–2025.",
        "links": "https://en.wikipedia.org/wiki/Joe_Biden", "mentions": "3", "documents": "3", "statements": "0",
        "first_seen": "2024-09-10", "last_seen": "2024-09-12", "page": "actors/joe-biden/index.html",
    }
    assert [row["slug"] for row in rows] == ["iran", "joe-biden", "keir-starmer", "politico", "ukraine"]
    assert rows[0]["first_seen"] == "" and rows[0]["mentions"] == "0"


# --- documents ------------------------------------------------------------------------------------

DOCUMENT_RECORDS = [
    {
        "slug": "talks", "title": "Talks in Washington", "date": "2024-09-12", "source": "Politico",
        "url": "https://example.org/talks", "author": "A. Writer", "summary": 'Biden, Starmer and "Kyiv".',
        "tags": ["talks", "UK"], "language": "", "seed": "seeds/talks.txt", "words": 23,
        "actors": [
            {"slug": "politico", "mentions": 2}, {"slug": "joe-biden", "mentions": 1},
            {"slug": "keir-starmer", "mentions": 1}, {"slug": "ukraine", "mentions": 1},
        ],
        "page": "documents/talks/index.html",
    },
    {
        "slug": "notes", "title": "Starmer said on Monday that Biden would call", "date": "2024-09-10", "source": "",
        "url": "", "author": "", "summary": "", "tags": [], "language": "", "seed": "seeds/notes.md", "words": 10,
        "actors": [
            {"slug": "joe-biden", "mentions": 1}, {"slug": "keir-starmer", "mentions": 1}, {"slug": "ukraine", "mentions": 1},
        ],
        "page": "documents/notes/index.html",
    },
    {
        "slug": "calls", "title": "Starmer called Biden and Kyiv on Monday", "date": "", "source": "", "url": "",
        "author": "", "summary": "", "tags": [], "language": "", "seed": "seeds/calls.txt", "words": 7,
        "actors": [
            {"slug": "joe-biden", "mentions": 1}, {"slug": "keir-starmer", "mentions": 1}, {"slug": "ukraine", "mentions": 1},
        ],
        "page": "documents/calls/index.html",
    },
]


def test_documents_json_lists_documents_newest_first_with_their_actors_most_mentioned_first(files):
    assert read_json(files, "documents.json") == {"version": 1, "documents": DOCUMENT_RECORDS}


def test_documents_csv_quotes_commas_and_quotes_and_writes_actors_as_slug_count(files):
    header, rows = read_csv(files, "documents.csv")
    assert header == list(DOCUMENT_RECORDS[0])
    assert rows[0] == {
        "slug": "talks", "title": "Talks in Washington", "date": "2024-09-12", "source": "Politico",
        "url": "https://example.org/talks", "author": "A. Writer", "summary": 'Biden, Starmer and "Kyiv".',
        "tags": "talks; UK", "language": "", "seed": "seeds/talks.txt", "words": "23",
        "actors": "politico:2; joe-biden:1; keir-starmer:1; ukraine:1", "page": "documents/talks/index.html",
    }
    assert files["data/documents.csv"].decode("utf-8").splitlines()[1] == (
        'talks,Talks in Washington,2024-09-12,Politico,https://example.org/talks,A. Writer,'
        '"Biden, Starmer and ""Kyiv"".",talks; UK,,seeds/talks.txt,23,'
        "politico:2; joe-biden:1; keir-starmer:1; ukraine:1,documents/talks/index.html"
    )
    assert [row["slug"] for row in rows] == ["talks", "notes", "calls"]


# --- mentions -------------------------------------------------------------------------------------

def mention(document: str, actor: str, text: str, number: int, sentence: int) -> dict:
    anchor = f"m-{actor}-{number}"
    return {"document": document, "actor": actor, "text": text, "anchor": anchor, "sentence_number": sentence,
            "page": f"documents/{document}/index.html#{anchor}"}


MENTION_RECORDS = [
    mention("talks", "joe-biden", "Biden", 1, 1),
    mention("talks", "keir-starmer", "Starmer", 1, 1),
    mention("talks", "ukraine", "Kyiv", 1, 2),
    mention("talks", "politico", "Politico", 1, 3),
    mention("talks", "politico", "Politico", 2, 3),
    mention("notes", "keir-starmer", "Starmer", 1, 1),
    mention("notes", "joe-biden", "Biden", 1, 1),
    mention("notes", "ukraine", "Kyiv", 1, 2),
    mention("calls", "keir-starmer", "Starmer", 1, 1),
    mention("calls", "joe-biden", "Biden", 1, 1),
    mention("calls", "ukraine", "Kyiv", 1, 1),
]


def test_mentions_json_lists_each_mention_in_document_then_text_order_with_sentence_numbers_from_one(files):
    assert read_json(files, "mentions.json") == {"version": 1, "mentions": MENTION_RECORDS}


def test_mentions_csv_has_the_json_fields_as_columns(files):
    header, rows = read_csv(files, "mentions.csv")
    assert header == ["document", "actor", "text", "anchor", "sentence_number", "page"]
    assert rows == [{key: str(value) for key, value in record.items()} for record in MENTION_RECORDS]


# --- statements -----------------------------------------------------------------------------------

STATEMENT_RECORDS = [
    {
        "actor": "ukraine", "document": "talks", "date": "2024-09-12", "verb": "said", "quote": "long, hard and frank",
        "sentence": "Kyiv said the talks were “long, hard and frank.”", "page": "documents/talks/index.html#s-2",
    },
    {
        "actor": "politico", "document": "talks", "date": "2024-09-12", "verb": "reported", "quote": "",
        "sentence": "Politico reported the meeting, an official told Politico.", "page": "documents/talks/index.html#s-3",
    },
    {
        "actor": "keir-starmer", "document": "notes", "date": "2024-09-09", "verb": "said", "quote": "",
        "sentence": "Starmer said on Monday that Biden would call.", "page": "documents/notes/index.html#s-1",
    },
]


def test_statements_json_gives_speaker_day_said_verb_quote_and_sentence_link(files):
    assert read_json(files, "statements.json") == {"version": 1, "statements": STATEMENT_RECORDS}


def test_statements_csv_quotes_cells_with_commas_and_keeps_curly_quotes(files):
    header, rows = read_csv(files, "statements.csv")
    assert header == ["actor", "document", "date", "verb", "quote", "sentence", "page"]
    assert rows == STATEMENT_RECORDS
    assert files["data/statements.csv"].decode("utf-8").splitlines()[1] == (
        'ukraine,talks,2024-09-12,said,"long, hard and frank","Kyiv said the talks were “long, hard and frank.”",'
        "documents/talks/index.html#s-2"
    )


# --- events ---------------------------------------------------------------------------------------

EVENT_RECORDS = [
    {
        "date": "2024-09-09", "date_text": "Monday", "document": "notes", "actors": ["keir-starmer", "joe-biden"],
        "sentence": "Starmer said on Monday that Biden would call.", "page": "documents/notes/index.html#s-1",
    },
    {
        "date": "2024-09-11", "date_text": "Sept. 11", "document": "talks", "actors": ["joe-biden", "keir-starmer"],
        "sentence": "Biden met Starmer on Sept. 11.", "page": "documents/talks/index.html#s-1",
    },
]


def test_events_json_lists_dated_sentences_oldest_first_with_their_actors(files):
    assert read_json(files, "events.json") == {"version": 1, "events": EVENT_RECORDS}


def test_events_csv_joins_actors_with_semicolons(files):
    header, rows = read_csv(files, "events.csv")
    assert header == ["date", "date_text", "document", "actors", "sentence", "page"]
    assert rows == [{**record, "actors": "; ".join(record["actors"])} for record in EVENT_RECORDS]


# --- network --------------------------------------------------------------------------------------

def evidence(document: str, sentence: str, anchor: str) -> dict:
    return {"document": document, "sentence": sentence, "page": f"documents/{document}/index.html#{anchor}"}


NETWORK = {
    "version": 1,
    "nodes": [
        {"slug": "iran", "name": "Iran", "kind": "state", "mentions": 0},
        {"slug": "joe-biden", "name": "Joe Biden", "kind": "person", "mentions": 3},
        {"slug": "keir-starmer", "name": "Keir Starmer", "kind": "person", "mentions": 3},
        {"slug": "politico", "name": "Politico", "kind": "media", "mentions": 2},
        {"slug": "ukraine", "name": "Ukraine", "kind": "state", "mentions": 3},
    ],
    "edges": [
        {"source": "joe-biden", "target": "keir-starmer", "weight": 3, "evidence": [
            evidence("talks", "Biden met Starmer on Sept. 11.", "m-joe-biden-1"),
            evidence("notes", "Starmer said on Monday that Biden would call.", "m-joe-biden-1"),
            evidence("calls", "Starmer called Biden and Kyiv on Monday.", "m-joe-biden-1"),
        ]},
        {"source": "joe-biden", "target": "ukraine", "weight": 1, "evidence": [
            evidence("calls", "Starmer called Biden and Kyiv on Monday.", "m-joe-biden-1"),
        ]},
        {"source": "keir-starmer", "target": "ukraine", "weight": 1, "evidence": [
            evidence("calls", "Starmer called Biden and Kyiv on Monday.", "m-keir-starmer-1"),
        ]},
    ],
}


def test_network_json_has_every_actor_as_a_node_and_edges_strongest_first_with_evidence(files):
    assert read_json(files, "network.json") == NETWORK


def test_edges_csv_is_the_network_edges_without_evidence(files):
    header, rows = read_csv(files, "edges.csv")
    assert header == ["source", "target", "weight"]
    assert rows == [
        {"source": "joe-biden", "target": "keir-starmer", "weight": "3"},
        {"source": "joe-biden", "target": "ukraine", "weight": "1"},
        {"source": "keir-starmer", "target": "ukraine", "weight": "1"},
    ]


# --- links, CSV shape and determinism -------------------------------------------------------------

class _Ids(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        if element_id:
            self.ids.append(element_id)


def page_links(files) -> list[str]:
    links = [record["page"] for name in NAMES for record in read_json(files, f"{name}.json")[name]]
    links += [item["page"] for edge in read_json(files, "network.json")["edges"] for item in edge["evidence"]]
    return links


def test_every_fragment_link_names_an_element_of_its_document_body(graph, files):
    ids_by_page = {f"documents/{doc.slug}/index.html": _Ids(doc.body_html).ids for doc in graph.documents}
    fragments = [link for link in page_links(files) if "#" in link]
    assert len(fragments) == len(MENTION_RECORDS) + len(STATEMENT_RECORDS) + len(EVENT_RECORDS) + 5
    for link in fragments:
        page, fragment = link.split("#")
        assert fragment in ids_by_page[page], link


def test_every_id_in_a_document_body_is_unique(graph):
    for doc in graph.documents:
        ids = _Ids(doc.body_html).ids
        assert len(ids) == len(set(ids)), doc.slug


def test_csv_files_end_rows_with_newlines_and_have_one_row_per_json_record(files):
    for name in NAMES:
        text = files[f"data/{name}.csv"].decode("utf-8")
        assert "\r" not in text and text.endswith("\n")
        assert len(read_csv(files, f"{name}.csv")[1]) == len(read_json(files, f"{name}.json")[name])


def test_a_table_without_rows_still_has_its_header():
    quiet = [document("quiet", "2024-09-12", "Nothing happened here.")]
    files = {page.path: page.content for page in render_data(build_crosslinks(ACTORS, quiet, ALIAS_INDEX))}
    assert read_json(files, "statements.json") == {"version": 1, "statements": []}
    assert read_json(files, "network.json")["edges"] == []
    assert files["data/statements.csv"] == b"actor,document,date,verb,quote,sentence,page\n"
    assert files["data/events.csv"] == b"date,date_text,document,actors,sentence,page\n"
    assert files["data/mentions.csv"] == b"document,actor,text,anchor,sentence_number,page\n"
    assert files["data/edges.csv"] == b"source,target,weight\n"


def test_data_bytes_do_not_depend_on_the_order_documents_and_actors_come_in(files):
    shuffled = build_crosslinks(tuple(reversed(ACTORS)), list(reversed(documents())), ALIAS_INDEX)
    assert {page.path: page.content for page in render_data(shuffled)} == files


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Plain text", "Plain text"),
        (7, "7"),
        (["a", "b"], "a; b"),
        (None, ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(value, cell):
    assert _cell(value) == cell


# --- the fast writers are the standard ones, byte for byte ------------------------------------------------

PLAIN = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | st.sampled_from(["}", "{", "\n", '"', "\\", "\x01", ",\n  "])
JSON_VALUES = st.recursive(
    PLAIN,
    lambda children: st.lists(children, max_size=4)
    | st.lists(st.dictionaries(st.text(max_size=3), PLAIN, max_size=3), max_size=4)  # records of plain values
    | st.dictionaries(st.text(max_size=4) | st.integers() | st.none(), children, max_size=4)
    | st.tuples(children, children),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_json_text_is_json_dumps_with_indent_1(value):
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=1)


CSV_CELLS = st.none() | st.integers() | st.text(max_size=6) | st.sampled_from(["", ",", '"', "\n", "\r", "=1", "-2", " x", 'a,b"c']) | st.lists(st.text(max_size=3), max_size=3)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.fixed_dictionaries({column: CSV_CELLS for column in ("a", "b", "c")}), max_size=6))
def test_csv_tables_are_what_csv_writer_writes(rows):
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(("a", "b", "c"))
    for row in rows:
        writer.writerow([_cell(row[column]) for column in ("a", "b", "c")])
    assert _csv_page("x.csv", ("a", "b", "c"), rows).content == expected.getvalue().encode("utf-8")

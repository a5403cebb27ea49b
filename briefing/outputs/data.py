"""Graph -> site/data/: actors, documents, mentions, statements, events and the network as JSON, and as
CSV where a spreadsheet user would want a flat table. Page addresses are relative to the site root.
The schema is documented in README.md."""
from __future__ import annotations

import csv
import datetime
import io
import json
import operator
import re
from itertools import chain
from typing import Any, Callable, Iterable, Iterator

from .. import urls
from ..model import Page
from ..stages.crosslink import Graph

SCHEMA_VERSION = 1
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_STARTS)
_FIRST_CHARACTER = operator.itemgetter(slice(0, 1))
# Each CSV's columns, so that a table without rows still has its header.
COLUMNS = {
    "actors": ("slug", "name", "kind", "aliases", "role", "affiliation", "country", "summary", "links", "mentions",
               "documents", "statements", "first_seen", "last_seen", "page"),
    "documents": ("slug", "title", "date", "source", "url", "author", "summary", "tags", "language", "seed", "words",
                  "actors", "page"),
    "mentions": ("document", "actor", "text", "anchor", "sentence_number", "page"),
    "statements": ("actor", "document", "date", "verb", "quote", "sentence", "page"),
    "events": ("date", "date_text", "document", "actors", "sentence", "page"),
    "edges": ("source", "target", "weight"),
}


def render_data(graph: Graph) -> list[Page]:
    return sorted(iter_data(graph), key=lambda page: page.path)


TABLES = ("actors", "documents", "mentions", "statements", "events")


def data_paths() -> list[str]:
    """The output paths `iter_data` makes, in its order, without making them."""
    return [urls.data_path(f"{name}.{suffix}") for name in TABLES for suffix in ("json", "csv")] + [
        urls.data_path("network.json"), urls.data_path("edges.csv")
    ]


def iter_data(graph: Graph) -> Iterator[Page]:
    """The exports one table at a time, so that only one table's rows are in memory at once (the mentions
    of 10,000 documents are 190,000 rows)."""
    for name, make_rows in zip(TABLES, (actor_rows, document_rows, mention_rows, statement_rows, event_rows)):
        rows = make_rows(graph)
        yield _json_page(f"{name}.json", {"version": SCHEMA_VERSION, name: rows})
        yield _csv_page(f"{name}.csv", COLUMNS[name], rows)
        del rows
    network = network_data(graph)
    yield _json_page("network.json", {"version": SCHEMA_VERSION, **network})
    yield _csv_page("edges.csv", COLUMNS["edges"], network["edges"])


def actor_rows(graph: Graph) -> list[dict[str, Any]]:
    rows = []
    for actor in graph.actors:
        stats = graph.stats_by_actor[actor.slug]
        rows.append({
            "slug": actor.slug,
            "name": actor.name,
            "kind": actor.kind,
            "aliases": list(actor.aliases),
            "role": actor.role,
            "affiliation": list(actor.affiliation),
            "country": actor.country,
            "summary": actor.summary,
            "links": [{"title": link.title, "url": link.url} for link in actor.links],
            "mentions": stats.mentions,
            "documents": stats.documents,
            "statements": len(graph.remarks_by_actor.get(actor.slug, ())),
            "first_seen": _date(stats.first_seen),
            "last_seen": _date(stats.last_seen),
            "page": urls.actor_path(actor.slug),
        })
    return rows


def document_rows(graph: Graph) -> list[dict[str, Any]]:
    rows = []
    for doc in graph.documents:
        meta = doc.meta
        rows.append({
            "slug": doc.slug,
            "title": doc.title,
            "date": _date(meta.date),
            "source": meta.source,
            "url": meta.url,
            "author": meta.author,
            "summary": meta.summary,
            "tags": list(meta.tags),
            "language": meta.language,
            "seed": doc.path,
            "words": doc.word_count,
            "actors": [{"slug": slug, "mentions": count} for slug, count in graph.actor_counts_by_document[doc.slug]],
            "page": urls.document_path(doc.slug),
        })
    return rows


def mention_rows(graph: Graph) -> list[dict[str, Any]]:
    return [
        {
            "document": doc.slug,
            "actor": mention.actor,
            "text": mention.text,
            "anchor": mention.anchor,
            "sentence_number": mention.sentence + 1,
            "page": f"{urls.document_path(doc.slug)}#{mention.anchor}",
        }
        for doc in graph.documents
        for mention in doc.mentions
    ]


def statement_rows(graph: Graph) -> list[dict[str, Any]]:
    return [
        {
            "actor": remark.actor,
            "document": remark.document,
            "date": _date(remark.date),
            "verb": remark.verb,
            "quote": remark.quote or "",
            "sentence": remark.text,
            "page": f"{urls.document_path(remark.document)}#{remark.anchor}",
        }
        for doc in graph.documents
        for remark in graph.remarks_by_document[doc.slug]
    ]


def event_rows(graph: Graph) -> list[dict[str, Any]]:
    return [
        {
            "date": _date(event.date),
            "date_text": event.date_text,
            "document": event.document,
            "actors": list(event.actors),
            "sentence": event.text,
            "page": f"{urls.document_path(event.document)}#{event.anchor}",
        }
        for event in graph.events
    ]


def network_data(graph: Graph) -> dict[str, Any]:
    evidence_by_pair = {}
    for actor, connections in graph.connections_by_actor.items():
        for connection in connections:
            if actor < connection.actor:
                evidence_by_pair[(actor, connection.actor)] = connection.evidence
    return {
        "nodes": [
            {"slug": a.slug, "name": a.name, "kind": a.kind, "mentions": graph.stats_by_actor[a.slug].mentions}
            for a in graph.actors
        ],
        "edges": [
            {
                "source": source,
                "target": target,
                "weight": weight,
                "evidence": [
                    {"document": e.document, "sentence": e.sentence, "page": f"{urls.document_path(e.document)}#{e.anchor}"}
                    for e in evidence_by_pair.get((source, target), ())
                ],
            }
            for source, target, weight in graph.edges
        ],
    }


def _date(date: datetime.date | None) -> str:
    return date.isoformat() if date else ""


def _json_page(name: str, data: Any) -> Page:
    return Page(urls.data_path(name), (json_text(data) + "\n").encode("utf-8"))


def json_text(value: Any, indent: str = "") -> str:
    """json.dumps(value, ensure_ascii=False, indent=1), character for character, several times faster.

    json's indenting encoder is pure Python, one generator step per value. Its C encoder cannot indent, but
    given ",\n" and an indentation as the separator between items, it lays out a container of plain values
    (text, numbers, true, false, null) exactly as the indenting one does, and a list of such records in one
    call and one replacement. Only other containers of containers are walked here, in Python. `indent` is
    the indentation of the line `value` starts on."""
    if json.encoder.c_make_encoder is None:  # a Python without json's C accelerator
        return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + indent)
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + " "
        if _PLAIN.issuperset(map(type, value.values())):
            return "{\n" + inner + "".join(_encoder(",\n" + inner)(value, 0))[1:-1] + "\n" + indent + "}"
        if all(type(key) is str for key in value):
            items = [_json_string(key) + ": " + (_json_string(item) if type(item) is str else json_text(item, inner)) for key, item in value.items()]
            return "{\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "}"
    elif kind is list:
        if not value:
            return "[]"
        inner = indent + " "
        kinds = set(map(type, value))
        if kinds <= _PLAIN:
            return "[\n" + inner + "".join(_encoder(",\n" + inner)(value, 0))[1:-1] + "\n" + indent + "]"
        if kinds == {dict} and all(value) and _PLAIN.issuperset(map(type, chain.from_iterable(map(dict.values, value)))):
            return _records_text(value, indent)
        items = [_json_string(item) if type(item) is str else json_text(item, inner) for item in value]
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"
    elif kind is str:
        return _json_string(value)
    elif kind in _PLAIN:
        return "".join(_encoder("")(value, 0))
    # Anything else (tuples, subclasses, keys that are not text) as json itself writes it: its strings
    # never hold a raw newline, so indenting every line break moves the whole text to this depth.
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + indent)


def _records_text(records: list[dict[str, Any]], indent: str) -> str:
    """A non-empty list of non-empty records of plain values, laid out as json_text lays it out."""
    inner, field = indent + " ", indent + "  "
    # One call writes "[{" ... "}]" with the fields' separator between fields and between records alike;
    # "}" + separator + "{" is only ever a record's end and the next one's start (values are plain, and a
    # newline only ever appears escaped in them), so one replacement puts each record on its own lines.
    separator = ",\n" + field
    text = "".join(_encoder(separator)(records, 0))[2:-2].replace("}" + separator + "{", "\n" + inner + "},\n" + inner + "{\n" + field)
    return "[\n" + inner + "{\n" + field + text + "\n" + inner + "}\n" + indent + "]"


_PLAIN = frozenset({str, int, float, bool, type(None)})
_encoders: dict[str, Callable[[Any, int], list[str]]] = {}


def _encoder(item_separator: str) -> Callable[[Any, int], list[str]]:
    """json's C encoder with `item_separator` between items: encoder(value, 0) -> the text in pieces."""
    encoder = _encoders.get(item_separator)
    if encoder is None:
        # Arguments: markers (None: no check for cycles, which a tree has none of), default, string escaper,
        # indent (unused by the C encoder), key and item separators, sort_keys, skipkeys, allow_nan.
        encoder = json.encoder.c_make_encoder(None, None, _json_string, None, ": ", item_separator, False, False, True)
        _encoders[item_separator] = encoder
    return encoder


_json_string = json.encoder.encode_basestring  # the C escaper json.dumps uses with ensure_ascii=False


def _csv_page(name: str, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Page:
    """The table as csv.writer(lineterminator="\n") writes it (QUOTE_MINIMAL), made column by column: most
    columns hold only numbers or text that needs no quotes, which are joined as they are."""
    rows = list(rows)
    cells = []
    for column in columns:
        values = list(map(operator.itemgetter(column), rows))
        kinds = set(map(type, values))
        if kinds <= {int, type(None)}:
            cells.append(["" if value is None else str(value) for value in values] if type(None) in kinds else list(map(str, values)))
            continue
        if not (kinds == {str} and FORMULA_FIRST.isdisjoint(map(_FIRST_CHARACTER, values))):
            values = [_cell(value) for value in values]
        if _NEEDS_QUOTES.search("".join(values)):
            values = [_quoted(value) if _NEEDS_QUOTES.search(value) else value for value in values]
        cells.append(values)
    header = ",".join(_quoted(column) if _NEEDS_QUOTES.search(column) else column for column in columns)
    text = "\n".join([header, *map(",".join, zip(*cells))]) + "\n"
    return Page(urls.data_path(name), text.encode("utf-8"))


def _csv_quotes(character: str) -> bool:
    """Whether csv.writer(lineterminator="\n") puts a cell holding `character` in quotes."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["", f"a{character}b"])
    return buffer.getvalue() != f",a{character}b\n"


# What makes csv quote a cell (a carriage return does not in every Python version: asked, not assumed).
_NEEDS_QUOTES = re.compile("[" + re.escape("".join(c for c in ',"\n\r' if _csv_quotes(c))) + "]")


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _cell(value: Any) -> str:
    """Lists flatten to '; '-separated text; nested records (a document's actors) to 'slug:count'. Text that
    a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe, as OWASP advises."""
    if isinstance(value, list):
        value = "; ".join(f"{item['slug']}:{item['mentions']}" if isinstance(item, dict) and "mentions" in item
                          else item["url"] if isinstance(item, dict) else str(item) for item in value)
    if isinstance(value, str):
        return "'" + value if value[:1] in FORMULA_STARTS else value
    return "" if value is None else str(value)

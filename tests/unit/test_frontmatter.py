"""frontmatter: `---` blocks split from the body, YAML read from the node tree against a schema, every
problem reported at path:line:col with the file's own line numbers."""
from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefing.diagnostics import Diagnostics
from briefing.frontmatter import (
    MAX_NESTING,
    Fields,
    parse_mapping,
    read_bool,
    read_choice,
    read_date,
    read_file_fields,
    read_fields,
    read_links,
    read_text,
    read_text_list,
    read_url,
    split_front_matter,
)

PATH = "seeds/talks.txt"
SCHEMA = {
    "title": read_text,
    "date": read_date,
    "source": read_text,
    "url": read_url,
    "tags": read_text_list,
    "draft": read_bool,
    "links": read_links,
    "kind": read_choice("person", "state", "organization", "media", "group", "other"),
}


def read(text: str, unknown_level: str = "warning") -> tuple[Fields | None, list[str]]:
    """A whole file's text -> (its front-matter fields or None, the diagnostics as printed)."""
    report = Diagnostics()
    split = split_front_matter(text, PATH, report)
    fields = None
    if split.yaml_text is not None:
        mapping = parse_mapping(split.yaml_text, PATH, split.yaml_line, report)
        if mapping is not None:
            fields = read_fields(mapping, SCHEMA, PATH, split.yaml_line, report, unknown_level)
    return fields, [str(d) for d in report.sorted()]


def front(*lines: str) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\nBody text.\n"


# --- splitting ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "yaml_text", "yaml_line", "body", "body_line"),
    [
        ("No front matter.\n", None, 0, "No front matter.\n", 1),
        ("", None, 0, "", 1),
        ("----\ntitle: x\n---\n", None, 0, "----\ntitle: x\n---\n", 1),
        ("---title: x\n---\n", None, 0, "---title: x\n---\n", 1),
        ("Body first\n---\ntitle: x\n---\n", None, 0, "Body first\n---\ntitle: x\n---\n", 1),
        ("---\ntitle: Hi\n---\nBody\n", "title: Hi\n", 2, "Body\n", 4),
        ("---\ntitle: Hi\ndate: 2024-09-11\n---\n\nBody\n", "title: Hi\ndate: 2024-09-11\n", 2, "\nBody\n", 5),
        ("---\ntitle: Hi\n...\nBody\n", "title: Hi\n", 2, "Body\n", 4),
        ("---\r\ntitle: Hi\r\n---\r\nBody\r\n", "title: Hi\r\n", 2, "Body\r\n", 4),
        ("---\n---\nBody", "", 2, "Body", 3),
        ("---\ntitle: Hi\n---", "title: Hi\n", 2, "", 4),
        ("---\ntitle: Hi\n---\nBody\n---\nmore\n", "title: Hi\n", 2, "Body\n---\nmore\n", 4),
    ],
)
def test_split_front_matter(text, yaml_text, yaml_line, body, body_line):
    report = Diagnostics()
    split = split_front_matter(text, PATH, report)
    assert (split.yaml_text, split.yaml_line, split.body, split.body_line) == (yaml_text, yaml_line, body, body_line)
    assert report.items == []


@pytest.mark.parametrize("text", ["---\ntitle: Hi\nBody\n", "---\n", "---\ntitle: Hi\n--\nBody\n"])
def test_unclosed_front_matter_is_an_error_at_line_1_and_the_whole_file_is_body(text):
    report = Diagnostics()
    split = split_front_matter(text, PATH, report)
    assert (split.yaml_text, split.body, split.body_line) == (None, text, 1)
    assert [str(d) for d in report.items] == [
        "seeds/talks.txt:1:1: error: front matter opened with '---' is never closed; add a line '---' after the last field"
    ]


# --- YAML errors, located in the file -------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "diagnostic"),
    [
        (front("title: Hi", "  bad: indent"), "seeds/talks.txt:3:6: error: invalid YAML: mapping values are not allowed in this context"),
        (front("title: Hi", "date: 2024-09-11", "source: x: y"), "seeds/talks.txt:4:10: error: invalid YAML: mapping values are not allowed in this context"),
        (front("title: [unclosed"), "seeds/talks.txt:3:1: error: invalid YAML: did not find expected ',' or ']'"),
        (front("title: Hi", "\t- x"), "seeds/talks.txt:3:1: error: invalid YAML: found a tab character that violates indentation"),
        (front("title: 'open"), "seeds/talks.txt:3:1: error: invalid YAML: found unexpected end of stream"),
        (front("- a", "- b"), "seeds/talks.txt:2:1: error: expected 'field: value' lines, found a single value"),
        (front("just a sentence"), "seeds/talks.txt:2:1: error: expected 'field: value' lines, found a single value"),
    ],
)
def test_yaml_errors_are_located_with_file_line_numbers(text, diagnostic):
    fields, diagnostics = read(text)
    assert fields is None
    assert diagnostics == [diagnostic]


def test_yaml_file_without_fences_counts_lines_from_1():
    report = Diagnostics()
    fields = read_file_fields("title: Hi\n  bad: indent\n", SCHEMA, "briefing.yaml", report)
    assert fields is None
    assert [str(d) for d in report.items] == ["briefing.yaml:2:6: error: invalid YAML: mapping values are not allowed in this context"]


def test_empty_front_matter_has_no_fields_and_no_problems():
    assert read("---\n---\nBody\n") == (Fields({}, {}), [])


# --- fields ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("lines", "level", "diagnostic"),
    [
        (("title: Hi", "sourse: Politico"), "warning", "seeds/talks.txt:3:1: warning: unknown field 'sourse' (did you mean 'source'?)"),
        (("titel: Hi",), "warning", "seeds/talks.txt:2:1: warning: unknown field 'titel' (did you mean 'title'?)"),
        (("colour: red",), "warning", "seeds/talks.txt:2:1: warning: unknown field 'colour'"),
        (("aliass: [a]", "title: Hi"), "error", "seeds/talks.txt:2:1: error: unknown field 'aliass'"),
        (("  dat: 2024-09-11",), "error", "seeds/talks.txt:2:3: error: unknown field 'dat' (did you mean 'date'?)"),
    ],
)
def test_unknown_field_is_reported_at_its_key_with_a_did_you_mean(lines, level, diagnostic):
    fields, diagnostics = read(front(*lines), unknown_level=level)
    assert diagnostics == [diagnostic]
    assert set(fields.values) <= {"title"}


def test_duplicate_field_is_an_error_and_the_first_value_is_kept():
    fields, diagnostics = read(front("title: First", "date: 2024-09-11", "title: Second"))
    assert fields.values["title"] == "First"
    assert diagnostics == ["seeds/talks.txt:4:1: error: field 'title' is given twice (first at line 2); keep one"]


def test_field_locations_use_file_lines():
    fields, _ = read(front("title: Hi", "", "date: 2024-09-11"))
    assert (fields.locations["title"].line, fields.locations["date"].line) == (2, 4)


ALIAS_ERROR = "error: YAML anchors and aliases (&, *) are not supported; write the value out"


@pytest.mark.parametrize(
    ("lines", "values", "diagnostic"),
    [
        (("tags: &t [a, b]", "source: *t"), {"tags": ("a", "b")}, f"seeds/talks.txt:2:7: {ALIAS_ERROR}"),
        (("title: &t Hi", "source: *t"), {"title": "Hi"}, f"seeds/talks.txt:2:8: {ALIAS_ERROR}"),
        (("tags: [&t a, *t]",), {}, f"seeds/talks.txt:2:7: {ALIAS_ERROR}"),
    ],
)
def test_anchors_and_aliases_are_rejected(lines, values, diagnostic):
    fields, diagnostics = read(front(*lines))
    assert fields.values == values
    assert diagnostics == [diagnostic]


def test_alias_to_an_unknown_field_is_rejected_too():
    fields, diagnostics = read(front("extra: &t Hi", "title: *t"))
    assert "title" not in fields.values
    assert diagnostics == [
        "seeds/talks.txt:2:1: warning: unknown field 'extra'",
        f"seeds/talks.txt:2:8: {ALIAS_ERROR}",
    ]


def test_alias_bomb_is_rejected_without_expanding_it():
    # Nine levels of nine aliases each: 387,420,489 items if anything expanded them.
    levels = ["&a0 [" + ", ".join(["x"] * 9) + "]"]
    levels += [f"&a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
    fields, diagnostics = read(front("tags: [" + ", ".join(levels) + "]"))
    assert fields.values == {}
    assert diagnostics == [f"seeds/talks.txt:2:7: {ALIAS_ERROR}"]


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("title: NO", "NO"),
        ("title: yes", "yes"),
        ("title: off", "off"),
        ("title: 1.10", "1.10"),
        ("title: 007", "007"),
        ("title: 1e3", "1e3"),
        ("title: 2024-09-11", "2024-09-11"),
        ("title: .inf", ".inf"),
        ("title: '  padded  '", "padded"),
        ('title: "null"', "null"),
        ("title: \"Blinken: no change\"", "Blinken: no change"),
        ("title: !!int 5", "5"),
        ("title: |\n  Two\n  lines", "Two\nlines"),
    ],
)
def test_text_is_read_as_written_never_retyped(line, title):
    fields, diagnostics = read(front(*line.split("\n")))
    assert diagnostics == []
    assert fields.values == {"title": title}


@pytest.mark.parametrize("line", ["title:", "title: ~", "title: null"])
def test_empty_value_means_not_set(line):
    fields, diagnostics = read(front(line))
    assert (fields.values, diagnostics) == ({}, [])
    assert fields.locations["title"].line == 2


@pytest.mark.parametrize(
    ("line", "value", "diagnostic"),
    [
        ("date: 2024-09-11", datetime.date(2024, 9, 11), None),
        ("date: '2024-09-11'", datetime.date(2024, 9, 11), None),
        ("date: 2024-02-29", datetime.date(2024, 2, 29), None),
        ("date: 2024-13-01", None, "seeds/talks.txt:2:7: error: field 'date': '2024-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11"),
        ("date: 2023-02-29", None, "seeds/talks.txt:2:7: error: field 'date': '2023-02-29' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11"),
        ("date: 2024-9-1", None, "seeds/talks.txt:2:7: error: field 'date': '2024-9-1' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11"),
        ("date: 11/09/2024", None, "seeds/talks.txt:2:7: error: field 'date': '11/09/2024' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11"),
        ("date: Sept. 11, 2024", None, "seeds/talks.txt:2:7: error: field 'date': 'Sept. 11, 2024' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11"),
        ("date: 2024-09-11T10:00:00", None, "seeds/talks.txt:2:7: error: field 'date': '2024-09-11T10:00:00' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11"),
        ("date: [2024-09-11]", None, "seeds/talks.txt:2:7: error: field 'date' must be a date, not a list"),
        ("date: {y: 2024}", None, "seeds/talks.txt:2:7: error: field 'date' must be a date, not a mapping"),
    ],
)
def test_dates(line, value, diagnostic):
    fields, diagnostics = read(front(line))
    assert fields.values.get("date") == value
    assert diagnostics == ([diagnostic] if diagnostic else [])


@pytest.mark.parametrize(
    ("line", "value", "diagnostic"),
    [
        ("draft: true", True, None),
        ("draft: false", False, None),
        ("draft: True", True, None),
        ("draft: FALSE", False, None),
        ("draft: yes", None, "seeds/talks.txt:2:8: error: field 'draft': 'yes' is not true or false"),
        ("draft: 1", None, "seeds/talks.txt:2:8: error: field 'draft': '1' is not true or false"),
        ("draft: [true]", None, "seeds/talks.txt:2:8: error: field 'draft' must be true or false, not a list"),
    ],
)
def test_booleans(line, value, diagnostic):
    fields, diagnostics = read(front(line))
    assert fields.values.get("draft") == value
    assert diagnostics == ([diagnostic] if diagnostic else [])


@pytest.mark.parametrize(
    ("lines", "value", "diagnostic"),
    [
        (("tags: ukraine",), ("ukraine",), None),
        (("tags: long-range strikes",), ("long-range strikes",), None),
        (("tags: [ukraine, russia]",), ("ukraine", "russia"), None),
        (("tags:", "  - ukraine", "  - russia"), ("ukraine", "russia"), None),
        (("tags: []",), (), None),
        (("tags: ''",), (), None),
        (("tags: [NO, 1.10]",), ("NO", "1.10"), None),
        (("tags:", "  - ukraine", "  - [nested]"), None, "seeds/talks.txt:4:5: error: field 'tags' must be text, not a list"),
        (("tags: {a: b}",), None, "seeds/talks.txt:2:7: error: field 'tags' must be a list of texts"),
    ],
)
def test_text_lists_accept_a_single_text_as_a_list_of_one(lines, value, diagnostic):
    fields, diagnostics = read(front(*lines))
    assert fields.values.get("tags") == value
    assert diagnostics == ([diagnostic] if diagnostic else [])


def test_links_read_title_and_url_and_default_the_title_to_the_url():
    fields, diagnostics = read(front("links:", "  - title: Official site", "    url: https://example.org/a", "  - url: mailto:press@example.org"))
    assert diagnostics == []
    assert [(title, url) for title, url, _ in fields.values["links"]] == [
        ("Official site", "https://example.org/a"),
        ("mailto:press@example.org", "mailto:press@example.org"),
    ]


@pytest.mark.parametrize(
    ("lines", "diagnostic"),
    [
        (("links: https://example.org",), "seeds/talks.txt:2:8: error: field 'links' must be a list of entries with 'title' and 'url'"),
        (("links:", "  - https://example.org"), "seeds/talks.txt:3:5: error: field 'links': each link must have 'title' and 'url' fields"),
        (("links:", "  - title: Site"), "seeds/talks.txt:3:5: error: field 'links': link has no 'url'"),
        (("links:", "  - title: Site", "    url: javascript:alert(1)"), "seeds/talks.txt:4:10: error: field 'links': 'javascript:alert(1)' is not a web address; write a full http:// or https:// URL"),
        (("links:", "  - title: Site", "    url: data:text/html,x"), "seeds/talks.txt:4:10: error: field 'links': 'data:text/html,x' is not a web address; write a full http:// or https:// URL"),
        (("url: vbscript:msgbox(1)",), "seeds/talks.txt:2:6: error: field 'url': 'vbscript:msgbox(1)' is not a web address; write a full http:// or https:// URL"),
        (("url: /etc/passwd",), "seeds/talks.txt:2:6: error: field 'url': '/etc/passwd' is not a web address; write a full http:// or https:// URL"),
    ],
)
def test_bad_links_and_addresses_are_located_errors(lines, diagnostic):
    fields, diagnostics = read(front(*lines))
    assert "links" not in fields.values and "url" not in fields.values
    assert diagnostics == [diagnostic]


@pytest.mark.parametrize(
    ("line", "value", "diagnostic"),
    [
        ("kind: person", "person", None),
        ("kind: persn", None, "seeds/talks.txt:2:7: error: field 'kind': 'persn' is not one of: person, state, organization, media, group, other (did you mean 'person'?)"),
        ("kind: Person", None, "seeds/talks.txt:2:7: error: field 'kind': 'Person' is not one of: person, state, organization, media, group, other (did you mean 'person'?)"),
        ("kind: planet", None, "seeds/talks.txt:2:7: error: field 'kind': 'planet' is not one of: person, state, organization, media, group, other"),
    ],
)
def test_choices(line, value, diagnostic):
    fields, diagnostics = read(front(line))
    assert fields.values.get("kind") == value
    assert diagnostics == ([diagnostic] if diagnostic else [])


def test_one_bad_field_does_not_hide_the_others():
    fields, diagnostics = read(front("title: Talks", "date: 2024-13-01", "draft: maybe", "tags: [a]"))
    assert fields.values == {"title": "Talks", "tags": ("a",)}
    assert diagnostics == [
        "seeds/talks.txt:3:7: error: field 'date': '2024-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11",
        "seeds/talks.txt:4:8: error: field 'draft': 'maybe' is not true or false",
    ]


def test_field_names_must_be_plain_words():
    fields, diagnostics = read(front("? [a, b]", ": value", "title: Hi"))
    assert fields.values == {"title": "Hi"}
    assert diagnostics == ["seeds/talks.txt:2:3: error: field names must be plain words"]


# --- nesting guard --------------------------------------------------------------------------------

DEEP = f"seeds/talks.txt:2:1: error: YAML is nested more than {MAX_NESTING} levels deep; flatten it"


@pytest.mark.parametrize(
    ("line", "too_deep"),
    [
        ("tags: " + "[" * MAX_NESTING + "]" * MAX_NESTING, False),
        ("tags: " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), True),
        ("tags: " + "{a: " * (MAX_NESTING + 1) + "x" + "}" * (MAX_NESTING + 1), True),
        ("tags:\n" + "- " * (MAX_NESTING + 1) + "x", True),  # block nesting counts too
        ("title: '" + "[" * 200 + "'", False),  # brackets inside a quoted text are not nesting
    ],
)
def test_nesting_guard(line, too_deep):
    fields, diagnostics = read(front(*line.split("\n")))
    if too_deep:
        assert (fields, diagnostics) == (None, [DEEP])
    else:
        assert diagnostics != [DEEP] and fields is not None


def test_very_deep_block_nesting_is_reported_not_a_crash():
    # 100,000 nested block sequences overflow libyaml's recursive composer (a segmentation fault) unless the
    # guard stops them first; run it in a child process so a crash fails this test rather than the suite.
    script = textwrap.dedent(
        """
        from briefing.diagnostics import Diagnostics
        from briefing.frontmatter import parse_mapping
        report = Diagnostics()
        print(parse_mapping("tags:\\n" + "- " * 100_000 + "x\\n", "seeds/talks.txt", 2, report))
        print(*report.items, sep="\\n")
        """
    )
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"None\n{DEEP}\n"

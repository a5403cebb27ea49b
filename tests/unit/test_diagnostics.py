"""diagnostics.py: located problems, printed as `path:line:col: level: message`, once each, in file order."""
from __future__ import annotations

import pytest

from briefing.diagnostics import Diagnostic, Diagnostics, Location, did_you_mean


@pytest.mark.parametrize(
    ("location", "printed"),
    [
        (Location("seeds/a.txt", 12, 41), "seeds/a.txt:12:41"),
        (Location("seeds/a.txt", 12), "seeds/a.txt:12"),
        (Location("seeds/a.txt"), "seeds/a.txt"),
        (Location("seeds"), "seeds"),
    ],
)
def test_location_prints_as_far_as_it_is_known(location: Location, printed: str) -> None:
    assert str(location) == printed


@pytest.mark.parametrize(
    ("level", "printed"),
    [
        ("error", "content/actors/antony-blinken.md:4:3: error: unknown field 'aliass' (did you mean 'aliases'?)"),
        ("warning", "content/actors/antony-blinken.md:4:3: warning: unknown field 'aliass' (did you mean 'aliases'?)"),
    ],
)
def test_diagnostic_prints_path_line_column_level_message(level: str, printed: str) -> None:
    diagnostic = Diagnostic(Location("content/actors/antony-blinken.md", 4, 3), level, "unknown field 'aliass' (did you mean 'aliases'?)")

    assert str(diagnostic) == printed


@pytest.mark.parametrize(
    ("data", "offset", "line", "column"),
    [
        (b"\xff", 0, 1, 1),
        (b"abc\xff", 3, 1, 4),
        (b"a\nbc\n\xff", 5, 3, 1),
        (b"one\ntwo \xff three", 8, 2, 5),
        # Columns count characters, not bytes: 'é' and '–' before the bad byte are one column each.
        ("caf\u00e9 \u2013 ".encode() + b"\x96", 10, 1, 8),
        (b"a\r\nb\xff", 4, 2, 2),
    ],
)
def test_location_of_a_byte_counts_lines_and_characters(data: bytes, offset: int, line: int, column: int) -> None:
    assert Location.of_byte("seeds/a.txt", data, offset) == Location("seeds/a.txt", line, column)


def test_sorted_is_in_path_line_column_order() -> None:
    report = Diagnostics()
    report.warning(Location("seeds/b.txt", 1, 1), "no date")
    report.error(Location("seeds/a.txt", 10, 2), "second")
    report.error(Location("seeds/a.txt", 2, 30), "first")
    report.error(Location("briefing.yaml", 3, 1), "config")
    report.warning(Location("seeds/a.txt", 10, 1), "before second")
    report.error(Location("content/actors/x.md", 1, 1), "actor")

    assert [str(d) for d in report.sorted()] == [
        "briefing.yaml:3:1: error: config",
        "content/actors/x.md:1:1: error: actor",
        "seeds/a.txt:2:30: error: first",
        "seeds/a.txt:10:1: warning: before second",
        "seeds/a.txt:10:2: error: second",
        "seeds/b.txt:1:1: warning: no date",
    ]


def test_sorted_compares_line_numbers_as_numbers() -> None:
    report = Diagnostics()
    for line in (10, 9, 100, 1):
        report.error(Location("a.md", line, 1), f"line {line}")

    assert [d.location.line for d in report.sorted()] == [1, 9, 10, 100]


def test_same_place_orders_errors_before_warnings_then_by_message() -> None:
    report = Diagnostics()
    report.warning(Location("a.md", 1, 1), "b")
    report.error(Location("a.md", 1, 1), "z")
    report.warning(Location("a.md", 1, 1), "a")

    assert [str(d) for d in report.sorted()] == ["a.md:1:1: error: z", "a.md:1:1: warning: a", "a.md:1:1: warning: b"]


def test_a_problem_reported_twice_is_printed_once() -> None:
    report = Diagnostics()
    report.error(Location("a.md", 1, 1), "same")
    report.error(Location("a.md", 1, 1), "same")
    report.warning(Location("a.md", 1, 1), "same")

    assert [str(d) for d in report.sorted()] == ["a.md:1:1: error: same", "a.md:1:1: warning: same"]


def test_errors_and_warnings_are_counted_apart() -> None:
    report = Diagnostics()
    report.error(Location("a.md", 1, 1), "e1")
    report.warning(Location("a.md", 2, 1), "w1")
    report.extend([Diagnostic(Location("b.md", 1, 1), "error", "e2"), Diagnostic(Location("b.md", 2, 1), "warning", "w2")])

    assert ([d.message for d in report.errors], [d.message for d in report.warnings]) == (["e1", "e2"], ["w1", "w2"])


def test_empty_report_has_nothing_to_print() -> None:
    report = Diagnostics()

    assert (report.errors, report.warnings, report.sorted()) == ([], [], [])


@pytest.mark.parametrize(
    ("word", "choices", "suggestion"),
    [
        ("aliass", ["name", "kind", "aliases"], " (did you mean 'aliases'?)"),
        ("affiliaton", ["affiliation", "country"], " (did you mean 'affiliation'?)"),
        ("descripton", ["title", "description"], " (did you mean 'description'?)"),
        ("persn", ["person", "state", "organization"], " (did you mean 'person'?)"),
        ("colour", ["title", "description", "language"], ""),
        ("x", ["title"], ""),
        ("title", [], ""),
    ],
)
def test_did_you_mean_suggests_only_a_close_choice(word: str, choices: list[str], suggestion: str) -> None:
    assert did_you_mean(word, choices) == suggestion


def test_did_you_mean_is_the_same_whatever_the_order_of_choices() -> None:
    # Two equally close choices: the answer must not depend on dict or set order.
    forward, backward = did_you_mean("kinds", ["kindx", "kindy"]), did_you_mean("kinds", ["kindy", "kindx"])

    assert forward == backward
    assert forward in (" (did you mean 'kindx'?)", " (did you mean 'kindy'?)")

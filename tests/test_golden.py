"""Golden trees: each example project under tests/sites/ builds to exactly its expected/ folder, and prints
exactly its expected-diagnostics.txt.

After an intended change to the output, regenerate with `python -m pytest --update-golden tests/test_golden.py`
and review the result in `git diff`.
"""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

EXPECTED = "expected"
EXPECTED_DIAGNOSTICS = "expected-diagnostics.txt"
DIFF_LINES = 120


def write_tree(tree: dict[str, bytes], root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    for relative, content in tree.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def describe_difference(relative: str, expected: bytes, actual: bytes) -> str:
    try:
        expected_lines = expected.decode("utf-8").splitlines(keepends=True)
        actual_lines = actual.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return f"{relative}: binary content differs ({len(expected)} bytes expected, {len(actual)} built)"
    diff = list(difflib.unified_diff(expected_lines, actual_lines, f"expected/{relative}", f"built/{relative}"))
    if len(diff) > DIFF_LINES:
        diff = diff[:DIFF_LINES] + [f"... {len(diff) - DIFF_LINES} more diff lines\n"]
    return "".join(diff)


def compare_trees(expected: dict[str, bytes], actual: dict[str, bytes]) -> str | None:
    """None when the trees are identical, else what a person needs to see first."""
    missing, extra = sorted(expected.keys() - actual.keys()), sorted(actual.keys() - expected.keys())
    if missing or extra:
        lines = [f"missing from the build: {path}" for path in missing] + [f"not expected: {path}" for path in extra]
        return "the built tree has a different set of files:\n" + "\n".join(lines)
    changed = [path for path in expected if expected[path] != actual[path]]
    if changed:
        others = f"\n({len(changed) - 1} more files differ: {', '.join(changed[1:6])}{' ...' if len(changed) > 6 else ''})" if len(changed) > 1 else ""
        return f"{changed[0]} differs from the golden copy:\n{describe_difference(changed[0], expected[changed[0]], actual[changed[0]])}{others}"
    return None


FIX = "If the change is intended, run `python -m pytest --update-golden tests/test_golden.py` and review `git diff`."


def test_built_site_matches_expected_tree(case_folder, site_project, tmp_path, build, tree, update_golden):
    result = build(site_project, tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    built = tree(tmp_path / "site")
    expected_root = case_folder / EXPECTED
    if update_golden:
        write_tree(built, expected_root)
    if not expected_root.is_dir():
        pytest.fail(f"{expected_root} does not exist. {FIX}")
    problem = compare_trees(tree(expected_root), built)
    if problem:
        pytest.fail(f"{problem}\n{FIX}", pytrace=False)


def test_build_prints_expected_diagnostics(case_folder, site_project, tmp_path, build, update_golden):
    result = build(site_project, tmp_path / "site")
    expected_path = case_folder / EXPECTED_DIAGNOSTICS
    if update_golden:
        expected_path.write_text(result.stderr, encoding="utf-8")
    assert result.exit_code == 0
    assert result.stdout == ""
    if not expected_path.is_file():
        pytest.fail(f"{expected_path} does not exist. {FIX}")
    assert result.stderr == expected_path.read_text(encoding="utf-8"), FIX


@pytest.mark.parametrize(
    "expected, actual, message",
    [
        ({"a.html": b"x"}, {"a.html": b"x"}, None),
        ({"a.html": b"x"}, {"a.html": b"x", "b.html": b""}, "the built tree has a different set of files:\nnot expected: b.html"),
        ({"a.html": b"x", "b.html": b""}, {"a.html": b"x"}, "the built tree has a different set of files:\nmissing from the build: b.html"),
        (
            {"a.html": b"one\ntwo\n", "b.html": b"1\n"},
            {"a.html": b"one\nthree\n", "b.html": b"2\n"},
            "a.html differs from the golden copy:\n--- expected/a.html\n+++ built/a.html\n@@ -1,2 +1,2 @@\n one\n-two\n+three\n"
            "\n(1 more files differ: b.html)",
        ),
        ({"logo.png": b"\x89PNG\xff"}, {"logo.png": b"\x89PNG\xfe\xfe"}, "logo.png differs from the golden copy:\nlogo.png: binary content differs (5 bytes expected, 6 built)"),
    ],
)
def test_compare_trees_names_the_first_difference(expected, actual, message):
    assert compare_trees(expected, actual) == message

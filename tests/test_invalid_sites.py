"""Bad projects under tests/sites/invalid/<case>/: the exact text a user sees, the exit code, and the
promise that a failing build leaves the previous site/ and the seeds/ exactly as they were.

Each case folder is a small project plus `expected.txt`, the whole stderr of `briefing build` run in
that project (`expected-strict.txt` for the --strict run). `pytest --update-golden` rewrites them.
Every case starts from a project that has already been built once, so there is a site/ to protect.
"""
from __future__ import annotations

import io
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing.cli import main as briefing_main

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
INVALID = TESTS / "sites" / "invalid"
EXAMPLE_INPUTS = ("seeds", "content", "templates", "briefing.yaml")
SUMMARY = re.compile(r"Built \d+ documents?, \d+ actors?, \d+ pages? in \d+\.\d\d s -> site/\n")

# case folder, extra command-line arguments, file holding the expected stderr, exit code
CASES = [
    ("unknown-document-field", [], "expected.txt", 0),
    ("unknown-document-field", ["--strict"], "expected-strict.txt", 1),
    ("unknown-actor-field", [], "expected.txt", 1),
    ("missing-actor-name", [], "expected.txt", 1),
    ("missing-actor-kind", [], "expected.txt", 1),
    ("bad-actor-kind", [], "expected.txt", 1),
    ("bad-date", [], "expected.txt", 1),
    ("unclosed-front-matter", [], "expected.txt", 1),
    ("yaml-syntax-error", [], "expected.txt", 1),
    ("unknown-actor-reference", [], "expected.txt", 1),
    ("alias-claimed-by-two-actors", [], "expected.txt", 0),
    ("overlay-without-seed", [], "expected.txt", 1),
    ("duplicate-document-slugs", [], "expected.txt", 1),
    ("invalid-actor-file-name", [], "expected.txt", 1),
    ("unknown-config-key", [], "expected.txt", 1),
    ("seed-invalid-utf8", [], "expected.txt", 0),
    ("seed-invalid-utf8", ["--strict"], "expected-strict.txt", 1),
    ("no-seeds-folder", [], "expected.txt", 1),
    ("undated-document", [], "expected.txt", 0),
    ("several-problems", [], "expected.txt", 1),
]


def _case_id(case: tuple) -> str:
    name, args, _, _ = case
    return "-".join([name, *(arg.lstrip("-") for arg in args)])


# --- helpers ---------------------------------------------------------------------------------------

def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Relative path -> (bytes, mtime in ns) for every file under `root`; {} when it does not exist."""
    files = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            files[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return files


def copy_case(case: str, project: Path) -> None:
    """Replace the project's inputs with the case's files (everything but expected*.txt)."""
    for name in EXAMPLE_INPUTS:
        target = project / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    shutil.copytree(INVALID / case, project, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected*.txt"))


def run_build(project: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """`briefing build ARGS` run inside `project`, as a user would type it there."""
    monkeypatch.chdir(project)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["build", *args], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


class MentionCollector(HTMLParser):
    """(data-actor, text) for every element with class 'mention'."""

    def __init__(self) -> None:
        super().__init__()
        self.mentions: list[tuple[str, str]] = []
        # open elements: (tag, whether it is a mention, its data-actor, its text so far)
        self._open: list[tuple[str, bool, str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        is_mention = "mention" in (attributes.get("class") or "").split()
        self._open.append((tag, is_mention, attributes.get("data-actor") or "", []))

    def handle_endtag(self, tag: str) -> None:
        while self._open:  # void elements such as <br> never get an end tag of their own
            open_tag, is_mention, actor, text = self._open.pop()
            if is_mention:
                self.mentions.append((actor, "".join(text)))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for *_, text in self._open:
            text.append(data)


def mentions_in(html_file: Path) -> list[tuple[str, str]]:
    collector = MentionCollector()
    collector.feed(html_file.read_text(encoding="utf-8"))
    return collector.mentions


# --- fixtures --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example project, built once: a good project with a site/ to protect."""
    project = tmp_path_factory.mktemp("example") / "project"
    project.mkdir()
    for name in EXAMPLE_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.is_file():
            shutil.copy2(source, project / name)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["build", "--project", str(project), "--quiet"], stdout, stderr)
    assert (code, stderr.getvalue()) == (0, "")
    return project


@pytest.fixture
def built_project(example_build: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built example project (copy2 keeps every file's mtime)."""
    project = tmp_path / "project"
    shutil.copytree(example_build, project, symlinks=True)
    return project


# --- the cases -------------------------------------------------------------------------------------

def test_every_case_folder_is_in_the_table() -> None:
    folders = sorted(path.name for path in INVALID.iterdir() if path.is_dir())
    assert folders == sorted({case for case, _, _, _ in CASES})


@pytest.mark.parametrize(("case", "args", "expected_file", "exit_code"), CASES, ids=[_case_id(c) for c in CASES])
def test_invalid_project_prints_exact_diagnostics(
    case: str,
    args: list[str],
    expected_file: str,
    exit_code: int,
    built_project: Path,
    monkeypatch: pytest.MonkeyPatch,
    update_golden: bool,
) -> None:
    site_before = snapshot(built_project / "site")
    copy_case(case, built_project)
    seeds_before = snapshot(built_project / "seeds")
    entries_before = sorted(path.name for path in built_project.iterdir())

    code, stdout, stderr = run_build(built_project, args, monkeypatch)

    expected_path = INVALID / case / expected_file
    if update_golden:
        expected_path.write_text(stderr, encoding="utf-8")
    assert stderr == expected_path.read_text(encoding="utf-8")
    assert code == exit_code
    assert snapshot(built_project / "seeds") == seeds_before
    # No staging or backup folder is left beside the output, whatever the outcome; a build that swapped in
    # a new site keeps the one before as its spare (the next build's staging folder).
    entries_after = sorted(path.name for path in built_project.iterdir())
    spare = [".site.spare"] if exit_code == 0 else []
    assert entries_after == sorted({*entries_before, *spare})
    if exit_code == 0:
        assert SUMMARY.fullmatch(stdout)
        assert snapshot(built_project / "site") != site_before
    else:
        assert stdout == ""
        assert snapshot(built_project / "site") == site_before


def test_failing_build_without_previous_site_creates_no_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    copy_case("several-problems", project)

    code, _, stderr = run_build(project, [], monkeypatch)

    assert code == 1
    assert stderr.endswith("Build failed (4 errors, 3 warnings); nothing written.\n")
    assert sorted(path.name for path in project.iterdir()) == ["briefing.yaml", "content", "seeds"]


# --- what the output holds when the build goes on despite a warning --------------------------------

def test_alias_claimed_by_two_actors_is_linked_to_neither(built_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_case("alias-claimed-by-two-actors", built_project)

    code, _, _ = run_build(built_project, ["--quiet"], monkeypatch)

    assert code == 0
    page = built_project / "site" / "documents" / "2024-09-11-talks" / "index.html"
    assert mentions_in(page) == [("united-states", "United States")]
    assert "Officials in Washington said" in page.read_text(encoding="utf-8")
    # Both claimants still get their dossier.
    assert (built_project / "site" / "actors" / "washington-state" / "index.html").is_file()
    assert (built_project / "site" / "actors" / "united-states" / "index.html").is_file()


def test_seed_that_is_not_utf8_is_read_as_windows_1252(built_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_case("seed-invalid-utf8", built_project)

    code, _, _ = run_build(built_project, ["--quiet"], monkeypatch)

    assert code == 0
    page = (built_project / "site" / "documents" / "2024-09-11-talks" / "index.html").read_text(encoding="utf-8")
    assert "in Kyiv \u2013 on Wednesday" in page  # byte 0x96 is an en dash in Windows-1252


@pytest.mark.parametrize("case", ["unknown-document-field", "undated-document"])
def test_document_with_a_warning_is_still_published(case: str, built_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_case(case, built_project)

    code, _, _ = run_build(built_project, ["--quiet"], monkeypatch)

    assert code == 0
    page = built_project / "site" / "documents" / "2024-09-11-talks" / "index.html"
    assert mentions_in(page) == [("antony-blinken", "Antony Blinken")]

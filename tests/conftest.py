"""Shared by the whole suite: the example projects under tests/sites/, building them, reading output trees,
and `pytest --update-golden`, which rewrites each project's expected/ tree from a fresh build.

A case is a folder under tests/sites/ (except invalid/) holding a project, or a `PROJECT` file whose one
line is the project's path relative to the case folder (the shipped example points at the repo root).
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing import urls
from briefing.cli import main as briefing_main
from briefing.stages.write import MARKER

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SITES = TESTS / "sites"
POINTER = "PROJECT"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/sites/<case>/expected/ (and expected-diagnostics.txt) from a fresh build",
    )


def site_cases() -> list[str]:
    """Every example project under tests/sites/, by folder name."""
    return sorted(
        case.name
        for case in SITES.iterdir()
        if case.is_dir() and case.name != "invalid" and ((case / POINTER).is_file() or (case / "seeds").is_dir())
    )


def case_project(case: str) -> Path:
    folder = SITES / case
    pointer = folder / POINTER
    if pointer.is_file():
        return (folder / pointer.read_text(encoding="utf-8").strip()).resolve()
    return folder


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Any test asking for `site_case` runs once per example project."""
    if "site_case" in metafunc.fixturenames:
        metafunc.parametrize("site_case", site_cases())


@pytest.fixture
def site_project(site_case: str) -> Path:
    return case_project(site_case)


@pytest.fixture
def case_folder(site_case: str) -> Path:
    """tests/sites/<case>/, where expected/ and expected-diagnostics.txt live."""
    return SITES / site_case


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@dataclass(frozen=True)
class BuildResult:
    exit_code: int
    stdout: str
    stderr: str


def build_project(project: Path, output: Path) -> BuildResult:
    """A quiet build through the real command line, in this process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["build", "--project", str(project), "--output", str(output), "--quiet"], stdout, stderr)
    return BuildResult(code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="session")
def build():
    return build_project


# Pagefind's search index is not byte-identical from one run to the next (1.5 writes its filter indexes in
# hash-map order, and the file names are hashes of the bytes: Pagefind issue #638), so golden and determinism
# comparisons leave it out; tests/test_search_index.py checks what of it is stable.
SEARCH_INDEX = urls.search_bundle_path("")


def read_tree(root: Path) -> dict[str, bytes]:
    """Relative POSIX path -> bytes for every file under `root`, leaving out the tool's ownership marker and
    the search index (SEARCH_INDEX)."""
    tree = {}
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            relative = path.relative_to(root).as_posix()
            if relative != MARKER and not relative.startswith(SEARCH_INDEX):
                tree[relative] = path.read_bytes()
    return dict(sorted(tree.items()))


@pytest.fixture(scope="session")
def tree():
    return read_tree


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example project built once per session: case -> its output folder. Read-only for tests."""
    sites = {}
    for case in site_cases():
        output = tmp_path_factory.mktemp(f"built-{case}") / "site"
        result = build_project(case_project(case), output)
        assert result.exit_code == 0, result.stderr
        sites[case] = output
    return sites

"""outputs/search: the search index Pagefind writes into the site before it is swapped in: what it indexes,
what of it is byte-identical from build to build (all but the filter and meta indexes: Pagefind issue
#638), and a failing Pagefind failing the build without touching the previous site. The search itself
runs in chromium: tests/browser/test_search.py."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from briefing import urls
from briefing.outputs import search
from briefing.outputs.search import index_search, without_ignored_elements
from briefing.stages.write import MARKER

INDEX = urls.search_bundle_path("")
EXAMPLE = Path(__file__).resolve().parent.parent  # the repository is the shipped example project
# Pagefind 1.5 writes filter values in hash-map order; the meta index names the filter files by hash, and
# the entry file names the meta index by hash.
UNSTABLE = ("filter/", "pagefind.en_", "pagefind-entry.json")


def bundle(site: Path) -> dict[str, bytes]:
    root = site / INDEX
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_index_holds_every_briefing_and_actor_page_and_nothing_else(built_sites):
    for case, expected_pages in (("example", 1 + 13), ("newsroom", 5 + 10)):
        entry = json.loads((built_sites[case] / INDEX / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["en"]["page_count"] == expected_pages, case
        assert sorted(entry["languages"]) == ["en"]


def test_the_filters_are_type_actor_kind_and_year(built_sites):
    names = set()
    for path in (built_sites["newsroom"] / INDEX / "filter").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        # After the signature comes the filter's name as a CBOR text string (0x60 + length for short ones).
        length = data[len(b"pagefind_dcd") + 1] - 0x60
        names.add(data[len(b"pagefind_dcd") + 2 : len(b"pagefind_dcd") + 2 + length].decode())
    assert names == {"type", "actor", "kind", "year"}


def test_all_of_the_index_but_its_filter_and_meta_indexes_is_byte_identical_across_builds(site_project, tmp_path, build):
    first, second = tmp_path / "one" / "site", tmp_path / "two" / "elsewhere"
    assert build(site_project, first).exit_code == 0
    assert build(site_project, second).exit_code == 0
    one, two = bundle(first), bundle(second)

    stable = {path for path in one if not path.startswith(UNSTABLE)}
    assert stable == {path for path in two if not path.startswith(UNSTABLE)}
    assert [path for path in sorted(stable) if one[path] != two[path]] == []
    assert any(path.startswith("fragment/") for path in stable) and any(path.startswith("index/") for path in stable)
    count = lambda files, prefix: sum(path.startswith(prefix) for path in files)  # noqa: E731
    assert (count(one, "filter/"), count(one, "pagefind.en_")) == (count(two, "filter/"), count(two, "pagefind.en_"))
    entries = [json.loads(files["pagefind-entry.json"]) for files in (one, two)]
    for entry in entries:
        del entry["languages"]["en"]["hash"]
    assert entries[0] == entries[1]


def fake_pagefind(folder: Path, script: str) -> Path:
    path = folder / "pagefind"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_a_failing_pagefind_fails_the_build_and_leaves_the_previous_site(tmp_path, build, tree, monkeypatch):
    project, output = tmp_path / "project", tmp_path / "site"
    for name in ("seeds", "content", "templates"):
        shutil.copytree(EXAMPLE / name, project / name)
    assert build(project, output).exit_code == 0
    before = tree(output)
    (project / "briefing.yaml").write_text("title: Changed, so that the build runs again\n", encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, "echo 'Error: no disk' >&2\nexit 3\n")))

    result = build(project, output)

    assert result.exit_code == 1
    assert result.stderr == (
        "briefing: error: cannot write the site: the search index could not be built: Pagefind exited with status 3: "
        f"Error: no disk ({output}); {os.path.relpath(output)}{os.sep} left unchanged.\n"
    )
    assert tree(output) == before
    assert (output / INDEX / "pagefind-entry.json").is_file()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pagefind", "project", "site"]  # no staging folder left


def test_a_missing_pagefind_binary_fails_the_build_with_the_reason(tmp_path, build, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))

    result = build(EXAMPLE, tmp_path / "site")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "briefing: error: cannot write the site: the search index could not be built: cannot run Pagefind: No such file or directory ("
    )
    assert result.stderr.endswith("nothing written.\n")
    assert not (tmp_path / "site").exists()


def test_pagefind_settings_in_the_environment_do_not_change_the_index(site_project, tmp_path, build, monkeypatch):
    assert build(site_project, tmp_path / "plain").exit_code == 0
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "main")
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")

    assert build(site_project, tmp_path / "configured").exit_code == 0

    plain, configured = bundle(tmp_path / "plain"), bundle(tmp_path / "configured")
    assert {path: content for path, content in configured.items() if not path.startswith(UNSTABLE)} == {
        path: content for path, content in plain.items() if not path.startswith(UNSTABLE)
    }


# --- what Pagefind is given to read -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page, given",
    [
        ('<div><section id="a" data-pagefind-ignore><section>x</section><p>y</p></section><p>kept</p></div>', "<div><p>kept</p></div>"),
        ('<ul data-pagefind-ignore="all"><li>a</li></ul><ul class="x" data-pagefind-ignore><li>b</li></ul>tail', "tail"),
        # a filter, meta or sort inside an ignored element still counts, so the element stays
        ('<section data-pagefind-ignore><span data-pagefind-filter="actor">A</span></section>',
         '<section data-pagefind-ignore><span data-pagefind-filter="actor">A</span></section>'),
        ("<p>The words data-pagefind-ignore in text.</p>", "<p>The words data-pagefind-ignore in text.</p>"),
        ("<section data-pagefind-ignore>never closed", "<section data-pagefind-ignore>never closed"),
    ],
)
def test_pagefind_reads_pages_without_the_elements_it_would_skip(page, given):
    assert without_ignored_elements(page.encode()) == given.encode()


def test_the_index_of_the_shortened_pages_is_the_index_of_the_pages(built_sites, monkeypatch):
    site = built_sites["newsroom"]
    shortened = {page.path: page.content for page in index_search(site)}
    monkeypatch.setattr(search, "without_ignored_elements", lambda content: content)
    whole = {page.path: page.content for page in index_search(site)}
    assert len(shortened) == len(whole)  # the unstable files are named by their hash
    stable = lambda index: {path: content for path, content in index.items() if not path[len(INDEX):].startswith(UNSTABLE)}  # noqa: E731
    assert stable(shortened) == stable(whole)
    filters = lambda index: sorted(len(gzip.decompress(content)) for path, content in index.items() if "/filter/" in path)  # noqa: E731
    assert filters(shortened) == filters(whole)
    assert any(b"data-pagefind-ignore" in path.read_bytes() for path in site.glob("actors/*/index.html"))  # there was something to leave out

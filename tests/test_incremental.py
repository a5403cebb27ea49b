"""Incremental builds equal clean ones, byte for byte: after edits, alias changes, deletions and renames,
the preview server's rebuild (analysis cache + page renderer) and a `build` reading the analysis cache
from disk produce exactly the pages and diagnostics of a build that starts from nothing. Damaged cache
files cost a re-analysis, never a failed build.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Callable

import pytest

from briefing.cache import FOLDER, AnalysisCache
from briefing.cli import main as briefing_main
from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.outputs.links import IncrementalLinkCheck
from briefing.pipeline import Memory, build_site
from briefing.serve.rerender import PageRenderer
from briefing.stages import render

SITES = Path(__file__).resolve().parent / "sites"
STORM = "seeds/2024-03-15-storm-ilka.txt"
KESTREL = "content/actors/kestrel-republic.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the newsroom example: Markdown and text seeds, an overlay, a draft, a free page, a template."""
    copy = tmp_path / "newsroom"
    shutil.copytree(SITES / "newsroom", copy, ignore=shutil.ignore_patterns("expected", "expected-diagnostics.txt", FOLDER))
    return copy


def clean_build(project: Path) -> tuple[dict[str, bytes], list[str]]:
    report = Diagnostics()
    site = build_site(load_config(project, None, report), report)
    return {page.path: page.content for page in site.pages}, [str(item) for item in report.sorted()]


class Incremental:
    """The preview server's way of building: one cache and one renderer kept across rebuilds."""

    def __init__(self, project: Path, cache: AnalysisCache):
        self.project, self.cache, self.renderer = project, cache, PageRenderer()
        self.links = IncrementalLinkCheck()
        self.memory = Memory(cache, render_html=self.renderer.render_pages, check_links=self.links.check)

    def build(self) -> tuple[dict[str, bytes], list[str]]:
        report = Diagnostics()
        site = build_site(load_config(self.project, None, report), report, memory=self.memory)
        self.cache.save()
        return site.files(), [str(item) for item in report.sorted()]


def edit(project: Path, relative: str, change: Callable[[str], str]) -> None:
    path = project / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def differences(got: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    return sorted(path for path in got.keys() | expected.keys() if got.get(path) != expected.get(path))


# Each step changes the project as an editor would; after each, the incremental build must equal a clean one.
STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("edit a seed's text", lambda p: edit(p, STORM, lambda t: t + "Mara Okonjo said on Monday the corridor would reopen.\n")),
    ("add an alias found in one document", lambda p: edit(p, KESTREL, lambda t: t.replace("aliases: [Kestrel]", "aliases: [Kestrel, weather office]"))),
    ("give a form to two actors", lambda p: edit(p, "content/actors/vesnia.md", lambda t: t.replace("aliases: [Republic of Vesnia]", "aliases: [Republic of Vesnia, Kestrel]"))),
    ("remove the aliases again", lambda p: (
        edit(p, KESTREL, lambda t: t.replace("aliases: [Kestrel, weather office]", "aliases: [Kestrel]")),
        edit(p, "content/actors/vesnia.md", lambda t: t.replace("aliases: [Republic of Vesnia, Kestrel]", "aliases: [Republic of Vesnia]")),
    )),
    ("rename a seed", lambda p: (p / STORM).rename(p / "seeds/2024-03-16-storm-ilka-aftermath.txt")),
    ("delete a seed", lambda p: (p / "seeds/2024-03-21-reyl-interview.md").unlink()),
    ("add a seed", lambda p: (p / "seeds/2024-03-30-reopening.md").write_text(
        "---\ndate: 2024-03-30\nsource: The Harbour Ledger\n---\nTomas Reyl told the *Ledger* that Port Arlen reopens on Monday.\n", encoding="utf-8")),
    ("edit an overlay's title", lambda p: edit(p, "content/documents/2024-03-09-port-arlen-strike.md", lambda t: t.replace("River pilots strike", "Pilots strike"))),
    ("add an actor", lambda p: (p / "content/actors/port-arlen.md").write_text(
        "---\nname: Port Arlen\nkind: other\n---\nThe corridor's sea port.\n", encoding="utf-8")),
    ("delete an actor", lambda p: (p / "content/actors/storm-ilka.md").unlink()),
    ("delete an actor others point to (an error)", lambda p: (p / "content/actors/vesnia.md").rename(p / "vesnia.md.bak")),
    ("restore it", lambda p: (p / "vesnia.md.bak").rename(p / "content/actors/vesnia.md")),
    ("change a setting", lambda p: edit(p, "briefing.yaml", lambda t: t.replace("mention_links: first", "mention_links: all"))),
    ("edit a template", lambda p: edit(p, "templates/footer.html", lambda t: t.replace("a custom footer", "a custom footer, edited"))),
    ("edit the free page", lambda p: edit(p, "content/pages/about.md", lambda t: t + "\nOne more line.\n")),
    ("empty a seed", lambda p: (p / "seeds/field-notes.md").write_text("", encoding="utf-8")),
    ("break a seed's front matter (an error)", lambda p: (p / "seeds/2024-03-02-grain-corridor.md").write_text("---\ndate: [\n---\nText.\n", encoding="utf-8")),
]


# The steps that change what documents say or how they are analysed, for the cache read from disk.
ANALYSIS_STEPS = [
    (name, step) for name, step in STEPS
    if name.startswith(("edit a seed", "add an alias", "give a form", "remove the", "rename", "delete a seed", "add a seed", "change", "empty"))
]


@pytest.mark.parametrize("on_disk", [False, True], ids=["in-memory", "on-disk"])
def test_incremental_builds_equal_clean_builds_after_every_step(project: Path, on_disk: bool) -> None:
    cache = AnalysisCache.for_project(project) if on_disk else AnalysisCache(None)
    incremental = Incremental(project, cache)
    assert incremental.build() == clean_build(project)
    for name, step in ANALYSIS_STEPS if on_disk else STEPS:
        step(project)
        if on_disk:  # a new process each time: only what the cache folder holds carries over
            incremental = Incremental(project, AnalysisCache.for_project(project))
        got_pages, got_diagnostics = incremental.build()
        expected_pages, expected_diagnostics = clean_build(project)
        assert got_diagnostics == expected_diagnostics, name
        assert differences(got_pages, expected_pages) == [], name


def test_one_edited_seed_is_the_only_document_analysed_again(project: Path) -> None:
    incremental = Incremental(project, AnalysisCache(None))
    incremental.build()
    assert (incremental.cache.analysed, incremental.cache.reused) == (5, 0)

    edit(project, STORM, lambda t: t + "Mara Okonjo said on Monday the corridor would reopen.\n")
    incremental.build()

    assert (incremental.cache.analysed, incremental.cache.reused) == (1, 4)
    assert incremental.memory.files.parsed == 1  # the other seeds, the overlay, actors and pages: from memory
    assert incremental.memory.crosslinks.shared == 1


def test_nothing_changed_reads_no_file_and_makes_no_document_share_again(project: Path) -> None:
    incremental = Incremental(project, AnalysisCache(None))
    first = incremental.build()
    files = incremental.memory.files.parsed
    assert files == len([path for path in project.rglob("*") if path.is_file() and path.parts[-2] in ("seeds", "actors", "documents", "pages")])

    assert incremental.build() == first
    assert (incremental.memory.files.parsed, incremental.memory.crosslinks.shared) == (0, 0)


def test_an_alias_change_analyses_again_only_the_documents_where_the_form_appears(project: Path) -> None:
    incremental = Incremental(project, AnalysisCache(None))
    incremental.build()

    # 'weather office' is written in one seed only; 'Okonjo' (now also an alias of Vesnia) in three.
    edit(project, KESTREL, lambda t: t.replace("aliases: [Kestrel]", "aliases: [Kestrel, weather office]"))
    incremental.build()
    first = (incremental.cache.analysed, incremental.cache.reused)
    edit(project, "content/actors/vesnia.md", lambda t: t.replace("aliases: [Republic of Vesnia]", "aliases: [Republic of Vesnia, Okonjo]"))
    incremental.build()

    assert first == (1, 4)
    assert (incremental.cache.analysed, incremental.cache.reused) == (3, 2)


def test_a_seed_edit_renders_again_the_pages_showing_it_and_reuses_the_rest(project: Path) -> None:
    incremental = Incremental(project, AnalysisCache(None))
    before, _ = incremental.build()
    assert incremental.renderer.reused == 0

    edit(project, STORM, lambda t: t.replace("for three days", "for four days"))
    after, _ = incremental.build()
    rendered = set(incremental.renderer.rendered_paths)

    changed = {path for path in after if path.endswith(".html") and after[path] != before[path]}
    assert "documents/2024-03-15-storm-ilka/index.html" in changed
    assert changed <= rendered
    assert {"about/index.html", "404.html", "actors/tomas-reyl/index.html"}.isdisjoint(rendered)
    assert incremental.renderer.reused > 0


def test_a_template_edit_renders_every_page_again(project: Path) -> None:
    incremental = Incremental(project, AnalysisCache(None))
    incremental.build()
    pages = incremental.renderer.rendered

    edit(project, "templates/footer.html", lambda t: t.replace("a custom footer", "an edited footer"))
    after, _ = incremental.build()

    assert (incremental.renderer.rendered, incremental.renderer.reused) == (pages, 0)
    assert b"an edited footer" in after["about/index.html"]


# --- the cache folder -------------------------------------------------------------------------------------

def entry_files(project: Path) -> list[Path]:
    return sorted((project / FOLDER / "analysis-v1").rglob("*.json"))


def cli_build(project: Path, output: Path) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["build", "--project", str(project), "--output", str(output), "--quiet"], stdout, stderr)
    return code, stderr.getvalue()


def test_build_writes_one_entry_per_document_and_a_rebuild_from_them_is_identical(project: Path, tmp_path: Path, tree) -> None:
    assert cli_build(project, tmp_path / "first")[0] == 0
    assert len(entry_files(project)) == 5
    assert (project / FOLDER / ".gitignore").read_text(encoding="utf-8") == "# written by briefing\n*\n"
    assert (project / FOLDER / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55\n")

    assert cli_build(project, tmp_path / "second")[0] == 0

    clean_pages, _ = clean_build(project)
    assert tree(tmp_path / "second") == dict(sorted(clean_pages.items()))
    assert tree(tmp_path / "first") == tree(tmp_path / "second")


def test_entries_of_deleted_documents_are_removed_by_the_next_build(project: Path, tmp_path: Path) -> None:
    cli_build(project, tmp_path / "site")
    (project / "seeds/2024-03-21-reyl-interview.md").unlink()

    cli_build(project, tmp_path / "site")

    assert len(entry_files(project)) == 4


def test_a_failed_build_writes_no_cache(project: Path, tmp_path: Path) -> None:
    (project / KESTREL).write_text("---\nkind: nonsense\n---\n", encoding="utf-8")

    code, _ = cli_build(project, tmp_path / "site")

    assert code == 1
    assert not (project / FOLDER).exists()


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "garbage": lambda data: b"\x00\xff" * 40,
    "checksum-mismatch": lambda data: data.replace(b"Storm", b"Sturm", 1),
    "other-format": lambda data: data.replace(b'"format": 1', b'"format": 99', 1),
    "wrong-shape": lambda data: _rewritten(data, lambda record: {**record, "document": [1, 2, 3]}),
    "wrong-hits": lambda data: _rewritten(data, lambda record: {**record, "hits": 7}),
    "not-an-object": lambda data: _rewritten(data, lambda record: [record]),
}


def _rewritten(data: bytes, change: Callable[[dict], object]) -> bytes:
    """An entry with a valid checksum over a payload of the wrong shape."""
    header, _, payload = data.partition(b"\n")
    new_payload = json.dumps(change(json.loads(payload))).encode()
    fields = json.loads(header)
    fields["sha256"] = hashlib.sha256(new_payload).hexdigest()
    return json.dumps(fields).encode() + b"\n" + new_payload


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_entry_is_analysed_again_and_replaced(project: Path, tmp_path: Path, damage: str) -> None:
    cli_build(project, tmp_path / "first")
    storm = next(path for path in entry_files(project) if b"Storm Ilka closed Port Arlen" in path.read_bytes())
    storm.write_bytes(DAMAGE[damage](storm.read_bytes()))

    cache = AnalysisCache.for_project(project)
    pages, diagnostics = Incremental(project, cache).build()

    assert (cache.analysed, cache.reused) == (1, 4)
    assert (pages, diagnostics) == clean_build(project)
    assert b"Storm Ilka closed Port Arlen" in storm.read_bytes()  # written again whole


def test_an_unusable_cache_folder_is_built_without(project: Path, tmp_path: Path, tree) -> None:
    (project / FOLDER).write_text("not a folder", encoding="utf-8")

    code, stderr = cli_build(project, tmp_path / "site")

    pages, diagnostics = clean_build(project)
    assert (code, stderr) == (0, "".join(f"{line}\n" for line in diagnostics))
    assert tree(tmp_path / "site") == dict(sorted(pages.items()))


# --- a build with nothing to do ---------------------------------------------------------------------------

def verbose_build(project: Path, output: Path, *options: str) -> tuple[int, list[str], str, str]:
    """(exit code, stage names, summary line, stderr) of `build --verbose`."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["build", "--project", str(project), "--output", str(output), "--verbose", *options], stdout, stderr)
    *stages, summary = stdout.getvalue().splitlines() or [""]
    return code, [line.split()[0] for line in stages if line.endswith(" s")], summary, stderr.getvalue()


def stamps(root: Path) -> dict[str, int]:
    return {path.relative_to(root).as_posix(): path.stat().st_mtime_ns for path in sorted(root.rglob("*")) if path.is_file()}


def test_a_build_with_nothing_changed_reports_the_last_result_and_leaves_the_output_alone(project: Path, tmp_path: Path) -> None:
    output = tmp_path / "site"
    code, stages, summary, stderr = verbose_build(project, output)
    before = stamps(output)

    again = verbose_build(project, output)

    assert (code, stages[0], stages[-1]) == (0, "load", "write")
    assert again[0] == 0 and again[1] == ["unchanged"]
    assert (again[2].split(" in ")[0], again[3]) == (summary.split(" in ")[0], stderr)  # same counts, same warnings
    assert stderr.count("warning:") == 2
    assert stamps(output) == before


def test_recorded_warnings_still_fail_a_strict_build(project: Path, tmp_path: Path) -> None:
    verbose_build(project, tmp_path / "site")

    code, stages, summary, stderr = verbose_build(project, tmp_path / "site", "--strict")

    assert (code, stages, summary) == (1, [], "")
    assert re.fullmatch(r"Build failed \(0 errors, 2 warnings, warnings are errors with --strict\); .*site/ left unchanged\.", stderr.splitlines()[-1])


def _edit_keeping_stamp(path: Path) -> None:
    """Change the bytes but not the size, and set the modification time back, as some tools do: only the
    change time (ctime) tells."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("three days", "three dayz"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.read_text(encoding="utf-8") != text


CHANGES: dict[str, Callable[[Path, Path], None]] = {
    "seed edited": lambda project, output: edit(project, STORM, lambda t: t.replace("three days", "four days")),
    "seed touched, same bytes": lambda project, output: None,
    "seed edited, size and times kept": lambda project, output: _edit_keeping_stamp(project / STORM),
    "template added": lambda project, output: (project / "templates" / "static" / "extra.css").parent.mkdir() or (project / "templates" / "static" / "extra.css").write_text("p{}", encoding="utf-8"),
    "setting changed": lambda project, output: edit(project, "briefing.yaml", lambda t: t.replace("Newsroom Desk", "Newsroom")),
    "seed deleted": lambda project, output: (project / "seeds/field-notes.md").unlink(),
    "output file edited": lambda project, output: (output / "index.html").write_bytes((output / "index.html").read_bytes() + b"<!-- mine -->"),
    "output file added": lambda project, output: (output / "stray.html").write_text("x", encoding="utf-8"),
    "output file deleted": lambda project, output: (output / "about" / "index.html").unlink(),
    "record damaged": lambda project, output: [path.write_text("{", encoding="utf-8") for path in (project / FOLDER).glob("build-*.json")],
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_to_what_a_build_reads_or_wrote_builds_again(project: Path, tmp_path: Path, change: str, tree) -> None:
    output = tmp_path / "site"
    verbose_build(project, output)
    (project / STORM).touch()

    CHANGES[change](project, output)
    code, stages, _, _ = verbose_build(project, output)

    assert (code, stages[0]) == (0, "unchanged" if change == "seed touched, same bytes" else "load")
    written = {path: data for path, data in tree(output).items() if not path.startswith("search/pagefind/")}
    assert written == dict(sorted(clean_build(project)[0].items()))


def test_a_briefing_page_whose_lookups_are_unchanged_is_reused_without_making_its_context(project: Path, monkeypatch) -> None:
    made: list[str] = []
    make = render.document_context
    monkeypatch.setattr(render, "document_context", lambda graph, slug: made.append(slug) or make(graph, slug))
    incremental = Incremental(project, AnalysisCache(None))
    incremental.build()
    assert len(made) == 5

    made.clear()
    incremental.build()
    assert (made, incremental.renderer.rendered) == ([], 0)

    edit(project, STORM, lambda t: t + "Mara Okonjo said on Monday the corridor would reopen.\n")
    incremental.build()
    rendered = {path.split("/")[1] for path in incremental.renderer.rendered_paths if path.startswith("documents/") and path.count("/") == 2}
    assert "2024-03-15-storm-ilka" in made and sorted(made) == sorted(rendered)


def test_an_edit_undone_renders_the_pages_again_as_they_were(project: Path) -> None:
    # Each rebuild is compared with the one just before it, not with the first: a page rendered for the edit
    # must be rendered again when the edit is undone, though the text is then as at the first build.
    incremental = Incremental(project, AnalysisCache(None))
    first = incremental.build()
    original = (project / STORM).read_text(encoding="utf-8")
    edit(project, STORM, lambda t: t.replace("Storm", "Gale", 1))
    edited = incremental.build()
    assert edited != first
    (project / STORM).write_text(original, encoding="utf-8")
    assert incremental.build() == first == clean_build(project)


def test_changes_between_graphs_name_the_keys_that_differ_and_the_lookups_they_touch() -> None:
    from types import SimpleNamespace

    from briefing.serve.rerender import _Changes, _Rendered

    shared = ("same",)
    old = SimpleNamespace(table={"a": 1, "b": shared, "gone": 3}, items=(1, 2), kept={"x": 1})
    new = SimpleNamespace(table={"a": 2, "b": shared, "new": 4}, items=(1, 2, 3), kept=old.kept)
    changes = _Changes(old, new, {"table", "items", "kept"})  # type: ignore[arg-type]
    assert changes.field("table") == (True, {"a", "gone", "new"}, False)
    assert changes.field("items") == (True, None, True)
    assert changes.field("kept") == (False, set(), False)
    assert changes.changed_fields() == {"table", "items"}
    touched = {
        "a changed key": {("table", "item", "a"): 1},
        "a key removed": {("table", "in", "gone"): True},
        "the length of a longer tuple": {("items", "len", None): 2},
        "a whole mapping": {("table", "all", None): old.table},
    }
    untouched = {
        "an equal key": {("table", "item", "b"): shared},
        "the length of a mapping with as many keys": {("table", "len", None): 3},
        "an unchanged mapping": {("kept", "all", None): old.kept},
    }
    page = lambda reads: _Rendered("t.html", None, reads, b"")  # noqa: E731
    assert [name for name, reads in touched.items() if not changes.touch(page(reads))] == []
    assert [name for name, reads in untouched.items() if changes.touch(page(reads))] == []

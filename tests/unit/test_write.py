"""write: pages in memory -> the output folder, through a staging folder swapped in whole; and the checks
that keep --output from replacing anything the tool does not own."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.model import Page
from briefing.stages.write import MARKER, OutputError, check_output, write_site

MARKER_TEXT = "This folder is written by briefing and replaced on every build.\n"


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def siblings(output: Path) -> list[str]:
    """Everything beside the output folder, itself included."""
    return sorted(path.name for path in output.parent.iterdir())


PAGES = [
    Page("index.html", b"<h1>Home</h1>"),
    Page("documents/talks/index.html", b"talks"),
    Page("actors/joe-biden/index.html", "Biden’s page".encode("utf-8")),
    Page("assets/style.css", b"body{}"),
    Page("404.html", b"missing"),
]


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """tmp/out/site, with tmp/out holding nothing else."""
    return tmp_path / "out" / "site"


@pytest.fixture
def previous(output: Path) -> dict[str, bytes]:
    """A site from an earlier build, already in place."""
    write_site([Page("index.html", b"old home"), Page("documents/gone/index.html", b"old document")], output)
    return tree(output)


def test_writes_every_page_and_the_ownership_marker(output):
    write_site(PAGES, output)
    assert tree(output) == {**{page.path: page.content for page in PAGES}, MARKER: MARKER_TEXT.encode("utf-8")}


def test_writes_into_folders_that_do_not_exist_yet(tmp_path):
    output = tmp_path / "a" / "b" / "site"
    write_site([Page("index.html", b"x")], output)
    assert (output / "index.html").read_bytes() == b"x"


def test_new_build_replaces_the_old_site_whole(output, previous):
    assert "documents/gone/index.html" in previous
    write_site(PAGES, output)
    assert set(tree(output)) == {page.path for page in PAGES} | {MARKER}
    # no staging or old folder left behind; the old site is kept as the spare, for the next build to reuse
    assert siblings(output) == [".site.spare", "site"]
    assert tree(output.with_name(".site.spare")) == previous


def test_relative_output_path_works(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_site([Page("index.html", b"x")], Path("site"))
    assert (tmp_path / "site" / "index.html").read_bytes() == b"x"


@pytest.mark.parametrize(
    "path",
    ["../x", "../../x", "/abs", "/tmp/x", "a/../../x", "a/..", "", ".", "..", "a\\..\\x", "a\0b"],
)
def test_unsafe_page_path_is_refused_and_nothing_is_written_outside(output, previous, path):
    with pytest.raises(ValueError, match="unsafe output path"):
        write_site([Page("index.html", b"new"), Page(path, b"escaped"), Page("zzz.html", b"new")], output)
    assert tree(output) == previous
    assert siblings(output) == ["site"]
    assert not any(p.read_bytes() == b"escaped" for p in output.parent.parent.rglob("*") if p.is_file())


def test_failing_write_mid_list_leaves_the_previous_site_intact(output, previous):
    # 'documents' is written as a file, so the next page cannot make it a folder
    pages = [Page("index.html", b"new"), Page("documents", b"a file"), Page("documents/talks/index.html", b"x")]
    with pytest.raises(OSError):
        write_site(pages, output)
    assert tree(output) == previous
    assert siblings(output) == ["site"]


def test_failing_swap_puts_the_previous_site_back(output, previous, monkeypatch):
    from briefing.stages import write

    real_rename = os.rename

    def rename(source, target):
        if Path(source).name.startswith(".site.staging-"):
            raise PermissionError("simulated failure")
        real_rename(source, target)

    monkeypatch.setattr(write.os, "rename", rename)
    monkeypatch.setattr(write, "_exchange", lambda first, second: False)  # the two-rename fallback
    with pytest.raises(PermissionError):
        write_site(PAGES, output)
    monkeypatch.undo()
    assert tree(output) == previous


def test_leftovers_of_a_killed_build_are_removed_and_unrelated_folders_kept(output, previous):
    for leftover in (".site.staging-abc123", ".site.old-4242"):
        (output.parent / leftover / "documents").mkdir(parents=True)
        (output.parent / leftover / "documents" / "index.html").write_bytes(b"half")
    (output.parent / ".site.notes").mkdir()
    (output.parent / "other").mkdir()
    write_site(PAGES, output)
    assert siblings(output) == [".site.notes", ".site.spare", "other", "site"]


def test_old_site_folder_is_gone_after_the_swap(output, previous):
    write_site(PAGES, output)
    assert not [name for name in siblings(output) if name.startswith(".site.old-")]


# --- check_output ---------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("seeds", "content/actors", "templates"):
        (root / folder).mkdir(parents=True)
    (root / "seeds" / "a.txt").write_text("text", encoding="utf-8")
    return root


@pytest.mark.parametrize("where", [".", "..", "../.."])
def test_check_output_refuses_the_project_itself_or_a_folder_holding_it(project, where):
    output = (project / where).resolve()
    with pytest.raises(OutputError) as error:
        check_output(project / where, project)
    assert str(error.value) == (
        f"output folder {output} would replace the project itself; choose a folder such as {project.resolve() / 'site'}"
    )


@pytest.mark.parametrize(
    ("where", "protected"),
    [
        ("seeds", "seeds"),
        ("seeds/site", "seeds"),
        ("content", "content"),
        ("content/actors", "content"),
        ("templates", "templates"),
        ("templates/out", "templates"),
    ],
)
def test_check_output_refuses_the_project_input_folders(project, where, protected):
    with pytest.raises(OutputError) as error:
        check_output(project / where, project)
    assert str(error.value) == f"output folder {(project / where).resolve()} is inside the project's {protected}/ folder; choose another --output"


def test_check_output_refuses_a_non_empty_folder_without_the_marker(project, tmp_path):
    output = tmp_path / "documents-i-care-about"
    output.mkdir()
    (output / "thesis.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(OutputError) as error:
        check_output(output, project)
    assert str(error.value) == f"refusing to replace {output.resolve()}: it was not built by briefing; remove it or choose another --output"


def test_check_output_refuses_a_file(project, tmp_path):
    output = tmp_path / "site"
    output.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="it was not built by briefing"):
        check_output(output, project)


@pytest.mark.parametrize("state", ["missing", "empty", "built"])
def test_check_output_accepts_a_missing_empty_or_previously_built_folder(project, state):
    output = project / "site"
    if state != "missing":
        output.mkdir()
    if state == "built":
        write_site([Page("index.html", b"x")], output)
    check_output(output, project)


def test_check_output_accepts_a_folder_outside_the_project(project, tmp_path):
    check_output(tmp_path / "elsewhere" / "site", project)


def test_seeds_are_untouched_by_a_refused_output(project):
    before = tree(project)
    with pytest.raises(OutputError):
        check_output(project / "seeds", project)
    assert tree(project) == before


def test_a_built_site_passes_check_output_and_is_replaced_again(project):
    output = project / "site"
    write_site([Page("index.html", b"one")], output)
    check_output(output, project)
    write_site([Page("index.html", b"two")], output)
    assert (output / "index.html").read_bytes() == b"two"
    assert set(os.listdir(project)) == {"seeds", "content", "templates", "site", ".site.spare"}

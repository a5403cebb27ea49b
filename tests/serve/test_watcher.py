"""From file-system events to batches of changes: which paths are inputs, which are editors' leftovers,
how a burst of events becomes one batch, and how real editors' save patterns look through watchdog."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from briefing.serve.watcher import Change, ChangeKind, ChangeQueue, ProjectWatcher, change_kind, describe

SEED, ACTOR, OVERLAY, PAGE, TEMPLATE, CONFIG, FOLDER = (
    ChangeKind.SEED, ChangeKind.ACTOR, ChangeKind.OVERLAY, ChangeKind.PAGE, ChangeKind.TEMPLATE, ChangeKind.CONFIG, ChangeKind.FOLDER,
)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("briefing.yaml", CONFIG),
        ("seeds/2024-09-11.txt", SEED),
        ("seeds/2024-09-11.md", SEED),
        ("seeds/notes.docx", SEED),  # not a seed, but the build warns about it, so it counts
        ("content/actors/joe-biden.md", ACTOR),
        ("content/documents/2024-09-11.md", OVERLAY),
        ("content/pages/about.md", PAGE),
        ("templates/footer.html", TEMPLATE),
        ("templates/static/style.css", TEMPLATE),
        # editors' swap, backup, lock and temp files
        ("seeds/.2024-09-11.txt.swp", None),
        ("seeds/2024-09-11.txt.swx", None),
        ("seeds/2024-09-11.txt~", None),
        ("seeds/4913", None),
        ("seeds/5036", None),
        ("seeds/.#2024-09-11.txt", None),
        ("seeds/#2024-09-11.txt#", None),
        ("seeds/2024-09-11.txt___jb_tmp___", None),
        ("seeds/2024-09-11.txt___jb_old___", None),
        ("seeds/2024-09-11.txt.tmp", None),
        ("content/actors/.goutputstream-X1Y2Z3", None),
        # what the build never reads
        ("site/index.html", None),
        (".briefing-cache/analysis-v1/ab/abcd.json", None),
        ("README.md", None),
        ("seeds/archive/old.txt", None),
        ("content/actors/joe-biden.txt", None),
        ("content/notes.md", None),
        (".git/index", None),
        ("briefing.yaml~", None),
    ],
)
def test_paths_sort_into_kinds_and_editor_leftovers_are_ignored(path: str, kind: ChangeKind | None) -> None:
    assert change_kind(path) == kind


@pytest.mark.parametrize(
    ("path", "kind"),
    [("seeds", FOLDER), ("content", FOLDER), ("content/actors", FOLDER), ("templates/partials", FOLDER), ("seeds/archive", None), ("site", None)],
)
def test_folders_count_when_they_hold_inputs(path: str, kind: ChangeKind | None) -> None:
    assert change_kind(path, is_directory=True) == kind


def test_describe_names_up_to_three_changes() -> None:
    changes = [
        Change(SEED, "seeds/a.txt", "changed"),
        Change(SEED, "seeds/c.txt", "renamed", "seeds/b.txt"),
        Change(ACTOR, "content/actors/x.md", "deleted"),
        Change(ACTOR, "content/actors/y.md", "changed"),
        Change(ACTOR, "content/actors/z.md", "changed"),
    ]

    assert describe(changes[:1]) == "seeds/a.txt changed"
    assert describe(changes[:2]) == "seeds/a.txt changed and seeds/b.txt renamed to seeds/c.txt"
    assert describe(changes[:3]) == "seeds/a.txt changed, seeds/b.txt renamed to seeds/c.txt and content/actors/x.md deleted"
    assert describe(changes) == "seeds/a.txt changed, seeds/b.txt renamed to seeds/c.txt, content/actors/x.md deleted and 2 more"


def test_a_burst_of_changes_is_one_batch_with_the_last_action_per_path() -> None:
    queue = ChangeQueue(quiet=0.05)
    queue.put([Change(SEED, "seeds/a.txt", "changed"), Change(SEED, "seeds/b.txt", "changed")])
    queue.put([Change(SEED, "seeds/a.txt", "deleted")])

    assert queue.take() == [Change(SEED, "seeds/b.txt", "changed"), Change(SEED, "seeds/a.txt", "deleted")]


def test_a_change_made_while_a_batch_is_being_built_makes_exactly_one_more_batch() -> None:
    queue = ChangeQueue(quiet=0.05)
    queue.put([Change(SEED, "seeds/a.txt", "changed")])
    first = queue.take()
    # ...the builder is busy with `first` while two more saves arrive...
    queue.put([Change(SEED, "seeds/a.txt", "changed")])
    queue.put([Change(ACTOR, "content/actors/x.md", "changed")])
    second = queue.take()

    assert first == [Change(SEED, "seeds/a.txt", "changed")]
    assert second == [Change(SEED, "seeds/a.txt", "changed"), Change(ACTOR, "content/actors/x.md", "changed")]


def test_closing_the_queue_releases_a_waiting_builder() -> None:
    queue = ChangeQueue()
    taken: list[object] = []
    builder = threading.Thread(target=lambda: taken.append(queue.take()))
    builder.start()

    queue.close()
    builder.join(timeout=30)

    assert taken == [None]


# --- real editors' save patterns through watchdog --------------------------------------------------------

@pytest.fixture
def watched(tmp_path: Path):
    """A watched project with one seed; yields (project, take) where take() returns the next batch. A long
    quiet period keeps each save pattern in one batch however slow the machine is."""
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "content" / "actors").mkdir(parents=True)
    (project / "seeds" / "a.txt").write_text("First.\n", encoding="utf-8")
    queue = ChangeQueue(quiet=0.5)
    watcher = ProjectWatcher(project, queue)
    watcher.start()
    yield project, queue.take
    queue.close()
    watcher.stop()


def save_like_vim(path: Path, text: str) -> None:
    """vim's default: a write test file, the old file renamed to a backup, a new file, the backup deleted."""
    probe = path.with_name("4913")
    probe.write_text("", encoding="utf-8")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    path.rename(backup)
    path.write_text(text, encoding="utf-8")
    backup.unlink()


def save_like_jetbrains(path: Path, text: str) -> None:
    """JetBrains' safe write: a temp file beside it, renamed into place."""
    temporary = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temporary.write_text(text, encoding="utf-8")
    path.rename(old)
    temporary.rename(path)
    old.unlink()


def save_atomically(path: Path, text: str) -> None:
    """A temp file renamed over the original (os.replace), as many tools and editors do."""
    temporary = path.with_name(f".{path.name}.tmp-1234")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def save_like_emacs(path: Path, text: str) -> None:
    """emacs: a lock link while editing, a backup copy, the file written in place."""
    lock = path.with_name(".#" + path.name)
    os.symlink("user@host.1234:1", lock)
    (path.with_name(path.name + "~")).write_bytes(path.read_bytes())
    path.write_text(text, encoding="utf-8")
    lock.unlink()


def save_by_truncating(path: Path, text: str) -> None:
    with path.open("r+", encoding="utf-8") as file:
        file.truncate(0)
        file.flush()
        file.write(text)


@pytest.mark.parametrize("save", [save_like_vim, save_like_jetbrains, save_atomically, save_like_emacs, save_by_truncating])
def test_an_editors_save_is_one_change_of_the_file(watched, save) -> None:
    project, take = watched

    save(project / "seeds" / "a.txt", "Second.\n")

    assert take() == [Change(SEED, "seeds/a.txt", "changed")]
    assert (project / "seeds" / "a.txt").read_text(encoding="utf-8") == "Second.\n"


def test_renames_deletions_and_new_files_are_reported_as_such(watched) -> None:
    project, take = watched
    seeds = project / "seeds"

    (seeds / "a.txt").rename(seeds / "b.txt")
    assert take() == [Change(SEED, "seeds/b.txt", "renamed", "seeds/a.txt")]

    (seeds / "b.txt").unlink()
    assert take() == [Change(SEED, "seeds/b.txt", "deleted")]

    (project / "content" / "actors" / "x.md").write_text("---\nname: X\nkind: person\n---\n", encoding="utf-8")
    assert take() == [Change(ACTOR, "content/actors/x.md", "changed")]


def test_writes_to_the_output_and_the_cache_are_not_changes(watched) -> None:
    project, take = watched
    for folder in ("site", ".briefing-cache/analysis-v1/ab"):
        (project / folder).mkdir(parents=True)
        (project / folder / "index.html").write_text("x", encoding="utf-8")
    (project / "notes.txt").write_text("x", encoding="utf-8")

    (project / "briefing.yaml").write_text("title: T\n", encoding="utf-8")

    assert take() == [Change(CONFIG, "briefing.yaml", "changed")]


def test_an_input_folder_created_later_is_watched(watched) -> None:
    project, take = watched

    (project / "templates").mkdir()
    assert take() == [Change(FOLDER, "templates", "changed")]

    (project / "templates" / "footer.html").write_text("<footer></footer>\n", encoding="utf-8")
    assert take() == [Change(TEMPLATE, "templates/footer.html", "changed")]

"""Crash safety of the output: SIGKILL at random points of the write, the atomic exchange of the staging
folder with site/, recovery of what a killed build leaves behind, a full disk, and the build lock.

Whatever happens, site/ is the old complete build or the new complete build, never a mixture and never
missing once it has existed.
"""
from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from briefing.lock import LockError, lock_path, output_lock
from briefing.model import Page
from briefing.stages import write
from briefing.stages.write import MARKER, recover_output, write_site
from hardening_support import REPO, SEED, ACTOR, build_in_process, child_env, read_tree, siblings, write_project

# Two versions of a site with different files, so a mixture of them cannot pass for either.
PAGES_SCRIPT = """
from briefing.model import Page

def pages(version, count=None):
    count = count or (60 if version == 0 else 45)
    body = ("version %d " % version).encode() * 400
    return [Page(f"documents/d{version}-{n}/index.html", body + str(n).encode()) for n in range(count)] + [
        Page("index.html", b"home %d" % version),
        Page("assets/style.css", b"css %d" % version),
    ]
"""
namespace: dict = {}
exec(PAGES_SCRIPT, namespace)
pages = namespace["pages"]

WRITER_SCRIPT = PAGES_SCRIPT + """
import sys
from pathlib import Path
from briefing.stages.write import write_site

output, version = Path(sys.argv[1]), int(sys.argv[2])
print("started", flush=True)
while True:
    write_site(pages(version), output)
    version = 1 - version
"""


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return tmp_path / "out" / "site"


@pytest.fixture(scope="module")
def version_trees(tmp_path_factory) -> list[dict[str, bytes]]:
    trees = []
    for version in (0, 1):
        folder = tmp_path_factory.mktemp(f"version{version}") / "site"
        write_site(pages(version), folder)
        trees.append(read_tree(folder))
    return trees


def test_sigkill_at_random_points_of_the_write_leaves_the_old_or_the_new_site(output, version_trees):
    rng = random.Random(20240911)
    kills, outcomes, mid_write = 40, {0: 0, 1: 0}, 0
    write_site(pages(0), output)
    for attempt in range(kills):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER_SCRIPT, str(output), str(attempt % 2)],
            env=child_env(), stdout=subprocess.PIPE, text=True,
        )
        assert writer.stdout.readline() == "started\n"
        time.sleep(rng.uniform(0.0, 0.2))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        # A write left unfinished: a staging or old folder beside site/, or a spare (the reused staging
        # folder) holding neither complete version.
        spare = output.with_name(".site.spare")
        mid_write += any(name.startswith((".site.staging-", ".site.old-")) for name in siblings(output)) or (
            spare.exists() and read_tree(spare) not in version_trees
        )
        state = read_tree(output)
        assert state in version_trees, f"kill {attempt + 1}: site/ is neither complete version ({len(state)} files)"
        outcomes[version_trees.index(state)] += 1
    print(f"\n{kills} kills: site/ was version 0 {outcomes[0]} times, version 1 {outcomes[1]} times; {mid_write} kills left a write unfinished")
    assert mid_write > 0  # the kills did land inside writes, or this test proved nothing
    write_site(pages(1), output)
    assert read_tree(output) == version_trees[1]
    # Every leftover of the killed writers was cleaned up; the site before last is kept as the spare.
    assert siblings(output) == [".site.spare", "site"]


OBSERVER_SCRIPT = """
import os, sys, time
marker, stop = sys.argv[1], sys.argv[2]
polls = misses = 0
print("started", flush=True)
while not os.path.exists(stop):
    polls += 1
    misses += not os.path.exists(marker)
print(polls, misses)
"""


def test_site_folder_never_disappears_while_builds_replace_it(output):
    write_site(pages(0), output)
    stop = output.parent.parent / "stop"
    observer = subprocess.Popen(
        [sys.executable, "-c", OBSERVER_SCRIPT, str(output / MARKER), str(stop)], env=child_env(), stdout=subprocess.PIPE, text=True
    )
    assert observer.stdout.readline() == "started\n"
    for version in [1, 0] * 10:
        write_site(pages(version, count=12), output)
    stop.touch()
    polls, misses = map(int, observer.communicate(timeout=30)[0].split())
    assert polls > 100 and misses == 0


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "x").write_text("first"), (second / "y").write_text("second")
    if not write._exchange(first, second):
        pytest.skip("this system has no atomic exchange; the two-rename fallback is used")
    assert (first / "y").read_text() == "second" and (second / "x").read_text() == "first"


def test_exchange_failure_leaves_the_previous_site(output, monkeypatch, version_trees):
    write_site(pages(0), output)

    def failing(first, second):
        raise OSError(5, "Input/output error", str(second))

    monkeypatch.setattr(write, "_exchange", failing)
    with pytest.raises(OSError):
        write_site(pages(1), output)
    assert read_tree(output) == version_trees[0]
    assert siblings(output) == ["site"]


def test_next_build_puts_back_a_site_moved_aside_by_a_killed_fallback_swap(output, version_trees):
    # The two-rename fallback killed between its renames: no site/, the old one beside it, a staging folder.
    write_site(pages(0), output)
    os.rename(output, output.with_name(".site.old-4242"))
    (output.parent / ".site.staging-abc" / "documents").mkdir(parents=True)
    recover_output(output)
    assert read_tree(output) == version_trees[0]
    assert siblings(output) == ["site"]


def test_recovery_never_restores_a_folder_without_the_marker(output):
    (output.parent / ".site.old-1" / "documents").mkdir(parents=True)
    recover_output(output)
    assert not output.exists() and siblings(output) == []


# --- the build lock ------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(
        tmp_path / "project",
        {
            "content/actors/joe-biden.md": ACTOR.format(name="Joe Biden"),
            "seeds/talks.txt": SEED.format(title="Talks", body="Joe Biden spoke."),
        },
    )


def test_second_build_on_the_same_output_is_refused_while_one_holds_the_lock(project):
    output = project / "site"
    with output_lock(output):
        run = build_in_process(project)
    assert run.exit_code == 2
    assert run.stderr == f"briefing: error: another build is writing {output} (process {os.getpid()}); wait for it to finish and build again\n"
    assert not output.exists()
    assert build_in_process(project).exit_code == 0  # released: the next build goes ahead


def test_lock_file_is_removed_after_a_build(project):
    assert build_in_process(project).exit_code == 0
    assert project_entries(project) == ["content", "seeds", "site"]


HOLDER_SCRIPT = """
import sys, time
from pathlib import Path
from briefing.lock import output_lock
with output_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_lock_held_by_another_process_is_refused_and_freed_when_that_process_is_killed(project):
    output = project / "site"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER_SCRIPT, str(output)], env=child_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(LockError, match=rf"another build is writing .*site \(process {holder.pid}\)"):
            with output_lock(output):
                pass
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert lock_path(output).exists()  # the killed holder could not remove it...
    assert build_in_process(project).exit_code == 0  # ...but the kernel released its lock
    assert not lock_path(output).exists()


CLI_KILL_ROUNDS = 8


def project_entries(project: Path) -> list[str]:
    """What is in the project folder, but the analysis cache a good build saves there."""
    return sorted(path.name for path in project.iterdir() if path.name != ".briefing-cache")


def built_tree(site: Path) -> dict[str, bytes]:
    """A site's files, but the search index's hashed shards, which are named anew on every build."""
    return {path: data for path, data in read_tree(site).items() if not path.startswith("search/pagefind/")}


def test_sigkill_of_whole_builds_at_random_points_leaves_a_complete_site(project, tmp_path):
    seed = project / "seeds" / "talks.txt"
    texts = [SEED.format(title="Talks", body="Joe Biden spoke. " * 40), SEED.format(title="Other talks", body="Biden left.")]
    trees = []
    for number, text in enumerate(texts):
        seed.write_text(text, encoding="utf-8")
        reference = tmp_path / f"reference-{number}"
        assert build_in_process(project, reference).exit_code == 0
        trees.append(built_tree(reference))
    assert build_in_process(project).exit_code == 0  # site/ holds version 1
    started = time.perf_counter()
    assert build_in_process(project).exit_code == 0
    duration = time.perf_counter() - started
    rng = random.Random(7)
    output = project / "site"
    for round_ in range(CLI_KILL_ROUNDS):
        seed.write_text(texts[round_ % 2], encoding="utf-8")
        child = subprocess.Popen([sys.executable, "-m", "briefing", "build", "--project", str(project), "--quiet"], env=child_env())
        time.sleep(0.3 + rng.uniform(0.0, duration * 1.5))  # 0.3 s: the interpreter and imports
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert built_tree(output) in trees, f"round {round_ + 1}: site/ is not a complete build"
    seed.write_text(texts[0], encoding="utf-8")
    assert build_in_process(project).exit_code == 0
    assert built_tree(output) == trees[0]
    assert project_entries(project) == [".site.spare", "content", "seeds", "site"]  # the site before last, kept


# --- a full disk -----------------------------------------------------------------------------------

FILE_SIZE_LIMIT = 4096  # bytes: smaller than a rendered page, larger than the lock file


def _limited(default_signal: bool):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
        # Python ignores SIGXFSZ itself (writes then fail with EFBIG); restore it to be killed instead.
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL if default_signal else signal.SIG_IGN)
    return limit


FULL_DISK_SCRIPT = """
import signal, sys
from briefing.cli import main
if sys.argv[2] == "killed":
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
sys.exit(main(["build", "--project", sys.argv[1], "--quiet"]))
"""


@pytest.mark.parametrize("mode", ["error", "killed"])
def test_full_disk_leaves_the_previous_site_and_the_next_build_cleans_up(project, mode):
    assert build_in_process(project).exit_code == 0
    previous = built_tree(project / "site")
    (project / "seeds" / "talks.txt").write_text(SEED.format(title="Longer", body="Joe Biden spoke at length. " * 400), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK_SCRIPT, str(project), mode],
        env=child_env(), capture_output=True, text=True, timeout=120, preexec_fn=_limited(mode == "killed"),
    )
    if mode == "error":
        assert result.returncode == 1
        assert result.stderr.startswith("briefing: error: cannot write the site: File too large (")
        assert result.stderr.endswith("); site/ left unchanged.\n") or result.stderr.endswith(f"); {os.path.relpath(project / 'site')}/ left unchanged.\n")
    else:
        assert result.returncode == -signal.SIGXFSZ
    assert built_tree(project / "site") == previous
    assert build_in_process(project).exit_code == 0
    assert project_entries(project) == [".site.spare", "content", "seeds", "site"]  # the site before last, kept

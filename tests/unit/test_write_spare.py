"""write, second slot: the site before last is kept beside the output (`.site.spare`) and reused as the next
build's staging folder, so only files whose bytes changed are written; whatever state the spare is in, the
output ends up exactly as a fresh write of the same pages."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.model import Page
from briefing.stages import write
from briefing.stages.write import MARKER, WriteReport, spare_path, write_site


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def folders(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_dir())


def identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


def siblings(output: Path) -> list[str]:
    return sorted(path.name for path in output.parent.iterdir())


def site(version: int = 0, changed: tuple[str, ...] = (), dropped: tuple[str, ...] = ()) -> list[Page]:
    pages = [Page("index.html", b"home"), Page("assets/style.css", b"body{}")]
    pages += [Page(f"documents/d{n}/index.html", b"document %d " % n * 50) for n in range(8)]
    pages = [page for page in pages if page.path not in dropped]
    return [Page(page.path, page.content + b" v%d" % version) if page.path in changed else page for page in pages]


@pytest.fixture
def output(tmp_path: Path) -> Path:
    return tmp_path / "out" / "site"


def fresh(pages: list[Page], folder: Path) -> dict[str, bytes]:
    """The same pages written the old way: into a folder with nothing to reuse."""
    write_site(pages, folder, keep_spare=False)
    return tree(folder)


def test_first_builds_write_everything_then_the_spare_is_reused(output):
    assert write_site(site(), output) == WriteReport(written=10, unchanged=0, deleted=0)  # no output yet
    assert not spare_path(output).exists()
    assert write_site(site(), output) == WriteReport(written=10, unchanged=0, deleted=0)  # no spare yet
    assert siblings(output) == [".site.spare", "site"]
    assert write_site(site(), output) == WriteReport(written=0, unchanged=10, deleted=0)  # the spare reused
    assert siblings(output) == [".site.spare", "site"]
    assert spare_path(output) == output.with_name(".site.spare")


def test_unchanged_files_keep_their_inode_and_time_and_changed_ones_get_the_new_bytes(output):
    write_site(site(), output)
    first = {path: identity(output / path) for path in tree(output)}
    write_site(site(), output)  # site/ is a second copy; the first becomes the spare
    report = write_site(site(1, changed=("documents/d3/index.html", "index.html")), output)
    assert report == WriteReport(written=2, unchanged=8, deleted=0)
    assert (output / "index.html").read_bytes() == b"home v1"
    assert (output / "documents/d3/index.html").read_bytes().endswith(b" v1")
    for path, before in first.items():
        if path in ("index.html", "documents/d3/index.html"):
            assert (output / path).read_bytes() != tree(output.with_name(".site.spare"))[path]
        else:
            assert identity(output / path) == before, path  # the very file the first build wrote


def test_a_change_reaches_both_slots_and_then_nothing_is_written(output):
    for _ in range(3):
        write_site(site(), output)
    edited = site(1, changed=("index.html",))
    assert write_site(edited, output).written == 1  # the spare had the old bytes
    assert write_site(edited, output).written == 1  # so did the other slot
    assert write_site(edited, output) == WriteReport(written=0, unchanged=10, deleted=0)


def test_deleted_pages_disappear_with_their_folders(output):
    for _ in range(3):
        write_site(site(), output)
    report = write_site(site(dropped=("documents/d5/index.html", "assets/style.css")), output)
    assert report == WriteReport(written=0, unchanged=8, deleted=2)
    assert "documents/d5" not in folders(output) and "assets" not in folders(output)
    assert tree(output) == fresh(site(dropped=("documents/d5/index.html", "assets/style.css")), output.parent.parent / "fresh")


@pytest.mark.parametrize("tampered", [b"HOME", b"a longer home page", b""])
def test_a_spare_file_edited_by_hand_is_rewritten_even_with_its_time_put_back(output, tampered):
    for _ in range(2):
        write_site(site(), output)
    spare_file = spare_path(output) / "index.html"
    status = spare_file.stat()
    spare_file.write_bytes(tampered)
    os.utime(spare_file, ns=(status.st_atime_ns, status.st_mtime_ns))  # size aside, it looks untouched
    assert write_site(site(), output) == WriteReport(written=1, unchanged=9, deleted=0)
    assert (output / "index.html").read_bytes() == b"home"


def test_a_damaged_spare_is_repaired_into_exactly_the_new_site(output, tmp_path):
    for _ in range(2):
        write_site(site(), output)
    spare = spare_path(output)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not ours")
    (spare / "stray.html").write_bytes(b"added by hand")
    (spare / "documents" / "d1" / "index.html").unlink()
    (spare / "documents" / "d1" / "index.html").mkdir()  # a folder where a page goes
    (spare / "documents" / "d1" / "index.html" / "deep.txt").write_bytes(b"x")
    (spare / "documents" / "d2" / "index.html").unlink()
    (spare / "documents" / "d2" / "index.html").symlink_to(outside)  # a link where a page goes
    for name in os.listdir(spare / "assets"):
        (spare / "assets" / name).unlink()
    (spare / "assets").rmdir()
    (spare / "assets").write_bytes(b"a file where a folder goes")
    os.truncate(spare / "documents" / "d4" / "index.html", 10)  # as a killed write leaves it
    (spare / "documents" / "d6" / "index.html").unlink()
    os.mkfifo(spare / "documents" / "d6" / "index.html")
    report = write_site(site(), output)
    assert tree(output) == fresh(site(), tmp_path / "fresh")
    assert folders(output) == folders(tmp_path / "fresh")
    assert report == WriteReport(written=5, unchanged=5, deleted=5)  # stray, deep.txt, link, 'assets', FIFO
    assert outside.read_bytes() == b"not ours"  # never written through the link


def test_a_spare_file_hard_linked_to_the_live_site_is_replaced_not_written_through(output):
    for _ in range(2):
        write_site(site(), output)
    live = output / "index.html"
    (spare_path(output) / "index.html").unlink()
    os.link(live, spare_path(output) / "index.html")  # as a de-duplicating tool might leave it
    write_site(site(1, changed=("index.html",)), output)
    assert (output / "index.html").read_bytes() == b"home v1"
    assert (spare_path(output) / "index.html").read_bytes() == b"home"  # the old site was never touched


@pytest.mark.parametrize("content", ["nothing", "a file"])
def test_a_spare_without_the_marker_is_not_ours_and_is_left_alone(output, content):
    write_site(site(), output)
    foreign = spare_path(output)
    foreign.mkdir()
    if content == "a file":
        (foreign / "index.html").write_bytes(b"someone else's")
    assert write_site(site(1, changed=("index.html",)), output).written == 10
    assert tree(foreign) == ({"index.html": b"someone else's"} if content == "a file" else {})
    assert siblings(output) == [".site.spare", "site"]  # and the old site was deleted, as there is no room


def test_keep_spare_false_deletes_the_old_site_and_an_existing_spare(output):
    for _ in range(2):
        write_site(site(), output)
    assert write_site(site(), output, keep_spare=False).written == 10
    assert siblings(output) == ["site"]


def pages_then_failure(pages: list[Page], after: int):
    for number, page in enumerate(pages):
        if number == after:
            raise RuntimeError("the renderer failed")
        yield page


@pytest.mark.parametrize("builds_before", [1, 2, 3])
@pytest.mark.parametrize("after", [0, 4, 9])  # 9: the last page
def test_a_failing_page_iterator_leaves_the_old_site_and_the_next_build_is_right(output, tmp_path, builds_before, after):
    for _ in range(builds_before):
        write_site(site(), output)
    before = tree(output)
    new = site(1, changed=("index.html", "documents/d7/index.html"), dropped=("documents/d0/index.html",))
    new.append(Page("documents/d9/index.html", b"new"))
    with pytest.raises(RuntimeError, match="the renderer failed"):
        write_site(pages_then_failure(new, after), output)
    assert tree(output) == before
    assert set(siblings(output)) <= {".site.spare", "site"}  # no staging folder left; a reused spare stays
    write_site(new, output)
    assert tree(output) == fresh(new, tmp_path / "fresh")


@pytest.mark.parametrize("returns", [False, True])
def test_a_failing_before_swap_leaves_the_old_site_and_the_next_build_is_right(output, tmp_path, returns):
    for _ in range(3):
        write_site(site(), output)
    before = tree(output)

    def failing(staging: Path):
        (staging / "search").mkdir()
        (staging / "search" / "half-an-index").write_bytes(b"x")
        raise RuntimeError("the indexer failed")

    new = site(1, changed=("index.html",))
    with pytest.raises(RuntimeError, match="the indexer failed"):
        write_site(new, output, before_swap=failing)
    assert tree(output) == before
    assert siblings(output) == [".site.spare", "site"]  # nothing set aside is left behind either
    write_site(new, output, before_swap=(lambda staging: [Page("search/index.json", b"{}")]) if returns else None)
    assert tree(output) == fresh(new + ([Page("search/index.json", b"{}")] if returns else []), tmp_path / "fresh")


def test_pages_are_consumed_one_at_a_time_and_written_as_they_come(output):
    for _ in range(2):
        write_site(site(), output)
    seen_on_disk = []

    def streamed():
        previous = None
        for page in site(1, changed=tuple(page.path for page in site())):
            if previous is not None:  # the page before this one is in the staging folder already
                seen_on_disk.append((spare_path(output) / previous.path).read_bytes() == previous.content)
            previous = page
            yield page

    write_site(streamed(), output)
    assert seen_on_disk == [True] * 9


def test_pages_handed_back_by_before_swap_are_compared_like_the_others(output, tmp_path):
    seen_by_hook = []

    def index(version: int):
        def hook(staging: Path) -> list[Page]:
            seen_by_hook.append(sorted(tree(staging)))
            return [
                Page("search/pagefind/entry.json", b"entry"),
                Page(f"search/pagefind/fragment/f{version}.pf", b"fragment %d" % version),
            ]
        return hook

    for version in (0, 0, 0):
        write_site(site(), output, before_swap=index(version))
    identities = {path: identity(output / path) for path in tree(output)}
    report = write_site(site(), output, before_swap=index(1))  # the spare is the second build's site
    assert report == WriteReport(written=1, unchanged=11, deleted=1)
    assert identity(output / "search/pagefind/entry.json") != identities["search/pagefind/entry.json"]  # other slot
    expected = site() + [Page("search/pagefind/entry.json", b"entry"), Page("search/pagefind/fragment/f1.pf", b"fragment 1")]
    assert tree(output) == fresh(expected, tmp_path / "fresh")
    # The hook always saw exactly the new site's pages: nothing stale from the reused spare.
    assert all(files == sorted([*(page.path for page in site()), MARKER]) for files in seen_by_hook)


def test_files_a_before_swap_writes_itself_still_work_and_old_ones_do_not_linger(output, tmp_path):
    def index(version: int):
        def hook(staging: Path) -> None:
            folder = staging / "search" / "pagefind"
            folder.mkdir(parents=True)  # fails if an old index were still there
            (folder / f"shard-{version}.pf").write_bytes(b"shard %d" % version)
        return hook

    for version in range(5):
        write_site(site(), output, before_swap=index(version))
        assert sorted(path for path in tree(output) if path.startswith("search/")) == [f"search/pagefind/shard-{version}.pf"]
    assert siblings(output) == [".site.spare", "site"]


def test_the_two_rename_fallback_keeps_the_spare_too(output, monkeypatch):
    monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    for version in range(4):
        write_site(site(version, changed=("index.html",)), output)
        assert (output / "index.html").read_bytes() == b"home v%d" % version
    assert siblings(output) == [".site.spare", "site"]
    assert (spare_path(output) / "index.html").read_bytes() == b"home v2"


def test_a_page_written_twice_keeps_the_last_bytes_and_counts_once(output):
    pages = [Page("index.html", b"first"), Page("a.html", b"a"), Page("index.html", b"second")]
    for _ in range(3):
        report = write_site(pages, output)
    assert (output / "index.html").read_bytes() == b"second"
    assert report == WriteReport(written=1, unchanged=1, deleted=0)  # 'first' then 'second' over the spare's


def random_site(rng: random.Random) -> list[Page]:
    """Pages over a small space of paths, so that files become folders and folders files between builds."""
    paths = ["index.html", "a", "a/index.html", "a/b/index.html", "b/index.html", "c/d/e.json", "c/d", "data/big.json"]
    chosen: list[str] = []
    for path in rng.sample(paths, rng.randint(1, len(paths))):
        parts = path.split("/")
        prefixes = {"/".join(parts[:end]) for end in range(1, len(parts))}
        if prefixes & set(chosen) or any(other.startswith(path + "/") for other in chosen):
            continue  # a path cannot be both a file and a folder in one site
        chosen.append(path)
    size = {"data/big.json": (1 << 20) + 3}
    return [Page(path, bytes([rng.choice(b"xy")]) * size.get(path, rng.choice([0, 1, 5]))) for path in chosen]


def test_any_sequence_of_builds_ends_exactly_as_a_fresh_write(output, tmp_path):
    rng = random.Random(20241124)
    for build in range(60):
        pages = random_site(rng)
        report = write_site(pages, output)
        reference = tmp_path / f"fresh-{build}"
        assert tree(output) == fresh(pages, reference), f"build {build}"
        assert folders(output) == folders(reference), f"build {build}"
        assert report.files == len(pages)
        assert siblings(output) == ([".site.spare", "site"] if build else ["site"])


def test_a_file_the_hook_writes_itself_and_also_hands_back_ends_with_the_bytes_handed_back(output):
    def hook(staging: Path) -> list[Page]:
        (staging / "search").mkdir(exist_ok=True)
        (staging / "search" / "entry.json").write_bytes(b"written directly")
        return [Page("search/entry.json", b"handed back")]

    for _ in range(4):  # fresh folders first, then the reused spare
        write_site(site(), output, before_swap=hook)
        assert (output / "search" / "entry.json").read_bytes() == b"handed back"


KILLED_WRITER = """
import sys
from pathlib import Path
from briefing.model import Page
from briefing.stages.write import write_site

def pages(version):
    body = b"version %d " % version * 300
    yield Page("index.html", b"home %d" % version)
    for n in range(40 + 10 * version):
        yield Page(f"documents/d{version}-{n % 7}/page{n}.html" if n % 3 else f"documents/shared{n}.html", body + b"%d" % n)

def index(version):
    def hook(staging):
        (staging / "search" / "direct").mkdir(parents=True)
        (staging / "search" / "direct" / "shard.pf").write_bytes(b"shard %d" % version)
        return [Page(f"search/pagefind/f{n}.pf", b"fragment %d" % (n * (version + 1))) for n in range(30)]
    return hook

output, version = Path(sys.argv[1]), int(sys.argv[2])
print("started", flush=True)
while True:
    write_site(pages(version), output, before_swap=index(version))
    version = 1 - version
"""


def test_sigkill_while_the_spare_is_reused_leaves_a_complete_site_and_the_next_build_right(output, tmp_path):
    namespace: dict = {}
    exec(KILLED_WRITER.split("output, version")[0], namespace)
    versions = []
    for version in (0, 1):
        write_site(namespace["pages"](version), tmp_path / f"v{version}" / "site", before_swap=namespace["index"](version))
        versions.append(tree(tmp_path / f"v{version}" / "site"))
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    rng = random.Random(11)
    write_site(namespace["pages"](0), output, before_swap=namespace["index"](0))
    unfinished = 0
    for attempt in range(25):
        writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(output), str(attempt % 2)], env=environment, stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline() == "started\n"
        time.sleep(rng.uniform(0.0, 0.15))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        assert tree(output) in versions, f"kill {attempt + 1}: site/ is neither complete version"
        unfinished += any(name.startswith(".site.staging-") for name in siblings(output)) or (spare_path(output).exists() and tree(spare_path(output)) not in versions)
    assert unfinished > 0  # kills landed inside writes (a folder set aside, a spare half rewritten)
    write_site(namespace["pages"](1), output, before_swap=namespace["index"](1))
    assert tree(output) == versions[1]
    assert siblings(output) == [".site.spare", "site"]

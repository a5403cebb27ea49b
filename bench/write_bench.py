"""The writer alone: 11,000 pages of ~20 KB written as a site, then rewritten with nothing changed and with
three pages changed, on a tmpfs and on disk. Prints seconds, files written / unchanged / deleted, and peak
memory; asserts nothing.

    python bench/write_bench.py [--pages 11000] [--size 20000] [--where /dev/shm/write-bench /tmp/write-bench]

Each row is one call of write_site with a generator of pages (bytes made as they are asked for). The
"spare" rows are the default (the site before last reused as the staging folder); the "fresh" rows pass
keep_spare=False, which writes every file into a new folder and deletes the old site, as the writer did
before it kept a spare.
"""
from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing.model import Page  # noqa: E402
from briefing.stages.write import write_site  # noqa: E402


def pages(count: int, size: int, edits: dict[int, int]) -> Iterator[Page]:
    """Deterministic pages, cheap to make (the writer is timed, not this): page n's bytes depend on n and
    on how often it was edited; sizes vary a little, like real pages."""
    block = hashlib.sha256(b"write bench").digest() * (size // 32 + 1)
    for number in range(count):
        head = b"<!-- page %d, edit %d -->" % (number, edits.get(number, 0))
        yield Page(f"documents/d{number:05}/index.html", head + block[: size - number % 1000])


def run(where: Path, count: int, size: int) -> None:
    shutil.rmtree(where, ignore_errors=True)
    output = where / "site"
    edits: dict[int, int] = {}

    def build(label: str, changed: int = 0, keep_spare: bool = True) -> None:
        for step in range(changed):
            number = (len(edits) * 7919 + step * 104729) % count
            edits[number] = edits.get(number, 0) + 1
        started = time.perf_counter()
        report = write_site(pages(count, size, edits), output, keep_spare=keep_spare)
        seconds = time.perf_counter() - started
        print(
            f"  {label:<42} {seconds:7.3f} s   wrote {report.written:>6,} of {report.files:,}, "
            f"kept {report.unchanged:>6,}, deleted {report.deleted:>6,}",
            flush=True,
        )

    started = time.perf_counter()
    for _ in pages(count, size, edits):
        pass
    print(f"{where} ({count:,} pages of ~{size:,} bytes; making them alone takes {time.perf_counter() - started:.3f} s)")
    build("first write (no output yet)")
    build("nothing changed, no spare yet")
    build("nothing changed, spare reused")
    build("3 pages changed", changed=3)
    build("3 more pages changed", changed=3)
    build("nothing changed")
    build("3 pages changed, keep_spare=False (fresh)", changed=3, keep_spare=False)
    build("nothing changed, keep_spare=False (fresh)", keep_spare=False)
    shutil.rmtree(where, ignore_errors=True)


def hashing(count: int, size: int) -> None:
    """What a manifest of digests would add to every build, the first included: hashing every page's bytes.
    The writer compares with the spare's bytes instead, which costs nothing when there is no spare."""
    for name in ("blake2b", "sha1"):
        started = time.perf_counter()
        for page in pages(count, size, {}):
            hashlib.new(name, page.content).digest()
        print(f"  hashing the same pages with {name:<8} {time.perf_counter() - started:7.3f} s (not done by the writer)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=11_000)
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--where", type=Path, nargs="+", default=[Path("/dev/shm/write-bench"), Path("/tmp/write-bench")])
    args = parser.parse_args()
    for where in args.where:
        run(where, args.pages, args.size)
    hashing(args.pages, args.size)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()

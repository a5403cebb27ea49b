"""The written site -> its search index: Pagefind reads the briefing and actor pages in the staging folder,
before it is swapped in, and writes search/pagefind/ (the index in fragments, and its interface) into a
scratch folder, whose files come back as pages: the writer then writes only those whose bytes changed
(across builds only the filter and meta indexes and the entry file differ; one edited page changes its own
fragment and a few word-index chunks), instead of 11,000 files of 53 MB at 10,000 documents.

Pagefind runs as its own binary (from the `pagefind[bin]` package), over copies of the indexed pages
shortened to what it reads (`without_ignored_elements`): its Python API (checked again in 1.5.2) polls for
one reply per 100 ms and reads replies through a 2 MiB buffer, which the index of 10,000 pages overflows. The pages say what to index with data-pagefind-* attributes in the theme's templates: the body of
each briefing and each dossier's profile, filters by type, actor, kind and year, and a date to sort by.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from .. import urls
from ..model import Page

BUNDLE = urls.search_bundle_path("").rstrip("/")
# Only these pages carry data-pagefind-body; naming them spares Pagefind reading every other page.
INDEXED_FOLDERS = ("documents", "actors")
INDEXED_PAGES = "{documents,actors}/*/index.html"
# The opening tag of an element Pagefind skips (group 1: its name). Text in a page escapes `<`, `>` and `"`,
# so a `>` only ever closes a tag.
IGNORED_ELEMENT = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])[^>]*\sdata-pagefind-ignore(?![\w-])[^>]*>")


class SearchIndexError(OSError):
    """Pagefind could not index the site; the message says why."""


def pagefind_command(site: Path, bundle: Path | None = None) -> list[str]:
    """The command indexing `site` into `bundle` (by default `site`/search/pagefind/)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError("the search index needs the pagefind package: pip install 'pagefind[bin]'") from None
    executable = get_executable()
    if executable is None:
        raise SearchIndexError("the search index needs the Pagefind binary: pip install 'pagefind[bin]'")
    return [
        str(executable),
        "--site", str(site),
        "--glob", INDEXED_PAGES,
        *(("--output-path", str(bundle)) if bundle else ("--output-subdir", BUNDLE)),
        "--keep-index-url",  # results link to .../index.html, as every other link of the site does
        "--silent",
    ]


def index_search(site: Path) -> list[Page]:
    """The search index of the site in folder `site`, as pages under search/pagefind/."""
    # Pagefind also reads PAGEFIND_* variables and a pagefind.yml in its working folder: neither may change
    # the index, so it runs in the folder of the copies it indexes (which holds no such file) with those
    # variables removed.
    environment = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="briefing-search-", dir=_scratch_root()) as scratch:
        bundle, source = Path(scratch) / "pagefind", Path(scratch) / "source"
        command = pagefind_command(Path("."), bundle)
        _copy_indexed_pages(site, source)
        try:
            completed = subprocess.run(command, cwd=source, env=environment, capture_output=True, text=True)
        except OSError as error:
            raise SearchIndexError(f"the search index could not be built: cannot run Pagefind: {error.strerror or error}") from None
        if completed.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
            said = " ".join((completed.stderr + completed.stdout).split())[-500:] or "no message"
            raise SearchIndexError(f"the search index could not be built: Pagefind exited with status {completed.returncode}: {said}")
        return [
            Page(f"{BUNDLE}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        ]


def _scratch_root() -> str | None:
    """A memory-backed folder when there is one: the index is only passed through, and creating 11,000
    files on a disk costs seconds."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _copy_indexed_pages(site: Path, source: Path) -> None:
    """The pages Pagefind indexes, copied without the parts it would read only to skip.

    Pagefind parses every byte of a page even inside data-pagefind-ignore, and an actor page is mostly its
    ignored statements, appearances, timeline and connections: at 1,000 actors that parsing is 9 of Pagefind's
    10 CPU seconds for them. An ignored element that holds no other data-pagefind-* attribute (a filter
    inside one still counts) contributes nothing to the index, so it is left out of the copy; the index
    made from the copies is the one made from the pages."""
    source.mkdir()
    # Pagefind numbers pages in the order it finds them, and that order breaks ties between results. It
    # walks folders in the order they list: on a tmpfs the newest entry first, so the copies are made last
    # path first, for results tied in score to come in path order (over the site folder itself, the order
    # was that of the disk's directory hashing, which differs from disk to disk).
    pages = sorted((page for folder in INDEXED_FOLDERS for page in (site / folder).glob("*/index.html")), reverse=True)
    for page in pages:
        target = source / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(without_ignored_elements(page.read_bytes()))


def without_ignored_elements(content: bytes) -> bytes:
    """`content` without its data-pagefind-ignore elements that hold no other data-pagefind-* attribute."""
    kept, position, looked = [], 0, 0
    while (attribute := content.find(b"data-pagefind-ignore", looked)) >= 0:
        looked = attribute + 1
        start = content.rfind(b"<", 0, attribute)
        opening = IGNORED_ELEMENT.match(content, start) if start >= position else None
        if opening is None or opening.end() <= attribute:
            continue  # not an attribute of a tag, or inside an element already left out
        end = _element_end(content, opening)
        if end is None or content.count(b"data-pagefind-", start, end) > 1:
            continue
        kept.append(content[position:start])
        position = looked = end
    if not kept:
        return content
    kept.append(content[position:])
    return b"".join(kept)


def _element_end(content: bytes, opening: re.Match) -> int | None:
    """Where the element that `opening` starts ends (after its closing tag), or None if it cannot be told."""
    name = opening.group(1)
    tags = _TAGS_BY_NAME.get(name)
    if tags is None:
        tags = _TAGS_BY_NAME[name] = re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])[^>]*>")
    depth = 0
    for tag in tags.finditer(content, opening.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None


_TAGS_BY_NAME: dict[bytes, re.Pattern] = {}

"""The written site -> its search index: Pagefind reads the briefing and actor pages in the staging folder,
before it is swapped in, and writes search/pagefind/ (the index in fragments, and its interface) into a
scratch folder, whose files come back as pages: the writer then writes only those whose bytes changed
(across builds only the filter and meta indexes and the entry file differ; one edited page changes its own
fragment and a few word-index chunks), instead of 11,000 files of 53 MB at 10,000 documents.

Pagefind runs as its own binary (from the `pagefind[bin]` package), over the files on disk: its Python API
answers one request per 100 ms and reads replies through a 2 MiB pipe buffer, which does not hold 10,000
pages. The pages say what to index with data-pagefind-* attributes in the theme's templates: the body of
each briefing and each dossier's profile, filters by type, actor, kind and year, and a date to sort by.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from .. import urls
from ..model import Page

BUNDLE = urls.search_bundle_path("").rstrip("/")
# Only these pages carry data-pagefind-body; naming them spares Pagefind reading every other page.
INDEXED_PAGES = "{documents,actors}/*/index.html"


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
    # the index, so it runs in the site folder (which holds no such file) with those variables removed.
    environment = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="briefing-search-", dir=_scratch_root()) as scratch:
        bundle = Path(scratch) / "pagefind"
        command = pagefind_command(Path("."), bundle)
        try:
            completed = subprocess.run(command, cwd=site, env=environment, capture_output=True, text=True)
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

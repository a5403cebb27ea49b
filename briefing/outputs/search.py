"""The written site -> its search index: Pagefind reads the briefing and actor pages in the staging folder,
before it is swapped in, and writes search/pagefind/ (the index in fragments, and its interface).

Pagefind runs as its own binary (from the `pagefind[bin]` package), over the files on disk: its Python API
answers one request per 100 ms and reads replies through a 2 MiB pipe buffer, which does not hold 10,000
pages. The pages say what to index with data-pagefind-* attributes in the theme's templates: the body of
each briefing and each dossier's profile, filters by type, actor, kind and year, and a date to sort by.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .. import urls

BUNDLE = urls.search_bundle_path("").rstrip("/")
# Only these pages carry data-pagefind-body; naming them spares Pagefind reading every other page.
INDEXED_PAGES = "{documents,actors}/*/index.html"


class SearchIndexError(OSError):
    """Pagefind could not index the site; the message says why."""


def pagefind_command(site: Path) -> list[str]:
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
        "--output-subdir", BUNDLE,
        "--keep-index-url",  # results link to .../index.html, as every other link of the site does
        "--silent",
    ]


def index_search(site: Path) -> None:
    """Write the search index of the site in folder `site` into `site`/search/pagefind/."""
    # Pagefind also reads PAGEFIND_* variables and a pagefind.yml in its working folder: neither may change
    # the index, so it runs in the site folder (which holds no such file) with those variables removed.
    environment = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND_")}
    try:
        completed = subprocess.run(pagefind_command(Path(".")), cwd=site, env=environment, capture_output=True, text=True)
    except OSError as error:
        raise SearchIndexError(f"the search index could not be built: cannot run Pagefind: {error.strerror or error}") from None
    if completed.returncode != 0 or not (site / BUNDLE / "pagefind-entry.json").is_file():
        said = " ".join((completed.stderr + completed.stdout).split())[-500:] or "no message"
        raise SearchIndexError(f"the search index could not be built: Pagefind exited with status {completed.returncode}: {said}")

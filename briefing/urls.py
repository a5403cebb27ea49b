"""The one place slugs, output paths and links are made.

Every page lives at `<dir>/index.html` (or a top-level file such as `404.html`, or a page of a list too
long for one page: a month of the timeline or of the briefings, `timeline/2024-09.html`, `documents/2024-09.html`,
or a year of an actor's appearances, `actors/<slug>/appearances-2024.html`); links between pages are
relative and name `index.html` explicitly, so a site works under any sub-path and opened from disk.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Output folders the engine owns; a free page may not take one of these slugs.
RESERVED_SLUGS = frozenset({"actors", "assets", "documents", "data", "feeds", "search", "timeline", "network", "404"})


# Names Windows reserves for devices in every folder, with any extension: a page there cannot be written.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))})


def is_reserved_name(name: str) -> bool:
    """'con', 'NUL.txt', 'lpt1.css': names that cannot be files on Windows."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED


def slugify(text: str) -> str:
    """'000_B31c Été' -> '000-b31c-ete': ASCII lowercase words joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def is_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.fullmatch(text))  # not .match: its `$` also matches before a final newline


def sentence_anchor(index: int) -> str:
    """The element id of a document's sentence, from its 0-based index: 's-1', 's-2'..."""
    return f"s-{index + 1}"


def timeline_path() -> str:
    return "timeline/index.html"


def timeline_month_path(year: int, month: int) -> str:
    """The page of one month of a timeline too long for one page: 'timeline/2024-09.html'."""
    return f"timeline/{year:04d}-{month:02d}.html"


def network_path() -> str:
    return "network/index.html"


def data_path(name: str) -> str:
    return f"data/{name}"


def index_path() -> str:
    return "index.html"


def document_path(slug: str) -> str:
    return f"documents/{slug}/index.html"


def documents_index_path() -> str:
    return "documents/index.html"


def documents_month_path(year: int, month: int) -> str:
    """The briefings of one month, when there are too many for one index: 'documents/2024-09.html'. A
    document's slug never holds a dot, so these names cannot be a document's folder."""
    return f"documents/{year:04d}-{month:02d}.html"


def documents_undated_path() -> str:
    """The undated briefings, when the index is split by month."""
    return "documents/undated.html"


def actor_path(slug: str) -> str:
    return f"actors/{slug}/index.html"


# The sections of a dossier that are split by year when too long for it, each by its own anchor's name.
DOSSIER_SECTIONS = ("statements", "appearances", "timeline")


def actor_year_path(slug: str, section: str, year: int | None, month: int | None = None) -> str:
    """One year of a section of an actor's dossier too long for it ('actors/x/appearances-2024.html'), one
    month of a year too long for one page ('actors/x/appearances-2024-09.html'), or its undated entries (year
    None: 'actors/x/appearances-undated.html')."""
    if section not in DOSSIER_SECTIONS:
        raise ValueError(f"no year pages for section {section!r}")
    if year is None:
        return f"actors/{slug}/{section}-undated.html"
    return f"actors/{slug}/{section}-{year:04d}{f'-{month:02d}' if month else ''}.html"


def actor_connections_path(slug: str, kind: str) -> str:
    """An actor's connections with actors of one kind, when too many for the dossier:
    'actors/x/connections-person.html'."""
    return f"actors/{slug}/connections-{kind}.html"


def actors_index_path() -> str:
    return "actors/index.html"


def free_page_path(slug: str) -> str:
    return f"{slug}/index.html"


def asset_path(name: str) -> str:
    return f"assets/{name}"


def not_found_path() -> str:
    return "404.html"


def search_path() -> str:
    return "search/index.html"


def search_bundle_path(name: str) -> str:
    """A file of the search index Pagefind writes after the pages: inside search/, a reserved slug."""
    return f"search/pagefind/{name}"


def feed_path() -> str:
    return "feed.xml"


def actor_feed_path(slug: str) -> str:
    return f"actors/{slug}/feed.xml"


def sitemap_path() -> str:
    return "sitemap.xml"


def robots_path() -> str:
    return "robots.txt"


def absolute_url(base_url: str, target: str) -> str:
    """The published address of output file `target` (which may carry a `#fragment`) under `base_url`
    (no trailing slash). A folder's index.html is addressed by the folder, as every web host serves it:
    'documents/x/index.html' -> 'https://example.org/briefing/documents/x/'."""
    path, hash_, fragment = target.partition("#")
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return f"{base_url}/{path}{hash_}{fragment}"


def root_prefix(from_page: str) -> str:
    """The relative path from output file `from_page` back to the site root: '', '../', '../../'."""
    return "../" * from_page.count("/")


def relative_url(target: str, from_page: str) -> str:
    """The link from output file `from_page` to output file `target` (which may carry a `#fragment`),
    both relative to the site root. Links go up to the root and down again: simple, and the same
    target is spelled the same way on every page of one depth."""
    if target.partition("#")[0] == from_page:
        return target[len(from_page):] or posixpath.basename(from_page)
    return root_prefix(from_page) + target

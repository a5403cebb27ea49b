"""Project folder -> Project: actors, seeds with their overlays, free pages. Reads; never writes.

Every file problem becomes a located diagnostic and the file is skipped or read as far as is safe.
Files are read only inside the project (a symbolic link leading out of it is refused) and only up to
`max_file_size`; names, aliases, slugs and other front-matter texts are cleaned like the text they are
matched against (`clean.clean_name`).
"""
from __future__ import annotations

import os
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Callable, TypeVar

from .. import markdown, urls
from ..config import SiteConfig, format_size
from ..diagnostics import Diagnostics, Location, did_you_mean
from ..frontmatter import (
    Fields,
    parse_mapping,
    read_bool,
    read_choice,
    read_date,
    read_links,
    read_url,
    read_text,
    read_text_list,
    read_fields,
    split_front_matter,
)
from ..mentions import fold_for_matching, look_alikes
from ..model import ACTOR_KINDS, Actor, DocumentMeta, FreePage, Link, Project, Source
from .clean import clean_name

T = TypeVar("T")
SEED_SUFFIXES = {".txt": "text", ".md": "markdown"}

DOCUMENT_SCHEMA = {
    "title": read_text,
    "date": read_date,
    "source": read_text,
    "url": read_url,
    "author": read_text,
    "summary": read_text,
    "tags": read_text_list,
    "slug": read_text,
    "draft": read_bool,
    "language": read_text,
}
ACTOR_SCHEMA = {
    "name": read_text,
    "kind": read_choice(*ACTOR_KINDS),
    "aliases": read_text_list,
    "role": read_text,
    "affiliation": read_text_list,
    "country": read_text,
    "summary": read_text,
    "links": read_links,
}
PAGE_SCHEMA = {"title": read_text, "summary": read_text}


def load_project(config: SiteConfig, report: Diagnostics, memo: "FileMemo | None" = None) -> Project:
    """`memo` (the preview server's, kept between rebuilds) spares reading and parsing unchanged files."""
    memo = memo or FileMemo()
    memo.parsed = 0
    check_templates(config, report)
    actors, field_locations = load_actors(config, report, memo)
    overlays = load_overlays(config, report, memo)
    sources = load_sources(config, overlays, report, memo)
    pages = load_pages(config, report, memo)
    memo.forget_unread()
    return Project(actors=actors, sources=sources, pages=pages, alias_index=build_alias_index(actors, field_locations, report))


class FileMemo:
    """What reading and parsing each project file gave (its front matter, body and diagnostics), kept by a
    preview session between rebuilds: a file whose status (device, inode, size, modification and change
    times) is as it was is not read again, and its diagnostics are repeated. A seed is remembered whole, with
    its overlay: the same file and overlay give back the very same Source object, which later stages
    compare first by identity. The status is what git trusts too; ctime cannot be set back by an editor.
    A fresh memo remembers nothing."""

    def __init__(self) -> None:
        self._parsed: dict[tuple, tuple[tuple, tuple, object, list]] = {}  # (path, kind) -> (status, setting, value, diagnostics)
        self._read: set[tuple] = set()
        self.parsed = 0  # files read and parsed by the last load (the others came from memory)

    def parse(self, path: str | Path, setting: tuple, report: Diagnostics, parse: Callable[[], T]) -> T:
        """`parse()`, or what it gave last time for this path and `setting` (compared by equality; its first
        item names the kind of reading) when the file's status is unchanged, its diagnostics repeated."""
        key = (str(path), setting[0])
        self._read.add(key)
        try:
            status = os.stat(path)
            stamp = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        except OSError:
            stamp = None
        known = self._parsed.get(key)
        if stamp is not None and known is not None and known[0] == stamp and known[1] == setting:
            report.extend(known[3])
            return known[2]  # type: ignore[return-value]
        problems_before = len(report.items)
        value = parse()
        self.parsed += 1
        if stamp is not None:
            self._parsed[key] = (stamp, setting, value, report.items[problems_before:])
        return value

    def forget_unread(self) -> None:
        """Drops what the load that just ended did not ask for (files deleted or no longer read)."""
        for key in set(self._parsed) - self._read:
            del self._parsed[key]
        self._read = set()


# --- reading files ---------------------------------------------------------------------------------

def _files(config: SiteConfig, folder: str, suffixes: tuple[str, ...], report: Diagnostics) -> list[Path]:
    root = config.project / folder
    if not root.is_dir():
        return []
    listed = sorted(p for p in root.iterdir() if p.suffix in suffixes and not p.name.startswith("."))
    for path in listed:
        if path.is_symlink() and not path.exists():
            report.error(Location(config.relative(path), 1, 1), f"a symbolic link to a missing file ({os.readlink(path)}); remove it or restore its target")
    return [path for path in listed if path.is_file()]


def _outside_project(path: Path, config: SiteConfig) -> bool:
    """Whether `path`, once every symbolic link is followed, lies outside the project folder. A path inside
    the project with no symbolic link on the way there is inside: asking each part costs far less than
    resolving the whole path, which matters for 10,000 seeds."""
    try:
        parts = path.relative_to(config.project).parts
    except ValueError:
        parts = ()
    if parts and ".." not in parts:
        steps = [config.project.joinpath(*parts[:depth]) for depth in range(1, len(parts) + 1)]
        if not any(os.path.islink(step) for step in steps):
            return False
    project = config.project.resolve()
    resolved = path.resolve()
    return resolved != project and project not in resolved.parents


def read_text_file(path: Path, config: SiteConfig, report: Diagnostics) -> str | None:
    """UTF-8 text of a project file. Bytes that are not UTF-8 are read as Windows-1252 with a warning; a
    file with a UTF-16 byte-order mark is read as UTF-16, with a warning."""
    relative = config.relative(path)
    location = Location(relative, 1, 1)
    if _outside_project(path, config):
        report.error(location, "refused: a symbolic link to a file outside the project; copy the file into the project instead")
        return None
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            data = file.read(config.max_file_size + 1) if size <= config.max_file_size else b""
    except OSError as error:
        report.error(location, f"cannot read file: {error.strerror or error}")
        return None
    if size > config.max_file_size or len(data) > config.max_file_size:
        shown_size = format_size(max(size, len(data)))
        report.error(location, f"file is {shown_size}, over the {format_size(config.max_file_size)} limit; split it, or raise max_file_size in briefing.yaml")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        report.warning(location, "saved as UTF-16; it was read as such. Save it as UTF-8")
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        report.warning(
            Location.of_byte(relative, data, error.start),
            f"not valid UTF-8: byte 0x{data[error.start]:02x} at offset {error.start}; the file was read as Windows-1252. Save it as UTF-8",
        )
        return data.decode("cp1252", errors="replace")


def _clean_values(fields: Fields) -> Fields:
    """Front-matter texts cleaned like the text they are shown with and matched against: invisible
    characters out, space runs one space (see clean.clean_name). Addresses are checked, not cleaned."""
    values = {}
    for name, value in fields.values.items():
        if isinstance(value, str) and name != "url":
            value = clean_name(value)
        elif isinstance(value, tuple) and all(isinstance(item, str) for item in value):
            value = tuple(cleaned for cleaned in map(clean_name, value) if cleaned)
        values[name] = value
    return Fields(values, fields.locations)


def _check_slug_name(name: str, location: Location, what: str, report: Diagnostics) -> bool:
    """Names Windows cannot create (con, nul, lpt1...) would make the site unusable there."""
    if urls.is_reserved_name(name):
        report.error(location, f"{what} '{name}' is a reserved file name on Windows (con, prn, aux, nul, com1-9, lpt1-9); choose another")
        return False
    return True


def _render_markdown(text: str, location: Location, report: Diagnostics, render=markdown.render_embedded) -> str:
    if markdown.too_complex(text):
        report.warning(location, MARKDOWN_TOO_COMPLEX)
    return render(text)


MARKDOWN_TOO_COMPLEX = (
    "Markdown too complex to render in reasonable time (thousands of '[' left open or nested); "
    "it is shown as plain paragraphs. Close the brackets, or save the file as .txt"
)


def _read_and_parse(
    path: Path, config: SiteConfig, report: Diagnostics, memo: FileMemo | None, schema: dict, unknown_level: str
) -> tuple[Fields, str, int, bool] | None:
    """A project file's front matter and body (`_read_front_matter`), or None when it cannot be read."""
    relative = config.relative(path)

    def parse() -> tuple[Fields, str, int, bool] | None:
        text = read_text_file(path, config, report)
        return None if text is None else _read_front_matter(text, relative, schema, report, unknown_level)

    if memo is None:
        return parse()
    return memo.parse(path, ("parse", relative, tuple(schema), unknown_level, config.max_file_size), report, parse)


def _read_front_matter(text: str, relative: str, schema: dict, report: Diagnostics, unknown_level: str) -> tuple[Fields, str, int, bool]:
    """File text -> (fields, body, body's first line, whether the front matter could be read).

    When it could not (never closed, or not YAML), that one error is the whole story: callers skip
    the checks, such as missing fields, that would only repeat it."""
    problems_before = len(report.items)
    split = split_front_matter(text.lstrip("\ufeff"), relative, report)
    mapping = parse_mapping(split.yaml_text, relative, split.yaml_line, report) if split.yaml_text is not None else None
    readable = len(report.items) == problems_before
    fields = read_fields(mapping, schema, relative, split.yaml_line, report, unknown_level) if mapping is not None else Fields({}, {})
    return _clean_values(fields), split.body, split.body_line, readable


# --- actors ----------------------------------------------------------------------------------------

# (actor slug, field name) -> where that field is written, for diagnostics found after loading
FieldLocations = dict[tuple[str, str], Location]


def load_actors(config: SiteConfig, report: Diagnostics, memo: FileMemo | None = None) -> tuple[tuple[Actor, ...], FieldLocations]:
    actors = []
    locations: FieldLocations = {}
    for path in _files(config, "content/actors", (".md",), report):
        relative = config.relative(path)
        if not urls.is_slug(path.stem):
            report.error(
                Location(relative, 1, 1),
                f"'{path.stem}' is not a valid actor slug (lowercase letters, digits and single hyphens); rename the file to '{urls.slugify(path.stem) or 'actor'}.md'",
            )
            continue
        if not _check_slug_name(path.stem, Location(relative, 1, 1), "actor slug", report):
            continue
        if memo is None:
            loaded = _load_actor(path, relative, config, report)
        else:  # remembered whole, its rendered bio too
            loaded = memo.parse(path, ("actor", relative, config.max_file_size), report, lambda: _load_actor(path, relative, config, report))
        if loaded is not None:
            actor, field_locations = loaded
            actors.append(actor)
            locations.update({(path.stem, name): location for name, location in field_locations.items()})
    return _without_unknown_references(actors, locations, report), locations


def _load_actor(path: Path, relative: str, config: SiteConfig, report: Diagnostics) -> tuple[Actor, dict[str, Location]] | None:
    """One actor's file -> (the Actor, where each of its fields is written), or None when it cannot be read
    or lacks a required field."""
    problems_before = len(report.items)
    parsed = _read_and_parse(path, config, report, None, ACTOR_SCHEMA, "error")
    if parsed is None:
        return None
    fields, body, body_line, readable = parsed
    missing = [name for name in ("name", "kind") if not fields.get(name)]
    # A field whose value was refused has been reported already; one written with no value has not.
    refused = {item.message.split("'")[1] for item in report.items[problems_before:] if item.message.startswith("field '")}
    for name in missing:
        hint = "e.g. 'kind: person' (one of: " + ", ".join(ACTOR_KINDS) + ")" if name == "kind" else "e.g. 'name: Joe Biden'"
        if not readable or name in refused:
            continue
        if name in fields.locations:
            report.error(fields.locations[name], f"required field '{name}' is empty; write {hint}")
        else:
            report.error(Location(relative, 1, 1), f"missing required field '{name}'; add {hint}")
    if missing:
        return None
    actor = Actor(
        slug=path.stem,
        name=fields.get("name"),
        kind=fields.get("kind"),
        path=relative,
        aliases=tuple(alias for alias in fields.get("aliases", ()) if alias),
        role=fields.get("role", ""),
        affiliation=fields.get("affiliation", ()),
        country=fields.get("country", ""),
        summary=fields.get("summary", ""),
        links=tuple(Link(clean_name(title), url) for title, url, _ in fields.get("links", ())),
        bio_html=_render_markdown(body, Location(relative, body_line, 1), report),
    )
    _warn_look_alikes(fields, report)
    return actor, dict(fields.locations)


def _warn_look_alikes(fields: Fields, report: Diagnostics) -> None:
    """A name that mixes Latin letters with Cyrillic or Greek look-alikes is matched as if all Latin; say so."""
    for name in ("name", "aliases"):
        for form in (fields.get(name),) if name == "name" else fields.get(name, ()):
            found = look_alikes(form)
            if found:
                listed = ", ".join(f"'{char}' U+{ord(char):04X}" for char in dict.fromkeys(found))
                report.warning(
                    fields.locations[name],
                    f"'{form}' mixes Latin letters with look-alikes ({listed}); it is matched as '{fold_for_matching(form)}'. Retype it in Latin letters",
                )


def _without_unknown_references(actors: list[Actor], locations: FieldLocations, report: Diagnostics) -> tuple[Actor, ...]:
    """Reports every affiliation or country that names no actor, and drops it, so that later stages
    only ever see slugs that resolve."""
    known = {actor.slug for actor in actors}
    checked = []
    for actor in actors:
        for field_name, slugs in (("affiliation", actor.affiliation), ("country", (actor.country,) if actor.country else ())):
            for slug in slugs:
                if slug not in known:
                    location = locations.get((actor.slug, field_name), Location(actor.path, 1, 1))
                    report.error(
                        location,
                        f"{field_name} '{slug}' is not an actor" + did_you_mean(slug, known)
                        + f"; create content/actors/{slug}.md or fix the slug",
                    )
        affiliation = tuple(slug for slug in actor.affiliation if slug in known)
        country = actor.country if actor.country in known else ""
        same = affiliation == actor.affiliation and country == actor.country  # then the same object, as the preview's memo gave it
        checked.append(actor if same else replace(actor, affiliation=affiliation, country=country))
    return tuple(checked)


def build_alias_index(actors: tuple[Actor, ...], locations: FieldLocations, report: Diagnostics) -> dict[str, str]:
    """Surface form -> actor slug. A form claimed by two actors is reported and linked to neither."""
    claims: dict[str, list[Actor]] = {}
    written: dict[str, str] = {}  # forms that read the same to the matcher are one form
    for actor in actors:
        for form in actor.surface_forms:
            form = written.setdefault(fold_for_matching(form), form)
            if actor not in claims.setdefault(form, []):
                claims[form].append(actor)
    index = {}
    for form, claimants in sorted(claims.items()):
        if len(claimants) == 1:
            index[form] = claimants[0].slug
            continue
        later = claimants[-1]
        field_name = "name" if later.name == form else "aliases"
        location = locations.get((later.slug, field_name), Location(later.path, 1, 1))
        names = ", ".join(actor.slug for actor in claimants)
        linked_to = "neither" if len(claimants) == 2 else "none of them"
        report.warning(location, f"alias '{form}' is claimed by {len(claimants)} actors: {names}; it is linked to {linked_to}. Keep it in one actor's file")
    return index


# --- seeds and overlays ----------------------------------------------------------------------------

def _document_meta(fields: Fields, base: DocumentMeta | None = None) -> DocumentMeta:
    meta = base or DocumentMeta()
    known = {f.name for f in dataclass_fields(DocumentMeta)}
    return replace(meta, **{name: value for name, value in fields.values.items() if name in known})


def load_overlays(config: SiteConfig, report: Diagnostics, memo: FileMemo | None = None) -> dict[str, tuple[str, Fields, str, bool]]:
    """Seed stem -> (overlay path, fields, rendered note, whether its front matter could be read)."""
    overlays = {}
    for path in _files(config, "content/documents", (".md",), report):
        relative = config.relative(path)
        parsed = _read_and_parse(path, config, report, memo, DOCUMENT_SCHEMA, "warning")
        if parsed is None:
            continue
        fields, body, body_line, readable = parsed
        note_html = _render_markdown(body, Location(relative, body_line, 1), report) if body.strip() else ""
        overlays[path.stem] = (relative, fields, note_html, readable)
    return overlays


def load_sources(config: SiteConfig, overlays: dict, report: Diagnostics, memo: FileMemo | None = None) -> tuple[Source, ...]:
    seeds_dir = config.project / "seeds"
    if not seeds_dir.is_dir():
        report.error(Location("seeds"), "no seeds/ folder; create it and put the news documents (.txt or .md) in it")
        return ()
    sources = []
    slug_locations: dict[str, Location] = {}  # seed path -> where its slug is set
    folder = config.relative(seeds_dir)
    with os.scandir(seeds_dir) as scanned:
        entries = sorted(scanned, key=lambda entry: entry.name)
    for entry in entries:
        relative = f"{folder}/{entry.name}"
        stem, suffix = os.path.splitext(entry.name)
        if entry.is_symlink() and not os.path.exists(entry.path) and not entry.name.startswith("."):
            report.error(Location(relative, 1, 1), f"a symbolic link to a missing file ({os.readlink(entry.path)}); remove it or restore its target")
            continue
        if entry.name.startswith(".") or not entry.is_file():
            continue
        if suffix not in SEED_SUFFIXES:
            report.warning(Location(relative, 1, 1), f"ignored: seeds must end in .txt or .md, not '{suffix or entry.name}'")
            continue
        overlay = overlays.get(stem)
        if memo is None:
            loaded = _load_seed(Path(entry.path), relative, overlay, config, report)
        else:
            # The whole seed is remembered, not only its parse: the same file and overlay, the same Source.
            setting = ("seed", relative, overlay, config.max_file_size)
            loaded = memo.parse(entry.path, setting, report, lambda: _load_seed(Path(entry.path), relative, overlay, config, report))
        if loaded is not None:
            source, slug_locations[relative] = loaded
            sources.append(source)
    stems = {stem for stem, suffix in map(os.path.splitext, (entry.name for entry in entries)) if suffix in SEED_SUFFIXES}
    for stem, (overlay_path, *_) in sorted(overlays.items()):
        if stem not in stems:
            report.error(
                Location(overlay_path, 1, 1),
                f"overlay has no seed: there is no seeds/{stem}.txt or seeds/{stem}.md; name the overlay after its seed"
                + did_you_mean(f"{stem}.md", {f"{seed}.md" for seed in stems}),
            )
    return _without_duplicate_slugs(sources, slug_locations, report)


def _load_seed(path: Path, relative: str, overlay: tuple | None, config: SiteConfig, report: Diagnostics) -> tuple[Source, Location] | None:
    """One seed, with its overlay if it has one -> (its Source, where its slug is set); None for a draft or a
    seed that cannot be read or named."""
    parsed = _read_and_parse(path, config, report, None, DOCUMENT_SCHEMA, "warning")
    if parsed is None:
        return None
    fields, body, body_line, readable = parsed
    meta = _document_meta(fields)
    overlay_path, note_html = "", ""
    slug_location = fields.locations.get("slug", Location(relative, 1, 1))
    # A date that was written but could not be read is reported as such, not as a missing date.
    date_written = not readable or "date" in fields.locations
    if overlay is not None:
        overlay_path, overlay_fields, note_html, overlay_readable = overlay
        meta = _document_meta(overlay_fields, meta)
        slug_location = overlay_fields.locations.get("slug", slug_location)
        date_written = date_written or not overlay_readable or "date" in overlay_fields.locations
    if meta.draft:
        return None
    stem = path.stem
    slug = meta.slug or urls.slugify(stem)
    if not slug:
        report.error(slug_location, f"the file name '{stem}' gives no slug (only the letters a-z and digits are kept); set 'slug: ...' in its front matter")
        return None
    if not urls.is_slug(slug):
        suggestion = urls.slugify(slug)
        report.error(slug_location, f"slug '{slug}' is not valid (lowercase letters, digits and single hyphens)" + (f"; try '{suggestion}'" if suggestion else ""))
        return None
    if not _check_slug_name(slug, slug_location, "slug", report):
        return None
    markup = SEED_SUFFIXES[path.suffix]
    if markup == "markdown" and markdown.too_complex(body):
        report.warning(Location(relative, body_line, 1), MARKDOWN_TOO_COMPLEX)
        markup = "text"
    if meta.date is None and not date_written:
        report.warning(Location(relative, 1, 1), "no date: the document is listed as undated; add 'date: YYYY-MM-DD' to its front matter or overlay")
    source = Source(
        stem=stem,
        path=relative,
        markup=markup,
        slug=slug,
        meta=meta,
        body=body,
        body_line=body_line,
        note_html=note_html,
        overlay_path=overlay_path,
    )
    return source, slug_location


def _without_duplicate_slugs(sources: list[Source], slug_locations: dict[str, Location], report: Diagnostics) -> tuple[Source, ...]:
    first_by_slug: dict[str, Source] = {}
    kept = []
    for source in sources:
        if source.slug in first_by_slug:
            report.error(
                slug_locations[source.path],
                f"slug '{source.slug}' is already used by {first_by_slug[source.slug].path}; set a different 'slug' in the front matter",
            )
            continue
        first_by_slug[source.slug] = source
        kept.append(source)
    return tuple(kept)


# --- free pages ------------------------------------------------------------------------------------

def load_pages(config: SiteConfig, report: Diagnostics, memo: FileMemo | None = None) -> tuple[FreePage, ...]:
    pages = []
    for path in _files(config, "content/pages", (".md",), report):
        relative = config.relative(path)
        if not _check_slug_name(path.stem, Location(relative, 1, 1), "page name", report):
            continue
        if not urls.is_slug(path.stem) or path.stem in urls.RESERVED_SLUGS:
            reason = "is reserved for the engine's own pages" if path.stem in urls.RESERVED_SLUGS else "is not a valid slug (lowercase letters, digits and single hyphens)"
            report.error(Location(relative, 1, 1), f"page name '{path.stem}' {reason}; rename the file")
            continue
        parsed = _read_and_parse(path, config, report, memo, PAGE_SCHEMA, "error")
        if parsed is None:
            continue
        fields, body, body_line, _ = parsed
        title = fields.get("title") or path.stem.replace("-", " ").capitalize()
        body_html = _render_markdown(body, Location(relative, body_line, 1), report, markdown.render_page)
        pages.append(FreePage(slug=path.stem, path=relative, title=title, body_html=body_html))
    return tuple(pages)


# --- templates -------------------------------------------------------------------------------------

def check_templates(config: SiteConfig, report: Diagnostics) -> None:
    """The project's templates/ is read by the renderer as it is: here, before anything is rendered,
    links leading out of the project are refused, and asset names that Windows cannot create or that
    differ from another only in case (one would overwrite the other on macOS and Windows) are errors."""
    root = config.project / "templates"
    if not root.is_dir():
        return
    if _outside_project(root, config):
        report.error(Location("templates", 0, 0), "refused: templates/ is a symbolic link to a folder outside the project")
        return
    theme_static = resources.files("briefing") / "theme" / "static"
    names_by_folded = {name.casefold(): name for name in (entry.name for entry in theme_static.iterdir())}
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(folders + files):
            path = Path(folder) / name
            relative = config.relative(path)
            if path.is_symlink() and (not path.exists() or _outside_project(path, config)):
                report.error(Location(relative, 0, 0), "refused: a symbolic link to something outside the project or missing; copy the file into the project instead")
                continue
            static = path.relative_to(root / "static").as_posix() if (root / "static") in path.parents else None
            if static is None or name.startswith("."):
                continue
            if urls.is_reserved_name(name):
                report.error(Location(relative, 0, 0), f"'{name}' is a reserved file name on Windows (con, prn, aux, nul, com1-9, lpt1-9); rename it")
            other = names_by_folded.setdefault(static.casefold(), static)
            if other != static:
                report.error(Location(relative, 0, 0), f"'{static}' differs from the asset '{other}' only in case: one would overwrite the other on macOS and Windows; rename one")

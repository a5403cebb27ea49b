"""Per-document analysis cache: Source + actor registry -> AnnotatedDocument, reused while neither changed.

An entry is keyed by a digest of the engine (its code and the libraries that shape its output), the
`mention_links` setting and every field of the Source. It also records the text runs the mention matcher
scanned and which (form, actor) pairs of the alias index occur in them: an entry still holds for a new
registry when the same pairs occur, so an alias edit re-analyses only the documents where the changed
forms appear. Entries live in memory (the preview server keeps them between rebuilds) and, as JSON files,
in the project's `.briefing-cache/`, which is written only after a successful build. A cache file that
cannot be read, is truncated or does not match its checksum is ignored: it costs a re-analysis, never a
failed build.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import hashlib
import itertools
import json
import operator
import os
import sys
import tempfile
import types
import typing
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterator

import ahocorasick

from .diagnostics import Diagnostic, Location
from .mentions import MentionMatcher
from .model import AnnotatedDocument, Source
from .parallel import ordered_map

FOLDER = ".briefing-cache"
FORMAT = 1  # bump when an entry's layout changes
_ANALYSIS = f"analysis-v{FORMAT}"
# Libraries whose version changes what annotation produces.
_LIBRARIES = ("markdown-it-py", "ftfy", "pyahocorasick")
_RUN_SEPARATOR = "\x00"
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache written by briefing; it can be deleted.\n"
# The exceptions a damaged entry can raise while being read and decoded.
_DAMAGED = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A digest of this package's code and the versions of the libraries annotation depends on: a new
    engine never reuses an old engine's analysis."""
    digest = hashlib.sha256(f"python {sys.version_info[:2]}\n".encode())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} ?\n".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# --- dataclasses <-> JSON ---------------------------------------------------------------------------
# Dataclasses are written as arrays in field order, dates as ISO text. The plan for each type is derived
# once from its annotations, so a model change cannot silently drop a field (the engine digest changes too).
# Values are not type-checked on the way in: the checksum guards against damage, and whoever can write a
# valid entry on purpose can as well edit the project's seeds or templates.

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]
_PRIMITIVES = (str, int, bool)


def _identity(value: Any) -> Any:
    return value


def _optional(codec: Codec) -> Codec:
    encode, decode = codec
    return (lambda value: None if value is None else encode(value)), (lambda value: None if value is None else decode(value))


def _sequence(kind: Any) -> Codec:
    if dataclasses.is_dataclass(kind) and _is_flat(kind):
        # The bulk of a document (sentences, mentions) is flat records: encoded and built in C loops.
        getter = operator.attrgetter(*[item.name for item in dataclasses.fields(kind)])
        return (lambda value: list(map(getter, value))), (lambda value: tuple(itertools.starmap(kind, value)))
    encode, decode = _codec(kind)
    if encode is _identity:
        return list, tuple
    return (lambda value: [encode(item) for item in value]), (lambda value: tuple(map(decode, value)))


def _is_flat(kind: type) -> bool:
    hints = typing.get_type_hints(kind)
    return len(dataclasses.fields(kind)) > 1 and all(hints[item.name] in _PRIMITIVES for item in dataclasses.fields(kind))


@functools.lru_cache(maxsize=None)
def _codec(kind: Any) -> Codec:
    if kind in _PRIMITIVES:
        return _identity, _identity
    if kind is datetime.date:
        return datetime.date.isoformat, datetime.date.fromisoformat
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType) and len(arguments) == 2 and type(None) in arguments:
        inner = _codec(next(argument for argument in arguments if argument is not type(None)))
        return inner if inner[0] is _identity else _optional(inner)
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        return _sequence(arguments[0])
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        names = [item.name for item in dataclasses.fields(kind)]
        plans = [_codec(hints[name]) for name in names]
        encoders = list(zip(names, (plan[0] for plan in plans)))
        decoders = [plan[1] for plan in plans]

        def encode_record(value: Any) -> list:
            return [encode(getattr(value, name)) for name, encode in encoders]

        def decode_record(value: list) -> Any:
            if len(value) != len(decoders):
                raise ValueError(f"{kind.__name__}: expected {len(decoders)} fields, found {len(value)}")
            return kind(*[decode(item) for decode, item in zip(decoders, value)])

        return encode_record, decode_record
    raise TypeError(f"the analysis cache cannot store a value of type {kind!r}")


def encode(kind: type, value: Any) -> Any:
    return _codec(kind)[0](value)


def decode(kind: type, data: Any) -> Any:
    return _codec(kind)[1](data)


# --- the alias registry, as far as one document is concerned -----------------------------------------

class AliasScanner:
    """Which (form, actor) pairs of an alias index occur in a text, overlapping or not, whole words or not:
    everything mention detection could have matched there."""

    def __init__(self, alias_index: dict[str, str]):
        self.digest = hashlib.sha256(json.dumps(sorted(alias_index.items())).encode()).hexdigest()
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for form, actor in sorted(alias_index.items()):
            self._automaton.add_word(form, (form, actor))
        self._empty = not alias_index
        if not self._empty:
            self._automaton.make_automaton()

    def hits(self, text: str) -> tuple[tuple[str, str], ...]:
        if self._empty:
            return ()
        return tuple(sorted({pair for _, pair in self._automaton.iter(text)}))


class _RecordingMatcher:
    """A MentionMatcher that remembers every text it was asked to search."""

    def __init__(self, matcher: MentionMatcher):
        self._matcher = matcher
        self.runs: list[str] = []

    def find(self, text: str):
        self.runs.append(text)
        return self._matcher.find(text)


@dataclass
class _Entry:
    document: AnnotatedDocument
    scanned: str  # the texts the matcher searched, joined by _RUN_SEPARATOR
    hits: tuple[tuple[str, str], ...]
    checked_with: str  # digest of the alias index the hits were last checked against


# --- the cache ---------------------------------------------------------------------------------------

class AnalysisCache:
    """Reuses AnnotatedDocuments across builds. One instance per project; not shared between threads."""

    def __init__(self, folder: Path | None):
        self.folder = folder  # None: memory only
        self._memory: dict[str, _Entry] = {}
        self._unsaved: set[str] = set()
        self._used: set[str] = set()
        self.analysed = 0  # documents analysed (not reused) by the last build
        self.reused = 0
        self._keys: dict[int, tuple[Source, bool, str]] = {}  # id(source) -> (source, link_all, key)

    @classmethod
    def for_project(cls, project: Path) -> "AnalysisCache":
        return cls(project / FOLDER / _ANALYSIS)

    def annotate_all(
        self, sources: list[Source], alias_index: dict[str, str], matcher: MentionMatcher, link_all: bool = True, jobs: int | None = None
    ) -> Iterator[AnnotatedDocument]:
        """annotate_document for every source of one build, in order: a cached analysis where it still
        holds, else a fresh one. Entries not in memory are read (or made) in worker processes."""
        scanner = AliasScanner(alias_index)
        self._used, self.analysed, self.reused = set(), 0, 0
        keys = [self._key_of(source, link_all) for source in sources]
        self._keys = {id(source): (source, link_all, key) for source, key in zip(sources, keys)}
        self._used.update(keys)
        entries: list[_Entry | None] = [self._memory.get(key) for key in keys]
        missing = [index for index, entry in enumerate(entries) if entry is None]

        def look_up(index: int) -> tuple[_Entry, bool]:
            """(entry, whether it was made now) for the source at `index`, from the cache folder or fresh."""
            entry = self._read(keys[index])
            if entry is not None and self._still_holds(entry, scanner):
                return entry, False
            return self._analyse(sources[index], matcher, link_all, scanner), True

        looked_up = zip(missing, ordered_map(look_up, missing, jobs))
        for source, key, entry in zip(sources, keys, entries):
            made = False
            if entry is None:  # the next one looked up is this one: both go in source order
                _, (entry, made) = next(looked_up)
            elif not self._still_holds(entry, scanner):
                entry, made = self._analyse(source, matcher, link_all, scanner), True
            if made:
                self._unsaved.add(key)
                self.analysed += 1
            else:
                self.reused += 1
            self._memory[key] = entry
            yield entry.document

    @staticmethod
    def _still_holds(entry: _Entry, scanner: AliasScanner) -> bool:
        """Whether the entry's analysis holds for the current alias index (checked once per registry)."""
        if entry.checked_with != scanner.digest and scanner.hits(entry.scanned) == entry.hits:
            entry.checked_with = scanner.digest
        return entry.checked_with == scanner.digest

    @staticmethod
    def _analyse(source: Source, matcher: MentionMatcher, link_all: bool, scanner: AliasScanner) -> _Entry:
        from .stages.annotate import annotate_document  # here: a build with nothing to do never needs it

        recording = _RecordingMatcher(matcher)
        document = annotate_document(source, recording, link_all)  # type: ignore[arg-type]
        scanned = _RUN_SEPARATOR.join(recording.runs)
        return _Entry(document, scanned, scanner.hits(scanned), scanner.digest)

    def _key_of(self, source: Source, link_all: bool) -> str:
        """`key`, remembered for the very same Source object (a preview's load hands back the same object
        for an unchanged file): hashing the text of 10,000 documents again costs a tenth of a second."""
        known = self._keys.get(id(source))
        if known is not None and known[0] is source and known[1] == link_all:
            return known[2]
        return self.key(source, link_all)

    @staticmethod
    def key(source: Source, link_all: bool) -> str:
        # The dataclass repr names every field and value: any change to the Source changes the key.
        text = f"briefing analysis {FORMAT} {engine_fingerprint()} link_all={link_all}\n{source!r}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def save(self) -> None:
        """Writes the entries made since the last save and deletes files no build has used since; an
        unwritable folder leaves the cache in memory only."""
        self._forget_unused()
        if self.folder is None:
            self._unsaved.clear()
            return
        try:
            self._prepare_folder()
            for key in sorted(self._unsaved):
                self._write(key, self._memory[key])
            self._delete_unused_files()
        except (OSError, TypeError):  # an unwritable folder, or a model field the codec cannot store
            self.folder = None
        self._unsaved.clear()

    # --- memory ---

    def _forget_unused(self) -> None:
        """Entries of documents that are gone or changed: kept they would only grow the preview server."""
        for key in [key for key in self._memory if key not in self._used]:
            del self._memory[key]
            self._unsaved.discard(key)

    # --- files ---

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def _read(self, key: str) -> _Entry | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            header_line, _, payload = data.partition(b"\n")
            header = json.loads(header_line)
            if header != {"format": FORMAT, "key": key, "sha256": hashlib.sha256(payload).hexdigest()}:
                raise ValueError("header does not match")
            record = json.loads(payload)
            hits = tuple(map(tuple, record["hits"]))
            return _Entry(decode(AnnotatedDocument, record["document"]), str(record["scanned"]), hits, str(record["aliases"]))
        except _DAMAGED:
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def _write(self, key: str, entry: _Entry) -> None:
        payload = json.dumps(
            {"aliases": entry.checked_with, "hits": entry.hits, "scanned": entry.scanned, "document": encode(AnnotatedDocument, entry.document)},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8", "surrogatepass")
        header = json.dumps({"format": FORMAT, "key": key, "sha256": hashlib.sha256(payload).hexdigest()}).encode()
        path = self._path(key)
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(header + b"\n" + payload)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _prepare_folder(self) -> None:
        """The cache folder, tagged so that git and backup tools leave it alone."""
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        root = self.folder.parent
        for name, text in ((".gitignore", "# written by briefing\n*\n"), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            if not (root / name).is_file():
                (root / name).write_text(text, encoding="utf-8")

    def _delete_unused_files(self) -> None:
        assert self.folder is not None
        for shard in os.scandir(self.folder):
            if not shard.is_dir(follow_symlinks=False):
                continue
            for item in os.scandir(shard.path):
                if item.name.removesuffix(".json") not in self._used:
                    with contextlib.suppress(OSError):
                        os.unlink(item.path)



# --- the whole build: nothing to do when nothing changed ------------------------------------------------

INPUT_FOLDERS = ("seeds", "content", "templates")
# Every library whose version can change a byte of the output, the search index included.
_OUTPUT_LIBRARIES = ("markdown-it-py", "ftfy", "pyahocorasick", "jinja2", "markupsafe", "pyyaml", "pagefind", "pagefind-bin")


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """A digest of every file of this package (code and theme) and of the libraries the output depends on."""
    digest = hashlib.sha256(f"python {sys.version_info[:2]}\n".encode())
    for library in _OUTPUT_LIBRARIES:
        try:
            digest.update(f"{library} {metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} ?\n".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# Per input file: [size, mtime_ns, ctime_ns, inode, sha256 of its bytes].
InputStamps = dict[str, list]


def inputs_digest(config: Any, known: InputStamps | None = None) -> tuple[str, InputStamps]:
    """A digest of everything a build of `config` reads: the settings, briefing.yaml, every file under
    seeds/, content/ and templates/ (followed through symbolic links), and the engine itself; with the
    stamps it was made from. A file whose status equals its stamp in `known` (the last build's) is not read
    again: any write changes a file's change time (ctime), which no tool can set back."""
    digest = hashlib.sha256(f"briefing build {FORMAT}\n{package_fingerprint()}\n{config!r}\n".encode())
    project = os.fspath(config.project)
    known = known or {}
    stamps: InputStamps = {}
    names = ["briefing.yaml"]
    for folder in INPUT_FOLDERS:
        names.extend(_walk(project, folder))
    for name in names:
        digest.update(b"\0" + os.fsencode(name) + b"\0")
        path = os.path.join(project, name)
        try:
            status = os.stat(path)
            stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
            previous = known.get(name)
            if isinstance(previous, list) and len(previous) == 5 and previous[:4] == stamp and isinstance(previous[4], str):
                content_digest = previous[4]
            else:
                with open(path, "rb") as file:
                    content_digest = hashlib.sha256(file.read()).hexdigest()
            stamps[name] = [*stamp, content_digest]
            digest.update(content_digest.encode())
        except OSError as error:
            digest.update(f"unreadable {error.errno}".encode())
    return digest.hexdigest(), stamps


def _walk(project: str, folder: str) -> list[str]:
    """Every file under the project's `folder`, as a project-relative path, sorted, following symbolic
    links once each."""
    files: list[str] = []
    seen: set[str] = set()
    skip = len(project) + 1
    for path, folders, names in os.walk(os.path.join(project, folder), followlinks=True):
        real = os.path.realpath(path)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        folders.sort()
        prefix = path[skip:].replace(os.sep, "/") + "/"
        files.extend(prefix + name for name in sorted(names))
    return files


@dataclass(frozen=True)
class RecordedBuild:
    """The result of a good build, as the CLI reports it."""

    diagnostics: tuple[Diagnostic, ...]
    documents: int
    actors: int
    pages: int  # HTML pages


class BuildRecord:
    """What the last good build of a project into one output folder read and wrote. When none of what it
    read has changed and the output folder is exactly as it left it (every file, with its size and time),
    building again would write the same bytes: the CLI reports the recorded result instead."""

    def __init__(self, project: Path, output: Path):
        self.output = output.absolute()
        name = hashlib.sha256(os.fsencode(self.output)).hexdigest()[:24]
        self.path = project / FOLDER / f"build-v{FORMAT}-{name}.json"

    _record: dict | None = None

    def _read(self) -> dict:
        if self._record is None:
            try:
                self._record = json.loads(self.path.read_bytes())
            except _DAMAGED:
                self._record = {}
            if not isinstance(self._record, dict):
                self._record = {}
        return self._record

    def input_stamps(self) -> InputStamps:
        """The stamps of the files the last good build read (see inputs_digest)."""
        stamps = self._read().get("stamps")
        return stamps if isinstance(stamps, dict) else {}

    def unchanged(self, inputs: str) -> RecordedBuild | None:
        try:
            record = self._read()
            if record.get("inputs") != inputs or record.get("output") != _manifest(self.output):
                return None
            diagnostics = tuple(
                Diagnostic(Location(str(path), int(line), int(column)), level, str(message))
                for path, line, column, level, message in record["diagnostics"]
                if level in ("error", "warning")
            )
            return RecordedBuild(
                diagnostics,
                int(record["documents"]),
                int(record["actors"]),
                int(record["pages"]),
            )
        except _DAMAGED:
            return None

    def save(self, inputs: str, result: RecordedBuild, stamps: InputStamps | None = None) -> None:
        """After a good build has written the output; a record that cannot be written is no record."""
        try:
            record = {
                "format": FORMAT,
                "inputs": inputs,
                "stamps": stamps or {},
                "diagnostics": [
                    [item.location.path, item.location.line, item.location.column, item.level, item.message] for item in result.diagnostics
                ],
                "documents": result.documents,
                "actors": result.actors,
                "pages": result.pages,
                "output": _manifest(self.output),
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=self.path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(record, file, separators=(",", ":"))
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(temporary)

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


def _manifest(output: Path) -> dict[str, list[int]] | None:
    """Every file in the output folder with its size, modification and change times; None when there is none."""
    if not output.is_dir():
        return None
    manifest: dict[str, list[int]] = {}
    folders = [(str(output), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    status = entry.stat(follow_symlinks=False)
                    manifest[prefix + entry.name] = [status.st_size, status.st_mtime_ns, status.st_ctime_ns]
    return dict(sorted(manifest.items()))

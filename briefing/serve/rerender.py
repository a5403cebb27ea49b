"""Graph -> HTML pages, rendering again only the pages whose inputs changed since the last rebuild.

A page's inputs are its template, the arguments it is rendered with (its context, the site settings,
its head links) and every lookup its templates make in the graph. The graph reaches the templates
through a proxy that records those lookups (`actor_by_slug['x']`, `documents|length`...) with the values
they returned. At the next rebuild a page is reused when its arguments are equal and none of its
recorded lookups touches what changed between the last graph and the new one (`_Changes`); a change of
template files or settings renders all. A briefing's page (render.Deferred) has its arguments made from
the recording proxy too, so it is reused on its lookups alone, without making its arguments. Values are
compared by identity first, then equality, so unchanged documents, which the analysis cache hands back as
the very same objects, cost almost nothing to compare. Output is byte-identical to `render.render_pages`:
the same templates render the same arguments (tests/test_incremental.py holds the two to that).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable

import jinja2

from ..config import SiteConfig
from ..model import Page
from ..stages import render
from ..stages.crosslink import Graph

_MISSING = object()


# --- recording what a page reads from the graph -------------------------------------------------------

# (graph attribute, kind of read, key) -> the value the read returned. Kinds: "item" (mapping[key] or
# .get(key), _MISSING when absent), "in" (key in mapping), "len", "all" (the whole value: iteration,
# .values(), or anything not tracked more finely).
Reads = dict[tuple[str, str, Any], Any]


class _TrackedGraph:
    def __init__(self, graph: Graph, reads: Reads):
        self._graph = graph
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._graph, name)
        if isinstance(value, dict):
            return _TrackedMapping(name, value, self._reads)
        if isinstance(value, (tuple, list)):
            return _TrackedSequence(name, value, self._reads)
        self._reads[(name, "all", None)] = value
        return value


class _TrackedMapping:
    def __init__(self, name: str, mapping: dict, reads: Reads):
        self._name, self._mapping, self._reads = name, mapping, reads

    def __getitem__(self, key: Any) -> Any:
        value = self._mapping[key]
        self._reads[(self._name, "item", key)] = value
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._mapping.get(key, _MISSING)
        self._reads[(self._name, "item", key)] = value
        return default if value is _MISSING else value

    def __contains__(self, key: Any) -> bool:
        found = key in self._mapping
        self._reads[(self._name, "in", key)] = found
        return found

    def __len__(self) -> int:
        self._reads[(self._name, "len", None)] = len(self._mapping)
        return len(self._mapping)

    def _whole(self) -> dict:
        self._reads[(self._name, "all", None)] = self._mapping
        return self._mapping

    def __iter__(self):
        return iter(self._whole())

    def keys(self):
        return self._whole().keys()

    def values(self):
        return self._whole().values()

    def items(self):
        return self._whole().items()


class _TrackedSequence:
    def __init__(self, name: str, items: tuple | list, reads: Reads):
        self._name, self._items, self._reads = name, items, reads

    def __len__(self) -> int:
        self._reads[(self._name, "len", None)] = len(self._items)
        return len(self._items)

    def _whole(self) -> tuple | list:
        self._reads[(self._name, "all", None)] = self._items
        return self._items

    def __iter__(self):
        return iter(self._whole())

    def __getitem__(self, index: Any) -> Any:
        return self._whole()[index]

    def __contains__(self, item: Any) -> bool:
        return item in self._whole()


# --- the renderer ------------------------------------------------------------------------------------

class _Changes:
    """What differs between the graph of the last rebuild and this one's, field by field: for a mapping,
    which keys now give another value (compared by identity first, then equality) and whether its length
    changed; for anything else, whether it is unequal. Worked out once per field, when a page first asks.
    Every page kept from the last rebuild held against that graph, so a page none of whose lookups touch a
    change holds against this one: asking this costs a set lookup per field a page read, not a lookup and a
    comparison per read."""

    def __init__(self, old: Graph | None, new: Graph, names: set[str]):
        self.old, self.new = old, new
        self._names = names  # every field a remembered page read
        self._fields: dict[str, tuple[bool, set | None, bool]] = {}  # name -> (changed, changed keys, length changed)
        self._changed: set[str] | None = None

    def field(self, name: str) -> tuple[bool, set | None, bool]:
        if name not in self._fields:
            old, new = getattr(self.old, name, _MISSING), getattr(self.new, name, _MISSING)
            if old is new:
                self._fields[name] = (False, set(), False)
            elif isinstance(old, dict) and isinstance(new, dict):
                keys = {key for key, value in new.items() if (was := old.get(key, _MISSING)) is not value and was != value}
                keys.update(old.keys() - new.keys())
                self._fields[name] = (bool(keys), keys, len(old) != len(new))
            else:
                changed = old != new
                self._fields[name] = (changed, None, changed)
        return self._fields[name]

    def touch(self, page: "_Rendered") -> bool:
        """Whether a lookup the page made gives something else in the new graph. Most pages read no field
        that changed: one set intersection tells, and only the lookups of changed fields are looked at."""
        for name in page.fields.intersection(self.changed_fields()):
            changed, keys, length_changed = self.field(name)
            for kind, key in page.reads_by_field[name]:
                if kind in ("item", "in"):
                    if keys is None or key in keys:
                        return True
                elif kind != "len" or length_changed:
                    return True
        return False

    def changed_fields(self) -> set[str]:
        """The names of the graph's fields, and of what pages read through it, that changed (once per rebuild)."""
        if self._changed is None:
            self._changed = {name for name in self._names if self.field(name)[0]}
        return self._changed


class _Rendered:
    """A page as rendered, with what it was made from: its template, its arguments (None for a
    render.Deferred page, made from the lookups alone) and the graph lookups it made, by field."""

    def __init__(self, template: str, arguments: dict[str, Any] | None, reads: Reads, content: bytes):
        self.template, self.arguments, self.content = template, arguments, content
        self.reads_by_field: dict[str, list[tuple[str, Any]]] = {}
        for name, kind, key in reads:
            self.reads_by_field.setdefault(name, []).append((kind, key))
        self.fields = frozenset(self.reads_by_field)

    def still_valid(self, template: str, arguments: dict[str, Any] | render.Deferred, changes: _Changes) -> bool:
        if self.template != template:
            return False
        if isinstance(arguments, render.Deferred):
            if self.arguments is not None:
                return False
        elif self.arguments is None or self.arguments != arguments:
            return False
        return not changes.touch(self)


class PageRenderer:
    """Drop-in for `render.render_pages` that remembers each page between calls. One per preview session;
    not shared between threads.

    Most pages (each briefing's and each actor's) come as a `render.Deferred`: their arguments are made
    from the graph behind the recording proxy too, so a page whose lookups all give what they gave last
    time is reused without making its arguments at all; the others' arguments are made and compared."""

    def __init__(self) -> None:
        self._pages: dict[str, _Rendered] = {}
        self._setup: tuple[SiteConfig, str, tuple] | None = None
        self._environment: jinja2.Environment | None = None
        self._graph: Graph | None = None  # the graph the remembered pages hold against
        self.rendered_paths: list[str] = []  # pages the last call rendered; the others it reused
        self.reused = 0

    def render_pages(
        self, graph: Graph, config: SiteConfig, pages: tuple = (), progress: Callable[[int, int], None] | None = None, jobs: int | None = None
    ) -> list[Page]:
        """`jobs` is accepted for the pipeline's sake; a preview renders the few changed pages in process."""
        # The free pages are part of every page's arguments (the site menu): a deferred page is not compared
        # by its arguments, so a change of them renders all, as a change of settings or templates does.
        setup = (config, templates_digest(config), pages)
        if setup != self._setup or self._environment is None:
            self._pages.clear()
            self._environment = render.make_environment(config)
            self._setup = setup
        environment = self._environment
        output: list[Page] = []
        remembered: dict[str, _Rendered] = {}
        self.rendered_paths, self.reused = [], 0
        contexts = list(render.page_arguments(graph, config, pages, defer=True))
        changes = _Changes(self._graph, graph, set().union(*(page.fields for page in self._pages.values())))
        for path, template, arguments in contexts:
            previous = self._pages.get(path)
            if previous is not None and previous.still_valid(template, arguments, changes):
                page = previous
                self.reused += 1
            else:
                reads: Reads = {}
                tracked = _TrackedGraph(graph, reads)
                made = arguments.make(tracked) if isinstance(arguments, render.Deferred) else arguments
                links = render.link_functions(path, config.base_url)
                text = environment.get_template(template).render(graph=tracked, **links, **made)
                kept = None if isinstance(arguments, render.Deferred) else arguments
                page = _Rendered(template, kept, reads, text.encode("utf-8"))
                self.rendered_paths.append(path)
            remembered[path] = page
            output.append(Page(path, page.content))
            if progress:
                progress(len(output), len(contexts))
        self._pages, self._graph = remembered, graph
        output.extend(render.theme_assets(config))
        return output

    @property
    def rendered(self) -> int:
        return len(self.rendered_paths)


def templates_digest(config: SiteConfig) -> str:
    """A digest of every template the pages can use: the packaged theme's and the project's own."""
    digest = hashlib.sha256()
    for root in (render.theme_dir() / "templates", config.project / "templates"):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            # templates/static/ holds assets, which are read afresh on every rebuild anyway.
            if path.is_file() and path.relative_to(root).parts[0] != "static":
                digest.update(str(path).encode() + b"\0" + _read(path) + b"\0")
    return digest.hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0unreadable"

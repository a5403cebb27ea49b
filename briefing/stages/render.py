"""Graph + config -> Pages in memory: every HTML page from the Jinja2 theme, plus the theme's assets.

A project's `templates/` folder overrides the packaged theme file by file (`templates/static/` its
assets). Autoescape and StrictUndefined are on: an unknown variable is a template bug, not an empty string.
"""
from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator

import jinja2
from markupsafe import Markup, escape

from .. import network, urls
from ..config import SiteConfig
from ..model import ACTOR_KINDS, Page
from ..parallel import ordered_map
from .crosslink import Graph

LATEST_ON_INDEX = 10
# The whole-network picture stays legible by drawing only the busiest actors and strongest links.
NETWORK_NODES = 80
NETWORK_EDGES = 200
NETWORK_LINKS_LISTED = 100
ACTORS_ON_INDEX = 12
# A timeline with more events than this is split into one page per month under an overview: one page of
# 30,000 events (10,000 documents) weighs 33 MB, takes seconds to render and cannot be read in a browser.
TIMELINE_PAGE_EVENTS = 500
# Past this many briefings the index is split the same way, by month of publication (undated ones on a page of
# their own): at 10,000 documents the single index weighs 4 MB and takes over a second to render.
DOCUMENTS_PAGE_LIMIT = 500
# A dossier section longer than this shows its newest entries (the latest dated events) and links to one page
# per year holding all of them. At 10,000 documents the busiest actor named in 5,000 briefings had a 6.6 MB
# dossier, 3.6 MB of it appearances and 1.9 MB statements. 100 leaves the dossiers of 80% of the actors whole
# (the median actor appears in 50 briefings), keeps a section to about 70 kB, and is still more than a reader
# scans before wanting a year instead.
APPEARANCES_ON_DOSSIER = 100
STATEMENTS_ON_DOSSIER = 100
EVENTS_ON_DOSSIER = 100
# Connections are ranked, not dated: past this many the dossier lists the strongest and links to one page per
# kind of the other actor (people, states...), each ranked the same way. Once the dated sections were cut, the
# busiest dossier's 915 connections with their evidence were 668 of its 852 kB.
CONNECTIONS_ON_DOSSIER = 100
# A year of such a section with more entries than this has one page per month instead: the busiest actor at
# 10,000 documents appears in 1,700 briefings of one year, a page of 1.2 MB.
DOSSIER_YEAR_LIMIT = 500
# A dossier section's key in its part pages' context.
SECTION_KEYS = {"statements": "remarks", "appearances": "appearances", "timeline": "events"}
# A dossier section's heading and what it counts, for its year pages.
SECTION_LABELS = {
    "statements": ("Statements", "statement"),
    "appearances": ("Appearances", "briefing"),
    "timeline": ("Timeline", "dated event"),
    "connections": ("Connections", "actor"),
}
KIND_LABELS = {
    "person": "People",
    "state": "States",
    "organization": "Organizations",
    "media": "Media",
    "group": "Groups",
    "other": "Other",
}


def theme_dir() -> Path:
    return Path(str(resources.files("briefing") / "theme"))


def make_environment(config: SiteConfig) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    project_templates = config.project / "templates"
    if project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.FileSystemLoader(str(theme_dir() / "templates")))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["long_date"] = format_long_date
    environment.filters["highlight"] = highlight
    environment.filters["month_name"] = format_month
    environment.filters["period_name"] = format_period
    environment.globals.update(
        urls=urls, actor_kinds=actor_kinds, KIND_LABELS=KIND_LABELS, SECTION_LABELS=SECTION_LABELS
    )
    return environment


# Templates link with these; each makes a link relative to the page being rendered. They are made for each
# page (`link_functions`) and handed to its templates beside the page's arguments, as plain functions:
# a function that asked Jinja for the page's context would cost a context per call inside every loop.
# The one exception is 404.html with a base URL: a host serves it at whatever address was missing, at
# any depth, where only absolute links still work.
def link_functions(page_path: str, base_url: str) -> dict[str, Callable[..., str]]:
    if base_url and page_path == urls.not_found_path():
        def href(target: str) -> str:
            return urls.absolute_url(base_url, target)
    else:
        to_root = urls.root_prefix(page_path)

        def href(target: str) -> str:
            if target.partition("#")[0] == page_path:
                return urls.relative_url(target, page_path)
            return to_root + target

    def actor_href(slug: str, anchor: str = "") -> str:
        return href(urls.actor_path(slug) + (f"#{anchor}" if anchor else ""))

    def document_href(slug: str, anchor: str = "") -> str:
        return href(urls.document_path(slug) + (f"#{anchor}" if anchor else ""))

    return {"href": href, "actor_href": actor_href, "document_href": document_href}


@jinja2.pass_context
def actor_kinds(context: jinja2.runtime.Context, slugs) -> list[str]:
    """The distinct kinds of these actors, in ACTOR_KINDS order."""
    kinds = {context["graph"].actor_by_slug[slug].kind for slug in slugs}
    return [kind for kind in ACTOR_KINDS if kind in kinds]


def highlight(text: str, spans: tuple[tuple[int, int], ...]) -> Markup:
    """Escaped `text` with each (start, end) span wrapped in <mark>."""
    pieces: list[str] = []
    position = 0
    for start, end in sorted(spans):
        if start < position or end > len(text):
            continue
        pieces += (escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return Markup("".join(pieces))  # every piece of text is escaped above; the rest is our own markup


@functools.lru_cache(maxsize=4096)
def format_long_date(date: datetime.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "Undated"


def format_month(date: datetime.date) -> str:
    """'September 2024'."""
    return f"{date:%B %Y}"


def format_period(period: tuple[int | None, int | None]) -> str:
    """A part of a dossier section: (2024, None) -> '2024', (2024, 9) -> 'September 2024', (None, None) ->
    'Undated'."""
    year, month = period
    if year is None:
        return "Undated"
    return format_month(datetime.date(year, month, 1)) if month else str(year)


def render_pages(
    graph: Graph, config: SiteConfig, pages: tuple = (), progress: Callable[[int, int], None] | None = None, jobs: int | None = None
) -> list[Page]:
    return list(iter_pages(graph, config, pages, progress, jobs))


def iter_pages(
    graph: Graph, config: SiteConfig, pages: tuple = (), progress: Callable[[int, int], None] | None = None, jobs: int | None = None
) -> Iterator[Page]:
    """Every HTML page and theme asset, one at a time, in a fixed order (rendered by `jobs` processes)."""
    environment = make_environment(config)
    arguments = list(page_arguments(graph, config, pages))
    templates = {template: environment.get_template(template) for template in sorted({template for _, template, _ in arguments})}

    def render(item: tuple[str, str, dict]) -> Page:
        path, template, page_arguments = item
        links = link_functions(path, config.base_url)
        return Page(path, templates[template].render(graph=graph, **links, **page_arguments).encode("utf-8"))

    for done, page in enumerate(ordered_map(render, arguments, jobs), start=1):
        yield page
        if progress:
            progress(done, len(arguments))
    yield from theme_assets(config)


def page_arguments(graph: Graph, config: SiteConfig, pages: tuple = (), defer: bool = False) -> Iterator[tuple[str, str, dict | Deferred]]:
    """(output path, template, everything the template gets but the graph) for every HTML page; the one
    source for the full build and the preview server's incremental renderer, which asks to `defer` what
    can be (see Deferred)."""
    site = {
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "footer": config.footer,
        "base_url": config.base_url,
        "pages": pages,
    }

    def arguments(path: str, template: str, context: dict) -> dict:
        return {"site": site, "page_path": path, **head_context(path, template, context, config), **context}

    for path, template, context in page_contexts(graph, pages, defer):
        if isinstance(context, Deferred):
            yield path, template, Deferred(lambda graph, path=path, template=template, make=context.make: arguments(path, template, make(graph)))
        else:
            yield path, template, arguments(path, template, context)


def head_context(path: str, template: str, context: dict, config: SiteConfig) -> dict:
    """What base.html's <head> says about a page besides its title and description: its canonical address
    (only with a base URL; 404.html has none, as it stands in for missing addresses), its Open Graph type
    and its Atom feeds."""
    feeds = [(f"{config.title}: latest briefings", urls.feed_path())]
    if template == "actor.html":
        actor = context["actor"]
        feeds.append((f"{actor.name} · {config.title}", urls.actor_feed_path(actor.slug)))
    canonical = config.base_url and path != urls.not_found_path()
    return {
        "canonical_url": urls.absolute_url(config.base_url, path) if canonical else "",
        "og_type": "article" if template == "document.html" else "website",
        "feed_links": feeds,
    }


class Deferred:
    """A page's context, made on demand by `make(graph)`, which reads the graph only through its argument.
    The preview server's renderer hands it a graph that records each lookup, and the next rebuild makes the
    context again only when one of those lookups gives something else: most pages then cost a few lookups,
    not their whole context."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Graph], dict]):
        self.make = make


def page_contexts(graph: Graph, free_pages: tuple, defer: bool = False) -> Iterator[tuple[str, str, dict | Deferred]]:
    """(output path, template, context) for every HTML page, in a fixed order. With `defer`, the context of
    each briefing's page (most pages) is a Deferred instead."""

    def made(make: Callable[[Graph], dict]) -> dict | Deferred:
        return Deferred(make) if defer else make(graph)

    ranked_actors = sorted(graph.actors, key=lambda a: (-graph.stats_by_actor[a.slug].mentions, a.slug))
    yield urls.index_path(), "index.html", {
        "latest": graph.documents[:LATEST_ON_INDEX],
        "top_actors": [a for a in ranked_actors if graph.stats_by_actor[a.slug].mentions][:ACTORS_ON_INDEX],
    }
    yield from documents_index_contexts(graph)
    yield urls.actors_index_path(), "actors.html", {"groups": actors_by_kind(graph.actors)}
    for doc in graph.documents:
        yield urls.document_path(doc.slug), "document.html", made(functools.partial(document_context, slug=doc.slug))
    nodes = {actor.slug: network.Node(actor.slug, actor.name, actor.kind, graph.stats_by_actor[actor.slug].mentions) for actor in graph.actors}
    for actor in graph.actors:
        # A dossier and its parts' pages show slices and counts of the actor's lists: their contexts are made
        # and compared whole, which tells a dossier unchanged when only an older, split-off entry changed.
        slug = actor.slug
        parts = dossier_parts(graph, slug)
        yield urls.actor_path(slug), "actor.html", actor_context(graph, slug, parts, nodes)
        for section, periods in (("statements", parts.statement_years), ("appearances", parts.appearance_years), ("timeline", parts.event_years)):
            for period, items in periods:
                yield urls.actor_year_path(slug, section, *period), "actor-year.html", {
                    "actor": actor,
                    "section": section,
                    "period": period,
                    "count": len(items),
                    "parts": _uncounted(periods),
                    SECTION_KEYS[section]: tuple(items[::-1] if section == "timeline" else items),  # a period's events oldest first
                }
        for kind, items in parts.connection_kinds:
            yield urls.actor_connections_path(slug, kind), "actor-connections-kind.html", {
                "actor": actor,
                "kind": kind,
                "count": len(items),
                "parts": _uncounted(parts.connection_kinds),
                "connections": tuple(items),
            }
    yield from timeline_contexts(graph)
    yield urls.network_path(), "network.html", {
        "network_svg": network.network_svg(
            list(nodes.values()),
            [network.Edge(source, target, weight) for source, target, weight in graph.edges],
            _actor_link_from(urls.network_path()),
            max_nodes=NETWORK_NODES,
            max_edges=NETWORK_EDGES,
        ),
        "edges": graph.edges[:NETWORK_LINKS_LISTED],
    }
    yield urls.search_path(), "search.html", {}
    for page in free_pages:
        yield urls.free_page_path(page.slug), "page.html", {"page": page}
    yield urls.not_found_path(), "404.html", {}


def document_context(graph: Graph, slug: str) -> dict:
    doc = graph.document_by_slug[slug]
    actors = [(graph.actor_by_slug[actor], count) for actor, count in graph.actor_counts_by_document[slug]]
    older, newer = graph.neighbours[slug]
    return {
        "doc": doc,
        "statements": statements_by_sentence(graph.remarks_by_document.get(slug, ())),
        "actor_groups": actors_by_kind(actors, key=lambda item: item[0].kind),
        "source_actor": graph.actor_by_slug.get(graph.source_actor_by_document.get(slug, "")),
        "related": [graph.document_by_slug[other] for other in graph.related_by_document[slug]],
        "older": graph.document_by_slug.get(older) if older else None,
        "newer": graph.document_by_slug.get(newer) if newer else None,
    }


@dataclass(frozen=True)
class DossierParts:
    """An actor's long sections, split: [((year, month or None), items)] newest first (`_by_period`) for
    statements, appearances and dated events past their limits (empty when a section fits on the dossier),
    [(kind, connections)] likewise."""

    statement_years: list
    appearance_years: list
    event_years: list  # each period's events newest first, as the dossier's pages list periods
    connection_kinds: list


def dossier_parts(graph: Graph, slug: str) -> DossierParts:
    remarks = graph.remarks_by_actor.get(slug, ())
    appearances = graph.appearances_by_actor.get(slug, ())
    events = graph.events_by_actor.get(slug, ())
    connections = graph.connections_by_actor.get(slug, ())
    return DossierParts(
        statement_years=_periods(slug, "statements", remarks, STATEMENTS_ON_DOSSIER, lambda: _by_period(remarks, lambda remark: remark.date)),
        appearance_years=_periods(
            slug, "appearances", appearances, APPEARANCES_ON_DOSSIER,
            lambda: _by_period(appearances, lambda appearance: graph.document_by_slug[appearance.document].date),
        ),
        # Events are listed oldest first: the dossier keeps the latest, and lists the years newest first.
        event_years=_periods(slug, "timeline", events, EVENTS_ON_DOSSIER, lambda: _by_period(events[::-1], lambda event: event.date)),
        connection_kinds=(
            actors_by_kind(connections, key=lambda c: graph.actor_by_slug[c.actor].kind) if len(connections) > CONNECTIONS_ON_DOSSIER else []
        ),
    )


# (actor, section) -> (the list last grouped, the limits then, its periods). A preview rebuild keeps an
# unchanged actor's lists as the very same tuples (crosslink patches only the changed actors'), and the
# dates they are grouped by cannot change without the lists being made anew; so the busiest actors'
# thousands of entries are not grouped again at every rebuild. Only the latest list per section is kept.
_PERIODS: dict[tuple[str, str], tuple[tuple, tuple[int, int], list]] = {}


def _periods(slug: str, section: str, items: tuple, limit: int, grouped: Callable[[], list]) -> list:
    """The section's periods (`_by_period`) when it has more than `limit` entries, else none."""
    if len(items) <= limit:
        return []
    known = _PERIODS.get((slug, section))
    limits = (limit, DOSSIER_YEAR_LIMIT)
    if known is None or known[0] is not items or known[1] != limits:
        known = (items, limits, grouped())
        _PERIODS[(slug, section)] = known
    return known[2]


def actor_context(graph: Graph, slug: str, parts: DossierParts, nodes: dict[str, network.Node]) -> dict:
    actor = graph.actor_by_slug[slug]
    path = urls.actor_path(slug)
    connections = graph.connections_by_actor.get(slug, ())
    remarks = graph.remarks_by_actor.get(slug, ())
    appearances = graph.appearances_by_actor.get(slug, ())
    events = graph.events_by_actor.get(slug, ())
    return {
        "actor": actor,
        "stats": graph.stats_by_actor[slug],
        "remarks": remarks[:STATEMENTS_ON_DOSSIER] if parts.statement_years else remarks,
        "appearances": appearances[:APPEARANCES_ON_DOSSIER] if parts.appearance_years else appearances,
        "events": events[-EVENTS_ON_DOSSIER:] if parts.event_years else events,
        "statement_count": len(remarks),
        "appearance_count": len(appearances),
        "event_count": len(events),
        "statement_years": _year_counts(parts.statement_years),
        "appearance_years": _year_counts(parts.appearance_years),
        "event_years": _year_counts(parts.event_years),
        "connections": connections[:CONNECTIONS_ON_DOSSIER] if parts.connection_kinds else connections,
        "connection_count": len(connections),
        "connection_kinds": _year_counts(parts.connection_kinds),
        "ego_svg": _ego_svg(path, nodes[slug], tuple((nodes[c.actor], c.weight) for c in connections)) if connections else "",
        "members": list(graph.members_by_actor.get(slug, ())),
    }


def documents_index_contexts(graph: Graph) -> Iterator[tuple[str, str, dict]]:
    """The briefings index: one page while there are at most DOCUMENTS_PAGE_LIMIT briefings; past that, an
    overview of the months of publication (documents-months.html), newest year first as the timeline's, and one
    page per month with briefings, and one for the undated ones (documents-month.html), each listing its
    briefings as the single index does. A month page's context holds only its briefings and the months beside
    it, so an edit re-renders only the month of the briefing edited."""
    if len(graph.documents) <= DOCUMENTS_PAGE_LIMIT:
        yield urls.documents_index_path(), "documents.html", {"documents": graph.documents}
        return
    dated = [doc for doc in graph.documents if doc.date]  # newest first, the undated ones last
    undated = graph.documents[len(dated):]
    months = [
        (datetime.date(year, month, 1), documents)
        for (year, month), documents in _grouped(dated, key=lambda doc: (doc.date.year, doc.date.month))
    ]
    years = [
        (year, sum(len(documents) for _, documents in in_year), [(month, len(documents)) for month, documents in reversed(in_year)])
        for year, in_year in _grouped(months, key=lambda item: item[0].year)
    ]
    yield urls.documents_index_path(), "documents-months.html", {
        "document_count": len(graph.documents),
        "undated_count": len(undated),
        "first_month": months[-1][0] if months else None,
        "last_month": months[0][0] if months else None,
        "years": years,
    }
    for position, (month, documents) in enumerate(months):  # newest month first
        yield urls.documents_month_path(month.year, month.month), "documents-month.html", {
            "month": month,
            "documents": tuple(documents),
            "previous_month": months[position + 1][0] if position + 1 < len(months) else None,
            "next_month": months[position - 1][0] if position else None,
        }
    if undated:
        yield urls.documents_undated_path(), "documents-month.html", {
            "month": None,
            "documents": tuple(undated),
            "previous_month": None,
            "next_month": None,
        }


def timeline_contexts(graph: Graph) -> Iterator[tuple[str, str, dict]]:
    """The timeline: one page while it has at most TIMELINE_PAGE_EVENTS events; past that, an overview of the
    months (timeline-months.html) and one page per month with events (timeline-month.html). A month page's
    context holds only that month's events and the months beside it, so an edit in one month leaves the
    others' pages as they were (the preview server reuses them) and no page grows with the project."""
    if len(graph.events) <= TIMELINE_PAGE_EVENTS:
        yield urls.timeline_path(), "timeline.html", {
            "events_by_date": _grouped(graph.events, key=lambda event: event.date),
            "filter_actors": [actor for actor in graph.actors if graph.events_by_actor.get(actor.slug)],
            "kinds": [kind for kind in ACTOR_KINDS if any(a.kind == kind for a in graph.actors)],
        }
        return
    months = [
        (datetime.date(year, month, 1), events)
        for (year, month), events in _grouped(graph.events, key=lambda event: (event.date.year, event.date.month))
    ]
    years = [
        (year, sum(len(events) for _, events in in_year), [(month, len(events)) for month, events in in_year])
        for year, in_year in reversed(_grouped(months, key=lambda item: item[0].year))
    ]
    yield urls.timeline_path(), "timeline-months.html", {
        "event_count": len(graph.events),
        "first_month": months[0][0],
        "last_month": months[-1][0],
        "years": years,
    }
    for position, (month, events) in enumerate(months):
        slugs = {slug for event in events for slug in event.actors}
        actors = [actor for actor in graph.actors if actor.slug in slugs]
        yield urls.timeline_month_path(month.year, month.month), "timeline-month.html", {
            "month": month,
            "event_count": len(events),
            "events_by_date": _grouped(events, key=lambda event: event.date),
            "filter_actors": actors,
            "kinds": [kind for kind in ACTOR_KINDS if any(a.kind == kind for a in actors)],
            "previous_month": months[position - 1][0] if position else None,
            "next_month": months[position + 1][0] if position + 1 < len(months) else None,
        }


@functools.lru_cache(maxsize=4096)
def _ego_svg(page: str, center: network.Node, neighbours: tuple[tuple[network.Node, int], ...]) -> str:
    """An actor's connections drawn, remembered: the preview server asks again for every actor at every
    rebuild, and most have not changed."""
    return network.ego_svg(center, neighbours, _actor_link_from(page))


def _actor_link_from(page: str):
    return lambda slug: urls.relative_url(urls.actor_path(slug), page)


def _grouped(items, key) -> list[tuple]:
    """Consecutive items with the same key -> [(key, [items])], in order."""
    groups: list[tuple] = []
    for item in items:
        if groups and groups[-1][0] == key(item):
            groups[-1][1].append(item)
        else:
            groups.append((key(item), [item]))
    return groups


def _by_period(items, date_of) -> list[tuple[tuple[int | None, int | None], list]]:
    """Items listed newest first -> [((year, None), [items])] in that order, a year of more than
    DOSSIER_YEAR_LIMIT items as [((year, month), [items])] instead; items without a date (listed last) under
    (None, None)."""
    periods: list[tuple] = []
    for year, in_year in _grouped(items, key=lambda item: date.year if (date := date_of(item)) else None):
        if year is not None and len(in_year) > DOSSIER_YEAR_LIMIT:
            periods += [((year, month), in_month) for month, in_month in _grouped(in_year, key=lambda item: date_of(item).month)]
        else:
            periods.append(((year, None), in_year))
    return periods


def _year_counts(parts: list[tuple]) -> list[tuple]:
    return [(part, len(items)) for part, items in parts]


def _uncounted(parts: list[tuple]) -> list[tuple]:
    """The parts' links on the parts' own pages: without their counts, so that an entry added to one year
    renders again only that year's page (the dossier has the counts)."""
    return [(part, None) for part, _ in parts]


def statements_by_sentence(remarks) -> list[tuple]:
    """A document's statements as [(first remark, [speaker slugs])], one entry per sentence, in text order:
    a joint statement is shown once with all its speakers."""
    return [(group[0], [remark.actor for remark in group]) for _, group in _grouped(remarks, key=lambda r: r.anchor)]


def actors_by_kind(items: list, key=lambda actor: actor.kind) -> list[tuple[str, list]]:
    """Items grouped by actor kind, kinds in their fixed order, empty kinds left out."""
    groups = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return [(kind, groups[kind]) for kind in ACTOR_KINDS if groups[kind]]


def theme_assets(config: SiteConfig) -> list[Page]:
    """The packaged theme's static files, each overridable by the project's templates/static/."""
    assets = {}
    for root in (theme_dir() / "static", config.project / "templates" / "static"):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    assets[path.relative_to(root).as_posix()] = path.read_bytes()
    return [Page(urls.asset_path(name), content) for name, content in sorted(assets.items())]

"""The build, stage by stage: this function is the table of contents of the engine.

config -> load -> clean + annotate (mentions, statements, dates) -> crosslink -> render pages and data
-> check links; then, called by the CLI: write_output (pages, search index, swap)
"""
from __future__ import annotations

import contextlib
import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from .cache import AnalysisCache
from .config import SiteConfig
from .diagnostics import Diagnostics
from .mentions import MentionMatcher
from .model import Page
from .timings import Timings
from .parallel import ordered_map
from .stages.annotate import annotate_document
from .outputs.data import render_data
from .outputs import search
from .outputs.links import check_links, page_inputs
from .outputs.feeds import render_feeds
from .outputs.sitemap import render_sitemap
from .stages.crosslink import Graph, build_crosslinks, report_coverage
from .stages.load import load_project
from .stages.render import render_pages
from .stages.write import write_site


# progress(stage, done, total): called as a long stage advances; the CLI draws it on a terminal.
Progress = Callable[[str, int, int], None]
T = TypeVar("T")


def _tracked(items: Iterable[T], total: int, stage: str, progress: Progress | None) -> Iterator[T]:
    for done, item in enumerate(items, start=1):
        yield item
        if progress:
            progress(stage, done, total)


@dataclass(frozen=True)
class Site:
    graph: Graph
    pages: tuple[Page, ...]


def build_site(
    config: SiteConfig,
    report: Diagnostics,
    timings: Timings | None = None,
    progress: Progress | None = None,
    cache: AnalysisCache | None = None,
    render_html: Callable[..., list[Page]] = render_pages,
    jobs: int | None = None,
) -> Site:
    """`cache` reuses the analysis of unchanged documents; `render_html` may be a renderer that re-renders
    only pages whose inputs changed (the preview server's). Either way the pages are those of a clean build."""
    timings = timings or Timings()
    with _collector_spared():
        return _build_site(config, report, timings, progress, cache, render_html, jobs)


@contextlib.contextmanager
def _collector_spared() -> Iterator[None]:
    """The build makes millions of objects that live until its end, so each full collection would walk all
    of them again and make the build quadratic; stages freeze what they made (`gc.freeze`), which the
    collector then leaves alone. Everything is handed back to it when the build ends."""
    try:
        yield
    finally:
        gc.unfreeze()


def _build_site(config, report, timings, progress, cache, render_html, jobs) -> Site:
    project = load_project(config, report)
    gc.freeze()
    timings.lap("load")
    # Detection needs every actor's aliases, so all profiles are loaded before any document is annotated.
    matcher = MentionMatcher(project.alias_index)
    link_all = config.mention_links == "all"
    sources = list(project.sources)
    if cache:
        annotated = cache.annotate_all(sources, project.alias_index, matcher, link_all, jobs)
    else:
        annotated = ordered_map(lambda source: annotate_document(source, matcher, link_all), sources, jobs)
    documents = list(_tracked(annotated, len(sources), "annotate", progress))
    gc.freeze()
    timings.lap("annotate")
    graph = build_crosslinks(project.actors, documents, project.alias_index)
    report_coverage(graph, report)
    gc.freeze()
    timings.lap("crosslink")
    render_progress = (lambda done, total: progress("render", done, total)) if progress else None
    pages = [*render_html(graph, config, project.pages, render_progress, jobs), *render_data(graph), *render_feeds(graph, config)]
    pages += render_sitemap(pages, graph, config)
    timings.lap("render")
    report.extend(check_links(pages, config, page_inputs(project)))
    timings.lap("links")
    return Site(graph=graph, pages=tuple(pages))


def write_output(site: Site, output: Path, timings: Timings | None = None) -> None:
    """The last stage: the pages into a staging folder, the search index built over them there, then the
    swap. Until the swap the previous site stays in place, so it is never without its index."""
    timings = timings or Timings()

    def index(staging: Path) -> None:
        with timings.nested("search"):
            search.index_search(staging)

    write_site(list(site.pages), output, before_swap=index)

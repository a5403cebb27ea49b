"""The build, stage by stage: this module is the table of contents of the engine.

config -> analyse: load -> clean + annotate (mentions, statements, dates) -> crosslink
       -> publish (`build`): pages rendered one at a time, each scanned for links and written into the
          staging folder as it comes, then the link check, the search index and the swap
       -> or build_site (`check`, the preview server, tests): the same pages in memory, links checked
"""
from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from .cache import AnalysisCache
from .config import SiteConfig
from .diagnostics import Diagnostic, Diagnostics
from .mentions import MentionMatcher
from .model import Page
from .timings import Timings
from .parallel import ordered_map
from .stages.annotate import annotate_document
from .outputs.data import data_paths, iter_data
from .outputs import search
from .outputs.links import check_links, check_summaries, page_inputs, summarize_page
from .outputs.feeds import feed_makers, render_feeds
from .outputs.sitemap import render_sitemap
from .stages.crosslink import CrosslinkMemo, Graph, build_crosslinks, report_coverage
from .stages.load import FileMemo, Project, load_project
from .stages.render import iter_pages, render_pages
from .stages.write import WriteReport, write_site


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
    # Files made only when first asked for (the preview's data exports and feeds): path -> maker.
    deferred: dict[str, Callable[[], bytes]] = field(default_factory=dict)

    def files(self) -> dict[str, bytes]:
        """Every file of the site, the deferred ones made now."""
        return {**{page.path: page.content for page in self.pages}, **{path: make() for path, make in self.deferred.items()}}


@dataclass
class Memory:
    """What the preview server keeps from one rebuild to the next, so that a rebuild after one edit redoes
    little more than what the edit touched (`build` makes a fresh one around its analysis cache, which is
    the only part kept on disk). Each part hands back exactly what a build from nothing makes
    (tests/test_incremental.py holds them to that)."""

    cache: AnalysisCache  # document analyses, by content
    files: FileMemo = field(default_factory=FileMemo)  # parsed project files, by file status
    crosslinks: CrosslinkMemo = field(default_factory=CrosslinkMemo)  # each document's share of the graph
    render_html: Callable[..., list[Page]] = render_pages  # e.g. a renderer that reuses unchanged pages
    check_links: Callable[..., list[Diagnostic]] = check_links  # e.g. IncrementalLinkCheck().check
    # Data exports and feeds made only when asked for (build_site): nothing in the pages depends on their
    # bytes, and making them again took about 6 s of every rebuild at 10,000 documents.
    defer_exports: bool = True


@dataclass(frozen=True)
class Analysis:
    """Everything the pages are made from."""

    project: Project
    graph: Graph


@dataclass(frozen=True)
class Published:
    html_pages: int
    written: WriteReport


def build_site(
    config: SiteConfig,
    report: Diagnostics,
    timings: Timings | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
    memory: Memory | None = None,
) -> Site:
    """The whole site in memory, its links checked. `memory` (the preview server's) reuses what earlier
    builds made from inputs that have not changed; either way the pages are those of a clean build."""
    timings = timings or Timings()
    with _collector_spared():
        analysis = analyse(config, report, timings, progress, jobs, memory)
        return _site_in_memory(analysis, config, report, timings, progress, jobs, memory)


def _site_in_memory(
    analysis: Analysis, config: SiteConfig, report: Diagnostics, timings: Timings, progress: Progress | None, jobs: int | None, memory: Memory | None
) -> Site:
    """Every file made into memory, then the link check."""
    render_html = memory.render_html if memory else render_pages
    deferred: dict[str, Callable[[], bytes]] | None = {} if memory and memory.defer_exports else None
    pages = list(make_pages(analysis, config, progress, render_html, jobs, deferred))
    timings.lap("render")
    files = [*pages, *(Page(path, b"") for path in deferred or ())]  # deferred files are link targets all the same
    report.extend((memory.check_links if memory else check_links)(files, config, page_inputs(analysis.project)))
    timings.lap("links")
    return Site(graph=analysis.graph, pages=tuple(pages), deferred=deferred or {})


def analyse(
    config: SiteConfig,
    report: Diagnostics,
    timings: Timings,
    progress: Progress | None = None,
    jobs: int | None = None,
    memory: Memory | None = None,
) -> Analysis:
    project = load_project(config, report, memory.files if memory else None)
    gc.freeze()
    timings.lap("load")
    # Detection needs every actor's aliases, so all profiles are loaded before any document is annotated.
    matcher = MentionMatcher(project.alias_index)
    link_all = config.mention_links == "all"
    sources = list(project.sources)
    cache = memory.cache if memory else None
    if cache:
        annotated = cache.annotate_all(sources, project.alias_index, matcher, link_all, jobs)
    else:
        annotated = ordered_map(lambda source: annotate_document(source, matcher, link_all), sources, jobs)
    documents = list(_tracked(annotated, len(sources), "annotate", progress))
    gc.freeze()
    timings.lap("annotate")
    graph = build_crosslinks(project.actors, documents, project.alias_index, memory.crosslinks if memory else None)
    report_coverage(graph, report)
    gc.freeze()
    timings.lap("crosslink")
    return Analysis(project, graph)


def make_pages(
    analysis: Analysis,
    config: SiteConfig,
    progress: Progress | None = None,
    render_html: Callable[..., Iterable[Page]] = iter_pages,
    jobs: int | None = None,
    deferred: dict[str, Callable[[], bytes]] | None = None,
) -> Iterator[Page]:
    """Every file of the site, one at a time: HTML pages and theme assets, data exports, feeds, sitemap.
    Given `deferred`, the data exports and feeds are not made but put there, path -> a function making it."""
    graph = analysis.graph
    render_progress = (lambda done, total: progress("render", done, total)) if progress else None
    paths = []
    for page in render_html(graph, config, analysis.project.pages, render_progress, jobs):
        paths.append(page.path)
        yield page
    if deferred is None:
        for page in itertools.chain(iter_data(graph), render_feeds(graph, config)):
            paths.append(page.path)
            yield page
    else:
        data = functools.cache(lambda: {page.path: page.content for page in iter_data(graph)})  # all tables at once
        deferred.update({path: functools.partial(lambda path: data()[path], path) for path in data_paths()})
        deferred.update(feed_makers(graph, config))
        paths += deferred
    yield from render_sitemap([Page(path, b"") for path in paths], graph, config)


class Abandoned(Exception):
    """The build found errors: nothing was swapped in."""


def publish(
    analysis: Analysis,
    config: SiteConfig,
    report: Diagnostics,
    output: Path,
    timings: Timings,
    progress: Progress | None = None,
    jobs: int | None = None,
    strict: bool = False,
) -> Published | None:
    """The pages written into the output's staging folder as they are rendered, each scanned for links on
    the way (its bytes are not kept), then the link check; with no errors (and, with `strict`, no warnings)
    the search index is built and the new site swapped in; else None, and the output is as it was."""
    inputs = page_inputs(analysis.project)
    if report.failed(strict):  # the input has errors already: report the link problems too, write nothing
        _site_in_memory(analysis, config, report, timings, progress, jobs, None)
        return None
    summaries, paths = [], []

    def scanned(pages: Iterable[Page]) -> Iterator[Page]:
        for page in pages:
            paths.append(page.path)
            summary = summarize_page(page)
            if summary:
                summaries.append(summary)
            yield page

    def complete(staging: Path) -> Iterable[Page] | None:
        timings.lap("render")  # rendering and writing, interleaved
        read_page = lambda path: (staging / path).read_bytes()  # noqa: E731  (only pages with a broken link)
        report.extend(check_summaries(summaries, paths, config, inputs, read_page))
        timings.lap("links")
        if report.failed(strict):
            raise Abandoned
        with timings.nested("search"):
            return search.index_search(staging)

    with _collector_spared():
        try:
            written = write_site(scanned(make_pages(analysis, config, progress, jobs=jobs)), output, before_swap=complete)
        except Abandoned:
            return None
    timings.lap("write")
    return Published(sum(1 for path in paths if path.endswith(".html")), written)


@contextlib.contextmanager
def _collector_spared() -> Iterator[None]:
    """The build makes millions of objects that live until its end, so each full collection would walk all
    of them again and make the build quadratic; stages freeze what they made (`gc.freeze`), which the
    collector then leaves alone. Everything is handed back to it when the build ends."""
    try:
        yield
    finally:
        gc.unfreeze()

"""The build, stage by stage: this function is the table of contents of the engine.

config -> load -> clean + annotate -> crosslink -> render -> (write, by the caller)
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from .config import SiteConfig
from .diagnostics import Diagnostics
from .mentions import MentionMatcher
from .model import Page
from .stages.annotate import annotate_document
from .stages.crosslink import Graph, build_crosslinks
from .stages.load import load_project
from .stages.render import render_pages


@dataclass
class Timings:
    """Seconds spent per stage, for --verbose and the benchmarks."""

    by_stage: dict[str, float] = field(default_factory=dict)
    _started: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.by_stage[stage] = now - self._started
        self._started = now


@dataclass(frozen=True)
class Site:
    graph: Graph
    pages: tuple[Page, ...]


def build_site(config: SiteConfig, report: Diagnostics, timings: Timings | None = None) -> Site:
    timings = timings or Timings()
    project = load_project(config, report)
    timings.lap("load")
    # Detection needs every actor's aliases, so all profiles are loaded before any document is annotated.
    matcher = MentionMatcher(project.alias_index)
    documents = [annotate_document(source, matcher, config.mention_links == "all") for source in project.sources]
    timings.lap("annotate")
    graph = build_crosslinks(project.actors, documents, project.alias_index)
    timings.lap("crosslink")
    pages = render_pages(graph, config, project.pages)
    timings.lap("render")
    return Site(graph=graph, pages=tuple(pages))

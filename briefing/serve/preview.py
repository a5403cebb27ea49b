"""A project under preview: build it, publish each good build to the reload channel, rebuild on change.

The first build and every rebuild run the same pipeline as `briefing build`, with the analysis cache and
the page renderer kept between rebuilds; nothing is written to the output folder. A rebuild with errors,
or one that raises, publishes its problems and keeps the last good site; the next good one replaces both.
"""
from __future__ import annotations

import gc
import threading
import time
import traceback
from pathlib import Path
from typing import Iterator, Mapping, TextIO

from ..cache import AnalysisCache
from ..config import load_config
from ..diagnostics import Diagnostic, Diagnostics, Location
from ..outputs.links import IncrementalLinkCheck
from ..pipeline import Memory, Site, Timings, build_site
from .livereload import Channel, Problem, Published
from .rerender import PageRenderer
from .watcher import Change, ChangeQueue, ProjectWatcher, describe


class PreviewSession:
    def __init__(self, project: Path, stdout: TextIO, stderr: TextIO, quiet: float = 0.15):
        self.project = project.absolute()
        self.stdout, self.stderr = stdout, stderr
        self.channel = Channel()
        self.cache = AnalysisCache.for_project(self.project)
        self.renderer = PageRenderer()
        self.links = IncrementalLinkCheck()
        self.memory = Memory(self.cache, render_html=self.renderer.render_pages, check_links=self.links.check)
        self.queue = ChangeQueue(quiet)
        self.watcher = ProjectWatcher(self.project, self.queue)
        self.last_timings = Timings()
        self.rebuilds = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Watches, builds once, then rebuilds on every batch of changes in a thread of its own. Watching
        starts before the first build, so that a save made while it runs is not missed."""
        self.watcher.start()
        self.build()
        self._thread = threading.Thread(target=self._rebuild_on_change, name="briefing-builder", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stops watching; a rebuild under way is abandoned with the process (the builder thread is a
        daemon, and the cache is only ever written file by file, each renamed into place)."""
        self.queue.close()
        self.watcher.stop()
        if self._thread is not None:
            self._thread.join(timeout=1.0)

    def _rebuild_on_change(self) -> None:
        # A change made during a rebuild lands in the queue and makes exactly one more batch.
        while (changes := self.queue.take()) is not None:
            self.build(changes)

    def build(self, changes: list[Change] | None = None) -> Published:
        try:
            return self._build(changes)
        finally:
            self.rebuilds += 1
            _settle_memory(self.rebuilds)

    def _build(self, changes: list[Change] | None) -> Published:
        started = time.perf_counter()
        what = f"{describe(changes)}: " if changes else ""
        report = Diagnostics()
        timings = Timings()
        try:
            config = load_config(self.project, None, report)
            # jobs=1: this process runs a server and a watcher thread, and forking beside threads is unsafe.
            site = build_site(config, report, timings, jobs=1, memory=self.memory)
        except Exception as error:  # a template error or an engine bug: report it, keep serving
            traceback.print_exc(file=self.stderr)
            report.items.append(_diagnostic_for(error, self.project))
            site = None
        self.last_timings = timings
        problems = tuple(Problem(item.level, str(item)) for item in report.sorted())
        for problem in problems:
            print(problem.text, file=self.stderr)
        if site is None or report.errors:
            errors, warnings = len(report.errors), len(report.warnings)
            kept = "still serving the last good site" if self.channel.current.built else "nothing to serve yet"
            print(
                f"{what}build failed ({errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}) "
                f"in {time.perf_counter() - started:.2f} s; {kept}",
                file=self.stderr,
            )
            self.stderr.flush()
            return self.channel.publish(None, problems)
        published = self.channel.publish(SiteFiles(site), ())  # before saying so: a reader of the line may ask at once
        documents, rendered = len(site.graph.documents), self.renderer.rendered + self.renderer.reused
        print(
            f"{what}{'rebuilt' if changes else 'built'} in {time.perf_counter() - started:.2f} s "
            f"({self.cache.analysed} of {documents} document{'s' * (documents != 1)} analysed, "
            f"{self.renderer.rendered} of {rendered} page{'s' * (rendered != 1)} rendered)",
            file=self.stdout,
        )
        self.stdout.flush()
        self.cache.save()
        return published


class SiteFiles(Mapping[str, bytes]):
    """A built site's files as the server reads them. The deferred ones (data exports and feeds) are made
    from that build's graph when first asked for, once, under a lock: the server answers from threads."""

    def __init__(self, site: Site):
        self._files = {page.path: page.content for page in site.pages}
        self._deferred = dict(site.deferred)
        self._lock = threading.Lock()

    def __getitem__(self, path: str) -> bytes:
        if path in self._files:
            return self._files[path]
        make = self._deferred[path]  # KeyError: no such file
        with self._lock:
            if path not in self._files:
                self._files[path] = make()
            return self._files[path]

    def __contains__(self, path: object) -> bool:
        return path in self._files or path in self._deferred

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._files), **dict.fromkeys(self._deferred)})

    def __len__(self) -> int:
        return len(self._files.keys() | self._deferred.keys())


FULL_COLLECTION_EVERY = 16  # rebuilds


def _settle_memory(rebuilds: int) -> None:
    """Between rebuilds the session keeps millions of objects of a large project alive (the site, its
    graph, the cached analyses); left in the collector's oldest generation they are traversed again and
    again while the next rebuild allocates, which made rebuilds of 10,000 documents a third slower. So the
    survivors are moved out of the collector's sight (`gc.freeze`) until the next rebuild. Garbage is
    mostly freed by reference counting as a rebuild replaces the last one's objects; the cycles among it
    are collected by a full collection after the first build and every FULL_COLLECTION_EVERY rebuilds
    after it (2 s at 10,000 documents)."""
    gc.unfreeze()
    gc.collect(2 if rebuilds % FULL_COLLECTION_EVERY == 1 else 1)
    gc.freeze()


def _diagnostic_for(error: Exception, project: Path) -> Diagnostic:
    """An exception as a diagnostic at the deepest template or engine line it came through."""
    message = str(getattr(error, "message", None) or error) or type(error).__name__
    frames = traceback.extract_tb(error.__traceback__)
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)  # template syntax errors
    if not (filename and line) and frames:
        template = [frame for frame in frames if frame.filename.endswith(".html")]
        frame = (template or frames)[-1]
        filename, line = frame.filename, frame.lineno or 0
        if not template:
            message = f"internal error, please report it: {type(error).__name__}: {message}"
    return Diagnostic(Location(_shown_path(filename or "briefing", project), line or 0), "error", message)


def _shown_path(filename: str, project: Path) -> str:
    path = Path(filename)
    for root in (project, Path(__file__).resolve().parents[2]):
        try:
            return path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            continue
    return path.as_posix()

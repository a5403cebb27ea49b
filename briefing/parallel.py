"""Both cores for the CPU-bound stages: an ordered map over forked worker processes.

Annotation and rendering are pure functions of data the parent already holds (sources and the mention
matcher; the graph and the compiled templates), so workers are forked after that data exists and inherit
it: nothing is sent to them but the index of the next item, and only results come back. The parent takes
results in input order, so the output is the same, byte for byte, whatever the number of workers.

Fork is used only where it is safe and cheap (Linux); elsewhere, with one CPU, for small inputs, or with
`jobs=1`, the map runs in the calling process.
"""
from __future__ import annotations

import collections
import gc
import itertools
import os
import sys
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Fewer items than this are not worth starting processes for.
MIN_ITEMS = 64
MAX_JOBS = 8
IN_FLIGHT = 3  # chunks per worker

# What the forked workers run: set in the parent just before the fork, inherited by the children.
_function: Callable | None = None
_items: Sequence | None = None


def default_jobs() -> int:
    """The CPUs this process may run on (BRIEFING_JOBS overrides), at most MAX_JOBS."""
    configured = os.environ.get("BRIEFING_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_JOBS))


def can_fork() -> bool:
    return sys.platform.startswith("linux")


def ordered_map(function: Callable[[T], R], items: Sequence[T], jobs: int | None = None, chunk: int = 0) -> Iterator[R]:
    """function(item) for each item, in order; over `jobs` forked processes when that pays."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(items) < MIN_ITEMS or not can_fork():
        yield from map(function, items)
        return
    import multiprocessing  # here: importing it costs a tenth of a second that small builds do not need

    global _function, _items
    chunk = chunk or max(1, min(64, len(items) // (jobs * 8)))
    spans = [(start, min(start + chunk, len(items))) for start in range(0, len(items), chunk)]
    _function, _items = function, items
    # Objects that exist before the fork are never collected by the children: keeping the collector off
    # them spares the copy-on-write pages a collection would touch.
    frozen_already = gc.get_freeze_count() > 0  # a build freezes what each stage made (pipeline.py)
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            # A few chunks in flight per worker: enough to keep them busy, few enough that results waiting
            # for a slow consumer (the writer) do not pile up in memory, as they would with pool.imap.
            waiting = iter(spans)
            running = collections.deque(pool.apply_async(_run_span, (span,)) for span in itertools.islice(waiting, IN_FLIGHT * jobs))
            while running:
                results = running.popleft().get()
                for span in itertools.islice(waiting, 1):
                    running.append(pool.apply_async(_run_span, (span,)))
                yield from results
    finally:
        if not frozen_already:
            gc.unfreeze()
        _function, _items = None, None


def _run_span(span: tuple[int, int]) -> list:
    assert _function is not None and _items is not None
    return [_function(_items[index]) for index in range(*span)]

"""Seconds per stage of a build, for --verbose and the benchmarks (its own module so that a build with
nothing to do need not import the engine)."""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Timings:
    """Seconds spent per stage, for --verbose and the benchmarks."""

    by_stage: dict[str, float] = field(default_factory=dict)
    _started: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.by_stage[stage] = now - self._started
        self._started = now

    @contextlib.contextmanager
    def nested(self, stage: str) -> Iterator[None]:
        """Times a stage that runs inside another one's lap, and leaves it out of that lap."""
        started = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - started
            self.by_stage[stage] = self.by_stage.get(stage, 0.0) + seconds
            self._started += seconds

#!/usr/bin/env python3
"""Time whole `briefing build` runs on synthetic projects and print the figures.

Corpora come from ../shared/bench/gen_corpus.py (deterministic, seeded). Each size is generated once into
a tmpfs folder (/dev/shm when present) and built in a fresh process, so the figures include start-up.

    python bench/build_bench.py                    # 1,000 docs / 200 actors and 10,000 / 1,000
    python bench/build_bench.py --sizes 2000:300 --runs 3
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def scratch_root() -> Path:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="briefing-bench-", dir=shm if shm.is_dir() else None))


def generate(docs: int, actors: int, root: Path) -> Path:
    project = root / f"corpus-{docs}-{actors}"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--docs", str(docs), "--actors", str(actors), "--out", str(project), "--format", "briefing", "--force"],
        check=True, stdout=subprocess.DEVNULL,
    )
    return project


def timed_build(project: Path, output: Path) -> tuple[float, dict[str, float], float]:
    """(wall seconds, seconds per stage, peak RSS in MiB) of one `build --verbose` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--project", str(project), "--output", str(output), "--verbose"],
        check=True, capture_output=True, text=True, env={**os.environ, "CI": "1"},
    )
    wall = time.perf_counter() - started
    stages = {name: float(seconds) for name, seconds in re.findall(r"^\s+(\w+)\s+([\d.]+) s$", result.stdout, re.M)}
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, stages, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000:200 10000:1000", help="space-separated DOCS:ACTORS pairs")
    parser.add_argument("--runs", type=int, default=1, help="builds per size; the median is printed")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and sites")
    args = parser.parse_args()
    if not GENERATOR.is_file():
        sys.exit(f"needs {GENERATOR} (the shared benchmark kit beside the repository)")
    root = scratch_root()
    print(f"{'docs':>7} {'actors':>7} {'pages':>7} {'cold s':>8} {'pages/s':>8} {'peak MiB':>9}  stages (s)")
    try:
        for size in args.sizes.split():
            docs, actors = (int(part) for part in size.split(":"))
            project = generate(docs, actors, root)
            expected = json.loads((project / "manifest.json").read_text())["expected_html_pages"]
            walls, peaks, stage_runs = [], [], []
            for _ in range(args.runs):
                output = root / "site"
                shutil.rmtree(output, ignore_errors=True)
                wall, stages, peak = timed_build(project, output)
                walls.append(wall)
                peaks.append(peak)
                stage_runs.append(stages)
            pages = sum(1 for _ in (root / "site").rglob("*.html"))
            wall = statistics.median(walls)
            stages = {name: statistics.median(run[name] for run in stage_runs) for name in stage_runs[0]}
            stage_text = " ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items())
            print(f"{docs:>7} {actors:>7} {pages:>7} {wall:>8.2f} {pages / wall:>8.0f} {max(peaks):>9.0f}  {stage_text}"
                  + ("" if pages >= expected else f"  (expected {expected} pages)"))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

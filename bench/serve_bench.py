#!/usr/bin/env python3
"""Time the preview server and the analysis cache, and print the figures.

For the shipped example and for synthetic projects (../shared/bench/gen_corpus.py, on /dev/shm):
  - `build` from nothing, `build` again with nothing changed (the build record says so), and `build` after one
    seed was edited (the analysis cache holds the others), each in a fresh process, with its stages;
  - `serve`: the first build of a preview session (the cache from the builds above is warm), then one seed
    edited on disk: the rebuild (with its stages and how much it analysed and rendered), the time from the
    save to the server answering with the new page, and, with Playwright and /usr/bin/chromium, to the new
    text being on screen in a tab that was open on that page.

    python bench/serve_bench.py                      # the example, then 10,000 documents / 1,000 actors
    python bench/serve_bench.py --sizes 2000:300 --edits 5
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def scratch_root() -> Path:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="briefing-serve-bench-", dir=shm if shm.is_dir() else None))


def snapshot_code(root: Path) -> Path:
    """A copy of the engine to time: the analysis cache is keyed by the engine's code, so an edit to the
    working tree while the benchmark runs must not turn a warm cache cold halfway."""
    code = root / "code"
    shutil.copytree(REPO / "briefing", code / "briefing", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "build.py", code / "build.py")
    sys.path.insert(0, str(code))
    return code


def example_project(root: Path) -> Path:
    project = root / "example"
    project.mkdir()
    for name in ("seeds", "content"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy2(REPO / "briefing.yaml", project / "briefing.yaml")
    return project


def synthetic_project(root: Path, docs: int, actors: int) -> Path:
    project = root / f"corpus-{docs}-{actors}"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--docs", str(docs), "--actors", str(actors), "--out", str(project), "--format", "briefing", "--force"],
        check=True, stdout=subprocess.DEVNULL,
    )
    return project


def timed_build(code: Path, project: Path, output: Path) -> tuple[float, dict[str, float]]:
    """(wall seconds, seconds per stage) of one `build --verbose` in a fresh process."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(code / "build.py"), "build", "--project", str(project), "--output", str(output), "--verbose"],
        check=True, capture_output=True, text=True, env={**os.environ, "CI": "1"},
    )
    stages = {name: float(seconds) for name, seconds in re.findall(r"^\s+(\w+)\s+([\d.]+) s$", result.stdout, re.M)}
    return time.perf_counter() - started, stages


def stage_text(stages: dict[str, float]) -> str:
    return " ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items())


def pick_seed(project: Path) -> tuple[Path, str]:
    """A seed to edit and an actor name the added sentence will mention."""
    seed = sorted((project / "seeds").iterdir())[len(list((project / "seeds").iterdir())) // 2]
    actor_file = sorted((project / "content" / "actors").glob("*.md"))[0]
    name = re.search(r"^name:\s*\"?(.+?)\"?\s*$", actor_file.read_text(encoding="utf-8"), re.M).group(1)
    return seed, name


class Bench:
    def __init__(self, project: Path, browser):
        from briefing.serve.preview import PreviewSession
        from briefing.serve.server import PreviewServer

        self.project = project
        self.stdout = io.StringIO()
        self.session = PreviewSession(project, self.stdout, io.StringIO())
        self.server = PreviewServer(self.session.channel, "127.0.0.1", 0)
        self.browser = browser

    def first_build(self) -> float:
        self.server.start()
        started = time.perf_counter()
        self.session.start()
        return time.perf_counter() - started

    def edit(self, seed: Path, actor: str, number: int, page_path: str) -> dict[str, float | str]:
        marker = f"Benchmark edit {number} by {actor}"
        tab = None
        if self.browser is not None:
            tab = self.browser.new_page()
            tab.goto(self.server.url + page_path)
        epoch = self.session.channel.current.epoch
        text = seed.read_text(encoding="utf-8")
        started = time.perf_counter()
        seed.write_text(text.rstrip("\n") + f"\n\n{actor} said on Monday that {marker.lower()} was read.\n", encoding="utf-8")
        self.session.channel.wait(str(epoch), timeout=3600)
        rebuilt = time.perf_counter() - started
        while marker.lower().encode() not in self._get(page_path):
            self.session.channel.wait(str(self.session.channel.current.epoch), timeout=3600)
        served = time.perf_counter() - started
        figures: dict[str, float | str] = {"rebuilt": rebuilt, "served": served}
        if tab is not None:
            tab.wait_for_function(f"() => document.body && document.body.innerText.toLowerCase().includes({json.dumps(marker.lower())})", timeout=3_600_000)
            figures["on screen"] = time.perf_counter() - started
            tab.close()
        figures["stages"] = stage_text(self.session.last_timings.by_stage)
        figures["work"] = f"{self.session.cache.analysed} analysed, {self.session.renderer.rendered} of {self.session.renderer.rendered + self.session.renderer.reused} pages rendered"
        return figures

    def _get(self, page_path: str) -> bytes:
        with urllib.request.urlopen(self.server.url + page_path, timeout=3600) as response:
            return response.read()

    def stop(self) -> None:
        self.server.stop()
        self.session.stop()


def open_browser():
    if not CHROMIUM.exists():
        return None, None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, None
    playwright = sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def measure(name: str, code: Path, project: Path, root: Path, edits: int, browser) -> None:
    output = root / f"site-{name.replace(' ', '-').replace('/', '-')}"
    seed, actor = pick_seed(project)
    cold, cold_stages = timed_build(code, project, output)
    unchanged, unchanged_stages = timed_build(code, project, output)
    seed.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{actor} said on Monday that the build benchmark was read.\n", encoding="utf-8")
    edited, edited_stages = timed_build(code, project, output)
    print(f"\n== {name}: {sum(1 for _ in (project / 'seeds').iterdir())} seeds, {sum(1 for _ in (project / 'content' / 'actors').iterdir())} actors")
    print(f"build, nothing cached       {cold:6.2f} s   {stage_text(cold_stages)}")
    print(f"build, nothing changed      {unchanged:6.2f} s   {stage_text(unchanged_stages)}")
    print(f"build, one seed edited      {edited:6.2f} s   {stage_text(edited_stages)}")
    bench = Bench(project, browser)
    try:
        first = bench.first_build()
        print(f"serve, first build          {first:6.2f} s   {stage_text(bench.session.last_timings.by_stage)}")
        page_path = _page_for(bench, seed.relative_to(project).as_posix())
        runs = [bench.edit(seed, actor, number, page_path) for number in range(1, edits + 1)]
    finally:
        bench.stop()
    for key in ("rebuilt", "served", "on screen"):
        values = [run[key] for run in runs if key in run]
        if values:
            label = {"rebuilt": "one edit: rebuilt", "served": "one edit: save -> served", "on screen": "one edit: save -> on screen"}[key]
            print(f"{label:<28}{statistics.median(values):6.2f} s   (median of {len(values)}: {', '.join(f'{v:.2f}' for v in values)})")
    print(f"  last rebuild: {runs[-1]['stages']}; {runs[-1]['work']}")


def _page_for(bench: Bench, relative: str) -> str:
    """The document page of the seed at `relative`, found through the data export the site carries."""
    documents = json.loads(bench.session.channel.current.pages["data/documents.json"])["documents"]
    return next(document["page"] for document in documents if document["seed"] == relative)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000:1000", help="space-separated DOCS:ACTORS pairs of synthetic projects ('' for none)")
    parser.add_argument("--edits", type=int, default=3, help="edits timed per project; the median is printed")
    parser.add_argument("--no-browser", action="store_true", help="skip the on-screen figure")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects and sites")
    args = parser.parse_args()
    root = scratch_root()
    code = snapshot_code(root)
    playwright, browser = (None, None) if args.no_browser else open_browser()
    print(f"briefing serve benchmark; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; scratch {root}")
    try:
        measure("example", code, example_project(root), root, args.edits, browser)
        for size in args.sizes.split():
            if not GENERATOR.is_file():
                sys.exit(f"needs {GENERATOR} (the shared benchmark kit beside the repository)")
            docs, actors = (int(part) for part in size.split(":"))
            measure(f"synthetic {docs}/{actors}", code, synthetic_project(root, docs, actors), root, args.edits, browser)
    finally:
        if browser is not None:
            browser.close()
            playwright.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

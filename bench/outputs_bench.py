#!/usr/bin/env python3
"""Time each output function (data exports, feeds, sitemap, link check, search index) on a synthetic
project, in one process, and print the figures; beside them, the same functions as a git revision had them
(`--baseline`, default HEAD), with a check that both made the same bytes.

The project is analysed and rendered once (load, annotate with the project's analysis cache, crosslink,
render the HTML); only the output functions are timed, each `--runs` times (the best run is printed).

    python bench/outputs_bench.py                               # 10,000 docs / 1,000 actors, generated
    python bench/outputs_bench.py --project /dev/shm/b/c10000   # an existing project (not written to)
    python bench/outputs_bench.py --baseline bf1b7b5 --only data links
    python bench/outputs_bench.py --profile data                # cProfile of one function, top 25
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import importlib.util
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import generate, scratch_root  # noqa: E402

from briefing.cache import AnalysisCache  # noqa: E402
from briefing.config import load_config  # noqa: E402
from briefing.diagnostics import Diagnostics  # noqa: E402
from briefing import pipeline  # noqa: E402
from briefing.model import Page  # noqa: E402
from briefing.stages.load import load_project  # noqa: E402
from briefing.stages.render import render_pages  # noqa: E402

MODULES = ("data", "feeds", "sitemap", "links", "search")


def load_revision(revision: str, name: str) -> ModuleType | None:
    """briefing/outputs/<name>.py as `revision` had it, imported beside the current one."""
    try:
        source = subprocess.run(["git", "show", f"{revision}:briefing/outputs/{name}.py"], cwd=REPO, check=True, capture_output=True).stdout
    except subprocess.CalledProcessError:
        return None
    module_name = f"briefing.outputs._baseline_{name}"
    spec = importlib.util.spec_from_loader(module_name, loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "briefing.outputs"
    sys.modules[module_name] = module
    exec(compile(source, f"{revision}:briefing/outputs/{name}.py", "exec"), module.__dict__)
    return module


def best_of(runs: int, function: Callable[[], object], clock: Callable[[], float] = time.process_time) -> tuple[float, object]:
    """The best of `runs` calls by `clock`: CPU seconds of this process by default, which other work on a
    busy machine does not inflate."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = clock()
        result = function()
        best = min(best, clock() - started)
    return best, result


def prepare(project: Path, output: Path):
    """The project analysed (with its analysis cache, which is never saved here) and its HTML rendered, by
    the pipeline itself with the output functions left out."""
    report = Diagnostics()
    config = load_config(project, output, report)
    captured: dict[str, object] = {}

    def render_html(graph, *args, **kwargs):
        analysed = time.perf_counter()
        captured.update(graph=graph, html=render_pages(graph, *args, **kwargs), analysed=analysed, rendered=time.perf_counter())
        return captured["html"]

    skipped = {name: getattr(pipeline, name) for name in ("render_data", "render_feeds", "render_sitemap", "check_links")}
    started = time.perf_counter()
    try:
        for name in skipped:
            setattr(pipeline, name, lambda *args, **kwargs: [])
        pipeline.build_site(config, report, memory=pipeline.Memory(AnalysisCache.for_project(project), render_html=render_html))
    finally:
        for name, function in skipped.items():
            setattr(pipeline, name, function)
    graph, html = captured["graph"], captured["html"]
    print(f"prepared {len(graph.documents):,} documents, {len(graph.actors):,} actors: analysis {captured['analysed'] - started:.1f} s, "
          f"HTML {captured['rendered'] - captured['analysed']:.1f} s ({len(html):,} pages, {sum(len(p.content) for p in html) / 1e6:,.0f} MB)")
    loaded = load_project(config, Diagnostics())
    gc.freeze()  # as the pipeline does: the collector leaves the build's long-lived objects alone
    return config, loaded, graph, html


def cases(module: ModuleType, name: str, config, loaded, graph, html: list[Page], scratch: Path) -> dict[str, Callable[[], object]]:
    """Label -> a call of one output function of `module`, returning what it made (pages, bytes or diagnostics)."""
    if name == "data":
        return {"render_data": lambda: module.render_data(graph)}
    if name == "feeds":
        return {"render_feeds": lambda: module.render_feeds(graph, config)}
    if name == "sitemap":
        with_base = config.__class__(**{**config.__dict__, "base_url": "https://example.org/briefing"})
        return {"render_sitemap (base URL)": lambda: module.render_sitemap(html, graph, with_base)}
    if name == "links":
        from briefing.outputs.links import page_inputs

        inputs = page_inputs(loaded)
        found = {"check_links": lambda: sorted(str(d) for d in module.check_links(html, config, inputs))}  # printed sorted
        if hasattr(module, "summarize_page"):
            found["summarize_page (each page)"] = lambda: [module.summarize_page(page) for page in html]
        return found
    if name == "search":
        site = scratch / "site"
        if not site.exists():  # written once, not timed
            for page in html:
                (site / page.path).parent.mkdir(parents=True, exist_ok=True)
                (site / page.path).write_bytes(page.content)

        def index() -> object:
            shutil.rmtree(site / "search" / "pagefind", ignore_errors=True)
            made = module.index_search(site)
            return len(made) if made else sum(1 for path in (site / "search" / "pagefind").rglob("*") if path.is_file())

        return {"index_search (files made)": index}
    raise ValueError(name)


def fingerprint(result: object) -> object:
    if isinstance(result, list) and result and isinstance(result[0], Page):
        return sorted((page.path, page.content) for page in result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", type=Path, help="an existing project (default: generate one)")
    parser.add_argument("--size", default="10000:1000", help="DOCS:ACTORS to generate when no --project is given")
    parser.add_argument("--baseline", default="HEAD", help="git revision to compare with ('' for none)")
    parser.add_argument("--only", nargs="+", choices=MODULES, default=list(MODULES))
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", choices=MODULES, help="print a cProfile of this module's functions instead")
    args = parser.parse_args()

    scratch = scratch_root()
    try:
        project = args.project
        if project is None:
            docs, actors = (int(n) for n in args.size.split(":"))
            project = generate(docs, actors, scratch)
        config, loaded, graph, html = prepare(project.resolve(), scratch / "output")
        current = {name: importlib.import_module(f"briefing.outputs.{name}") for name in MODULES}
        if args.profile:
            for label, call in cases(current[args.profile], args.profile, config, loaded, graph, html, scratch).items():
                print(f"--- {label}")
                profiler = cProfile.Profile()
                profiler.runcall(call)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            return
        print("seconds: CPU of this process, wall for the search index (Pagefind runs as a child process)")
        print(f"{'function':<30} {'baseline ' + args.baseline if args.baseline else '':>18} {'now':>10}  same output")
        for name in args.only:
            baseline = load_revision(args.baseline, name) if args.baseline else None
            now_cases = cases(current[name], name, config, loaded, graph, html, scratch)
            old_cases = cases(baseline, name, config, loaded, graph, html, scratch) if baseline else {}
            clock = time.perf_counter if name == "search" else time.process_time  # Pagefind is a child process
            for label, call in now_cases.items():
                old_seconds, old_result = best_of(args.runs, old_cases[label], clock) if label in old_cases else (None, None)
                seconds, result = best_of(args.runs, call, clock)
                same = "" if label not in old_cases else ("yes" if fingerprint(old_result) == fingerprint(result) else "NO")
                old = f"{old_seconds:8.2f} s" if old_seconds is not None else ""
                print(f"{label:<30} {old:>18} {seconds:8.2f} s  {same}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

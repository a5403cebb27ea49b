#!/usr/bin/env python3
"""Search index and link check at scale: print the figures.

Builds a synthetic project (../shared/bench/gen_corpus.py, as build_bench.py does) once per size, then
times, on the built site:
  - the Pagefind index over its briefing and actor pages (search/pagefind/), and its size: on disk in all,
    and what a reader's first search fetches (the scripts, the WebAssembly, the meta and filter indexes;
    then one index chunk per word and one fragment per result shown);
  - the link check over every page in memory (CPU seconds and MB/s of HTML).

    python bench/search_bench.py                     # 10,000 documents / 1,000 actors
    python bench/search_bench.py --sizes 1000:200 10000:1000
    python bench/search_bench.py --site path/to/site  # an already built site
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_bench import GENERATOR, generate, scratch_root  # noqa: E402

from briefing import urls  # noqa: E402
from briefing.config import SiteConfig  # noqa: E402
from briefing.model import Page  # noqa: E402
from briefing.outputs.links import check_links  # noqa: E402
from briefing.outputs.search import index_search  # noqa: E402

BUNDLE = urls.search_bundle_path("")
FIRST_SEARCH = ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-entry.json")


def build(project: Path, output: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--project", str(project), "--output", str(output), "--quiet"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "CI": "1"},
    )
    return time.perf_counter() - started


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"


def measure_index(site: Path) -> None:
    bundle = site / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    started = time.perf_counter()
    made = index_search(site)
    seconds = time.perf_counter() - started
    for page in made or ():  # the index comes back as pages (older versions wrote it into the site)
        (site / page.path).parent.mkdir(parents=True, exist_ok=True)
        (site / page.path).write_bytes(page.content)
    files = [path for path in bundle.rglob("*") if path.is_file()]
    total = sum(path.stat().st_size for path in files)
    fragments = [path.stat().st_size for path in (bundle / "fragment").iterdir()]
    chunks = [path.stat().st_size for path in (bundle / "index").iterdir()]
    interface = sum((bundle / name).stat().st_size for name in FIRST_SEARCH)
    wasm = sum(path.stat().st_size for path in bundle.glob("wasm.*.pagefind") if "unknown" not in path.name)
    meta = sum(path.stat().st_size for path in bundle.glob("pagefind.*.pf_meta"))
    filters = sum(path.stat().st_size for path in (bundle / "filter").iterdir())
    pages = sum(1 for _ in (site / "documents").glob("*/index.html")) + sum(1 for _ in (site / "actors").glob("*/index.html"))
    print(f"  index: {pages:,} pages in {seconds:.1f} s ({pages / seconds:,.0f} pages/s)")
    print(f"  index size: {kib(total)} in {len(files):,} files: {len(chunks)} word-index chunks (mean {kib(sum(chunks) // len(chunks))}, "
          f"largest {kib(max(chunks))}), {len(fragments):,} fragments (mean {sum(fragments) / len(fragments) / 1024:.1f} KiB)")
    print(f"  a first search fetches {kib(interface + wasm + meta + filters)}: interface {kib(interface)}, WebAssembly {kib(wasm)}, "
          f"meta index {kib(meta)}, filter indexes {kib(filters)}; then one word-index chunk per word and one fragment per result shown")


def measure_links(site: Path) -> None:
    pages = [
        Page(path.relative_to(site).as_posix(), path.read_bytes())
        for path in sorted(site.rglob("*"))
        if path.is_file() and not path.relative_to(site).as_posix().startswith(BUNDLE)
    ]
    html = sum(len(page.content) for page in pages if page.path.endswith(".html"))
    config = SiteConfig(project=site.parent, output=site)
    wall, cpu = time.perf_counter(), time.process_time()
    problems = check_links(pages, config)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    count = sum(1 for page in pages if page.path.endswith(".html"))
    print(f"  link check: {count:,} pages, {html / 1e6:,.0f} MB of HTML in {cpu:.1f} s CPU ({wall:.1f} s wall), "
          f"{html / 1e6 / cpu:,.0f} MB/s; {len(problems)} problems")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="*", default=["10000:1000"], help="DOCS:ACTORS pairs (default: 10000:1000)")
    parser.add_argument("--site", type=Path, help="measure this built site instead of generating projects")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and sites")
    args = parser.parse_args()
    if args.site:
        print(f"{args.site}:")
        measure_index(args.site)
        measure_links(args.site)
        return
    if not GENERATOR.is_file():
        sys.exit(f"needs {GENERATOR} (the shared benchmark kit beside the repository)")
    root = scratch_root()
    try:
        for size in args.sizes:
            docs, actors = (int(part) for part in size.split(":"))
            project = generate(docs, actors, root)
            site = root / f"site-{docs}"
            seconds = build(project, site)
            print(f"{docs:,} documents, {actors:,} actors: whole build {seconds:.1f} s")
            measure_index(site)
            measure_links(site)
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Figures for the hardening work, printed (no assertions):

1. a 10 MB article (plain text and Markdown) built through the command line: time and peak memory;
2. every CommonMark pathological case at full size: time to annotate it, and whether the link-scan budget
   sent it to plain paragraphs;
3. the swap: how often an observer polling site/ finds it missing while builds replace it, with the atomic
   exchange and with the two-rename fallback.

    python bench/hardening_bench.py                  # all three
    python bench/hardening_bench.py --only article --megabytes 20
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "hardening"))

PARAGRAPH = (
    "U.S. Secretary of State Antony Blinken said on Sept. 11 that Washington would discuss Ukraine's request "
    "with the U.K., and British Foreign Secretary David Lammy told reporters in Kyiv that no decision had been "
    "made. “We will keep working with our partners,” Blinken said, as President Volodymyr Zelensky urged allies "
    "to lift the restrictions on long-range strikes against Russia."
)


def article_project(root: Path, megabytes: int, suffix: str) -> Path:
    """The example project's actors and one seed of `megabytes` MB of news-like paragraphs."""
    project = root / f"article{suffix}"
    shutil.copytree(REPO / "content" / "actors", project / "content" / "actors")
    (project / "seeds").mkdir(parents=True)
    count = megabytes * 1024 * 1024 // (len(PARAGRAPH.encode()) + 2)
    paragraphs = [PARAGRAPH if n % 7 else f"**Update {n}.** " + PARAGRAPH for n in range(count)] if suffix == ".md" else [PARAGRAPH] * count
    body = "\n\n".join(paragraphs)
    (project / "seeds" / f"big{suffix}").write_text(f"---\ntitle: A big article\ndate: 2024-09-11\n---\n{body}\n", encoding="utf-8")
    (project / "briefing.yaml").write_text(f"max_file_size: {megabytes + 1} MB\n", encoding="utf-8")
    return project


def bench_article(megabytes: int) -> None:
    print(f"== a {megabytes} MB article, built with `python -m briefing build` in a fresh process")
    with tempfile.TemporaryDirectory() as folder:
        for suffix in (".txt", ".md"):
            project = article_project(Path(folder), megabytes, suffix)
            size = (project / "seeds" / f"big{suffix}").stat().st_size
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, "-m", "briefing", "build", "--project", str(project), "--verbose"],
                cwd=REPO, capture_output=True, text=True,
            )
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            page = project / "site" / "documents" / "big" / "index.html"
            pages = f"{page.stat().st_size / 1e6:.1f} MB page" if page.exists() else "no page"
            print(f"  {suffix:4} {size / 1e6:6.1f} MB  exit {result.returncode}  {seconds:6.1f} s  peak RSS (largest child so far) {peak:7.0f} MB  {pages}")
            for line in result.stdout.splitlines():
                if line.startswith("  "):
                    print("      " + line.strip())
            if result.returncode:
                print("      " + result.stderr.strip().replace("\n", "\n      ")[:2000])


PATHOLOGICAL_SCRIPT = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from test_pathological_markdown import cases, pathological_text
from briefing import markdown
from briefing.mentions import MentionMatcher
from briefing.model import DocumentMeta, Source
from briefing.stages.annotate import annotate_document
case = next(case for case in cases() if case["name"] == sys.argv[1])
text = pathological_text(case)
started = time.perf_counter()
complex_ = markdown.too_complex(text)
checked = time.perf_counter() - started
source = Source("x", "seeds/x.md", "text" if complex_ else "markdown", "x", DocumentMeta(), text, 1)
annotate_document(source, MentionMatcher({"a": "alpha"}))
print(json.dumps({"length": len(text), "check": checked, "total": time.perf_counter() - started, "plain": complex_}))
"""


def bench_pathological() -> None:
    from test_pathological_markdown import cases

    print("== CommonMark pathological cases at full size (check + annotate, one process each, 120 s limit)")
    worst = 0.0
    for case in cases():
        try:
            result = subprocess.run(
                [sys.executable, "-c", PATHOLOGICAL_SCRIPT, case["name"], str(REPO / "tests" / "hardening")],
                cwd=REPO, capture_output=True, text=True, timeout=120,
            )
            figures = json.loads(result.stdout)
        except subprocess.TimeoutExpired:
            print(f"  {case['name'][:48]:48}  TIMEOUT")
            continue
        per_char = figures["total"] / figures["length"] * 1e6
        if figures["length"] >= 1000:  # start-up costs dominate tiny inputs
            worst = max(worst, per_char)
        route = "plain paragraphs (budget spent)" if figures["plain"] else "Markdown"
        print(f"  {case['name'][:48]:48} {figures['length']:>9,} chars  {figures['total']:6.2f} s  {per_char:5.1f} µs/char  {route}")
    print(f"  worst: {worst:.1f} µs per character (inputs of 1,000+ characters), so a file at the 20 MB cap takes at most about {worst * 20 * 1024 * 1024 / 1e6:.0f} s")


def bench_swap(rounds: int) -> None:
    from briefing.stages import write
    from test_crash_safety import OBSERVER_SCRIPT, pages
    from hardening_support import child_env

    print(f"== site/ observed by another process during {rounds} replacements")
    for label, exchange in (("atomic exchange", write._exchange), ("two renames (fallback)", lambda first, second: False)):
        with tempfile.TemporaryDirectory() as folder:
            output, stop = Path(folder) / "out" / "site", Path(folder) / "stop"
            write.write_site(pages(0, 12), output)
            original, write._exchange = write._exchange, exchange
            observer = subprocess.Popen(
                [sys.executable, "-c", OBSERVER_SCRIPT, str(output / write.MARKER), str(stop)], env=child_env(), stdout=subprocess.PIPE, text=True
            )
            observer.stdout.readline()
            try:
                for round_ in range(rounds):
                    write.write_site(pages(round_ % 2, 12), output)
            finally:
                write._exchange = original
                stop.touch()
            polls, misses = map(int, observer.communicate()[0].split())
            print(f"  {label:24} {polls:>9,} polls, site/ missing {misses} times")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["article", "pathological", "swap"])
    parser.add_argument("--megabytes", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    if args.only in (None, "article"):
        bench_article(args.megabytes)
    if args.only in (None, "pathological"):
        bench_pathological()
    if args.only in (None, "swap"):
        bench_swap(args.rounds)


if __name__ == "__main__":
    main()

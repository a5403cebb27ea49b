#!/usr/bin/env python3
"""Time whole `briefing build` runs at several sizes, beside the peers, and print the figures (issue 6).

For each DOCS:ACTORS size, a deterministic project from ../shared/bench/gen_corpus.py is copied afresh for
every run and built in fresh processes with `build --verbose`:
  cold       no .briefing-cache, no output folder, nothing beside it (no spare site)
  no-change  the same build again
  one-edit   one seed (the middle one, sorted) gains one sentence naming the first actor, then built again
Printed per size: medians of wall seconds (whole process, start-up included), CPU seconds, pages per second,
peak memory (the largest process, exact, from wait4; and the whole process tree, sampled), and the seconds
of every stage the CLI prints (whatever stages it has). With --peers, ../shared/bench/run_peers.sh times the
peers on the same corpus in the same run and our times are printed as a ratio to theirs.

The engine timed is a snapshot of the repository's HEAD commit (--worktree: of the working tree), so that
edits made while the benchmark runs change nothing halfway.

    python bench/perf.py --sizes 1000:200 --peers              # develop: 1,000 documents, every peer
    python bench/perf.py --sizes 10000:1000 --peers hugo --runs 3 --json perf.json
    python bench/perf.py --sizes 1000:200 --disk               # corpus and output on disk, not /dev/shm
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"
GENERATOR = SHARED_BENCH / "gen_corpus.py"
RUN_PEERS = SHARED_BENCH / "run_peers.sh"
DEFAULT_SIZES = "1000:200 10000:1000 50000:5000"
ALL_PEERS = "hugo pelican mkdocs eleventy"
KINDS = ("cold", "no-change", "one-edit")
MIB = 1024 * 1024

# Targets of issue 6, at 10,000 documents and 1,000 actors.
TARGET_SIZE = (10000, 1000)
TARGET_NO_CHANGE_S = 1.0
TARGET_ONE_EDIT_S = 2.0
TARGET_PEAK_MIB = 300.0
LINEAR_TOLERANCE = 1.2  # seconds per document at a larger size within 20% of those at 10,000


# ---------------------------------------------------------------------------------------------- parsing

STAGE_LINE = re.compile(r"^  (\S(?:.*\S)?)\s+(\d+\.\d+) s$", re.M)
FILES_LINE = re.compile(r"^  files written (\d+) of (\d+), (\d+) deleted$", re.M)
BUILT_LINE = re.compile(r"^Built (\d+) documents?, (\d+) actors?, (\d+) pages? in ", re.M)


def parse_build_output(stdout: str) -> tuple[dict[str, float], int | None]:
    """The stage lines of `build --verbose` (`  load        7.266 s`), in order, and the page count of the
    `Built ...` line (None when the line is missing)."""
    stages: dict[str, float] = {}
    for name, seconds in STAGE_LINE.findall(stdout):
        stages[name] = stages.get(name, 0.0) + float(seconds)
    built = BUILT_LINE.search(stdout)
    return stages, int(built.group(3)) if built else None


def parse_files_written(stdout: str) -> tuple[int, int, int] | None:
    """(written, files, deleted) from `build --verbose`'s `  files written 31 of 11007, 0 deleted`."""
    found = FILES_LINE.search(stdout)
    return (int(found.group(1)), int(found.group(2)), int(found.group(3))) if found else None


def parse_peer_table(text: str) -> dict[tuple[str, int], dict[str, float | int | str | None]]:
    """peers.tsv as summarize.py writes it: one row per peer and size, '-' for a figure not measured."""
    lines = [line.split("\t") for line in text.splitlines() if line.strip()]
    if not lines:
        return {}
    header, rows = lines[0], lines[1:]
    table: dict[tuple[str, int], dict[str, float | int | str | None]] = {}
    for row in rows:
        cells = dict(zip(header, row))

        def number(column: str) -> float | None:
            value = cells.get(column, "-")
            return None if value in ("-", "None", "") else float(value)

        table[(cells["peer"], int(cells["N"]))] = {
            "cold_s": number("cold wall s"),
            "cold_cpu_s": number("cold cpu s"),
            "warm_s": number("warm wall s"),
            "dirty_s": number("dirty wall s"),
            "pages": None if cells.get("html pages", "None") == "None" else int(cells["html pages"]),
            "check": cells.get("check", ""),
            "peak_mib": number("peak RSS MiB"),
            "failed_runs": int(cells.get("non-zero exits", "0")),
            "runs": int(cells.get("runs", "0")),
        }
    return table


def parse_peer_versions(text: str) -> dict[str, str]:
    """versions.txt of setup_peers.sh: `hugo     hugo v0.168.0-...` -> {"hugo": "0.168.0"}."""
    versions = {}
    for line in text.splitlines():
        name, _, rest = line.partition(" ")
        found = re.search(r"v?(\d+\.\d+(?:\.\d+)?)", rest)
        if name and found:
            versions[name] = found.group(1)
    return versions


# ---------------------------------------------------------------------------------------------- measuring

@dataclass
class Run:
    """One build in a fresh process."""

    wall_s: float
    cpu_s: float  # user + system, the process and every descendant it waited for
    largest_mib: float  # peak RSS of the largest single process (exact, from wait4; what /usr/bin/time -v reports)
    tree_mib: float  # peak memory of the whole process tree (summed Pss, sampled; see TreeMemory)
    tree_rss_mib: float  # peak of the summed RSS of the process tree (sampled; an upper bound)
    stages: dict[str, float]
    pages: int | None
    load_average: float  # the machine's 1-minute load average as the build started (other work on it)
    files_written: tuple[int, int, int] | None = None  # (written, files in the site, deleted), when the CLI says


@dataclass
class SizeResult:
    docs: int
    actors: int
    pages: int | None = None
    output_mib: float | None = None
    runs: dict[str, list[Run]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    peers: dict[str, dict] = field(default_factory=dict)

    def median(self, kind: str, attribute: str) -> float | None:
        return statistics.median(getattr(run, attribute) for run in self.runs[kind]) if self.runs[kind] else None

    def median_stages(self, kind: str) -> dict[str, float]:
        names = list(dict.fromkeys(name for run in self.runs[kind] for name in run.stages))
        return {name: statistics.median(run.stages.get(name, 0.0) for run in self.runs[kind]) for name in names}

    def peak(self, kind: str) -> tuple[float, float, float]:
        """(largest process, process tree, process tree's summed RSS) in MiB, the highest over the runs."""
        return tuple(max((getattr(run, name) for run in self.runs[kind]), default=0.0) for name in ("largest_mib", "tree_mib", "tree_rss_mib"))


class TreeMemory:
    """Samples the memory of a process and its descendants while it runs. `rss` sums their resident sets
    every 20 ms (pages shared by forked workers count once per process: an upper bound); `footprint` sums
    their proportional sets (Pss: a shared page split among its sharers), read every 0.5 s while the tree
    has more than one process (reading it walks the page tables) and equal to the resident set otherwise."""

    PAGE = os.sysconf("SC_PAGE_SIZE")

    def __init__(self, pid: int):
        self.pid, self.rss, self.footprint, self._stop = pid, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> tuple[float, float]:
        """(peak summed RSS, peak footprint) in MiB."""
        self._stop.set()
        self._thread.join()
        return self.rss / MIB, self.footprint / MIB

    def _sample(self) -> None:
        next_pss = 0.0
        while not self._stop.wait(0.02):
            tree = self._tree(self.pid)
            rss = sum(self._rss(pid) for pid in tree)
            self.rss = max(self.rss, rss)
            if len(tree) == 1:
                self.footprint = max(self.footprint, rss)
            elif time.monotonic() >= next_pss:
                self.footprint = max(self.footprint, sum(self._pss(pid) for pid in tree))
                next_pss = time.monotonic() + 0.5

    @staticmethod
    def _tree(root: int) -> list[int]:
        pids, pending = [], [root]
        while pending:
            pid = pending.pop()
            pids.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as children:
                        pending.extend(int(child) for child in children.read().split())
            except OSError:
                pass
        return pids

    @classmethod
    def _rss(cls, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm") as statm:
                return int(statm.read().split()[1]) * cls.PAGE
        except (OSError, IndexError, ValueError):
            return 0

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                found = re.search(r"^Pss:\s+(\d+) kB", rollup.read(), re.M)
            return int(found.group(1)) * 1024 if found else 0
        except OSError:
            return 0


def timed_build(code: Path, project: Path, output: Path, log: Path) -> Run:
    """One `build --verbose` in a fresh process; its output goes to files so no pipe can fill and stall it."""
    command = [sys.executable, str(code / "build.py"), "build", "--project", str(project), "--output", str(output), "--verbose"]
    load_average = os.getloadavg()[0]
    with open(log.with_suffix(".out"), "w+") as out, open(log.with_suffix(".err"), "w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env={**os.environ, "CI": "1"})
        memory = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        tree_rss, tree = memory.stop()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        sys.exit(f"build failed (exit {process.returncode}): {' '.join(command)}\n{stdout}{stderr}")
    stages, pages = parse_build_output(stdout)
    largest = usage.ru_maxrss / 1024  # KiB on Linux
    return Run(wall, usage.ru_utime + usage.ru_stime, largest, max(tree, largest), max(tree_rss, largest), stages, pages, load_average, parse_files_written(stdout))


def generate(docs: int, actors: int, folder: Path) -> Path:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--docs", str(docs), "--actors", str(actors), "--out", str(folder), "--format", "briefing", "--force"],
        check=True, stdout=subprocess.DEVNULL,
    )
    return folder


def edit_one_seed(project: Path) -> Path:
    """The deterministic edit: the middle seed (sorted) gains one sentence naming the first actor (sorted)."""
    seeds = sorted((project / "seeds").iterdir())
    seed = seeds[len(seeds) // 2]
    actor_file = sorted((project / "content" / "actors").glob("*.md"))[0]
    name = re.search(r"^name:\s*\"?(.+?)\"?\s*$", actor_file.read_text(encoding="utf-8"), re.M).group(1)
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.rstrip("\n") + f"\n\n{name} said on Monday that the benchmark edit was read.\n", encoding="utf-8")
    return seed


def folder_mib(folder: Path) -> float:
    total = 0
    for parent, _, names in os.walk(folder):
        total += sum(os.lstat(os.path.join(parent, name)).st_size for name in names)
    return total / MIB


def measure_size(code: Path, pristine: Path, root: Path, runs: int, kinds: tuple[str, ...], result: SizeResult) -> None:
    for number in range(1, runs + 1):
        # The output in a folder of its own, removed whole: the writer keeps the site before last beside
        # the output (.site.spare) and would reuse it, so a leftover spare would make a cold build warm.
        project, output = root / "project", root / "out" / "site"
        for leftover in (project, output.parent):
            shutil.rmtree(leftover, ignore_errors=True)
        output.parent.mkdir()
        shutil.copytree(pristine, project)  # a fresh copy: no .briefing-cache, pristine seeds
        log = root / "logs" / f"n{result.docs}-run{number}"
        log.parent.mkdir(exist_ok=True)
        for kind in KINDS:
            if kind == "one-edit":
                edit_one_seed(project)
            if kind in kinds or kind == "cold":  # the other two need the cold build before them
                progress(f"  run {number}/{runs}: {kind} build")
                run = timed_build(code, project, output, log.with_name(f"{log.name}-{kind}"))
                result.runs[kind].append(run)
                progress(f"    {run.wall_s:.2f} s")
            if kind == "cold":
                result.pages = run.pages
                if number == runs:
                    result.output_mib = folder_mib(output)


def run_peers(peers: str, docs: int, actors: int, runs: int, root: Path, peers_dir: Path) -> dict[str, dict]:
    """run_peers.sh for one size, its corpora and results under `root` (the same file system as ours)."""
    results = root / "peer-results"
    env = {**os.environ, "PEERS_DIR": str(peers_dir), "CORPORA": str(root / "peer-corpora"), "RESULTS": str(results)}
    log = root / "logs" / f"peers-n{docs}.log"
    log.parent.mkdir(exist_ok=True)
    with open(log, "w") as out:
        finished = subprocess.run(
            ["bash", str(RUN_PEERS), "--sizes", f"{docs}:{actors}", "--peers", peers, "--runs", str(runs)],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    text = log.read_text()
    if finished.returncode != 0:
        sys.exit(f"run_peers.sh failed (exit {finished.returncode}):\n{text[-3000:]}")
    table = parse_peer_table((results / "peers.tsv").read_text())
    # The corpora of one size are large (50,000 documents in four formats): keep only the figures.
    shutil.rmtree(root / "peer-corpora", ignore_errors=True)
    return {peer: table[(peer, docs)] for peer in peers.split() if (peer, docs) in table}


# ---------------------------------------------------------------------------------------------- printing

def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def stage_text(stages: dict[str, float]) -> str:
    return "  ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items()) or "(none printed)"


def print_size(result: SizeResult, runs: int, versions: dict[str, str]) -> None:
    print(f"\n== {result.docs:,} documents / {result.actors:,} actors: {result.pages:,} pages, "
          f"{result.output_mib:,.0f} MiB written; median of {runs} run{'s' * (runs != 1)}; load average "
          f"{', '.join(f'{run.load_average:.1f}' for run in result.runs['cold'])} as the cold builds started")
    print(f"{'':<11}{'wall s':>9}{'cpu s':>9}{'cores':>7}{'pages/s':>9}   peak MiB: largest process, tree (Pss), tree (RSS)")
    measured = [kind for kind in KINDS if result.runs[kind]]
    for kind in measured:
        wall, cpu = result.median(kind, "wall_s"), result.median(kind, "cpu_s")
        largest, tree, tree_rss = result.peak(kind)
        rate = f"{result.pages / wall:>9,.0f}" if kind == "cold" and result.pages else f"{'':>9}"
        print(f"{kind:<11}{wall:>9.2f}{cpu:>9.2f}{cpu / wall:>7.2f}{rate}{largest:>12.0f}{tree:>8.0f}{tree_rss:>8.0f}")
    for kind in measured:
        files = result.runs[kind][-1].files_written
        written = f"  ({files[0]:,} of {files[1]:,} files written, {files[2]:,} deleted)" if files else ""
        print(f"  stages, {kind + ':':<11} {stage_text(result.median_stages(kind))}{written}")
    if result.peers:
        cold, unchanged, edited = (result.median(kind, "wall_s") for kind in KINDS)
        print(f"  peers, same run, same file system (ratio = ours / theirs; cold vs cold, no-change and one-edit vs their warm rebuild):")
        for peer, figures in result.peers.items():
            name = f"{peer} {versions.get(peer, '')}".strip()
            if not figures.get("cold_s"):
                print(f"    {name:<16} no figures (see the run_peers log)")
                continue
            warm = figures.get("warm_s")
            text = f"    {name:<16} cold {figures['cold_s']:7.2f} s  ours/theirs {cold / figures['cold_s']:6.2f}"
            if warm:
                text += f"   warm {warm:7.2f} s"
                text += f"  no-change {unchanged / warm:5.2f}" if unchanged is not None else ""
                text += f"  one-edit {edited / warm:5.2f}" if edited is not None else ""
            if figures.get("dirty_s"):
                text += f"   --dirty {figures['dirty_s']:.2f} s"
            text += f"   peak {figures['peak_mib']:.0f} MiB  pages {figures['pages']} {figures['check']}"
            if figures.get("failed_runs"):
                text += f"  ({figures['failed_runs']} runs exited non-zero)"
            print(text)


def print_summary(results: list[SizeResult]) -> None:
    """One line per size: the figures of the issue side by side, to see how they grow."""
    def seconds(value: float | None) -> str:
        return f"{value:>10.2f}" if value is not None else f"{'-':>10}"

    print(f"\n== summary (medians, whole-process wall seconds; peak MiB of the largest process / of the process tree)")
    print(f"{'docs':>7}{'actors':>7}{'pages':>8}{'cold':>10}{'no-change':>10}{'one-edit':>10}{'pages/s':>9}{'peak MiB':>15}  s per 1,000 docs (cold)")
    for r in results:
        cold = r.median("cold", "wall_s")
        largest, tree, _ = (max(values) for values in zip(*(r.peak(kind) for kind in KINDS if r.runs[kind])))
        print(f"{r.docs:>7}{r.actors:>7}{r.pages or 0:>8}{seconds(cold)}{seconds(r.median('no-change', 'wall_s'))}"
              f"{seconds(r.median('one-edit', 'wall_s'))}{(r.pages or 0) / cold:>9.0f}{f'{largest:.0f} / {tree:.0f}':>15}  {cold / r.docs * 1000:.2f}")


def print_targets(results: list[SizeResult]) -> None:
    """The targets of issue 6, judged at 10,000 documents / 1,000 actors, and linear growth beyond."""
    at_target = next((r for r in results if (r.docs, r.actors) == TARGET_SIZE), None)
    if at_target is None:
        return
    cold, unchanged, edited = (at_target.median(kind, "wall_s") for kind in KINDS)
    peak = max(at_target.peak(kind)[1] for kind in KINDS if at_target.runs[kind])
    print("\n== targets at 10,000 documents / 1,000 actors")
    rows = []
    hugo = at_target.peers.get("hugo", {}).get("cold_s")
    if hugo:
        rows.append(("cold build <= half of Hugo's", cold, hugo / 2, "s"))
    else:
        print("  cold build <= half of Hugo's: not judged (run with --peers hugo)")
    rows += [("no-change build < 1 s", unchanged, TARGET_NO_CHANGE_S, "s"), ("one-edit build < 2 s", edited, TARGET_ONE_EDIT_S, "s"),
             ("peak memory < 300 MiB (tree, Pss)", peak, TARGET_PEAK_MIB, "MiB")]
    for label, value, limit, unit in rows:
        if value is None:
            print(f"  {label:<30} not measured")
            continue
        verdict = "met" if value <= limit else f"NOT MET: {value / limit:.1f}x the target, {value - limit:,.1f} {unit} over"
        print(f"  {label:<30} {value:10,.2f} {unit:<4} (target {limit:,.2f} {unit})  {verdict}")
    base = at_target.median("cold", "wall_s") / at_target.docs
    for larger in (r for r in results if r.docs > at_target.docs):
        growth = larger.median("cold", "wall_s") / larger.docs / base
        verdict = "linear" if growth <= LINEAR_TOLERANCE else "NOT linear"
        print(f"  cold seconds per document at {larger.docs:,} / at 10,000: {growth:.2f}  {verdict} (within {LINEAR_TOLERANCE:.1f}x)")


# ---------------------------------------------------------------------------------------------- the run

def snapshot_code(root: Path, worktree: bool) -> tuple[Path, str]:
    """A copy of the engine and a description of it: HEAD's commit, or the working tree."""
    code = root / "code"
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    if worktree:
        shutil.copytree(REPO / "briefing", code / "briefing", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy2(REPO / "build.py", code / "build.py")
        return code, f"working tree on {commit}"
    code.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD", "briefing", "build.py"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    return code, f"commit {commit}"


def file_system(path: Path) -> str:
    best = ("", "?")
    for line in Path("/proc/mounts").read_text().splitlines():
        _, mount, kind, *_ = line.split()
        if str(path).startswith(mount.rstrip("/") + "/") and len(mount) > len(best[0]):
            best = (mount, kind)
    return best[1]


def machine() -> dict[str, str | int]:
    models = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    memory = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    return {
        "nproc": os.cpu_count() or 0,
        "cpu": models[0] if models else platform.processor(),
        "memory_gib": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else 0,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"space-separated DOCS:ACTORS pairs (default: {DEFAULT_SIZES})")
    parser.add_argument("--kinds", default=",".join(KINDS), help="which builds to time, comma-separated (cold always runs; default: %(default)s)")
    parser.add_argument("--runs", type=int, default=1, help="runs per size (cold, no-change, one-edit each); medians are printed (default: 1)")
    place = parser.add_mutually_exclusive_group()
    place.add_argument("--tmpfs", dest="disk", action="store_false", help="corpora and output on /dev/shm (the default)")
    place.add_argument("--disk", dest="disk", action="store_true", help="corpora and output in a folder on disk (/var/tmp)")
    parser.set_defaults(disk=False)
    parser.add_argument("--scratch", type=Path, help="where the corpora and output go instead (a new folder is made inside)")
    parser.add_argument("--peers", nargs="?", const=ALL_PEERS, default="", metavar="'NAMES'",
                        help=f"also time these peers with run_peers.sh in the same run (alone: '{ALL_PEERS}')")
    parser.add_argument("--peers-dir", type=Path, default=Path(tempfile.gettempdir()) / "briefing-bench" / "peers",
                        help="where setup_peers.sh installed the peers (default: %(default)s)")
    parser.add_argument("--worktree", action="store_true", help="time the working tree instead of the HEAD commit")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every run's raw figures here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (corpora, sites, build logs)")
    args = parser.parse_args()
    if not GENERATOR.is_file():
        sys.exit(f"needs {GENERATOR} (the shared benchmark kit beside the repository)")
    sizes = [tuple(int(part) for part in size.split(":")) for size in args.sizes.split()]
    kinds = tuple(kind.strip() for kind in args.kinds.split(","))
    if unknown := set(kinds) - set(KINDS):
        parser.error(f"unknown --kinds {', '.join(sorted(unknown))} (known: {', '.join(KINDS)})")
    parent = args.scratch or (Path("/var/tmp") if args.disk else Path("/dev/shm"))
    root = Path(tempfile.mkdtemp(prefix="briefing-perf-", dir=parent))
    code, engine = snapshot_code(root, args.worktree)
    versions = parse_peer_versions((args.peers_dir / "versions.txt").read_text()) if (args.peers_dir / "versions.txt").is_file() else {}
    host = machine()
    started = datetime.now(timezone.utc)
    print(f"briefing perf, {started:%Y-%m-%d %H:%M} UTC; {engine}; {host['nproc']} CPUs ({host['cpu']}), {host['memory_gib']} GiB; "
          f"Python {host['python']}; scratch {root} ({file_system(root)}); load average {os.getloadavg()[0]:.2f} at start")
    results: list[SizeResult] = []
    try:
        for docs, actors in sizes:
            progress(f"{docs:,} documents / {actors:,} actors: generating")
            pristine = generate(docs, actors, root / f"corpus-{docs}-{actors}")
            result = SizeResult(docs, actors)
            measure_size(code, pristine, root, args.runs, kinds, result)
            shutil.rmtree(pristine)
            if args.peers:
                progress(f"  peers: {args.peers}")
                result.peers = run_peers(args.peers, docs, actors, args.runs, root, args.peers_dir)
            results.append(result)
            print_size(result, args.runs, versions)
            if args.json:  # after every size, so that a run stopped halfway keeps what it measured
                args.json.write_text(json.dumps({
                    "started": started.isoformat(timespec="seconds"), "engine": engine, "machine": host,
                    "scratch": str(root), "file_system": file_system(root), "runs": args.runs, "peer_versions": versions,
                    "load_average": os.getloadavg()[0], "sizes": [asdict(result) for result in results],
                }, indent=1) + "\n")
        print_summary(results)
        print_targets(results)
        print(f"\nload average {os.getloadavg()[0]:.2f} at the end; {(datetime.now(timezone.utc) - started).total_seconds() / 60:.1f} min in all")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            progress(f"kept {root}")


if __name__ == "__main__":
    main()

"""Command line -> a build, diagnostics printed once, sorted, and an exit code.

Exit codes: 0 success; 1 the input has problems (each printed as path:line:col: level: message);
2 a usage error. Nothing else in the engine knows about argv, stdout or exit codes.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time
from pathlib import Path
from typing import Sequence, TextIO

from .cache import AnalysisCache, BuildRecord, RecordedBuild, inputs_digest
from .config import SiteConfig, check_base_url, load_config
from .diagnostics import Diagnostics
from .lock import LockError, output_lock
from .stages.write import OutputError, check_output, recover_output
from .timings import Timings

# The engine (pipeline, analysis, templates) is imported by the commands that run it, not here: a build
# with nothing to do answers before importing it.

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Build a cross-linked static briefing site from news documents and actor profiles.",
    )
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", type=Path, default=Path("."), metavar="DIR", help="the briefing project (default: the current folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", parents=[project], help="build the site (the default command)")
    build.add_argument("--output", type=Path, metavar="DIR", help="where the site goes (default: PROJECT/site)")
    build.add_argument("--base-url", type=_base_url_argument, metavar="URL", help="the address the site is published at, e.g. https://example.org/briefing")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    loudness = build.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    loudness.add_argument("-v", "--verbose", action="store_true", help="also print the time each stage took")
    check = commands.add_parser("check", parents=[project], help="build in memory and list every problem, broken links included; writes nothing")
    check.add_argument("--base-url", type=_base_url_argument, metavar="URL", help="check as published at this address, as build --base-url")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    suggest = commands.add_parser("suggest", parents=[project], help="list names in the text that look like actors missing from the registry")
    suggest.add_argument("--write", action="store_true", help="create a stub content/actors/<slug>.md for each suggestion (never overwrites)")
    suggest.add_argument("--limit", type=int, default=50, metavar="N", help="show at most N suggestions (default: 50)")
    serve = commands.add_parser("serve", parents=[project], help="preview the site: build, serve, rebuild on every change and reload open pages")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on; 0 picks a free one (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser once it is built")
    return parser


def _base_url_argument(text: str) -> str:
    try:
        return check_base_url(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0].startswith("-") and args_list[0] not in ("-h", "--help"):
        args_list.insert(0, "build")
    parser = make_parser()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command == "build":
            return run_build(args, stdout, stderr)
        if args.command == "check":
            return run_check(args, stdout, stderr)
        if args.command == "suggest":
            return run_suggest(args, stdout, stderr)
        if args.command == "serve":
            return run_serve(args, stdout, stderr)
    except UsageError as error:
        print(f"briefing: error: {error}", file=stderr)
        return EXIT_USAGE
    parser.print_help(stdout)
    return EXIT_USAGE


def _project_folder(args: argparse.Namespace) -> Path:
    project = args.project.absolute()
    if not project.is_dir():
        raise UsageError(f"project folder {args.project} does not exist")
    return project


def run_build(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    started = time.perf_counter()
    project = _project_folder(args)
    report = Diagnostics()
    config = load_config(project, args.output.absolute() if args.output else None, report, args.base_url)
    try:
        check_output(config.output, project)
    except OutputError as error:
        raise UsageError(str(error)) from None
    try:
        with output_lock(config.output):
            recover_output(config.output)  # what a killed build left behind
            return _run_locked_build(args, config, report, started, stdout, stderr)
    except LockError as error:
        raise UsageError(str(error)) from None


def _run_locked_build(args: argparse.Namespace, config: SiteConfig, report: Diagnostics, started: float, stdout: TextIO, stderr: TextIO) -> int:
    timings = Timings()
    progress = TerminalProgress(stderr) if not args.quiet and TerminalProgress.wanted(stderr) else None
    cache, record = AnalysisCache.for_project(config.project), BuildRecord(config.project, config.output)
    inputs, stamps = inputs_digest(config, record.input_stamps())
    # Nothing the last good build into this output read has changed, and the output is as it left it.
    recorded = record.unchanged(inputs)
    output_name = _display_path(config.output)
    published = None
    if recorded:
        report.extend(recorded.diagnostics)
        timings.lap("unchanged")
    else:
        from . import pipeline

        try:
            analysis = pipeline.analyse(config, report, timings, progress, memory=pipeline.Memory(cache))
        except OSError as error:  # a file that vanished or became unreadable after it was checked
            return _cannot_read(error, output_name, stderr)
        try:
            published = pipeline.publish(analysis, config, report, config.output, timings, progress, strict=args.strict)
        except OSError as error:  # a full disk, a file-size limit, a folder that became unwritable, a failed search index
            if progress:
                progress.clear()
            if _is_input(error.filename, config):  # a template or asset that vanished while the pages were made
                return _cannot_read(error, output_name, stderr)
            kept = f"{output_name} left unchanged" if config.output.exists() else "nothing written"
            print(f"briefing: error: cannot write the site: {error.strerror or error} ({error.filename or config.output}); {kept}.", file=stderr)
            return EXIT_INPUT
    if progress:
        progress.clear()
    for diagnostic in report.sorted():
        print(printable(str(diagnostic)), file=stderr)
    if report.failed(args.strict):
        errors, warnings = len(report.errors), len(report.warnings)
        counted = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        kept = f"{output_name} left unchanged" if config.output.exists() else "nothing written"
        print(f"Build failed ({counted}{', warnings are errors with --strict' if args.strict and warnings else ''}); {kept}.", file=stderr)
        return EXIT_INPUT
    if published is not None:
        recorded = RecordedBuild(tuple(report.sorted()), len(analysis.graph.documents), len(analysis.graph.actors), published.html_pages)
        cache.save()  # only after a good build: a failed one leaves no trace in the project
        record.save(inputs, recorded, stamps)
    if args.verbose:
        for stage, seconds in timings.by_stage.items():
            print(f"  {stage:<10} {seconds:8.3f} s", file=stdout)
        if published is not None:
            written = published.written
            print(f"  files written {written.written} of {written.files}, {written.deleted} deleted", file=stdout)
    if not args.quiet:
        print(
            f"Built {_count(recorded.documents, 'document')}, {_count(recorded.actors, 'actor')}, "
            f"{_count(recorded.pages, 'page')} in {time.perf_counter() - started:.2f} s -> {output_name}",
            file=stdout,
        )
    return EXIT_OK


def _cannot_read(error: OSError, output_name: str, stderr: TextIO) -> int:
    """A project file vanished or became unreadable after it was checked: say which, and that nothing changed."""
    print(f"briefing: error: cannot read {error.filename or 'a project file'}: {error.strerror or error}; {output_name} left unchanged.", file=stderr)
    return EXIT_INPUT


def _is_input(filename: object, config: SiteConfig) -> bool:
    """Whether a file named by an error is one of the project's own (not the output's)."""
    if not isinstance(filename, str) or not filename:
        return False
    path = Path(filename).absolute()
    output, project = config.output.absolute(), config.project.absolute()
    if output.parent in path.parents:  # the output, its staging folder and its spare: .site.spare, .site.staging-...
        first = path.relative_to(output.parent).parts[0]
        if first == output.name or first.startswith(f".{output.name}."):
            return False
    return project in path.parents


def run_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """A CI gate: the whole build in memory, every problem printed (broken links and anchors in the rendered
    pages too), exit 1 on errors (and on warnings with --strict). Nothing is written, not even the cache."""
    started = time.perf_counter()
    report = Diagnostics()
    config = load_config(_project_folder(args), None, report, args.base_url)
    from .pipeline import build_site

    site = build_site(config, report)
    for diagnostic in report.sorted():
        print(printable(str(diagnostic)), file=stderr)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors or (args.strict and warnings):
        strict = ", warnings are errors with --strict" if args.strict and warnings else ""
        print(f"Check failed ({_count(errors, 'error')}, {_count(warnings, 'warning')}{strict}).", file=stderr)
        return EXIT_INPUT
    graph = site.graph
    html_pages = sum(1 for page in site.pages if page.path.endswith(".html"))
    print(
        f"Checked {_count(len(graph.documents), 'document')}, {_count(len(graph.actors), 'actor')}, "
        f"{_count(html_pages, 'page')} in {time.perf_counter() - started:.2f} s: "
        f"{'no problems' if not warnings else _count(warnings, 'warning')}.",
        file=stdout,
    )
    return EXIT_OK


def run_suggest(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Names that look like actors but are not in the registry, best first; --write creates stubs."""
    project_dir = _project_folder(args)
    report = Diagnostics()
    config = load_config(project_dir, None, report)
    from .stages.clean import clean_text
    from .stages.load import load_project
    from .suggest import suggest_actors, write_stubs

    project = load_project(config, report)
    for diagnostic in report.sorted():
        print(printable(str(diagnostic)), file=stderr)
    texts = [(source.path, clean_text(source.body)) for source in project.sources]
    known = {form for actor in project.actors for form in actor.surface_forms}
    candidates = suggest_actors(texts, known, limit=args.limit)
    if not candidates:
        print("No missing actors found: every name that looks like an actor is in the registry.", file=stdout)
        return EXIT_OK
    print(f"{'count':>5}  {'name':<32} {'kind':<12} example", file=stdout)
    for candidate in candidates:
        print(f"{candidate.count:>5}  {candidate.name:<32} {candidate.kind_guess:<12} {candidate.document}: {candidate.example}", file=stdout)
    if args.write:
        written = write_stubs(candidates, project_dir / "content" / "actors")
        for path in written:
            print(f"wrote {config.relative(path)}", file=stdout)
        skipped = len(candidates) - len(written)
        print(f"{_count(len(written), 'stub')} written{f', {skipped} already existed' if skipped else ''}; fill in kind, aliases and bio before building.", file=stdout)
    return EXIT_OK


def run_serve(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Serves the project until Ctrl+C; see briefing/serve/."""
    from .serve.preview import PreviewSession
    from .serve.server import PreviewServer, is_loopback

    project = _project_folder(args)
    session = PreviewSession(project, stdout, stderr)
    try:
        server = PreviewServer(session.channel, args.host, args.port)
    except (OSError, OverflowError) as error:
        raise UsageError(f"cannot listen on {args.host} port {args.port}: {getattr(error, 'strerror', None) or error}") from None
    if not is_loopback(args.host):
        print(
            f"briefing: warning: listening on {args.host}, which other machines can reach; the preview server is "
            "meant for this machine (the default, --host 127.0.0.1)",
            file=stderr,
        )
    server.start()
    print(f"Serving {project} at {server.url} (Ctrl+C to stop)", file=stdout)
    stdout.flush()
    try:
        session.start()
        if args.open:
            import webbrowser

            webbrowser.open(server.url)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        session.stop()
    print("Stopped.", file=stdout)
    return EXIT_OK


class TerminalProgress:
    """One self-overwriting status line on a terminal; never drawn into pipes, files or CI logs."""

    INTERVAL = 0.1

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.last_drawn = 0.0

    @staticmethod
    def wanted(stream: TextIO) -> bool:
        return stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - self.last_drawn >= self.INTERVAL:
            self.last_drawn = now
            self.stream.write(f"\r\033[K{stage}: {done}/{total}")
            self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\033[K")
        self.stream.flush()


# Control characters and bidirectional overrides in a file name or value could move the cursor, recolour
# or rewrite the terminal, or forge a line of output: they are printed as escapes.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}", text)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _display_path(path: Path) -> str:
    try:
        return os.path.relpath(path) + os.sep
    except ValueError:
        return str(path)

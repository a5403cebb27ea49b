"""The command line as a user runs it: `python build.py ...`, `python -m briefing ...` and the installed
`briefing` script, each in a real subprocess. Exit codes: 0 built, 1 the input has problems, 2 usage.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.cli import main as briefing_main

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
EXAMPLE_INPUTS = ("seeds", "content", "templates", "briefing.yaml")
SUMMARY = re.compile(r"Built (\d+) documents?, (\d+) actors?, (\d+) pages? in \d+\.\d\d s -> (.+)\n")
DIAGNOSTIC = re.compile(r"(?P<path>[^:\n]+):(?P<line>\d+):(?P<column>\d+): (?:error|warning): .+")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python ARGS` run the way a shell would, its output captured (so stdout and stderr are pipes)."""
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "CI")}
    env["PYTHONPATH"] = str(REPO)  # `python -m briefing` from any folder, without an install
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def copy_example(target: Path) -> Path:
    """The example project shipped in the repo (its inputs only) copied to `target`."""
    target.mkdir(parents=True)
    for name in EXAMPLE_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def run_in_process(args: list[str]) -> tuple[int, str, str]:
    """The same command line in this process (faster; for what does not need a real process)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(args, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def read_tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def html_files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*.html"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


# --- building ---------------------------------------------------------------------------------------

def test_build_is_the_default_command(tmp_path: Path, tree) -> None:
    implicit = copy_example(tmp_path / "implicit")
    explicit = copy_example(tmp_path / "explicit")

    implicit_run = run([str(REPO / "build.py")], cwd=implicit)
    explicit_run = run([str(REPO / "build.py"), "build"], cwd=explicit)

    for result in (implicit_run, explicit_run):
        assert (result.returncode, result.stderr) == (0, "")
    assert tree(implicit / "site") == tree(explicit / "site")  # conftest's: all but Pagefind's unstable index
    # The one-line summary counts what was built.
    documents, actors, pages, output = SUMMARY.fullmatch(implicit_run.stdout).groups()
    assert (documents, actors, output) == ("1", str(len(list((implicit / "content" / "actors").glob("*.md")))), "site/")
    assert int(pages) == len(html_files(implicit / "site"))
    assert SUMMARY.fullmatch(explicit_run.stdout).groups() == (documents, actors, pages, output)


def test_quiet_prints_nothing_on_success_and_options_alone_mean_build(project: Path) -> None:
    result = run([str(REPO / "build.py"), "--quiet"], cwd=project)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (project / "site" / "index.html").is_file()


def test_python_m_briefing_builds_the_project_named_by_option(project: Path, tmp_path: Path) -> None:
    result = run(["-m", "briefing", "build", "--project", "project"], cwd=tmp_path)

    assert (result.returncode, result.stderr) == (0, "")
    assert SUMMARY.fullmatch(result.stdout).group(4) == "project/site/"
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "assets" / "style.css").is_file()


def test_output_option_puts_the_site_elsewhere_and_base_url_is_accepted(project: Path, tmp_path: Path) -> None:
    result = run(["-m", "briefing", "build", "--output", "../published", "--base-url", "https://example.org/briefing/"], cwd=project)

    assert (result.returncode, result.stderr) == (0, "")
    assert SUMMARY.fullmatch(result.stdout).group(4) == "../published/"
    assert (tmp_path / "published" / "index.html").is_file()
    assert not (project / "site").exists()


def test_output_built_before_by_briefing_is_replaced_whole(project: Path, tmp_path: Path) -> None:
    output = tmp_path / "published"
    first = run_in_process(["build", "--project", str(project), "--output", str(output), "--quiet"])
    stale = output / "stale.html"
    stale.write_text("left from an older build", encoding="utf-8")

    second = run_in_process(["build", "--project", str(project), "--output", str(output), "--quiet"])

    assert (first, second) == ((0, "", ""), (0, "", ""))
    assert not stale.exists()
    assert (output / "index.html").is_file()


def test_verbose_prints_each_stage_time_then_the_summary(project: Path) -> None:
    result = run(["-m", "briefing", "build", "--verbose"], cwd=project)

    assert (result.returncode, result.stderr) == (0, "")
    *stage_lines, files, summary = result.stdout.splitlines(keepends=True)
    stages = [re.fullmatch(r"  ([a-z]+) +\d+\.\d{3} s\n", line).group(1) for line in stage_lines]
    assert stages == ["load", "annotate", "crosslink", "render", "links", "search", "write"]
    written = re.fullmatch(r"  files written (\d+) of (\d+), 0 deleted\n", files)
    assert written and written.group(1) == written.group(2)  # a first build writes every file
    assert SUMMARY.fullmatch(summary)

    again = run(["-m", "briefing", "build", "--verbose"], cwd=project)  # nothing changed: nothing to do
    assert re.fullmatch(r"  unchanged +\d+\.\d{3} s\n", again.stdout.splitlines(keepends=True)[0])


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code = briefing_main(["--help"])

    assert (code, capsys.readouterr().out.startswith("usage: briefing")) == (0, True)


# --- usage errors: exit 2, one line saying what to do, nothing written -------------------------------

def _usage_cases(project: Path) -> dict[str, tuple[list[str], str]]:
    absolute = project.resolve()
    return {
        "unknown-flag": (["build", "--bogus"], "briefing: error: unrecognized arguments: --bogus"),
        "quiet-and-verbose": (["build", "--quiet", "--verbose"], "briefing build: error: argument -v/--verbose: not allowed with argument -q/--quiet"),
        "missing-project": (["build", "--project", "no-such-folder"], "briefing: error: project folder no-such-folder does not exist"),
        "output-is-project": (
            ["build", "--output", "."],
            f"briefing: error: output folder {absolute} would replace the project itself; choose a folder such as {absolute / 'site'}",
        ),
        "output-contains-project": (
            ["build", "--output", ".."],
            f"briefing: error: output folder {absolute.parent} would replace the project itself; choose a folder such as {absolute / 'site'}",
        ),
        "output-inside-seeds": (
            ["build", "--output", "seeds/site"],
            f"briefing: error: output folder {absolute / 'seeds' / 'site'} is inside the project's seeds/ folder; choose another --output",
        ),
        "output-not-built-by-briefing": (
            ["build", "--output", "notes"],
            f"briefing: error: refusing to replace {absolute / 'notes'}: it was not built by briefing; remove it or choose another --output",
        ),
    }


USAGE_CASES = sorted(_usage_cases(Path("/")).keys())


def _with_notes(project: Path) -> dict[str, bytes]:
    """Gives the project a folder of someone's own files; returns the whole project's bytes."""
    (project / "notes").mkdir()
    (project / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    return read_tree(project)


@pytest.mark.parametrize("case", USAGE_CASES)
def test_usage_error_exits_2_with_one_message_and_writes_nothing(
    case: str, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _with_notes(project)
    args, message = _usage_cases(project)[case]
    monkeypatch.chdir(project)

    code = briefing_main(args)  # argparse writes to sys.stderr itself, so capture the real streams
    out, err = capsys.readouterr()

    assert (code, out, err.splitlines()[-1]) == (2, "", message)
    assert read_tree(project) == before


def test_unknown_command_exits_2_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    code = briefing_main(["frobnicate"])

    last_line = capsys.readouterr().err.splitlines()[-1]
    assert (code, last_line.startswith("briefing: error: argument COMMAND: invalid choice: 'frobnicate' (choose from 'build'")) == (2, True)


@pytest.mark.parametrize("case", ["unknown-flag", "output-not-built-by-briefing"])
def test_usage_error_in_a_real_process_exits_2_without_a_traceback(case: str, project: Path) -> None:
    before = _with_notes(project)
    args, message = _usage_cases(project)[case]

    result = run([str(REPO / "build.py"), *args], cwd=project)

    assert (result.returncode, result.stdout, result.stderr.splitlines()[-1]) == (2, "", message)
    assert "Traceback" not in result.stderr
    assert read_tree(project) == before


# --- bad input: exit 1, every problem printed once, sorted, never a traceback -------------------------

HOSTILE_FILES: dict[str, bytes] = {
    "briefing.yaml": b"- just\n- a list\n",
    "content/actors/binary.md": bytes(range(255, -1, -1)),
    "content/actors/list-front-matter.md": b"---\n- a\n- b\n---\n",
    "content/actors/deeply-nested.md": b"---\nname: " + b"[" * 60 + b"]" * 60 + b"\nkind: person\n---\n",
    "content/actors/ill-typed.md": b"---\nname: [A, B]\nkind: person\nlinks: [1, 2]\n---\n",
    "content/actors/empty.md": b"",
    "content/actors/anchors.md": b"---\nname: &n Anchor\nkind: person\naliases: [*n]\n---\n",
    "seeds/only-fence.txt": b"---\n",
    "seeds/bad-values.txt": b"---\ndate: 2024-02-30\ntitle: {a: b}\ndraft: maybe\ntags: {x: 1}\n---\nbody\n",
    "seeds/utf16.txt": "\ufeffdate: 2024-01-01\n".encode("utf-16"),
}


def test_hostile_input_is_reported_sorted_without_a_traceback(tmp_path: Path) -> None:
    project = tmp_path / "hostile"
    for name, data in HOSTILE_FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)

    result = run([str(REPO / "build.py")], cwd=project)

    assert result.returncode == 1
    assert result.stdout == ""
    *diagnostics, closing = result.stderr.splitlines()
    assert re.fullmatch(r"Build failed \(\d+ errors, \d+ warnings?\); nothing written\.", closing)
    matches = [DIAGNOSTIC.fullmatch(line) for line in diagnostics]
    assert all(matches), result.stderr
    keys = [(m["path"], int(m["line"]), int(m["column"])) for m in matches]
    assert keys == sorted(keys)
    assert {m["path"] for m in matches} == set(HOSTILE_FILES)
    assert not (project / "site").exists()


# --- the installed package --------------------------------------------------------------------------

def _can_build_wheels_offline() -> bool:
    """setuptools builds wheels by itself from 70.1 on; before that it needs the `wheel` package."""
    try:
        import setuptools
    except ImportError:
        return False
    version = tuple(int(part) for part in re.findall(r"\d+", setuptools.__version__)[:2])
    if version >= (70, 1):
        return True
    try:
        import wheel  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.slow
def test_installed_console_script_builds_with_the_packaged_theme(tmp_path: Path) -> None:
    if not _can_build_wheels_offline():
        pytest.skip("installing offline needs setuptools>=70.1, or setuptools with the 'wheel' package")
    # Install from a copy, so the build leaves no build/ or *.egg-info behind in the repository.
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(".git", "site", "tests", "build", "dist", "*.egg-info", "__pycache__", ".*cache*", ".venv"),
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = copy_example(tmp_path / "example")
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "CI")}

    located = subprocess.run([str(python), "-c", "import briefing; print(briefing.__file__)"], cwd=elsewhere, env=env,
                             capture_output=True, text=True, timeout=60)
    result = subprocess.run([str(venv / "bin" / "briefing"), "build", "--project", str(project)], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)

    assert Path(located.stdout.strip()).is_relative_to(venv)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert SUMMARY.fullmatch(result.stdout)
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "assets" / "style.css").read_bytes() == (source / "briefing" / "theme" / "static" / "style.css").read_bytes()

"""Pages in memory -> the output folder, swapped in whole.

Pages are written into a staging folder beside the output, which then replaces the output by two
renames; a build that fails before the swap leaves the previous site untouched. The output folder
belongs to the tool: a marker file proves it, and a folder without one is never replaced.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from ..model import Page

MARKER = ".briefing-site"


class OutputError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


def check_output(output: Path, project: Path) -> None:
    output, project = output.resolve(), project.resolve()
    if output == project or output in project.parents:
        raise OutputError(f"output folder {output} would replace the project itself; choose a folder such as {project / 'site'}")
    for protected in ("seeds", "content", "templates"):
        if output == project / protected or (project / protected) in output.parents:
            raise OutputError(f"output folder {output} is inside the project's {protected}/ folder; choose another --output")
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise OutputError(f"refusing to replace {output}: it was not built by briefing; remove it or choose another --output")


def write_site(pages: list[Page], output: Path) -> None:
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    try:
        made_dirs: set[Path] = set()
        for page in pages:
            target = staging.joinpath(*_safe_parts(page.path))
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            target.write_bytes(page.content)
        (staging / MARKER).write_text("This folder is written by briefing and replaced on every build.\n", encoding="utf-8")
        _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _safe_parts(path: str) -> tuple[str, ...]:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or any(part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts):
        raise ValueError(f"unsafe output path {path!r}")
    return parts


def _swap_in(staging: Path, output: Path) -> None:
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        if old is not None:
            os.rename(old, output)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(output: Path) -> None:
    """Staging and old folders left by a build that was killed."""
    for prefix in (f".{output.name}.staging-", f".{output.name}.old-"):
        for leftover in output.parent.glob(prefix + "*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)

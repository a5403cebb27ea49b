"""Pages in memory -> the output folder, swapped in whole.

Pages are written into a staging folder beside the output, which is then exchanged with the output in
one atomic rename (Linux renameat2 RENAME_EXCHANGE, macOS renamex_np RENAME_SWAP), so the output path
is at every instant the old or the new complete site, even if the process is killed. Elsewhere two
renames leave a moment without it, and the next build puts the old site back. The output folder
belongs to the tool: a marker file proves it, and a folder without one is never replaced.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import Callable

from ..model import Page
from ..urls import is_reserved_name

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


def write_site(pages: list[Page], output: Path, before_swap: Callable[[Path], None] | None = None) -> None:
    """`before_swap(staging)` completes the written pages in the staging folder (the search index is built
    there); if it raises, the staging folder is removed and the output is left as it was."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    recover_output(output)
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
        if before_swap is not None:
            before_swap(staging)
        _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _safe_parts(path: str) -> tuple[str, ...]:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or any(part in ("", ".", "..") or "\\" in part or "\0" in part or is_reserved_name(part) for part in parts):
        raise ValueError(f"unsafe output path {path!r}")
    return parts


def _swap_in(staging: Path, output: Path) -> None:
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old site
        return
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    os.rename(output, old)  # from here until the next rename there is no output: recover_output repairs it
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)


# errno values meaning "this system or file system cannot exchange": fall back to two renames
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV}


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False when the platform cannot, so the caller falls back."""
    function = _exchange_function()
    if function is None:
        return False
    if function(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(second))


_AT_FDCWD, _RENAME_EXCHANGE, _RENAME_SWAP = -100, 2, 2


def _exchange_function():
    """(from, to) -> 0 or -1 with errno, or None where no such call exists."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - Windows
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return lambda first, second: renameat2(_AT_FDCWD, first, _AT_FDCWD, second, _RENAME_EXCHANGE)
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):  # pragma: no cover - macOS
        renamex_np = libc.renamex_np
        renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return lambda first, second: renamex_np(first, second, _RENAME_SWAP)
    return None  # pragma: no cover


def recover_output(output: Path) -> None:
    """Repair what a killed build left beside the output: a missing output whose old site was moved
    aside is put back, and staging or old folders are removed. Call it holding the output lock."""
    output = output.absolute()
    if not output.exists():
        aside = sorted(
            (path for path in output.parent.glob(f".{output.name}.old-*") if (path / MARKER).is_file()),
            key=lambda path: path.stat().st_mtime,
        )
        if aside:
            os.rename(aside[-1], output)
    _remove_leftovers(output)


def _remove_leftovers(output: Path) -> None:
    """Staging and old folders left by a build that was killed."""
    for prefix in (f".{output.name}.staging-", f".{output.name}.old-"):
        for leftover in output.parent.glob(prefix + "*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)

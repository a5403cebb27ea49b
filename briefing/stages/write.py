"""Pages -> the output folder, swapped in whole, writing only the files whose bytes changed.

Two slots: the output and, beside it, a spare (`.site.spare`) that holds the site before last. A build
turns the spare into its staging folder: a page whose bytes the spare already holds is left alone (same
inode, same time), a page that differs is rewritten, and whatever the new site no longer has is removed.
The staging folder is then exchanged with the output in one atomic rename (Linux renameat2
RENAME_EXCHANGE, macOS renamex_np RENAME_SWAP), so the output path is at every instant the old or the new
complete site, even if the process is killed; the old site becomes the next spare. Elsewhere two renames
leave a moment without it, and the next build puts the old site back.

The spare is never trusted, only compared: a page is kept only when the file in the spare has its exact
bytes (read back and compared, which costs no more than hashing the new bytes and nothing at all on a
first build), so a spare half-written by a killed build or edited by hand needs no manifest to be safe.
Stale paths are moved beside the staging folder before a before_swap hook runs, so it sees exactly the new
site; pages it hands back are compared with them. The price is disk: the spare is a second copy of the site
(keep_spare=False gives it up). The output folder and the spare belong to the tool: a marker file proves it,
and a folder without one is never replaced or reused.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

from ..model import Page
from ..urls import is_reserved_name

MARKER = ".briefing-site"
MARKER_TEXT = b"This folder is written by briefing and replaced on every build.\n"


class OutputError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class WriteReport:
    """What a write did to the files of the pages it was given (the marker and files a before_swap hook
    wrote itself are not counted): `written` + `unchanged` is the number of distinct page paths."""

    written: int
    unchanged: int
    deleted: int

    @property
    def files(self) -> int:
        return self.written + self.unchanged


def check_output(output: Path, project: Path) -> None:
    output, project = output.resolve(), project.resolve()
    if output == project or output in project.parents:
        raise OutputError(f"output folder {output} would replace the project itself; choose a folder such as {project / 'site'}")
    for protected in ("seeds", "content", "templates"):
        if output == project / protected or (project / protected) in output.parents:
            raise OutputError(f"output folder {output} is inside the project's {protected}/ folder; choose another --output")
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise OutputError(f"refusing to replace {output}: it was not built by briefing; remove it or choose another --output")


def spare_path(output: Path) -> Path:
    """Where the site before last is kept, to be reused as the next build's staging folder."""
    output = output.absolute()
    return output.with_name(f".{output.name}.spare")


def write_site(
    pages: Iterable[Page],
    output: Path,
    before_swap: Callable[[Path], Iterable[Page] | None] | None = None,
    *,
    keep_spare: bool = True,
) -> WriteReport:
    """Write `pages` (any iterable, consumed once, one page at a time) as the new site at `output`.

    `before_swap(staging)` completes the site in the staging folder before the swap (the search index is
    built there): it sees exactly the new site's files, may write files into it, and may return more pages,
    which are written like the others. If it or the pages raise, the output is left as it was.
    `keep_spare=False` deletes the old site after the swap instead of keeping it for the next build."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    recover_output(output)
    spare = spare_path(output)
    reused = _is_ours(spare)
    if reused and not keep_spare:
        shutil.rmtree(spare, ignore_errors=True)
        reused = False
    staging = spare if reused else Path(tempfile.mkdtemp(prefix=_staging_prefix(output), dir=output.parent))
    folder = _Staging(staging, compare=reused)
    aside: Path | None = None
    try:
        for page in pages:
            folder.put(page.path, page.content)
        folder.put(MARKER, MARKER_TEXT)
        if before_swap is None:
            folder.remove_stale()
        elif not reused:  # a fresh folder holds nothing stale
            for page in before_swap(staging) or ():
                folder.put(page.path, page.content)
        else:
            # The hook sees only the new site; what it hands back is compared with what was set aside.
            held = list(folder.stale())
            if held:
                aside = Path(tempfile.mkdtemp(prefix=_staging_prefix(output), dir=output.parent))
                folder.set_aside(held, aside)
            extra = before_swap(staging)
            if extra is not None:
                restored = folder.restore(held, aside) if aside else []
                for page in extra:
                    folder.put(page.path, page.content)
                folder.remove_stale(restored)
            if aside is not None:
                folder.deleted += _remove_tree(aside)
                aside = None
        _swap_in(staging, output, spare if keep_spare else None)
    except BaseException:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
        if not reused:
            shutil.rmtree(staging, ignore_errors=True)
        raise  # a reused spare stays a spare: the next build compares every file again
    return folder.report()


def _staging_prefix(output: Path) -> str:
    return f".{output.name}.staging-"


def _is_ours(folder: Path) -> bool:
    """A real folder (not a link) holding the marker as a regular file."""
    try:
        return stat.S_ISDIR(os.lstat(folder).st_mode) and stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def _safe_parts(path: str) -> tuple[str, ...]:
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or any(_unsafe(part) for part in parts):
        raise ValueError(f"unsafe output path {path!r}")
    return parts


def _unsafe(part: str) -> bool:
    return part in ("", ".", "..") or "\\" in part or "\0" in part or is_reserved_name(part)


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
# O_NONBLOCK: opening a FIFO left in the spare must not hang; it changes nothing for regular files.
_OPEN = os.O_RDWR | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
_COMPARE_CHUNK = 1 << 20


class _Staging:
    """The staging folder as pages arrive: which paths the new site has (and whether each was written),
    which folders it needs, how many files were removed. Only paths are kept, never the pages' bytes."""

    def __init__(self, root: Path, compare: bool):
        self.root = os.fspath(root)
        self.compare = compare  # False: a fresh folder, nothing to compare with
        self.written: dict[str, bool] = {}  # relative path -> written (False: the folder held these bytes)
        self.folders: set[str] = {""}  # relative folders of the new site, known to be real folders
        self.names: set[str] = set()  # path segments already checked by _safe_parts
        self.deleted = 0

    def report(self) -> WriteReport:
        written = sum(flag for path, flag in self.written.items() if path != MARKER)
        return WriteReport(written, len(self.written) - (MARKER in self.written) - written, self.deleted)

    def put(self, path: str, content: bytes) -> None:
        parts = self._parts(path)
        folder = "/".join(parts[:-1])
        if folder not in self.folders:
            self._make_folders(parts[:-1])
        relative = f"{folder}/{parts[-1]}" if folder else parts[-1]
        written = self._write(f"{self.root}/{relative}", relative, content)
        self.written[relative] = written or self.written.get(relative, False)

    def _parts(self, path: str) -> tuple[str, ...]:
        """_safe_parts, faster: a name checked once ('documents', 'index.html') is not checked again."""
        parts = path.split("/")
        for part in parts:
            if part not in self.names:
                if _unsafe(part) or path.startswith("/"):
                    return _safe_parts(path)  # normalised there ('a//b', 'a/./b') or refused
                self.names.add(part)
        return tuple(parts)

    def _make_folders(self, parts: tuple[str, ...]) -> None:
        for end in range(1, len(parts) + 1):
            relative = "/".join(parts[:end])
            if relative in self.folders:
                continue
            target = f"{self.root}/{relative}"
            try:
                if self.compare and stat.S_ISDIR(os.lstat(target).st_mode):  # a reused folder mostly has it
                    self.folders.add(relative)
                    continue
            except FileNotFoundError:
                pass
            try:
                os.mkdir(target)
            except FileExistsError:
                if not stat.S_ISDIR(os.lstat(target).st_mode):
                    if relative in self.written or not self.compare:  # a page of this build is a file there
                        raise
                    self.deleted += _remove_tree(target)  # a file or link of the spare's site
                    os.mkdir(target)
            self.folders.add(relative)

    def _write(self, target: str, relative: str, content: bytes) -> bool:
        """Put `content` at `target`; False when it held those bytes already."""
        if not self.compare and relative not in self.written:
            try:
                descriptor = os.open(target, _CREATE, 0o666)
            except FileExistsError:  # written by a before_swap hook itself, then handed back too
                pass
            else:
                _fill(descriptor, content)
                return True
        try:
            descriptor = os.open(target, _OPEN)
        except FileNotFoundError:
            descriptor = -1
        except OSError:  # a folder, a link, a file we may not write: whatever it is, not our page
            self._clear(target, relative)
            descriptor = -1
        if descriptor < 0:
            _fill(os.open(target, _CREATE, 0o666), content)
            return True
        try:
            status = os.fstat(descriptor)
            if stat.S_ISREG(status.st_mode) and status.st_nlink == 1:
                if status.st_size == len(content) and _holds(descriptor, content):
                    return False
                _rewrite(descriptor, content)
                return True
        finally:
            os.close(descriptor)
        # Not a plain file of its own (a FIFO, or hard-linked, perhaps to the live site): replace the entry.
        self._clear(target, relative)
        _fill(os.open(target, _CREATE, 0o666), content)
        return True

    def _clear(self, target: str, relative: str) -> None:
        if relative in self.folders:  # pages of this build are inside: a file cannot be there too
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target)
        self.deleted += _remove_tree(target)

    def stale(self, relatives: Iterable[str] = ("",)) -> Iterator[str]:
        """The outermost paths under `relatives` that the new site does not have."""
        for relative in relatives:
            if relative in self.folders:
                yield from self._stale_in(relative)
            elif relative not in self.written:
                yield relative

    def _stale_in(self, folder: str) -> Iterator[str]:
        # Names alone tell: a path the new site has as a file was written as one, and one it has as a folder
        # was made one; anything else is stale, whatever it is.
        for name in os.listdir(f"{self.root}/{folder}" if folder else self.root):
            relative = f"{folder}/{name}" if folder else name
            if relative in self.folders:
                yield from self._stale_in(relative)
            elif relative not in self.written:
                yield relative

    def remove_stale(self, relatives: Iterable[str] = ("",)) -> None:
        for relative in list(self.stale(relatives)):
            self.deleted += _remove_tree(os.path.join(self.root, relative))

    def set_aside(self, held: list[str], aside: Path) -> None:
        """Move stale paths out of the folder, into `aside` (numbered in the order of `held`)."""
        for number, relative in enumerate(held):
            os.rename(f"{self.root}/{relative}", os.path.join(aside, str(number)))

    def restore(self, held: list[str], aside: Path) -> list[str]:
        """Put back what was set aside where nothing has taken its place, so pages handed back by the hook
        are compared with it; returns the paths restored."""
        restored = []
        for number, relative in enumerate(held):
            target = os.path.join(self.root, relative)
            parent = os.path.dirname(target)
            try:
                if os.path.lexists(target) or not stat.S_ISDIR(os.lstat(parent).st_mode):
                    continue
            except OSError:
                continue
            os.rename(os.path.join(aside, str(number)), target)
            restored.append(relative)
        return restored


def _fill(descriptor: int, content: bytes) -> None:
    try:
        view, done = memoryview(content), 0
        while done < len(view):
            done += os.write(descriptor, view[done:])
    finally:
        os.close(descriptor)


def _rewrite(descriptor: int, content: bytes) -> None:
    view, done = memoryview(content), 0
    while done < len(view):
        done += os.pwrite(descriptor, view[done:], done)
    os.ftruncate(descriptor, len(view))


def _holds(descriptor: int, content: bytes) -> bool:
    """Whether the open file (of the same size) has exactly these bytes; reads at most a chunk at a time."""
    if len(content) <= _COMPARE_CHUNK:
        return os.pread(descriptor, len(content) + 1, 0) == content
    view = memoryview(content)
    for start in range(0, len(view), _COMPARE_CHUNK):
        if os.pread(descriptor, _COMPARE_CHUNK, start) != view[start : start + _COMPARE_CHUNK]:
            return False
    return True


def _remove_tree(path: str | Path) -> int:
    """Remove a file, link or folder; the number of files (and links) removed."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            os.unlink(path)
            return 1
    except FileNotFoundError:
        return 0
    count = 0
    for folder, folders, names in os.walk(path, topdown=False):
        for name in names:
            os.unlink(os.path.join(folder, name))
            count += 1
        for name in folders:
            inner = os.path.join(folder, name)
            if os.path.islink(inner):  # os.walk lists links to folders among the folders
                os.unlink(inner)
                count += 1
            else:
                os.rmdir(inner)
    os.rmdir(path)
    return count


def _swap_in(staging: Path, output: Path, spare: Path | None) -> None:
    """Exchange the staging folder with the output; the old site is kept as `spare`, or deleted."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        _keep_or_delete(staging, spare)  # it now holds the old site
        return
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    os.rename(output, old)  # from here until the next rename there is no output: recover_output repairs it
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(old, output)
        raise
    _keep_or_delete(old, spare)


def _keep_or_delete(old_site: Path, spare: Path | None) -> None:
    if old_site == spare:
        return
    if spare is not None and not os.path.lexists(spare):
        try:
            os.rename(old_site, spare)
            return
        except OSError:
            pass
    shutil.rmtree(old_site, ignore_errors=True)


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

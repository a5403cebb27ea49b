"""One build at a time per output folder: an exclusive lock on a file beside it (`.site.lock`).

The operating system releases the lock when its process ends, however it ends, so a killed build never
blocks the next one; the file itself is removed on a normal release and reused after a crash.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class LockError(Exception):
    """Another build holds the lock; the message names the folder and, when known, the process."""


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}.lock"


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[Path]:
    """Hold the output's lock for the duration of the block, or raise LockError at once."""
    path = lock_path(output.absolute())
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = _acquire(path, output)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode("ascii"))
        yield path
    finally:
        # Unlinked while still held: a build waiting on this file finds it replaced and opens a new one.
        with contextlib.suppress(OSError):
            path.unlink()
        _release(descriptor)


def _acquire(path: Path, output: Path) -> int:
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(descriptor):
            holder = _read_holder(descriptor)
            os.close(descriptor)
            who = f" (process {holder})" if holder else ""
            raise LockError(f"another build is writing {output}{who}; wait for it to finish and build again")
        try:
            same_file = os.path.samestat(os.fstat(descriptor), os.stat(path))
        except FileNotFoundError:
            same_file = False
        if same_file:
            return descriptor
        _release(descriptor)  # the holder removed the file as we opened it; lock the new one


def _try_lock(descriptor: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _release(descriptor: int) -> None:
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        else:  # pragma: no cover - Windows
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(descriptor)


def _read_holder(descriptor: int) -> str:
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii", errors="replace").strip()
    except (OSError, AttributeError):  # pragma: no cover - no pread on Windows
        return ""
    return text if text.isdigit() else ""

"""File-system events -> debounced batches of Changes to the project's inputs.

watchdog reports every event under seeds/, content/ and templates/ and beside briefing.yaml; this module
keeps those that can change the site (editors' swap, backup and temp files are not inputs), sorts them
into kinds for the rebuild message, and hands them to the builder in batches: a burst of saves, or the
several events of one atomic save, becomes one rebuild. What gets rebuilt is decided by content, not by
these events (see cache.py and rerender.py), so a missed or misread event can delay a rebuild but never
leave a stale page.
"""
from __future__ import annotations

import enum
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..config import CONFIG_FILE

INPUT_FOLDERS = ("seeds", "content", "templates")
CONTENT_KINDS = {"actors": "actor", "documents": "overlay", "pages": "page"}
# vim (`name~`, `4913` and other all-digit write tests, `.name.swp`), emacs (`#name#`, `.#name`), JetBrains
# (`name___jb_tmp___`, `name___jb_old___`) and tools that write `name.tmp` / `name.part` then rename.
_EDITOR_TEMP = re.compile(r"(~|\.sw[a-z]|___jb_(tmp|old)___|\.tmp|\.part)$|^\d+$|^#.*#$")


class ChangeKind(enum.Enum):
    CONFIG = "config"
    SEED = "seed"
    ACTOR = "actor"
    OVERLAY = "overlay"
    PAGE = "page"
    TEMPLATE = "template"
    FOLDER = "folder"  # a whole input folder appeared, vanished or moved


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    path: str  # relative to the project, with forward slashes
    action: str  # "changed", "deleted" or "renamed"
    source: str = ""  # for "renamed": the path it had before

    def __str__(self) -> str:
        if self.action == "renamed":
            return f"{self.source} renamed to {self.path}"
        return f"{self.path} {self.action}"


def is_editor_temp(name: str) -> bool:
    return name.startswith(".") or bool(_EDITOR_TEMP.search(name))


def change_kind(relative: str, is_directory: bool = False) -> ChangeKind | None:
    """What a change at this project-relative path affects; None when the build never reads it."""
    parts = PurePosixPath(relative).parts
    if not parts or any(is_editor_temp(part) for part in parts):
        return None
    if is_directory:
        folder = "/".join(parts)
        inputs = {*INPUT_FOLDERS, *(f"content/{name}" for name in CONTENT_KINDS)}
        return ChangeKind.FOLDER if folder in inputs or parts[0] == "templates" else None
    if parts == (CONFIG_FILE,):
        return ChangeKind.CONFIG
    if parts[0] == "templates" and len(parts) > 1:
        return ChangeKind.TEMPLATE
    if parts[0] == "seeds" and len(parts) == 2:
        return ChangeKind.SEED
    if parts[0] == "content" and len(parts) == 3 and parts[1] in CONTENT_KINDS and parts[2].endswith(".md"):
        return ChangeKind(CONTENT_KINDS[parts[1]])
    return None


def describe(changes: list[Change], shown: int = 3) -> str:
    """'seeds/a.txt changed, content/actors/b.md deleted and 2 more'."""
    texts = [str(change) for change in changes[:shown]]
    more = len(changes) - len(texts)
    if more:
        return ", ".join(texts) + f" and {more} more"
    return ", ".join(texts[:-1]) + (" and " if len(texts) > 1 else "") + texts[-1] if texts else "nothing"


class ChangeQueue:
    """Changes from the watcher thread, handed to the builder in debounced batches. Thread-safe."""

    def __init__(self, quiet: float = 0.15, longest: float = 2.0):
        self.quiet = quiet  # a batch closes once no change has come for this long...
        self.longest = longest  # ...or this long after its first change, however busy the disk
        self._condition = threading.Condition()
        self._pending: dict[str, Change] = {}
        self._first = self._last = 0.0
        self._closed = False

    def put(self, changes: Iterable[Change]) -> None:
        with self._condition:
            now = time.monotonic()
            for change in changes:
                if not self._pending:
                    self._first = now
                self._pending.pop(change.path, None)  # the latest action on a path is the one that counts
                self._pending[change.path] = change
                self._last = now
            self._condition.notify_all()

    def take(self) -> list[Change] | None:
        """Blocks until a batch is complete; None once the queue is closed."""
        with self._condition:
            while not self._pending and not self._closed:
                self._condition.wait()
            while not self._closed:
                now = time.monotonic()
                wait = min(self._last + self.quiet, self._first + self.longest) - now
                if wait <= 0:
                    break
                self._condition.wait(wait)
            if self._closed:
                return None
            batch, self._pending = list(self._pending.values()), {}
            return batch

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()


class ProjectWatcher:
    """watchdog observing a project's inputs, feeding a ChangeQueue. The output folder and the cache are
    never watched: only the project folder itself (for briefing.yaml and the input folders coming and
    going) and, recursively, the input folders."""

    def __init__(self, project: Path, queue: ChangeQueue):
        self.project = project.absolute()
        self.queue = queue
        self._observer = Observer()
        self._handler = _Handler(self)
        self._watches: dict[str, object] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        self._observer.schedule(self._handler, str(self.project), recursive=False)
        for folder in INPUT_FOLDERS:
            self.watch_folder(folder)
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)

    def watch_folder(self, folder: str) -> None:
        with self._lock:
            path = self.project / folder
            if folder in self._watches or not path.is_dir():
                return
            try:
                self._watches[folder] = self._observer.schedule(self._handler, str(path), recursive=True)
            except OSError:  # it vanished again, or the system is out of watches: a later event retries
                pass

    def forget_folder(self, folder: str) -> None:
        with self._lock:
            watch = self._watches.pop(folder, None)
            if watch is not None:
                try:
                    self._observer.unschedule(watch)
                except (KeyError, OSError):
                    pass

    def relative(self, path: str | bytes) -> str | None:
        text = path.decode(errors="surrogateescape") if isinstance(path, bytes) else path
        try:
            return Path(text).relative_to(self.project).as_posix()
        except ValueError:
            return None


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: ProjectWatcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        source = self.watcher.relative(event.src_path)
        if event.event_type == "moved":
            destination = self.watcher.relative(event.dest_path)
            self._folder_events(source, "deleted", event.is_directory)
            self._folder_events(destination, "created", event.is_directory)
            self.watcher.queue.put(_moved(source, destination, event.is_directory))
            return
        self._folder_events(source, event.event_type, event.is_directory)
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed; that file has its own event
        kind = change_kind(source, event.is_directory) if source else None
        if kind is not None:
            self.watcher.queue.put([Change(kind, source, "deleted" if event.event_type == "deleted" else "changed")])

    def _folder_events(self, relative: str | None, event_type: str, is_directory: bool) -> None:
        """Starts or stops watching an input folder created or removed after the server started."""
        if is_directory and relative in INPUT_FOLDERS:
            if event_type == "created":
                self.watcher.watch_folder(relative)
            elif event_type == "deleted":
                self.watcher.forget_folder(relative)


def _moved(source: str | None, destination: str | None, is_directory: bool) -> list[Change]:
    """A rename inside the inputs, or a file moved in (an atomic save) or out."""
    old = change_kind(source, is_directory) if source else None
    new = change_kind(destination, is_directory) if destination else None
    if old is not None and new is not None:
        return [Change(new, destination, "renamed", source)]  # type: ignore[arg-type]
    if new is not None:
        return [Change(new, destination, "changed")]  # type: ignore[arg-type]
    if old is not None:
        return [Change(old, source, "deleted")]  # type: ignore[arg-type]
    return []

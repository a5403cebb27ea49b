"""Problems found in a project: collected during a build, printed once, sorted.

Every problem a person can act on is a Diagnostic with a location (`path:line:col`), a level and a
message; the build keeps going where it is safe and the CLI turns the collection into an exit code.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a project file. `path` is relative to the project, with forward slashes; line and
    column are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    column: int = 0

    @classmethod
    def of_byte(cls, path: str, data: bytes, offset: int) -> "Location":
        """Where byte `offset` of a file's `data` is: its line, and its column counted in characters."""
        line_start = data.rfind(b"\n", 0, offset) + 1
        column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
        return cls(path, data.count(b"\n", 0, offset) + 1, column)

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    level: Level
    message: str

    def sort_key(self) -> tuple:
        return (self.location.path, self.location.line, self.location.column, self.level, self.message)

    def __str__(self) -> str:
        return f"{self.location}: {self.level}: {self.message}"


@dataclass
class Diagnostics:
    """The one collector a build writes problems into. Not thread-shared: workers return their own
    lists and the pipeline merges them."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str) -> None:
        self.items.append(Diagnostic(location, "error", message))

    def warning(self, location: Location, message: str) -> None:
        self.items.append(Diagnostic(location, "warning", message))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "warning"]

    def failed(self, strict: bool = False) -> bool:
        """Whether a build with these problems fails: any error, or with `strict` any warning too."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Each distinct problem once, in file order."""
        return sorted(set(self.items), key=Diagnostic.sort_key)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to `word`, else ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""

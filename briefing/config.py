"""briefing.yaml and the command line -> one frozen SiteConfig. Unknown keys are errors.

Every setting has a default, so a project needs no briefing.yaml at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .diagnostics import Diagnostics, Location
from .frontmatter import FieldError, read_choice, read_file_fields, read_text, shown

CONFIG_FILE = "briefing.yaml"
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024
SIZE_UNITS = {"": 1, "b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


@dataclass(frozen=True)
class SiteConfig:
    project: Path
    output: Path
    title: str = "Briefing"
    description: str = ""
    language: str = "en"
    base_url: str = ""
    # "all": every mention links to its actor; "first": only the first per actor and document does,
    # later ones are marked up the same way but not linked.
    mention_links: str = "all"
    footer: str = ""
    # Bytes; a bigger input file is refused with an error naming it, so one stray dump cannot stall a build.
    max_file_size: int = DEFAULT_MAX_FILE_SIZE

    def relative(self, path: Path) -> str:
        """A project file's path as diagnostics print it."""
        try:
            return path.relative_to(self.project).as_posix()
        except ValueError:
            return path.as_posix()


def check_base_url(text: str) -> str:
    """A published address -> the same without trailing slashes, scheme and host in lower case;
    ValueError saying what to fix. Pages, feeds and the sitemap append paths to it, so it must be a plain
    http(s) address of a folder."""
    text = text.strip()
    if not text:
        return ""
    shown = f"'{text[:80]}'"
    if any(char.isspace() or not 32 < ord(char) < 127 or char in '"<>\\^`{|}' for char in text):
        raise ValueError(f"{shown} has spaces or characters that need percent-encoding; write them as %XX (the host in punycode)")
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        example = f"https://{text}" if ":" not in text else "https://example.org/briefing"
        raise ValueError(f"{shown} is not an http:// or https:// address, e.g. {example}")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise ValueError(f"{shown} has a query or fragment; give the address of the site's folder only")
    if parts.username is not None:
        raise ValueError(f"{shown} has a user name or password; they would be published in every page")
    try:
        parts.port
    except ValueError:
        raise ValueError(f"{shown} has a port that is not a number") from None
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl().rstrip("/")


def read_base_url(node: yaml.Node) -> str:
    try:
        return check_base_url(read_text(node))
    except ValueError as error:
        raise FieldError(str(error), node) from None


def read_size(node: yaml.Node) -> int:
    """'20 MB', '512 KB', '1.5 GB' or a number of bytes (KB = 1,024 bytes)."""
    text = read_text(node)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-zA-Z]*)", text)
    unit = match.group(2).lower() if match else ""
    if not match or unit not in SIZE_UNITS or len(match.group(1)) > 12 or float(match.group(1)) * SIZE_UNITS[unit] < 1:
        raise FieldError(f"'{shown(text)}' is not a size; write e.g. 20 MB, 512 KB or a number of bytes", node)
    return int(float(match.group(1)) * SIZE_UNITS[unit])


def format_size(size: int) -> str:
    """Bytes as people read them: '20 MB', '1.5 KB', '900 bytes'."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


SCHEMA = {
    "title": read_text,
    "description": read_text,
    "language": read_text,
    "base_url": read_base_url,
    "mention_links": read_choice("all", "first"),
    "footer": read_text,
    "max_file_size": read_size,
}


def load_config(project: Path, output: Path | None, report: Diagnostics, base_url: str | None = None) -> SiteConfig:
    """Defaults, then briefing.yaml, then the command line. A bad `base_url` argument raises ValueError:
    the CLI checks it first and reports it as a usage error."""
    config = SiteConfig(project=project, output=output or project / "site")
    config_path = project / CONFIG_FILE
    if config_path.is_file():
        text = _read_config_text(config_path, report)
        fields = read_file_fields(text, SCHEMA, CONFIG_FILE, report) if text is not None else None
        if fields is not None:
            config = replace(config, **fields.values)
    if base_url is not None:
        config = replace(config, base_url=check_base_url(base_url))
    return config


def _read_config_text(path: Path, report: Diagnostics) -> str | None:
    try:
        if path.is_symlink() and path.parent.resolve() not in path.resolve().parents:
            report.error(Location(CONFIG_FILE, 1, 1), "refused: a link to a file outside the project; put the settings in the project itself")
            return None
        if path.stat().st_size > DEFAULT_MAX_FILE_SIZE:
            report.error(Location(CONFIG_FILE, 1, 1), f"file is larger than {format_size(DEFAULT_MAX_FILE_SIZE)}; site settings fit in a few lines")
            return None
        data = path.read_bytes()
    except OSError as error:
        report.error(Location(CONFIG_FILE, 1, 1), f"cannot read file: {error.strerror or error}")
        return None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        report.error(
            Location.of_byte(CONFIG_FILE, data, error.start),
            f"not valid UTF-8: byte 0x{data[error.start]:02x} at offset {error.start}; save {CONFIG_FILE} as UTF-8",
        )
        return None

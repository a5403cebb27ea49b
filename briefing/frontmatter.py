"""Front matter and YAML files -> plain values checked against a schema, every problem located.

Values are read from the YAML node tree, not from PyYAML's implicit typing, so `title: NO` stays the
text "NO" and `date: 2024-9-1` is reported instead of silently becoming something else.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from .diagnostics import Diagnostics, Location, did_you_mean

try:  # libyaml is much faster; PyYAML's pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FENCE = "---"
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Deeper nesting than this is never a real briefing file, and libyaml's recursion can crash on it.
MAX_NESTING = 50


@dataclass(frozen=True)
class SplitText:
    yaml_text: str | None  # None when the file has no front matter
    yaml_line: int  # 1-based file line of the first YAML line
    body: str
    body_line: int  # 1-based file line where the body starts


def split_front_matter(text: str, path: str, report: Diagnostics) -> SplitText:
    """Separate a leading `---` ... `---` block from the body. An unclosed block is reported and the
    whole file is treated as body."""
    if not text.startswith(FENCE) or text[3:4] not in ("\n", "\r", ""):
        return SplitText(None, 0, text, 1)
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n") in (FENCE, "..."):
            return SplitText("".join(lines[1:index]), 2, "".join(lines[index + 1:]), index + 2)
    report.error(Location(path, 1, 1), "front matter opened with '---' is never closed; add a line '---' after the last field")
    return SplitText(None, 0, text, 1)


def parse_mapping(yaml_text: str, path: str, first_line: int, report: Diagnostics) -> yaml.MappingNode | None:
    """YAML text -> its top-level mapping node, or None after reporting why not."""
    try:
        if _is_too_deep(yaml_text):
            report.error(Location(path, first_line, 1), f"YAML is nested more than {MAX_NESTING} levels deep; flatten it")
            return None
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, e.g. NUL
        before = yaml_text[:error.position]
        location = Location(path, first_line + before.count("\n"), error.position - before.rfind("\n"))
        report.error(location, f"character U+{error.character:04X} is not allowed in front matter; remove it" if isinstance(error.character, int) else f"invalid YAML: {error.reason}")
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
        problem = error.problem or error.context or "invalid YAML"
        report.error(Location(path, line, column), f"invalid YAML: {problem}")
        return None
    except yaml.YAMLError as error:
        report.error(Location(path, first_line, 1), f"invalid YAML: {error}")
        return None
    if node is None:
        return yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        report.error(_location(node, path, first_line), "expected 'field: value' lines, found a single value")
        return None
    return node


def _is_too_deep(text: str) -> bool:
    """Counted on the parser's events, which libyaml produces without recursion: block nesting
    ("- - - x") counts as much as brackets, and a bracket inside a quoted value does not count."""
    depth = -1  # the top-level mapping is not nesting
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return False


def _location(node: yaml.Node, path: str, first_line: int) -> Location:
    return Location(path, node.start_mark.line + first_line, node.start_mark.column + 1)


# --- schema ---------------------------------------------------------------------------------------

class FieldError(Exception):
    """A value that does not fit its field; the message says how to fix it."""

    def __init__(self, message: str, node: yaml.Node):
        super().__init__(message)
        self.node = node


Reader = Callable[[yaml.Node], Any]


def _scalar(node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise FieldError(f"must be {what}, not a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}", node)
    return node.value.strip()


def shown(value: str, limit: int = 60) -> str:
    """A value as quoted in a message: cut when long (a 5,000-digit number should not fill the screen)."""
    return value if len(value) <= limit else value[:limit] + "…"


def read_text(node: yaml.Node) -> str:
    return _scalar(node, "text")


def read_date(node: yaml.Node) -> datetime.date:
    value = _scalar(node, "a date")
    if DATE_PATTERN.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise FieldError(f"'{shown(value)}' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11", node)


def read_bool(node: yaml.Node) -> bool:
    value = _scalar(node, "true or false").lower()
    if value in ("true", "false"):
        return value == "true"
    raise FieldError(f"'{shown(value)}' is not true or false", node)


def read_text_list(node: yaml.Node) -> tuple[str, ...]:
    """A list of texts; a single text is a list of one."""
    if isinstance(node, yaml.ScalarNode):
        return (node.value.strip(),) if node.value.strip() else ()
    if not isinstance(node, yaml.SequenceNode):
        raise FieldError("must be a list of texts", node)
    return tuple(_scalar(item, "text") for item in node.value)


SAFE_URL_SCHEMES = ("http://", "https://", "mailto:")


def read_url(node: yaml.Node) -> str:
    """An address a reader can follow: http(s) or mailto. Anything else (javascript:, data:, file:...)
    could run code or leak files when clicked, so it is refused."""
    value = _scalar(node, "an address")
    if not value.lower().startswith(SAFE_URL_SCHEMES) or any(char.isspace() or ord(char) < 32 for char in value):
        raise FieldError(f"'{shown(value)}' is not a web address; write a full http:// or https:// URL", node)
    return value


def read_links(node: yaml.Node) -> tuple[tuple[str, str, yaml.Node], ...]:
    """A list of {title, url} mappings -> (title, url, node) triples."""
    if not isinstance(node, yaml.SequenceNode):
        raise FieldError("must be a list of entries with 'title' and 'url'", node)
    links = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise FieldError("each link must have 'title' and 'url' fields", item)
        fields: dict[str, yaml.Node] = {}
        for key, value in item.value:
            if isinstance(key, yaml.ScalarNode) and key.value in fields:
                raise FieldError(f"'{shown(key.value)}' is given twice in one link; keep one", key)
            fields[key.value if isinstance(key, yaml.ScalarNode) else ""] = value
        if "url" not in fields:
            raise FieldError("link has no 'url'", item)
        url = read_url(fields["url"])
        links.append((_scalar(fields["title"], "text") if "title" in fields else url, url, item))
    return tuple(links)


def read_choice(*choices: str) -> Reader:
    def read(node: yaml.Node) -> str:
        value = _scalar(node, "text")
        if value not in choices:
            raise FieldError(f"'{shown(value)}' is not one of: {', '.join(choices)}" + did_you_mean(value[:100], choices), node)
        return value
    return read


@dataclass(frozen=True)
class Fields:
    """Values read from a mapping, with where each field was written."""

    values: dict[str, Any]
    locations: dict[str, Location]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def read_fields(
    mapping: yaml.MappingNode,
    schema: dict[str, Reader],
    path: str,
    first_line: int,
    report: Diagnostics,
    unknown_level: str = "error",
) -> Fields:
    """Check every key of `mapping` against `schema`. Unknown, duplicate and ill-typed fields are
    reported; the rest are returned."""
    values: dict[str, Any] = {}
    locations: dict[str, Location] = {}
    seen_nodes: set[int] = set()
    for key_node, value_node in mapping.value:
        key_location = _location(key_node, path, first_line)
        # Every value is walked, read or not, so an alias to an unknown or repeated field is caught too.
        aliased = _uses_alias(value_node, seen_nodes)
        if not isinstance(key_node, yaml.ScalarNode):
            report.error(key_location, "field names must be plain words")
            continue
        name = key_node.value
        if name in locations:
            report.error(key_location, f"field '{shown(name)}' is given twice (first at line {locations[name].line}); keep one")
            continue
        locations[name] = key_location
        if name not in schema:
            message = f"unknown field '{shown(name)}'" + did_you_mean(name[:100], schema)
            (report.error if unknown_level == "error" else report.warning)(key_location, message)
            continue
        if aliased:
            report.error(_location(value_node, path, first_line), "YAML anchors and aliases (&, *) are not supported; write the value out")
            continue
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag == "tag:yaml.org,2002:null" and value_node.value in ("", "~", "null"):
            continue  # `field:` with nothing after it means "not set"
        try:
            values[name] = schema[name](value_node)
        except FieldError as error:
            report.error(_location(error.node, path, first_line), f"field '{name}' {error}" if str(error).startswith("must") else f"field '{name}': {error}")
    return Fields(values, locations)


def _uses_alias(node: yaml.Node, seen: set[int]) -> bool:
    """True when `node` shares a sub-node with something already read: the composer's result for `*alias`."""
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return True
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return False


def read_file_fields(
    text: str,
    schema: dict[str, Reader],
    path: str,
    report: Diagnostics,
    unknown_level: str = "error",
    first_line: int = 1,
) -> Fields | None:
    """A whole YAML text (e.g. briefing.yaml) -> Fields, or None when it does not parse."""
    mapping = parse_mapping(text, path, first_line, report)
    if mapping is None:
        return None
    return read_fields(mapping, schema, path, first_line, report, unknown_level)

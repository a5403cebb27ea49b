"""YAML bombs and traps in front matter and briefing.yaml: 100,000 levels of nesting (a segmentation fault
in libyaml's composer), alias expansion (billions of nodes), 5,000-digit numbers, control characters,
duplicate keys and the NO/yes/1.10 coercions. Each is a clear error at file:line:col or is kept as the text
written; the process never crashes, hangs or balloons, and the other documents are still read.

Each case runs in a child process with a time and memory limit, so a crash or a hang fails one test
instead of taking the suite down.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from hardening_support import ACTOR, SEED, child_env, write_project

LOAD_SCRIPT = """
import json, sys
from pathlib import Path
from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.stages.load import load_project
report = Diagnostics()
config = load_config(Path(sys.argv[1]), None, report)
project = load_project(config, report)
print(json.dumps({
    "diagnostics": [str(item) for item in report.sorted()],
    "documents": {source.slug: source.meta.title for source in project.sources},
    "tags": {source.slug: list(source.meta.tags) for source in project.sources},
    "actors": sorted(actor.slug for actor in project.actors),
    "title": config.title,
}))
"""
MEMORY_LIMIT = 1 << 30  # 1 GiB: an expanded alias bomb needs far more
TIME_LIMIT = 60


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def load_in_child(project: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(project)],
        env=child_env(), capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limits,
    )
    assert result.returncode == 0, f"the loader died ({result.returncode}): {result.stderr[-2000:]}"
    return json.loads(result.stdout)


def about(result: dict, name: str) -> list[str]:
    """The diagnostics about one file, without the undated-document warning every test would repeat."""
    return [line for line in result["diagnostics"] if f"/{name}." in line and "no date" not in line]


def project_with(tmp_path: Path, front: str, where: str = "seeds/bomb.md", config: str = "") -> Path:
    files = {
        "content/actors/joe-biden.md": ACTOR.format(name="Joe Biden"),
        "seeds/good.txt": SEED.format(title="Good", body="Joe Biden spoke."),
    }
    if where.startswith("seeds/"):
        files[where] = f"---\n{front}\n---\nJoe Biden spoke.\n"
    else:
        files[where] = f"---\n{front}\n---\nBio.\n"
    if config:
        files["briefing.yaml"] = config
    return write_project(tmp_path / "project", files)


DEEP = 100_000
DEEP_ERROR = "error: YAML is nested more than 50 levels deep; flatten it"
ALIAS_ERROR = "error: YAML anchors and aliases (&, *) are not supported; write the value out"


def alias_bomb() -> str:
    """Nine levels of nine aliases: 387,420,489 strings if anything expanded it."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 9)]
    return "\n".join(lines) + "\ntags: *a8"


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: " + "[" * DEEP + "]" * DEEP, [f"seeds/bomb.md:2:1: {DEEP_ERROR}"]),
        ("title: " + "[" * DEEP, [f"seeds/bomb.md:2:1: {DEEP_ERROR}"]),  # never closed
        ("title: " + "{a: " * DEEP + "b" + "}" * DEEP, [f"seeds/bomb.md:2:1: {DEEP_ERROR}"]),
        ("tags:\n" + "- " * DEEP + "x", [f"seeds/bomb.md:2:1: {DEEP_ERROR}"]),
        ("title: '" + "[" * DEEP + "'", []),  # brackets inside quotes are text, not nesting
    ],
    ids=["flow-lists", "unclosed-lists", "flow-mappings", "block-lists", "quoted-brackets"],
)
def test_deep_nesting_is_a_located_error_and_other_documents_still_load(tmp_path, front, expected):
    result = load_in_child(project_with(tmp_path, front))
    assert about(result, "bomb") == expected
    assert "good" in result["documents"]


def test_alias_bomb_is_an_error_without_expanding(tmp_path):
    result = load_in_child(project_with(tmp_path, alias_bomb()))
    bomb = about(result, "bomb")
    assert f"seeds/bomb.md:10:5: {ALIAS_ERROR}" in bomb  # where the aliased value is written
    assert result["tags"]["bomb"] == []
    assert "good" in result["documents"]


def test_huge_numbers_are_text_or_a_short_error(tmp_path):
    digits = "9" * 5000
    result = load_in_child(project_with(tmp_path, f"title: {digits}\ntags: [{digits}]\ndate: {digits}\ndraft: {digits}"))
    shown = "9" * 60 + "…"
    assert about(result, "bomb") == [
        f"seeds/bomb.md:4:7: error: field 'date': '{shown}' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11",
        f"seeds/bomb.md:5:8: error: field 'draft': '{shown}' is not true or false",
    ]


@pytest.mark.parametrize(
    ("front", "title", "tags"),
    [
        ("title: NO\ntags: [yes, 1.10, off, ~, 0x1F, 1e3, .inf, 2024-09-11, null]", "NO", ["yes", "1.10", "off", "~", "0x1F", "1e3", ".inf", "2024-09-11", "null"]),
        ("title: 1.10", "1.10", []),
        ("title: 007", "007", []),
        ("title: on", "on", []),
    ],
)
def test_yaml_coercions_keep_the_text_as_written(tmp_path, front, title, tags):
    result = load_in_child(project_with(tmp_path, front))
    assert about(result, "bomb") == []
    assert (result["documents"]["bomb"], result["tags"]["bomb"]) == (title, tags)


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: One\ntitle: Two", "seeds/bomb.md:3:1: error: field 'title' is given twice (first at line 2); keep one"),
        ("draft: yes", "seeds/bomb.md:2:8: error: field 'draft': 'yes' is not true or false"),
        ("draft: NO", "seeds/bomb.md:2:8: error: field 'draft': 'no' is not true or false"),
        ("title: a\x00b", "seeds/bomb.md:2:9: error: character U+0000 is not allowed in front matter; remove it"),
        ("title: ok\nsummary: \x1b[31mred", "seeds/bomb.md:3:10: error: character U+001B is not allowed in front matter; remove it"),
        # YAML allows implicit keys of up to 1,024 characters
        ("k" * 5000 + ": x", "seeds/bomb.md:2:5001: error: invalid YAML: mapping values are not allowed in this context"),
        ("k" * 1000 + ": x", "seeds/bomb.md:2:1: warning: unknown field '" + "k" * 60 + "…'"),
    ],
    ids=["duplicate", "yes", "NO", "nul", "escape", "too-long-key", "long-key"],
)
def test_traps_are_located_errors(tmp_path, front, expected):
    result = load_in_child(project_with(tmp_path, front))
    assert about(result, "bomb") == [expected]


def test_duplicate_keys_inside_a_link_are_an_error(tmp_path):
    front = "name: Anna\nkind: person\nlinks:\n  - title: A\n    url: https://a.example/\n    url: https://b.example/"
    result = load_in_child(project_with(tmp_path, front, where="content/actors/anna.md"))
    assert about(result, "anna") == [
        "content/actors/anna.md:7:5: error: field 'links': 'url' is given twice in one link; keep one"
    ]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("title: " + "[" * DEEP, f"briefing.yaml:1:1: {DEEP_ERROR}"),
        ("title: &t x\ndescription: *t", f"briefing.yaml:1:8: {ALIAS_ERROR}"),
        ("title: a\ntitle: b", "briefing.yaml:2:1: error: field 'title' is given twice (first at line 1); keep one"),
    ],
    ids=["deep", "alias", "duplicate"],
)
def test_briefing_yaml_bombs_are_located_errors(tmp_path, config, expected):
    result = load_in_child(project_with(tmp_path, "title: Fine", config=config))
    assert [line for line in result["diagnostics"] if line.startswith("briefing.yaml")] == [expected]
    assert sorted(result["documents"]) == ["bomb", "good"]

"""The CommonMark "pathological tests" (../shared/badinputs/markdown/cmark_pathological_cases.json) and
markdown-it-py's "fatal" inputs: Markdown that once made parsers crash, hang or take quadratic time.

markdown-it-py is linear on all of them but three, where it rescans the rest of a paragraph for every open
or nested '[': those spend their link-scan budget, are reported by `too_complex`, and are parsed again as
plain paragraphs. Every case runs in a child process with a time limit (a hang fails one test), at an
eighth of cmark's size to keep the suite fast; bench/hardening_bench.py runs them at full size and prints
the time each takes.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import markdown
from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.pipeline import build_site
from briefing.stages.load import MARKDOWN_TOO_COMPLEX
from hardening_support import ACTOR, audit_html, badinputs_file, child_env, write_project

CASES_FILE = "markdown/cmark_pathological_cases.json"
# The cases whose link scans grow with the paragraph: the budget stops them.
RUNAWAY = {"many link openers with no closers", "link openers and emph closers", "nested brackets"}


def pathological_text(case: dict, scale: float = 1.0) -> str:
    """A case's input; `scale` shrinks its repetitions. Three cases are described in words in the file."""
    pieces = case["pieces"]
    if isinstance(pieces, list):
        return "".join(text * (max(1, int(count * scale)) if count > 1 else 1) for text, count in pieces)
    if pieces.startswith("lines:"):
        return "".join("  " * i + "* a\n" for i in range(int(500 * scale)))
    if pieces.startswith("concat:"):
        return "".join("e" + "`" * i for i in range(1, int(2500 * scale)))
    refs = int(25000 * scale)  # reference definitions, then uses of them
    return "".join(f"[r{i}]: /u{i}\n" for i in range(refs)) + " ".join(f"[r{i}]" for i in range(refs))


def cases() -> list[dict]:
    return json.loads(badinputs_file(CASES_FILE).read_text(encoding="utf-8"))["cases"]


def case_names() -> list[str]:
    try:
        return [case["name"] for case in cases()]
    except BaseException:  # the lists are missing: one parameter, skipped with the reason
        return ["(hostile-input lists missing)"]


CHILD_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[2])
from test_pathological_markdown import cases, pathological_text
from briefing.mentions import MentionMatcher
from briefing.model import DocumentMeta, Source
from briefing.stages.annotate import annotate_document
matcher = MentionMatcher({"a": "alpha", "b": "beta"})
for case in cases():
    text = pathological_text(case, float(sys.argv[1]))
    source = Source("x", "seeds/x.md", "markdown", "x", DocumentMeta(), text, 1)
    html = annotate_document(source, matcher).body_html
    print(json.dumps({"name": case["name"], "length": len(text), "html": html[:100_000]}), flush=True)
"""


@pytest.fixture(scope="module")
def rendered_in_child() -> dict[str, dict]:
    """Every case annotated in one child process with a time limit: a hang or a crash fails the tests."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD_SCRIPT, "0.125", str(Path(__file__).parent)], env=child_env(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {line["name"]: line for line in map(json.loads, result.stdout.splitlines())}


@pytest.mark.parametrize("name", case_names())
def test_pathological_case_renders_without_live_markup(name, rendered_in_child):
    output = rendered_in_child[name]
    assert output["length"] > 0
    assert audit_html(output["html"]) == []


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_runaway_link_scans_are_caught_at_full_size_and_read_as_plain_paragraphs(name):
    text = pathological_text(next(case for case in cases() if case["name"] == name))
    assert markdown.too_complex(text)
    tokens = markdown.parse(text)
    assert [token.type for token in tokens][:3] == ["paragraph_open", "inline", "paragraph_close"]
    assert {child.type for token in tokens if token.type == "inline" for child in token.children} <= {"text", "softbreak"}


@pytest.mark.parametrize("name", case_names())
def test_only_the_runaway_cases_are_too_complex(name):
    case = next(case for case in cases() if case["name"] == name)
    assert markdown.too_complex(pathological_text(case, 0.125)) == (name in RUNAWAY)


def test_ordinary_markdown_with_many_links_is_not_too_complex():
    text = "\n\n".join(f"See [the report {n}](https://example.org/{n}) and [notes][n{n}] on [page {n}]." for n in range(3000))
    assert not markdown.too_complex(text)
    assert markdown.render_embedded(text).count("<a href=") == 3000


def test_too_complex_seed_is_a_warning_and_is_shown_as_plain_text(tmp_path):
    root = write_project(tmp_path / "project", {
        "content/actors/joe-biden.md": ACTOR.format(name="Joe Biden"),
        "seeds/brackets.md": "---\ntitle: Brackets\ndate: 2024-09-11\n---\nJoe Biden spoke. " + "[a" * 30000 + "\n",
        "content/pages/about.md": "[" * 30000 + "a" + "]" * 30000 + "\n",
    })
    report = Diagnostics()
    site = build_site(load_config(root, None, report), report)
    assert [str(item) for item in report.sorted()] == [
        f"content/pages/about.md:1:1: warning: {MARKDOWN_TOO_COMPLEX}",
        f"seeds/brackets.md:5:1: warning: {MARKDOWN_TOO_COMPLEX}",
    ]
    document = site.graph.documents[0]
    assert [mention.actor for mention in document.mentions] == ["joe-biden"]
    assert document.body_html.startswith('<p id="p-1"><span class="sentence" id="s-1"><a class="mention"')


def markdown_it_fatal_inputs() -> list[str]:
    lines = badinputs_file("markdown/markdown-it-py_fatal.md").read_text(encoding="utf-8").split("\n")
    inputs, index = [], 0
    while index < len(lines):
        if lines[index] == ".":
            end = lines.index(".", index + 1)
            inputs.append("\n".join(lines[index + 1:end]))
            index = lines.index(".", end + 1) + 1
        else:
            index += 1
    return inputs


def test_markdown_it_fatal_inputs_render_safely():
    inputs = markdown_it_fatal_inputs()
    assert len(inputs) >= 4
    for text in inputs:
        assert audit_html(markdown.render_embedded(text)) == []

"""Helpers for the hardening tests: tiny projects written on the fly, builds in this process or in a child
process (for inputs that could crash or hang the interpreter, or need limits set on the process), and the
public hostile-input lists.

The lists live in `../shared/badinputs/` beside the repository (CI has it there); they are read at run time
and never copied into the repo. Tests that need them are skipped, with the reason, when it is missing.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing.cli import main as briefing_main

REPO = Path(__file__).resolve().parents[2]
BADINPUTS = REPO.parent / "shared" / "badinputs"


def badinputs_file(relative: str) -> Path:
    """A file of the hostile-input lists, or a skip saying where the lists were looked for."""
    path = BADINPUTS / relative
    if not path.is_file():
        pytest.skip(f"hostile-input list {relative} not found: expected {BADINPUTS} beside the repository")
    return path


def payload_lines(relative: str) -> list[str]:
    """Non-empty lines of a payload list, in file order, without duplicates."""
    text = badinputs_file(relative).read_text(encoding="utf-8", errors="replace")
    return list(dict.fromkeys(line for line in text.splitlines() if line.strip()))


def write_project(root: Path, files: dict[str, str | bytes]) -> Path:
    """A project folder from {relative path: text or bytes}."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (root / "seeds").mkdir(exist_ok=True)
    return root


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def build_in_process(project: Path, output: Path | None = None, *extra: str) -> Run:
    stdout, stderr = io.StringIO(), io.StringIO()
    args = ["build", "--project", str(project), "--quiet", *extra]
    if output is not None:
        args += ["--output", str(output)]
    code = briefing_main(args, stdout, stderr)
    return Run(code, stdout.getvalue(), stderr.getvalue())


def child_env() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "CI")}
    env["PYTHONPATH"] = str(REPO)
    return env


def run_child(args: list[str], timeout: float = 120, prefix: list[str] | None = None, **options) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in a child process with the repo importable; `prefix` runs it through a wrapper."""
    return subprocess.run(
        [*(prefix or []), sys.executable, *args], env=child_env(), capture_output=True, text=True, timeout=timeout, **options
    )


def read_tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def siblings(output: Path) -> list[str]:
    return sorted(path.name for path in output.parent.iterdir())


ACTOR = "---\nname: {name}\nkind: person\n---\n"
SEED = "---\ntitle: {title}\ndate: 2024-09-11\n---\n{body}\n"


# --- a project made of hostile payloads ------------------------------------------------------------

XSS_LISTS = (
    "xss/0xcela_event_handlers.txt",
    "xss/BRUTELOGIC-XSS-JS.txt",
    "xss/BRUTELOGIC-XSS-STRINGS.txt",
    "xss/IntrudersXSS.txt",
    "xss/JHADDIX_XSS.txt",
    "xss/MarioXSSVectors.txt",
    "xss/RSNAKE_XSS.txt",
    "xss/XSSDetection.txt",
    "xss/XSS_Polyglots.txt",
    "xss/port_swigger_xss_cheatsheet_event_handlers.txt",
    "xss/xss_alert.txt",
    "xss/xss_payloads_quick.txt",
    "owasp/owasp_xss_filter_evasion_payloads.txt",
)
# Payloads of our own that would set a flag instead of opening a dialog: if one ever runs, the browser
# test sees window.__xss set, whatever else the page does.
CANARIES = (
    "<script>window.__xss='script'</script>",
    "<img src=x onerror=\"window.__xss='img'\">",
    "<svg onload=\"window.__xss='svg'\"></svg>",
    "<iframe srcdoc=\"<script>parent.__xss='srcdoc'</script>\"></iframe>",
    "<a href=\"javascript:window.__xss='href'\">link</a>",
    "<details open ontoggle=\"window.__xss='details'\">",
    "<body onload=\"window.__xss='body'\">",
    "<style>@import 'data:,*{x:expression(window.__xss=1)}'</style>",
    "\"><script>window.__xss='attribute'</script>",
    "'><svg/onload=window.__xss='quote'>",
    "</title><script>window.__xss='title'</script>",
    "</textarea><script>window.__xss='textarea'</script>",
    "{{7*7}} {% raw %}{{ config }}{% endraw %} ${7*7} #{7*7}",
)
MARKDOWN_LINK_TARGETS = (
    "javascript:window.__xss='md'",
    "JaVaScRiPt:window.__xss='md'",
    "javascript&colon;window.__xss='md'",
    "&#106;avascript:window.__xss='md'",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    " javascript:window.__xss='md'",
)
SSTI_LIST = "ssti/ssti.fuzz"


def hostile_payloads() -> list[str]:
    """Every line of the XSS lists and the SSTI list, then our canaries; skips when the lists are missing."""
    payloads = [line for relative in (*XSS_LISTS, SSTI_LIST) for line in payload_lines(relative)]
    return list(dict.fromkeys([*payloads, *CANARIES]))


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back exactly (control characters escaped)."""
    pieces = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            pieces.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF):
            pieces.append(f"\\u{code:04x}")
        else:
            pieces.append(char)
    return '"' + "".join(pieces) + '"'


def _has_scheme(text: str) -> bool:
    head = text.strip().split(":", 1)[0]
    return ":" in text and head.isalpha() and len(head) < 12


def _names(payloads: list[str], count: int) -> list[str]:
    """Payloads fit to be actor names: distinct, not blank, short enough to read in a list."""
    names = [payload.strip() for payload in payloads if payload.strip() and len(payload) < 120]
    return list(dict.fromkeys(names))[:count]


def hostile_project(root: Path, chunk: int = 150, actors: int = 40) -> Path:
    """A project whose every text field and body is hostile: seed bodies (Markdown and plain text) hold
    every payload, Markdown links and autolinks point at script URLs, and titles, sources, authors,
    summaries, tags, actor names, aliases, roles, link titles, the analyst note, a free page and the site
    settings are payloads too. It builds without errors (only warnings)."""
    payloads = hostile_payloads()
    names = _names([*CANARIES, *payloads], actors * 3)
    files: dict[str, str] = {
        "briefing.yaml": "\n".join(
            [f"title: {yaml_quoted(CANARIES[10])}", f"description: {yaml_quoted(CANARIES[1])}", f"footer: {yaml_quoted(CANARIES[3])}", ""]
        ),
        "content/pages/about.md": f"---\ntitle: {yaml_quoted(CANARIES[0])}\nsummary: {yaml_quoted(CANARIES[2])}\n---\n"
        + "\n\n".join(payloads[:200]) + "\n",
    }
    for number in range(actors):
        name, *aliases = names[number * 3:number * 3 + 3]
        files[f"content/actors/actor-{number:03}.md"] = "\n".join(
            [
                "---",
                f"name: {yaml_quoted(name)}",
                "kind: person",
                "aliases: [" + ", ".join(yaml_quoted(alias) for alias in aliases) + "]",
                f"role: {yaml_quoted(payloads[number])}",
                f"summary: {yaml_quoted(payloads[-number - 1])}",
                "links:",
                f"  - title: {yaml_quoted(payloads[number + 1])}",
                f"    url: https://example.org/{number}?q=%3Cscript%3E",
                "---",
                "\n\n".join(payloads[number * 5:number * 5 + 5]),
                "",
            ]
        )
    chunks = [payloads[start:start + chunk] for start in range(0, len(payloads), chunk)]
    for number, lines in enumerate(chunks):
        front = "\n".join(
            [
                "---",
                f"title: {yaml_quoted(lines[0])}",
                f"date: 2024-09-{number % 28 + 1:02}",
                f"source: {yaml_quoted(lines[1 % len(lines)])}",
                f"author: {yaml_quoted(lines[2 % len(lines)])}",
                f"summary: {yaml_quoted(lines[3 % len(lines)])}",
                "tags: [" + ", ".join(yaml_quoted(line) for line in lines[4:7]) + "]",
                "url: https://example.org/story?a=1&b=%22",
                "---",
                "",
            ]
        )
        links = [f"[link {index}]({target})" for index, target in enumerate(MARKDOWN_LINK_TARGETS)]
        links += [f"<{target.strip()}>" for target in MARKDOWN_LINK_TARGETS]
        # Payloads with a scheme as link targets: refused (javascript:, data:...) or external (http:).
        links += [f"[payload link]({line.strip().replace(' ', '%20')})" for line in lines if _has_scheme(line)]
        files[f"seeds/payloads-{number:02}.md"] = front + "\n\n".join([*lines, *links, *names]) + "\n"
        files[f"seeds/payloads-{number:02}-plain.txt"] = front.replace("title: ", "title: plain ", 1) + "\n\n".join([*lines, *names]) + "\n"
    files["content/documents/payloads-00.md"] = f"---\ntitle: {yaml_quoted(CANARIES[8])}\n---\n" + "\n\n".join(CANARIES) + "\n"
    return write_project(root, files)


def build_hostile_site(root: Path):
    """The hostile project built in this process and written to root/site whatever its diagnostics say
    (a broken relative link in a payload is an error that would stop the command line): (site folder,
    diagnostics). The pages are what a build would publish."""
    from briefing.config import load_config
    from briefing.diagnostics import Diagnostics
    from briefing.pipeline import build_site
    from briefing.stages.write import write_site

    project = hostile_project(root / "project")
    report = Diagnostics()
    config = load_config(project, root / "site", report)
    site = build_site(config, report)
    write_site(list(site.pages), config.output)
    return config.output, report


# --- auditing generated HTML -----------------------------------------------------------------------

# Elements no page of ours contains, that could run code, load something or replace the page.
FORBIDDEN_TAGS = frozenset(
    "iframe frame frameset object embed applet base img image video audio source track picture style math "
    "foreignobject animate animatemotion animatetransform set use template noscript textarea xmp portal "
    "isindex marquee listing plaintext".split()
)
URL_ATTRIBUTES = frozenset("href src xlink:href action formaction data poster background ping cite codebase manifest srcset".split())
SAFE_SCHEMES = ("http", "https", "mailto")
# The theme's own scripts: the only ones a page may load.
OUR_SCRIPTS = tuple(sorted(f"assets/{path.name}" for path in (REPO / "briefing/theme/static").glob("*.js")))
_URL_JUNK = re.compile(r"[\x00-\x20]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def unsafe_url(value: str) -> bool:
    """What a browser would do with the URL: ASCII whitespace and controls are dropped before the scheme
    is read, and the scheme is case-insensitive."""
    scheme = _SCHEME.match(_URL_JUNK.sub("", value).lower())
    return bool(scheme) and scheme.group(1) not in SAFE_SCHEMES


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def audit_html(html_text: str) -> list[str]:
    """Every piece of live markup in a page that could run code: scripts other than ours, event-handler
    attributes, script or data URLs, frames and other forbidden elements."""
    from briefing.network import STYLE

    html_text = html_text.replace(f"<style>{STYLE}</style>", "")  # the network picture's own fixed rules
    parser = _Tags()
    parser.feed(html_text)
    parser.close()
    problems = []
    for tag, attrs in parser.tags:
        names = [name for name, _ in attrs]
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element")
        if tag == "script" and not (names == ["src", "defer"] and (attrs[0][1] or "").endswith(OUR_SCRIPTS)):
            problems.append(f"<script {attrs}>")
        if tag == "meta" and "http-equiv" in names:
            problems.append(f"<meta {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...> event handler")
            elif name in ("srcdoc", "formaction", "action"):
                problems.append(f"<{tag} {name}=...>")
            elif name in URL_ATTRIBUTES and value and unsafe_url(value):
                problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "style" and value and re.search(r"url\(|expression|javascript|@import", value, re.IGNORECASE):
                problems.append(f"<{tag} style={value[:60]!r}>")
    raw_scripts = len(re.findall(r"<script\b", html_text, re.IGNORECASE))
    parsed_scripts = sum(1 for tag, _ in parser.tags if tag == "script")
    if raw_scripts != parsed_scripts:
        problems.append(f"{raw_scripts} '<script' in the text, {parsed_scripts} script elements")
    return problems

"""Rendered pages -> a diagnostic for every internal link or #anchor that has no target in the output.

Reads our own generated markup with one regular expression instead of an HTML parser (html.parser reads
under 2 MB/s; 10,000 documents make 380 MB of HTML). That is safe because every piece of text in a page
went through an escaper, so a raw `<`, `>` or `"` is always markup; comments, scripts and style sheets are
blanked first.

It can run as pages are made: `summarize_page` reduces a page to its links and ids (a few KB, so the page's
bytes can go), and `check_summaries` checks them all once every page is summarized. `check_links` does both
over pages in memory. `IncrementalLinkCheck` gives check_links's answer again and again to the preview server,
scanning and checking only what one edit can have changed.
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import unquote

from .. import urls
from ..config import SiteConfig
from ..diagnostics import Diagnostic, Location
from ..model import Page, Project

# An attribute that links (href, src, SVG's xlink:href) or names an anchor (id), with its value in double,
# single or no quotes. Attribute names are preceded by whitespace, which `data-href` or `aria-id` are not,
# and matched in lower case, as templates write them (case-insensitive matching reads 30% slower). The
# lookahead requires the rest of a tag after it, well-formed attributes then `>`: text escapes `<`, `>` and
# `"`, so `href=x` written in the text, or inside another attribute's quoted value, is never followed by that.
_REST_OF_TAG = rb"""(?=(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*\s*/?>)"""
_VALUE = rb"""(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
ATTRIBUTE = re.compile(rb"""\s(href|src|xlink:href|id)\s*=\s*""" + _VALUE + _REST_OF_TAG)
# The same attributes with nothing around their `=`, as the templates and the Markdown renderer write them,
# matched from the `=`: the engine finds a literal first character with a fast search, and `=` is far rarer
# than the whitespace ATTRIBUTE starts from, so this reads twice as fast. Its first group is `id` or empty.
# It finds what ATTRIBUTE finds in a page without whitespace beside any `=` (SPACED_EQUALS), else ATTRIBUTE is used.
TIGHT_ATTRIBUTE = re.compile(rb"=(?:(?<=\s(id)=)|(?<=\shref=)|(?<=\ssrc=)|(?<=\sxlink:href=))" + _VALUE + _REST_OF_TAG)
SPACED_EQUALS = re.compile(rb"=(?:(?<=\s=)|(?=\s))")
# Regions whose text is not markup: comments, and the body of an inline script or style sheet.
NOT_MARKUP = re.compile(rb"<!--.*?-->|<(script|style)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
SPACES_BUT_NEWLINES = bytes(byte if byte == ord("\n") else ord(" ") for byte in range(256))  # a bytes.translate table
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class ScannedPage:
    links: dict[str, bytes]  # each distinct link (entities decoded) -> its value as written in the page
    ids: frozenset[bytes]  # UTF-8, entities decoded


@dataclass(frozen=True)
class PageSummary:
    """What the link check needs of one HTML page: its output path, links and ids."""

    path: str
    scanned: ScannedPage


def scan_page(content: bytes) -> ScannedPage:
    """The links and element ids of one HTML page."""
    if b"<!--" in content or b"<script" in content or b"<style" in content:
        content = NOT_MARKUP.sub(_blank, content)
    pattern = ATTRIBUTE if SPACED_EQUALS.search(content) else TIGHT_ATTRIBUTE
    written_links, written_ids = set(), set()
    for name, double_quoted, single_quoted, bare in set(pattern.findall(content)):
        (written_ids if name == b"id" else written_links).add(double_quoted or single_quoted or bare)
    ids = frozenset(_decode(raw).encode() if b"&" in raw else raw for raw in written_ids)
    return ScannedPage({_decode(raw) if b"&" in raw else raw.decode("utf-8", errors="replace"): raw for raw in written_links}, ids)


def summarize_page(page: Page) -> PageSummary | None:
    """The page's links and ids, or None for a file that is not an HTML page (it is only a target)."""
    return PageSummary(page.path, scan_page(page.content)) if page.path.endswith(HTML_SUFFIXES) else None


def _decode(raw: bytes) -> str:
    value = raw.decode("utf-8", errors="replace")
    return html.unescape(value) if b"&" in raw else value


def find_link(content: bytes, raw: bytes) -> int:
    """The byte offset of the first attribute linking to `raw` (as written), for the diagnostic."""
    value = re.escape(raw)
    pattern = rb"""\s(?:href|src|xlink:href)\s*=\s*(?:"%s"|'%s'|%s(?=[\s/>]))""" % (value, value, value)
    match = re.search(pattern + _REST_OF_TAG, content)
    return match.start() + 1 if match else 0


def _blank(match: re.Match) -> bytes:
    """A comment, or a script's or style sheet's body, as spaces, keeping its newlines so that line numbers
    stay right."""
    text, offset = match.group(0), match.start()
    start, end = (match.start(2) - offset, match.end(2) - offset) if match.group(2) is not None else (0, len(text))
    return text[:start] + text[start:end].translate(SPACES_BUT_NEWLINES) + text[end:]


def page_inputs(project: Project) -> dict[str, tuple[str, ...]]:
    """Output page -> the project files whose own Markdown is shown on it, so that a broken link written
    in one of them is reported where it can be fixed."""
    inputs: dict[str, tuple[str, ...]] = {}
    for source in project.sources:
        inputs[urls.document_path(source.slug)] = tuple(path for path in (source.path, source.overlay_path) if path)
    for actor in project.actors:
        inputs[urls.actor_path(actor.slug)] = (actor.path,)
    for page in project.pages:
        inputs[urls.free_page_path(page.slug)] = (page.path,)
    return inputs


def check_links(
    pages: Sequence[Page],
    config: SiteConfig,
    inputs_by_page: dict[str, tuple[str, ...]] | None = None,
) -> list[Diagnostic]:
    """Every link in every HTML page that does not land on a file of the output, or on an element id of the
    page it names. `inputs_by_page` names the project files whose Markdown a page shows (`page_inputs`)."""
    summaries = [summary for summary in map(summarize_page, pages) if summary]
    content_by_path = {page.path: page.content for page in pages}
    return check_summaries(summaries, content_by_path, config, inputs_by_page, content_by_path.__getitem__)


def check_summaries(
    summaries: Iterable[PageSummary],
    files: Iterable[str],
    config: SiteConfig,
    inputs_by_page: dict[str, tuple[str, ...]] | None,
    read_page: Callable[[str], bytes],
) -> list[Diagnostic]:
    """check_links over pages already summarized: `files` names every output file (HTML pages or not), and
    `read_page(path)` gives a page's bytes again, asked only for a page with a broken link (to say where)."""
    scanned = {summary.path: summary.scanned for summary in summaries}
    checker = _LinkChecker(scanned, set(files), config, inputs_by_page or {}, read_page)
    problems = []
    for path in scanned:
        problems += checker.check_page(path)
    return problems


@dataclass
class _Checked:
    """What the last check knew of one HTML page."""

    content: bytes  # the bytes it was scanned from
    scanned: ScannedPage
    problems: list[Diagnostic]  # its diagnostics, in check_page's order
    paths_read: tuple[str, ...]  # output paths whose existence its verdicts read
    ids_read: tuple[str, ...]  # pages whose ids its verdicts read


@dataclass
class Reads:
    """What the verdicts on a page's links read of the output: whether paths exist, and pages' ids."""

    paths: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)


class IncrementalLinkCheck:
    """`check_links` for the preview server: one object per preview session, called at every rebuild with
    the whole site, returns exactly what `check_links` would (the same diagnostics in the same order) while
    scanning only the pages whose bytes changed and checking only the pages whose verdict can have changed.

    A page's diagnostics are a function of nothing but
      1. its own bytes: its links and ids, and where in it a broken link sits;
      2. what its links read of the output paths they resolve to: whether each exists, and for a link with
         a #fragment, the target's ids; for a path that does not exist, whether `<path>/index.html` does
         (the "names a folder" message). `_LinkChecker.check_page` lists these paths as it goes (`Reads`);
      3. the settings: base_url, the output folder's name, the project folder, and `inputs_by_page`;
      4. the text of the project files `inputs_by_page` names, read only to place a broken link.
    So, with what the last call learnt kept per page, a page is checked again when
      1. its bytes changed, and then it is scanned again. A page handed back as the very same `bytes`
         object is unchanged (the preview's renderer does that for a page it did not render again); so is an
         equal object: comparing costs a memcmp at worst, a scan costs a hundred times more;
      2. a path whose existence it read appeared or disappeared, or a page whose ids it read was scanned
         again with other ids. Two reverse indexes, path -> pages that read its existence and page -> pages
         that read its ids, kept up to date as pages are checked and forgotten, find these pages;
      3. the settings differ from last time's: then every page is checked;
      4. it had a diagnostic last time, since its input files may have been edited since.
    Every other page keeps last time's diagnostics, and the answer is every page's diagnostics in page
    order, as `check_summaries` concatenates them. Pages no longer in the site are forgotten. If a check
    fails half way, everything is forgotten and the next call checks the whole site.

    `scanned` and `checked` count the pages the last call scanned and checked.
    """

    def __init__(self) -> None:
        self._forget_all()

    def _forget_all(self) -> None:
        self._pages: dict[str, _Checked] = {}
        self._path_readers: dict[str, set[str]] = {}  # output path -> pages whose last check read whether it exists
        self._id_readers: dict[str, set[str]] = {}  # page -> pages whose last check read its ids
        self._files: set[str] = set()
        self._settings: tuple | None = None
        self.scanned = 0
        self.checked = 0

    def check(
        self,
        pages: Sequence[Page],
        config: SiteConfig,
        inputs_by_page: dict[str, tuple[str, ...]] | None = None,
    ) -> list[Diagnostic]:
        """What `check_links(pages, config, inputs_by_page)` returns."""
        try:
            return self._check(pages, config, inputs_by_page or {})
        except BaseException:
            self._forget_all()
            raise

    def _check(self, pages: Sequence[Page], config: SiteConfig, inputs_by_page: dict[str, tuple[str, ...]]) -> list[Diagnostic]:
        content_by_path = {page.path: page.content for page in pages}  # as in check_links: a path's last page wins
        files = set(content_by_path)
        appeared_or_gone = files ^ self._files
        new_ids: list[str] = []
        scanned: dict[str, ScannedPage] = {}
        rescanned: list[str] = []
        for path, content in content_by_path.items():
            if not path.endswith(HTML_SUFFIXES):
                continue
            known = self._pages.get(path)
            if known is not None and (known.content is content or known.content == content):
                scanned[path] = known.scanned
                known.content = content  # next time, `is` answers
                continue
            scanned[path] = scan_page(content)
            rescanned.append(path)
            if known is not None and known.scanned.ids != scanned[path].ids:
                new_ids.append(path)

        for path in self._pages.keys() - scanned.keys():
            self._forget(path)
        settings = (config.base_url, config.relative(config.output).rstrip("/"), config.project, dict(inputs_by_page))
        if settings != self._settings:
            to_check = list(scanned)
        else:
            stale = set(rescanned)
            stale.update(path for path, known in self._pages.items() if known.problems)
            for path in appeared_or_gone:
                stale.update(self._path_readers.get(path, ()))
            for path in new_ids:
                stale.update(self._id_readers.get(path, ()))
            to_check = [path for path in scanned if path in stale]

        checker = _LinkChecker(scanned, files, config, inputs_by_page, content_by_path.__getitem__)
        for path in to_check:
            reads = Reads()
            problems = checker.check_page(path, reads)
            self._forget(path)
            self._pages[path] = _Checked(content_by_path[path], scanned[path], problems, tuple(reads.paths), tuple(reads.ids))
            for target in reads.paths:
                self._path_readers.setdefault(target, set()).add(path)
            for target in reads.ids:
                self._id_readers.setdefault(target, set()).add(path)
        self._files, self._settings = files, settings
        self.scanned, self.checked = len(rescanned), len(to_check)
        return [problem for path in scanned for problem in self._pages[path].problems]

    def _forget(self, path: str) -> None:
        known = self._pages.pop(path, None)
        if known is None:
            return
        for index, targets in ((self._path_readers, known.paths_read), (self._id_readers, known.ids_read)):
            for target in targets:
                readers = index[target]
                readers.discard(path)
                if not readers:
                    del index[target]


class _LinkChecker:
    def __init__(
        self,
        scanned: dict[str, ScannedPage],
        files: set[str],
        config: SiteConfig,
        inputs_by_page: dict[str, tuple[str, ...]],
        read_page: Callable[[str], bytes],
    ):
        self.scanned, self.files, self.read_page = scanned, files, read_page
        self.base_url = config.base_url
        self.project = config.project
        self.output_name = config.relative(config.output).rstrip("/")
        self.inputs_by_page = inputs_by_page
        self.input_texts: dict[str, str | None] = {}
        self.landed_by_root: dict[str, set[str]] = {}  # page's way to the root -> links known to land from there
        self.target_names: dict[str, str] = {}  # one string per target, shared by every page's `Reads`

    def check_page(self, path: str, reads: Reads | None = None) -> list[Diagnostic]:
        """The page's broken links. `reads`, when given, receives what the verdicts read of the output (for
        `IncrementalLinkCheck`)."""
        problems = []
        to_root = urls.root_prefix(path)
        landed = self.landed_by_root.setdefault(to_root, set())
        for link, raw in self.scanned[path].links.items():
            if link in landed:
                if reads is not None:  # it landed by the usual shape below: its target follows `to_root`
                    target, hash_sign, _ = link[len(to_root) :].partition("#")
                    self.note_read(reads, target, hash_sign)
                continue
            problem = self.problem_with(link, path, to_root, landed, reads)
            if problem:
                content = self.read_page(path)
                problems.append(self.diagnostic(path, content, link, find_link(content, raw), problem))
        return problems

    def problem_with(
        self, link: str, page: str, to_root: str, landed: set[str], reads: Reads | None = None
    ) -> str | None:
        """Why `link` on `page` goes nowhere, or None when it lands. Adds to `reads` what it read."""
        if not link:
            return None
        rest = link[len(to_root):]
        if to_root and link.startswith(to_root) and not rest.startswith((".", "/")) and "./" not in rest and "%" not in rest and "?" not in rest:
            # The usual shape: up to the root (`to_root` is '../' per level) and down a plain path. Where it
            # lands does not depend on the page, so every page of the same depth can reuse the answer.
            target, _, fragment = rest.partition("#")
            if target in self.files and (not fragment or target not in self.scanned or fragment.encode() in self.scanned[target].ids):
                landed.add(link)
                if reads is not None:
                    self.note_read(reads, target, fragment)
                return None
        elif SCHEME.match(link):
            if not self.base_url or not (link == self.base_url or link.startswith(self.base_url + "/")):
                return None  # another site, mailto:, data:...
            target, fragment = self.resolve(link[len(self.base_url) + 1 :], "")
            if target is not None and reads is not None:
                self.note_read(reads, target, "")
            if target is not None and target not in self.files:
                # An absolute address may name a folder: only a web server reads it, and serves index.html.
                index = posixpath.join(target, "index.html") if target else "index.html"
                target = index if index in self.files else target
        elif link.startswith("//"):
            return None
        elif link.startswith("/"):
            return "is absolute: it breaks under a sub-path and from disk; link relative to the page"
        elif link.startswith(("#", "?")):
            target, fragment = page, unquote(link.partition("#")[2])
        else:
            target, fragment = self.resolve(link, posixpath.dirname(page))
        if target is None:
            return "leaves the site"
        if reads is not None:
            self.note_read(reads, target, fragment)
        if target not in self.files:
            if posixpath.join(target, "index.html") in self.files:
                folder = re.split(r"[?#]", link, maxsplit=1)[0].rstrip("/")
                return f"names a folder, which works on a web server but not from disk; link to {folder}/index.html"
            return "has no target"
        if fragment and target in self.scanned and fragment.encode() not in self.scanned[target].ids:
            where = "this page" if target == page else f"{self.output_name}/{target}"
            return f"has no target: {where} has no element with id '{fragment}'"
        return None

    def note_read(self, reads: Reads, target: str, fragment: str) -> None:
        """A verdict on a link to `target` reads whether it exists; with a fragment, its ids; when it does not
        exist, whether the folder's index.html does."""
        target = self.target_names.setdefault(target, target)
        reads.paths.add(target)
        if fragment:
            reads.ids.add(target)
        if target not in self.files:
            reads.paths.add(posixpath.join(target, "index.html"))

    def resolve(self, link: str, folder: str) -> tuple[str | None, str]:
        """(output path relative to the site root, or None above it; decoded fragment)."""
        path, _, fragment = link.partition("#")
        path = unquote(path.partition("?")[0])
        target = posixpath.normpath(posixpath.join(folder, path))
        if target == ".." or target.startswith("../"):
            return None, ""
        return ("" if target == "." else target), unquote(fragment)

    def diagnostic(self, path: str, content: bytes, link: str, offset: int, problem: str) -> Diagnostic:
        output_path = f"{self.output_name}/{path}"
        message = f"link to {link} {problem}"
        for input_path in self.inputs_by_page.get(path, ()):
            location = self.find_in_input(input_path, link)
            if location:
                return Diagnostic(location, "error", f"{message} (on {output_path})")
        return Diagnostic(Location.of_byte(output_path, content, offset), "error", message)

    def find_in_input(self, input_path: str, link: str) -> Location | None:
        """Where a project file writes `link`, if it does."""
        if input_path not in self.input_texts:
            try:
                self.input_texts[input_path] = (self.project / input_path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                self.input_texts[input_path] = None
        text = self.input_texts[input_path]
        if not text:
            return None
        for written in dict.fromkeys((link, unquote(link))):
            position = text.find(written)
            if position >= 0:
                line_start = text.rfind("\n", 0, position) + 1
                return Location(input_path, text.count("\n", 0, position) + 1, position - line_start + 1)
        return None

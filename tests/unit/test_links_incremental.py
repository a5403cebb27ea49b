"""outputs/links.IncrementalLinkCheck: kept across the rebuilds of one preview session, it answers exactly
what `check_links` answers for the same pages at every step (same diagnostics, same order), while scanning
only pages whose bytes changed and checking only pages whose verdict can have changed."""
from __future__ import annotations

import posixpath
import shutil
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest

from briefing import pipeline
from briefing.cache import FOLDER, AnalysisCache
from briefing.config import SiteConfig, load_config
from briefing.diagnostics import Diagnostic, Diagnostics
from briefing.model import Page
from briefing.outputs.links import HTML_SUFFIXES, IncrementalLinkCheck, check_links, page_inputs, scan_page
from briefing.pipeline import Memory
from briefing.serve.rerender import PageRenderer

SITES = Path(__file__).resolve().parents[1] / "sites"
INTERVIEW = "seeds/2024-03-21-reyl-interview.md"
STORM = "seeds/2024-03-15-storm-ilka.txt"

Inputs = dict[str, tuple[str, ...]]


def build(project: Path, memory: Memory | None = None) -> tuple[list[Page], SiteConfig, Inputs]:
    """What `build_site` hands its link check: every file of the site, the config and `page_inputs`."""
    handed: list[tuple[list[Page], SiteConfig, Inputs]] = []

    def recording(pages: list[Page], config: SiteConfig, inputs: Inputs) -> list[Diagnostic]:
        handed.append((list(pages), config, inputs))
        return check_links(pages, config, inputs)

    report = Diagnostics()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "check_links", recording)
        if memory:
            patch.setattr(memory, "check_links", recording)
        pipeline.build_site(load_config(project, None, report), report, jobs=1, memory=memory)
    [(pages, config, inputs)] = handed
    return pages, config, inputs


def check_both(memory: IncrementalLinkCheck, pages: list[Page], config: SiteConfig, inputs: Inputs) -> list[Diagnostic]:
    got = memory.check(pages, config, inputs)
    expected = check_links(pages, config, inputs)
    assert got == expected
    # What the object remembers is about the pages of this site only: removed pages are forgotten.
    html = {page.path for page in pages if page.path.endswith(HTML_SUFFIXES)}
    assert memory._pages.keys() == html
    assert all(readers and readers <= html for readers in [*memory._path_readers.values(), *memory._id_readers.values()])
    return got


def html_count(pages: list[Page]) -> int:
    return len({page.path for page in pages if page.path.endswith(HTML_SUFFIXES)})


def replaced(pages: list[Page], path: str, content: bytes) -> list[Page]:
    assert any(page.path == path for page in pages)
    return [Page(path, content) if page.path == path else page for page in pages]


def without(pages: list[Page], path: str) -> list[Page]:
    assert any(page.path == path for page in pages)
    return [page for page in pages if page.path != path]


def fragment_link(pages: list[Page]) -> tuple[str, str, str]:
    """(a page, the page its link `...#fragment` lands on, the fragment), the target another page."""
    scanned = {page.path: scan_page(page.content) for page in pages if page.path.endswith(HTML_SUFFIXES)}
    for path, page in scanned.items():
        for link in sorted(page.links):
            address, _, fragment = link.partition("#")
            if not address or not fragment or ":" in address:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(address)))
            if target != path and target in scanned and fragment.encode() in scanned[target].ids:
                return path, target, fragment
    raise AssertionError("no link with a fragment to another page")


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    copy = tmp_path / "newsroom"
    shutil.copytree(SITES / "newsroom", copy, ignore=shutil.ignore_patterns("expected", "expected-diagnostics.txt", FOLDER))
    return copy


def test_every_step_of_edits_to_the_pages_answers_as_check_links(site_project: Path) -> None:
    pages, config, inputs = build(site_project)
    total = html_count(pages)
    memory = IncrementalLinkCheck()
    assert check_both(memory, pages, config, inputs) == []
    assert (memory.scanned, memory.checked) == (total, total)

    # Nothing changed: the same objects, then equal copies of every page's bytes.
    assert check_both(memory, pages, config, inputs) == []
    assert (memory.scanned, memory.checked) == (0, 0)
    copies = [Page(page.path, bytes(bytearray(page.content))) for page in pages]
    assert copies[0].content is not pages[0].content
    assert check_both(memory, copies, config, inputs) == []
    assert (memory.scanned, memory.checked) == (0, 0)

    # A page loses an id that another page's link names: that page is checked again, and only the pages
    # reading that page's ids with it.
    source, target, fragment = fragment_link(pages)
    original = next(page.content for page in pages if page.path == target)
    written = f' id="{fragment}"'.encode()
    assert written in original
    lost_id = replaced(pages, target, original.replace(written, b""))
    problems = check_both(memory, lost_id, config, inputs)
    assert any(source in problem.message or problem.location.path.endswith(source) for problem in problems)
    assert any(f"has no element with id '{fragment}'" in problem.message for problem in problems)
    assert memory.scanned == 1 and 1 < memory.checked < total

    # Back again: the pages with problems and the target are checked, nothing else.
    assert check_both(memory, pages, config, inputs) == []
    assert memory.scanned == 1 and memory.checked < total

    # The target page deleted, then back.
    problems = check_both(memory, without(pages, target), config, inputs)
    assert any("has no target" in problem.message for problem in problems)
    assert (memory.scanned, memory.checked) == (0, memory.checked) and 0 < memory.checked < total
    assert check_both(memory, pages, config, inputs) == []
    assert memory.scanned == 1

    # A file that is not HTML, linked from every page, deleted then back: every linking page is checked.
    feed = without(pages, "feed.xml")
    problems = check_both(memory, feed, config, inputs)
    assert problems and all("link to " in problem.message and "feed.xml has no target" in problem.message for problem in problems)
    assert memory.scanned == 0 and memory.checked == total
    assert check_both(memory, pages, config, inputs) == []

    # A new page with good and broken links of each kind: it alone is scanned and checked.
    extra = (
        b'<!doctype html><html><body><main id="top"><a href="../index.html">home</a> <a href="#top">up</a> '
        b'<a href="#nowhere">down</a> <a href="../later/index.html">later</a> <a href="../documents/">all</a> '
        b'<a href="/index.html">root</a> <a href="../../outside.html">out</a> '
        + f'<a href="../{target}#{fragment}">there</a>'.encode()
        + b"</main></body></html>"
    )
    added = [*pages, Page("extra/index.html", extra)]
    problems = check_both(memory, added, config, inputs)
    assert len(problems) == 5 and {problem.location.path for problem in problems} == {f"{config.relative(config.output)}/extra/index.html"}
    assert (memory.scanned, memory.checked) == (1, 1)

    # A page appears where the new page's broken link pointed. A page at the root, whose links take the
    # checker's longer way, one that names the target with the site's address, and two pages of one depth
    # with the same link (the second one's verdict is remembered from the first's) have no problems until
    # the id they name goes.
    later = [*added, Page("later/index.html", b"<!doctype html><p>later</p>")]
    assert len(check_both(memory, later, config, inputs)) == 4
    root = Page("notes.html", f'<a href="./{target}#{fragment}">there</a>'.encode())
    absolute = Page("more/notes.html", f'<a href="https://example.org/desk/{target}#{fragment}">there</a>'.encode())
    twins = [Page(f"twins/{name}.html", f'<a href="../{target}#{fragment}">there</a>'.encode()) for name in "ab"]
    later = [*later, root, absolute, *twins]
    assert len(check_both(memory, later, config, inputs)) == 4
    assert (memory.scanned, memory.checked) == (4, 5)
    lost_again = replaced(later, target, original.replace(written, b""))
    problems = check_both(memory, lost_again, config, inputs)
    assert {"site/notes.html", "site/extra/index.html", "site/twins/a.html", "site/twins/b.html"} <= {problem.location.path for problem in problems}
    assert "site/more/notes.html" not in {problem.location.path for problem in problems}

    # The settings: every page is checked again, none scanned.
    assert check_both(memory, later, config, inputs)
    elsewhere = replace(config, base_url="https://example.org/desk")
    check_both(memory, later, elsewhere, inputs)
    assert (memory.scanned, memory.checked) == (0, total + 6)
    check_both(memory, later, elsewhere, {})
    assert (memory.scanned, memory.checked) == (0, total + 6)
    check_both(memory, later, elsewhere, {})
    assert (memory.scanned, memory.checked) == (0, 1)  # the page with problems
    problems = check_both(memory, replaced(later, target, original.replace(written, b"")), elsewhere, {})
    assert "site/more/notes.html" in {problem.location.path for problem in problems}

    # The pages removed from the site are forgotten (check_both asserts it).
    assert check_both(memory, pages, config, inputs) == []
    assert memory.checked == total


def test_a_preview_session_answers_as_check_links_after_every_edit(newsroom: Path) -> None:
    """Real rebuilds as the preview server makes them: the analysis cache and the page renderer, which
    hands back the very same bytes for a page it did not render again."""
    session, memory = Memory(AnalysisCache(None), render_html=PageRenderer().render_pages), IncrementalLinkCheck()

    def rebuild() -> list[Diagnostic]:
        pages, config, inputs = build(newsroom, session)
        return check_both(memory, pages, config, inputs)

    def edit(relative: str, change) -> None:
        path = newsroom / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    assert rebuild() == []
    total = memory.checked
    assert rebuild() == []
    assert (memory.scanned, memory.checked) == (0, 0)

    # A broken link written in a seed's Markdown is reported in the seed, where it can be fixed.
    edit(INTERVIEW, lambda text: text + "\nThe [archive](../archive/) holds the rest.\n")
    problems = rebuild()
    assert [str(problem) for problem in problems] == [
        f"{INTERVIEW}:20:15: error: link to ../archive/ has no target (on site/documents/2024-03-21-reyl-interview/index.html)"
    ]
    assert 0 < memory.scanned <= memory.checked < total
    edit(INTERVIEW, lambda text: text.replace("[archive](../archive/)", "[archive](../../index.html)"))
    assert rebuild() == []
    edit(INTERVIEW, lambda text: text.replace("[archive](../../index.html)", "[archive](../archive/)"))
    assert len(rebuild()) == 1

    edit(STORM, lambda text: text + "Mara Okonjo said on Monday the corridor would reopen.\n")
    assert len(rebuild()) == 1
    (newsroom / INTERVIEW).unlink()
    assert rebuild() == []
    (newsroom / "seeds/2024-03-30-reopening.md").write_text(
        "---\ndate: 2024-03-30\nsource: The Harbour Ledger\n---\nTomas Reyl said Port Arlen reopens [on Monday](#monday).\n",
        encoding="utf-8",
    )
    problems = rebuild()
    assert [problem.location.path for problem in problems] == ["seeds/2024-03-30-reopening.md"]
    edit("briefing.yaml", lambda text: text + "base_url: https://example.org/newsroom\n")
    assert len(rebuild()) == 1
    assert memory.checked == memory.scanned == total

"""The published site in chromium: built with a base URL, every page still opens from disk with its styles
and pictures; every actor page prints as a one-page dossier, even for an actor with far too much to say;
and a host serving 404.html at any depth under a sub-path shows it styled, with links that work.
PDFs of the dossiers go to tests/artifacts/print/ for review.
"""
from __future__ import annotations

import functools
import http.server
import io
import re
import threading
from pathlib import Path

import pytest

from briefing.cli import main as briefing_main

TESTS = Path(__file__).resolve().parents[1]
PROJECTS = {"example": TESTS.parent, "newsroom": TESTS / "sites" / "newsroom"}
PRINTS = TESTS / "artifacts" / "print"
BASE = "https://example.org/briefing"
MASTHEAD = "rgb(20, 33, 61)"  # the theme's --masthead on screen: proof that style.css applied
PAPER = ("A4", "Letter")


def build(project: Path, output: Path, *options: str) -> Path:
    stderr = io.StringIO()
    code = briefing_main(["build", "--project", str(project), "--output", str(output), "--quiet", *options], io.StringIO(), stderr)
    assert code == 0, stderr.getvalue()
    return output


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    """Both example projects built with --base-url, as CI publishes them."""
    return {
        case: build(project, tmp_path_factory.mktemp(f"published-{case}") / "nested" / "site", "--base-url", BASE)
        for case, project in PROJECTS.items()
    }


def write_busy_project(root: Path) -> Path:
    """One actor with every dossier section overfull and every text long: 12 briefings, 72 statements,
    144 dated events, eight aliases, six links, a long name, role, summary, biography and footer."""
    (root / "seeds").mkdir(parents=True)
    (root / "content" / "actors").mkdir(parents=True)
    (root / "briefing.yaml").write_text(
        "title: Busy Desk Briefing With A Rather Long Site Title\nfooter: " + "A long footer line for the printed page. " * 6 + "\n",
        encoding="utf-8",
    )
    links = "".join(f"  - title: Official profile number {n} with a long title\n    url: https://example.org/a/very/long/path/{n}/index.html\n" for n in range(6))
    (root / "content" / "actors" / "ana.md").write_text(
        "---\nname: Ana Maria Worthington-Kensington de la Vega y Montenegro\nkind: person\n"
        "aliases: [Worthington-Kensington, Ana Worthington, Dona Ana, Ana Maria, Minister Worthington, the Envoy, Envoy Ana, AMWK]\n"
        "role: Special Envoy for Grain Corridors, Maritime Security, Port Logistics and Regional Trade Negotiations\n"
        "affiliation: [vesnia, ledger]\ncountry: vesnia\n"
        f"summary: {'Envoy leading every round of the corridor talks, ' * 8}\nlinks:\n{links}---\n" + "A biography paragraph. " * 120 + "\n",
        encoding="utf-8",
    )
    (root / "content" / "actors" / "vesnia.md").write_text("---\nname: Republic of Vesnia\nkind: state\naliases: [Vesnia]\n---\n", encoding="utf-8")
    (root / "content" / "actors" / "ledger.md").write_text("---\nname: The Harbour Ledger\nkind: media\n---\n", encoding="utf-8")
    clause = "with a long clause that goes on about the negotiations, the ports, the grain, the convoys and the weather " * 2
    for n in range(12):
        sentences = []
        for _ in range(6):
            sentences.append(f"“We will keep the corridor open {clause},” Ana Maria Worthington-Kensington de la Vega y Montenegro said on March {n + 5}.")
            sentences.append(f"Worthington-Kensington met Vesnia's port authority {clause} on March {n + 3}, The Harbour Ledger reported.")
        (root / "seeds" / f"talks-{n:02d}.txt").write_text(
            f"---\ntitle: Round {n} of the corridor talks ends with a long headline about Worthington-Kensington and the ports of Vesnia\n"
            f"date: 2024-03-{n + 10:02d}\nsource: The Harbour Ledger\n---\n" + "\n\n".join(sentences) + "\n",
            encoding="utf-8",
        )
    return root


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("busy")
    return build(write_busy_project(root / "project"), root / "site")


def every_page(sites: dict[str, Path]) -> list[tuple[str, str]]:
    return [(case, path.relative_to(site).as_posix()) for case, site in sites.items() for path in sorted(site.rglob("*.html"))]


def test_every_page_of_a_site_built_with_a_base_url_opens_from_disk_styled_with_its_pictures(session, published):
    """404.html is the exception: with a base URL its links are absolute (see the served test below)."""
    page = session.context.new_page()
    visited = []
    for case, path in every_page(published):
        if path == "404.html":
            continue
        page.goto((published[case] / path).as_uri())
        shown = page.evaluate(
            """() => [getComputedStyle(document.querySelector('.site-header')).backgroundColor,
                      [...document.images].filter(image => !image.complete || image.naturalWidth === 0).map(image => image.src),
                      [...document.querySelectorAll('main svg')].filter(svg => svg.getBoundingClientRect().width < 100).length]"""
        )
        assert shown == [MASTHEAD, [], 0], path
        visited.append(path)
    assert session.failures == []
    assert [url for url in session.requests if not url.startswith("file://")] == []
    assert len(visited) == len(every_page(published)) - 2
    assert {"actors/joe-biden/index.html", "documents/2024-03-02-grain-corridor/index.html", "about/index.html", "network/index.html"} <= set(visited)


@pytest.mark.parametrize("case", PROJECTS)
def test_every_actor_page_prints_as_a_one_page_dossier(case, session, published):
    """On A4; the overfull dossier below is also printed on Letter, which is shorter."""
    PRINTS.mkdir(parents=True, exist_ok=True)
    page = session.context.new_page()
    counts = {}
    for actor in sorted((published[case] / "actors").glob("*/index.html")):
        page.goto(actor.as_uri())
        pdf = page.pdf(format="A4")
        counts[actor.parent.name] = pdf_pages(pdf)
        if actor.parent.name in ("joe-biden", "united-states", "mara-okonjo"):
            (PRINTS / f"dossier-{actor.parent.name}.pdf").write_bytes(pdf)
    assert len(counts) == (13 if case == "example" else 10)
    assert {slug: count for slug, count in counts.items() if count != 1} == {}


def test_an_overfull_dossier_still_prints_on_one_page_showing_the_newest_and_saying_so(session, busy_site):
    page = session.context.new_page()
    PRINTS.mkdir(parents=True, exist_ok=True)
    page.goto((busy_site / "actors/ana/index.html").as_uri())
    pages = {paper: pdf_pages(page.pdf(format=paper)) for paper in PAPER}
    (PRINTS / "dossier-overfull.pdf").write_bytes(page.pdf(format="A4"))
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => {
          const visible = (selector) => [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length > 0);
          const note = (id) => document.querySelector(`#${id} .heading-count`).textContent + getComputedStyle(document.querySelector(`#${id} .heading-count`), '::after').content;
          return {
            statements: visible('#statements .statements > li').length,
            appearances: visible('.appearances > li').length,
            quotes: visible('.appearances .context').length,
            events: visible('.events > li').map(e => e.querySelector('time').textContent),
            hidden: ['#biography', '#connections', '.site-nav'].filter(s => !visible(s).length),
            notes: [note('statements'), note('appearances'), note('timeline')],
          };
        }"""
    )
    assert pages == {"A4": 1, "Letter": 1}
    assert shown == {
        "statements": 3,
        "appearances": 4,
        "quotes": 4,
        "events": ["16 March 2024"] * 4,
        "hidden": ["#biography", "#connections", ".site-nav"],
        "notes": [
            '72 statements" · newest 3 shown"',
            '12 briefings" · newest 4 shown"',
            '144 dated events" · latest 4 shown"',
        ],
    }


def test_a_short_dossier_adds_no_shown_note(session, published):
    page = session.context.new_page()
    page.goto((published["example"] / "actors/joe-biden/index.html").as_uri())
    page.emulate_media(media="print")

    notes = page.evaluate("() => [...document.querySelectorAll('.heading-count')].map(e => getComputedStyle(e, '::after').content)")

    assert notes == ["none"] * 4


class SubPathHost(http.server.SimpleHTTPRequestHandler):
    """A static host with the site under /briefing/, answering missing addresses with 404.html."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "briefing" / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def host(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SubPathHost, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_404_served_at_any_depth_under_a_sub_path_is_styled_and_its_links_work(browser, host):
    root, origin = host
    build(PROJECTS["example"], root / "briefing", "--base-url", f"{origin}/briefing")
    context = browser.new_context()
    context.route(lambda url: not url.startswith(origin), lambda route: route.abort())
    try:
        page = context.new_page()
        statuses = {}
        for missing in ("/briefing/nothing.html", "/briefing/documents/gone/deeper/still/"):
            response = page.goto(origin + missing)
            statuses[missing] = (response.status, page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor"))
        page.locator(".not-found-links a", has_text="All briefings").click()
        page.wait_for_url(f"{origin}/briefing/documents/")
        heading = page.locator("h1").inner_text()
    finally:
        context.close()
    assert statuses == {
        "/briefing/nothing.html": (404, MASTHEAD),
        "/briefing/documents/gone/deeper/still/": (404, MASTHEAD),
    }
    assert heading == "Briefings"

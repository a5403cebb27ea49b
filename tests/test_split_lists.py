"""Lists too long for one page are split as the timeline is (tests/test_timeline_months.py):

- past render.DOCUMENTS_PAGE_LIMIT briefings, documents/index.html becomes an overview of the months of
  publication, newest year first, and each month has its page, documents/YYYY-MM.html (undated briefings:
  documents/undated.html), listing its briefings exactly as the single index does;
- a dossier section with more entries than its limit (render.STATEMENTS_ON_DOSSIER, APPEARANCES_ON_DOSSIER,
  EVENTS_ON_DOSSIER) shows the newest (the latest dated events) and links to one page per year,
  actors/<slug>/<section>-YYYY.html (or -undated.html), listing that year's entries exactly as the dossier does;
  past render.CONNECTIONS_ON_DOSSIER, the dossier lists the strongest connections and links to one page per
  kind of the other actor, actors/<slug>/connections-<kind>.html, ranked as the dossier ranks them.

The project (tests/archive_project.py) has six briefings in four months of three years and one undated; the
limits are lowered to 2 here. Each split page is compared with the same project built with the limits out of
reach: the entries of the split pages, in order, are the entries of the single page, byte for byte.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archive_project import write_archive_project
from briefing import urls
from briefing.cli import main as briefing_main
from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.pipeline import build_site
from briefing.serve.rerender import PageRenderer
from briefing.stages import render

BASE_URL = "https://example.org/port"
LIMITS = ("DOCUMENTS_PAGE_LIMIT", "STATEMENTS_ON_DOSSIER", "APPEARANCES_ON_DOSSIER", "EVENTS_ON_DOSSIER", "CONNECTIONS_ON_DOSSIER")
MONTHS = ["2025-01", "2024-03", "2024-01", "2023-11"]  # newest first, as the briefings are listed
# The briefings in index order: newest first, the undated last.
DOCUMENTS = ["lind-resigns", "spring-convoy", "icebreakers-arrive", "ice-closes-basin", "dredging-tender", "harbour-history"]
DOCUMENTS_BY_MONTH = {
    "2025-01": ["lind-resigns"], "2024-03": ["spring-convoy"], "2024-01": ["icebreakers-arrive", "ice-closes-basin"],
    "2023-11": ["dredging-tender"], "undated": ["harbour-history"],
}
UNDATED_WARNING = ("seeds/harbour-history.txt:1:1: warning: no date: the document is listed as undated; "
                   "add 'date: YYYY-MM-DD' to its front matter or overlay\n")
# (actor, section) -> [(year, entries)] of the dossier sections past the limit of 2, years as the pages name them.
YEARS = {
    ("mara-lind", "statements"): [("2025", 1), ("2024", 1), ("2023", 1), ("undated", 2)],
    ("mara-lind", "appearances"): [("2025", 1), ("2024", 3), ("2023", 1), ("undated", 1)],
    ("mara-lind", "timeline"): [("2025", 1), ("2024", 1), ("2023", 1)],
    ("port-authority", "appearances"): [("2024", 2), ("2023", 1), ("undated", 1)],
}
NOUNS = {"statements": ("statement", "statements"), "appearances": ("briefing", "briefings"), "timeline": ("dated event", "dated events")}
# One entry of each list, from its opening tag to its closing one at the same indentation.
ENTRY = {
    "documents": re.compile(r'^<li class="doc-item">\n.*?^</li>\n', re.M | re.S),
    "statements": re.compile(r'^          <li>\n.*?^          </li>\n', re.M | re.S),
    "appearances": re.compile(r'^          <li>\n.*?^          </li>\n', re.M | re.S),
    "timeline": re.compile(r'^<li class="event".*?^</li>\n', re.M | re.S),
    "connections": re.compile(r'^          <li>\n.*?^          </li>\n', re.M | re.S),
}
LIST = {"statements": '<ol class="statements">', "appearances": '<ol class="appearances">', "timeline": '<ol class="events">',
        "connections": '<ol class="connections">'}
# Mara Lind's connections, strongest first (ties by slug), and the kind of each.
CONNECTIONS = [("port-authority", "organization"), ("daily-tide", "media"), ("norvia", "state")]
YEAR = re.compile(r'<section class="timeline-year" id="(year-\d+|undated)" aria-labelledby="\1-heading">\n'
                  r'  <h2 id="\1-heading" class="section-heading">(\w+) <span class="heading-count">(\d+) documents?</span></h2>')
MONTH_LINK = re.compile(r'<li><a href="([^"]+)"><span class="month-name">(\w+)</span> <span class="month-count">(\d+) documents?</span></a></li>')
# On a part's own page the links to the other parts have no counts: an entry added to one year changes no other page.
PART_LINK = re.compile(r'<li><a href="([^"]+)"( aria-current="page")?><span class="part-name">(\w+(?: \d+)?)</span></a></li>')
YEAR_LINK = re.compile(r'<li><a href="([^"]+)"( aria-current="page")?><span class="part-name">(\w+(?: \d+)?)</span> <span class="part-count">(\d+) [a-z ]+</span></a></li>')


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def month_path(month: str) -> str:
    return urls.documents_undated_path() if month == "undated" else urls.documents_month_path(int(month[:4]), int(month[5:]))


def year_path(actor: str, section: str, year: str) -> str:
    return urls.actor_year_path(actor, section, None if year == "undated" else int(year))


def entries(html: str, kind: str) -> list[str]:
    """The entries of the one list of `kind` in a page (a dossier: of that section's list)."""
    if kind == "documents":
        return ENTRY[kind].findall(html)
    start = html.index(LIST[kind])
    return ENTRY[kind].findall(html, start, html.index("        </ol>\n", start))


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="doc-title"><a href="../documents/([^/]+)/index.html">', html)


def build_with_limits(build, project: Path, output: Path, limit: int) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        for name in LIMITS:
            patch.setattr(render, name, limit)
        result = build(project, output)
    assert (result.exit_code, result.stderr) == (0, UNDATED_WARNING)
    return output


@pytest.fixture(scope="module")
def sites(build, tmp_path_factory) -> tuple[Path, Path]:
    """(split, whole): the project built with the limits at 2, and with the limits out of reach."""
    root = tmp_path_factory.mktemp("split-lists")
    project = write_archive_project(root / "project", base_url=BASE_URL)
    return build_with_limits(build, project, root / "split", 2), build_with_limits(build, project, root / "whole", 10**6)


@pytest.fixture(scope="module")
def split_site(sites) -> Path:
    return sites[0]


def test_split_pages_are_named_by_month_and_by_section_and_year():
    assert urls.documents_month_path(2024, 9) == "documents/2024-09.html"
    assert urls.documents_undated_path() == "documents/undated.html"
    assert urls.actor_year_path("mara-lind", "appearances", 2024) == "actors/mara-lind/appearances-2024.html"
    assert urls.actor_year_path("mara-lind", "statements", None) == "actors/mara-lind/statements-undated.html"
    assert urls.actor_year_path("mara-lind", "timeline", 987) == "actors/mara-lind/timeline-0987.html"
    assert urls.actor_year_path("mara-lind", "appearances", 2024, 9) == "actors/mara-lind/appearances-2024-09.html"
    with pytest.raises(ValueError):
        urls.actor_year_path("mara-lind", "connections", 2024)


# --- the briefings index -------------------------------------------------------------------------------

def test_the_documents_folder_holds_the_overview_a_page_per_month_and_the_undated_page(split_site):
    pages = sorted(path.name for path in (split_site / "documents").glob("*.html"))
    assert pages == ["2023-11.html", "2024-01.html", "2024-03.html", "2025-01.html", "index.html", "undated.html"]
    assert sorted(path.name for path in (split_site / "documents").iterdir() if path.is_dir()) == sorted(DOCUMENTS)


def test_the_overview_lists_each_year_newest_first_with_its_months_in_calendar_order_then_the_undated(split_site):
    overview = read(split_site, urls.documents_index_path())
    sections = overview.split('<section class="timeline-year"')[1:]
    listed = [
        (YEAR.search('<section class="timeline-year"' + section).groups(), MONTH_LINK.findall(section))
        for section in sections
    ]
    assert listed == [
        (("year-2025", "2025", "1"), [("../documents/2025-01.html", "January", "1")]),
        (("year-2024", "2024", "3"), [("../documents/2024-01.html", "January", "2"), ("../documents/2024-03.html", "March", "1")]),
        (("year-2023", "2023", "1"), [("../documents/2023-11.html", "November", "1")]),
        (("undated", "Undated", "1"), [("../documents/undated.html", "Undated", "1")]),
    ]
    assert ('<p class="lede">6 documents, from November 2023 to January 2025: one page per month, newest year first, '
            "each listing its briefings newest first; undated documents on a page of their own.</p>") in overview
    assert 'class="doc-item"' not in overview


@pytest.mark.parametrize("month", [*MONTHS, "undated"])
def test_each_month_page_lists_its_briefings_newest_first_exactly_as_the_single_index(sites, month):
    split, whole = sites
    page = read(split, month_path(month))
    assert titles(page) == DOCUMENTS_BY_MONTH[month]
    single = dict(zip(titles(read(whole, urls.documents_index_path())), entries(read(whole, urls.documents_index_path()), "documents")))
    assert entries(page, "documents") == [single[slug] for slug in DOCUMENTS_BY_MONTH[month]]


def test_the_months_together_hold_every_briefing_of_the_single_index_once_in_its_order(sites):
    split, whole = sites
    listed = [entry for month in [*MONTHS, "undated"] for entry in entries(read(split, month_path(month)), "documents")]
    assert listed == entries(read(whole, urls.documents_index_path()), "documents")
    assert len(listed) == len(set(listed)) == len(DOCUMENTS)


@pytest.mark.parametrize("position", range(len(MONTHS)))
def test_a_month_links_to_the_months_beside_it_and_back_to_its_year(split_site, position):
    month = MONTHS[position]
    page = read(split_site, month_path(month))
    older = MONTHS[position + 1] if position + 1 < len(MONTHS) else None
    newer = MONTHS[position - 1] if position else None
    # Twice each: below the heading, and at the foot of the page; "previous" is the older month, as on the timeline.
    assert re.findall(r'<a rel="prev" href="([^"]+)"', page) == ([f"../{month_path(older)}"] * 2 if older else [])
    assert re.findall(r'<a rel="next" href="([^"]+)"', page) == ([f"../{month_path(newer)}"] * 2 if newer else [])
    assert f'<li class="all"><a href="../documents/index.html#year-{month[:4]}">All months</a></li>' in page


def test_the_undated_page_links_back_to_the_undated_section_of_the_overview(split_site):
    page = read(split_site, urls.documents_undated_path())
    assert '<li class="all"><a href="../documents/index.html#undated">All months</a></li>' in page
    assert 'rel="prev"' not in page and 'rel="next"' not in page
    assert "<title>Undated · Briefings · Port Archive</title>" in page
    assert '<p class="lede">1 document without a date of publication.</p>' in page


def test_a_month_page_says_which_month_in_its_title_description_and_heading(split_site):
    page = read(split_site, month_path("2024-01"))
    assert "<title>January 2024 · Briefings · Port Archive</title>" in page
    assert '<meta name="description" content="The briefings of January 2024: 2 documents, newest first.">' in page
    assert "<h1>January 2024</h1>" in page
    assert f'<link rel="canonical" href="{BASE_URL}/documents/2024-01.html">' in page


def test_the_header_marks_briefings_as_the_current_page_on_the_overview_and_the_current_section_on_a_month(split_site):
    assert '<a href="index.html" aria-current="page">Briefings</a>' in read(split_site, urls.documents_index_path())
    assert '<a href="../documents/index.html" aria-current="true">Briefings</a>' in read(split_site, month_path("2024-01"))
    assert '<a href="../../documents/index.html">Briefings</a>' in read(split_site, urls.document_path("spring-convoy"))


# --- the dossiers --------------------------------------------------------------------------------------

def test_the_actor_folders_hold_a_page_per_year_of_each_section_past_its_limit_and_per_kind_of_connection(split_site):
    listed = sorted(path.relative_to(split_site).as_posix() for path in (split_site / "actors").glob("*/*.html"))
    expected = [year_path(actor, section, year) for (actor, section), years in YEARS.items() for year, _ in years]
    kinds = [urls.actor_connections_path("mara-lind", kind) for kind in ("state", "organization", "media")]
    dossiers = [urls.actor_path(slug) for slug in ("daily-tide", "mara-lind", "norvia", "port-authority")]
    assert listed == sorted([*expected, *kinds, *dossiers])


@pytest.mark.parametrize(("actor", "section"), YEARS)
def test_a_dossier_section_past_its_limit_shows_the_newest_two_keeps_the_total_and_links_every_year(sites, actor, section):
    split, whole = sites
    dossier, single = read(split, urls.actor_path(actor)), entries(read(whole, urls.actor_path(actor)), section)
    shown = entries(dossier, section)
    # The newest entries: the first two, and for the timeline, oldest first, the last two.
    assert shown == (single[-2:] if section == "timeline" else single[:2])
    singular, plural = NOUNS[section]
    assert re.search(rf'<h2 id="{section}-heading" class="section-heading">\w+ <span class="heading-count">{len(single)} {plural}</span></h2>', dossier)
    nav = dossier[dossier.index(f'<nav class="section-pages" aria-label="{section.capitalize()} by year">'):]
    nav = nav[: nav.index("</nav>")]
    assert f"<p>The {'latest' if section == 'timeline' else 'newest'} 2 are shown here. All of them, year by year:</p>" in nav
    assert YEAR_LINK.findall(nav) == [
        (f"../../{year_path(actor, section, year)}", "", year.capitalize(), str(count)) for year, count in YEARS[(actor, section)]
    ]


@pytest.mark.parametrize(("actor", "section"), YEARS)
def test_the_year_pages_together_hold_the_whole_section_exactly_as_the_dossier_lists_it(sites, actor, section):
    split, whole = sites
    single = entries(read(whole, urls.actor_path(actor)), section)
    by_year = {year: entries(read(split, year_path(actor, section, year)), section) for year, _ in YEARS[(actor, section)]}
    assert [len(listed) for listed in by_year.values()] == [count for _, count in YEARS[(actor, section)]]
    listed = [entry for year in by_year for entry in (by_year[year][::-1] if section == "timeline" else by_year[year])]
    # The timeline's years are listed newest first, each oldest first within: put back in the dossier's order.
    assert (listed[::-1] if section == "timeline" else listed) == single


def test_a_year_page_names_the_actor_section_and_year_and_links_the_other_years_and_the_dossier(split_site):
    page = read(split_site, year_path("mara-lind", "appearances", "2024"))
    assert "<title>2024 · Appearances · Mara Lind · Port Archive</title>" in page
    assert '<meta name="description" content="Mara Lind: 3 briefings of 2024, from the briefings.">' in page
    assert "<h1>Mara Lind in 2024</h1>" in page
    assert ('<p class="lede">3 briefings of 2024, newest first: the briefings naming Mara Lind, each with the sentences '
            "naming them, linked to the mention itself.</p>") in page
    assert '<a href="../../actors/mara-lind/index.html#appearances">Back to the dossier of Mara Lind</a>' in page
    assert PART_LINK.findall(page) == [
        ("../../actors/mara-lind/appearances-2025.html", "", "2025"),
        ("appearances-2024.html", ' aria-current="page"', "2024"),
        ("../../actors/mara-lind/appearances-2023.html", "", "2023"),
        ("../../actors/mara-lind/appearances-undated.html", "", "Undated"),
    ]
    assert '<h2 id="appearances-heading" class="section-heading">Appearances <span class="heading-count">3 briefings</span></h2>' in page
    undated = read(split_site, year_path("mara-lind", "statements", "undated"))
    assert "<title>Undated · Statements · Mara Lind · Port Archive</title>" in undated
    assert "<h1>Mara Lind: undated</h1>" in undated


def test_connections_past_the_limit_show_the_strongest_and_link_a_page_per_kind_ranked_as_the_dossier(sites):
    split, whole = sites
    single = entries(read(whole, urls.actor_path("mara-lind")), "connections")
    assert [re.search(r'actors/([\w-]+)/index.html', entry).group(1) for entry in single] == [slug for slug, _ in CONNECTIONS]
    dossier = read(split, urls.actor_path("mara-lind"))
    assert entries(dossier, "connections") == single[:2]
    assert '<h2 id="connections-heading" class="section-heading">Connections <span class="heading-count">3 actors</span></h2>' in dossier
    assert "<p>The strongest 2 are shown here. All of them, by kind:</p>" in dossier
    figure = re.compile(r'<figure class="network-figure">.*?</figure>', re.S)
    assert figure.search(dossier).group() == figure.search(read(whole, urls.actor_path("mara-lind"))).group()  # all three drawn
    assert figure.search(dossier).group().count('<a href="../../actors/norvia/index.html"') == 1
    nav = dossier[dossier.index('<nav class="section-pages" aria-label="Connections by kind">'):]
    assert YEAR_LINK.findall(nav[: nav.index("</nav>")]) == [
        ("../../actors/mara-lind/connections-state.html", "", "States", "1"),
        ("../../actors/mara-lind/connections-organization.html", "", "Organizations", "1"),
        ("../../actors/mara-lind/connections-media.html", "", "Media", "1"),
    ]
    by_kind = {kind: entries(read(split, urls.actor_connections_path("mara-lind", kind)), "connections") for kind in ("state", "organization", "media")}
    assert by_kind == {kind: [entry for entry, (_, of) in zip(single, CONNECTIONS) if of == kind] for kind in by_kind}
    page = read(split, urls.actor_connections_path("mara-lind", "organization"))
    assert "<title>Organizations · Connections · Mara Lind · Port Archive</title>" in page
    assert "<h1>Connections of Mara Lind: organizations</h1>" in page
    assert '<a href="../../actors/mara-lind/index.html#connections">Back to the dossier of Mara Lind</a>' in page


def test_a_year_past_its_limit_has_a_page_per_month_instead(tmp_path, monkeypatch):
    """Mara Lind appears in three briefings of 2024: two of January, one of March."""
    project = write_archive_project(tmp_path / "project", base_url=BASE_URL)
    for name in (*LIMITS, "DOSSIER_YEAR_LIMIT"):
        monkeypatch.setattr(render, name, 2)
    report = Diagnostics()
    pages = {page.path: page.content.decode("utf-8") for page in build_site(load_config(project, None, report), report).pages}
    assert sorted(path for path in pages if path.startswith("actors/mara-lind/appearances")) == [
        "actors/mara-lind/appearances-2023.html", "actors/mara-lind/appearances-2024-01.html", "actors/mara-lind/appearances-2024-03.html",
        "actors/mara-lind/appearances-2025.html", "actors/mara-lind/appearances-undated.html",
    ]
    assert PART_LINK.findall(pages["actors/mara-lind/appearances-2024-01.html"]) == [
        ("../../actors/mara-lind/appearances-2025.html", "", "2025"),
        ("../../actors/mara-lind/appearances-2024-03.html", "", "March 2024"),
        ("appearances-2024-01.html", ' aria-current="page"', "January 2024"),
        ("../../actors/mara-lind/appearances-2023.html", "", "2023"),
        ("../../actors/mara-lind/appearances-undated.html", "", "Undated"),
    ]
    assert YEAR_LINK.findall(pages[urls.actor_path("mara-lind")].split('aria-label="Appearances by year"')[1].split("</nav>")[0]) == [
        ("../../actors/mara-lind/appearances-2025.html", "", "2025", "1"),
        ("../../actors/mara-lind/appearances-2024-03.html", "", "March 2024", "1"),
        ("../../actors/mara-lind/appearances-2024-01.html", "", "January 2024", "2"),
        ("../../actors/mara-lind/appearances-2023.html", "", "2023", "1"),
        ("../../actors/mara-lind/appearances-undated.html", "", "Undated", "1"),
    ]
    page = pages["actors/mara-lind/appearances-2024-01.html"]
    assert "<title>January 2024 · Appearances · Mara Lind · Port Archive</title>" in page
    assert "<h1>Mara Lind in January 2024</h1>" in page
    assert [re.search(r'documents/([\w-]+)/index.html', entry).group(1) for entry in entries(page, "appearances")] == [
        "icebreakers-arrive", "ice-closes-basin",
    ]
    assert "<loc>https://example.org/port/actors/mara-lind/appearances-2024-01.html</loc>\n  <lastmod>2024-01-20</lastmod>" in pages["sitemap.xml"]


def test_dossiers_within_their_limits_are_the_pages_of_an_unsplit_build(sites):
    split, whole = sites
    for slug in ("norvia", "daily-tide"):  # no list longer than two: at the limit, or below
        assert read(split, urls.actor_path(slug)) == read(whole, urls.actor_path(slug))
    port = read(split, urls.actor_path("port-authority"))
    assert '<nav class="section-pages" aria-label="Appearances by year">' in port and "section-pages" not in port.replace(
        '<nav class="section-pages" aria-label="Appearances by year">', "", 1).split("</nav>", 1)[1]


@pytest.mark.parametrize(("limit", "split"), [(6, False), (5, True)])
def test_the_appearances_are_split_only_past_the_limit(tmp_path, monkeypatch, limit, split):
    """Mara Lind appears in six briefings."""
    project = write_archive_project(tmp_path / "project")
    monkeypatch.setattr(render, "APPEARANCES_ON_DOSSIER", limit)
    report = Diagnostics()
    pages = {page.path for page in build_site(load_config(project, None, report), report).pages}
    assert sorted(path for path in pages if path.startswith("actors/mara-lind/appearances")) == (
        [year_path("mara-lind", "appearances", year) for year in ("2023", "2024", "2025", "undated")] if split else []
    )


@pytest.mark.parametrize(("limit", "split"), [(6, False), (5, True)])
def test_the_briefings_index_is_split_only_past_the_limit(tmp_path, monkeypatch, limit, split):
    project = write_archive_project(tmp_path / "project")
    monkeypatch.setattr(render, "DOCUMENTS_PAGE_LIMIT", limit)
    report = Diagnostics()
    pages = {page.path: page.content for page in build_site(load_config(project, None, report), report).pages}
    listed = sorted(path for path in pages if path.startswith("documents/") and path.count("/") == 1)
    assert listed == (sorted([*map(month_path, [*MONTHS, "undated"]), urls.documents_index_path()]) if split else [urls.documents_index_path()])
    assert (titles(pages[urls.documents_index_path()].decode("utf-8")) == DOCUMENTS) is not split


# --- sitemap, search, check, preview -------------------------------------------------------------------

def test_the_sitemap_lists_every_split_page_dated_by_its_newest_briefing(split_site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries_by_loc = {
        url.findtext("s:loc", namespaces=namespace)[len(BASE_URL) + 1:]: url.findtext("s:lastmod", namespaces=namespace)
        for url in ET.fromstring((split_site / "sitemap.xml").read_bytes()).findall("s:url", namespace)
    }
    split = {loc: lastmod for loc, lastmod in entries_by_loc.items() if loc.endswith(".html")}
    assert split == {
        "documents/2023-11.html": "2023-11-21",
        "documents/2024-01.html": "2024-01-20",
        "documents/2024-03.html": "2024-03-29",
        "documents/2025-01.html": "2025-01-03",
        "documents/undated.html": None,
        "actors/mara-lind/statements-2025.html": "2025-01-03",
        "actors/mara-lind/statements-2024.html": "2024-01-05",
        "actors/mara-lind/statements-2023.html": "2023-11-21",
        "actors/mara-lind/statements-undated.html": None,
        "actors/mara-lind/appearances-2025.html": "2025-01-03",
        "actors/mara-lind/appearances-2024.html": "2024-03-29",
        "actors/mara-lind/appearances-2023.html": "2023-11-21",
        "actors/mara-lind/appearances-undated.html": None,
        "actors/mara-lind/timeline-2025.html": "2025-01-03",
        "actors/mara-lind/timeline-2024.html": "2024-03-29",
        "actors/mara-lind/timeline-2023.html": "2023-11-21",
        "actors/port-authority/appearances-2024.html": "2024-03-29",
        "actors/port-authority/appearances-2023.html": "2023-11-21",
        "actors/port-authority/appearances-undated.html": None,
        "actors/mara-lind/connections-state.html": "2024-01-20",
        "actors/mara-lind/connections-organization.html": "2024-03-29",
        "actors/mara-lind/connections-media.html": None,  # named together only in the undated briefing
    }
    assert entries_by_loc["documents/"] == "2025-01-03"


def test_the_search_index_holds_the_briefings_and_dossiers_and_none_of_the_split_pages(split_site):
    """As the single index and the dossiers' lists (data-pagefind-ignore) are left out of it today."""
    split_pages = [*(split_site / "documents").glob("*.html"), *(split_site / "actors").glob("*/*-*.html")]
    assert len(split_pages) == 6 + 14 + 3
    assert [path.name for path in split_pages if "data-pagefind-body" in path.read_text(encoding="utf-8")] == []
    entry = (split_site / "search" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"page_count":10' in entry  # six briefings and four dossiers


def test_check_finds_no_problem_but_the_undated_briefing_in_the_split_site(tmp_path, monkeypatch):
    project = write_archive_project(tmp_path / "project")
    for name in LIMITS:
        monkeypatch.setattr(render, name, 2)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["check", "--project", str(project)], stdout, stderr)
    assert (code, stderr.getvalue()) == (0, UNDATED_WARNING)
    assert re.fullmatch(r"Checked 6 documents, 4 actors, 39 pages in \d+\.\d\d s: 1 warning\.\n", stdout.getvalue())


def test_an_edit_renders_again_only_the_month_and_year_pages_showing_it(tmp_path, monkeypatch):
    """The preview server's renderer reuses a page whose inputs are unchanged. Mara Lind's thanks in January
    2024 are on the page of that month and on her appearances of 2024; her dossier shows only her two newest
    appearances and strongest connections, so it is left alone, as are the other months and years; the page of
    her connections with states shows the sentence. Norvia's dossier, whole at two appearances, lists it too. (Every briefing's page is rendered again: in so small a project
    each one lists the others as related.)"""
    project = write_archive_project(tmp_path / "project")
    for name in LIMITS:
        monkeypatch.setattr(render, name, 2)

    def analysed():
        report = Diagnostics()
        config = load_config(project, None, report)
        return build_site(config, report).graph, config

    renderer = PageRenderer()
    renderer.render_pages(*analysed())
    seed = project / "seeds" / "icebreakers-arrive.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("thanked Norvia for the crews", "thanked Norvia for the sailors"), encoding="utf-8")
    graph, config = analysed()
    incremental = renderer.render_pages(graph, config)

    lists = [path for path in renderer.rendered_paths if path.startswith("actors/") or re.fullmatch(r"documents/[^/]+", path)]
    assert sorted(lists) == [
        "actors/mara-lind/appearances-2024.html", "actors/mara-lind/connections-state.html", "actors/norvia/index.html", "documents/2024-01.html",
    ]
    pages = {page.path: page.content.decode("utf-8") for page in incremental}
    assert "Mara Lind</mark> thanked Norvia for the sailors." in pages["actors/mara-lind/appearances-2024.html"]
    assert incremental == render.render_pages(graph, config)


def test_a_new_briefing_renders_again_its_month_its_years_and_the_dossiers_counting_it_but_no_other_year(tmp_path, monkeypatch):
    """A briefing of March 2024 naming Mara Lind: the overview and the dossier count it, its month and her
    appearances of 2024 list it; her other years' pages link the years without counting them, so they stay."""
    project = write_archive_project(tmp_path / "project")
    for name in LIMITS:
        monkeypatch.setattr(render, name, 2)

    def analysed():
        report = Diagnostics()
        config = load_config(project, None, report)
        return build_site(config, report).graph, config

    renderer = PageRenderer()
    renderer.render_pages(*analysed())
    (project / "seeds" / "docks-visit.txt").write_text(
        "---\ntitle: A visit to the docks\ndate: 2024-03-10\nsource: Port Wire\n---\nMara Lind visited the docks.\n", encoding="utf-8"
    )
    graph, config = analysed()
    incremental = renderer.render_pages(graph, config)

    lists = [path for path in renderer.rendered_paths if path.startswith("actors/") or re.fullmatch(r"documents/[^/]+", path)]
    assert sorted(lists) == [
        "actors/index.html", "actors/mara-lind/appearances-2024.html", urls.actor_path("mara-lind"),
        "documents/2024-03.html", urls.documents_index_path(),
    ]
    assert incremental == render.render_pages(graph, config)

"""A briefings index split by month and dossier sections split by year (the limits lowered to 2 for the project
of tests/archive_project.py: six briefings, one undated) in a real browser, from file://: a reader goes from the
overview to a month and opens a briefing; from a dossier to the year pages of its appearances and back, and
to its connections of one kind. The new
page kinds keep the theme's accessibility basics (axe over http, in light and dark; landmarks and headings;
contrast; no horizontal scroll on a phone; the Nu HTML Checker), and the overfull dossier still prints on one
page, its year links left off the paper.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefing.stages import render
from conftest import StaticServer
from local_tools import axe_violations_served, vnu_messages
from test_print_and_disk import pdf_pages
from test_site_in_browser import LOW_CONTRAST_JS, STRUCTURE_JS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from archive_project import write_archive_project  # noqa: E402

LIMITS = ("DOCUMENTS_PAGE_LIMIT", "STATEMENTS_ON_DOSSIER", "APPEARANCES_ON_DOSSIER", "EVENTS_ON_DOSSIER", "CONNECTIONS_ON_DOSSIER")
PAGES = {
    "overview": "documents/index.html",
    "month": "documents/2024-01.html",
    "undated": "documents/undated.html",
    "dossier": "actors/mara-lind/index.html",
    "year": "actors/mara-lind/appearances-2024.html",
    "statements-year": "actors/mara-lind/statements-undated.html",
    "timeline-year": "actors/mara-lind/timeline-2024.html",
    "connections-kind": "actors/mara-lind/connections-organization.html",
}


@pytest.fixture(scope="module")
def split_site(build, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("split-lists-browser")
    project = write_archive_project(root / "project")
    with pytest.MonkeyPatch.context() as patch:
        for name in LIMITS:
            patch.setattr(render, name, 2)
        result = build(project, root / "site")
    assert result.exit_code == 0, result.stderr
    return root / "site"


def url(site: Path, path: str) -> str:
    return (site / path).as_uri()


def test_reader_opens_a_month_from_the_overview_and_a_briefing_from_the_month(session, split_site):
    page = session.open(url(split_site, PAGES["overview"]))
    assert page.locator("#year-2024 .timeline-months a").all_inner_texts() == ["January\n2 documents", "March\n1 document"]
    page.locator("#year-2024 .timeline-months a", has_text="January").click()
    page.wait_for_url(f"**/{PAGES['month']}")
    assert page.title() == "January 2024 · Briefings · Port Archive"
    assert page.locator(".doc-title a").all_inner_texts() == ["Icebreakers arrive", "Ice closes the north basin"]

    page.locator('.prev-next a[rel="next"]').click()
    page.wait_for_url("**/documents/2024-03.html")
    page.locator('.month-nav a[rel="prev"]').click()
    page.wait_for_url(f"**/{PAGES['month']}")
    page.locator(".doc-title a", has_text="Ice closes the north basin").click()
    page.wait_for_url("**/documents/ice-closes-basin/index.html")
    assert page.locator("h1").inner_text() == "Ice closes the north basin"

    page.go_back()
    page.locator(".month-nav a", has_text="All months").click()
    page.wait_for_url(f"**/{PAGES['overview']}#year-2024")
    page.locator("#undated .timeline-months a").click()
    page.wait_for_url(f"**/{PAGES['undated']}")
    assert page.locator(".doc-title a").all_inner_texts() == ["A history of the harbour"]
    assert session.failures == []


def test_reader_goes_from_a_dossier_to_a_year_of_appearances_and_back(session, split_site):
    page = session.open(url(split_site, PAGES["dossier"]))
    assert page.locator("#appearances .appearance-doc").all_inner_texts() == ["Lind resigns", "The spring convoy"]
    assert page.locator("#appearances .heading-count").inner_text() == "6 briefings"
    years = page.locator('nav[aria-label="Appearances by year"] a')
    assert years.all_inner_texts() == ["2025\n1 briefing", "2024\n3 briefings", "2023\n1 briefing", "Undated\n1 briefing"]

    years.filter(has_text="2024").click()
    page.wait_for_url(f"**/{PAGES['year']}")
    assert page.title() == "2024 · Appearances · Mara Lind · Port Archive"
    assert page.locator(".appearance-doc").all_inner_texts() == ["The spring convoy", "Icebreakers arrive", "Ice closes the north basin"]
    assert page.locator('nav[aria-label="Appearances by year"] a[aria-current="page"]').inner_text() == "2024"

    page.locator('nav[aria-label="Appearances by year"] a', has_text="2023").click()
    page.wait_for_url("**/actors/mara-lind/appearances-2023.html")
    page.locator(".appearances .context a").click()
    page.wait_for_url("**/documents/dredging-tender/index.html#m-mara-lind-1")
    assert page.evaluate("() => document.querySelector(':target').textContent") == "Mara Lind"

    page.go_back()
    page.locator(".section-note a", has_text="Back to the dossier").click()
    page.wait_for_url(f"**/{PAGES['dossier']}#appearances")
    assert page.locator("#connections .connection-name a").all_inner_texts() == ["Port Authority", "Daily Tide"]
    page.locator('nav[aria-label="Connections by kind"] a', has_text="States").click()
    page.wait_for_url("**/actors/mara-lind/connections-state.html")
    assert page.locator(".connection-name a").all_inner_texts() == ["Norvia"]
    assert session.failures == []


def test_keyboard_focus_reaches_the_year_links_with_a_visible_ring(open_page, split_site):
    page = open_page(url(split_site, PAGES["year"]))
    link = page.locator('nav[aria-label="Appearances by year"] a').first
    link.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]")
    assert focused[0] == "2024" and focused[1] != "none"


@pytest.mark.parametrize("kind", PAGES)
def test_split_pages_have_landmarks_one_h1_ordered_headings_and_contrast_in_light_and_dark(kind, open_page, split_site, screenshots):
    page = open_page(url(split_site, PAGES[kind]))
    assert page.evaluate(STRUCTURE_JS) == []
    low_contrast = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        low_contrast[scheme] = page.evaluate(LOW_CONTRAST_JS)
        page.screenshot(path=screenshots / f"split-{kind}-desktop-{scheme}.png", full_page=True)
    assert low_contrast == {"light": [], "dark": []}


@pytest.mark.parametrize("kind", PAGES)
def test_split_pages_fit_a_phone_without_horizontal_scroll(kind, open_page, split_site, screenshots):
    page = open_page(url(split_site, PAGES[kind]), "phone")
    page.screenshot(path=screenshots / f"split-{kind}-phone-light.png", full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0


def test_the_split_dossier_prints_on_one_page_with_its_totals_and_without_its_year_links(session, split_site):
    page = session.context.new_page()
    page.goto(url(split_site, PAGES["dossier"]))
    pdf = page.pdf(format="A4")
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => [[...document.querySelectorAll('.section-pages')].filter(e => e.getClientRects().length > 0).length,
                  [...document.querySelectorAll('.heading-count')].map(e => e.textContent)]"""
    )
    assert pdf_pages(pdf) == 1
    assert shown == [0, ["5 statements", "6 briefings", "3 dated events", "3 actors"]]


@pytest.fixture(scope="module")
def served_split_site(split_site):
    server = StaticServer(split_site)
    yield server.origin
    server.close()


@pytest.mark.parametrize("scheme", ("light", "dark"))
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_no_violation_on_the_split_pages(kind, scheme, browser, served_split_site):
    assert axe_violations_served(browser, served_split_site, PAGES[kind], scheme) == []


def test_vnu_finds_no_error_or_warning_on_the_split_pages(split_site):
    pages = sorted([*(split_site / "documents").glob("*.html"), *(split_site / "actors").glob("*/*.html")])
    assert len(pages) == 6 + 14 + 3 + 4
    messages, _ = vnu_messages(pages)
    assert ["/".join(m.get("url", "").split("/")[-2:]) + f":{m.get('lastLine')}: {m['type']}: {m['message']}" for m in messages] == []

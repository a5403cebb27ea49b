"""A timeline split by month (render.TIMELINE_PAGE_EVENTS lowered to 3 for the project of
tests/timeline_project.py: 8 events in 5 months) in a real browser, from file://: a reader goes from the
overview to a month, filters it, follows the filter to the next months and opens an event's sentence; the
overview and a month page keep the theme's accessibility basics (axe over http, in light and dark; landmarks
and headings; contrast; no horizontal scroll on a phone; the Nu HTML Checker).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefing.stages import render
from conftest import StaticServer
from local_tools import axe_violations_served, vnu_messages
from test_site_in_browser import LOW_CONTRAST_JS, STRUCTURE_JS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from timeline_project import write_timeline_project  # noqa: E402

OVERVIEW = "timeline/index.html"
MARCH = "timeline/2024-03.html"
PAGES = {"overview": OVERVIEW, "month": MARCH}


@pytest.fixture(scope="module")
def split_site(build, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("split-timeline-browser")
    project = write_timeline_project(root / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "TIMELINE_PAGE_EVENTS", 3)
        result = build(project, root / "site")
    assert result.exit_code == 0, result.stderr
    return root / "site"


def url(site: Path, path: str) -> str:
    return (site / path).as_uri()


def shown_events(page) -> list[str]:
    return page.locator(".timeline .event:not([hidden]) .event-text a").all_inner_texts()


def test_reader_opens_a_month_from_the_overview_filters_it_and_follows_an_event_to_its_sentence(session, split_site):
    page = session.open(url(split_site, OVERVIEW))
    assert page.locator("#year-2024 .timeline-months a").all_inner_texts() == ["January\n2 events", "March\n3 events", "December\n1 event"]
    page.locator("#year-2024 .timeline-months a", has_text="March").click()
    page.wait_for_url(f"**/{MARCH}")
    assert page.title() == "March 2024 · Timeline · Harbour Watch"
    assert page.locator(".filter-status").inner_text() == "3 of 3 events shown"
    assert page.locator(".timeline-filter select[name=actor] option").all_inner_texts() == ["All actors", "Anna Kovac", "Harbour Board", "Vesnia"]

    page.select_option(".timeline-filter select[name=actor]", "anna-kovac")
    assert page.locator(".filter-status").inner_text() == "1 of 3 events shown"
    assert shown_events(page) == ["Kovac met the Harbour Board on March 2, 2024."]
    page.select_option(".timeline-filter select[name=actor]", "")
    page.select_option(".timeline-filter select[name=kind]", "state")
    assert shown_events(page) == ["Vesnia signed the convoy accord on March 28, 2024."]
    assert page.locator(".timeline-day:not([hidden]) .timeline-date").all_inner_texts() == ["28 March 2024"]

    page.locator(".timeline .event:not([hidden]) .event-text a").click()
    page.wait_for_url("**/documents/2024-03-29-spring-convoy/index.html#s-3")
    assert page.evaluate("() => document.querySelector(':target').textContent") == "Vesnia signed the convoy accord on March 28, 2024."
    assert session.failures == []


def test_the_filter_goes_along_to_the_next_months_and_says_so_where_it_matches_nothing(session, split_site):
    page = session.open(url(split_site, "timeline/2024-01.html"))
    page.select_option(".timeline-filter select[name=actor]", "vesnia")
    assert shown_events(page) == ["Vesnia sent two icebreakers on January 19, 2024, the Daily Tide reported."]

    page.locator('.prev-next a[rel="next"]').click()
    page.wait_for_url(f"**/{MARCH}?actor=vesnia")
    assert page.locator(".timeline-filter select[name=actor]").input_value() == "vesnia"
    assert shown_events(page) == ["Vesnia signed the convoy accord on March 28, 2024."]

    page.locator('.month-nav a[rel="next"]').click()
    page.wait_for_url("**/timeline/2024-12.html?actor=vesnia")
    assert page.locator(".timeline-filter select[name=actor]").input_value() == ""
    assert page.locator(".filter-status").inner_text() == "1 of 1 events shown (no event of this month names the actor or kind chosen before)"
    assert page.locator('.prev-next a[rel="next"]').get_attribute("href") == "../timeline/2025-01.html?actor=vesnia"

    page.select_option(".timeline-filter select[name=kind]", "media")  # a choice of the reader's own ends the carried one
    assert page.locator(".filter-status").inner_text() == "1 of 1 events shown"
    assert page.locator('.prev-next a[rel="next"]').get_attribute("href") == "../timeline/2025-01.html?kind=media"
    page.locator(".month-nav a", has_text="All months").click()
    page.wait_for_url(f"**/{OVERVIEW}#year-2024")


@pytest.mark.parametrize("kind", PAGES)
def test_timeline_pages_have_landmarks_one_h1_ordered_headings_and_contrast_in_light_and_dark(kind, open_page, split_site, screenshots):
    page = open_page(url(split_site, PAGES[kind]))
    assert page.evaluate(STRUCTURE_JS) == []
    low_contrast = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        low_contrast[scheme] = page.evaluate(LOW_CONTRAST_JS)
        page.screenshot(path=screenshots / f"timeline-{kind}-desktop-{scheme}.png", full_page=True)
    assert low_contrast == {"light": [], "dark": []}


@pytest.mark.parametrize("kind", PAGES)
def test_timeline_pages_fit_a_phone_without_horizontal_scroll(kind, open_page, split_site, screenshots):
    page = open_page(url(split_site, PAGES[kind]), "phone")
    page.screenshot(path=screenshots / f"timeline-{kind}-phone-light.png", full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0


@pytest.fixture(scope="module")
def served_split_site(split_site):
    server = StaticServer(split_site)
    yield server.origin
    server.close()


@pytest.mark.parametrize("scheme", ("light", "dark"))
@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_no_violation_on_the_timeline_pages(kind, scheme, browser, served_split_site):
    assert axe_violations_served(browser, served_split_site, PAGES[kind], scheme) == []


def test_vnu_finds_no_error_or_warning_on_the_timeline_pages(split_site):
    pages = sorted((split_site / "timeline").glob("*.html"))
    assert len(pages) == 6
    messages, _ = vnu_messages(pages)
    assert [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['type']}: {m['message']}" for m in messages] == []

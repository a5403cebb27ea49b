"""A timeline with more than render.TIMELINE_PAGE_EVENTS events is split: timeline/index.html becomes an
overview of the months, year by year, newest year first, and each month with events has its own page,
timeline/YYYY-MM.html, listing its events by day as the single page does, with its own filter, the months
beside it and the way back. The project (tests/timeline_project.py) has 8 events in 5 months of three years;
the limit is lowered to 3 here rather than committing a project of 501 events.
"""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefing import urls
from briefing.cli import main as briefing_main
from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.pipeline import build_site
from briefing.serve.rerender import PageRenderer
from briefing.stages import render
from timeline_project import EVENTS, write_timeline_project

BASE_URL = "https://example.org/harbour"
MONTHS = ["2023-11", "2024-01", "2024-03", "2024-12", "2025-01"]  # the months with events, oldest first
MONTH_NAMES = {"2023-11": "November 2023", "2024-01": "January 2024", "2024-03": "March 2024",
               "2024-12": "December 2024", "2025-01": "January 2025"}

YEAR = re.compile(r'<section class="timeline-year" id="year-(\d+)" aria-labelledby="year-\1-heading">\n'
                  r'  <h2 id="year-\1-heading" class="section-heading">\1 <span class="heading-count">(\d+) dated events?</span></h2>')
MONTH_LINK = re.compile(r'<li><a href="([^"]+)"><span class="month-name">(\w+)</span> <span class="month-count">(\d+) events?</span></a></li>')
EVENT = re.compile(r'<li class="event" data-actors="([^"]*)" data-kinds="[^"]*">\n'
                   r'  <p class="event-date"><time datetime="([\d-]+)">.*\n'
                   r'  <p class="event-text"><a href="([^"]+)">')
DAY = re.compile(r'<h2 class="timeline-date"><time datetime="([\d-]+)">')
OPTION = re.compile(r'<option value="([^"]+)">([^<]+)</option>')


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def month_path(month: str) -> str:
    return urls.timeline_month_path(int(month[:4]), int(month[5:]))


def expected_events(month: str = "") -> list[tuple[str, str, str]]:
    """(actors, date, link from a timeline page) of the project's events, of one month or all."""
    return [
        (" ".join(actors), date, f"../documents/{document}/index.html#s-{sentence}")
        for date, document, sentence, actors in EVENTS
        if date.startswith(month)
    ]


@pytest.fixture(scope="module")
def split_site(build, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("split-timeline")
    project = write_timeline_project(root / "project", base_url=BASE_URL)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "TIMELINE_PAGE_EVENTS", 3)
        result = build(project, root / "site")
    assert result.exit_code == 0, result.stderr
    return root / "site"


def test_month_pages_are_named_by_year_and_month():
    assert urls.timeline_month_path(2024, 9) == "timeline/2024-09.html"
    assert urls.timeline_month_path(987, 1) == "timeline/0987-01.html"
    assert urls.relative_url(urls.timeline_month_path(2024, 9), urls.timeline_path()) == "../timeline/2024-09.html"


def test_the_timeline_folder_holds_the_overview_and_one_page_per_month_with_events(split_site):
    assert sorted(path.name for path in (split_site / "timeline").iterdir()) == [f"{month}.html" for month in MONTHS] + ["index.html"]


def test_the_overview_lists_each_year_newest_first_with_its_months_in_calendar_order_and_their_counts(split_site):
    overview = read(split_site, urls.timeline_path())
    sections = overview.split('<section class="timeline-year"')[1:]
    listed = [
        (YEAR.search('<section class="timeline-year"' + section).groups(), MONTH_LINK.findall(section))
        for section in sections
    ]
    assert listed == [
        (("2025", "1"), [("../timeline/2025-01.html", "January", "1")]),
        (("2024", "6"), [("../timeline/2024-01.html", "January", "2"), ("../timeline/2024-03.html", "March", "3"),
                         ("../timeline/2024-12.html", "December", "1")]),
        (("2023", "1"), [("../timeline/2023-11.html", "November", "1")]),
    ]
    assert "<p class=\"lede\">8 dated events from the briefings, from November 2023 to January 2025: " in overview
    assert 'class="event"' not in overview and "timeline.js" not in overview


@pytest.mark.parametrize("month", MONTHS)
def test_each_month_page_lists_exactly_its_events_by_day_oldest_first(split_site, month):
    page = read(split_site, month_path(month))
    assert EVENT.findall(page) == expected_events(month)
    assert DAY.findall(page) == sorted({date for date, *_ in EVENTS if date.startswith(month)})


def test_the_months_together_hold_every_event_of_the_site_once(split_site):
    listed = [event for month in MONTHS for event in EVENT.findall(read(split_site, month_path(month)))]
    exported = json.loads(read(split_site, "data/events.json"))["events"]
    assert listed == [(" ".join(e["actors"]), e["date"], f"../{e['page']}") for e in exported]
    assert len(set(listed)) == len(listed) == len(EVENTS)


@pytest.mark.parametrize("position", range(len(MONTHS)))
def test_a_month_links_to_the_months_with_events_beside_it_and_back_to_its_year(split_site, position):
    month = MONTHS[position]
    page = read(split_site, month_path(month))
    previous = MONTHS[position - 1] if position else None
    following = MONTHS[position + 1] if position + 1 < len(MONTHS) else None
    # Twice each: beside the heading, and at the foot of the page.
    assert re.findall(r'<a rel="prev" href="([^"]+)"', page) == ([f"../{month_path(previous)}"] * 2 if previous else [])
    assert re.findall(r'<a rel="next" href="([^"]+)"', page) == ([f"../{month_path(following)}"] * 2 if following else [])
    assert f'<li class="all"><a href="../timeline/index.html#year-{month[:4]}">All months</a></li>' in page
    assert f'<section class="timeline-year" id="year-{month[:4]}"' in read(split_site, urls.timeline_path())


def test_a_month_page_says_which_month_in_its_title_description_and_heading(split_site):
    page = read(split_site, month_path("2024-03"))
    assert "<title>March 2024 · Timeline · Harbour Watch</title>" in page
    assert '<meta name="description" content="What happened in March 2024: 3 dated events from the briefings, by day.">' in page
    assert "<h1>March 2024</h1>" in page
    assert f'<link rel="canonical" href="{BASE_URL}/timeline/2024-03.html">' in page


def test_the_header_marks_the_timeline_as_the_current_page_on_the_overview_and_the_current_section_on_a_month(split_site):
    assert '<a href="index.html" aria-current="page">Timeline</a>' in read(split_site, urls.timeline_path())
    assert '<a href="../timeline/index.html" aria-current="true">Timeline</a>' in read(split_site, month_path("2024-01"))


def test_a_month_filter_offers_the_actors_of_its_events_and_their_kinds(split_site):
    page = read(split_site, month_path("2024-01"))
    assert OPTION.findall(page) == [
        ("daily-tide", "Daily Tide"), ("harbour-board", "Harbour Board"), ("vesnia", "Vesnia"),
        ("state", "States"), ("organization", "Organizations"), ("media", "Media"),
    ]
    assert '<script src="../assets/timeline.js" defer></script>' in page


def test_the_sitemap_lists_the_overview_and_every_month_with_its_newest_briefing_date(split_site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {
        url.findtext("s:loc", namespaces=namespace): url.findtext("s:lastmod", namespaces=namespace)
        for url in ET.fromstring((split_site / "sitemap.xml").read_bytes()).findall("s:url", namespace)
    }
    timeline = {loc: lastmod for loc, lastmod in entries.items() if "/timeline/" in loc}
    assert timeline == {
        f"{BASE_URL}/timeline/": "2025-01-03",
        f"{BASE_URL}/timeline/2023-11.html": "2023-11-21",
        f"{BASE_URL}/timeline/2024-01.html": "2024-01-20",
        f"{BASE_URL}/timeline/2024-03.html": "2024-03-29",
        f"{BASE_URL}/timeline/2024-12.html": "2025-01-03",  # named by the briefing of 3 January 2025
        f"{BASE_URL}/timeline/2025-01.html": "2025-01-03",
    }


def test_the_search_index_leaves_the_timeline_pages_out_as_it_does_the_single_page(split_site):
    for path in [urls.timeline_path(), *map(month_path, MONTHS)]:
        assert "data-pagefind-body" not in read(split_site, path)


def test_check_finds_no_problem_in_a_split_timeline(tmp_path, monkeypatch):
    project = write_timeline_project(tmp_path / "project")
    monkeypatch.setattr(render, "TIMELINE_PAGE_EVENTS", 3)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["check", "--project", str(project)], stdout, stderr)
    assert (code, stderr.getvalue()) == (0, "")
    assert re.fullmatch(r"Checked 4 documents, 4 actors, 20 pages in \d+\.\d\d s: no problems\.\n", stdout.getvalue())


@pytest.mark.parametrize(("limit", "split"), [(len(EVENTS), False), (len(EVENTS) - 1, True)])
def test_the_timeline_is_split_only_when_it_has_more_events_than_the_limit(tmp_path, monkeypatch, limit, split):
    project = write_timeline_project(tmp_path / "project")
    monkeypatch.setattr(render, "TIMELINE_PAGE_EVENTS", limit)
    report = Diagnostics()
    pages = {page.path: page.content for page in build_site(load_config(project, None, report), report).pages}
    timeline = sorted(path for path in pages if path.startswith("timeline/"))
    assert timeline == (sorted([*map(month_path, MONTHS), urls.timeline_path()]) if split else [urls.timeline_path()])
    single = pages[urls.timeline_path()].decode("utf-8")
    assert (EVENT.findall(single) == expected_events()) is not split


def test_an_edit_in_one_month_renders_that_month_again_and_no_other(tmp_path, monkeypatch):
    """The preview server's renderer reuses a page whose inputs are unchanged: a month page's inputs are its
    own events and the months beside it, so an edit elsewhere leaves it alone."""
    project = write_timeline_project(tmp_path / "project")
    monkeypatch.setattr(render, "TIMELINE_PAGE_EVENTS", 3)

    def analysed():
        report = Diagnostics()
        config = load_config(project, None, report)
        return build_site(config, report).graph, config

    renderer = PageRenderer()
    renderer.render_pages(*analysed())
    seed = project / "seeds" / "2024-03-29-spring-convoy.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("A second convoy sailed", "A third convoy sailed"), encoding="utf-8")
    graph, config = analysed()
    incremental = renderer.render_pages(graph, config)

    assert [path for path in renderer.rendered_paths if path.startswith("timeline/")] == [month_path("2024-03")]
    assert "A third convoy sailed on March 2, 2024." in {page.path: page.content for page in incremental}[month_path("2024-03")].decode("utf-8")
    assert incremental == render.render_pages(graph, config)

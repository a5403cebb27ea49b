"""Search in a real browser: the built example sites served over http under a sub-path (a tiny http.server
on an ephemeral port), a query typed into the search page, its results and filters; and the page opened
from disk, without its index and without JavaScript, where it says why search cannot run."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from briefing import urls

SEARCH_PAGE = urls.search_path()
RESULT_LINKS = ".pagefind-ui__result-link"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's signature)
        pass


class StaticServer:
    """Serves `root` on 127.0.0.1 at a port the system picks, in a thread."""

    def __init__(self, root: Path):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def served(built_sites):
    """case -> the address of its site, served from the folder above it so that it lives under /site/."""
    servers = {case: StaticServer(root.parent) for case, root in built_sites.items()}
    yield {case: f"{server.origin}/{root.name}/" for (case, server), root in zip(servers.items(), built_sites.values())}
    for server in servers.values():
        server.close()


@pytest.fixture
def web_page(browser):
    """web_page(origin, **context options) -> a fresh tab that may only reach `origin`; requests that
    failed (other than the favicon a browser asks for by itself) are in `tab.failed`."""
    contexts = []

    def open_(origin: str, **options):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        contexts.append(context)
        context.route(lambda url: not url.startswith(origin), lambda route: route.abort())
        tab = context.new_page()
        tab.failed = []
        tab.on("requestfailed", lambda request: tab.failed.append(request.url))
        tab.on("response", lambda response: response.status >= 400 and not response.url.endswith("/favicon.ico") and tab.failed.append(response.url))
        return tab

    yield open_
    for context in contexts:
        context.close()


# True once the count in "N results for ..." is reached by the result links on show (Pagefind shows five
# at first, and loads each result's data after the count).
RESULTS_SHOWN_JS = """
() => {
  const message = document.querySelector('.pagefind-ui__message');
  const count = message && message.textContent.match(/^(\\d+) results? for/);
  const links = [...document.querySelectorAll('.pagefind-ui__result-link')].filter(link => link.textContent.trim());
  return Boolean(count) && links.length === Math.min(Number(count[1]), 5);
}
"""


def open_search(tab, address: str) -> None:
    """The search page with Pagefind's interface loaded, as it is once the reader focuses the box."""
    tab.goto(address + SEARCH_PAGE)
    tab.wait_for_selector(".search[data-state='idle']")  # the index is there; the interface is not loaded yet
    tab.locator(".search-start-box").click()
    tab.wait_for_selector(".search[data-state='ready']")  # every filter index loaded


def search(tab, address: str, query: str) -> list[tuple[str, str]]:
    open_search(tab, address)
    assert tab.evaluate("() => document.activeElement.matches('.pagefind-ui__search-input')")
    tab.fill(".pagefind-ui__search-input", query)
    tab.wait_for_selector(f".pagefind-ui__message:has-text('for {query}')")
    tab.wait_for_function(RESULTS_SHOWN_JS)
    return results(tab)


def results(tab) -> list[tuple[str, str]]:
    return [(link.inner_text().strip(), link.get_attribute("href")) for link in tab.locator(RESULT_LINKS).all()]


def use_filter(tab, group: str, value: str) -> None:
    """Tick one value of a filter group, then wait for the results to change and show."""
    before = tab.locator(".pagefind-ui__message").inner_text()
    tab.locator("summary.pagefind-ui__filter-name", has_text=group).click()
    tab.locator(f"input.pagefind-ui__filter-checkbox[name='{group.lower()}'][value='{value}']").check()
    tab.wait_for_function(
        "before => document.querySelector('.pagefind-ui__message').textContent !== before", arg=before
    )
    tab.wait_for_function(RESULTS_SHOWN_JS)


def origin_of(address: str) -> str:
    return address.split("/site/")[0]


def test_a_query_finds_the_matching_briefing_and_actors_under_a_sub_path(served, web_page):
    tab = web_page(origin_of(served["example"]))

    found = search(tab, served["example"], "Blinken")

    assert tab.locator(".search").get_attribute("data-state") == "ready"
    assert found == [
        ("Antony Blinken", "/site/actors/antony-blinken/index.html"),
        ("Biden planning to ease restrictions on Kyiv's long-range strikes, Politico reports", "/site/documents/000-b31cede6e6f66a7a/index.html"),
        ("David Lammy", "/site/actors/david-lammy/index.html"),
        ("United States", "/site/actors/united-states/index.html"),
    ]
    assert tab.failed == []


def test_the_interface_loads_when_the_reader_first_types_and_searches_for_what_was_typed(served, web_page):
    tab = web_page(origin_of(served["example"]))
    requested = []
    tab.on("request", lambda request: requested.append(request.url.split("/site/")[1]))
    tab.goto(served["example"] + SEARCH_PAGE)
    tab.wait_for_selector(".search[data-state='idle']")
    tab.wait_for_load_state("networkidle")
    assert sorted(requested) == [
        "assets/icon.svg", "assets/search.css", "assets/search.js", "assets/style.css", SEARCH_PAGE, "search/pagefind/pagefind-entry.json",
    ]
    assert tab.locator(".pagefind-ui__search-input").count() == 0

    tab.locator(".search-start-box").press_sequentially("Blinken")
    tab.wait_for_selector(".pagefind-ui__message:has-text('for Blinken')")
    tab.wait_for_function(RESULTS_SHOWN_JS)

    assert "search/pagefind/pagefind-ui.js" in requested
    assert tab.locator(".search-start-box").count() == 0
    assert tab.locator(".pagefind-ui__search-input").input_value() == "Blinken"
    assert tab.evaluate("() => document.activeElement.matches('.pagefind-ui__search-input')")
    assert [title for title, _ in results(tab)] == [
        "Antony Blinken",
        "Biden planning to ease restrictions on Kyiv's long-range strikes, Politico reports",
        "David Lammy",
        "United States",
    ]
    assert tab.failed == []


def test_a_result_opens_its_page(served, web_page):
    tab = web_page(origin_of(served["example"]))
    search(tab, served["example"], "Umerov")

    tab.locator(RESULT_LINKS, has_text="Rustem Umerov").click()

    tab.wait_for_url("**/site/actors/rustem-umerov/index.html")
    assert tab.locator("h1").inner_text() == "Rustem Umerov"


def test_the_type_filter_keeps_the_briefings_and_the_actor_filter_the_pages_naming_that_actor(served, web_page):
    tab = web_page(origin_of(served["example"]))
    search(tab, served["example"], "Blinken")

    use_filter(tab, "Type", "Briefing")
    assert [title for title, _ in results(tab)] == ["Biden planning to ease restrictions on Kyiv's long-range strikes, Politico reports"]

    search(tab, served["example"], "Blinken")
    use_filter(tab, "Actor", "David Lammy")
    assert sorted(title for title, _ in results(tab)) == [
        "Biden planning to ease restrictions on Kyiv's long-range strikes, Politico reports",
        "David Lammy",
    ]


def test_the_kind_and_year_filters_offer_the_values_of_the_site(served, web_page):
    tab = web_page(origin_of(served["newsroom"]))
    search(tab, served["newsroom"], "grain")

    kinds = tab.locator("input.pagefind-ui__filter-checkbox[name='kind']").evaluate_all("boxes => boxes.map(box => box.value)")
    years = tab.locator("input.pagefind-ui__filter-checkbox[name='year']").evaluate_all("boxes => boxes.map(box => box.value)")
    assert sorted(kinds) == ["group", "media", "organization", "other", "person", "state"]
    assert years == ["2024"]
    use_filter(tab, "Kind", "organization")
    assert all(href.startswith("/site/") for _, href in results(tab))
    assert ("Vesnia Grain House", "/site/actors/vesnia-grain-house/index.html") in results(tab)


def test_opened_from_disk_the_search_page_says_why_it_cannot_search_and_links_to_the_lists(site_url, session):
    tab = session.open(site_url("example", SEARCH_PAGE))

    assert tab.locator(".search").get_attribute("data-state") == "unavailable-file"
    shown = tab.locator(".search-unavailable p:visible").all_inner_texts()
    assert shown[0].startswith("Search works when the site is served by a web server. This copy was opened from disk")
    assert shown[1].startswith("Meanwhile, every briefing is listed newest first")
    assert len(shown) == 2
    tab.locator(".search-unavailable a", has_text="every briefing").click()
    assert tab.url == site_url("example", urls.documents_index_path())
    assert not any("pagefind" in url and url.endswith((".js", ".json")) for url in session.requests)


def test_a_site_served_without_its_index_says_the_index_did_not_load(built_sites, tmp_path, web_page):
    copy = tmp_path / "site"
    shutil.copytree(built_sites["example"], copy, ignore=shutil.ignore_patterns("pagefind"))
    server = StaticServer(tmp_path)
    try:
        tab = web_page(server.origin)
        tab.goto(f"{server.origin}/site/{SEARCH_PAGE}")
        tab.wait_for_selector(".search[data-state='unavailable-index']")
        assert tab.locator(".search-unavailable p:visible").first.inner_text().startswith("The search index did not load.")
    finally:
        server.close()


def test_without_javascript_the_page_says_search_needs_it(served, web_page):
    tab = web_page(origin_of(served["example"]), java_script_enabled=False)

    tab.goto(served["example"] + SEARCH_PAGE)

    shown = tab.locator(".search-unavailable p:visible").all_inner_texts()
    assert shown[0] == "Search needs JavaScript, which this browser does not run for this page."
    assert len(shown) == 2

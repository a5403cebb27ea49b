"""The built sites as the best-kept sites are checked, by the tools everyone uses, served over http on
127.0.0.1 (as a host serves them):

- axe-core finds no serious or critical accessibility violation on any page kind, in light or dark mode;
- the Nu HTML Checker (vnu-jar) finds no error and no warning on any page of either example site;
- Lighthouse scores 95 or more in performance, accessibility, best practices and SEO for the front page, a
  briefing and an actor page (reports in tests/artifacts/lighthouse/);
- no page of the example loads more than 100 KB of HTML, CSS and JavaScript (uncompressed), and no page asks
  anything of another origin, so nothing third-party can block rendering.

The tools come from tests/browser/tools/ (`npm ci`) and Debian (Java); nothing is downloaded at test time.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from local_tools import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, axe_violations, require_command, require_tool, vnu_messages
from page_kinds import EXAMPLE_DOCUMENT, PAGE_KINDS

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SEARCH_PAGE = "search/index.html"
PAGE_BUDGET = 100 * 1024  # bytes of HTML + CSS + JavaScript, before compression


@pytest.fixture(scope="module")
def served_tab(browser, served_sites):
    """tab(viewport, color_scheme) -> a tab that may reach only the local servers; its requests are
    recorded in `tab.requests` (url, resource type) and its responses in `tab.responses`."""
    origins = tuple(served_sites.values())
    contexts = {}

    def tab(viewport: str = "desktop", color_scheme: str = "light"):
        if (viewport, color_scheme) not in contexts:
            context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=color_scheme)
            context.route(lambda url: not url.startswith(origins), lambda route: route.abort())
            page = context.new_page()
            page.requests, page.responses = [], []
            page.on("request", lambda request: page.requests.append((request.url, request.resource_type)))
            page.on("response", lambda response: page.responses.append(response))
            contexts[viewport, color_scheme] = (context, page)
        page = contexts[viewport, color_scheme][1]
        page.requests.clear()
        page.responses.clear()
        return page

    yield tab
    for context, _ in contexts.values():
        context.close()


def open_served(tab, origin: str, path: str, search: bool = False):
    """`path` loaded and settled; with `search`, the search page's box is focused, which loads Pagefind's
    interface (the page alone does not)."""
    tab.goto(f"{origin}/{path}")
    if path == SEARCH_PAGE:  # the only page that fetches anything after its load event
        tab.wait_for_selector(".search[data-state='idle']")
        if search:
            tab.locator(".search-start-box").click()
            tab.wait_for_selector(".search[data-state='ready']")
        tab.wait_for_load_state("networkidle")
    return tab


# ---- axe-core -------------------------------------------------------------------------------------

AXE_PAGES = {**PAGE_KINDS, "search-in-use": PAGE_KINDS["search"]}


@pytest.mark.parametrize("scheme", ("light", "dark"))
@pytest.mark.parametrize("kind", AXE_PAGES)
def test_axe_finds_no_serious_or_critical_violation(kind, scheme, served_tab, served_sites):
    """The search page twice: as it opens, and with Pagefind's interface loaded."""
    case, path = AXE_PAGES[kind]
    violations = axe_violations(open_served(served_tab("desktop", scheme), served_sites[case], path, search=kind == "search-in-use"))
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    # Nothing lesser either: the theme has no known violation of any impact.
    assert violations == []


# ---- the Nu HTML Checker -----------------------------------------------------------------------------


def test_vnu_finds_no_error_or_warning_on_any_page(built_sites):
    pages = sorted(path for root in built_sites.values() for path in root.rglob("*.html"))
    assert len(pages) > 40
    messages, status = vnu_messages(pages, "--also-check-svg")
    problems = [
        f"{Path(m.get('url', '')).as_posix().split('/site/')[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in messages
    ]
    assert problems == []
    assert status == 0


# ---- Lighthouse --------------------------------------------------------------------------------------

LIGHTHOUSE_PAGES = {"front": "index.html", "briefing": EXAMPLE_DOCUMENT, "actor": "actors/joe-biden/index.html"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@pytest.fixture(scope="module")
def lighthouse_reports(served_sites) -> dict[str, dict]:
    """page -> Lighthouse's JSON report, run once per page with its default (mobile, simulated slow 4G and
    CPU throttling) on Debian's chromium; the HTML reports are kept in tests/artifacts/lighthouse/."""
    node = require_command("node", "nodejs")
    cli = require_tool("lighthouse/cli/index.js")
    folder = ARTIFACTS / "lighthouse"
    folder.mkdir(parents=True, exist_ok=True)
    reports = {}
    for name, path in LIGHTHOUSE_PAGES.items():
        ran = subprocess.run(
            [
                node, str(cli), f"{served_sites['example']}/{path}",
                "--quiet", "--output=json", "--output=html", f"--output-path={folder / name}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS]),
            ],
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True, text=True, timeout=240,
        )
        assert ran.returncode == 0, ran.stderr[-2000:]
        reports[name] = json.loads((folder / f"{name}.report.json").read_text(encoding="utf-8"))
    return reports


def shortfalls(report: dict, category: str) -> list[str]:
    """The scored audits of a category that did not pass in full, for a readable failure."""
    audits = report["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['score']} {audits[ref['id']].get('displayValue', '')}".strip()
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]


@pytest.mark.parametrize("page", LIGHTHOUSE_PAGES)
def test_lighthouse_scores_95_or_more_in_every_category(page, lighthouse_reports):
    report = lighthouse_reports[page]
    assert "runtimeError" not in report
    scores = {category: round(100 * report["categories"][category]["score"]) for category in CATEGORIES}
    low = {category: shortfalls(report, category) for category, score in scores.items() if score < 95}
    assert low == {}, scores
    # No audit that carries weight fails outright in accessibility, best practices or SEO.
    assert {category: shortfalls(report, category) for category in CATEGORIES[1:]} == {category: [] for category in CATEGORIES[1:]}


@pytest.mark.parametrize("page", LIGHTHOUSE_PAGES)
def test_lighthouse_sees_no_render_blocking_request_to_another_origin(page, lighthouse_reports, served_sites):
    report = lighthouse_reports[page]
    blocking = [item["url"] for item in report["audits"]["render-blocking-resources"]["details"].get("items", [])]
    assert [url for url in blocking if not url.startswith(served_sites["example"])] == []
    requested = [item["url"] for item in report["audits"]["network-requests"]["details"]["items"]]
    assert [url for url in requested if not url.startswith(served_sites["example"])] == []


# ---- weight and third parties --------------------------------------------------------------------


def page_weights(tab, origin: str, root: Path) -> dict[str, dict[str, int]]:
    """page -> {resource type: bytes} of the documents, style sheets and scripts it loads, as the browser
    received them from a server that does not compress."""
    weights = {}
    for html in sorted(root.rglob("*.html")):
        path = html.relative_to(root).as_posix()
        tab.responses.clear()
        open_served(tab, origin, path)
        loaded: dict[str, int] = {}
        for response in tab.responses:
            kind = response.request.resource_type
            if kind in ("document", "stylesheet", "script") and response.ok:
                loaded[kind] = loaded.get(kind, 0) + len(response.body())
        weights[path] = loaded
    return weights


def test_no_page_loads_more_than_100_kb_of_html_css_and_javascript(served_tab, served_sites, built_sites):
    tab = served_tab()
    weights = page_weights(tab, served_sites["example"], built_sites["example"])
    totals = {path: sum(loaded.values()) for path, loaded in weights.items()}
    # Once the reader uses the search box, Pagefind's interface and engine come on top (from search/pagefind/,
    # the only files added): recorded for the figures, outside the budget, which is what a page costs to open.
    open_served(tab, served_sites["example"], SEARCH_PAGE)
    tab.responses.clear()
    tab.locator(".search-start-box").click()
    tab.wait_for_selector(".search[data-state='ready']")
    tab.wait_for_load_state("networkidle")
    in_use = {response.url.split("/", 3)[3]: len(response.body()) for response in tab.responses
              if response.request.resource_type in ("stylesheet", "script") and response.ok}
    (ARTIFACTS / "page-weights.json").write_text(
        json.dumps({"totals": totals, "by_type": weights, "added by using search": in_use}, indent=1), encoding="utf-8"
    )
    assert sorted(in_use) == [f"search/pagefind/{name}" for name in ("pagefind-ui.css", "pagefind-ui.js", "pagefind-worker.js", "pagefind.js")]
    assert len(totals) == len(list(built_sites["example"].rglob("*.html")))
    assert {path: total for path, total in totals.items() if total > PAGE_BUDGET} == {}
    # The budget is spent on the page itself: every page loads the one shared style sheet.
    assert all(loaded.get("stylesheet", 0) > 0 for loaded in weights.values())


def test_no_page_requests_anything_from_another_origin(served_tab, served_sites, built_sites):
    """Served over http (not file://, where the search page loads nothing), every page of both sites, with
    everything it loads, including Pagefind's interface and index on the search page in use."""
    tab = served_tab()
    requested, refused = [], []
    for case, root in built_sites.items():
        for html in sorted(root.rglob("*.html")):
            tab.requests.clear()
            tab.responses.clear()
            page = html.relative_to(root).as_posix()
            # the page's icon too, which the browser fetches after the load event
            with tab.expect_request_finished(lambda request: request.url.endswith("/assets/icon.svg")):
                open_served(tab, served_sites[case], page, search=True)
            requested += [url for url, _ in tab.requests]
            refused += [(page, response.url, response.status) for response in tab.responses if not response.ok and page != "404.html"]
    origins = tuple(served_sites.values())
    assert len(requested) > 100
    assert [url for url in requested if not url.startswith(origins)] == []
    # Everything asked for is there: no favicon.ico 404, since every page names its icon.
    assert refused == []
    assert sum(url.endswith("/assets/icon.svg") for url in requested) == len(list(built_sites["example"].rglob("*.html"))) + len(list(built_sites["newsroom"].rglob("*.html")))

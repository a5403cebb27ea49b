"""Real-browser fixtures: Playwright driving Debian's chromium (never a downloaded browser), a local http
server for the built sites, and the checkers installed from tests/browser/tools/ (axe-core, vnu-jar,
Lighthouse: `npm ci` there, as .ci/run does; Java from Debian for vnu-jar).

Without /usr/bin/chromium (or Playwright, Node.js, Java, the npm tools) these tests are skipped with the
reason, except in CI (the CI environment variable is set), where a missing tool is a failure rather than a
silent pass.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from local_tools import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, unavailable

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:  # a browser that will not start is the same as no browser
        playwright.stop()
        unavailable(f"{CHROMIUM} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


class Session:
    """One browser context (viewport + colour scheme) that records every request its pages make and
    refuses to let any of them leave file://."""

    def __init__(self, browser, viewport: str = "desktop", color_scheme: str = "light"):
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=color_scheme)
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("requestfailed", self._record_failure)
        self.context.route(lambda url: not url.startswith("file://"), lambda route: route.abort())

    def _record_failure(self, request) -> None:
        # The browser fetches a page's icon after the load event, and going on to the next page cancels that
        # fetch: not a failure of the page (the icon itself is checked over http in test_checkers.py).
        if request.resource_type == "other" and request.url.endswith("/assets/icon.svg") and request.failure == "net::ERR_ABORTED":
            return
        self.failures.append(request.url)

    def open(self, url: str):
        page = self.context.new_page()
        page.goto(url)
        return page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser):
    """A fresh desktop, light-scheme session; tests needing others make their own with `make_session`."""
    opened = Session(browser)
    yield opened
    opened.close()


@pytest.fixture
def make_session(browser):
    """make_session(viewport, color_scheme) -> a fresh Session, closed after the test."""
    opened: list[Session] = []

    def make(viewport: str = "desktop", color_scheme: str = "light") -> Session:
        opened.append(Session(browser, viewport, color_scheme))
        return opened[-1]

    yield make
    for one in opened:
        one.close()


@pytest.fixture(scope="session")
def shared_tabs(browser):
    """One long-lived tab per viewport, for tests that only look at pages: reusing a tab is much cheaper
    than opening one per page."""
    sessions = {viewport: Session(browser, viewport) for viewport in VIEWPORTS}
    yield {viewport: session.context.new_page() for viewport, session in sessions.items()}
    for session in sessions.values():
        session.close()


@pytest.fixture
def open_page(shared_tabs):
    """open_page(url, viewport="desktop") -> the viewport's shared tab, reset to screen media and the light
    scheme, at `url`."""

    def open_(url: str, viewport: str = "desktop"):
        page = shared_tabs[viewport]
        page.emulate_media(media="screen", color_scheme="light")
        page.goto(url)
        return page

    return open_


@pytest.fixture(scope="session")
def site_url(built_sites):
    """site_url(case, path) -> the file:// URL of a page of a built example site."""

    def url(case: str, path: str = "index.html") -> str:
        return (built_sites[case] / path).as_uri()

    return url


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


@pytest.fixture(scope="session")
def served_sites(built_sites):
    """case -> the origin serving its built site at the root over http (robots.txt where crawlers look)."""
    servers = {case: StaticServer(root) for case, root in built_sites.items()}
    yield {case: server.origin for case, server in servers.items()}
    for server in servers.values():
        server.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS

"""The preview server (`briefing serve`) with a page open in headless chromium: the page reloads by itself
after a save, shows the error overlay when a save breaks the build, and recovers when the next save fixes
it. The server and project copy come from tests/serve/conftest.py; the browser is this folder's."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SEED = "seeds/000_b31cede6e6f66a7a.txt"
DOCUMENT_PAGE = "documents/000-b31cede6e6f66a7a/index.html"
WAIT_MS = 60_000  # how long the browser may take to show what is expected; never asserted on


def _serve_helpers():
    path = Path(__file__).resolve().parents[1] / "serve" / "conftest.py"
    spec = importlib.util.spec_from_file_location("briefing_serve_helpers", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


serving = _serve_helpers()


@pytest.fixture
def preview(tmp_path: Path):
    running = serving.Preview(serving.copy_example(tmp_path / "project"))
    yield running
    running.stop()


@pytest.fixture
def tab(browser, preview):
    """A tab that may reach the preview server and nothing else."""
    context = browser.new_context()
    context.route(lambda url: not url.startswith(preview.url), lambda route: route.abort())
    yield context.new_page()
    context.close()


def test_an_open_page_reloads_by_itself_after_a_seed_edit_and_shows_the_new_text(tab, preview) -> None:
    tab.goto(preview.url + DOCUMENT_PAGE)
    expect(tab.locator("main")).to_contain_text("finalizing the details")
    tab.evaluate("window.stillTheFirstLoad = true")

    seed = preview.project / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("finalizing the details", "drafting the details"), encoding="utf-8")

    expect(tab.locator("main")).to_contain_text("drafting the details", timeout=WAIT_MS)
    assert tab.evaluate("window.stillTheFirstLoad") is None  # a new document: the page reloaded itself
    assert "finalizing the details" not in tab.inner_text("main")


def test_a_broken_save_shows_the_overlay_on_the_open_page_and_the_fix_removes_it(tab, preview) -> None:
    tab.goto(preview.url + "actors/joe-biden/index.html")
    actor = preview.project / "content/actors/joe-biden.md"
    good = actor.read_text(encoding="utf-8")

    actor.write_text(good.replace("kind: person", "kind: persn\naliass: [<b>Joe</b>]"), encoding="utf-8")

    overlay = tab.locator("#briefing-overlay")
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    assert tab.locator("#briefing-overlay li").all_inner_texts() == [
        "content/actors/joe-biden.md:3:7: error: field 'kind': 'persn' is not one of: person, state, organization, media, group, other (did you mean 'person'?)",
        "content/actors/joe-biden.md:4:1: error: unknown field 'aliass' (did you mean 'aliases'?)",
    ]
    assert tab.locator("#briefing-overlay b").count() == 0  # the text stays text
    expect(tab.locator("h1")).to_contain_text("Joe Biden")  # the last good page is still there beneath

    tab.locator("#briefing-overlay-hide").click()
    expect(overlay).to_have_count(0)

    actor.write_text(good.replace("role: President", "role: Former President"), encoding="utf-8")

    expect(tab.locator("main")).to_contain_text("Former President of the United States", timeout=WAIT_MS)
    expect(overlay).to_have_count(0)

"""Every page of a project built from public XSS payloads (../shared/badinputs/), loaded in headless chromium
from file://: no dialog opens, no injected script runs, and the live DOM has no event handler, no script but
ours and no link a browser would resolve to a script or data URL.

No Content-Security-Policy helps here: the pages are opened as they are published. Payloads of our own
(`hardening_support.CANARIES`) would set `window.__xss` instead of opening a dialog, and alert, confirm,
prompt and print are replaced before any page script runs so that a call is counted even if a dialog could
be suppressed.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hardening"))
from hardening_support import OUR_SCRIPTS, build_hostile_site  # noqa: E402

from conftest import Session  # noqa: E402

TRAPS = """
window.__calls = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__calls.push(name + '(' + args.join(',') + ')'); };
}
"""

LIVE_DOM_PROBLEMS = """
(ours) => {
  const problems = [];
  if (window.__xss !== undefined) problems.push('window.__xss = ' + window.__xss);
  for (const call of window.__calls || []) problems.push('called ' + call);
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (attribute.name.toLowerCase().startsWith('on')) problems.push(`${element.tagName} ${attribute.name}`);
    }
  }
  for (const script of document.scripts) {
    if (!ours.some((name) => script.src.endsWith('/' + name))) problems.push('script ' + (script.src || script.text.slice(0, 60)));
  }
  for (const element of document.querySelectorAll('iframe, frame, object, embed, base, img, video, audio')) {
    problems.push(element.tagName + ' element');
  }
  for (const element of document.querySelectorAll('[href], [src], [action], [formaction]')) {
    for (const name of ['href', 'src', 'action', 'formaction']) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      let protocol;
      try { protocol = new URL(value, document.baseURI).protocol; } catch (error) { continue; }  // not followable
      if (!['file:', 'http:', 'https:', 'mailto:'].includes(protocol)) problems.push(`${element.tagName} ${name}=${value.slice(0, 60)}`);
    }
  }
  return problems;
}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    site, _ = build_hostile_site(tmp_path_factory.mktemp("hostile-browser"))
    return site


def test_no_page_built_from_payloads_runs_injected_script_or_opens_a_dialog(browser, hostile_site):
    session = Session(browser)
    dialogs, errors = [], []
    try:
        session.context.add_init_script(TRAPS)
        tab = session.context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(f"{tab.url}: {dialog.type} {dialog.message}"), dialog.dismiss()))
        tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
        console = []
        tab.on("console", lambda message: console.append(f"{tab.url}: {message.type}: {message.text}"))
        problems = {}
        pages = sorted(hostile_site.rglob("*.html"))
        for page in pages:
            tab.goto(page.as_uri())
            tab.wait_for_load_state("load")
            found = tab.evaluate(LIVE_DOM_PROBLEMS, list(OUR_SCRIPTS))
            if found:
                problems[page.relative_to(hostile_site).as_posix()] = found
        print(f"\n{len(pages)} pages loaded in chromium; {len(session.requests)} requests, all file://")
    finally:
        session.close()
    assert problems == {}
    assert dialogs == []
    assert errors == []  # an injected script that failed would still show up here
    # A file the in-memory build does not make (the search index comes from a later step) is not a script.
    assert [line for line in console if "Failed to load resource" not in line] == []
    assert [url for url in session.requests if not url.startswith("file://")] == []  # nothing tried to leave file://
    assert len(pages) > 60

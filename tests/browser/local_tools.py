"""What the browser tests need from the machine: Debian's chromium, Java, Node.js, and the checkers that
`npm ci` installs in tests/browser/tools/. A missing one skips the test with the remedy, except in CI (the CI
environment variable is set), where it fails: a check that did not run must not pass."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
TOOLS = Path(__file__).resolve().parent / "tools"
NODE_MODULES = TOOLS / "node_modules"


def unavailable(reason: str, remedy: str = "install Debian's chromium package") -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; browser tests are required in CI ({remedy})", pytrace=False)
    pytest.skip(f"{reason}; {remedy} to run the browser tests")


def require_tool(relative: str) -> Path:
    """The path of a checker installed by `npm ci` in tests/browser/tools/ (never fetched at test time)."""
    path = NODE_MODULES / relative
    if not path.exists():
        unavailable(f"{path} is missing", "run `npm ci --ignore-scripts` in tests/browser/tools, as .ci/run does")
    return path


def require_command(name: str, package: str) -> str:
    found = shutil.which(name)
    if not found:
        unavailable(f"`{name}` is not on PATH", f"install Debian's {package} package, as .ci/run does")
    return found


AXE_JS = """
async () => {
  const results = await axe.run(document, { resultTypes: ['violations'] });
  return results.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')) }));
}
"""


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page open in `page` (a Playwright page): id, impact and elements."""
    page.add_script_tag(path=str(require_tool("axe-core/axe.min.js")))
    return page.evaluate(AXE_JS)


def axe_violations_served(browser, origin: str, path: str, scheme: str) -> list[dict]:
    """axe_violations of `origin/path` in a fresh context in `scheme`, nothing fetched from elsewhere."""
    context = browser.new_context(color_scheme=scheme)
    try:
        context.route(lambda address: not address.startswith(origin), lambda route: route.abort())
        page = context.new_page()
        page.goto(f"{origin}/{path}")
        return axe_violations(page)
    finally:
        context.close()


def vnu_messages(pages: list[Path], *options: str) -> tuple[list[dict], int]:
    """The Nu HTML Checker's messages on these files, and its exit status (on Debian's Java)."""
    java = require_command("java", "default-jre-headless")
    vnu = require_tool("vnu-jar/build/dist/vnu.jar")
    checked = subprocess.run([java, "-jar", str(vnu), "--format", "json", *options, *map(str, pages)], capture_output=True, text=True, timeout=300)
    return json.loads(checked.stderr)["messages"], checked.returncode

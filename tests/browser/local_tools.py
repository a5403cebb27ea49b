"""What the browser tests need from the machine: Debian's chromium, Java, Node.js, and the checkers that
`npm ci` installs in tests/browser/tools/. A missing one skips the test with the remedy, except in CI (the CI
environment variable is set), where it fails: a check that did not run must not pass."""
from __future__ import annotations

import os
import shutil
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

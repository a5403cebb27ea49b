"""The reload channel between the preview server and open tabs: the published site with its epoch, the
long-poll that wakes when the epoch moves, and what is added to HTML pages while they are served (the
reload script, and the error overlay when the last rebuild failed). Nothing here reaches the built site.

Each rebuild, good or bad, publishes a new epoch. A served page carries the epoch it was served at; its
script asks `/__briefing__/wait?epoch=N`, which answers as soon as the epoch differs (or after a while,
to be asked again), and the page reloads itself.
"""
from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from typing import Mapping

ENDPOINT = "/__briefing__/"
SCRIPT_PATH = ENDPOINT + "livereload.js"
WAIT_PATH = ENDPOINT + "wait"
WAIT_SECONDS = 25.0  # below the idle timeouts of browsers and proxies

RELOAD_SCRIPT = """\
// Served by `briefing serve` only; never part of the built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var epoch = script ? script.getAttribute("data-epoch") : "";
  var hide = document.getElementById("briefing-overlay-hide");
  if (hide) {
    hide.addEventListener("click", function () {
      var overlay = document.getElementById("briefing-overlay");
      if (overlay) overlay.remove();
    });
  }
  function wait(delay) {
    setTimeout(function () {
      fetch("/__briefing__/wait?epoch=" + encodeURIComponent(epoch), { cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (answer) {
          if (String(answer.epoch) !== epoch) {
            location.reload();
          } else {
            wait(0);
          }
        })
        .catch(function () { wait(1000); });  // the server restarts or is stopped: keep trying, gently
    }, delay);
  }
  wait(0);
})();
"""

_OVERLAY_STYLE = """\
#briefing-overlay{all:initial;position:fixed;z-index:2147483647;top:0;left:0;right:0;max-height:60vh;overflow:auto;
box-sizing:border-box;padding:16px 20px;background:#fff4f4;color:#1d1d1f;border-bottom:4px solid #b3261e;
box-shadow:0 4px 16px rgba(0,0,0,.25);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
#briefing-overlay *{all:revert;box-sizing:border-box}
#briefing-overlay h2{margin:0 0 6px;padding-right:72px;font:600 16px/1.3 system-ui,-apple-system,"Segoe UI",sans-serif;color:#8c1d18}
#briefing-overlay p{margin:0 0 10px;font:inherit}
#briefing-overlay ol{margin:0;padding:0;list-style:none}
#briefing-overlay li{margin:0 0 4px;padding:6px 10px;background:#fff;border-left:3px solid #b3261e;
font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
#briefing-overlay li.warning{border-left-color:#8a5a00}
#briefing-overlay button{position:absolute;top:12px;right:16px;font:inherit;padding:2px 10px;cursor:pointer}
"""


@dataclass(frozen=True)
class Problem:
    """One diagnostic line as the overlay shows it: `path:line:col: level: message`."""

    level: str  # "error" or "warning"
    text: str


@dataclass(frozen=True)
class Published:
    """What the server shows: the last good site, and the problems of the last rebuild when it failed."""

    pages: Mapping[str, bytes] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    epoch: int = 0
    built: bool = False  # False until a build has succeeded: there is no site yet


class Channel:
    """Holds the published state; swapping it is one assignment, so a request sees the old site or the
    new one, never a mixture. Thread-safe."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        # Epochs start from the clock, so that a tab left open across a server restart still sees a new one.
        self._published = Published(epoch=time.time_ns() // 1_000_000)
        self._closing = False

    @property
    def current(self) -> Published:
        return self._published

    def publish(self, pages: Mapping[str, bytes] | None, problems: tuple[Problem, ...]) -> Published:
        """A new epoch: with `pages` after a good rebuild, keeping the last good pages after a failed one."""
        with self._condition:
            previous = self._published
            self._published = Published(
                pages=previous.pages if pages is None else pages,
                problems=problems,
                epoch=previous.epoch + 1,
                built=previous.built or pages is not None,
            )
            self._condition.notify_all()
            return self._published

    def wait(self, epoch: str, timeout: float = WAIT_SECONDS) -> int:
        """The current epoch, as soon as it differs from `epoch` (text, as the page sent it) or at the timeout."""
        with self._condition:
            self._condition.wait_for(lambda: self._closing or str(self._published.epoch) != epoch, timeout)
            return self._published.epoch

    def close(self) -> None:
        """Answers every waiting request at once, so the server can stop; their tabs ask again until a
        server answers."""
        with self._condition:
            self._closing = True
            self._condition.notify_all()


def overlay_html(problems: tuple[Problem, ...], built: bool) -> str:
    """The error overlay: every problem of the failed rebuild, escaped, one per line."""
    heading = "The last rebuild failed: this is the last good version of the site" if built else "The site could not be built"
    items = "".join(f'<li class="{html.escape(problem.level)}">{html.escape(problem.text)}</li>' for problem in problems)
    count = len(problems)
    return (
        f"<style>{_OVERLAY_STYLE}</style>"
        f'<div id="briefing-overlay" role="alert" aria-labelledby="briefing-overlay-title">'
        f'<button type="button" id="briefing-overlay-hide">Hide</button>'
        f'<h2 id="briefing-overlay-title">{heading}</h2>'
        f"<p>{count} problem{'s' * (count != 1)} to fix. Save the file and this page reloads by itself.</p>"
        f"<ol>{items}</ol></div>"
    )


def inject(page: bytes, published: Published) -> bytes:
    """An HTML page as served: the reload script (and the overlay, if the last rebuild failed) added
    just before </body>, or at the end when there is none."""
    addition = f'<script src="{SCRIPT_PATH}" data-epoch="{published.epoch}"></script>'
    if published.problems:
        addition = overlay_html(published.problems, published.built) + addition
    data = (addition + "\n").encode("utf-8")
    cut = page.rfind(b"</body>")
    if cut < 0:
        return page + data
    return page[:cut] + data + page[cut:]


def placeholder_page() -> bytes:
    """What every HTML address shows before any build has succeeded."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>briefing: not built yet</title>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n<body>\n'
        "<main><p>The site has not been built yet.</p></main>\n</body>\n</html>\n"
    ).encode("utf-8")

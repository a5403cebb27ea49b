"""The preview server over HTTP: what it serves and adds while serving, what it refuses, and how it
follows real edits, failed rebuilds and their fixes."""
from __future__ import annotations

import html
import io
import os
import re
from pathlib import Path

import pytest

from briefing.cli import main as briefing_main
from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.pipeline import build_site
from briefing.serve import livereload
from briefing.serve.server import host_allowed, site_path, Refusal

SEED = "seeds/000_b31cede6e6f66a7a.txt"
DOCUMENT_PAGE = "documents/000-b31cede6e6f66a7a/index.html"

SCRIPT_TAG = re.compile(r'<script src="/__briefing__/livereload\.js" data-epoch="(\d+)"></script>\n</body>')


# --- serving --------------------------------------------------------------------------------------------

def test_pages_are_served_from_the_build_with_the_reload_script_before_the_body_ends(shared_preview) -> None:
    response = shared_preview.get("/")
    built = shared_preview.page("index.html")

    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    match = SCRIPT_TAG.search(response.text)
    assert match and match.group(1) == str(shared_preview.session.channel.current.epoch)
    assert response.text.replace(match.group(0), "</body>") == built


def test_the_built_site_never_holds_the_reload_script(shared_preview, tmp_path: Path) -> None:
    code = briefing_main(["build", "--project", str(shared_preview.project), "--output", str(tmp_path / "site"), "--quiet"], io.StringIO(), io.StringIO())

    assert code == 0
    assert [path for path in (tmp_path / "site").rglob("*") if path.is_file() and b"__briefing__" in path.read_bytes()] == []


@pytest.mark.parametrize(
    ("target", "status", "content_type", "location"),
    [
        ("/actors/joe-biden/", 200, "text/html; charset=utf-8", None),
        ("/actors/joe-biden/index.html", 200, "text/html; charset=utf-8", None),
        ("/actors/joe-biden", 301, "text/plain; charset=utf-8", "/actors/joe-biden/"),
        ("/assets/style.css", 200, "text/css; charset=utf-8", None),
        ("/data/actors.json", 200, "application/json", None),
        ("/index.html?utm=1#top", 200, "text/html; charset=utf-8", None),
        ("/no/such/page/", 404, "text/html; charset=utf-8", None),
        ("/__briefing__/livereload.js", 200, "text/javascript; charset=utf-8", None),
        ("/__briefing__/nothing", 404, "text/plain; charset=utf-8", None),
    ],
)
def test_addresses_answer_with_status_type_and_redirect(shared_preview, target: str, status: int, content_type: str, location: str | None) -> None:
    response = shared_preview.get(target)

    assert (response.status, response.headers["content-type"], response.headers.get("location")) == (status, content_type, location)


def test_a_missing_page_shows_the_sites_404_page_with_the_reload_script(shared_preview) -> None:
    response = shared_preview.get("/documents/gone/")

    assert response.status == 404
    assert SCRIPT_TAG.sub("</body>", response.text) == shared_preview.page("404.html")


def test_assets_are_served_byte_for_byte_without_the_script(shared_preview) -> None:
    response = shared_preview.get("/assets/style.css")

    assert response.body == shared_preview.session.channel.current.pages["assets/style.css"]


def test_data_exports_and_feeds_are_made_when_asked_for_and_equal_a_builds(shared_preview) -> None:
    # The preview defers them (most of a rebuild's time at scale); the server makes them on request.
    report = Diagnostics()
    built = {page.path: page.content for page in build_site(load_config(shared_preview.project, None, report), report).pages}
    for path in ("data/documents.json", "data/mentions.csv", "data/network.json", "feed.xml", "actors/keir-starmer/feed.xml"):
        response = shared_preview.get(f"/{path}")
        assert (response.status, response.body) == (200, built[path]), path


def test_head_answers_the_get_headers_without_a_body(shared_preview) -> None:
    got, head = shared_preview.get("/"), shared_preview.get("/", method="HEAD")

    assert (head.status, head.body, head.headers["content-length"]) == (200, b"", str(len(got.body)))


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_methods_other_than_get_and_head_are_refused(shared_preview, method: str) -> None:
    assert shared_preview.get("/", method=method).status == 501


def test_the_wait_endpoint_answers_at_once_when_the_page_is_out_of_date(shared_preview) -> None:
    response = shared_preview.get("/__briefing__/wait?epoch=0")

    assert (response.status, response.body) == (200, f'{{"epoch": {shared_preview.session.channel.current.epoch}}}'.encode())


# --- refusals -------------------------------------------------------------------------------------------

HOSTILE_TARGETS = {
    "dot-dot": ("/../../etc/passwd", 400),
    "dot-dot-inside": ("/actors/../../briefing.yaml", 400),
    "dot": ("/./index.html", 400),
    "encoded-dot-dot": ("/%2e%2e/%2e%2e/etc/passwd", 400),
    "encoded-dot-dot-upper": ("/%2E%2E%2F%2E%2E%2Fbriefing.yaml", 400),
    "encoded-slash": ("/actors/..%2f..%2fbriefing.yaml", 400),
    "double-encoded": ("/%252e%252e/briefing.yaml", 404),
    "backslash": ("/..\\..\\briefing.yaml", 400),
    "encoded-backslash": ("/..%5c..%5cbriefing.yaml", 400),
    "nul": ("/index.html%00.css", 400),
    "control-character": ("/index%0a.html", 400),
    "not-utf-8": ("/%ff%fe", 400),
    "empty-segment": ("/actors//joe-biden/", 400),
    "dotfile-marker": ("/.briefing-site", 404),
    "dotfile-git": ("/.git/config", 404),
    "dotfile-deep": ("/assets/.hidden", 404),
    "overlong": ("/" + "a" * 5000, 414),
    "absolute-form": ("http://evil.example/index.html", 400),
    "source-file": ("/seeds/000_b31cede6e6f66a7a.txt", 404),
    "config-file": ("/briefing.yaml", 404),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_TARGETS))
def test_hostile_paths_are_refused_with_a_4xx(shared_preview, case: str) -> None:
    target, status = HOSTILE_TARGETS[case]

    response = shared_preview.get(target)

    assert response.status == status
    assert not any(secret in response.body for secret in (b"every key is optional", b"finalizing the details", b"root:"))


def test_a_request_line_longer_than_http_server_reads_is_refused(shared_preview) -> None:
    response = shared_preview.get("/" + "a" * 70_000)

    assert response.status == 414


GARBAGE = {
    "no-path": (b"GARBAGE\r\n\r\n", 400),
    "method-alone": (b"GET\r\n\r\n", 400),
    "unknown-version": (b"GET / HTTP/9.9\r\n\r\n", 505),
    "binary-method": (b"\x00\x01\x02 / HTTP/1.1\r\n\r\n", 501),
    "huge-header": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
}


@pytest.mark.parametrize("case", sorted(GARBAGE))
def test_garbage_requests_get_an_error_and_the_server_keeps_serving(shared_preview, raw, case: str) -> None:
    request, code = GARBAGE[case]

    response = raw(shared_preview.port, request)

    # http.server answers requests it cannot parse as HTTP/1.x in HTTP/0.9 style: the error page alone.
    assert re.findall(rb"Error code: (\d+)", response.body) == [str(code).encode()]
    assert shared_preview.get("/").status == 200


def test_a_symlink_in_the_output_folder_leads_nowhere(shared_preview, tmp_path: Path) -> None:
    """The server reads pages from memory, never from the output folder: a link planted there is not followed."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0", encoding="utf-8")
    site = shared_preview.project / "site"
    site.mkdir(exist_ok=True)
    os.symlink(secret.parent, site / "escape")
    os.symlink(secret, site / "secret.txt")

    assert [shared_preview.get(target).status for target in ("/escape/secret.txt", "/secret.txt")] == [404, 404]


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:{port}", 200),
        ("localhost:{port}", 200),
        ("LOCALHOST:{port}", 200),
        ("evil.example:{port}", 403),
        ("evil.example", 403),
        ("127.0.0.1.nip.io:{port}", 403),
        ("127.0.0.1:1", 403),
        ("127.0.0.1", 403),
        ("[::1]:{port}", 403),
        ("127.0.0.1:{port}:{port}", 403),
        ("", 403),
    ],
)
def test_requests_naming_another_host_are_refused(shared_preview, host: str, status: int) -> None:
    response = shared_preview.get("/", host=host.format(port=shared_preview.port))

    assert response.status == status
    if status == 403:
        assert response.text == "This server only answers requests addressed to it by its own address.\n"


def test_a_request_without_host_header_is_refused(shared_preview, raw) -> None:
    assert raw(shared_preview.port, b"GET / HTTP/1.0\r\n\r\n").status == 403


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/", ""),
        ("/actors/", "actors/"),
        ("/a%20b.html", "a b.html"),
        ("/caf%C3%A9/", "café/"),
        ("/../x", Refusal(400, "the address climbs out of the site")),
        ("/x/%2e", Refusal(400, "the address climbs out of the site")),
        ("/.env", Refusal(404, "hidden files are not served")),
        ("x", Refusal(400, "the address must be a path")),
    ],
)
def test_site_path_decodes_once_and_refuses_what_is_not_plain(target: str, expected: object) -> None:
    assert site_path(target) == expected


@pytest.mark.parametrize(
    ("header", "allowed"),
    [("127.0.0.1:8000", True), ("127.0.0.1:80", False), ("localhost", False), ("[::1]:8000", True), ("[::1", False), ("[::1]x", False), ("127.0.0.1:８０００", False)],
)
def test_host_allowed_needs_a_known_name_and_our_port(header: str, allowed: bool) -> None:
    assert host_allowed(header, 8000, frozenset({"127.0.0.1", "::1", "localhost"})) == allowed


# --- edits, failures and recovery -----------------------------------------------------------------------

def test_an_edited_seed_is_served_after_one_rebuild(preview) -> None:
    epoch = preview.session.channel.current.epoch
    html_pages = sum(1 for path in preview.session.channel.current.pages if path.endswith(".html"))
    seed = preview.project / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("finalizing the details", "drafting the details"), encoding="utf-8")

    preview.wait_until(lambda published: b"drafting the details" in published.pages[DOCUMENT_PAGE])

    response = preview.get("/" + DOCUMENT_PAGE)
    assert "drafting the details" in response.text and "finalizing the details" not in response.text
    assert SCRIPT_TAG.search(response.text).group(1) != str(epoch)
    assert re.search(
        rf"^seeds/000_b31cede6e6f66a7a\.txt changed: rebuilt in \d+\.\d\d s \(1 of 1 document analysed, \d+ of {html_pages} pages rendered\)$",
        preview.stdout.getvalue(),
        re.M,
    )


def test_deleted_and_renamed_seeds_leave_and_arrive(preview) -> None:
    seed, overlay = preview.project / SEED, preview.project / "content/documents/000_b31cede6e6f66a7a.md"
    overlay.rename(overlay.with_name("2024-09-11-long-range.md"))  # an overlay follows its seed's name
    seed.rename(seed.with_name("2024-09-11-long-range.txt"))
    preview.wait_until(lambda published: "documents/2024-09-11-long-range/index.html" in published.pages)

    assert (preview.get("/" + DOCUMENT_PAGE).status, preview.get("/documents/2024-09-11-long-range/").status) == (404, 200)
    assert "seeds/000_b31cede6e6f66a7a.txt renamed to seeds/2024-09-11-long-range.txt" in preview.stdout.getvalue()

    (preview.project / "content/documents/2024-09-11-long-range.md").unlink()
    (preview.project / "seeds/2024-09-11-long-range.txt").unlink()
    preview.wait_until(lambda published: "documents/2024-09-11-long-range/index.html" not in published.pages)

    assert preview.get("/documents/2024-09-11-long-range/").status == 404


def overlay_lines(page: str) -> list[str]:
    return re.findall(r'<li class="(?:error|warning)">(.*?)</li>', page)


def test_a_broken_edit_keeps_the_last_good_site_with_an_overlay_and_the_fix_recovers(preview) -> None:
    actor = preview.project / "content/actors/joe-biden.md"
    good = actor.read_text(encoding="utf-8")
    before = preview.get("/actors/joe-biden/").text

    actor.write_text(good.replace("kind: person", "kind: persn\naliass: [<b>Joe</b>]"), encoding="utf-8")
    broken = preview.wait_until(lambda published: bool(published.problems))

    page = preview.get("/actors/joe-biden/")
    assert page.status == 200
    assert overlay_lines(page.text) == [
        html.escape("content/actors/joe-biden.md:3:7: error: field 'kind': 'persn' is not one of: person, state, organization, media, group, other (did you mean 'person'?)"),
        html.escape("content/actors/joe-biden.md:4:1: error: unknown field 'aliass' (did you mean 'aliases'?)"),
    ]
    assert "<b>Joe</b>" not in page.text
    assert livereload.overlay_html(broken.problems, True) in page.text
    assert SCRIPT_TAG.sub("</body>", page.text.replace(livereload.overlay_html(broken.problems, True), "")) == SCRIPT_TAG.sub("</body>", before)
    assert overlay_lines(preview.get("/documents/").text) == overlay_lines(page.text)  # every page shows it
    assert "content/actors/joe-biden.md changed: build failed (2 errors, 0 warnings)" in preview.stderr.getvalue()

    actor.write_text(good.replace("role: President", "role: Former President"), encoding="utf-8")
    preview.wait_until(lambda published: not published.problems)

    page = preview.get("/actors/joe-biden/")
    assert "briefing-overlay" not in page.text
    assert "Former President of the United States" in page.text


def test_a_template_error_is_shown_at_its_line_and_the_fix_recovers(preview) -> None:
    footer = preview.project / "templates/footer.html"
    footer.parent.mkdir()
    footer.write_text('<footer>\n{% if %}\n</footer>\n', encoding="utf-8")
    broken = preview.wait_until(lambda published: bool(published.problems))

    assert [problem.text.split(": error: ")[0] for problem in broken.problems] == ["templates/footer.html:2"]
    assert preview.get("/").status == 200

    footer.write_text('<footer class="site-footer">Our own footer</footer>\n', encoding="utf-8")
    preview.wait_until(lambda published: not published.problems and b"Our own footer" in published.pages["index.html"])

    assert "Our own footer" in preview.get("/").text


def test_before_any_good_build_every_page_says_so_with_the_overlay(example_copy: Path, make_preview) -> None:
    project = example_copy
    (project / "briefing.yaml").write_text("title: [\n", encoding="utf-8")
    running = make_preview(project)
    response = running.get("/actors/")
    assert response.status == 503
    assert "The site could not be built" in response.text
    assert [line.split(": error: ")[0] for line in overlay_lines(response.text)] == ["briefing.yaml:2:1"]

    (project / "briefing.yaml").write_text("title: Fixed\n", encoding="utf-8")
    running.wait_until(lambda published: published.built)
    assert running.get("/actors/").status == 200


def test_an_engine_failure_is_shown_at_the_line_it_came_from_and_the_server_keeps_serving(preview, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.serve.preview as preview_module

    def failing_build(*args, **kwargs):
        raise RuntimeError("boom <b>")

    monkeypatch.setattr(preview_module, "build_site", failing_build)
    seed = preview.project / SEED
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    broken = preview.wait_until(lambda published: bool(published.problems))

    line = failing_build.__code__.co_firstlineno + 1
    assert [problem.text for problem in broken.problems] == [
        f"tests/serve/test_server.py:{line}: error: internal error, please report it: RuntimeError: boom <b>"
    ]
    assert "RuntimeError: boom" in preview.stderr.getvalue()  # the traceback, for the report
    page = preview.get("/")
    assert (page.status, overlay_lines(page.text)) == (200, [html.escape(broken.problems[0].text)])

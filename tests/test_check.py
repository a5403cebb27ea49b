"""`briefing check` and `build --strict` as a CI gate: every problem of a project listed once as
path:line:col, broken links and anchors in the rendered pages included, and a non-zero exit. `check`
builds in memory and writes nothing."""
from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

from briefing.cli import main as briefing_main

TESTS = Path(__file__).resolve().parent
NEWSROOM = TESTS / "sites" / "newsroom"
CHECKED = re.compile(r"Checked (\d+) documents?, (\d+) actors?, (\d+) pages? in \d+\.\d\d s: (.*)\.\n")

# One project with a problem of every kind the loader reports, and links that go nowhere: one in a
# template override, one in a free page's Markdown, one in an actor's biography.
INVALID_PROJECT = {
    "briefing.yaml": "title: Desk\nmention_link: all\n",
    "seeds/2024-09-11-talks.txt": "---\ntitle: Ministers meet\ndate: 2024-09-11\nsorce: Reuters\n---\n"
                                  "Antony Blinken met Rustem Umerov in Washington on Wednesday.\n",
    "seeds/2024-09-12-follow-up.txt": "---\ntitle: Talks continue\ndate: 2024-09-12\nslug: 2024-09-11-talks\n---\n"
                                      "Antony Blinken returned.\n",
    "content/documents/2024-09-13-briefing.md": "---\nsource: Reuters\n---\nA note for a seed that does not exist.\n",
    "content/actors/antony-blinken.md": "---\nname: Antony Blinken\nkind: person\naffiliation: [state-departmnet]\n---\n"
                                        "Secretary of State; see his [statements](#statement).\n",
    "content/actors/rustem-umerov.md": "---\nname: Rustem Umerov\nkind: persn\n---\n",
    "content/actors/united-states.md": "---\nname: United States\nkind: state\naliases: [Washington]\n---\n",
    "content/actors/washington-state.md": "---\nname: Washington State\nkind: state\naliases: [Washington]\n---\n",
    "content/pages/about.md": "---\ntitle: About\n---\nHow we work.\n\nRead [the method](../method/index.html) first.\n",
    "templates/actors.html": '<!doctype html>\n<html lang="en">\n<title>Actors</title>\n<h1>Actors</h1>\n'
                             '<p><a href="{{ document_href(\'missing\') }}">A lost briefing</a>\n'
                             '<p><a href="{{ href(urls.timeline_path()) }}#2024">The timeline for 2024</a>\n',
}
INVALID_DIAGNOSTICS = """\
briefing.yaml:2:1: error: unknown field 'mention_link' (did you mean 'mention_links'?)
content/actors/antony-blinken.md:4:1: error: affiliation 'state-departmnet' is not an actor; create content/actors/state-departmnet.md or fix the slug
content/actors/antony-blinken.md:6:42: error: link to #statement has no target: this page has no element with id 'statement' (on site/actors/antony-blinken/index.html)
content/actors/rustem-umerov.md:3:7: error: field 'kind': 'persn' is not one of: person, state, organization, media, group, other (did you mean 'person'?)
content/actors/united-states.md:1:1: warning: actor 'united-states' is never mentioned; check its name and aliases against the text
content/actors/washington-state.md:1:1: warning: actor 'washington-state' is never mentioned; check its name and aliases against the text
content/actors/washington-state.md:4:1: warning: alias 'Washington' is claimed by 2 actors: united-states, washington-state; it is linked to neither. Keep it in one actor's file
content/documents/2024-09-13-briefing.md:1:1: error: overlay has no seed: there is no seeds/2024-09-13-briefing.txt or seeds/2024-09-13-briefing.md; name the overlay after its seed (did you mean '2024-09-11-talks.md'?)
content/pages/about.md:6:19: error: link to ../method/index.html has no target (on site/about/index.html)
seeds/2024-09-11-talks.txt:4:1: warning: unknown field 'sorce' (did you mean 'source'?)
seeds/2024-09-12-follow-up.txt:4:1: error: slug '2024-09-11-talks' is already used by seeds/2024-09-11-talks.txt; set a different 'slug' in the front matter
site/actors/index.html:5:7: error: link to ../documents/missing/index.html has no target
site/actors/index.html:6:7: error: link to ../timeline/index.html#2024 has no target: site/timeline/index.html has no element with id '2024'
"""


def write_project(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run(args: list[str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(args, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(Path(folder, name).relative_to(root)): Path(folder, name).read_bytes()
        for folder, _, names in os.walk(root)
        for name in names
    }


def test_check_lists_every_problem_of_an_invalid_project_and_exits_1(tmp_path):
    project = write_project(tmp_path / "desk", INVALID_PROJECT)

    code, stdout, stderr = run(["check", "--project", str(project)])

    assert (code, stdout) == (1, "")
    assert stderr == INVALID_DIAGNOSTICS + "Check failed (9 errors, 4 warnings).\n"


def test_build_of_the_invalid_project_prints_the_same_problems_and_writes_nothing(tmp_path):
    project = write_project(tmp_path / "desk", INVALID_PROJECT)

    code, stdout, stderr = run(["build", "--project", str(project), "--quiet"])

    assert (code, stdout) == (1, "")
    assert stderr == INVALID_DIAGNOSTICS + "Build failed (9 errors, 4 warnings); nothing written.\n"
    assert not (project / "site").exists()


def test_a_template_override_that_emits_a_broken_link_fails_the_build_and_keeps_the_last_site(tmp_path):
    project = tmp_path / "newsroom"
    shutil.copytree(NEWSROOM, project, ignore=shutil.ignore_patterns("expected*"))
    assert run(["build", "--project", str(project), "--quiet"])[0] == 0
    before = snapshot(project / "site")
    pages = sorted(path.relative_to(project).as_posix() for path in (project / "site").rglob("*.html"))
    (project / "templates" / "footer.html").write_text(
        '<footer class="site-footer"><a href="{{ href(urls.actor_path(\'nobody\')) }}">Nobody</a></footer>\n', encoding="utf-8"
    )

    code, stdout, stderr = run(["build", "--project", str(project), "--quiet"])

    assert (code, stdout) == (1, "")
    *problems, summary = stderr.splitlines()
    link_errors = [line for line in problems if line.startswith("site/")]
    # One error per page, at the footer's link (column 32 of the override's line), spelled relative to the page.
    assert [re.sub(r":\d+:32: ", ":L:32: ", line) for line in link_errors] == [
        f"{page}:L:32: error: link to {'../' * (page.count('/') - 1)}actors/nobody/index.html has no target" for page in pages
    ]
    assert summary.startswith(f"Build failed ({len(pages)} errors, 2 warnings); ") and summary.endswith("site/ left unchanged.")
    assert snapshot(project / "site") == before


def test_check_passes_a_project_with_warnings_and_writes_nothing(tmp_path):
    project = tmp_path / "newsroom"
    shutil.copytree(NEWSROOM, project, ignore=shutil.ignore_patterns("expected*"))
    before = snapshot(project)

    code, stdout, stderr = run(["check", "--project", str(project)])

    assert code == 0
    assert CHECKED.fullmatch(stdout).groups() == ("5", "10", "23", "2 warnings")
    assert stderr == (NEWSROOM / "expected-diagnostics.txt").read_text(encoding="utf-8")
    assert snapshot(project) == before


def test_check_strict_fails_on_warnings(tmp_path):
    project = tmp_path / "newsroom"
    shutil.copytree(NEWSROOM, project, ignore=shutil.ignore_patterns("expected*"))

    code, stdout, stderr = run(["check", "--project", str(project), "--strict"])

    assert (code, stdout) == (1, "")
    assert stderr.splitlines()[-1] == "Check failed (0 errors, 2 warnings, warnings are errors with --strict)."


def test_check_of_the_shipped_example_finds_no_problem():
    code, stdout, stderr = run(["check", "--project", str(TESTS.parent)])

    assert (code, stderr) == (0, "")
    assert CHECKED.fullmatch(stdout).group(4) == "no problems"


def test_check_of_a_missing_project_is_a_usage_error(tmp_path):
    code, stdout, stderr = run(["check", "--project", str(tmp_path / "nowhere")])

    assert (code, stdout) == (2, "")
    assert stderr == f"briefing: error: project folder {tmp_path / 'nowhere'} does not exist\n"

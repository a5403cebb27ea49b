"""What issue 3 promises for the shipped example, checked on a real build of it: statements (who said what),
timeline events, data files whose links land on real elements, `suggest`, and the coverage warnings.

The example project is the repo itself (seeds/, content/, briefing.yaml). Projects that need changing are
copied to a temporary folder first; the repo is never written.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing.cli import main as briefing_main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_INPUTS = ("seeds", "content", "templates", "briefing.yaml", "build.py")
SEED = "seeds/000_b31cede6e6f66a7a.txt"
DOCUMENT = "000-b31cede6e6f66a7a"
PAGE = f"documents/{DOCUMENT}/index.html"
DATA_TABLES = ("actors", "documents", "mentions", "statements", "events")


def build(project: Path, output: Path) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["build", "--project", str(project), "--output", str(output), "--quiet"], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def copy_example(target: Path) -> Path:
    """The shipped example's inputs (and its build.py) copied to `target`."""
    target.mkdir(parents=True)
    for name in EXAMPLE_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def run_build_py(args: list[str], project: Path) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS` run in the project folder, as a user would."""
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "CI")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "build.py", *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The shipped example built once through the command line: (site folder, what the build printed)."""
    site = tmp_path_factory.mktemp("intelligence") / "site"
    code, _, stderr = build(REPO, site)
    assert code == 0, stderr
    return site, stderr


@pytest.fixture(scope="module")
def site(example) -> Path:
    return example[0]


def data(site: Path, name: str):
    return json.loads((site / "data" / f"{name}.json").read_text(encoding="utf-8"))


def statements(site: Path) -> list[dict]:
    return data(site, "statements")["statements"]


def events(site: Path) -> list[dict]:
    return data(site, "events")["events"]


def test_shipped_example_builds_without_warnings(example):
    assert example[1] == ""


# --- statements -----------------------------------------------------------------------------------

BLINKEN_FROM_DAY_ONE = {
    "actor": "antony-blinken", "document": DOCUMENT, "date": "2024-09-11", "verb": "said", "quote": "from day one",
    "sentence": "The U.S. has been flexible and to willing to alter its strategy “from day one,” Blinken said.",
    "page": f"{PAGE}#s-7",
}
JOINT = ("Both Blinken and Lammy said on Sept. 11 that Russia is already escalating the war, not only by continuing "
         "to launch mass attacks against Ukraine but also by accepting shipments of ballistic missiles from Iran.")


def statement(actor: str, verb: str, sentence: int, text: str) -> dict:
    return {"actor": actor, "document": DOCUMENT, "date": "2024-09-11", "verb": verb, "quote": "", "sentence": text,
            "page": f"{PAGE}#s-{sentence}"}


PROMISED_STATEMENTS = {
    "Blinken's quote 'from day one'": BLINKEN_FROM_DAY_ONE,
    "Politico's report": statement(
        "politico", "reported", 1,
        "U.S. President Joe Biden is finalizing the details of a plan to lift some restrictions on Ukraine’s use of "
        "American long-range weapons to strike targets deep in Russian territory, Politico reported on Sept. 11, "
        "citing unnamed officials familiar with the discussions.",
    ),
    "The Guardian's report": statement(
        "the-guardian", "reported", 4,
        "The Guardian reported on Sept. 11 that the U.K. has already privately decided to allow Ukraine to use its "
        "British-supplied Storm Shadow missiles for long-range strikes deep into Russia.",
    ),
    "Ukraine's position (Kyiv)": statement(
        "ukraine", "has long argued", 9,
        "Kyiv has long argued that restrictions on the use of long-range weapons are hindering its ability to defend "
        "Ukrainian cities from intensifying aerial attacks.",
    ),
    "the United States' position (Washington)": statement(
        "united-states", "has consistently claimed", 10,
        "Washington has consistently claimed that allowing Ukraine to hit deep into Russian territory with U.S. "
        "weapons could escalate conflict with Russia.",
    ),
    "Blinken's part of the joint statement": statement("antony-blinken", "said", 11, JOINT),
    "Lammy's part of the joint statement": statement("david-lammy", "said", 11, JOINT),
}


@pytest.mark.parametrize("promised", PROMISED_STATEMENTS.values(), ids=PROMISED_STATEMENTS.keys())
def test_shipped_seed_statement_is_in_the_data(site, promised):
    assert promised in statements(site)


def test_joint_statement_goes_to_each_speaker_once(site):
    speakers = [s["actor"] for s in statements(site) if s["page"] == f"{PAGE}#s-11"]
    assert speakers == ["antony-blinken", "david-lammy"]


def test_politico_is_never_credited_for_what_an_official_told_it(site):
    told = [m["sentence_number"] for m in data(site, "mentions")["mentions"]
            if m["actor"] == "politico" and m["text"] == "Politico"]
    assert told == [1, 2, 3, 8]  # sentences 2 and 8 end "..., an official told Politico."
    credited = [s["page"] for s in statements(site) if s["actor"] == "politico"]
    assert credited == [f"{PAGE}#s-1", f"{PAGE}#s-3"]
    assert not [s for s in statements(site) if "an official told Politico" in s["sentence"]]


def test_statements_csv_has_the_same_records_as_the_json(site):
    with (site / "data" / "statements.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows == statements(site)


# --- timeline -------------------------------------------------------------------------------------

UMEROV = {
    "date": "2024-08-30", "date_text": "Aug. 30", "document": DOCUMENT,
    "actors": ["united-states", "rustem-umerov", "russia", "ukraine"],
    "sentence": "The talks on loosening U.S. restrictions reportedly began after Defense Minister Rustem Umerov on Aug. 30 "
                "visited Washington and presented senior officials with a list of high-value targets in Russia that "
                "Ukraine wants to hit with Army Tactical Missile Systems (ATACMS).",
    "page": f"{PAGE}#s-12",
}
BIDEN_STARMER = {
    "date": "2024-09-13", "date_text": "Sept. 13", "document": DOCUMENT,
    "actors": ["joe-biden", "united-kingdom", "keir-starmer", "white-house", "politico"],
    "sentence": "Biden is expected to discuss the long-range weapons issue with U.K. Prime Minister Keir Starmer during "
                "their meeting at the White House on Sept. 13, an official told Politico.",
    "page": f"{PAGE}#s-8",
}


def test_timeline_days_are_exactly_the_three_the_seed_names(site):
    assert sorted({event["date"] for event in events(site)}) == ["2024-08-30", "2024-09-11", "2024-09-13"]


def test_events_are_listed_oldest_first(site):
    dates = [event["date"] for event in events(site)]
    assert dates == sorted(dates)


def test_umerov_in_washington_on_august_30_is_an_event_of_the_united_states(site):
    assert [event for event in events(site) if event["date"] == "2024-08-30"] == [UMEROV]
    washington = [m for m in data(site, "mentions")["mentions"] if m["text"] == "Washington" and m["sentence_number"] == 12]
    assert [m["actor"] for m in washington] == ["united-states"]


def test_september_11_events_are_the_reports_and_the_blinken_lammy_statement(site):
    september_11 = [(event["page"], event["actors"]) for event in events(site) if event["date"] == "2024-09-11"]
    assert september_11 == [
        (f"{PAGE}#s-1", ["united-states", "joe-biden", "ukraine", "politico"]),
        (f"{PAGE}#s-4", ["the-guardian", "united-kingdom", "ukraine", "russia"]),
        (f"{PAGE}#s-6", ["antony-blinken", "united-states"]),
        (f"{PAGE}#s-11", ["antony-blinken", "david-lammy", "russia", "ukraine", "iran"]),
    ]


def test_biden_starmer_meeting_at_the_white_house_is_the_september_13_event(site):
    assert [event for event in events(site) if event["date"] == "2024-09-13"] == [BIDEN_STARMER]


# --- data links -----------------------------------------------------------------------------------

class _Ids(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        if element_id:
            self.ids.add(element_id)


def data_links(site: Path) -> list[str]:
    """Every `page` value in site/data/: JSON records, network evidence and CSV cells."""
    links = [record["page"] for name in DATA_TABLES for record in data(site, name)[name]]
    links += [item["page"] for edge in data(site, "network")["edges"] for item in edge["evidence"]]
    for path in sorted((site / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            links += [row["page"] for row in csv.DictReader(file) if "page" in row]
    return links


def test_every_page_link_in_the_data_names_an_existing_file_and_element(site):
    links = data_links(site)
    ids_by_page: dict[str, set[str]] = {}
    missing = []
    for link in links:
        page, _, fragment = link.partition("#")
        if not (site / page).is_file():
            missing.append(link)
            continue
        if page not in ids_by_page:
            ids_by_page[page] = _Ids((site / page).read_text(encoding="utf-8")).ids
        if fragment and fragment not in ids_by_page[page]:
            missing.append(link)
    assert missing == []
    assert {link.partition("#")[2][:2] for link in links} == {"", "m-", "s-"}


def test_every_sentence_of_the_seed_has_its_anchor_on_the_document_page(site):
    ids = _Ids((site / PAGE).read_text(encoding="utf-8")).ids
    sentence_ids = {element_id for element_id in ids if re.fullmatch(r"s-\d+", element_id)}
    assert sentence_ids == {f"s-{n}" for n in range(1, 13)}


# --- suggest --------------------------------------------------------------------------------------

SUGGESTION = re.compile(r"^ *(?P<count>\d+)  (?P<name>.+?) +(?P<kind>person|organization|other) +(?P<example>seeds/.+)$")


def suggestions(stdout: str) -> list[tuple[int, str, str]]:
    return [(int(m["count"]), m["name"], m["kind"]) for m in map(SUGGESTION.match, stdout.splitlines()) if m]


def test_suggest_lists_storm_shadow_and_atacms_missing_from_the_shipped_registry(tmp_path):
    project = copy_example(tmp_path / "project")
    result = run_build_py(["suggest"], project)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "count  name                             kind         example"
    assert suggestions(result.stdout) == [
        (1, "Army Tactical Missile Systems", "other"),
        (1, "ATACMS", "organization"),
        (1, "Storm Shadow", "other"),
    ]
    assert lines[3] == (
        "    1  Storm Shadow                     other        seeds/000_b31cede6e6f66a7a.txt: The Guardian reported on "
        "Sept. 11 that the U.K. has already privately decided to allow Ukraine to use its British-supplied Storm "
        "Shadow missiles for long-range strikes deep into Russia."
    )
    assert sorted(path.name for path in (project / "content" / "actors").iterdir()) == sorted(
        path.name for path in (REPO / "content" / "actors").iterdir()
    )


def test_suggest_write_creates_stubs_and_never_overwrites_an_actor_file(tmp_path):
    project = copy_example(tmp_path / "project")
    actors = project / "content" / "actors"
    # A profile already owns the slug 'atacms' but not the acronym, so ATACMS is still suggested.
    existing = "---\nname: Army Tactical Missile Systems\nkind: other\n---\nU.S.-made ballistic missiles.\n"
    (actors / "atacms.md").write_text(existing, encoding="utf-8")
    result = run_build_py(["suggest", "--write"], project)
    assert result.returncode == 0, result.stderr
    assert suggestions(result.stdout) == [(1, "ATACMS", "organization"), (1, "Storm Shadow", "other")]
    assert result.stdout.splitlines()[-2:] == [
        "wrote content/actors/storm-shadow.md",
        "1 stub written, 1 already existed; fill in kind, aliases and bio before building.",
    ]
    assert (actors / "atacms.md").read_text(encoding="utf-8") == existing
    assert (actors / "storm-shadow.md").read_text(encoding="utf-8").startswith(
        "---\nname: Storm Shadow\nkind: other\naliases: []\n---\n"
    )


def test_stub_written_by_suggest_makes_the_name_a_mention_in_the_next_build(tmp_path):
    project = copy_example(tmp_path / "project")
    assert run_build_py(["suggest", "--write"], project).returncode == 0
    code, _, stderr = build(project, tmp_path / "site")
    assert (code, stderr) == (0, "")
    mentions = data(tmp_path / "site", "mentions")["mentions"]
    assert [(m["actor"], m["text"]) for m in mentions if m["actor"] in ("storm-shadow", "atacms")] == [
        ("storm-shadow", "Storm Shadow"), ("atacms", "ATACMS"),
    ]
    assert run_build_py(["suggest"], project).stdout == (
        "No missing actors found: every name that looks like an actor is in the registry.\n"
    )


# --- coverage warnings ----------------------------------------------------------------------------

def test_actor_nobody_mentions_gets_a_warning_at_its_file(tmp_path):
    project = copy_example(tmp_path / "project")
    (project / "content" / "actors" / "nato.md").write_text("---\nname: NATO\nkind: organization\n---\nThe alliance.\n", encoding="utf-8")
    code, _, stderr = build(project, tmp_path / "site")
    assert code == 0
    assert stderr == (
        "content/actors/nato.md:1:1: warning: actor 'nato' is never mentioned; "
        "check its name and aliases against the text\n"
    )


def test_seed_that_mentions_no_actor_gets_a_warning_at_its_file(tmp_path):
    project = copy_example(tmp_path / "project")
    (project / "seeds" / "quiet.txt").write_text("---\ndate: 2024-09-12\n---\nNothing of note happened.\n", encoding="utf-8")
    code, _, stderr = build(project, tmp_path / "site")
    assert code == 0
    assert stderr == (
        "seeds/quiet.txt:1:1: warning: no known actor is mentioned; "
        "run 'python build.py suggest' to find names worth adding\n"
    )


def test_coverage_warnings_fail_a_strict_build(tmp_path):
    project = copy_example(tmp_path / "project")
    (project / "content" / "actors" / "nato.md").write_text("---\nname: NATO\nkind: organization\n---\n", encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    code = briefing_main(["build", "--project", str(project), "--output", str(tmp_path / "site"), "--strict"], stdout, stderr)
    assert code == 1
    assert stderr.getvalue().splitlines()[-1] == (
        "Build failed (0 errors, 1 warning, warnings are errors with --strict); nothing written."
    )

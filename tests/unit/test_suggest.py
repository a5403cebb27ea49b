"""suggest: names in the text that look like actors but have no profile; stub profiles that never overwrite."""
from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.frontmatter import split_front_matter
from briefing.stages.clean import clean_text
from briefing.stages.load import load_actors, load_project
from briefing.suggest import Candidate, suggest_actors, write_stubs

REPO = Path(__file__).resolve().parents[2]
SEED = "seeds/000_b31cede6e6f66a7a.txt"
SEED_NAMES = {"Storm Shadow", "ATACMS", "Army Tactical Missile Systems"}


def names_and_kinds(text: str, known: set[str] = frozenset()) -> list[tuple[str, str]]:
    return [(c.name, c.kind_guess) for c in suggest_actors([("doc.txt", text)], known)]


@pytest.fixture(scope="module")
def seed_candidates() -> list[Candidate]:
    """The shipped seed against the shipped registry, minus any profile later written for the three
    names the seed is expected to propose."""
    report = Diagnostics()
    project = load_project(load_config(REPO, None, report), report)
    known = {form for actor in project.actors if not SEED_NAMES & set(actor.surface_forms) for form in actor.surface_forms}
    body = split_front_matter((REPO / SEED).read_text(encoding="utf-8"), SEED, report).body
    return suggest_actors([(SEED, clean_text(body))], known)


def test_shipped_seed_proposes_exactly_the_weapons_it_names(seed_candidates):
    assert [(c.name, c.count, c.kind_guess, c.slug) for c in seed_candidates] == [
        ("Army Tactical Missile Systems", 1, "other", "army-tactical-missile-systems"),
        ("ATACMS", 1, "organization", "atacms"),
        ("Storm Shadow", 1, "other", "storm-shadow"),
    ]


def test_shipped_seed_candidate_carries_its_sentence_and_document(seed_candidates):
    storm_shadow = next(c for c in seed_candidates if c.name == "Storm Shadow")
    assert storm_shadow.document == SEED
    assert storm_shadow.example == (
        "The Guardian reported on Sept. 11 that the U.K. has already privately decided to allow Ukraine to use "
        "its British-supplied Storm Shadow missiles for long-range strikes deep into Russia."
    )


def test_shipped_seed_with_a_thin_registry_proposes_the_people_behind_titles():
    text = clean_text((REPO / SEED).read_text(encoding="utf-8"))
    known = {"U.S.", "U.K.", "Politico", "Ukraine", "Kyiv", "Russia", "Iran", "White House", "Washington"}
    assert names_and_kinds(text, known) == [
        ("Antony Blinken", "person"),
        ("Army Tactical Missile Systems", "other"),
        ("ATACMS", "organization"),
        ("David Lammy", "person"),
        ("Joe Biden", "person"),
        ("Keir Starmer", "person"),
        ("Rustem Umerov", "person"),
        ("Storm Shadow", "other"),
    ]


@pytest.mark.parametrize(
    "text, known, expected",
    [
        ("During a joint press conference on Sept. 11, Blinken spoke.", {"Blinken"}, []),
        ("Both Blinken and Lammy said so.", {"Blinken", "Lammy"}, []),
        ("The report comes as Lammy visits.", {"Lammy"}, []),
        ("On Monday Sept. 16 officials met again.", set(), []),
        ("“From day one,” he said.", set(), []),
        ("U.K. Foreign Secretary David Lammy visits.", {"U.K.", "David Lammy"}, []),
        ("U.S. Secretary of State Antony Blinken spoke.", {"U.S.", "Antony Blinken"}, []),
        ("The Ukrainian Foreign Minister spoke.", set(), []),
        ("He spoke on TV at 9 PM.", set(), []),
        ("Russian and Ukrainian forces clashed near Kursk.", set(), []),
        ("Kyiv can hit Russia with U.S.-supplied and U.K.-supplied weapons.", {"Kyiv", "Russia", "U.S.", "U.K."}, []),
    ],
)
def test_ordinary_words_dates_roles_and_known_names_are_not_proposed(text, known, expected):
    assert names_and_kinds(text, known) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Defense Minister Rustem Umerov visited.", [("Rustem Umerov", "person")]),
        ("Gen. Mark Milley said so.", [("Mark Milley", "person")]),
        ("Secretary of State Antony Blinken spoke.", [("Antony Blinken", "person")]),
        ("It was put to President Zelensky.", [("Zelensky", "person")]),
        ("NATO Secretary General Jens Stoltenberg spoke.", [("Jens Stoltenberg", "person"), ("NATO", "organization")]),
        ("European Commission President Ursula von der Leyen said.", [("European Commission", "organization"), ("Ursula von der Leyen", "person")]),
    ],
)
def test_name_after_a_personal_title_is_a_person_without_the_title(text, expected):
    assert names_and_kinds(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("They asked for ATACMS and HIMARS.", [("ATACMS", "organization"), ("HIMARS", "organization")]),
        ("It used British-supplied Storm Shadow missiles.", [("Storm Shadow", "other")]),
        ("Officials met the Bank of England governor.", [("Bank of England", "other")]),
        ("The Storm Shadow’s range is long.", [("Storm Shadow", "other")]),
        ("Officials said the Defense Ministry agreed.", [("Defense Ministry", "organization")]),
        ("A Justice Department lawyer spoke.", [("Justice Department", "organization")]),
        ("Theresa May met officials on May 5.", [("Theresa May", "other")]),
        ("It was first reported by The New York Times.", [("The New York Times", "other")]),
        ("It hit Army Tactical Missile Systems (ATACMS) stores.", [("Army Tactical Missile Systems", "other"), ("ATACMS", "organization")]),
    ],
)
def test_multi_word_names_and_acronyms_are_proposed(text, expected):
    assert names_and_kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    ["U.S. President Joe Biden spoke.", "Ukrainian Defense Minister Rustem Umerov spoke."],
)
def test_first_name_before_a_known_surname_is_not_proposed(text):
    assert names_and_kinds(text, {"Biden", "Umerov", "U.S."}) == []


def test_sentence_initial_word_used_in_lower_case_elsewhere_is_not_part_of_the_name():
    text = "Diplomats Kurt Volker and others met. Other diplomats agreed."
    assert names_and_kinds(text) == [("Kurt Volker", "other")]


@pytest.mark.parametrize(
    "known, text",
    [
        ({"Federal Security Service of Russia"}, "The Federal Security Service said so."),
        ({"Nato"}, "Officials at NATO said so."),
        ({"Storm Shadow"}, "Storm Shadow missiles were used."),
    ],
)
def test_known_forms_and_names_inside_them_are_not_proposed_whatever_the_case(known, text):
    assert names_and_kinds(text, known) == []


def test_candidates_are_counted_across_documents_most_frequent_first_then_by_name():
    texts = [
        ("a.txt", "Storm Shadow missiles flew. The ATACMS stock is low."),
        ("b.txt", "More ATACMS arrived. Kurt Volker spoke of ATACMS."),
        ("c.txt", "Storm Shadow stocks fell."),
    ]
    assert [(c.name, c.count, c.document, c.example) for c in suggest_actors(texts, set())] == [
        ("ATACMS", 3, "a.txt", "The ATACMS stock is low."),
        ("Storm Shadow", 2, "a.txt", "Storm Shadow missiles flew."),
        ("Kurt Volker", 1, "b.txt", "Kurt Volker spoke of ATACMS."),
    ]


def test_limit_keeps_only_the_best_candidates():
    texts = [("a.txt", "ATACMS and ATACMS and HIMARS and Storm Shadow.")]
    assert [c.name for c in suggest_actors(texts, set(), limit=2)] == ["ATACMS", "HIMARS"]


def test_a_name_seen_once_after_a_title_is_a_person_everywhere():
    text = "Rustem Umerov said so. Defense Minister Rustem Umerov left."
    assert [(c.name, c.count, c.kind_guess) for c in suggest_actors([("a.txt", text)], set())] == [("Rustem Umerov", 2, "person")]


def test_name_without_its_sentence_initial_article_counts_toward_the_form_with_it():
    text = "The New York Times reported it. The story ran in The New York Times."
    assert [(c.name, c.count, c.example) for c in suggest_actors([("a.txt", text)], set())] == [
        ("The New York Times", 2, "The New York Times reported it.")
    ]


def test_example_sentence_is_on_one_line():
    text = "Officials said the\nStorm Shadow was\nused."
    assert suggest_actors([("a.txt", text)], set())[0].example == "Officials said the Storm Shadow was used."


# --- write_stubs -------------------------------------------------------------------------------------

def candidate(name: str, kind: str = "other", slug: str | None = None) -> Candidate:
    from briefing.urls import slugify
    return Candidate(name, 2, f"They used {name}.", "seeds/a.txt", kind, slugify(name) if slug is None else slug)


def read_back(project: Path):
    report = Diagnostics()
    actors, _ = load_actors(load_config(project, None, report), report)
    return actors, [str(d) for d in report.sorted()]


def test_stub_has_name_kind_empty_aliases_and_a_todo_line(tmp_path):
    written = write_stubs([candidate("Rustem Umerov", "person")], tmp_path / "content" / "actors")
    assert written == [tmp_path / "content" / "actors" / "rustem-umerov.md"]
    assert written[0].read_text(encoding="utf-8") == (
        "---\n"
        "name: Rustem Umerov\n"
        "kind: person\n"
        "aliases: []\n"
        "---\n"
        "TODO: write who Rustem Umerov is. Suggested from seeds/a.txt (2 mentions): “They used Rustem Umerov.”\n"
    )


@pytest.mark.parametrize("name", ["Storm Shadow", "NO", "Storm: Shadow", 'The "Shadow" #2', "- Dash", "Zoë Ortíz"])
def test_stub_loads_back_as_a_valid_profile_with_its_exact_name(tmp_path, name):
    write_stubs([candidate(name, "organization")], tmp_path / "content" / "actors")
    actors, problems = read_back(tmp_path)
    assert problems == []
    assert [(a.name, a.kind, a.aliases) for a in actors] == [(name, "organization", ())]


def test_write_stubs_never_overwrites_an_existing_profile(tmp_path):
    actors_dir = tmp_path / "content" / "actors"
    actors_dir.mkdir(parents=True)
    existing = actors_dir / "storm-shadow.md"
    existing.write_text("---\nname: Storm Shadow\nkind: other\n---\nWritten by hand.\n", encoding="utf-8")
    written = write_stubs([candidate("Storm Shadow"), candidate("ATACMS", "organization")], actors_dir)
    assert written == [actors_dir / "atacms.md"]
    assert existing.read_text(encoding="utf-8") == "---\nname: Storm Shadow\nkind: other\n---\nWritten by hand.\n"


def test_write_stubs_twice_writes_nothing_the_second_time(tmp_path):
    actors_dir = tmp_path / "actors"
    first = write_stubs([candidate("Storm Shadow")], actors_dir)
    first_text = first[0].read_text(encoding="utf-8")
    assert write_stubs([candidate("Storm Shadow", "person")], actors_dir) == []
    assert first[0].read_text(encoding="utf-8") == first_text


def test_candidates_sharing_a_slug_get_one_stub_the_first(tmp_path):
    written = write_stubs([candidate("Storm Shadow"), candidate("Storm-Shadow", "person")], tmp_path)
    assert written == [tmp_path / "storm-shadow.md"]
    assert "name: Storm Shadow\n" in written[0].read_text(encoding="utf-8")


def test_candidate_without_a_usable_slug_is_skipped(tmp_path):
    assert write_stubs([candidate("Москва", slug="")], tmp_path) == []
    assert list(tmp_path.iterdir()) == []

"""stages/load.py: a project folder -> Project, every file problem a located diagnostic."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from briefing.config import SiteConfig
from briefing.diagnostics import Diagnostics
from briefing.model import Actor, Link
from briefing.stages.load import load_project

LOADED, LEFT_OUT = ["antony-blinken"], []
SEED = "---\ntitle: Talks\ndate: 2024-09-11\n---\nAntony Blinken met Rustem Umerov.\n"
BLINKEN = "---\nname: Antony Blinken\nkind: person\n---\n"


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def load(tmp_path: Path, files: dict[str, str | bytes], with_seed: bool = True):
    """Loads a project made of `files` (plus one dated seed unless told not to) -> (project, diagnostics as printed)."""
    base = {"seeds/2024-09-11-talks.txt": SEED} if with_seed else {}
    write_files(tmp_path, {**base, **files})
    report = Diagnostics()
    project = load_project(SiteConfig(project=tmp_path, output=tmp_path / "site"), report)
    return project, [str(diagnostic) for diagnostic in report.sorted()]


# --- actors ----------------------------------------------------------------------------------------

def test_actor_file_becomes_an_actor_named_by_its_stem(tmp_path: Path) -> None:
    project, diagnostics = load(tmp_path, {
        "content/actors/united-states.md": "---\nname: United States\nkind: state\n---\n",
        "content/actors/antony-blinken.md": (
            "---\n"
            "name: Antony Blinken\n"
            "kind: person\n"
            "aliases: [Blinken, Tony Blinken]\n"
            "role: U.S. Secretary of State\n"
            "affiliation: united-states\n"
            "country: united-states\n"
            "summary: America's top diplomat.\n"
            "links:\n"
            "  - {title: Biography, url: 'https://www.state.gov/biographies/antony-j-blinken/'}\n"
            "---\n"
            "Secretary of State since **2021**.\n"
        ),
    })

    assert diagnostics == []
    assert project.actors[0] == Actor(
        slug="antony-blinken",
        name="Antony Blinken",
        kind="person",
        path="content/actors/antony-blinken.md",
        aliases=("Blinken", "Tony Blinken"),
        role="U.S. Secretary of State",
        affiliation=("united-states",),
        country="united-states",
        summary="America's top diplomat.",
        links=(Link("Biography", "https://www.state.gov/biographies/antony-j-blinken/"),),
        bio_html="<p>Secretary of State since <strong>2021</strong>.</p>\n",
    )
    assert [actor.slug for actor in project.actors] == ["antony-blinken", "united-states"]


@pytest.mark.parametrize(
    ("files", "expected", "slugs"),
    [
        pytest.param(
            {"content/actors/antony-blinken.md": "---\nname: Antony Blinken\nkind: person\nkind: state\n---\n"},
            ["content/actors/antony-blinken.md:4:1: error: field 'kind' is given twice (first at line 3); keep one"],
            LOADED,
            id="duplicate-field",
        ),
        pytest.param(
            {"content/actors/antony-blinken.md": "---\nname: [Antony, Blinken]\nkind: person\n---\n"},
            ["content/actors/antony-blinken.md:2:7: error: field 'name' must be text, not a list"],
            LEFT_OUT,
            id="name-is-a-list",
        ),
        pytest.param(
            {"content/actors/antony-blinken.md": "---\nname: Antony Blinken\nkind:\n---\n"},
            ["content/actors/antony-blinken.md:3:1: error: required field 'kind' is empty; write e.g. 'kind: person' (one of: person, state, organization, media, group, other)"],
            LEFT_OUT,
            id="kind-left-empty",
        ),
        pytest.param(
            {"content/actors/antony-blinken.md": "---\nname:\n  - Antony\n  - Blinken\nkind: person\n---\n"},
            ["content/actors/antony-blinken.md:3:3: error: field 'name' must be text, not a list"],
            LEFT_OUT,
            id="name-is-a-block-list",
        ),
        pytest.param(
            {"content/actors/antony-blinken.md": "Just a biography, no front matter.\n"},
            [
                "content/actors/antony-blinken.md:1:1: error: missing required field 'kind'; add e.g. 'kind: person' (one of: person, state, organization, media, group, other)",
                "content/actors/antony-blinken.md:1:1: error: missing required field 'name'; add e.g. 'name: Joe Biden'",
            ],
            LEFT_OUT,
            id="no-front-matter",
        ),
        pytest.param(
            {"content/actors/antony-blinken.md": "---\nname: Antony Blinken\nkind: person\nlinks: [{title: Home}]\n---\n"},
            ["content/actors/antony-blinken.md:4:9: error: field 'links': link has no 'url'"],
            LOADED,
            id="link-without-url",
        ),
        pytest.param(
            {"content/actors/antony-blinken.md": "---\nname: Antony Blinken\nkind: person\nrole: [1\n---\n"},
            ["content/actors/antony-blinken.md:5:1: error: invalid YAML: did not find expected ',' or ']'"],
            LEFT_OUT,
            id="broken-yaml-is-reported-once",
        ),
        pytest.param(
            {"content/actors/-blinken-.md": BLINKEN},
            ["content/actors/-blinken-.md:1:1: error: '-blinken-' is not a valid actor slug (lowercase letters, digits and single hyphens); rename the file to 'blinken.md'"],
            LEFT_OUT,
            id="bad-file-name",
        ),
    ],
)
def test_actor_problems_are_located(tmp_path: Path, files: dict, expected: list[str], slugs: list[str]) -> None:
    project, diagnostics = load(tmp_path, files)

    assert diagnostics == expected
    # An actor without a readable name and kind is left out, never half-loaded; a bad optional field is dropped.
    assert [actor.slug for actor in project.actors] == slugs


@pytest.mark.parametrize("name", [".antony-blinken.md", "antony-blinken.txt", "notes.yaml"])
def test_files_that_are_not_actor_profiles_are_skipped_silently(tmp_path: Path, name: str) -> None:
    project, diagnostics = load(tmp_path, {f"content/actors/{name}": BLINKEN})

    assert (project.actors, diagnostics) == ((), [])


def test_unknown_affiliation_and_country_are_reported_and_dropped(tmp_path: Path) -> None:
    project, diagnostics = load(tmp_path, {
        "content/actors/antony-blinken.md": "---\nname: Antony Blinken\nkind: person\naffiliation: [state-dept, united-states]\ncountry: usa\n---\n",
        "content/actors/united-states.md": "---\nname: United States\nkind: state\n---\n",
    })

    assert diagnostics == [
        "content/actors/antony-blinken.md:4:1: error: affiliation 'state-dept' is not an actor; create content/actors/state-dept.md or fix the slug",
        "content/actors/antony-blinken.md:5:1: error: country 'usa' is not an actor; create content/actors/usa.md or fix the slug",
    ]
    blinken = project.actors[0]
    # Later stages never see a slug without an actor (rendering one used to crash).
    assert (blinken.affiliation, blinken.country) == (("united-states",), "")


# --- the alias index -------------------------------------------------------------------------------

def test_alias_index_maps_every_name_and_alias_to_its_actor(tmp_path: Path) -> None:
    project, diagnostics = load(tmp_path, {
        "content/actors/antony-blinken.md": "---\nname: Antony Blinken\nkind: person\naliases: [Blinken, Antony Blinken]\n---\n",
        "content/actors/ukraine.md": "---\nname: Ukraine\nkind: state\naliases: [Kyiv]\n---\n",
    })

    assert diagnostics == []
    assert project.alias_index == {"Antony Blinken": "antony-blinken", "Blinken": "antony-blinken", "Kyiv": "ukraine", "Ukraine": "ukraine"}


def test_form_claimed_by_two_actors_is_reported_once_and_indexed_for_neither(tmp_path: Path) -> None:
    project, diagnostics = load(tmp_path, {
        "content/actors/united-states.md": "---\nname: United States\nkind: state\naliases: [Washington]\n---\n",
        "content/actors/washington.md": "---\nkind: state\nname: Washington\n---\n",
        "content/actors/washington-post.md": "---\nname: The Washington Post\nkind: media\naliases: [Washington]\n---\n",
    })

    assert diagnostics == [
        "content/actors/washington.md:3:1: warning: alias 'Washington' is claimed by 3 actors: united-states, washington-post, washington; it is linked to none of them. Keep it in one actor's file",
    ]
    assert "Washington" not in project.alias_index
    assert project.alias_index["The Washington Post"] == "washington-post"


# --- seeds and overlays ----------------------------------------------------------------------------

def test_seed_front_matter_and_body_are_separated(tmp_path: Path) -> None:
    project, diagnostics = load(tmp_path, {
        "seeds/2024-09-11-talks.txt": "\ufeff---\ntitle: Talks\ndate: 2024-09-11\nsource: Politico\ntags: [Ukraine, US policy]\n---\n# Not a heading\n",
    }, with_seed=False)

    assert diagnostics == []
    (source,) = project.sources
    assert (source.stem, source.path, source.markup, source.slug) == ("2024-09-11-talks", "seeds/2024-09-11-talks.txt", "text", "2024-09-11-talks")
    assert (source.meta.title, source.meta.date, source.meta.source, source.meta.tags) == (
        "Talks", datetime.date(2024, 9, 11), "Politico", ("Ukraine", "US policy"),
    )
    assert (source.body, source.body_line) == ("# Not a heading\n", 7)


@pytest.mark.parametrize(
    ("name", "markup", "slug"),
    [
        ("000_b31cede6e6f66a7a.txt", "text", "000-b31cede6e6f66a7a"),
        ("Kyiv Talks.md", "markdown", "kyiv-talks"),
        ("Été à Kyiv.txt", "text", "ete-a-kyiv"),
    ],
)
def test_seed_slug_and_markup_come_from_the_file_name(tmp_path: Path, name: str, markup: str, slug: str) -> None:
    project, _ = load(tmp_path, {f"seeds/{name}": "---\ndate: 2024-09-11\n---\nText.\n"}, with_seed=False)

    assert [(source.markup, source.slug) for source in project.sources] == [(markup, slug)]


def test_overlay_overrides_seed_fields_and_adds_a_note(tmp_path: Path) -> None:
    project, diagnostics = load(tmp_path, {
        "content/documents/2024-09-11-talks.md": "---\ntitle: Blinken and Umerov meet\nslug: kyiv-talks\n---\nWatch the **13 September** meeting.\n",
    })

    assert diagnostics == []
    (source,) = project.sources
    assert (source.meta.title, source.meta.date, source.slug) == ("Blinken and Umerov meet", datetime.date(2024, 9, 11), "kyiv-talks")
    assert source.note_html == "<p>Watch the <strong>13 September</strong> meeting.</p>\n"
    assert source.overlay_path == "content/documents/2024-09-11-talks.md"


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"seeds/2024-09-11-talks.txt": "---\ndraft: true\ndate: 2024-09-11\n---\nText.\n"}, id="in-seed"),
        pytest.param({"content/documents/2024-09-11-talks.md": "---\ndraft: true\n---\n"}, id="in-overlay"),
    ],
)
def test_draft_document_is_left_out(tmp_path: Path, files: dict) -> None:
    project, diagnostics = load(tmp_path, files)

    assert (project.sources, diagnostics) == ((), [])


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"seeds/2024-09-12-more.txt": "More talks.\n"},
            ["seeds/2024-09-12-more.txt:1:1: warning: no date: the document is listed as undated; add 'date: YYYY-MM-DD' to its front matter or overlay"],
            id="undated",
        ),
        pytest.param(
            {"seeds/2024-09-12-more.txt": "---\ndate: 2024-09-31\n---\nMore talks.\n"},
            ["seeds/2024-09-12-more.txt:2:7: error: field 'date': '2024-09-31' is not a date; write it as YYYY-MM-DD, e.g. 2024-09-11"],
            id="impossible-date-is-not-also-undated",
        ),
        pytest.param(
            {"seeds/2024-09-12-more.txt": "---\ndate: 2024-09-12\nsluggish: yes\n---\nMore talks.\n"},
            ["seeds/2024-09-12-more.txt:3:1: warning: unknown field 'sluggish' (did you mean 'slug'?)"],
            id="unknown-field-warns",
        ),
        pytest.param(
            {"content/documents/2024-09-11-talks.md": "---\ntitel: Talks\n---\n"},
            ["content/documents/2024-09-11-talks.md:2:1: warning: unknown field 'titel' (did you mean 'title'?)"],
            id="unknown-overlay-field-warns",
        ),
        pytest.param(
            {"seeds/2024-09-12-more.txt": "---\ndate: 2024-09-12\nslug: Kyiv Talks\n---\nMore talks.\n"},
            ["seeds/2024-09-12-more.txt:3:1: error: slug 'Kyiv Talks' is not valid (lowercase letters, digits and single hyphens); try 'kyiv-talks'"],
            id="invalid-slug",
        ),
        pytest.param(
            {"seeds/2024-09-12-more.txt": "---\ndate: 2024-09-12\nslug: ../../etc\n---\nMore talks.\n"},
            ["seeds/2024-09-12-more.txt:3:1: error: slug '../../etc' is not valid (lowercase letters, digits and single hyphens); try 'etc'"],
            id="slug-cannot-leave-the-site",
        ),
        pytest.param(
            {"seeds/2024_09_11 talks.md": "---\ndate: 2024-09-12\n---\nMore talks.\n"},
            ["seeds/2024_09_11 talks.md:1:1: error: slug '2024-09-11-talks' is already used by seeds/2024-09-11-talks.txt; set a different 'slug' in the front matter"],
            id="two-stems-one-slug",
        ),
        pytest.param(
            {"content/documents/later.md": "---\ndate: 2024-09-12\nslug: 2024-09-11-talks\n---\n", "seeds/later.txt": "More.\n"},
            ["content/documents/later.md:3:1: error: slug '2024-09-11-talks' is already used by seeds/2024-09-11-talks.txt; set a different 'slug' in the front matter"],
            id="duplicate-slug-set-in-overlay",
        ),
        pytest.param(
            {"content/documents/talks.md": "---\ntitle: Talks\n---\n"},
            ["content/documents/talks.md:1:1: error: overlay has no seed: there is no seeds/talks.txt or seeds/talks.md; name the overlay after its seed"],
            id="overlay-without-seed",
        ),
        pytest.param(
            {"seeds/notes.docx": b"PK\x03\x04"},
            ["seeds/notes.docx:1:1: warning: ignored: seeds must end in .txt or .md, not '.docx'"],
            id="other-suffix",
        ),
        pytest.param(
            {"seeds/2024-09-12-more.txt": b"---\ndate: 2024-09-12\n---\nCaf\xe9 talks.\n"},
            ["seeds/2024-09-12-more.txt:4:4: warning: not valid UTF-8: byte 0xe9 at offset 28; the file was read as Windows-1252. Save it as UTF-8"],
            id="not-utf8",
        ),
    ],
)
def test_seed_problems_are_located(tmp_path: Path, files: dict, expected: list[str]) -> None:
    _, diagnostics = load(tmp_path, files)

    assert diagnostics == expected


def test_seed_not_in_utf8_is_read_as_windows_1252(tmp_path: Path) -> None:
    project, _ = load(tmp_path, {"seeds/2024-09-11-talks.txt": b"Caf\xe9 \x93talks\x94.\n"})

    assert project.sources[0].body == "Caf\u00e9 \u201ctalks\u201d.\n"


def test_duplicate_slug_keeps_the_first_document_in_file_order(tmp_path: Path) -> None:
    project, _ = load(tmp_path, {"seeds/2024_09_11 talks.md": "---\ndate: 2024-09-12\n---\nMore.\n"})

    assert [source.path for source in project.sources] == ["seeds/2024-09-11-talks.txt"]


def test_missing_seeds_folder_is_an_error(tmp_path: Path) -> None:
    project, diagnostics = load(tmp_path, {"content/actors/antony-blinken.md": BLINKEN}, with_seed=False)

    assert project.sources == ()
    assert diagnostics == ["seeds: error: no seeds/ folder; create it and put the news documents (.txt or .md) in it"]


def test_loading_never_writes_to_the_project(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "seeds/2024-09-11-talks.txt": b"\xef\xbb\xbf---\r\ndate: 2024-09-11\r\n---\r\nCaf\xe9 Antony Blinken.\r\n",
        "content/actors/antony-blinken.md": BLINKEN,
        "content/documents/2024-09-11-talks.md": "---\ntitle: Talks\n---\nNote.\n",
    })
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in sorted(tmp_path.rglob("*")) if path.is_file()}

    load_project(SiteConfig(project=tmp_path, output=tmp_path / "site"), Diagnostics())

    after = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in sorted(tmp_path.rglob("*")) if path.is_file()}
    assert after == before
    assert sorted(os.listdir(tmp_path)) == ["content", "seeds"]


# --- free pages ------------------------------------------------------------------------------------

def test_free_page_title_from_front_matter_or_file_name(tmp_path: Path) -> None:
    project, diagnostics = load(tmp_path, {
        "content/pages/about.md": "---\ntitle: About this briefing\n---\n# Sources\n",
        "content/pages/our-method.md": "How we read the news.\n",
    })

    assert diagnostics == []
    assert [(page.slug, page.title, page.body_html) for page in project.pages] == [
        ("about", "About this briefing", "<h2>Sources</h2>\n"),
        ("our-method", "Our method", "<p>How we read the news.</p>\n"),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("actors.md", "content/pages/actors.md:1:1: error: page name 'actors' is reserved for the engine's own pages; rename the file"),
        ("About Us.md", "content/pages/About Us.md:1:1: error: page name 'About Us' is not a valid slug (lowercase letters, digits and single hyphens); rename the file"),
    ],
)
def test_free_page_with_an_unusable_name_is_refused(tmp_path: Path, name: str, expected: str) -> None:
    project, diagnostics = load(tmp_path, {f"content/pages/{name}": "Text.\n"})

    assert (project.pages, diagnostics) == ((), [expected])

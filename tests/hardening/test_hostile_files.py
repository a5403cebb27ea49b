"""Hostile files and paths: a size cap per input file, encodings (UTF-16, NUL bytes, BOMs), invisible and
look-alike characters in names, slugs that try to leave the output folder, Windows reserved names, case-only
collisions, Unicode file names, symbolic links leading out of the project, and files that cannot be read or
vanish during a build. Each is a located diagnostic (or handled so that mentions still match); nothing is
written outside the output folder and no page silently overwrites another.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.config import load_config
from briefing.diagnostics import Diagnostics
from briefing.mentions import MentionMatcher
from briefing.model import Page
from briefing.pipeline import build_site
from briefing.stages import load
from briefing.stages.clean import clean_name, clean_text
from briefing.stages.write import write_site
from hardening_support import ACTOR, SEED, build_in_process, child_env, payload_lines, read_tree, write_project


def diagnostics_of(project: Path) -> list[str]:
    report = Diagnostics()
    build_site(load_config(project, None, report), report)
    noise = ("no date", "mention no known actor", "no known actor is mentioned", "is never mentioned")
    return [str(item) for item in report.sorted() if not any(text in item.message for text in noise)]


def project(tmp_path: Path, files: dict[str, str | bytes], actor: str = "Joe Biden") -> Path:
    return write_project(tmp_path / "project", {"content/actors/joe-biden.md": ACTOR.format(name=actor), **files})


# --- size cap --------------------------------------------------------------------------------------

def test_file_over_the_size_cap_is_an_error_naming_it_and_the_others_still_load(tmp_path):
    root = project(tmp_path, {
        "briefing.yaml": "max_file_size: 10 KB\n",
        "seeds/huge.txt": "Joe Biden spoke. " * 1000,
        "seeds/small.txt": SEED.format(title="Small", body="Joe Biden spoke."),
    })
    assert diagnostics_of(root) == [
        "seeds/huge.txt:1:1: error: file is 16.6 KB, over the 10 KB limit; split it, or raise max_file_size in briefing.yaml"
    ]
    report = Diagnostics()
    loaded = load.load_project(load_config(root, None, report), report)
    assert [source.slug for source in loaded.sources] == ["small"]


def test_size_cap_applies_to_actor_files_too_and_defaults_to_20_mb(tmp_path):
    root = project(tmp_path, {"seeds/a.txt": "Joe Biden spoke."})  # smaller than the actor's file
    assert load_config(root, None, Diagnostics()).max_file_size == 20 * 1024 * 1024
    size = (root / "content/actors/joe-biden.md").stat().st_size
    (root / "briefing.yaml").write_text(f"max_file_size: {size - 1}\n", encoding="utf-8")
    assert diagnostics_of(root) == [
        f"content/actors/joe-biden.md:1:1: error: file is {size} bytes, over the {size - 1} bytes limit; split it, or raise max_file_size in briefing.yaml"
    ]
    (root / "briefing.yaml").write_text(f"max_file_size: {size}\n", encoding="utf-8")
    assert diagnostics_of(root) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "briefing.yaml:1:16: error: field 'max_file_size': '0' is not a size; write e.g. 20 MB, 512 KB or a number of bytes"),
        ("lots", "briefing.yaml:1:16: error: field 'max_file_size': 'lots' is not a size; write e.g. 20 MB, 512 KB or a number of bytes"),
        ("20 PB", "briefing.yaml:1:16: error: field 'max_file_size': '20 PB' is not a size; write e.g. 20 MB, 512 KB or a number of bytes"),
    ],
)
def test_bad_size_settings_are_located_errors(tmp_path, value, message):
    report = Diagnostics()
    (tmp_path / "briefing.yaml").write_text(f"max_file_size: {value}\n", encoding="utf-8")
    load_config(tmp_path, None, report)
    assert [str(item) for item in report.items] == [message]


# --- encodings and invisible characters --------------------------------------------------------------

def test_utf16_file_is_read_with_a_warning(tmp_path):
    root = project(tmp_path, {"seeds/wide.txt": ("\ufeff" + SEED.format(title="Wide", body="Joe Biden spoke.")).encode("utf-16-le")})
    assert diagnostics_of(root) == ["seeds/wide.txt:1:1: warning: saved as UTF-16; it was read as such. Save it as UTF-8"]


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Joe\x00 Biden spoke.", "Joe Biden spoke."),
        ("\ufeffJoe Bi\ufeffden spoke.", "Joe Biden spoke."),
        ("Joe Bi\u200bden spoke.", "Joe Biden spoke."),
        ("Joe Bi\u00adden spoke.", "Joe Biden spoke."),
        ("Joe \u202eBiden\u202c spoke.", "Joe Biden spoke."),
        ("Joe \u2066Biden\u2069 spoke.", "Joe Biden spoke."),
        ("Joe\u200e Biden\u200d spoke.", "Joe Biden spoke."),
        ("A\x1b[2JB", "A[2JB"),
        ("می\u200cخواهم", "می\u200cخواهم"),  # a Persian word keeps its zero-width non-joiner
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # an emoji sequence keeps its joiners
        ("\u05e9\u200f\u05dc", "\u05e9\u200f\u05dc"),  # a right-to-left mark between Hebrew letters stays
    ],
)
def test_invisible_characters_are_removed_from_text_where_they_do_no_job(text, cleaned):
    assert clean_text(text) == cleaned


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Joe\u200b Biden", "Joe Biden"),
        ("\u202eJoe Biden", "Joe Biden"),
        ("Joe\u00a0\u00a0Biden ", "Joe Biden"),
        ("Joe\u3000Biden", "Joe Biden"),
        ("\ufeffJoe Biden\u2060", "Joe Biden"),
    ],
)
def test_names_are_cleaned_like_text(written, name):
    assert clean_name(written) == name


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Joe\\u200b Biden", "Joe Biden spoke."),  # invisible in the name
        ("Joe Biden", "Joe Bi\u200bden spoke."),  # invisible in the text
        ("Joe Biden", "Joe\u00a0Biden spoke."),  # a no-break space in the text
        ("Joe Biden", "Jo\u0435 Biden spoke."),  # a Cyrillic е in the text
        ("Jo\\u0435 Biden", "Joe Biden spoke."),  # a Cyrillic е in the name
        ("\\u202eJoe Biden", "\u202eJoe Biden spoke."),  # an override in both
        ("Joe Biden", "ＪＯＥ spoke. Joe Biden\x00 spoke."),
    ],
)
def test_mentions_still_match_through_invisible_and_look_alike_characters(tmp_path, name, text):
    root = write_project(tmp_path / "project", {
        "content/actors/joe-biden.md": f'---\nname: "{name}"\nkind: person\n---\n',
        "seeds/talks.txt": SEED.format(title="Talks", body=text),
    })
    report = Diagnostics()
    site = build_site(load_config(root, None, report), report)
    assert [mention.actor for document in site.graph.documents for mention in document.mentions] == ["joe-biden"]


def test_look_alike_letters_in_a_name_are_a_warning_naming_them(tmp_path):
    root = write_project(tmp_path / "project", {
        "content/actors/joe-biden.md": '---\nname: "J\\u043ee Bid\\u0435n"\nkind: person\n---\n',
        "seeds/talks.txt": SEED.format(title="Talks", body="Joe Biden spoke."),
    })
    assert diagnostics_of(root) == [
        "content/actors/joe-biden.md:2:1: warning: 'J\u043ee Bid\u0435n' mixes Latin letters with look-alikes ('о' U+043E, 'е' U+0435); "
        "it is matched as 'Joe Biden'. Retype it in Latin letters"
    ]


def test_two_actors_whose_names_differ_only_by_look_alikes_claim_one_name(tmp_path):
    root = write_project(tmp_path / "project", {
        "content/actors/joe-biden.md": ACTOR.format(name="Joe Biden"),
        "content/actors/fake.md": '---\nname: "Jo\\u0435 Biden"\nkind: person\n---\n',
        "seeds/talks.txt": SEED.format(title="Talks", body="Joe Biden spoke."),
    })
    assert "content/actors/joe-biden.md:2:1: warning: alias 'Jое Biden' is claimed by 2 actors: fake, joe-biden; it is linked to neither. Keep it in one actor's file" in diagnostics_of(root) or any(
        "is claimed by 2 actors: fake, joe-biden" in line for line in diagnostics_of(root)
    )


def test_every_naughty_string_as_a_name_and_in_text_builds_without_an_exception(tmp_path):
    strings = [line for line in payload_lines("unicode/blns.txt") if not line.startswith("#")][:300]
    files = {f"content/actors/actor-{n:03}.md": f"---\nname: {_quoted(text)}\nkind: person\n---\n" for n, text in enumerate(strings)}
    files["seeds/naughty.txt"] = "\n\n".join(strings)
    root = write_project(tmp_path / "project", files)
    report = Diagnostics()
    site = build_site(load_config(root, None, report), report)
    assert [document.slug for document in site.graph.documents] == ["naughty"]
    assert len(site.graph.documents[0].mentions) > 100  # the names were found in the text


def _quoted(text: str) -> str:
    escaped = "".join(f"\\u{ord(char):04x}" if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or ord(char) in (0x2028, 0x2029, 0xFEFF) else char for char in text.replace("\\", "\\\\").replace('"', '\\"'))
    return f'"{escaped}"'


# --- paths -------------------------------------------------------------------------------------------

TRAVERSAL_LISTS = ("traversal/directory_traversal.txt", "traversal/List_Of_File_To_Include_NullByteAdded.txt")


def test_no_traversal_payload_is_accepted_as_a_slug_or_written_as_a_page(tmp_path):
    from briefing import urls
    from briefing.stages.write import _safe_parts

    payloads = [line for relative in TRAVERSAL_LISTS for line in payload_lines(relative)]
    payloads += ["../../x", "/etc/passwd", "C:\\Windows\\x", "..", ".", "a/../../b", "%2e%2e%2f", "..\\..\\x", "a\x00b"]
    assert [payload for payload in payloads if urls.is_slug(payload)] == []
    for payload in payloads:
        for path in (payload, f"documents/{payload}/index.html"):
            try:
                parts = _safe_parts(path)
            except ValueError:
                continue
            assert ".." not in parts and not path.startswith("/")
    print(f"\n{len(payloads)} traversal payloads refused as slugs")


@pytest.mark.parametrize("slug", ["../../outside", "/tmp/outside", "..", "a/b", "CON", "x\u200by"])
def test_hostile_slug_in_front_matter_is_an_error_and_nothing_is_written_outside(tmp_path, slug):
    root = project(tmp_path, {"seeds/talks.txt": f'---\ntitle: Talks\ndate: 2024-09-11\nslug: "{slug}"\n---\nJoe Biden spoke.\n'})
    before = sorted(path.name for path in tmp_path.iterdir())
    run = build_in_process(root)
    if slug == "x\u200by":  # the invisible character is cleaned away: a valid slug
        assert run.exit_code == 0 and (root / "site/documents/xy/index.html").is_file()
        return
    assert run.exit_code == 1
    assert "seeds/talks.txt:4:1: error: slug" in run.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == before
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"content/actors/con.md": ACTOR.format(name="Con")}, "content/actors/con.md:1:1: error: actor slug 'con' is a reserved file name on Windows (con, prn, aux, nul, com1-9, lpt1-9); choose another"),
        ({"seeds/nul.txt": SEED.format(title="N", body="x")}, "seeds/nul.txt:1:1: error: slug 'nul' is a reserved file name on Windows (con, prn, aux, nul, com1-9, lpt1-9); choose another"),
        ({"seeds/a.txt": "---\nslug: lpt1\n---\nx\n"}, "seeds/a.txt:2:1: error: slug 'lpt1' is a reserved file name on Windows (con, prn, aux, nul, com1-9, lpt1-9); choose another"),
        ({"content/pages/aux.md": "Aux\n"}, "content/pages/aux.md:1:1: error: page name 'aux' is a reserved file name on Windows (con, prn, aux, nul, com1-9, lpt1-9); choose another"),
        ({"templates/static/com1.css": "x"}, "templates/static/com1.css: error: 'com1.css' is a reserved file name on Windows (con, prn, aux, nul, com1-9, lpt1-9); rename it"),
    ],
)
def test_windows_reserved_names_are_errors(tmp_path, files, expected):
    assert expected in diagnostics_of(project(tmp_path, files))


def test_case_only_collisions_are_errors(tmp_path):
    root = project(tmp_path, {
        "seeds/Report.txt": SEED.format(title="One", body="x"),
        "seeds/report.txt": SEED.format(title="Two", body="x"),
        "templates/static/Style.css": "x",
        "templates/static/extra.css": "x",
        "templates/static/EXTRA.css": "x",
    })
    found = diagnostics_of(root)
    assert "seeds/report.txt:1:1: error: slug 'report' is already used by seeds/Report.txt; set a different 'slug' in the front matter" in found
    assert "templates/static/Style.css: error: 'Style.css' differs from the asset 'style.css' only in case: one would overwrite the other on macOS and Windows; rename one" in found
    assert "templates/static/extra.css: error: 'extra.css' differs from the asset 'EXTRA.css' only in case: one would overwrite the other on macOS and Windows; rename one" in found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Été à Kyiv.txt", "documents/ete-a-kyiv/index.html"),
        ("ｗｉｄｅ.txt", "documents/wide/index.html"),
    ],
)
def test_unicode_file_names_give_ascii_slugs(tmp_path, name, expected):
    root = project(tmp_path, {f"seeds/{name}": SEED.format(title="T", body="Joe Biden spoke.")})
    assert build_in_process(root).exit_code == 0
    assert (root / "site" / expected).is_file()


def test_file_name_without_any_ascii_letter_asks_for_a_slug(tmp_path):
    root = project(tmp_path, {"seeds/киев.txt": SEED.format(title="Kyiv", body="Joe Biden spoke.")})
    assert diagnostics_of(root) == [
        "seeds/киев.txt:1:1: error: the file name 'киев' gives no slug (only the letters a-z and digits are kept); set 'slug: ...' in its front matter"
    ]


@pytest.mark.parametrize(
    "where",
    ["seeds/leak.txt", "content/actors/leak.md", "content/pages/leak.md", "content/documents/talks.md", "templates/static/leak.css", "templates/base.html"],
)
def test_symbolic_links_leading_out_of_the_project_are_refused(tmp_path, where):
    secret = tmp_path / "secret.txt"
    secret.write_text("---\nname: Secret\nkind: person\ntitle: Secret\n---\nTOP SECRET\n", encoding="utf-8")
    root = project(tmp_path, {"seeds/talks.txt": SEED.format(title="Talks", body="Joe Biden spoke.")})
    link = root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret)
    found = diagnostics_of(root)
    assert any(line.startswith(where) and "refused" in line for line in found), found
    run = build_in_process(root)
    assert run.exit_code == 1 and not (root / "site").exists()


def test_a_seeds_folder_that_is_a_link_out_of_the_project_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "talks.txt").write_text(SEED.format(title="Talks", body="x"), encoding="utf-8")
    root = project(tmp_path, {})
    shutil.rmtree(root / "seeds")
    (root / "seeds").symlink_to(outside)
    assert diagnostics_of(root) == ["seeds/talks.txt:1:1: error: refused: a symbolic link to a file outside the project; copy the file into the project instead"]


def test_links_inside_the_project_are_followed(tmp_path):
    root = project(tmp_path, {"notes/talks.txt": SEED.format(title="Talks", body="Joe Biden spoke.")})
    (root / "seeds" / "talks.txt").symlink_to(root / "notes" / "talks.txt")
    assert build_in_process(root).exit_code == 0


def test_dangling_link_is_an_error(tmp_path):
    root = project(tmp_path, {"seeds/ok.txt": SEED.format(title="Ok", body="x")})
    (root / "seeds" / "gone.txt").symlink_to(root / "nowhere.txt")
    assert f"seeds/gone.txt:1:1: error: a symbolic link to a missing file ({root / 'nowhere.txt'}); remove it or restore its target" in diagnostics_of(root)


def test_pages_with_unsafe_paths_are_never_written(tmp_path):
    for path in ("../x", "/abs", "a/../../b", "con/index.html", "assets/NUL.css"):
        with pytest.raises(ValueError):
            write_site([Page(path, b"x")], tmp_path / "out" / "site")
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["out"]


# --- faults ------------------------------------------------------------------------------------------

def test_unreadable_file_is_an_error_and_the_site_is_left_as_it_was(tmp_path):
    root = project(tmp_path, {"seeds/a.txt": SEED.format(title="A", body="Joe Biden spoke."), "seeds/b.txt": SEED.format(title="B", body="x")})
    assert build_in_process(root).exit_code == 0
    previous = read_tree(root / "site")
    (root / "seeds" / "b.txt").chmod(0)
    prefix = []
    if os.geteuid() == 0:  # root reads everything: drop the capabilities that let it
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv; cannot make a file unreadable")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "briefing", "build", "--project", str(root), "--quiet"],
        env=child_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("seeds/b.txt:1:1: error: cannot read file: Permission denied\n")
    assert read_tree(root / "site") == previous


def test_file_deleted_during_the_build_is_an_error_not_a_traceback(tmp_path, monkeypatch):
    root = project(tmp_path, {"seeds/a.txt": SEED.format(title="A", body="Joe Biden spoke."), "seeds/b.txt": SEED.format(title="B", body="x")})
    real_read = load.read_text_file

    def delete_then_read(path, config, report):
        if path.name == "b.txt":
            path.unlink()  # listed a moment ago, gone now
        return real_read(path, config, report)

    monkeypatch.setattr(load, "read_text_file", delete_then_read)
    run = build_in_process(root)
    assert run.exit_code == 1
    assert run.stderr.startswith("seeds/b.txt:1:1: error: cannot read file: No such file or directory\n")


def test_template_deleted_during_the_build_is_an_error_not_a_traceback(tmp_path, monkeypatch):
    from briefing.stages import render

    root = project(tmp_path, {"seeds/a.txt": SEED.format(title="A", body="Joe Biden spoke."), "templates/static/extra.css": "x"})
    real_read_bytes, real_assets = Path.read_bytes, render.theme_assets

    def delete_then_read(path):
        if path.name == "extra.css":
            path.unlink()  # listed a moment ago, gone now
        return real_read_bytes(path)

    def assets_while_the_file_vanishes(config):
        with monkeypatch.context() as patch:
            patch.setattr(Path, "read_bytes", delete_then_read)
            return real_assets(config)

    monkeypatch.setattr(render, "theme_assets", assets_while_the_file_vanishes)
    run = build_in_process(root)
    assert run.exit_code == 1
    assert "briefing: error: cannot read " in run.stderr and "No such file or directory" in run.stderr
    assert "Traceback" not in run.stderr

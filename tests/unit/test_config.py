"""config.py: defaults, then briefing.yaml, then the command line -> one frozen SiteConfig."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from briefing.config import SiteConfig, load_config
from briefing.diagnostics import Diagnostics


def configure(tmp_path: Path, yaml_text: str | bytes | None, base_url: str | None = None, output: Path | None = None):
    """-> (config, diagnostics as printed) for a project whose briefing.yaml holds `yaml_text` (None: no file)."""
    if isinstance(yaml_text, str):
        (tmp_path / "briefing.yaml").write_text(yaml_text, encoding="utf-8")
    elif isinstance(yaml_text, bytes):
        (tmp_path / "briefing.yaml").write_bytes(yaml_text)
    report = Diagnostics()
    config = load_config(tmp_path, output, report, base_url)
    return config, [str(diagnostic) for diagnostic in report.sorted()]


def settings(config: SiteConfig) -> dict:
    """The settings a project can change, without the two paths."""
    values = dataclasses.asdict(config)
    del values["project"], values["output"]
    return values


DEFAULTS = {"title": "Briefing", "description": "", "language": "en", "base_url": "", "mention_links": "all", "footer": "", "max_file_size": 20 * 1024 * 1024}


@pytest.mark.parametrize(
    "yaml_text",
    [
        pytest.param(None, id="no-file"),
        pytest.param("", id="empty-file"),
        pytest.param("# only a comment\n", id="only-a-comment"),
        pytest.param("title:\nlanguage: ~\n", id="keys-without-values"),
    ],
)
def test_every_setting_has_a_default(tmp_path: Path, yaml_text: str | None) -> None:
    config, diagnostics = configure(tmp_path, yaml_text)

    assert diagnostics == []
    assert settings(config) == DEFAULTS
    assert (config.project, config.output) == (tmp_path, tmp_path / "site")


def test_briefing_yaml_sets_every_key(tmp_path: Path) -> None:
    config, diagnostics = configure(tmp_path, (
        "\ufefftitle: Kyiv Briefing\n"
        "description: Long-range strikes, September 2024.\n"
        "language: uk\n"
        "base_url: https://example.org/briefing/\n"
        "mention_links: first\n"
        "footer: '© The briefing team'\n"
        "max_file_size: 1.5 MB\n"
    ))

    assert diagnostics == []
    assert settings(config) == {
        "title": "Kyiv Briefing",
        "description": "Long-range strikes, September 2024.",
        "language": "uk",
        "base_url": "https://example.org/briefing",
        "mention_links": "first",
        "footer": "© The briefing team",
        "max_file_size": 1572864,
    }


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("title: NO\n", "NO"),  # YAML 1.1 would make this the boolean false
        ("title: 2024-09-11\n", "2024-09-11"),
        ("title: 1.10\n", "1.10"),
        ("title: '  Padded  '\n", "Padded"),
    ],
)
def test_values_are_kept_as_written(tmp_path: Path, text: str, title: str) -> None:
    config, diagnostics = configure(tmp_path, text)

    assert (config.title, diagnostics) == (title, [])


@pytest.mark.parametrize(
    ("file_value", "option", "expected"),
    [
        (None, None, ""),
        ("https://example.org/briefing/", None, "https://example.org/briefing"),
        ("https://example.org/briefing", "https://mirror.example.net/b///", "https://mirror.example.net/b"),
        (None, "https://example.org", "https://example.org"),
    ],
)
def test_base_url_option_overrides_the_file_and_loses_its_trailing_slash(
    tmp_path: Path, file_value: str | None, option: str | None, expected: str
) -> None:
    config, _ = configure(tmp_path, f"base_url: {file_value}\n" if file_value else None, base_url=option)

    assert config.base_url == expected


def test_output_option_replaces_the_default_output(tmp_path: Path) -> None:
    config, _ = configure(tmp_path, None, output=tmp_path / "public")

    assert config.output == tmp_path / "public"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("titel: Kyiv\n", ["briefing.yaml:1:1: error: unknown field 'titel' (did you mean 'title'?)"], id="typo"),
        pytest.param("title: Kyiv\nbaseurl: https://x.org\n", ["briefing.yaml:2:1: error: unknown field 'baseurl' (did you mean 'base_url'?)"], id="typo-second-line"),
        pytest.param("theme: dark\n", ["briefing.yaml:1:1: error: unknown field 'theme'"], id="nothing-close"),
        pytest.param(
            "mention_links: some\n",
            ["briefing.yaml:1:16: error: field 'mention_links': 'some' is not one of: all, first"],
            id="bad-choice",
        ),
        pytest.param(
            "mention_links: frist\n",
            ["briefing.yaml:1:16: error: field 'mention_links': 'frist' is not one of: all, first (did you mean 'first'?)"],
            id="bad-choice-close",
        ),
        pytest.param("title: [a, b]\n", ["briefing.yaml:1:8: error: field 'title' must be text, not a list"], id="list-for-text"),
        pytest.param("title: A\ntitle: B\n", ["briefing.yaml:2:1: error: field 'title' is given twice (first at line 1); keep one"], id="duplicate"),
        pytest.param("- title\n- language\n", ["briefing.yaml:1:1: error: expected 'field: value' lines, found a single value"], id="a-list"),
        pytest.param("title: 'Kyiv\n", ["briefing.yaml:2:1: error: invalid YAML: found unexpected end of stream"], id="unclosed-quote"),
    ],
)
def test_config_problems_are_errors_at_their_place(tmp_path: Path, text: str, expected: list[str]) -> None:
    config, diagnostics = configure(tmp_path, text)

    assert diagnostics == expected


def test_valid_keys_still_apply_beside_an_unknown_one(tmp_path: Path) -> None:
    config, diagnostics = configure(tmp_path, "title: Kyiv\ncolour: red\n")

    assert (config.title, len(diagnostics)) == ("Kyiv", 1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"title: Caf\xe9\n", "briefing.yaml:1:11: error: not valid UTF-8: byte 0xe9 at offset 10; save briefing.yaml as UTF-8"),
        (b"title: Kyiv\nfooter: \xc3\xa9t\xe9\n", "briefing.yaml:2:11: error: not valid UTF-8: byte 0xe9 at offset 23; save briefing.yaml as UTF-8"),
    ],
)
def test_briefing_yaml_that_is_not_utf8_is_an_error_at_the_byte(tmp_path: Path, data: bytes, expected: str) -> None:
    config, diagnostics = configure(tmp_path, data)

    assert diagnostics == [expected]
    assert config.title == "Briefing"


def test_a_folder_named_briefing_yaml_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "briefing.yaml").mkdir()

    config, diagnostics = configure(tmp_path, None)

    assert (settings(config), diagnostics) == (DEFAULTS, [])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("seeds/a.txt", "seeds/a.txt"),
        ("content/actors/joe-biden.md", "content/actors/joe-biden.md"),
        ("briefing.yaml", "briefing.yaml"),
    ],
)
def test_relative_gives_project_paths_with_forward_slashes(tmp_path: Path, path: str, expected: str) -> None:
    config = SiteConfig(project=tmp_path, output=tmp_path / "site")

    assert config.relative(tmp_path.joinpath(*path.split("/"))) == expected


def test_relative_keeps_a_path_outside_the_project_whole(tmp_path: Path) -> None:
    config = SiteConfig(project=tmp_path / "project", output=tmp_path / "site")

    assert config.relative(tmp_path / "elsewhere" / "x.md") == (tmp_path / "elsewhere" / "x.md").as_posix()


def test_config_is_frozen(tmp_path: Path) -> None:
    config = SiteConfig(project=tmp_path, output=tmp_path / "site")

    with pytest.raises(dataclasses.FrozenInstanceError):
        config.title = "Changed"  # type: ignore[misc]

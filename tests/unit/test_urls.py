"""urls: slugs, output paths and relative links between output files."""
from __future__ import annotations

import pytest

from briefing import urls


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("000_b31cede6e6f66a7a", "000-b31cede6e6f66a7a"),
        ("000_B31c Été", "000-b31c-ete"),
        ("Hello, World!", "hello-world"),
        ("--a--b--", "a-b"),
        ("a_b", "a-b"),
        ("Ünïcödé", "unicode"),
        ("Łódź", "odz"),  # Ł has no decomposition: dropped, never kept as non-ASCII
        ("İstanbul", "istanbul"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("日本語", ""),
        ("", ""),
    ],
)
def test_slugify_makes_ascii_lowercase_words_joined_by_single_hyphens(text, slug):
    assert urls.slugify(text) == slug


@pytest.mark.parametrize("text", ["../x", "a/b", "Hello World", "Été", "x" * 3 + "/" + ".."])
def test_slugify_output_is_always_a_valid_slug_or_empty(text):
    slug = urls.slugify(text)
    assert slug == "" or urls.is_slug(slug)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("a", True),
        ("0", True),
        ("joe-biden", True),
        ("000-b31cede6e6f66a7a", True),
        ("", False),
        ("a--b", False),
        ("-a", False),
        ("a-", False),
        ("A", False),
        ("a_b", False),
        ("é", False),
        ("..", False),
        ("a/b", False),
        ("a.b", False),
        ("a\n", False),
    ],
)
def test_is_slug_accepts_only_lowercase_ascii_words_joined_by_single_hyphens(text, valid):
    assert urls.is_slug(text) is valid


@pytest.mark.parametrize(
    ("made", "path"),
    [
        (urls.index_path(), "index.html"),
        (urls.document_path("talks"), "documents/talks/index.html"),
        (urls.documents_index_path(), "documents/index.html"),
        (urls.actor_path("joe-biden"), "actors/joe-biden/index.html"),
        (urls.actors_index_path(), "actors/index.html"),
        (urls.free_page_path("about"), "about/index.html"),
        (urls.asset_path("style.css"), "assets/style.css"),
        (urls.not_found_path(), "404.html"),
    ],
)
def test_output_paths_follow_the_url_contract(made, path):
    assert made == path


@pytest.mark.parametrize(
    ("from_page", "prefix"),
    [
        ("index.html", ""),
        ("404.html", ""),
        ("about/index.html", "../"),
        ("documents/talks/index.html", "../../"),
    ],
)
def test_root_prefix_climbs_one_level_per_folder(from_page, prefix):
    assert urls.root_prefix(from_page) == prefix


@pytest.mark.parametrize(
    ("target", "from_page", "link"),
    [
        ("actors/joe-biden/index.html", "documents/talks/index.html", "../../actors/joe-biden/index.html"),
        ("actors/joe-biden/index.html#m-joe-biden-1", "documents/talks/index.html", "../../actors/joe-biden/index.html#m-joe-biden-1"),
        ("documents/talks/index.html#m-joe-biden-2", "actors/joe-biden/index.html", "../../documents/talks/index.html#m-joe-biden-2"),
        ("index.html", "actors/joe-biden/index.html", "../../index.html"),
        ("assets/style.css", "index.html", "assets/style.css"),
        ("assets/style.css", "404.html", "assets/style.css"),
        ("actors/index.html", "about/index.html", "../actors/index.html"),
        ("index.html", "index.html", "index.html"),
        ("documents/talks/index.html", "documents/talks/index.html", "index.html"),
        ("documents/talks/index.html#p-1", "documents/talks/index.html", "#p-1"),
    ],
)
def test_relative_url_links_between_output_files_without_absolute_paths(target, from_page, link):
    assert urls.relative_url(target, from_page) == link


def test_reserved_slugs_cover_the_engine_output_folders():
    for folder in ("actors", "documents", "assets", "404"):
        assert folder in urls.RESERVED_SLUGS

"""Writes the small generated projects of the split-list tests (tests/timeline_project.py,
tests/archive_project.py): actors and text seeds given as plain data, all from one port-news wire."""
from __future__ import annotations

from pathlib import Path

Actors = dict[str, tuple[str, str, list[str]]]  # slug -> (name, kind, aliases)
Seeds = dict[str, tuple[str, str, list[str]]]  # slug -> (date or "" for none, title, sentences)


def write_port_project(root: Path, title: str, actors: Actors, seeds: Seeds, base_url: str = "") -> Path:
    """The project, written into `root` (created); returns `root`."""
    (root / "seeds").mkdir(parents=True)
    (root / "content" / "actors").mkdir(parents=True)
    settings = f"title: {title}\ndescription: Port news over three winters.\n"
    (root / "briefing.yaml").write_text(settings + (f"base_url: {base_url}\n" if base_url else ""), encoding="utf-8")
    for slug, (name, kind, aliases) in actors.items():
        alias_line = f"aliases: [{', '.join(aliases)}]\n" if aliases else ""
        (root / "content" / "actors" / f"{slug}.md").write_text(
            f"---\nname: {name}\nkind: {kind}\n{alias_line}summary: {name}, in port news.\n---\n{name} appears in port news.\n",
            encoding="utf-8",
        )
    for slug, (date, title_of_seed, sentences) in seeds.items():
        date_line = f"date: {date}\n" if date else ""
        (root / "seeds" / f"{slug}.txt").write_text(
            f"---\ntitle: {title_of_seed}\n{date_line}source: Port Wire\n---\n" + "\n".join(sentences) + "\n", encoding="utf-8"
        )
    return root

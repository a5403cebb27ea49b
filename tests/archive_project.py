"""A small project for the tests of the split briefings index and dossiers (with render.DOCUMENTS_PAGE_LIMIT
and the dossier limits lowered, since a real split takes more than 500 briefings or 100 appearances): six
briefings over four months of three years, one of them undated, naming four actors.

Mara Lind appears in every briefing, has five statements (two undated), is named with a day in three
sentences and named with the three other actors; the Port Authority appears in four briefings, one undated;
Norvia in two; the Daily Tide in one.
"""
from __future__ import annotations

from pathlib import Path

from port_project import write_port_project

ACTORS = {
    "mara-lind": ("Mara Lind", "person", ["Lind"]),
    "port-authority": ("Port Authority", "organization", []),
    "norvia": ("Norvia", "state", []),
    "daily-tide": ("Daily Tide", "media", []),
}

# slug -> (date or "", title, sentences)
SEEDS = {
    "dredging-tender": ("2023-11-21", "Dredging tender opens", [
        "Mara Lind said the dredging tender opened on November 20, 2023.",
        "The Port Authority received four bids.",
    ]),
    "ice-closes-basin": ("2024-01-05", "Ice closes the north basin", [
        "The Port Authority closed the north basin on January 4, 2024.",
        "Lind said the closure would be brief.",
    ]),
    "icebreakers-arrive": ("2024-01-20", "Icebreakers arrive", [
        "Norvia sent two icebreakers on January 19, 2024.",
        "Mara Lind thanked Norvia for the crews.",
    ]),
    "spring-convoy": ("2024-03-29", "The spring convoy", [
        "Lind met the Port Authority on March 2, 2024.",
        "Norvia signed the convoy accord on March 28, 2024.",
    ]),
    "lind-resigns": ("2025-01-03", "Lind resigns", [
        "Mara Lind resigned on January 2, 2025.",
        "Lind said she would stay in the city.",
    ]),
    "harbour-history": ("", "A history of the harbour", [
        "Mara Lind wrote a history of the harbour for the Daily Tide.",
        "Lind said the archive of the Port Authority was incomplete.",
    ]),
}


def write_archive_project(root: Path, base_url: str = "") -> Path:
    """The project, written into `root` (created); returns `root`."""
    return write_port_project(root, "Port Archive", ACTORS, SEEDS, base_url)

"""A small project whose timeline spans months of three years, for the tests of the split timeline (with
render.TIMELINE_PAGE_EVENTS lowered, since a real split takes more than 500 events).

Every dated sentence names its day in full ("on March 2, 2024"), so the events are exactly those listed in
EVENTS: (date, document, sentence number, actors in the order the sentence names them).
"""
from __future__ import annotations

from pathlib import Path

from port_project import write_port_project

ACTORS = {
    "anna-kovac": ("Anna Kovac", "person", ["Kovac"]),
    "harbour-board": ("Harbour Board", "organization", []),
    "vesnia": ("Vesnia", "state", []),
    "daily-tide": ("Daily Tide", "media", []),
}

SEEDS = {
    "2023-11-21-dredging": ("2023-11-21", "Dredging tender opens", [
        "Anna Kovac opened the dredging tender on November 20, 2023.",
        "The tender drew four bids.",
    ]),
    "2024-01-20-winter-ice": ("2024-01-20", "Ice closes the north basin", [
        "The Harbour Board closed the north basin on January 5, 2024.",
        "Vesnia sent two icebreakers on January 19, 2024, the Daily Tide reported.",
    ]),
    "2024-03-29-spring-convoy": ("2024-03-29", "The spring convoy", [
        "Kovac met the Harbour Board on March 2, 2024.",
        "A second convoy sailed on March 2, 2024.",
        "Vesnia signed the convoy accord on March 28, 2024.",
    ]),
    "2025-01-03-new-year": ("2025-01-03", "Kovac resigns", [
        "The Daily Tide counted ships in port on December 31, 2024.",
        "Anna Kovac resigned on January 2, 2025.",
    ]),
}

# (date, document, sentence number, actors) in timeline order: by date, then document, then sentence.
EVENTS = [
    ("2023-11-20", "2023-11-21-dredging", 1, ["anna-kovac"]),
    ("2024-01-05", "2024-01-20-winter-ice", 1, ["harbour-board"]),
    ("2024-01-19", "2024-01-20-winter-ice", 2, ["vesnia", "daily-tide"]),
    ("2024-03-02", "2024-03-29-spring-convoy", 1, ["anna-kovac", "harbour-board"]),
    ("2024-03-02", "2024-03-29-spring-convoy", 2, []),
    ("2024-03-28", "2024-03-29-spring-convoy", 3, ["vesnia"]),
    ("2024-12-31", "2025-01-03-new-year", 1, ["daily-tide"]),
    ("2025-01-02", "2025-01-03-new-year", 2, ["anna-kovac"]),
]


def write_timeline_project(root: Path, base_url: str = "") -> Path:
    """The project, written into `root` (created); returns `root`."""
    return write_port_project(root, "Harbour Watch", ACTORS, SEEDS, base_url)

"""mentions: actor names and aliases found in text, case-sensitive, whole words, longest match first."""
from __future__ import annotations

import random

import pytest

from briefing.mentions import Match, MentionMatcher

ALIAS_INDEX = {
    "Joe Biden": "joe-biden",
    "Biden": "joe-biden",
    "Antony Blinken": "antony-blinken",
    "Blinken": "antony-blinken",
    "U.S.": "united-states",
    "United States": "united-states",
    "Washington": "united-states",
    "U.K.": "united-kingdom",
    "Ukraine": "ukraine",
    "Kyiv": "ukraine",
    "White House": "white-house",
    "House": "house-of-representatives",
    "Vesnia": "vesnia",
    "Vesnia Grain House": "vesnia-grain-house",
    "Émilie Dupont": "emilie-dupont",
    "Москва": "moscow",
    "Zoë": "zoe",
}


@pytest.fixture(scope="module")
def matcher() -> MentionMatcher:
    return MentionMatcher(ALIAS_INDEX)


def found(matcher: MentionMatcher, text: str) -> list[tuple[str, str]]:
    """(surface form as written, actor) of each mention, in order."""
    return [(text[match.start:match.end], match.actor) for match in matcher.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # case-sensitive
        ("Biden spoke", [("Biden", "joe-biden")]),
        ("biden spoke", []),
        ("BIDEN spoke", []),
        ("the white house", []),
        # whole words only: an alias inside a longer word is not a mention
        ("Bidenomics works", []),
        ("a Kyivan bakery", []),
        ("UKraine", []),
        ("Biden2 and Biden_x", []),
        ("Bidens", []),
        ("SuperBiden", []),
        ("Washingtonian views", []),
        # punctuation and hyphens are word boundaries
        ("anti-Biden protests", [("Biden", "joe-biden")]),
        ("(Biden)", [("Biden", "joe-biden")]),
        ("“Kyiv,” he said", [("Kyiv", "ukraine")]),
        # possessives count
        ("Biden’s plan", [("Biden", "joe-biden")]),
        ("Blinken's trip", [("Blinken", "antony-blinken")]),
        ("Ukraine’s use of weapons", [("Ukraine", "ukraine")]),
        ("the White House’s view", [("White House", "white-house")]),
        # the longest match wins
        ("the White House said", [("White House", "white-house")]),
        ("the House voted", [("House", "house-of-representatives")]),
        ("Vesnia Grain House sold wheat", [("Vesnia Grain House", "vesnia-grain-house")]),
        ("Vesnia sold wheat", [("Vesnia", "vesnia")]),
        ("Vesnia Grain sold wheat", [("Vesnia", "vesnia")]),
        ("Joe Biden spoke", [("Joe Biden", "joe-biden")]),
        # a mention of one actor right before another's yields both
        ("U.S. President Joe Biden said", [("U.S.", "united-states"), ("Joe Biden", "joe-biden")]),
        ("U.S. Secretary of State Antony Blinken", [("U.S.", "united-states"), ("Antony Blinken", "antony-blinken")]),
        # forms ending in a dot
        ("with U.S.-supplied weapons", [("U.S.", "united-states")]),
        ("with U.K.-supplied weapons", [("U.K.", "united-kingdom")]),
        ("officials in the U.S., U.K., and Ukraine", [("U.S.", "united-states"), ("U.K.", "united-kingdom"), ("Ukraine", "ukraine")]),
        ("officials in the U.S.", [("U.S.", "united-states")]),
        ("the former U.S.S.R. collapsed", []),
        ("the AU.S. case", []),
        # non-ASCII names
        ("Émilie Dupont said", [("Émilie Dupont", "emilie-dupont")]),
        ("Москва заявила", [("Москва", "moscow")]),
        ("Zoë’s report", [("Zoë", "zoe")]),
        ("Zoëlla", []),
        # at the very start and end of the text
        ("Kyiv", [("Kyiv", "ukraine")]),
        ("Talks with Kyiv", [("Kyiv", "ukraine")]),
        ("", []),
    ],
)
def test_find_mentions(matcher, text, expected):
    assert found(matcher, text) == expected


def test_matches_carry_offsets_into_the_text(matcher):
    text = "U.S. President Joe Biden met Blinken’s team in Kyiv."
    assert matcher.find(text) == [
        Match(0, 4, "united-states"),
        Match(15, 24, "joe-biden"),
        Match(29, 36, "antony-blinken"),
        Match(47, 51, "ukraine"),
    ]


def test_mentions_never_overlap_and_come_in_text_order(matcher):
    text = "Vesnia Grain House, the White House and the House met in Washington; Biden’s Vesnia deal stands."
    matches = matcher.find(text)
    assert [text[m.start:m.end] for m in matches] == ["Vesnia Grain House", "White House", "House", "Washington", "Biden", "Vesnia"]
    assert all(first.end <= second.start for first, second in zip(matches, matches[1:]))


@pytest.mark.parametrize("text", ["", "Biden met Kyiv", "U.S. President Joe Biden"])
def test_empty_matcher_finds_nothing(text):
    assert MentionMatcher({}).find(text) == []


def test_seed_opening_sentence_names_the_united_states_and_joe_biden(matcher):
    sentence = (
        "U.S. President Joe Biden is finalizing the details of a plan to lift some restrictions on "
        "Ukraine’s use of American long-range weapons to strike targets deep in Russian territory"
    )
    assert found(matcher, sentence) == [("U.S.", "united-states"), ("Joe Biden", "joe-biden"), ("Ukraine", "ukraine")]


# --- many actors ----------------------------------------------------------------------------------

FIRST_NAMES = (
    "Anna Boris Carla Dmitri Elena Farid Greta Hamid Ingrid José Karin Lars Maja Nikolai Olga Pavel "
    "Qadir Rosa Søren Tamar Ulla Viktor Wanda Xavier Yusuf Zoë Adam Bianca Cyril Dana Emil Fatima "
    "Gustav Hana Igor Jana Kemal Lena Milan Nadia Oskar Petra Rami Sara Tomas Uma Vera Walid Yara Zeno"
).split()
# Prefix pairs ("Berg"/"Bergman", "Lind"/"Lindqvist") make whole-word matching matter.
LAST_NAMES = (
    "Berg Bergman Lind Lindqvist Novak Petrov Haddad Costa Meyer Ivanova Rossi Kowalski Nakamura Okafor "
    "Silva Dubois Jensen Horvat Popescu Yilmaz Sato Kim Nowak Moreau Fischer Romano Schulz Larsen Dahl Öztürk"
).split()


@pytest.fixture(scope="module")
def crowd() -> dict[str, str]:
    """1,500 actors: every first name with every last name, each also known as 'Unit <n>'."""
    index = {}
    number = 0
    for first in FIRST_NAMES:
        for last in LAST_NAMES:
            slug = f"actor-{number:04d}"
            index[f"{first} {last}"] = slug
            index[f"Unit {number}"] = slug
            number += 1
    return index


def test_crowd_has_1500_actors(crowd):
    assert len(FIRST_NAMES) * len(LAST_NAMES) == 1500
    assert len(set(crowd.values())) == 1500


def test_finds_exactly_the_right_mentions_among_1500_actors(crowd):
    slug_by_name = dict(crowd)
    names = sorted(crowd)
    rng = random.Random(1500)
    pieces: list[str] = []
    expected: list[tuple[int, int, str]] = []
    position = 0

    def add(text: str, actor: str | None = None, suffix: str = "") -> None:
        nonlocal position
        if actor:
            expected.append((position, position + len(text), actor))
        pieces.append(text + suffix)
        position += len(text) + len(suffix)

    decoys = [
        "Berg said",  # a last name alone is no alias
        "anna berg",  # wrong case
        "Unit 15000",  # 'Unit 150' and 'Unit 1500' are inside it but it is a different word
        "Unit 1500",  # numbers run from 0 to 1499
        "Anna Bergmanns",  # 'Anna Bergman' inside a longer word
        "Units 12",
    ]
    for _ in range(400):
        if rng.random() < 0.1:
            add(rng.choice(decoys))
        else:
            name = rng.choice(names)
            add(name, slug_by_name[name], rng.choice(["", "’s", "'s", ",", "."]))
        add(rng.choice([" met ", " and ", "; then ", " (with) ", " — "]))
    text = "".join(pieces)

    matches = MentionMatcher(crowd).find(text)

    assert len(expected) > 300
    assert [(m.start, m.end, m.actor) for m in matches] == expected


def test_longest_name_wins_among_1500_actors(crowd):
    matcher = MentionMatcher(crowd)
    text = "Anna Bergman met Anna Berg, Lars Lindqvist met Lars Lind, Unit 150 met Unit 15."
    assert [(text[m.start:m.end], m.actor) for m in matcher.find(text)] == [
        ("Anna Bergman", crowd["Anna Bergman"]),
        ("Anna Berg", crowd["Anna Berg"]),
        ("Lars Lindqvist", crowd["Lars Lindqvist"]),
        ("Lars Lind", crowd["Lars Lind"]),
        ("Unit 150", "actor-0150"),
        ("Unit 15", "actor-0015"),
    ]

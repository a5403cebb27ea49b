"""Actor names and aliases -> an Aho-Corasick matcher that finds mentions in linear time.

Rules: case-sensitive; whole words only (a possessive 's or ’s may follow); where matches overlap the
longest wins ("White House" is not "House"), so "U.S. President Joe Biden" yields both "U.S." and
"Joe Biden". Names and text are compared through `fold_for_matching`, which maps characters one to one
(so offsets stay those of the text as written): any space character is a space, fullwidth Latin is
Latin, and in a word that mixes Latin letters with Cyrillic or Greek look-alikes ("Bidеn" with a
Cyrillic е) the look-alikes read as the Latin letters they imitate. Words wholly in Cyrillic or Greek
are left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

# Cyrillic and Greek letters that are drawn like a Latin letter -> that letter.
CONFUSABLES = {
    **dict(zip("аеорсухіјѕԁԛԝһӏ", "aeopcyxijsdqwhl")),
    **dict(zip("АВЕКМНОРСТУХІЈЅԚԜҺӀ", "ABEKMHOPCTYXIJSQWHI")),
    **dict(zip("αονρικυ", "aovpiku")),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")),
}
_CONFUSABLE_TABLE = str.maketrans(CONFUSABLES)
_MIXED_WORD = re.compile(f"\\w*[{''.join(CONFUSABLES)}]\\w*")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Every space character but the newline and tab -> ' '; fullwidth ASCII -> ASCII. One to one.
_SPACE_TABLE = {code: " " for code in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}
_WIDTH_TABLE = str.maketrans({**_SPACE_TABLE, **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}})


def fold_for_matching(text: str) -> str:
    """The text as names are matched against it, character for character (same length, same offsets)."""
    if text.isascii():
        return text
    text = text.translate(_WIDTH_TABLE)
    return _MIXED_WORD.sub(_fold_mixed_word, text)


def _fold_mixed_word(match: re.Match) -> str:
    word = match.group(0)
    return word.translate(_CONFUSABLE_TABLE) if _LATIN.search(word) else word


def look_alikes(name: str) -> list[str]:
    """The Cyrillic or Greek look-alikes that `fold_for_matching` reads as Latin in `name`."""
    folded = fold_for_matching(name)
    return [original for original, read in zip(name, folded) if original != read and original in CONFUSABLES]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    actor: str


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class MentionMatcher:
    """Built once per build from the alias index (surface form -> actor slug)."""

    def __init__(self, alias_index: dict[str, str]):
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for form, actor in sorted(alias_index.items()):
            self._automaton.add_word(fold_for_matching(form), (len(form), actor))
        self._empty = not alias_index
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Non-overlapping mentions in `text`, in order."""
        if self._empty:
            return []
        candidates = []
        for last, (length, actor) in self._automaton.iter(fold_for_matching(text)):
            start, end = last + 1 - length, last + 1
            if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
                continue
            # A form ending in a dot ("U.S.") is cut short when a letter follows ("U.S.S.R."), yet
            # "U.S.-supplied" and "U.S.," still count.
            if end < len(text) and _is_word_char(text[end]) and (_is_word_char(text[end - 1]) or text[end - 1] == "."):
                continue
            candidates.append((start, -length, actor))
        candidates.sort()
        matches: list[Match] = []
        taken_until = 0
        for start, negative_length, actor in candidates:
            if start >= taken_until:
                matches.append(Match(start, start - negative_length, actor))
                taken_until = start - negative_length
        return matches

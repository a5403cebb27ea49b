"""Actor names and aliases -> an Aho-Corasick matcher that finds mentions in linear time.

Rules: case-sensitive; whole words only (a possessive 's or ’s may follow); where matches overlap the
longest wins ("White House" is not "House"), so "U.S. President Joe Biden" yields both "U.S." and
"Joe Biden".
"""
from __future__ import annotations

from dataclasses import dataclass

import ahocorasick


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
            self._automaton.add_word(form, (len(form), actor))
        self._empty = not alias_index
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Non-overlapping mentions in `text`, in order."""
        if self._empty:
            return []
        candidates = []
        for last, (length, actor) in self._automaton.iter(text):
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

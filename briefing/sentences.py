"""Text -> sentence spans, aware of news abbreviations ("U.S.", "Sept. 11", "Gen. Smith").

A sentence ends at '.', '!' or '?' (plus any closing quotes or brackets) followed by white space and a
capital letter, digit or opening quote, unless the word before the stop is a known abbreviation or an
initialism written with dots.
"""
from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm maj gov sen rep rev st jr sr inc ltd corp co
    no vs etc jan feb mar apr jun jul aug sep sept oct nov dec dept est approx fig al""".split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.)+$")  # U.S. / U.K. / e.g. / J.


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in `text`, white space trimmed."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().startswith(".") and _is_abbreviation(text[start:match.start() + 1]):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if begin < end:
            trimmed.append((begin, end))
    return trimmed


def _is_abbreviation(up_to_stop: str) -> bool:
    """`up_to_stop` ends with the '.' in question."""
    words = up_to_stop.rsplit(None, 1)
    word = words[-1] if words else ""
    if _INITIALISM.search(word):
        return True
    return word[:-1].lower().lstrip("(\"'“‘") in ABBREVIATIONS

"""sentences: text -> sentence spans, aware of news abbreviations, initials and closing quotes."""
from __future__ import annotations

import pytest

from briefing.sentences import split_sentences


def sentences_of(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # initialisms written with dots do not end a sentence
        ("The U.S. and the U.K. agreed. Then they left.", ["The U.S. and the U.K. agreed.", "Then they left."]),
        ("U.S. President Joe Biden spoke. Kyiv listened.", ["U.S. President Joe Biden spoke.", "Kyiv listened."]),
        ("officials in the U.S., U.K., and Ukraine are talking. Moscow is not.", ["officials in the U.S., U.K., and Ukraine are talking.", "Moscow is not."]),
        # month abbreviations before a day number
        ("Politico reported on Sept. 11, citing officials. Nobody denied it.", ["Politico reported on Sept. 11, citing officials.", "Nobody denied it."]),
        ("It happened on Sept. 11. Nobody forgot.", ["It happened on Sept. 11.", "Nobody forgot."]),
        ("The Oct. 7 attacks shocked Israel. Talks stalled.", ["The Oct. 7 attacks shocked Israel.", "Talks stalled."]),
        # titles before a name
        ("Gen. Smith spoke. Mr. Jones listened.", ["Gen. Smith spoke.", "Mr. Jones listened."]),
        ("Dr. Ng met Sen. Ross and Gov. Hall. They talked.", ["Dr. Ng met Sen. Ross and Gov. Hall.", "They talked."]),
        # initials
        ("J. R. R. Tolkien wrote it. He died in 1973.", ["J. R. R. Tolkien wrote it.", "He died in 1973."]),
        ("A. Smith met B. Jones. They talked.", ["A. Smith met B. Jones.", "They talked."]),
        # question and exclamation marks
        ("Did it work? Yes! It did.", ["Did it work?", "Yes!", "It did."]),
        ("Really?! Indeed.", ["Really?!", "Indeed."]),
        # quotes and brackets closing a sentence stay with it
        ("He said “it is over.” Then he left.", ["He said “it is over.”", "Then he left."]),
        ('She said, "Go." He went.', ['She said, "Go."', "He went."]),
        ("He said: ‘Go!’ She went.", ["He said: ‘Go!’", "She went."]),
        ("Is it done? (Yes.) Fine.", ["Is it done?", "(Yes.)", "Fine."]),
        # a sentence may start with a digit or an opening quote
        ("Talks failed. 2024 was hard.", ["Talks failed.", "2024 was hard."]),
        ("Talks failed. “We will try again,” he said.", ["Talks failed.", "“We will try again,” he said."]),
        # not a boundary: decimals, a lower-case continuation, no space after the stop
        ("Prices rose 3.5 percent. Markets fell.", ["Prices rose 3.5 percent.", "Markets fell."]),
        ("It ended. and then began.", ["It ended. and then began."]),
        ("See example.com for more.", ["See example.com for more."]),
        # ellipsis
        ("Wait... What?", ["Wait...", "What?"]),
        # non-ASCII capitals start a sentence
        ("Talks failed. Émilie Dupont left.", ["Talks failed.", "Émilie Dupont left."]),
    ],
)
def test_split_sentences_in_news_text(text, expected):
    assert sentences_of(text) == expected


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("", []),
        ("   \n ", []),
        ("No stop at all", [(0, 14)]),
        ("  One.  Two.  ", [(2, 6), (8, 12)]),
        ("One.\nTwo.", [(0, 4), (5, 9)]),
    ],
)
def test_spans_are_offsets_into_the_text_with_white_space_trimmed(text, spans):
    assert split_sentences(text) == spans


def test_every_character_outside_white_space_belongs_to_exactly_one_sentence():
    text = "U.S. President Joe Biden spoke on Sept. 11. Did Kyiv agree? “Yes,” said Gen. Smith. It did!"
    spans = split_sentences(text)
    covered = "".join(text[start:end] for start, end in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))

"""clean: raw text -> text fit for analysis (BOM, line endings, NFC, mojibake, stray artifacts)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from briefing.stages.clean import clean_text

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_b31cede6e6f66a7a.txt"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # byte order mark
        ("\ufeffHello", "Hello"),
        ("\ufeffCafé", "Café"),
        # line endings
        ("a\r\nb\r\nc", "a\nb\nc"),
        ("a\rb", "a\nb"),
        ("café\r\n\r\nnext", "café\n\nnext"),
        # Unicode NFC: decomposed letters are composed
        ("Cafe\u0301", "Caf\u00e9"),
        ("A\u030angstr\u00f6m", "\u00c5ngstr\u00f6m"),
        # mojibake (UTF-8 read as Windows-1252) is repaired
        ("â€œWe will winâ€\x9d", "“We will win”"),
        ("â€œhello", "“hello"),
        ("Ukraineâ€™s use", "Ukraine’s use"),
        ("long-range â€” deep", "long-range — deep"),
        ("seÃ±or", "señor"),
        ("Ã©tÃ©", "été"),
        # the orphan 'Â' left of a no-break space is removed
        ("an official told Politico. Â\nKyiv has long argued", "an official told Politico.\nKyiv has long argued"),
        ("word Â", "word"),
        ("Â", ""),
        # ... but a real 'Â' in a word stays
        ("L’Âge d’or", "L’Âge d’or"),
        # what the author wrote is kept
        ("“quoted” and ‘single’ don’t", "“quoted” and ‘single’ don’t"),
        ("Tom &amp; Jerry", "Tom &amp; Jerry"),
        ("Tom &amp; Jerry — café", "Tom &amp; Jerry — café"),
        ("x &lt;b&gt; — y", "x &lt;b&gt; — y"),
        ("ＡＢＣ width", "ＡＢＣ width"),
        ("naïve café", "naïve café"),
        # white space at line ends is dropped, in ASCII text too
        ("trailing   \nx", "trailing\nx"),
        ("tab\t\nx", "tab\nx"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII text.\n\nSecond paragraph, with 'quotes' and \"double quotes\".\n",
        "# not a heading\n1. not a list\n* not a bullet\n",
        "<b>raw</b> &amp; &lt;tags&gt;",
        "",
    ],
)
def test_ascii_text_without_trailing_space_is_unchanged(text):
    assert clean_text(text) == text


def test_shipped_seed_loses_its_orphan_a_circumflex_and_nothing_else():
    raw = SEED.read_text(encoding="utf-8")
    assert raw.count("Â") == 1  # the artifact this test is about is still in the shipped seed
    cleaned = clean_text(raw)
    assert "Â" not in cleaned
    assert "an official told Politico.\nKyiv has long argued" in cleaned
    assert cleaned == raw.replace(" Â\n", "\n")


def test_cleaned_seed_is_nfc_and_cleaning_again_changes_nothing():
    cleaned = clean_text(SEED.read_text(encoding="utf-8"))
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned

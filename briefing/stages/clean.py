"""Raw text -> text fit for analysis: BOM, line endings, mojibake, Unicode form, stray artifacts.

The seed file is never touched; only the in-memory text is cleaned.
"""
from __future__ import annotations

import re
import unicodedata

import ftfy

# ftfy's defaults also straighten curly quotes, widen/narrow characters and unescape HTML entities;
# all three would change what the author wrote, so they stay off.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    explain=False,
)
# What is left of a UTF-8 no-break space (C2 A0) read as Latin-1 once the A0 has been lost or turned
# into a plain space: an 'Â' standing alone between spaces or at a line end.
_ORPHAN_A_CIRCUMFLEX = re.compile(r"(?:(?<=\s)|^)Â(?:\xa0)?(?=\s|$)", re.MULTILINE)
_TRAILING_SPACE = re.compile(r"[ \t\xa0]+$", re.MULTILINE)


def clean_text(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # pure ASCII cannot hold mojibake; skipping ftfy keeps big builds fast
        text = ftfy.fix_text(text, _FTFY)
        text = _ORPHAN_A_CIRCUMFLEX.sub("", text)
        text = unicodedata.normalize("NFC", text)
    return _TRAILING_SPACE.sub("", text)

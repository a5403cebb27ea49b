"""Raw text -> text fit for analysis: BOM, line endings, mojibake, Unicode form, invisible characters,
stray artifacts; and names (actor names, aliases, slugs written in front matter) cleaned the same way.

The seed file is never touched; only the in-memory text is cleaned. Invisible characters are removed
because they change nothing a reader sees but split words: a zero-width space inside "Bi\u200bden" would
hide the mention. Bidirectional overrides and isolates can make text display in another order than it
is stored, so they go too. Zero-width joiners and left-to-right or right-to-left marks are kept where
they do their job (between letters of scripts that need them) and removed next to ASCII, where they
never do. Pure module: no imports from the engine, so the loader can use it for names.
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
# Always removed: C0 controls but tab and newline, DEL, C1 controls, zero-width space, word joiner and
# the invisible operators, soft hyphen, Mongolian vowel separator, byte-order marks, bidirectional
# embeddings, overrides and isolates, deprecated format characters, interlinear annotations, noncharacters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b\u2060-\u2064\u202a-\u202e\u2066-\u2069"
    "\u206a-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
# Removed next to ASCII (or at the edges), where they have no job: joiners and direction marks.
_JOINERS = "\u200c\u200d\u200e\u200f\u061c"
_STRAY_JOINER = re.compile(f"(?:(?<=[\\x00-\\x7f])|^)[{_JOINERS}]+|[{_JOINERS}]+(?=[\\x00-\\x7f]|$)", re.MULTILINE)
_SPACES = re.compile(r"\s+")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # pure ASCII cannot hold mojibake; skipping ftfy keeps big builds fast
        text = ftfy.fix_text(text, _FTFY)
        text = _ORPHAN_A_CIRCUMFLEX.sub("", text)
        text = unicodedata.normalize("NFC", text)
    return _TRAILING_SPACE.sub("", remove_invisible(text))


def remove_invisible(text: str) -> str:
    """Characters that show nothing (or only reorder what is shown) removed; see the module docstring."""
    if text.isascii():  # the common case: only ASCII controls can be invisible, joiners need non-ASCII
        return _INVISIBLE.sub("", text) if _ASCII_CONTROL.search(text) else text
    return _STRAY_JOINER.sub("", _INVISIBLE.sub("", text))


def clean_name(text: str) -> str:
    """A name, alias or slug as written in front matter -> the form matched against cleaned text:
    NFC, invisible characters removed, any run of spaces (no-break, thin, ideographic...) one space."""
    return _SPACES.sub(" ", remove_invisible(unicodedata.normalize("NFC", text))).strip()

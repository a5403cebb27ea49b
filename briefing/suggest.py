"""Cleaned document texts + the registry's known forms -> names that look like actors but have no profile,
best first; and stub profiles for them that never replace an existing file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterable, NamedTuple, Sequence

from .mentions import MentionMatcher
from .sentences import split_sentences
from .urls import slugify


@dataclass(frozen=True)
class Candidate:
    name: str
    count: int
    example: str  # the first sentence it appears in
    document: str  # the document that sentence is in
    kind_guess: str  # person, organization or other
    slug: str


# Only the words a name can be made of: initialisms ("U.S."), connectors, and words that start with a
# capital, with inner hyphens or apostrophes ("Jean-Pierre", "O'Brien", "Ukraine’s"). Any other word
# between two of them shows as a gap that is not white space, which ends a name; skipping them keeps
# large projects fast.
_TOKEN = re.compile(
    r"\b(?:[A-Z](?:\.[A-Z])+\."
    r"|(?:of|the|for|de|da|du|del|der|van|von|al|bin|ibn|la|le)\b"
    r"|(?<![’'‐-])[^\W\d_a-z]\w*(?:[-‐'’]\w+)*)"
)
_POSSESSIVE = re.compile(r"[’']s?$")
_ROMAN_NUMERAL = re.compile(r"^[IVXLC]+$")
_DAY_NUMBER = re.compile(r"\.?\s*\d")

# Capitalised only because they open a sentence, a quote or a clause; never the start of a name.
_ORDINARY = frozenset(
    """a an the this that these those some many most all each every any both either neither no not one
    two three it its he she they we you i his her their our my your there here then thus so yet still also
    and but or nor if when while as after before during since until although though despite because
    meanwhile however moreover furthermore instead earlier later now today tomorrow yesterday last next
    according under over with without for from by to of in on at into about against between among through
    what which who whom whose why how where such only even just more less several few other another
    former""".split()
)
_CONNECTORS = frozenset("of the for de da du del der van von al bin ibn la le".split())
_MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday
    sunday mon tue tues wed thu thur thurs fri sat sun""".split()
)
# Month names that are also surnames or words ("Theresa May"): kept when they follow a name.
_NAME_LIKE_MONTHS = frozenset({"may", "march", "june", "august", "april"})
# Heads of personal titles: what follows them is a person's name.
_TITLES = frozenset(
    """president minister secretary chancellor senator sen representative rep congressman congresswoman
    governor gov general gen admiral adm colonel col lieutenant lt major maj captain capt sergeant sgt
    commander cmdr ambassador envoy spokesman spokeswoman spokesperson mayor king queen prince princess
    pope cardinal bishop rabbi imam sheikh judge justice chairman chairwoman chair director commissioner
    premier mr mrs ms dr prof professor sir dame lord lady speaker marshal president-elect
    secretary-general ceo""".split()
)
# Words that only ever qualify a title ("Defense Minister", "Secretary of State"), never a name alone.
_TITLE_MODIFIERS = frozenset(
    """prime vice deputy foreign defense defence interior home finance health state attorney former acting
    senior press executive chief assistant under trade energy economy economic education labor labour
    culture agriculture transport environment affairs security national intelligence commanding supreme
    high grand special opposition majority minority first u.s. u.k.""".split()
)
# Abbreviated titles and initials are written with a stop that does not end the name: "Gen. Mark Milley".
_DOTTED_TITLES = frozenset("sen rep gov gen adm col lt maj capt sgt cmdr mr mrs ms dr prof st".split())
_ORGANIZATION_HEADS = frozenset(
    """ministry department agency council party committee commission union organization organisation
    bank court army navy forces corporation company university institute office service bureau
    association federation alliance group fund parliament assembly congress senate""".split()
)
# All-capitals words that are abbreviations of things, not of actors.
_ORDINARY_ACRONYMS = frozenset("AM PM TV OK ID GDP CEO CFO PhD DNA USB PDF FAQ ET GMT UTC BST EST".split())
_KIND_RANK = {"other": 0, "organization": 1, "person": 2}


class _Token(NamedTuple):
    start: int
    end: int  # without a possessive ’s
    text: str
    possessive: bool


def suggest_actors(texts: Iterable[tuple[str, str]], known_forms: Collection[str], limit: int = 50) -> list[Candidate]:
    """Names that look like actors in `texts` ((document path, cleaned text) pairs) and are neither a
    known form nor part of one: counts, an example sentence each, most frequent first, then by name."""
    documents = [(path, text) for path, text in texts]
    known_matcher = MentionMatcher({form: form for form in known_forms if form})
    known_parts = _word_sequences(known_forms)
    lowercase_words = {word for _, text in documents for word in re.findall(r"\b[a-z][a-z'’-]*\b", text)}
    found: dict[str, list] = {}  # name -> [count, example, document, kind]
    for path, text in documents:
        for begin, end in split_sentences(text):
            sentence = text[begin:end]
            for name, kind in _names_in(sentence, known_matcher, lowercase_words):
                if name.casefold() in known_parts:
                    continue
                entry = found.setdefault(name, [0, " ".join(sentence.split()), path, kind])
                entry[0] += 1
                if _KIND_RANK[kind] > _KIND_RANK[entry[3]]:
                    entry[3] = kind
    _merge_article_forms(found)
    candidates = [
        Candidate(name, count, example, document, kind, slugify(name))
        for name, (count, example, document, kind) in found.items()
    ]
    candidates.sort(key=lambda candidate: (-candidate.count, candidate.name.casefold(), candidate.name))
    return candidates[:max(limit, 0)]


def _merge_article_forms(found: dict[str, list]) -> None:
    """"New York Times" (sentence-initial "The" dropped) counts toward "The New York Times" when the
    name was also seen with its article."""
    order = {name: position for position, name in enumerate(found)}
    for name in [name for name in found if name.startswith("The ") and name[4:] in found]:
        short_name = name[4:]
        short_is_first = order[short_name] < order[name]
        short = found.pop(short_name)
        entry = found[name]
        entry[0] += short[0]
        if short_is_first:
            entry[1:3] = short[1:3]
        if _KIND_RANK[short[3]] > _KIND_RANK[entry[3]]:
            entry[3] = short[3]


def write_stubs(candidates: Sequence[Candidate], actors_dir: Path) -> list[Path]:
    """A stub profile `<slug>.md` per candidate in `actors_dir`. An existing file is never replaced
    (exclusive creation, so not even a file that appears meanwhile); returns the paths written."""
    written = []
    for candidate in candidates:
        if not candidate.slug:
            continue  # a name with no ASCII letters or digits has no file name to take
        path = Path(actors_dir) / f"{candidate.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as stub:
                stub.write(_stub_text(candidate))
        except FileExistsError:
            continue
        written.append(path)
    return written


def _stub_text(candidate: Candidate) -> str:
    return (
        "---\n"
        f"name: {_yaml_text(candidate.name)}\n"
        f"kind: {candidate.kind_guess}\n"
        "aliases: []\n"
        "---\n"
        f"TODO: write who {candidate.name} is. Suggested from {candidate.document} "
        f"({candidate.count} mention{'s' if candidate.count != 1 else ''}): “{candidate.example}”\n"
    )


def _yaml_text(text: str) -> str:
    """Plain when YAML reads it back unchanged, else double-quoted (JSON escapes are valid YAML)."""
    if re.fullmatch(r"[^\W_][\w .’'&-]*", text) and not text.endswith((" ", ":")):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _word_sequences(forms: Iterable[str]) -> set[str]:
    """Every run of whole words inside a known form, case-folded: "Keir Starmer" -> keir, starmer,
    keir starmer. A name inside a known form is a shortening of a known actor, not a new one."""
    parts = set()
    for form in forms:
        words = form.casefold().split()
        for first in range(len(words)):
            for last in range(first + 1, len(words) + 1):
                parts.add(" ".join(words[first:last]))
    return parts


def _names_in(sentence: str, known_matcher: MentionMatcher, lowercase_words: set[str]) -> list[tuple[str, str]]:
    """(name, kind guess) for every candidate name in one sentence, in order."""
    known_spans = [(match.start, match.end) for match in known_matcher.find(sentence)]
    tokens = [
        token for token in _tokens(sentence)
        if not any(start < token.end and token.start < end for start, end in known_spans)
    ]
    known_starts = {start for start, _ in known_spans}
    names = []
    for run in _runs(sentence, tokens):
        rest = sentence[run[-1].end:]
        next_word = run[-1].end + len(rest) - len(rest.lstrip(" "))
        names.extend(_names_in_run(sentence, run, lowercase_words, next_word in known_starts))
    return names


def _tokens(sentence: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(sentence):
        text = match.group()
        if text[0].islower() and text not in _CONNECTORS:
            continue  # a lower-case letter outside ASCII: "élite"
        possessive = text[-1] in "'’s" and not text[0].islower() and bool(_POSSESSIVE.search(text)) and len(text) > 2
        if possessive:
            text = _POSSESSIVE.sub("", text)
        tokens.append(_Token(match.start(), match.start() + len(text), text, possessive))
    return tokens


def _is_name_word(token: _Token) -> bool:
    """Capitalised in every hyphenated part ("Jean-Pierre", "F-16"), so "British-supplied" is not."""
    text = token.text
    if not text[0].isupper():
        return False
    if "-" not in text and "‐" not in text:
        return True
    return all(part[:1].isupper() or part[:1].isdigit() for part in re.split(r"[-‐]", text))


def _is_acronym(text: str) -> bool:
    return (
        text.isupper() and sum(char.isalpha() for char in text) >= 2
        and text not in _ORDINARY_ACRONYMS and not _ROMAN_NUMERAL.match(text)
    )


def _joins(sentence: str, left: _Token, right: _Token) -> bool:
    """Whether two neighbouring tokens can belong to one name: only space between them, or the stop of an
    abbreviated title or an initial ("Gen. Mark Milley", "Joseph R. Biden")."""
    if left.possessive:
        return False
    gap = sentence[left.end:right.start]
    if gap.startswith(".") and (left.text.lower() in _DOTTED_TITLES or (len(left.text) == 1 and left.text.isupper())):
        gap = gap[1:]
    return bool(gap) and gap.isspace() and "\n\n" not in gap


def _runs(sentence: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Maximal sequences of name words, joined by connectors ("Bank of England") where a name word
    follows them; months and weekdays break a run unless they read as a surname ("Theresa May")."""
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    pending: list[_Token] = []  # connectors waiting for a name word
    for token in tokens:
        previous = (pending or current)[-1] if (pending or current) else None
        if previous is not None and not _joins(sentence, previous, token):
            runs.append(current)
            current, pending = [], []
        lower = token.text.lower()
        if lower in _CONNECTORS and token.text.islower() and current:
            pending.append(token)
            continue
        if lower in _MONTHS_AND_DAYS and not _is_surname_month(sentence, token, current):
            runs.append(current)
            current, pending = [], []
            continue
        if _is_name_word(token):
            current.extend(pending)
            current.append(token)
        else:
            runs.append(current)
            current = []
        pending = []
    runs.append(current)
    return [run for run in runs if run]


def _is_surname_month(sentence: str, token: _Token, current: list[_Token]) -> bool:
    if token.text.lower() not in _NAME_LIKE_MONTHS or not current or current[-1].text.lower() in _TITLES:
        return False
    return not _DAY_NUMBER.match(sentence, token.end)  # "May 5" is a date


def _names_in_run(sentence: str, run: list[_Token], lowercase_words: set[str], before_known: bool) -> list[tuple[str, str]]:
    """A run -> the names in it: ordinary opening words dropped, a title split from the name after it.
    `before_known`: a known form follows the run, so a name after a title is the first part of a known
    person's name ("President Joe" + "Biden")."""
    # A capital "The" inside a sentence belongs to the name ("reported by The New York Times").
    article = run[:1] if run[0].text == "The" and not _opens_clause(sentence, run[0]) else []
    while run and _is_ordinary_opening(sentence, run[0], lowercase_words):
        run = run[1:]
    run = _trim_connectors(run)
    if not run:
        return []
    title_end = max((i for i, token in enumerate(run) if token.text.lower() in _TITLES), default=-1)
    if title_end < 0:
        return _plain_name(sentence, article + run)
    name_start = title_end + 1
    while name_start < len(run) and _is_title_word(run[name_start]):
        name_start += 1  # "Secretary of State Antony Blinken"
    person = _trim_connectors(run[name_start:])
    if person and person[-1].text.lower() in _ORGANIZATION_HEADS:
        return _plain_name(sentence, run)  # "Justice Department": the title word was part of a name
    title_start = title_end
    while title_start > 0 and _is_title_word(run[title_start - 1]):
        title_start -= 1
    names = _plain_name(sentence, _trim_connectors(run[:title_start]))
    if person and not before_known:
        names.append((_text_of(sentence, person), "person"))
    return names


def _plain_name(sentence: str, run: list[_Token]) -> list[tuple[str, str]]:
    """A run without a title is a name when it has two or more name words, or is one acronym."""
    words = [token for token in run if token.text.lower() not in _CONNECTORS or not token.text.islower()]
    if not words or all(_is_title_word(token) for token in words):
        return []
    if len(words) == 1:
        return [(words[0].text, "organization")] if _is_acronym(words[0].text) else []
    if words[-1].text.lower() in _TITLES:
        return []  # a role ("Ukrainian Foreign Minister"), not a name
    kind = "organization" if words[-1].text.lower() in _ORGANIZATION_HEADS else "other"
    return [(_text_of(sentence, run), kind)]


def _is_ordinary_opening(sentence: str, token: _Token, lowercase_words: set[str]) -> bool:
    """A word that is capitalised only where it stands: a function word anywhere, or any word the texts
    also use in lower case when it opens a sentence, a quote or a clause."""
    lower = token.text.lower()
    if lower in _ORDINARY and not _is_acronym(token.text):
        return True
    return _opens_clause(sentence, token) and lower in lowercase_words


def _opens_clause(sentence: str, token: _Token) -> bool:
    """At the start of a sentence, line (a headline, a list item), quote or clause, where any word may
    be capitalised."""
    opening = sentence[:token.start].rstrip(" \t\"'“‘([#*>_-")
    return not opening or opening.endswith(("\n", ":", ";", "—", "–"))


def _is_title_word(token: _Token) -> bool:
    lower = token.text.lower()
    return lower in _TITLES or lower in _TITLE_MODIFIERS or (lower in _CONNECTORS and token.text.islower())


def _trim_connectors(run: list[_Token]) -> list[_Token]:
    start, end = 0, len(run)
    while start < end and run[start].text.islower():
        start += 1
    while end > start and run[end - 1].text.islower():
        end -= 1
    return run[start:end]


def _text_of(sentence: str, run: list[_Token]) -> str:
    return " ".join(sentence[run[0].start:run[-1].end].split())

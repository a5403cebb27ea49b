"""Days named in a sentence, resolved against the document's publication date.

(sentence, published) -> DateMention(start, end, text, date) for every mention that names one calendar day.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import NamedTuple

_DAY = datetime.timedelta(days=1)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_MONTH_BY_NAME = {name: number for number, name in enumerate(_MONTHS, 1)}
_MONTH_BY_ABBREVIATION = {name[:3]: number for name, number in _MONTH_BY_NAME.items() if name != "May"}
_MONTH_BY_ABBREVIATION["Sept"] = 9
_WEEKDAY_BY_NAME = {
    "Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6,
}
_NUMBER_BY_WORD = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}
_OFFSET_BY_RELATIVE_DAY = {
    "the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0, "tonight": 0,
    "this morning": 0, "this afternoon": 0, "this evening": 0, "tomorrow": 1, "the day after tomorrow": 2,
}
# Three day names serve news as proper names of past events; without them the nearest-year rule would put
# 2001's attacks in the current year every September.
_NAMED_EVENTS = (
    (9, 11, 2001, re.compile(r"\s+(?:terror(?:ist)?\s+)?(?:attacks?|hijack(?:ers|ings?)|commission)\b")),
    (1, 6, 2021, re.compile(r"\s+(?:Capitol\s+)?(?:attack|riot(?:ers)?|insurrection|committee|panel|defendants)\b")),
    (10, 7, 2023, re.compile(r"\s+(?:terror(?:ist)?\s+)?(?:attacks?|massacre|assault|rampage|raid)\b")),
)


def _alternatives(phrases) -> str:
    """Longest first, since alternation takes the first that fits ("Sep" must not shadow "Sept")."""
    return "|".join(sorted(phrases, key=len, reverse=True))


def _both_cases(phrases) -> list[str]:
    """Lower-case and sentence-initial spellings, as literals: see _PATTERNS for why not [Tt]."""
    return [spelling.replace(" ", r"\s+") for phrase in phrases for spelling in (phrase, phrase.capitalize())]


_FULL_MONTH = _alternatives(_MONTH_BY_NAME)
_SHORT_MONTH = _alternatives(_MONTH_BY_ABBREVIATION)
_YEAR = r"(?:1[89]|20)\d\d(?!\d)"
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR_AFTER_DAY = rf"(?:,?\s+(?P<year>{_YEAR})|\s+(?P<year_word>last|this|next)\s+year\b)?"

# One pattern per form, each opening with a literal or a character class so the regex engine can skip
# straight to candidate characters (a leading \b or look-behind would make it try every position; the
# boundary checks come after the first character or in code instead). Only days whose names make a single
# calendar day match: ranges ("last week", "mid-September", "September 2024") and slashed forms ("9/11",
# "09/11/2024": month-day order is ambiguous) are left out by not matching at all.
_PATTERNS = {
    "iso": re.compile(r"(?P<year>\d(?<![\d/-]\d)\d{3})(?P<sep>[-/])(?P<month>\d\d)(?P=sep)(?P<day>\d\d)(?![\d/])"),
    # "13 September", "13th of September", "16-20 September 2024"; after a day only an abbreviation owns a
    # dot ("13 Sept."): after "13 September" it ends the sentence.
    "day_month": re.compile(
        rf"(?P<day>\d(?<![\w.,/:–-]\d)\d?){_ORDINAL}(?:\s*[-–]\s*(?P<last_day>\d\d?){_ORDINAL})?"
        rf"\s+(?:of\s+)?(?P<month>{_FULL_MONTH}|(?:{_SHORT_MONTH})\.?)(?!\w){_YEAR_AFTER_DAY}"
    ),
    # "Sept. 11", "Sep 12", "September 13, 2024", "Sept. 11th", "Sept. 11-13", "June 4 last year"; only a
    # capitalised month right before a day number, so "may 5", "the march" and "May 2024" never match.
    "month_day": re.compile(
        rf"(?P<month>{_FULL_MONTH}|{_SHORT_MONTH})(?:\.\s*|\s+)(?P<day>\d\d?){_ORDINAL}(?![\w.,]\d|\w)"
        rf"(?:\s*[-–]\s*(?P<last_day>\d\d?)(?!\d))?{_YEAR_AFTER_DAY}"
    ),
    "weekday": re.compile(
        rf"(?P<name>{_alternatives(_WEEKDAY_BY_NAME)})(?!\w)"
        r"(?!\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Mail|Sport|Independent|Star|World)\b)"
        r"(?:\s+(?P<week>last|this|next)\s+week\b)?"
    ),
    "relative": re.compile(rf"(?P<phrase>{_alternatives(_both_cases(_OFFSET_BY_RELATIVE_DAY))})(?!\w)"),
    "days_ago": re.compile(rf"(?P<count>\d\d?|{_alternatives(_both_cases(_NUMBER_BY_WORD))})\s+days?\s+ago\b"),
}
_EXPLICIT = frozenset({"iso", "day_month", "month_day"})
_DIGIT = re.compile(r"\d")
_WEEKDAY_MODIFIER = re.compile(r"\b(?P<modifier>[Ll]ast|[Nn]ext|[Tt]his\s+past|[Tt]his\s+coming|[Tt]his|[Ee]very)\s+$")
# Days that are names, not a day of this week: "Black Friday", "Good Friday", "Super Tuesday", "Mail on Sunday".
_NAMED_DAY_PREFIX = re.compile(
    r"\b(?:Black|Good|Cyber|Super|Ash|Holy|Easter|Bloody|Maundy|Palm|Giving|Fat|Shrove|Mail\s+on)\s+$"
)
# A weekday next to an explicit date ("Monday, Sept. 9", "Sept. 9 (Monday)") restates it.
_GAP = re.compile(r"[\s,(]*")
_LEADING_OPENERS = re.compile(r"[\s\"'“‘(\[—–-]*")

# Tense decides whether a bare weekday is the one before or after publication: the marker nearest before
# the weekday wins, else the first after it ("On Friday, Biden will meet..."), else past (news reports what
# happened). Words are read in Python rather than by one big regex: a dozen \b-led alternatives tried at
# every position cost several times more than splitting the sentence into words.
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_FUTURE_AUXILIARIES = frozenset({"will", "shall", "won't", "won’t"})
_LL = ("'ll", "’ll")
_FUTURE_AFTER_BE = frozenset({"expected", "scheduled", "set", "due", "slated", "poised", "going", "planning",
                              "preparing"})
_FUTURE_BEFORE_TO = frozenset({"plan", "plans", "intend", "intends", "aim", "aims"})
_FUTURE_WORDS = frozenset({"upcoming", "planned", "scheduled", "expected", "proposed", "slated"})
# What may stand between a future auxiliary and the verb it governs: "will not be held", "is set to have".
_AUXILIARY_CHAIN = frozenset({"not", "be", "have", "been", "to"})
_PAST_WORDS = frozenset(
    """said told was were had did began met took made came went gave spoke held saw left fell rose struck sent won
    lost wrote got ran shot brought fought led flew drove became since ago""".split()
)
# Words ending in -ed that are not past tense.
_NOT_PAST = frozenset("need speed feed seed bed red shed hundred sacred proceed succeed exceed".split())


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets in the sentence
    end: int
    text: str  # as written, e.g. "Sept. 11"
    date: datetime.date


class _Found(NamedTuple):
    start: int
    end: int
    kind: str
    date: datetime.date | None  # None: a date-like phrase that names no single day (kept to shadow overlaps)


def find_dates(sentence: str, published: datetime.date | None) -> list[DateMention]:
    """Every mention in `sentence` that names one calendar day, in order; unresolvable ones are left out."""
    found: list[_Found] = []
    has_digit = _DIGIT.search(sentence) is not None
    has_day = "day" in sentence
    for kind, pattern in _PATTERNS.items():
        if not _may_match(kind, sentence, has_digit, has_day):
            continue
        read = _READERS[kind]
        for match in pattern.finditer(sentence):
            item = read(sentence, match, published)
            if item is not None:
                found.append(item)
    if not found:
        return []
    found.sort(key=lambda item: (item.start, -item.end))

    kept: list[_Found] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    mentions = []
    for index, item in enumerate(kept):
        if item.date is None or (item.kind == "weekday" and _restates_explicit_date(sentence, kept, index)):
            continue
        mentions.append(DateMention(item.start, item.end, sentence[item.start:item.end], item.date))
    return mentions


def _may_match(kind: str, sentence: str, has_digit: bool, has_day: bool) -> bool:
    """Cheap tests that rule a form out: most sentences name no day and skip most scans."""
    if kind in _EXPLICIT:
        return has_digit
    if kind == "weekday":
        return has_day
    if kind == "relative":
        return has_day or any(core in sentence for core in ("night", "morrow", "morning", "afternoon", "evening"))
    return "ago" in sentence


def _starts_word(sentence: str, start: int) -> bool:
    return start == 0 or not (sentence[start - 1].isalnum() or sentence[start - 1] == "_")


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _read_iso(sentence: str, match: re.Match[str], published: datetime.date | None) -> _Found:
    date = _make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    return _Found(match.start(), match.end(), "iso", date)


def _read_day_month(sentence: str, match: re.Match[str], published: datetime.date | None) -> _Found | None:
    return _read_calendar_day(sentence, match, "day_month", published)


def _read_month_day(sentence: str, match: re.Match[str], published: datetime.date | None) -> _Found | None:
    if not _starts_word(sentence, match.start()):
        return None
    return _read_calendar_day(sentence, match, "month_day", published)


def _read_calendar_day(sentence: str, match: re.Match[str], kind: str, published: datetime.date | None):
    end = match.end()
    first, last = int(match["day"]), match["last_day"]
    if last is not None and not first < int(last) <= 31:
        if kind == "month_day":  # "Sept. 11-5" is no range: the mention is "Sept. 11"
            end = match.end("day")
        else:
            return None
    name = match["month"].rstrip(".")
    month = _MONTH_BY_NAME.get(name) or _MONTH_BY_ABBREVIATION[name]
    date = _resolve_month_day(sentence, match, month, first, published)
    return _Found(match.start(), end, kind, date)


def _resolve_month_day(sentence: str, match: re.Match[str], month: int, day: int,
                       published: datetime.date | None) -> datetime.date | None:
    """A range ("Sept. 11-13") resolves to its first day: the timeline places an event where it begins."""
    if match["year"]:
        return _make_date(int(match["year"]), month, day)
    for event_month, event_day, year, follower in _NAMED_EVENTS:
        if (month, day) == (event_month, event_day) and follower.match(sentence, match.end()):
            return _make_date(year, month, day)
    if published is None:
        return None
    if match["year_word"]:
        shift = {"last": -1, "this": 0, "next": 1}[match["year_word"]]
        return _make_date(published.year + shift, month, day)
    return _nearest_year(month, day, published)


def _nearest_year(month: int, day: int, published: datetime.date) -> datetime.date | None:
    """The year that puts month/day nearest `published`; on a tie, the earlier one."""
    best = None
    for year in (published.year - 1, published.year, published.year + 1):
        candidate = _make_date(year, month, day)
        if candidate and (best is None or abs((candidate - published).days) < abs((best - published).days)):
            best = candidate
    return best


def _read_weekday(sentence: str, match: re.Match[str], published: datetime.date | None) -> _Found | None:
    start = match.start()
    if not _starts_word(sentence, start) or _NAMED_DAY_PREFIX.search(sentence, max(0, start - 12), start):
        return None
    modifier_match = _WEEKDAY_MODIFIER.search(sentence, max(0, start - 14), start)
    modifier = modifier_match["modifier"].lower().split() if modifier_match else []
    if modifier_match:
        start = modifier_match.start()
    if published is None or modifier == ["every"]:
        return _Found(start, match.end(), "weekday", None)
    return _Found(start, match.end(), "weekday", _resolve_weekday(sentence, match, modifier, published))


def _resolve_weekday(sentence: str, match: re.Match[str], modifier: list[str],
                     published: datetime.date) -> datetime.date:
    target = _WEEKDAY_BY_NAME[match["name"]]
    if match["week"]:  # "Tuesday last week": ISO weeks, Monday first
        monday = published - published.weekday() * _DAY
        shift = {"last": -7, "this": 0, "next": 7}[match["week"]]
        return monday + (shift + target) * _DAY
    ahead = (target - published.weekday()) % 7
    behind = (published.weekday() - target) % 7
    # "last Tuesday" said on a Wednesday is the day before, as "next Tuesday" is six days on: the nearest one
    # on that side, never the publication day itself.
    if modifier in (["last"], ["this", "past"]):
        return published - (behind or 7) * _DAY
    if modifier in (["next"], ["this", "coming"]):
        return published + (ahead or 7) * _DAY
    if ahead == 0:
        return published
    if _is_future(sentence, match.start(), match.end()):
        return published + ahead * _DAY
    return published - behind * _DAY


def _is_future(sentence: str, start: int, end: int) -> bool:
    before = list(_tenses(_lower_case_words(sentence, 0, start)))
    if before:
        return before[-1] == "future"
    return next(_tenses(_lower_case_words(sentence, end, len(sentence))), None) == "future"


def _lower_case_words(sentence: str, start: int, end: int) -> list[str]:
    """Names are no tense markers ("United" is not past), so capitalised words are dropped ("We'll" stays)."""
    return [word for word in _WORD.findall(sentence, start, end) if word[0].islower() or word.endswith(_LL)]


def _tenses(words: list[str]):
    """The tense markers among `words`, in order; a future auxiliary takes the verb it governs with it, so
    "will be held" is one future marker and not a future and a past one."""
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if (word in _FUTURE_AUXILIARIES or word.endswith(_LL)
                or (word in ("is", "are", "am") and following in _FUTURE_AFTER_BE)):
            yield "future"
            index += 1
            while index < len(words) and (words[index] in _AUXILIARY_CHAIN or words[index] in _FUTURE_AFTER_BE):
                index += 1
            index += 1
            continue
        if word in _FUTURE_WORDS or (word in _FUTURE_BEFORE_TO and following == "to"):
            yield "future"
        elif word in _PAST_WORDS or (word.endswith("ed") and word not in _NOT_PAST):
            yield "past"
        index += 1


def _read_relative_day(sentence: str, match: re.Match[str], published: datetime.date | None) -> _Found | None:
    start = match.start()
    if not _starts_word(sentence, start):
        return None
    phrase = match["phrase"]
    # Capitalised mid-sentence it is a name: "USA Today", "Russia Today", the "Today" programme.
    if phrase[0].isupper() and _LEADING_OPENERS.fullmatch(sentence, 0, start) is None:
        return None
    date = None if published is None else published + _OFFSET_BY_RELATIVE_DAY[" ".join(phrase.lower().split())] * _DAY
    return _Found(start, match.end(), "relative", date)


def _read_days_ago(sentence: str, match: re.Match[str], published: datetime.date | None) -> _Found | None:
    if not _starts_word(sentence, match.start()):
        return None
    count = match["count"].lower()
    days = int(count) if count.isdigit() else _NUMBER_BY_WORD[count]
    date = None if published is None else published - days * _DAY
    return _Found(match.start(), match.end(), "days_ago", date)


_READERS = {
    "iso": _read_iso,
    "day_month": _read_day_month,
    "month_day": _read_month_day,
    "weekday": _read_weekday,
    "relative": _read_relative_day,
    "days_ago": _read_days_ago,
}


def _restates_explicit_date(sentence: str, kept: list[_Found], index: int) -> bool:
    weekday = kept[index]
    if index + 1 < len(kept):
        following = kept[index + 1]
        if following.kind in _EXPLICIT and _GAP.fullmatch(sentence, weekday.end, following.start):
            return True
    if index > 0:
        preceding = kept[index - 1]
        if preceding.kind in _EXPLICIT and _GAP.fullmatch(sentence, preceding.end, weekday.start):
            return True
    return False

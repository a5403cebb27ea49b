"""Who speaks in a sentence: (sentence, its actor mention spans) -> one Attribution per speaking actor,
found by rules over the text around each speech verb and "according to" (no language model).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Attribution:
    actor: str  # actor slug of the speaker
    verb: str  # the speech verb as written, e.g. "said", "has long argued", "evaded directly saying"
    quote: str | None  # the quoted passage attributed to the speaker, without the quote marks, if any


Span = tuple[int, int, str]  # (start, end, actor slug) of a mention
Quote = tuple[int, int, str]  # (start, end) of a quoted passage with its marks, and its text without them

# (past tense = past participle, third person, -ing) of each speech verb. Base forms ("say", "claim") are
# left out on purpose: they only occur after "to", "will", "did not"..., which are not statements made.
_VERBS = [
    ("said", "says", "saying"), ("told", "tells", "telling"), ("reported", "reports", "reporting"),
    ("argued", "argues", "arguing"), ("claimed", "claims", "claiming"), ("stated", "states", "stating"),
    ("announced", "announces", "announcing"), ("warned", "warns", "warning"), ("added", "adds", "adding"),
    ("noted", "notes", "noting"), ("wrote", "writes", "writing"), ("insisted", "insists", "insisting"),
    ("denied", "denies", "denying"), ("confirmed", "confirms", "confirming"), ("urged", "urges", "urging"),
    ("accused", "accuses", "accusing"), ("asserted", "asserts", "asserting"), ("declared", "declares", "declaring"),
    ("stressed", "stresses", "stressing"), ("emphasized", "emphasizes", "emphasizing"),
    ("emphasised", "emphasises", "emphasising"), ("explained", "explains", "explaining"),
    ("acknowledged", "acknowledges", "acknowledging"), ("admitted", "admits", "admitting"),
    ("alleged", "alleges", "alleging"), ("commented", "comments", "commenting"),
    ("reiterated", "reiterates", "reiterating"), ("vowed", "vows", "vowing"), ("pledged", "pledges", "pledging"),
    ("promised", "promises", "promising"), ("threatened", "threatens", "threatening"),
    ("predicted", "predicts", "predicting"), ("conceded", "concedes", "conceding"),
    ("contended", "contends", "contending"), ("complained", "complains", "complaining"),
    ("criticized", "criticizes", "criticizing"), ("criticised", "criticises", "criticising"),
    ("condemned", "condemns", "condemning"), ("demanded", "demands", "demanding"),
    ("tweeted", "tweets", "tweeting"), ("revealed", "reveals", "revealing"), ("disclosed", "discloses", "disclosing"),
    ("hinted", "hints", "hinting"), ("cautioned", "cautions", "cautioning"), ("replied", "replies", "replying"),
]
_PAST = {past for past, _, _ in _VERBS} | {"written"}
_ING = {ing for _, _, ing in _VERBS}
# English puts these, and only these, before the speaker after a quote: "..., said Blinken."
_INVERTIBLE = {"said", "says", "added", "adds", "wrote", "writes", "noted", "notes", "reported", "reports",
               "argued", "claimed", "stated", "declared", "insisted", "warned", "explained"}

_ADVERBS = frozenset(
    "both also long again already still later earlier then now once first since even just too often always".split()
)
# Nouns and adjectives that end in -ly ("a U.S. ally said") must not pass for adverbs.
_NOT_ADVERBS = frozenset("""ally family supply reply assembly rally anomaly monopoly daily weekly monthly only early
    likely unlikely elderly friendly fly belly bully tally holy ugly""".split())
_ADV = rf"(?:{'|'.join(sorted(_ADVERBS))}|(?!(?:{'|'.join(sorted(_NOT_ADVERBS))})\b)[a-z]{{2,}}ly)"
_FORMS = frozenset(form for forms in _VERBS for form in forms)
# Phrases that speak as a whole; each starts with a word of _CUE.
_PHRASE = re.compile(
    rf"quoted\s+(?:by\s+[^,.;“”\"]{{1,60}}?\s+)?as\s+saying"
    rf"|(?:evaded|evades|evading|avoided|avoids|avoiding|stopped\s+short\s+of|stops\s+short\s+of)"
    rf"\s+(?:{_ADV}\s+)?saying"
    rf"|(?:called|calls|calling)\s+(?:on|for)\b"
    # "called the reports a provocation" names something in words, unlike "called a meeting"
    rf"|(?:called|calls|calling)(?=\s+(?:it|them|this|that|these|those|the\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:a|an|“|\"))"
    rf"|(?:ruled|rules|ruling)\s+out\b"
    rf"|(?:issued|issues|released|releases|published|publishes)\s+(?:a|an)\s+(?:[a-z]+\s+){{0,2}}"
    rf"(?:statement|communiqu[eé]|declaration)"
)
_PHRASE_STARTS = """quoted evaded evades evading avoided avoids avoiding stopped stops called calls calling ruled rules
    ruling issued issues released releases published publishes""".split()


def _alternation(words: list[str]) -> str:
    """A regex matching any of `words`, shaped as a trie: Python's re tries a flat alternation branch by
    branch at every position, which made rejecting a sentence without a speech verb 10 times slower."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(trie)


# One scan finds every word that can open a statement; a sentence without one costs only this search.
_CUE = re.compile(rf"\b{_alternation(sorted(_FORMS | set(_PHRASE_STARTS) | {'according', 'According'}))}\b")
_BE = frozenset("is are was were".split())
_HAVE = frozenset("has have had".split())

# Nouns that speak for the actor they belong to ("Russia's foreign ministry", "a White House spokesperson",
# "a Politico report"); "officials", "sources" or a named person not in the registry do not.
_VOICE = (r"(?i:spokes(?:man|woman|person|people|men|women)|press\s+secretary|press\s+office|ministry|ministries"
          r"|government|embassy|mission|foreign\s+office|state\s+department|administration|presidency|cabinet"
          r"|military|army|navy|air\s+force|armed\s+forces|general\s+staff|ambassador|envoy|delegation|office"
          r"|report|reports|article|story|statement|editorial|readout|analysis|assessment|investigation)")
_NAME = r"[A-Z][\w.’'-]*"
_SPOKESPERSON = r"(?i:spokes(?:man|woman|person)|press\s+secretary|ambassador|envoy)"
# A spokesperson's own name may follow ("Kremlin spokesman Dmitry Peskov said"): the words are still the
# institution's, unlike those of "U.S. Secretary of State Antony Blinken", who speaks for himself.
_VOICE_TAIL = (rf"(?:['’]s)?\s+(?:(?:[a-z]+|Foreign|Defen[cs]e|State|Interior|Justice|Press|Presidential)\s+){{0,2}}"
               rf"(?:{_SPOKESPERSON}(?:\s+{_NAME}){{1,4}}|{_SPOKESPERSON},(?:\s+{_NAME}){{1,4}},"
               rf"|{_VOICE}(?:\s+of\s+[A-Z][a-z]+)?)")
_MONTH_DAY = r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,\s+\d{4})?"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_ADJUNCT = (
    rf"(?:(?:late|early)\s+)?on\s+(?:{_WEEKDAY}|{_MONTH_DAY}|\d{{1,2}}\s+[A-Z][a-z]+)"
    rf"|(?:last|this|next)\s+(?:week|month|year|night|morning|{_WEEKDAY})"
    rf"|(?:earlier|later)\s+(?:this|that|on)\s+\w+|yesterday|today"
    rf"|(?:in|at|during|after|before|on)\s+(?:a|an|the|his|her|its|their)\s+(?:[a-z-]+\s+){{0,3}}[a-z-]+"
    rf"|(?:in|at|from|to)\s+(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,2}}"
    rf"|both|all|each|alone|themselves|himself|herself|itself"
)
# What may stand between a subject and its verb: a voice noun, one appositive between commas that holds a
# lowercase word ("Blinken, who arrived on Wednesday, said"; "Gomez, Panama coach, said"; a list "A, B,
# and C" has none), dates, short adverbial phrases and floating "both".
_GAP = re.compile(rf"(?:{_VOICE_TAIL})?(?:,\s+(?=[^,;:“”\"]*?\b[a-z])[\w.’'-][^,;:“”\"]*,)?(?:\s+(?:{_ADJUNCT}))*\s+")
_RELATIVE = re.compile(rf",\s+(?:who|which)(?:\s+(?:{_ADJUNCT}))*\s+")
_AND_POSSESSIVE = re.compile(r"\s+and\s+(?:his|her|its|their)\s+[\w.’' -]{1,40}?\s+")
_VOICE_APPOSITIVE = re.compile(rf"{_VOICE_TAIL},\s+")
_APPOSITIVE_OPEN = re.compile(r",\s+(?:a|an|the)\s+$")
_JOINER = re.compile(r"(?:,\s+|,?\s+and\s+)(?:the\s+)?")
_PREPOSITIONS = ("of|in|on|at|to|for|with|from|by|about|against|into|onto|over|under|toward|towards|between|among"
                 "|within|without|than|like|via|across|alongside|behind|near|through|throughout|upon"
                 "|despite|including|inside|outside|beyond|around|amid|per|versus")
_PREPOSITION_WORDS = frozenset(_PREPOSITIONS.split("|"))
# The last word of each voice noun: "a spokesperson for the White House said", "a report by Politico said"
# are the institution's words although the name follows a preposition.
_VOICE_ENDS = frozenset("""spokesman spokeswoman spokesperson spokespeople spokesmen spokeswomen secretary office
    ministry ministries government embassy mission department administration presidency cabinet military army
    navy force forces staff ambassador envoy delegation report reports article story statement editorial readout
    analysis assessment investigation""".split())
_DETERMINERS = frozenset("the The a A an An".split())
# A lowercase word before "A and B said" is usually a verb whose objects the list belongs to ("Russia attacked
# Ukraine and Blinken said"); only these words open a clause whose subject the whole list can be.
_OPENERS = frozenset(
    """that but and while as when after before because since although though if whereas so yet then where which
    who meanwhile however also now today yesterday separately earlier later instead moreover""".split()
)
_AFTER_COMMA_OR_QUOTE = re.compile(r"[,”\"’]\s*$")
_AND_BEFORE = re.compile(r"\b(?:and|but)\s+$")
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+")
_BY = re.compile(r"\s+by\s+")
# Before the head of a noun phrase that follows "said", "according to" or "by".
_LEAD = re.compile(
    rf"\s*(?:(?:the|a|an)\s+)?(?:(?:new|recent|latest|joint|separate)\s+)?"
    rf"(?:{_VOICE}\s+(?:by|from|in|of|for|at)\s+(?:the\s+)?)?"
)
_TITLE_WORD = re.compile(r"[A-Z][\w.’'-]*|(?:of|the|for)(?=\s+[A-Z])")
_SPACE = re.compile(r"\s+")
_FOLLOW = (r"and|or|who|which|whose|on|in|at|during|after|before|ahead|when|while|as|to|that|from|with|without"
           r"|for|about|late|early|last|this|earlier|later|yesterday|today|tomorrow|again|also|too|adding|noting"
           r"|of|citing|saying|via|over")
# Where the head of a noun phrase ends: anything else after it ("U.S. officials") makes it a modifier.
_HEAD_END = re.compile(rf"['’]s\b|\s+{_VOICE}\b|\s*(?:[,.;:!?)\]—–]|$)|\s+(?:{_FOLLOW}|{_ADV})\b")
_TITLE_TOKEN = re.compile(r"[A-Z][\w.’'-]*|of|the|for|[Bb]oth|an?")
_BEFORE_CLAUSE = re.compile(r"[\s,]*$")
_LOWERCASE_NEXT = re.compile(r"\s+[a-z]")
# The comma (and a sentence's full stop) before a closing quote is typography, not the speaker's words;
# the stop of an abbreviation ("the U.S.") is kept.
_QUOTE_END = re.compile(r"(?:,|(?<![A-Z])\.)\s*$")
# Verbs with a common sense that is no speech: they count only when words, not an object, follow.
_NEEDS_WORDS = frozenset("added adds conceded concedes admitted admits".split())
_WORDS_FOLLOW = re.compile(r"\s*(?:[,:;.!?—–“\"]|$|\s+(?:that|on|in|later|during|when|while|after|before)\b)")
_AFTER_COMMA = re.compile(r",\s*$")
_TRAILING_ADJUNCTS = re.compile(rf"(?:\s+(?:{_ADJUNCT}))*\s*,\s*")
# How far before its verb a subject may stand: past any appositive worth the name, and it keeps a
# run-on "sentence" (a table or list without full stops) linear.
_REACH = 300
_QUOTE_MARK = re.compile("[“”\"‘’]")


@dataclass(frozen=True)
class _Clause:
    speakers: tuple[Span, ...]
    verb: str
    start: int  # where the attribution begins: the subject's noun phrase, or the verb when it comes first
    verb_end: int  # where the speaker's words may begin
    end: int


def find_statements(sentence: str, mentions: Sequence[Span]) -> list[Attribution]:
    """The actors who speak in `sentence`, in order of appearance, each with its first verb and its quotes.

    A speaker is the subject of a speech verb (or the subject of a voice noun: "Russia's foreign ministry
    said"), the head after an inverted verb ("..., said Blinken"), after "according to", or the agent of a
    passive ("was told by X"); never an addressee, an object, the subject of a passive, or a name inside a
    prepositional phrase or inside a quote. Negated, future and infinitive forms ("did not say", "will
    announce", "declined to comment") are not statements.
    """
    if not mentions:
        return []
    cue = _CUE.search(sentence)
    if not cue:
        return []
    quotes = _find_quotes(sentence)
    spans = sorted(span for span in mentions if not _inside(span[0], quotes))
    starts = {span[0]: span for span in spans}
    clauses: list[_Clause] = []
    according: list[_Clause] = []
    consumed = 0
    while cue:
        start, end, word = cue.start(), cue.end(), cue.group()
        cue = _CUE.search(sentence, end)
        if start < consumed or _inside(start, quotes):
            continue
        if word in ("according", "According"):
            to = _ACCORDING.match(sentence, start)
            heads, phrase_end = _heads_after(sentence, to.end(), starts) if to else ((), 0)
            if heads:
                according.append(_Clause(heads, "according to", start, to.end(), phrase_end))
            continue
        phrase = _PHRASE.match(sentence, start)
        if phrase:
            end = consumed = phrase.end()
        elif word not in _FORMS:
            continue
        verb_start, aux = _verb_prefix(sentence, start)
        clause = _clause_of_verb(sentence, verb_start, start, end, aux, spans, starts, clauses[-1] if clauses else None)
        if clause:
            clauses.append(clause)
    clauses += according
    if not clauses:
        return []
    clauses.sort(key=lambda clause: clause.start)
    quotes_by_clause = _assign_quotes(sentence, quotes, clauses)
    verb_by_actor: dict[str, str] = {}
    passages_by_actor: dict[str, set[tuple[int, str]]] = {}
    for _, index, actor in sorted((start, index, actor) for index, clause in enumerate(clauses)
                                  for start, _, actor in clause.speakers):
        verb_by_actor.setdefault(actor, clauses[index].verb)
        passages_by_actor.setdefault(actor, set()).update(quotes_by_clause.get(index, ()))
    return [
        Attribution(actor, verb, " … ".join(text for _, text in sorted(passages_by_actor[actor])) or None)
        for actor, verb in verb_by_actor.items()
    ]


def _inside(position: int, quotes: list[Quote]) -> bool:
    return any(start <= position < end for start, end, _ in quotes)


def _find_quotes(sentence: str) -> list[Quote]:
    """Quoted passages in curly double, straight double or curly single marks. A passage may have opened in
    an earlier sentence (a closing mark comes first) or go on into the next (no closing mark); a straight
    mark opens or closes by what stands around it, and ’ closes only a ‘, as it is also the apostrophe."""
    quotes: list[Quote] = []
    opened = -1
    for mark in _QUOTE_MARK.finditer(sentence):
        at, char = mark.start(), mark.group()
        before = sentence[at - 1] if at else " "
        after = sentence[at + 1] if at + 1 < len(sentence) else " "
        if char == "‘":
            if opened < 0 and not before.isalnum():
                opened = at
        elif char == "’":
            if opened >= 0 and sentence[opened] == "‘" and not after.isalnum():
                quotes.append((opened, at + 1, sentence[opened + 1:at]))
                opened = -1
        elif char == "“" or (char == '"' and (before.isspace() or before in "([—–") and not after.isspace()):
            if opened < 0:
                opened = at
        elif opened >= 0:
            quotes.append((opened, at + 1, sentence[opened + 1:at]))
            opened = -1
        elif not quotes:
            quotes.append((0, at + 1, sentence[:at]))
    if opened >= 0:
        quotes.append((opened, len(sentence), sentence[opened + 1:]))
    return quotes


def _clause_of_verb(sentence: str, verb_start: int, core_start: int, end: int, aux: str | None, spans: list[Span],
                    starts: dict[int, Span], previous: _Clause | None) -> _Clause | None:
    """The speakers of the speech verb at sentence[verb_start:end] (auxiliaries and adverbs first, then its
    core from `core_start`), given the clause before it in the sentence."""
    core = sentence[core_start:end]
    verb = sentence[verb_start:end]
    participle = core in _PAST
    inverted = (not aux and core in _INVERTIBLE
                and _AFTER_COMMA_OR_QUOTE.search(sentence, max(0, verb_start - 8), verb_start))
    if core in _NEEDS_WORDS and not inverted and not _WORDS_FOLLOW.match(sentence, end):
        return None  # "Ukraine added three brigades", "conceded a penalty": not words
    if core in _ING and aux != "be":
        # "..., saying that ...": a participle shares the subject of the clause it hangs off.
        if not _AFTER_COMMA.search(sentence, max(0, verb_start - 8), verb_start):
            return None
        if previous and _TRAILING_ADJUNCTS.fullmatch(sentence, previous.end, verb_start):
            return _Clause(previous.speakers, verb, verb_start, end, end)
        subjects = _clause_subject(sentence, verb_start, spans)
        return _Clause(subjects, verb, verb_start, end, end) if subjects else None
    if participle:
        by = _BY.match(sentence, end)
        if by:
            heads, phrase_end = _heads_after(sentence, by.end(), starts)
            if heads:
                return _Clause(heads, f"{verb} by", verb_start, end, phrase_end)
        if aux == "be":
            return None  # passive: "Politico was told" makes Politico the addressee
    if inverted:
        heads, phrase_end = _heads_after(sentence, end, starts)
        if heads:
            return _Clause(heads, verb, verb_start, end, phrase_end)
    subjects = _subjects_before(sentence, verb_start, spans)
    if not subjects and _AND_BEFORE.search(sentence, max(0, verb_start - 8), verb_start):
        subjects = _clause_subject(sentence, verb_start, spans)
    if not subjects:
        return None
    return _Clause(subjects, verb, _noun_phrase_start(sentence, subjects[0][0]), end, end)


def _subjects_before(sentence: str, verb_start: int, spans: list[Span]) -> tuple[Span, ...]:
    """The mention(s) heading the subject of the verb at `verb_start`, nearest first tried."""
    earlier = [span for span in spans if span[1] <= verb_start]
    for index in range(len(earlier) - 1, -1, -1):
        span = earlier[index]
        if verb_start - span[1] > _REACH:
            break
        if _RELATIVE.fullmatch(sentence, span[1], verb_start):
            return (span,)  # "with Blinken, who told him": the antecedent speaks, wherever it stands
        if not _GAP.fullmatch(sentence, span[1], verb_start):
            if _rare_subject(sentence, span, verb_start):
                return (span,)
            continue
        group = [span]
        for previous in reversed(earlier[:index]):
            joiner = _JOINER.fullmatch(sentence, previous[1], group[0][0])
            if not joiner:
                break
            if len(group) == 1 and "and" not in joiner.group():
                break  # "A, B said" is no list; the last joiner of a list holds "and"
            group.insert(0, previous)
        if _in_prepositional_phrase(sentence, group[0][0]):
            continue
        if len(group) > 1 and not _opens_clause(sentence, group[0][0]):
            group = group[-1:]
        return tuple(group)
    return ()


def _rare_subject(sentence: str, span: Span, verb_start: int) -> bool:
    """Two shapes that _GAP leaves out: "Lammy and his U.S. counterpart said" (a list whose second half is
    no actor) and "Kirby, a White House spokesman, said" (a voice in an appositive, its speaker unknown)."""
    if _AND_POSSESSIVE.fullmatch(sentence, span[1], verb_start):
        start = _noun_phrase_start(sentence, span[0])
        return _opens_clause(sentence, start) and not _in_prepositional_phrase(sentence, start)
    return bool(_VOICE_APPOSITIVE.fullmatch(sentence, span[1], verb_start)
                and _APPOSITIVE_OPEN.search(sentence, max(0, span[0] - 8), span[0]))


def _in_prepositional_phrase(sentence: str, start: int) -> bool:
    word_start, word = _previous_word(sentence, start)
    if word in _DETERMINERS:
        word_start, word = _previous_word(sentence, word_start)
    word = word.lower()
    if word not in _PREPOSITION_WORDS:
        return False
    voice = _previous_word(sentence, word_start)[1].lower()
    return not (word in ("for", "of", "by", "from", "at") and voice in _VOICE_ENDS)


def _opens_clause(sentence: str, start: int) -> bool:
    """Whether a noun phrase at `start` can be a subject: it follows the sentence's start, punctuation or a
    word in _OPENERS, never a lowercase verb ("attacked Ukraine and ...")."""
    word_start, word = _previous_word(sentence, start)
    if word in _DETERMINERS:
        word_start, word = _previous_word(sentence, word_start)
    if word in ("both", "Both"):
        word_start, word = _previous_word(sentence, word_start)
    return not (word.isalpha() and word.islower()) or word in _OPENERS


def _noun_phrase_start(sentence: str, start: int) -> int:
    """Where the title or determiners before the name at `start` begin: "U.S. Secretary of State Antony ..."."""
    for _ in range(12):
        word_start, word = _previous_word(sentence, start)
        if not word or not _TITLE_TOKEN.fullmatch(word):
            break
        start = word_start
    return start


def _verb_prefix(sentence: str, start: int) -> tuple[int, str | None]:
    """Where the speech verb at `start` begins once its auxiliary and adverbs are counted ("has long argued"),
    and the auxiliary's kind: "have" (active), "be" (passive or progressive) or None."""
    verb_start, aux = start, None
    word_start, word = _previous_word(sentence, start)
    while _is_adverb(word):
        verb_start = word_start
        word_start, word = _previous_word(sentence, word_start)
    if word == "been":
        verb_start, aux = word_start, "be"
        word_start, word = _previous_word(sentence, word_start)
        while _is_adverb(word):
            word_start, word = _previous_word(sentence, word_start)
        if word in _HAVE:
            verb_start = word_start
    elif word in _HAVE:
        verb_start, aux = word_start, "have"
    elif word in _BE:
        verb_start, aux = word_start, "be"
    return verb_start, aux


def _is_adverb(word: str) -> bool:
    return word in _ADVERBS or (word.endswith("ly") and len(word) > 3 and word.isalpha() and word.islower()
                                and word not in _NOT_ADVERBS)


def _previous_word(sentence: str, end: int) -> tuple[int, str]:
    """The white-space-delimited word before the white space that ends at `end`, and where it starts; ""
    when `end` follows no white space (the sentence's start, or punctuation such as “ or a hyphen)."""
    stop = end
    while stop > 0 and sentence[stop - 1].isspace():
        stop -= 1
    if stop == end:
        return end, ""
    begin = stop
    while begin > 0 and not sentence[begin - 1].isspace():
        begin -= 1
    return begin, sentence[begin:stop]


def _clause_subject(sentence: str, verb_start: int, spans: list[Span]) -> tuple[Span, ...]:
    """For "Blinken met Lammy and said", the subject the coordinated verb shares: the nearest mention
    that opens a clause (titles before it allowed) and is followed by a lowercase word, its verb."""
    for span in reversed([span for span in spans if verb_start - _REACH <= span[1] <= verb_start]):
        start = _noun_phrase_start(sentence, span[0])
        if _in_prepositional_phrase(sentence, start) or not _opens_clause(sentence, start):
            continue
        if _LOWERCASE_NEXT.match(sentence, span[1]):
            return (span,)
    return ()


def _heads_after(sentence: str, position: int, starts: dict[int, Span]) -> tuple[tuple[Span, ...], int]:
    """The mention(s) heading the noun phrase at `position` ("U.S. Secretary of State Antony Blinken" ->
    Blinken; "Blinken, Lammy and Starmer" -> all three), and where the phrase ends; nothing when its head
    is no actor ("said U.S. officials", "according to U.S. and Ukrainian officials")."""
    head, end = _head_of_run(sentence, _LEAD.match(sentence, position).end(), starts)
    if head is None or not _HEAD_END.match(sentence, end):
        return (), position
    heads, last_and = [head], 1
    while (joiner := _JOINER.match(sentence, end)) and sentence[joiner.end():joiner.end() + 1].isupper():
        head, next_end = _head_of_run(sentence, joiner.end(), starts)
        if head is None or not _HEAD_END.match(sentence, next_end):
            if "and" in joiner.group():
                return (), position  # "A and Unknown" shares its verb with a speaker we cannot name
            break
        heads.append(head)
        end = next_end
        if "and" in joiner.group():
            last_and = len(heads)
    # "according to Politico, Biden is ...": commas without a closing "and" list nothing.
    heads = heads[:last_and]
    return tuple(heads), heads[-1][1]


def _head_of_run(sentence: str, position: int, starts: dict[int, Span]) -> tuple[Span | None, int]:
    """The last mention in a run of title words and mentions; none when name words follow it."""
    last: Span | None = None
    length = len(sentence)
    while position < length:
        span = starts.get(position)
        if span:
            last, position = span, span[1]
        else:
            word = _TITLE_WORD.match(sentence, position)
            if not word:
                break
            last, position = None, word.end()
        space = _SPACE.match(sentence, position)
        if not space or not (space.end() in starts or _TITLE_WORD.match(sentence, space.end())):
            break
        position = space.end()
    return last, (last[1] if last else position)


def _assign_quotes(sentence: str, quotes: list[Quote], clauses: list[_Clause]) -> dict[int, list[tuple[int, str]]]:
    """Each quote to one clause: the clause right after it ("“...,” Blinken said"), else the nearest clause
    whose verb it follows ("Blinken said: “...”"), else the first clause after it."""
    by_clause: dict[int, list[tuple[int, str]]] = {}
    for start, end, text in quotes:
        text = _QUOTE_END.sub("", text.strip())
        if not text or (text[0].isupper() and _previous_word(sentence, start)[1] in ("on", "in", "at")):
            continue  # a title ("on “Face the Nation”") names a show or a paper, it is nobody's words
        chosen = None
        for index, clause in enumerate(clauses):
            if clause.start >= end and _BEFORE_CLAUSE.fullmatch(sentence, end, clause.start):
                chosen = index
                break
        if chosen is None:
            before = [index for index, clause in enumerate(clauses) if clause.verb_end <= start]
            after = [index for index, clause in enumerate(clauses) if clause.start >= end]
            chosen = before[-1] if before else (after[0] if after else None)
        if chosen is not None:
            by_clause.setdefault(chosen, []).append((start, text))
    return by_clause

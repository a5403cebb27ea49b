#!/usr/bin/env python3
"""Accuracy of the engine's detectors, printed as precision / recall / F1.

    python bench/accuracy.py               # all three parts
    python bench/accuracy.py --show 15     # also list the commonest misses and false alarms

1. Mention detection (briefing.mentions.MentionMatcher) on ../shared/corpora/gum-wikinews/: 24 real
   Wikinews articles with gold entity mentions linked to Wikipedia identities (GUM corpus; text CC BY 2.5
   Wikinews, annotations CC BY 4.0, github.com/amir-zeldes/gum).
   The actor registry is built from the gold itself, as an analyst would write it after reading the
   articles: every gold mention that has a Wikipedia identity and contains a proper noun gives a surface
   form for that identity, trimmed to its proper-noun core. Gold mentions are whole noun phrases
   ("U.S. President Donald Trump's"), so the core is found by
     - dropping a trailing possessive ('s, ’s, ');
     - cutting out nested gold mentions of other identities ("U.S." inside the Trump phrase);
     - splitting what is left into runs of capitalised words (lower-case "of", "the", "de"... may join
       two of them: "Daughters of the American Revolution") and dropping leading articles and personal
       titles ("President", "Ambassador", "Mr."...);
     - for a person, ending the phrase at an "of", "for" or "from" that follows a name ("Alvin Yeung
       of Civic Party", but not "Secretary of State John Kerry") and keeping what follows the last
       title ("US President Barack Obama");
     - dropping a lone capitalised modifier ("Afghan" in "Afghan team", or a word glued to a cut-out
       mention);
     - keeping, for a person, the last run (English names come last: "Afghan Ambassador ... Hamdullah
       Mohib"), otherwise the longest (the last on a tie).
   A core that is only a title, or a lower-case word, gives no form. One-word cores such as "Church" or
   "University" are kept as the gold gives them, though an analyst might not register them. As in the
   engine's own alias index, a form claimed by two identities is left out. Gold mentions without a
   proper noun ("the team", "he") are out of reach of any name matcher and are not counted.
   Scores:
     - per identity and document: gold = the identities with at least one proper-noun mention in the
       document; predicted = the identities the matcher finds there. Counts each pair once, which is how
       an actor page lists its documents.
     - by span overlap: a predicted mention is right when it overlaps a gold proper-noun mention of the
       same identity; a gold mention is found when some right prediction overlaps it. A matcher that
       finds "Trump" inside "President Donald Trump's" is right for that whole gold phrase.
   Because the registry comes from the same gold, recall here measures the matcher (word boundaries,
   longest match, ambiguity), not how complete a hand-written registry would be; precision measures how
   often a registered name appears where the gold does not link it to that identity.

2. Statement attribution (briefing.statements.find_statements) on tests/data/statements.jsonl: each line
   gives a sentence, its actors (surface form -> slug) and the speakers in order. The mentions passed in
   are what MentionMatcher finds with that sentence's `actors` as the alias index. Scored over (sentence,
   speaker) pairs; also the share of sentences whose speaker list is exactly right.

3. Date resolution (briefing.dates.find_dates) on tests/data/dates.jsonl: each line gives a sentence, the
   publication date and the dates it names. Scored over (sentence, resolved date) pairs, and again over
   (sentence, text as written, date) triples.

Parts 2 and 3 are skipped, with a message, when their module or labelled set is missing.
"""
from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.mentions import MentionMatcher  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "gum-wikinews"
STATEMENTS = REPO / "tests" / "data" / "statements.jsonl"
DATES = REPO / "tests" / "data" / "dates.jsonl"

TITLES = frozenset(
    """president vice prime minister secretary foreign defense defence chancellor senator sen governor gov
    general gen admiral colonel col lieutenant lt sergeant ambassador envoy spokesman spokeswoman
    spokesperson mayor king queen prince princess pope judge justice chairman director commissioner premier
    mr mrs ms dr prof professor sir lord lady speaker former state chief deputy acting first
    administrator ceo chair""".split()
)
ARTICLES = frozenset({"the", "a", "an"})
CONNECTORS = frozenset("of the for de da du del der van von al bin la le and &".split())
PREPOSITIONS = frozenset("in at of for from on to with by who which that and or as".split())
PERSON_ENDS = frozenset({"of", "for", "from", "and"})
CUT = "\0"  # stands for each character of a nested mention that was cut out


def shown(path: Path) -> str:
    """Paths under the repository's parent folder as the user would type them from the repository."""
    path = path.absolute()
    return os.path.relpath(path, REPO) if path.is_relative_to(REPO.parent) else str(path)


# --- part 1: mentions -------------------------------------------------------------------------------

def load_corpus(corpus: Path) -> list[dict]:
    documents = []
    for line in (corpus / "gold_mentions.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record["text"] = (corpus / record["file"]).read_text(encoding="utf-8")
        documents.append(record)
    return documents


def named_mentions(document: dict) -> list[dict]:
    return [m for m in document["mentions"] if m["identity"] and m["has_propn"]]


def proper_noun_core(text: str, mention: dict, others: list[dict]) -> str | None:
    """The name inside a gold noun phrase, as described in the module docstring."""
    start, end = mention["start"], mention["end"]
    chars = list(text[start:end])
    for other in others:
        nested = start <= other["start"] and other["end"] <= end and (other["start"], other["end"]) != (start, end)
        if nested and other["identity"] != mention["identity"]:
            chars[other["start"] - start:other["end"] - start] = CUT * (other["end"] - other["start"])
    phrase = re.sub(r"(?:['’]s|(?<=s)['’])(?=\s|\0|$)", "", "".join(chars))
    person = mention["type"] == "person"
    cores = []
    for run, after in capitalised_runs(phrase, person):
        if person:  # what follows the last title is the name: "US President Barack Obama"
            titles = [i for i, word in enumerate(run) if word.lower().rstrip(".") in TITLES]
            run = run[titles[-1] + 1:] if titles else run
        while run and (run[0].lower() in ARTICLES or run[0].lower().rstrip(".") in TITLES or run[0].lower() in CONNECTORS):
            run = run[1:]
        while run and run[-1].lower() in CONNECTORS:
            run = run[:-1]
        if not run or not run[0][:1].isupper():
            continue
        if len(run) == 1 and (after == CUT or after[:1].islower() and after.lower() not in PREPOSITIONS):
            continue  # a modifier, not the head: "Afghan" in "Afghan team", "National" before a cut-out name
        cores.append(" ".join(run))
    if not cores:
        return None
    if person:
        return cores[-1]
    return max(reversed(cores), key=lambda core: len(core.split()))


def capitalised_runs(phrase: str, person: bool) -> list[tuple[list[str], str]]:
    """(run of capitalised words, the word that ended it; CUT for a cut-out mention) in order."""
    runs: list[tuple[list[str], str]] = []
    current: list[str] = []
    for word in re.findall(r"\0+|[^\s\0]+", phrase):
        if word.startswith(CUT):
            runs.append((current, CUT))
            current = []
            continue
        word = word.strip(",;:()\"“”")
        lower = word.lower()
        if word[:1].isupper() or (word[:1].isdigit() and current):
            current.append(word)
        elif lower in CONNECTORS and current and not (person and lower in PERSON_ENDS):
            current.append(word)
        else:
            runs.append((current, word))
            if person and lower in PERSON_ENDS and any(w.lower().rstrip(".") not in TITLES for w in current):
                return runs  # the name came before: "Alvin Yeung of Civic Party"
            current = []
    runs.append((current, ""))
    return runs


def build_registry(documents: list[dict]) -> tuple[dict[str, str], set[str]]:
    """(surface form -> identity, the identities that got at least one form)."""
    claims: dict[str, set[str]] = {}
    for document in documents:
        mentions = named_mentions(document)
        for mention in mentions:
            core = proper_noun_core(document["text"], mention, mentions)
            if core:
                claims.setdefault(core, set()).add(mention["identity"])
    alias_index = {form: next(iter(ids)) for form, ids in claims.items() if len(ids) == 1}
    return alias_index, set(alias_index.values())


def score(right: int, predicted: int, gold_found: int, gold: int) -> tuple[float, float, float]:
    precision = right / predicted if predicted else 0.0
    recall = gold_found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def print_scores(label: str, right: int, predicted: int, gold_found: int, gold: int) -> None:
    precision, recall, f1 = score(right, predicted, gold_found, gold)

    def percent(value: float, defined: bool) -> str:
        return f"{value:6.1%}" if defined else "   n/a"

    print(
        f"  {label:<32} precision {percent(precision, predicted > 0)} ({right}/{predicted})"
        f"   recall {percent(recall, gold > 0)} ({gold_found}/{gold})   F1 {percent(f1, predicted > 0 and gold > 0)}"
    )


def bench_mentions(corpus: Path, show: int) -> None:
    print(f"Mention detection: {shown(corpus)}")
    if not (corpus / "gold_mentions.jsonl").is_file():
        print("  skipped: gold_mentions.jsonl not found")
        return
    documents = load_corpus(corpus)
    alias_index, identities = build_registry(documents)
    matcher = MentionMatcher(alias_index)
    gold_pairs, predicted_pairs = set(), set()
    span_right = span_predicted = gold_found = gold_spans = 0
    misses, false_alarms = Counter(), Counter()
    for document in documents:
        doc, text = document["doc_id"], document["text"]
        gold = named_mentions(document)
        matches = matcher.find(text)
        gold_pairs |= {(doc, m["identity"]) for m in gold}
        predicted_pairs |= {(doc, match.actor) for match in matches}
        found = [False] * len(gold)
        for match in matches:
            hits = [i for i, m in enumerate(gold) if m["identity"] == match.actor and match.start < m["end"] and m["start"] < match.end]
            for i in hits:
                found[i] = True
            span_predicted += 1
            span_right += bool(hits)
            if not hits:
                false_alarms[f"{text[match.start:match.end]} -> {match.actor}"] += 1
        gold_spans += len(gold)
        gold_found += sum(found)
        misses.update(f"{m['text']} ({m['identity']})" for m, hit in zip(gold, found) if not hit)
    pair_right = len(gold_pairs & predicted_pairs)
    named = {m["identity"] for document in documents for m in named_mentions(document)}
    print(f"  {len(documents)} documents; {len(identities)} of {len(named)} named gold identities used, with "
          f"{len(alias_index)} surface forms; {gold_spans} gold proper-noun mentions with an identity")
    print_scores("per identity and document", pair_right, len(predicted_pairs), pair_right, len(gold_pairs))
    print_scores("by span overlap", span_right, span_predicted, gold_found, gold_spans)
    if show:
        print(f"  commonest misses: {', '.join(f'{name} x{n}' for name, n in misses.most_common(show))}")
        print(f"  commonest false alarms: {', '.join(f'{name} x{n}' for name, n in false_alarms.most_common(show))}")


# --- parts 2 and 3: labelled sets -------------------------------------------------------------------



def load_labelled(path: Path, module: str, function: str, what: str):
    """(records, the function under test), or None after saying why the part is skipped."""
    try:
        tested = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as error:
        print(f"  skipped: {module}.{function} is not available yet ({error})")
        return None
    if not path.is_file():
        print(f"  skipped: {shown(path)} not found; the {what} set is written alongside {module}")
        return None
    records, bad = [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            bad += 1
            print(f"  {shown(path)}:{number}: not JSON ({error.msg}); line skipped")
    if not records:
        print(f"  skipped: {shown(path)} has no records yet")
        return None
    if len(records) < 60:
        print(f"  note: only {len(records)} labelled sentences so far (the set is meant to reach 60+)")
    return records, tested


def bench_statements(path: Path, show: int) -> None:
    print(f"Statement attribution: {shown(path)}")
    loaded = load_labelled(path, "briefing.statements", "find_statements", "statements")
    if loaded is None:
        return
    records, find_statements = loaded
    right = predicted = gold = exact = 0
    wrong = []
    for number, record in enumerate(records):
        sentence = record["sentence"]
        matches = MentionMatcher(record.get("actors", {})).find(sentence)
        speakers = list(dict.fromkeys(a.actor for a in find_statements(sentence, [(m.start, m.end, m.actor) for m in matches])))
        expected = list(dict.fromkeys(record.get("speakers", [])))
        right += len(set(speakers) & set(expected))
        predicted += len(speakers)
        gold += len(expected)
        exact += speakers == expected
        if speakers != expected:
            wrong.append(f"    {sentence[:100]!r}: got {speakers}, expected {expected}")
    print(f"  {len(records)} sentences, {gold} labelled speakers")
    print_scores("speakers", right, predicted, right, gold)
    print(f"  sentences exactly right: {exact}/{len(records)} ({exact / len(records):.1%})")
    if show and wrong:
        print("  wrong:\n" + "\n".join(wrong[:show]))


def bench_dates(path: Path, show: int) -> None:
    print(f"Date resolution: {shown(path)}")
    loaded = load_labelled(path, "briefing.dates", "find_dates", "dates")
    if loaded is None:
        return
    records, find_dates = loaded
    counts = {"dates": [0, 0, 0], "text and date": [0, 0, 0]}  # right, predicted, gold
    exact = 0
    wrong = []
    for number, record in enumerate(records):
        published = datetime.date.fromisoformat(record["published"]) if record.get("published") else None
        found = find_dates(record["sentence"], published)
        got = {(d.text, d.date.isoformat()) for d in found}
        expected = {(d["text"], d["date"]) for d in record.get("dates", [])}
        for label, key in (("dates", lambda pair: pair[1]), ("text and date", lambda pair: pair)):
            got_keys, expected_keys = {key(p) for p in got}, {key(p) for p in expected}
            counts[label][0] += len(got_keys & expected_keys)
            counts[label][1] += len(got_keys)
            counts[label][2] += len(expected_keys)
        exact += got == expected
        if got != expected:
            wrong.append(f"    {record['sentence'][:100]!r} ({published}): got {sorted(got)}, expected {sorted(expected)}")
    print(f"  {len(records)} sentences, {counts['dates'][2]} labelled dates")
    for label, (right, predicted, gold) in counts.items():
        print_scores(f"resolved {label}", right, predicted, right, gold)
    print(f"  sentences exactly right: {exact}/{len(records)} ({exact / len(records):.1%})")
    if show and wrong:
        print("  wrong:\n" + "\n".join(wrong[:show]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the gum-wikinews folder")
    parser.add_argument("--statements", type=Path, default=STATEMENTS)
    parser.add_argument("--dates", type=Path, default=DATES)
    parser.add_argument("--show", type=int, default=0, metavar="N", help="list up to N errors per part")
    args = parser.parse_args()
    bench_mentions(args.corpus, args.show)
    print()
    bench_statements(args.statements.absolute(), args.show)
    print()
    bench_dates(args.dates.absolute(), args.show)


if __name__ == "__main__":
    main()

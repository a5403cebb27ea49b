"""Actors + annotated documents -> Graph: who appears where, with whom, and which briefings relate.

Everything is built from inverted indexes (actor -> documents, sentence -> actors), never by comparing
documents pairwise, so the cost grows with the number of mentions, not with documents squared.
"""
from __future__ import annotations

import datetime
import functools
import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Iterator

from .. import urls
from ..diagnostics import Diagnostics, Location
from ..mentions import MentionMatcher
from ..model import Actor, AnnotatedDocument, Mention

RELATED_LIMIT = 5
# Related briefings are looked for among this many neighbours (by date) in each shared actor's list,
# which keeps an actor named in every document from making the search quadratic.
RELATED_WINDOW = 8
EVIDENCE_LIMIT = 3


@dataclass(frozen=True)
class Quote:
    """A sentence naming an actor, linked to the actor's first mention in it."""

    anchor: str
    text: str
    highlights: tuple[tuple[int, int], ...]  # (start, end) of each of the actor's mentions in `text`


@dataclass(frozen=True)
class Appearance:
    """The sentences of one document that name an actor."""

    document: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Evidence:
    document: str
    anchor: str
    sentence: str


@dataclass(frozen=True)
class Connection:
    actor: str
    weight: int  # sentences naming both actors
    evidence: tuple[Evidence, ...]  # the first few of those sentences, newest document first


@dataclass(frozen=True)
class Remark:
    """A statement placed in its document, ready to list."""

    actor: str
    document: str
    anchor: str  # the sentence's element id
    text: str  # the whole sentence
    verb: str
    quote: str | None
    date: datetime.date | None


@dataclass(frozen=True)
class Event:
    """A dated sentence placed in its document, ready to list."""

    date: datetime.date
    date_text: str
    document: str
    anchor: str
    text: str
    actors: tuple[str, ...]


@dataclass(frozen=True)
class ActorStats:
    mentions: int = 0
    documents: int = 0
    first_seen: datetime.date | None = None
    last_seen: datetime.date | None = None


@dataclass(frozen=True)
class Graph:
    actors: tuple[Actor, ...]  # by slug
    actor_by_slug: dict[str, Actor]
    documents: tuple[AnnotatedDocument, ...]  # newest first, undated last
    document_by_slug: dict[str, AnnotatedDocument]
    neighbours: dict[str, tuple[str | None, str | None]]  # document -> (older, newer)
    stats_by_actor: dict[str, ActorStats]
    appearances_by_actor: dict[str, tuple[Appearance, ...]]  # newest document first
    connections_by_actor: dict[str, tuple[Connection, ...]]  # strongest first
    actor_counts_by_document: dict[str, tuple[tuple[str, int], ...]]  # most mentioned first
    related_by_document: dict[str, tuple[str, ...]]
    source_actor_by_document: dict[str, str]
    remarks_by_actor: dict[str, tuple[Remark, ...]]  # newest first
    remarks_by_document: dict[str, tuple[Remark, ...]]  # in text order
    events: tuple[Event, ...]  # oldest first
    events_by_actor: dict[str, tuple[Event, ...]]  # oldest first
    edges: tuple[tuple[str, str, int], ...]  # (actor, other actor, shared sentences), actor < other, strongest first

    @functools.cached_property
    def members_by_actor(self) -> dict[str, tuple[Actor, ...]]:
        """Actor -> the actors naming it among their affiliations, by slug. Made when first asked for, once
        per graph; a page reads its own entry, so its renderer records only that lookup."""
        members: dict[str, list[Actor]] = defaultdict(list)
        for actor in self.actors:
            for parent in actor.affiliation:
                members[parent].append(actor)
        return {parent: tuple(items) for parent, items in members.items()}


def listing_key(document: AnnotatedDocument) -> tuple:
    """Newest first, then by slug; undated documents last."""
    date = document.date
    return (date is None, -(date.toordinal()) if date else 0, document.slug)


@dataclass(frozen=True)
class _Share:
    """One document's part of the graph, made from that document alone."""

    actor_counts: tuple[tuple[str, int], ...]  # most mentioned first
    appearances: tuple[tuple[str, Appearance], ...]  # by actor slug
    pairs: tuple[tuple[tuple[str, str], Evidence], ...]  # (actor, other actor) -> the sentence naming both, in text order
    remarks: tuple[Remark, ...]  # in text order
    events: tuple[tuple[int, Event], ...]  # (sentence index, event), in the order the analysis found them


class CrosslinkMemo:
    """Crosslinking kept between the rebuilds of one preview session, so that one edited document costs
    little: each document's share of the graph by document object (the analysis cache hands back the very
    same object for a document it did not analyse again), and each document's related briefings with the
    actor lists they were ranked from, recomputed only where one of those lists changed; and each
    connection, handed back as the same object while its weight and evidence are the same, so that the
    preview's renderer finds an unchanged dossier's connections unchanged at an identity check. The graph
    made is equal to one made from nothing; a fresh memo remembers nothing."""

    def __init__(self) -> None:
        self._shares: dict[int, tuple[AnnotatedDocument, _Share]] = {}
        self._related: tuple[int, dict, dict, dict] | None = None  # (total, slugs by actor, actor counts, related)
        self._connections: dict[tuple[str, str], tuple[int, tuple[Evidence, ...], Connection, Connection]] = {}
        self._ranked: dict[str, tuple[tuple[Connection, ...], tuple[Connection, ...]]] = {}  # actor -> (connections, ranked)
        self._tables: _Tables | None = None
        self.shared = 0  # documents whose share the last build made anew
        self.patched = False  # whether the last build patched the tables of the one before

    def share(self, doc: AnnotatedDocument) -> _Share:
        known = self._shares.get(id(doc))
        if known is not None and known[0] is doc:
            return known[1]
        self.shared += 1
        made = _share(doc)
        self._shares[id(doc)] = (doc, made)
        return made

    def ranked_connections(self, actor: str, connections: list[Connection]) -> tuple[Connection, ...]:
        """An actor's connections strongest first, ties by actor; the last ranking again if they are the same."""
        made = tuple(connections)
        known = self._ranked.get(actor)
        if known is None or known[0] != made:
            known = (made, tuple(sorted(made, key=lambda c: (-c.weight, c.actor))))
            self._ranked[actor] = known
        return known[1]

    def keep_only(self, documents: tuple[AnnotatedDocument, ...]) -> None:
        kept = {id(doc) for doc in documents}
        self._shares = {key: value for key, value in self._shares.items() if key in kept}


def build_crosslinks(
    actors: tuple[Actor, ...], documents: list[AnnotatedDocument], alias_index: dict[str, str], memo: CrosslinkMemo | None = None
) -> Graph:
    memo = memo or CrosslinkMemo()
    memo.shared = 0
    actors = tuple(sorted(actors, key=lambda actor: actor.slug))
    actor_by_slug = {actor.slug: actor for actor in actors}
    listed = tuple(sorted(documents, key=listing_key))
    shares = [memo.share(doc) for doc in listed]
    memo.keep_only(listed)
    last = memo._tables
    changed = last.changed_positions(listed, shares) if last is not None else None
    memo.patched = changed is not None and len(changed) <= PATCH_LIMIT
    if memo.patched:
        tables = last.patched(listed, shares, changed)
        neighbours = last.neighbours  # the same documents in the same order
    else:
        tables = _Tables.made(listed, shares)
        # Older/newer chains: dated documents by date, then undated ones among themselves (never mixed).
        neighbours = {}
        for chain in ([d for d in reversed(listed) if d.date], [d for d in listed if not d.date]):
            for i, doc in enumerate(chain):
                neighbours[doc.slug] = (chain[i - 1].slug if i else None, chain[i + 1].slug if i + 1 < len(chain) else None)
    tables.neighbours = neighbours
    memo._tables = tables

    connections: dict[str, list[Connection]] = defaultdict(list)
    made_connections = {}
    for pair, weight in tables.pair_weights.items():
        first, second = pair
        evidence = tables.pair_evidence[pair]
        known = memo._connections.get(pair)
        if known is not None and known[0] == weight and known[1] == evidence:
            made_connections[pair] = known  # the same objects: the pages showing them compare them by identity
        else:
            made_connections[pair] = (weight, evidence, Connection(second, weight, evidence), Connection(first, weight, evidence))
        connections[first].append(made_connections[pair][2])
        connections[second].append(made_connections[pair][3])
    memo._connections = made_connections

    stats = {}
    for actor in actors:
        docs = tables.documents_by_actor.get(actor.slug, ())
        dates = [d.date for d in docs if d.date]
        stats[actor.slug] = ActorStats(
            mentions=tables.mention_counts.get(actor.slug, 0),
            documents=len(docs),
            first_seen=min(dates) if dates else None,
            last_seen=max(dates) if dates else None,
        )
    return Graph(
        actors=actors,
        actor_by_slug=actor_by_slug,
        documents=listed,
        document_by_slug={doc.slug: doc for doc in listed},
        neighbours=neighbours,
        stats_by_actor=stats,
        appearances_by_actor=tables.appearances,
        connections_by_actor={actor: memo.ranked_connections(actor, items) for actor, items in connections.items()},
        actor_counts_by_document=tables.actor_counts_by_document,
        related_by_document=find_related(listed, tables.actor_counts_by_document, tables.documents_by_actor, memo),
        source_actor_by_document=match_sources(listed, actor_by_slug, alias_index),
        remarks_by_actor=tables.remarks_by_actor,
        remarks_by_document=tables.remarks_by_document,
        events=tables.events,
        events_by_actor=tables.events_by_actor,
        edges=tuple((a, b, -w) for w, a, b in tables.edge_keys),
    )


# A rebuild that changed at most this many documents (same documents, same order) patches the last tables.
PATCH_LIMIT = 64


class _Tables:
    """The graph's tables that merge every document's share, with the sort keys they were ordered by, so that
    the next build of a preview session can patch them where a few documents changed instead of merging all
    10,000 shares again. Never changed once made: a patch makes new dictionaries (the pages of the last
    build, and what the preview's renderer recorded of them, still hold the old ones)."""

    listed: tuple[AnnotatedDocument, ...]
    shares: list[_Share]
    neighbours: dict[str, tuple[str | None, str | None]]
    mention_counts: dict[str, int]
    actor_counts_by_document: dict[str, tuple[tuple[str, int], ...]]
    pair_weights: dict[tuple[str, str], int]
    pair_evidence: dict[tuple[str, str], tuple[Evidence, ...]]
    appearances: dict[str, tuple[Appearance, ...]]
    documents_by_actor: dict[str, tuple[AnnotatedDocument, ...]]
    remarks_by_document: dict[str, tuple[Remark, ...]]
    remark_keys: dict[str, list[tuple]]  # actor -> [(-date ordinal, position, index, remark)], sorted
    remarks_by_actor: dict[str, tuple[Remark, ...]]
    event_keys: list[tuple]  # [(date, document, sentence, position, index, event)], sorted
    events: tuple[Event, ...]
    events_by_actor: dict[str, tuple[Event, ...]]
    edge_keys: list[tuple[int, str, str]]  # [(-weight, actor, other actor)], sorted

    @classmethod
    def made(cls, listed: tuple[AnnotatedDocument, ...], shares: list[_Share]) -> "_Tables":
        tables = cls()
        tables.listed, tables.shares = listed, shares
        appearances: dict[str, list[Appearance]] = defaultdict(list)
        mention_counts: Counter[str] = Counter()
        pair_sentences: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
        pair_weights: Counter[tuple[str, str]] = Counter()
        actor_counts_by_document = {}
        documents_by_actor: dict[str, list[AnnotatedDocument]] = defaultdict(list)
        for doc, share in zip(listed, shares):
            mention_counts.update(dict(share.actor_counts))
            actor_counts_by_document[doc.slug] = share.actor_counts
            for pair, evidence in share.pairs:
                pair_weights[pair] += 1
                if len(pair_sentences[pair]) < EVIDENCE_LIMIT:
                    pair_sentences[pair].append(evidence)
            for actor, appearance in share.appearances:
                appearances[actor].append(appearance)
                documents_by_actor[actor].append(doc)
        tables.mention_counts = dict(mention_counts)
        tables.actor_counts_by_document = actor_counts_by_document
        tables.pair_weights = dict(pair_weights)
        tables.pair_evidence = {pair: tuple(evidence) for pair, evidence in pair_sentences.items()}
        tables.appearances = {actor: tuple(items) for actor, items in appearances.items()}
        tables.documents_by_actor = {actor: tuple(docs) for actor, docs in documents_by_actor.items()}
        tables.remarks_by_document = {doc.slug: share.remarks for doc, share in zip(listed, shares)}
        # Sorted as plain tuples whose leading items never all tie (no key function: several times faster).
        remark_keys: dict[str, list[tuple]] = defaultdict(list)
        for key in sorted(_remark_keys(shares, range(len(shares)))):
            remark_keys[key[-1].actor].append(key)
        tables.remark_keys = dict(remark_keys)
        tables.remarks_by_actor = {actor: tuple(key[-1] for key in keys) for actor, keys in remark_keys.items()}
        tables.event_keys = sorted(_event_keys(shares, range(len(shares))))
        tables.events = tuple(key[-1] for key in tables.event_keys)
        events_by_actor: dict[str, list[Event]] = defaultdict(list)
        for event in tables.events:
            for actor in event.actors:
                events_by_actor[actor].append(event)
        tables.events_by_actor = {actor: tuple(items) for actor, items in events_by_actor.items()}
        tables.edge_keys = sorted((-w, a, b) for (a, b), w in tables.pair_weights.items())
        return tables

    def changed_positions(self, listed: tuple[AnnotatedDocument, ...], shares: list[_Share]) -> list[int] | None:
        """The positions whose share changed, when the documents are the same ones in the same order; else None."""
        if len(listed) != len(self.listed) or any(new.slug != old.slug or new.date != old.date for new, old in zip(listed, self.listed)):
            return None
        return [position for position, (new, old) in enumerate(zip(shares, self.shares)) if new is not old]

    def patched(self, listed: tuple[AnnotatedDocument, ...], shares: list[_Share], changed: list[int]) -> "_Tables":
        """These tables with the documents at `changed` positions swapped for their new versions."""
        tables = _Tables()
        tables.listed, tables.shares = listed, shares
        tables.mention_counts = dict(self.mention_counts)
        tables.actor_counts_by_document = dict(self.actor_counts_by_document)
        tables.pair_weights, tables.pair_evidence = dict(self.pair_weights), dict(self.pair_evidence)
        tables.appearances, tables.documents_by_actor = dict(self.appearances), dict(self.documents_by_actor)
        tables.remarks_by_document = dict(self.remarks_by_document)
        tables.remark_keys, tables.remarks_by_actor = dict(self.remark_keys), dict(self.remarks_by_actor)
        tables.events_by_actor = dict(self.events_by_actor)
        position_of = {doc.slug: position for position, doc in enumerate(listed)}
        changed_set = set(changed)
        pairs, appearing, remarking, dated = set(), set(), set(), set()
        for position in changed:
            old, new, doc = self.shares[position], shares[position], listed[position]
            for actor, count in old.actor_counts:
                tables.mention_counts[actor] -= count
                if not tables.mention_counts[actor]:
                    del tables.mention_counts[actor]
            for actor, count in new.actor_counts:
                tables.mention_counts[actor] = tables.mention_counts.get(actor, 0) + count
            tables.actor_counts_by_document[doc.slug] = new.actor_counts
            tables.remarks_by_document[doc.slug] = new.remarks
            for share in (old, new):
                pairs.update(pair for pair, _ in share.pairs)
                appearing.update(actor for actor, _ in share.appearances)
                remarking.update(remark.actor for remark in share.remarks)
                dated.update(actor for _, event in share.events for actor in event.actors)
        for actor in appearing:  # each actor's documents again, in listing order
            kept = [(appearance, doc) for appearance, doc in zip(self.appearances.get(actor, ()), self.documents_by_actor.get(actor, ()))
                    if position_of[doc.slug] not in changed_set]
            kept += [(appearance, listed[position]) for position in changed for name, appearance in shares[position].appearances if name == actor]
            kept.sort(key=lambda item: position_of[item[1].slug])
            if kept:
                tables.appearances[actor] = tuple(appearance for appearance, _ in kept)
                tables.documents_by_actor[actor] = tuple(doc for _, doc in kept)
            else:
                tables.appearances.pop(actor, None)
                tables.documents_by_actor.pop(actor, None)
        for pair in pairs:
            weight = self.pair_weights.get(pair, 0)
            for position in changed:
                weight += sum(named == pair for named, _ in shares[position].pairs) - sum(named == pair for named, _ in self.shares[position].pairs)
            if not weight:
                tables.pair_weights.pop(pair, None)
                tables.pair_evidence.pop(pair, None)
                continue
            # The first sentences naming both, in listing order, from the shorter of the two actors' lists.
            evidence: list[Evidence] = []
            first, second = (tables.documents_by_actor.get(actor, ()) for actor in pair)
            for doc in first if len(first) <= len(second) else second:
                evidence += [said for named, said in shares[position_of[doc.slug]].pairs if named == pair]
                if len(evidence) >= EVIDENCE_LIMIT:
                    break
            tables.pair_weights[pair], tables.pair_evidence[pair] = weight, tuple(evidence[:EVIDENCE_LIMIT])
        changed_edges = {(-self.pair_weights[pair], *pair) for pair in pairs if pair in self.pair_weights}
        tables.edge_keys = sorted([key for key in self.edge_keys if key not in changed_edges]
                                  + [(-tables.pair_weights[pair], *pair) for pair in pairs if pair in tables.pair_weights])
        new_remarks: dict[str, list[tuple]] = defaultdict(list)
        for key in _remark_keys(shares, changed):
            new_remarks[key[-1].actor].append(key)
        for actor in remarking:
            keys = sorted([key for key in self.remark_keys.get(actor, ()) if key[1] not in changed_set] + new_remarks[actor])
            if keys:
                tables.remark_keys[actor], tables.remarks_by_actor[actor] = keys, tuple(key[-1] for key in keys)
            else:
                tables.remark_keys.pop(actor, None)
                tables.remarks_by_actor.pop(actor, None)
        tables.event_keys = sorted([key for key in self.event_keys if key[3] not in changed_set] + list(_event_keys(shares, changed)))
        tables.events = tuple(key[-1] for key in tables.event_keys)
        for actor in dated:
            named = tuple(event for event in tables.events if actor in event.actors)
            if named:
                tables.events_by_actor[actor] = named
            else:
                tables.events_by_actor.pop(actor, None)
        return tables


def _remark_keys(shares: list[_Share], positions) -> Iterator[tuple]:
    for position in positions:
        for index, remark in enumerate(shares[position].remarks):
            yield (-_ordinal(remark.date), position, index, remark)


def _event_keys(shares: list[_Share], positions) -> Iterator[tuple]:
    for position in positions:
        for index, (sentence, event) in enumerate(shares[position].events):
            yield (event.date, event.document, sentence, position, index, event)


def _share(doc: AnnotatedDocument) -> _Share:
    counts = Counter(mention.actor for mention in doc.mentions)
    mentions_by_sentence: dict[int, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for mention in doc.mentions:
        mentions_by_sentence[mention.sentence][mention.actor].append(mention)
    quotes_by_actor: dict[str, list[Quote]] = defaultdict(list)
    pairs = []
    for sentence_index in sorted(mentions_by_sentence):
        text = doc.sentences[sentence_index].text
        anchors = {}
        for actor, mentions in mentions_by_sentence[sentence_index].items():
            anchors[actor] = mentions[0].anchor
            spans = tuple((m.offset, m.offset + len(m.text)) for m in mentions)
            quotes_by_actor[actor].append(Quote(mentions[0].anchor, text, spans))
        for first, second in combinations(sorted(anchors), 2):
            pairs.append(((first, second), Evidence(doc.slug, anchors[first], text)))
    return _Share(
        actor_counts=tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        appearances=tuple((actor, Appearance(doc.slug, tuple(quotes_by_actor[actor]))) for actor in sorted(quotes_by_actor)),
        pairs=tuple(pairs),
        remarks=tuple(_remarks(doc)),
        events=tuple(
            (event.sentence, Event(event.date, event.date_text, doc.slug, urls.sentence_anchor(event.sentence), doc.sentences[event.sentence].text, event.actors))
            for event in doc.events
        ),
    )


def _ordinal(date: datetime.date | None) -> int:
    return date.toordinal() if date else 0


def _remarks(doc: AnnotatedDocument) -> list[Remark]:
    return [
        Remark(s.actor, doc.slug, urls.sentence_anchor(s.sentence), doc.sentences[s.sentence].text, s.verb, s.quote, s.date)
        for s in doc.statements
    ]


def report_coverage(graph: Graph, report: Diagnostics) -> None:
    """Actors no document mentions and documents that mention no actor: signs the registry needs work."""
    for actor in graph.actors:
        if not graph.stats_by_actor[actor.slug].mentions:
            report.warning(Location(actor.path, 1, 1), f"actor '{actor.slug}' is never mentioned; check its name and aliases against the text")
    for doc in graph.documents:
        if not doc.mentions:
            report.warning(Location(doc.path, 1, 1), "no known actor is mentioned; run 'python build.py suggest' to find names worth adding")


def find_related(
    listed: tuple[AnnotatedDocument, ...],
    actor_counts_by_document: dict[str, tuple[tuple[str, int], ...]],
    documents_by_actor: dict[str, list[AnnotatedDocument]],
    memo: CrosslinkMemo | None = None,
) -> dict[str, tuple[str, ...]]:
    """For each document, the briefings sharing the most (rarest-weighted) actors with it, searched
    among each shared actor's nearest documents in time. A document's answer depends only on the number of
    documents, its own actors in order, and each of those actors' list of documents: with a memo, it is
    kept from the last build unless one of those changed."""
    total = max(1, len(listed))
    slugs_by_actor = {actor: [doc.slug for doc in docs] for actor, docs in documents_by_actor.items()}
    position_in_list: dict[str, dict[str, int]] = {}
    weight_of = {actor: math.log(1 + total / len(slugs)) for actor, slugs in slugs_by_actor.items()}
    last_total, last_slugs, last_counts, last_related = (memo and memo._related) or (None, {}, {}, {})
    changed = {actor for actor, slugs in slugs_by_actor.items() if last_slugs.get(actor) != slugs} if total == last_total else None
    related = {}
    for doc in listed:
        actor_counts = actor_counts_by_document[doc.slug]
        if (
            changed is not None
            and doc.slug in last_related
            and last_counts.get(doc.slug) == actor_counts
            and not any(actor in changed for actor, _ in actor_counts)
        ):
            related[doc.slug] = last_related[doc.slug]
            continue
        scores: dict[str, float] = {}
        score_of = scores.get
        for actor, _ in actor_counts:
            slugs, weight = slugs_by_actor[actor], weight_of[actor]
            if actor not in position_in_list:
                position_in_list[actor] = {slug: i for i, slug in enumerate(slugs)}
            here = position_in_list[actor][doc.slug]
            for other in slugs[max(0, here - RELATED_WINDOW): here + RELATED_WINDOW + 1]:
                scores[other] = score_of(other, 0.0) + weight
        scores.pop(doc.slug, None)  # each window holds the document itself once
        related[doc.slug] = _best(scores, RELATED_LIMIT)
    if memo is not None:
        memo._related = (total, slugs_by_actor, actor_counts_by_document, related)
    return related


def _best(scores: dict[str, float], limit: int) -> tuple[str, ...]:
    """The `limit` highest-scoring keys, ties (scores equal to 9 decimals) by key. Only scores close to the
    limit-th best can be among them, so only those are ranked exactly."""
    if len(scores) > limit:
        floor = heapq.nlargest(limit, scores.values())[-1] - 1e-6
        scores = {key: score for key, score in scores.items() if score >= floor}
    ranked = sorted(scores.items(), key=lambda item: (-round(item[1], 9), item[0]))
    return tuple(key for key, _ in ranked[:limit])


def match_sources(
    listed: tuple[AnnotatedDocument, ...], actor_by_slug: dict[str, Actor], alias_index: dict[str, str]
) -> dict[str, str]:
    """Document -> the media actor its `source` names ("Politico", "The Guardian"), where one does."""
    matcher = MentionMatcher({form: slug for form, slug in alias_index.items() if actor_by_slug[slug].kind == "media"})
    found = {}
    actor_by_source: dict[str, str | None] = {}  # most briefings share a handful of sources
    for doc in listed:
        source = doc.meta.source
        if source:
            if source not in actor_by_source:
                matches = matcher.find(source)
                actor_by_source[source] = matches[0].actor if matches else None
            if actor_by_source[source]:
                found[doc.slug] = actor_by_source[source]
    return found

"""crosslink: actors + annotated documents -> Graph (listing order, neighbours, appearances, connections,
stats, related briefings, source actors)."""
from __future__ import annotations

import datetime

import pytest

from briefing.mentions import MentionMatcher
from briefing.model import Actor, DocumentMeta, Source
from briefing.stages.annotate import annotate_document
from briefing.stages.crosslink import ActorStats, Appearance, Connection, CrosslinkMemo, Evidence, Quote, build_crosslinks

ACTORS = (
    Actor("joe-biden", "Joe Biden", "person", "content/actors/joe-biden.md", aliases=("Biden",)),
    Actor("keir-starmer", "Keir Starmer", "person", "content/actors/keir-starmer.md", aliases=("Starmer",)),
    Actor("ukraine", "Ukraine", "state", "content/actors/ukraine.md", aliases=("Kyiv",)),
    Actor("iran", "Iran", "state", "content/actors/iran.md"),
    Actor("politico", "Politico", "media", "content/actors/politico.md"),
    Actor("the-guardian", "The Guardian", "media", "content/actors/the-guardian.md", aliases=("Guardian",)),
)
ALIAS_INDEX = {form: actor.slug for actor in ACTORS for form in actor.surface_forms}
MATCHER = MentionMatcher(ALIAS_INDEX)


def document(slug: str, date: str | None, body: str, source: str = ""):
    meta = DocumentMeta(date=datetime.date.fromisoformat(date) if date else None, source=source)
    return annotate_document(Source(slug, f"seeds/{slug}.txt", "text", slug, meta, body, 1), MATCHER)


@pytest.fixture(scope="module")
def graph():
    documents = [
        document("talks", "2024-09-10", "Biden met Starmer. Kyiv waited.", source="Politico"),
        document("calls", "2024-09-12", "Starmer called Biden. Biden called Kyiv and Starmer.", source="The Guardian, London"),
        document("kyiv-speaks", None, "Kyiv spoke.", source="Reuters"),
        document("quiet-day", "2024-09-11", "Nobody here said anything.", source="politico"),
        document("alone", None, "Biden alone."),
    ]
    return build_crosslinks(ACTORS, documents, ALIAS_INDEX)


def test_documents_are_listed_newest_first_and_undated_last_by_slug(graph):
    assert [doc.slug for doc in graph.documents] == ["calls", "quiet-day", "talks", "alone", "kyiv-speaks"]
    assert list(graph.document_by_slug) == ["calls", "quiet-day", "talks", "alone", "kyiv-speaks"]


def test_same_date_documents_are_listed_by_slug():
    documents = [document(slug, "2024-09-11", "Biden spoke.") for slug in ("b", "c", "a")]
    assert [doc.slug for doc in build_crosslinks(ACTORS, documents, ALIAS_INDEX).documents] == ["a", "b", "c"]


def test_actors_are_ordered_by_slug(graph):
    assert [actor.slug for actor in graph.actors] == ["iran", "joe-biden", "keir-starmer", "politico", "the-guardian", "ukraine"]
    assert graph.actor_by_slug["ukraine"].name == "Ukraine"


@pytest.mark.parametrize(
    ("slug", "older", "newer"),
    [
        ("talks", None, "quiet-day"),
        ("quiet-day", "talks", "calls"),
    ],
)
def test_dated_neighbours_follow_the_dates(graph, slug, older, newer):
    assert graph.neighbours[slug] == (older, newer)


def test_an_undated_document_is_never_the_newer_neighbour_of_a_dated_one(graph):
    assert graph.neighbours["calls"][1] is None


def test_every_document_has_neighbours(graph):
    assert set(graph.neighbours) == set(graph.document_by_slug)


def test_appearances_list_each_document_newest_first_with_every_quoting_sentence(graph):
    assert graph.appearances_by_actor["joe-biden"] == (
        Appearance("calls", (
            Quote("m-joe-biden-1", "Starmer called Biden.", ((15, 20),)),
            Quote("m-joe-biden-2", "Biden called Kyiv and Starmer.", ((0, 5),)),
        )),
        Appearance("talks", (Quote("m-joe-biden-1", "Biden met Starmer.", ((0, 5),)),)),
        Appearance("alone", (Quote("m-joe-biden-1", "Biden alone.", ((0, 5),)),)),
    )
    assert graph.appearances_by_actor["ukraine"] == (
        Appearance("calls", (Quote("m-ukraine-1", "Biden called Kyiv and Starmer.", ((13, 17),)),)),
        Appearance("talks", (Quote("m-ukraine-1", "Kyiv waited.", ((0, 4),)),)),
        Appearance("kyiv-speaks", (Quote("m-ukraine-1", "Kyiv spoke.", ((0, 4),)),)),
    )


def test_a_sentence_naming_an_actor_twice_is_quoted_once_with_both_highlights():
    graph = build_crosslinks(ACTORS, [document("twice", "2024-09-11", "Biden met Joe Biden’s aides.")], ALIAS_INDEX)
    assert graph.appearances_by_actor["joe-biden"] == (
        Appearance("twice", (Quote("m-joe-biden-1", "Biden met Joe Biden’s aides.", ((0, 5), (10, 19))),)),
    )


def test_unmentioned_actors_have_no_appearances_or_connections(graph):
    assert "iran" not in graph.appearances_by_actor
    assert "iran" not in graph.connections_by_actor


def test_connections_are_weighted_by_shared_sentences_strongest_first(graph):
    assert [(c.actor, c.weight) for c in graph.connections_by_actor["joe-biden"]] == [("keir-starmer", 3), ("ukraine", 1)]
    assert [(c.actor, c.weight) for c in graph.connections_by_actor["ukraine"]] == [("joe-biden", 1), ("keir-starmer", 1)]


def test_connection_evidence_is_the_shared_sentences_newest_document_first(graph):
    biden_starmer = graph.connections_by_actor["joe-biden"][0]
    assert biden_starmer.evidence == (
        Evidence("calls", "m-joe-biden-1", "Starmer called Biden."),
        Evidence("calls", "m-joe-biden-2", "Biden called Kyiv and Starmer."),
        Evidence("talks", "m-joe-biden-1", "Biden met Starmer."),
    )
    starmer_biden = graph.connections_by_actor["keir-starmer"][0]
    assert (starmer_biden.actor, starmer_biden.evidence) == ("joe-biden", biden_starmer.evidence)


def test_connection_evidence_is_capped_but_the_weight_counts_every_sentence():
    body = " ".join(f"Biden met Starmer, round {n}." for n in range(1, 8))
    graph = build_crosslinks(ACTORS, [document("rounds", "2024-09-11", body)], ALIAS_INDEX)
    connection = graph.connections_by_actor["joe-biden"][0]
    assert (connection.actor, connection.weight, len(connection.evidence)) == ("keir-starmer", 7, 3)
    assert [e.anchor for e in connection.evidence] == ["m-joe-biden-1", "m-joe-biden-2", "m-joe-biden-3"]


def test_actors_in_different_sentences_are_not_connected():
    graph = build_crosslinks(ACTORS, [document("apart", "2024-09-11", "Biden spoke. Starmer listened.")], ALIAS_INDEX)
    assert graph.connections_by_actor == {}


def test_stats_count_mentions_and_documents_and_date_range_ignoring_undated(graph):
    assert graph.stats_by_actor["joe-biden"] == ActorStats(
        mentions=4, documents=3, first_seen=datetime.date(2024, 9, 10), last_seen=datetime.date(2024, 9, 12)
    )
    assert graph.stats_by_actor["keir-starmer"] == ActorStats(
        mentions=3, documents=2, first_seen=datetime.date(2024, 9, 10), last_seen=datetime.date(2024, 9, 12)
    )
    assert graph.stats_by_actor["iran"] == ActorStats()


def test_actor_seen_only_in_undated_documents_has_no_first_or_last_seen():
    graph = build_crosslinks(ACTORS, [document("undated", None, "Iran spoke.")], ALIAS_INDEX)
    assert graph.stats_by_actor["iran"] == ActorStats(mentions=1, documents=1, first_seen=None, last_seen=None)


def test_actor_counts_per_document_most_mentioned_first_then_by_slug(graph):
    assert graph.actor_counts_by_document["calls"] == (("joe-biden", 2), ("keir-starmer", 2), ("ukraine", 1))
    assert graph.actor_counts_by_document["talks"] == (("joe-biden", 1), ("keir-starmer", 1), ("ukraine", 1))
    assert graph.actor_counts_by_document["quiet-day"] == ()


def test_related_briefings_share_actors_and_rank_the_most_shared_first(graph):
    assert graph.related_by_document["talks"] == ("calls", "alone", "kyiv-speaks")
    assert graph.related_by_document["calls"] == ("talks", "alone", "kyiv-speaks")
    assert graph.related_by_document["kyiv-speaks"] == ("calls", "talks")
    assert graph.related_by_document["quiet-day"] == ()


def test_related_briefings_never_include_the_document_itself_or_unrelated_ones():
    documents = [
        document("a", "2024-09-10", "Biden spoke."),
        document("b", "2024-09-11", "Biden spoke again."),
        document("c", "2024-09-12", "Iran spoke."),
    ]
    related = build_crosslinks(ACTORS, documents, ALIAS_INDEX).related_by_document
    assert related == {"a": ("b",), "b": ("a",), "c": ()}


def test_related_briefings_prefer_rarer_shared_actors():
    documents = [
        document("base", "2024-09-10", "Biden and Iran."),
        document("shares-biden", "2024-09-11", "Biden again."),
        document("shares-iran", "2024-09-12", "Iran again."),
        document("more-biden-1", "2024-09-13", "Biden."),
        document("more-biden-2", "2024-09-14", "Biden."),
    ]
    related = build_crosslinks(ACTORS, documents, ALIAS_INDEX).related_by_document
    assert related["base"][0] == "shares-iran"


def test_related_briefings_are_at_most_five():
    documents = [document(f"d{n:02d}", f"2024-09-{n:02d}", "Biden spoke.") for n in range(1, 11)]
    related = build_crosslinks(ACTORS, documents, ALIAS_INDEX).related_by_document
    assert all(len(slugs) == 5 for slugs in related.values())
    assert related["d05"] == ("d01", "d02", "d03", "d04", "d06")


@pytest.mark.parametrize(
    ("slug", "actor"),
    [
        ("talks", "politico"),
        ("calls", "the-guardian"),
    ],
)
def test_source_is_matched_to_a_media_actor(graph, slug, actor):
    assert graph.source_actor_by_document[slug] == actor


@pytest.mark.parametrize("slug", ["kyiv-speaks", "quiet-day", "alone"])
def test_source_without_a_media_actor_is_not_matched(graph, slug):
    # 'Reuters' is no actor, 'politico' is the wrong case, and 'alone' has no source
    assert slug not in graph.source_actor_by_document


def test_source_naming_a_non_media_actor_is_not_matched():
    graph = build_crosslinks(ACTORS, [document("gov", "2024-09-11", "Kyiv spoke.", source="Ukraine")], ALIAS_INDEX)
    assert graph.source_actor_by_document == {}


def test_no_documents_gives_an_empty_graph_with_stats_for_every_actor():
    graph = build_crosslinks(ACTORS, [], ALIAS_INDEX)
    assert graph.documents == ()
    assert set(graph.stats_by_actor) == {actor.slug for actor in ACTORS}
    assert graph.appearances_by_actor == {} and graph.connections_by_actor == {} and graph.related_by_document == {}


# --- the preview's memo: the graph of a rebuild equals one made from nothing -----------------------

def test_a_memo_kept_through_edits_gives_the_graph_made_from_nothing():
    documents = {
        "talks": document("talks", "2024-09-10", "Biden met Starmer. Kyiv waited. Iran watched.", source="Politico"),
        "calls": document("calls", "2024-09-12", "Starmer called Biden. Biden called Kyiv and Starmer.", source="The Guardian"),
        "later": document("later", "2024-09-14", "Biden and Starmer met again. Kyiv said on Sept. 13 it would wait."),
        "undated": document("undated", None, "Iran and Kyiv."),
    }
    memo = CrosslinkMemo()
    build_crosslinks(ACTORS, list(documents.values()), ALIAS_INDEX, memo)
    edits = [
        ("later", document("later", "2024-09-14", "Biden and Starmer met again. Kyiv said on Sept. 13 it would wait. More text.")),
        ("calls", document("calls", "2024-09-12", "Starmer called Iran.", source="The Guardian")),  # actors change
        ("talks", document("talks", "2024-09-16", "Biden met Starmer. Kyiv waited. Iran watched.", source="Politico")),  # re-dated
        ("new", document("new", "2024-09-11", "Biden, Starmer and Iran in one sentence.")),  # one more document
        ("undated", None),  # and one fewer
    ]
    for slug, replacement in edits:
        if replacement is None:
            del documents[slug]
        else:
            documents[slug] = replacement
        got = build_crosslinks(ACTORS, list(documents.values()), ALIAS_INDEX, memo)
        assert got == build_crosslinks(ACTORS, list(documents.values()), ALIAS_INDEX), slug
        assert memo.shared == (0 if replacement is None else 1), slug


def test_unchanged_connections_come_back_as_the_same_objects():
    documents = [document("talks", "2024-09-10", "Biden met Starmer. Kyiv waited."), document("other", "2024-09-11", "Iran and Kyiv.")]
    memo = CrosslinkMemo()
    before = build_crosslinks(ACTORS, documents, ALIAS_INDEX, memo)
    after = build_crosslinks(ACTORS, [documents[0], document("other", "2024-09-11", "Iran and Kyiv. Again.")], ALIAS_INDEX, memo)
    assert after.connections_by_actor["joe-biden"][0] is before.connections_by_actor["joe-biden"][0]
    assert after.connections_by_actor["iran"][0] is before.connections_by_actor["iran"][0]  # equal evidence, from an edited document


def test_patched_tables_equal_merged_ones_through_many_random_edits():
    # Same documents, same dates: the memo patches the last build's tables. Every step must give exactly the
    # graph merged from nothing: appearances, connections and their evidence, remarks, events, stats, edges.
    import random

    chooser = random.Random(7)
    names = ["Biden", "Starmer", "Kyiv", "Iran", "Politico", "The Guardian", "Joe Biden", "Keir Starmer"]
    phrases = [
        "{a} met {b}.", "{a} said on Sept. 13 that {b} would wait.", "{a} called {b} and {c}.", "Nothing about {a}.",
        "{a} told reporters on Monday the talks with {b} went well.", "Quiet day.", "{a}, {b} and {c} in one sentence.",
    ]

    def body() -> str:
        return " ".join(chooser.choice(phrases).format(a=chooser.choice(names), b=chooser.choice(names), c=chooser.choice(names))
                        for _ in range(chooser.randint(1, 6)))

    slugs = [f"doc-{number:02d}" for number in range(24)]
    dates = {slug: None if number % 7 == 3 else f"2024-09-{10 + number % 9:02d}" for number, slug in enumerate(slugs)}
    documents = {slug: document(slug, dates[slug], body()) for slug in slugs}
    memo = CrosslinkMemo()
    build_crosslinks(ACTORS, list(documents.values()), ALIAS_INDEX, memo)
    for step in range(60):
        for slug in chooser.sample(slugs, chooser.randint(1, 3)):
            documents[slug] = document(slug, dates[slug], body())
        got = build_crosslinks(ACTORS, list(documents.values()), ALIAS_INDEX, memo)
        assert memo.patched, step
        assert got == build_crosslinks(ACTORS, list(documents.values()), ALIAS_INDEX), step

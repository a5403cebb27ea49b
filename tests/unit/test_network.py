"""briefing.network: ego and whole-network SVG pictures, read back as XML."""
from __future__ import annotations

import math
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefing.network import Edge, Node, ego_svg, network_svg

SVG = "{http://www.w3.org/2000/svg}"


def href(slug: str) -> str:
    return f"../../actors/{slug}/index.html"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def links(root: ET.Element) -> list[ET.Element]:
    return root.findall(f".//{SVG}a")


def link_labels(root: ET.Element) -> list[str]:
    return [link.find(f"{SVG}text").text for link in links(root)]


def edges_drawn(root: ET.Element) -> list[ET.Element]:
    return [path for path in root.iter(f"{SVG}path") if path.get("class") == "ng-edge"]


def edge_titles(root: ET.Element) -> list[str]:
    return [path.find(f"{SVG}title").text for path in edges_drawn(root)]


def synthetic(actors: int, edges: int, seed: int = 11) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    kinds = ("person", "state", "organization", "media", "group", "other")
    nodes = [Node(f"actor-{i:03d}", f"Actor {i:03d}", kinds[i % len(kinds)], 1000 - i) for i in range(actors)]
    weights: dict[tuple[str, str], int] = {}
    while len(weights) < min(edges, actors * (actors - 1) // 2):
        # Heavy actors (low indices) take part in more edges, as in real co-mention networks.
        a, b = min(int(rng.paretovariate(0.8)) - 1, actors - 1), rng.randrange(actors)
        if a != b:
            weights[(nodes[min(a, b)].slug, nodes[max(a, b)].slug)] = rng.randint(1, 50)
    return nodes, [Edge(source, target, weight) for (source, target), weight in weights.items()]


SEED_ACTORS = [
    Node("antony-blinken", "Antony Blinken", "person", 6),
    Node("david-lammy", "David Lammy", "person", 4),
    Node("joe-biden", "Joe Biden", "person", 9),
    Node("ukraine", "Ukraine", "state", 14),
    Node("politico", "Politico", "media", 3),
]
SEED_EDGES = [
    Edge("antony-blinken", "david-lammy", 4),
    Edge("antony-blinken", "ukraine", 3),
    Edge("david-lammy", "ukraine", 2),
    Edge("joe-biden", "ukraine", 5),
    Edge("joe-biden", "politico", 1),
]
UKRAINE = SEED_ACTORS[3]
UKRAINE_NEIGHBOURS = [(SEED_ACTORS[0], 3), (SEED_ACTORS[1], 2), (SEED_ACTORS[2], 5)]


# Determinism


def test_whole_network_is_byte_identical_from_run_to_run():
    nodes, edges = synthetic(300, 2000)
    assert network_svg(nodes, edges, href) == network_svg(list(nodes), list(edges), href)


RENDER_IN_A_FRESH_PROCESS = """
import hashlib, sys
sys.path[:0] = [{repo!r}, {tests!r}]
from test_network import UKRAINE, href, synthetic
from briefing.network import Node, ego_svg, network_svg
nodes, edges = synthetic(300, 2000)
nodes = [Node(node.slug, node.label, "kind " + str(index % 9), node.weight) for index, node in enumerate(nodes)]
svg = network_svg(nodes, edges, href) + ego_svg(UKRAINE, [(node, index % 4) for index, node in enumerate(nodes)], href)
print(hashlib.sha256(svg.encode()).hexdigest())
"""


def test_output_is_byte_identical_across_processes_with_different_hash_seeds():
    tests = Path(__file__).resolve().parent
    script = RENDER_IN_A_FRESH_PROCESS.format(repo=str(tests.parent.parent), tests=str(tests))
    digests = {
        subprocess.run([sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
                       capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_whole_network_does_not_depend_on_input_order():
    nodes, edges = synthetic(120, 600)
    shuffled_nodes, shuffled_edges = nodes[:], edges[:]
    random.Random(5).shuffle(shuffled_nodes)
    random.Random(6).shuffle(shuffled_edges)
    assert network_svg(shuffled_nodes, shuffled_edges, href) == network_svg(nodes, edges, href)


def test_ego_network_does_not_depend_on_neighbour_order():
    assert ego_svg(UKRAINE, UKRAINE_NEIGHBOURS[::-1], href) == ego_svg(UKRAINE, UKRAINE_NEIGHBOURS, href)


def test_coordinates_are_short_decimals_without_negative_zero():
    svg = network_svg(*synthetic(40, 100), href)
    numbers = re.findall(r' (?:cx|cy|r|x|y|x1|y1|x2|y2)="([^"]*)"', svg)
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d)?", number) for number in numbers)
    assert "-0\"" not in svg and "nan" not in svg


# Escaping


@pytest.mark.parametrize(
    "label",
    ["<script>alert(1)</script>", "AT&T", "Smith & Sons", "O'Brien \"Jr\"", "]]> <!-- -->", "Tom & <Jerry>"],
)
def test_hostile_labels_are_escaped_and_read_back_exactly(label):
    nodes = [Node("hostile", label, "person", 5), Node("plain", "Plain", "state", 3)]
    for svg in (network_svg(nodes, [Edge("hostile", "plain", 2)], href), ego_svg(nodes[1], [(nodes[0], 2)], href)):
        assert "<script" not in svg
        root = parse(svg)
        assert label in link_labels(root)


def test_hostile_href_is_escaped_in_the_attribute():
    target = 'x.html?a=1&b="2"<'
    root = parse(network_svg([Node("a", "A", "person", 1)], [], lambda slug: target))
    assert links(root)[0].get("href") == target


def test_characters_xml_forbids_are_dropped_from_labels():
    root = parse(network_svg([Node("bad", "Bad\x00\x0bName\ufffe", "person", 1)], [], href))
    assert link_labels(root) == ["BadName"]


def test_unknown_kind_becomes_a_safe_class_name():
    root = parse(network_svg([Node("rand", "RAND", 'Think tank "x"', 1)], [], href))
    assert links(root)[0].get("class") == "ng-node kind-think-tank-x"


# Limits


@pytest.mark.parametrize(
    ("actors", "edges", "max_nodes", "max_edges", "expected_nodes", "expected_edges"),
    [
        (5, 10, 80, 200, 5, 10),
        (300, 2000, 80, 200, 80, 200),
        (300, 2000, 10, 5, 10, 5),
        (50, 600, 50, 300, 50, 300),
        (30, 40, 0, 200, 0, 0),
    ],
)
def test_whole_network_shows_at_most_the_limits(actors, edges, max_nodes, max_edges, expected_nodes, expected_edges):
    root = parse(network_svg(*synthetic(actors, edges), href, max_nodes=max_nodes, max_edges=max_edges))
    assert len(links(root)) == expected_nodes
    assert len(edges_drawn(root)) == expected_edges


def test_heaviest_nodes_are_shown_ties_broken_by_slug():
    nodes = [Node("c", "C", "person", 5), Node("b", "B", "person", 5), Node("a", "A", "person", 1),
             Node("d", "D", "state", 9)]
    root = parse(network_svg(nodes, [], href, max_nodes=3))
    assert sorted(link.get("href") for link in links(root)) == [href("b"), href("c"), href("d")]


def test_strongest_edges_are_kept():
    nodes = [Node(slug, slug.upper(), "person", 1) for slug in "abcde"]
    edges = [Edge("a", "b", 1), Edge("a", "c", 7), Edge("b", "c", 3), Edge("c", "d", 9), Edge("d", "e", 2),
             Edge("a", "e", 3)]
    root = parse(network_svg(nodes, edges, href, max_edges=3))
    assert sorted(edge_titles(root)) == ["A – C: 7", "A – E: 3", "C – D: 9"]


def test_edges_to_actors_left_out_are_dropped():
    nodes = [Node("a", "A", "person", 9), Node("b", "B", "person", 8), Node("z", "Z", "person", 1)]
    root = parse(network_svg(nodes, [Edge("a", "z", 50), Edge("a", "b", 1)], href, max_nodes=2))
    assert edge_titles(root) == ["A – B: 1"]


def test_reversed_and_repeated_edges_are_merged_and_self_loops_dropped():
    nodes = [Node("a", "A", "person", 1), Node("b", "B", "state", 1)]
    root = parse(network_svg(nodes, [Edge("a", "b", 2), Edge("b", "a", 3), Edge("a", "a", 9)], href))
    assert edge_titles(root) == ["A – B: 5"]


def test_heavier_edges_are_drawn_wider_and_on_top():
    nodes = [Node(slug, slug.upper(), "person", 1) for slug in "abc"]
    root = parse(network_svg(nodes, [Edge("a", "b", 10), Edge("b", "c", 1), Edge("a", "c", 4)], href))
    drawn = [(path.find(f"{SVG}title").text, float(path.get("stroke-width"))) for path in edges_drawn(root)]
    assert [title for title, _ in drawn] == ["B – C: 1", "A – C: 4", "A – B: 10"]
    assert drawn[0][1] < drawn[1][1] < drawn[2][1]


# Nodes as links


def test_every_node_is_a_link_with_its_label_and_title():
    root = parse(network_svg(SEED_ACTORS, SEED_EDGES, href))
    found = {link.get("href"): (link.find(f"{SVG}text").text, link.find(f"{SVG}title").text) for link in links(root)}
    expected = {href(node.slug): (node.label, f"{node.label} ({node.kind}): {node.weight}") for node in SEED_ACTORS}
    assert found == expected


def test_node_colour_comes_from_its_kind_class():
    root = parse(network_svg(SEED_ACTORS, SEED_EDGES, href))
    classes = {link.get("href"): link.get("class") for link in links(root)}
    assert classes[href("ukraine")] == "ng-node kind-state"
    assert classes[href("politico")] == "ng-node kind-media"


def test_long_labels_are_shortened_and_the_title_keeps_the_full_name():
    name = "Army Tactical Missile Systems Programme Office"
    root = parse(network_svg([Node("atacms", name, "organization", 1)], [], href))
    link = links(root)[0]
    assert link.find(f"{SVG}text").text == "Army Tactical Missile Sys…"
    assert link.find(f"{SVG}title").text == f"{name} (organization): 1"


def test_colours_use_the_page_variables_with_light_and_dark_fallbacks():
    style = parse(network_svg(SEED_ACTORS, SEED_EDGES, href)).find(f"{SVG}style").text
    assert "--ng-person:var(--person,#1f4e8c)" in style
    assert "@media (prefers-color-scheme:dark){.network-graph{--ng-person:var(--person,#8cb4f0)" in style
    assert ".network-graph .kind-person circle{fill:var(--ng-person)}" in style
    # Rules inside inline SVG reach the whole page, so each one is scoped to the picture.
    rules = re.sub(r"@media[^{]*\{", "", style).replace("}}", "}")
    selectors = [selector for rule in rules.split("}") if rule for selector in rule.split("{")[0].split(",")]
    assert all(selector.startswith(".network-graph") for selector in selectors)


# Accessibility and structure


@pytest.mark.parametrize(
    "svg",
    [
        pytest.param(network_svg(SEED_ACTORS, SEED_EDGES, href), id="whole"),
        pytest.param(ego_svg(UKRAINE, UKRAINE_NEIGHBOURS, href), id="ego"),
        pytest.param(network_svg([], [], href), id="empty"),
        pytest.param(ego_svg(UKRAINE, [], href), id="ego-alone"),
    ],
)
def test_picture_is_valid_xml_with_role_label_and_title(svg):
    root = parse(svg)
    assert root.get("role") == "group"
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == root.get("aria-label") != ""
    assert root.find(f".//{SVG}style") is not None
    assert "id=" not in svg  # several pictures may share a page


def test_picture_is_drawn_at_one_to_one_so_text_keeps_its_size():
    root = parse(network_svg(*synthetic(300, 2000), href))
    _, _, width, height = (int(value) for value in root.get("viewBox").split())
    assert (root.get("width"), root.get("height")) == (str(width), str(height))
    assert root.get("font-size") == "12"


def test_whole_network_label_names_its_size_and_strongest_connections():
    root = parse(network_svg(SEED_ACTORS, SEED_EDGES, href))
    assert root.get("aria-label") == (
        "Network of 5 actors and 5 connections; strongest: Joe Biden – Ukraine (5), "
        "Antony Blinken – David Lammy (4), Antony Blinken – Ukraine (3), David Lammy – Ukraine (2), "
        "Joe Biden – Politico (1)"
    )


def test_empty_network_says_so():
    root = parse(network_svg([], [], href))
    assert [text.text for text in root.iter(f"{SVG}text")] == ["No actors to show"]


# Ego networks


def test_ego_links_the_centre_and_its_neighbours_strongest_first():
    root = parse(ego_svg(UKRAINE, UKRAINE_NEIGHBOURS, href))
    assert link_labels(root) == ["Joe Biden", "Antony Blinken", "David Lammy", "Ukraine"]
    assert root.get("aria-label") == "Connections of Ukraine: Joe Biden (5), Antony Blinken (3), David Lammy (2)"


def test_ego_shows_the_connection_weight_on_each_spoke():
    root = parse(ego_svg(UKRAINE, UKRAINE_NEIGHBOURS, href))
    numbers = [text.text for text in root.iter(f"{SVG}text") if text.text.isdigit()]
    assert numbers == ["5", "3", "2"]
    widths = [float(line.get("stroke-width")) for line in root.iter(f"{SVG}line")]
    assert widths[0] > widths[1] > widths[2]


def test_ego_summarises_neighbours_beyond_the_limit_as_more():
    neighbours = [(Node(f"n{i:02d}", f"Neighbour {i:02d}", "person", 1), 100 - i) for i in range(15)]
    root = parse(ego_svg(UKRAINE, neighbours, href, limit=12))
    assert len(links(root)) == 13  # the centre and 12 neighbours
    more = [group for group in root.iter(f"{SVG}g") if group.get("class") == "ng-more ng-muted"]
    assert [group.find(f"{SVG}text").text for group in more] == ["+3 more"]
    assert more[0].find(f"{SVG}title").text == "Neighbour 12, Neighbour 13, Neighbour 14"
    assert root.get("aria-label").endswith("Neighbour 11 (89), and 3 more")


def test_ego_within_the_limit_has_no_more_summary():
    root = parse(ego_svg(UKRAINE, UKRAINE_NEIGHBOURS, href, limit=3))
    assert [group for group in root.iter(f"{SVG}g") if "ng-more" in group.get("class", "")] == []
    assert not root.get("aria-label").endswith("more")


def test_ego_ties_are_broken_by_slug():
    neighbours = [(Node(slug, slug.upper(), "state", 1), 4) for slug in ("delta", "alpha", "charlie", "bravo")]
    root = parse(ego_svg(UKRAINE, neighbours, href, limit=2))
    assert link_labels(root)[:2] == ["ALPHA", "BRAVO"]


def test_ego_ignores_the_centre_and_repeated_neighbours():
    neighbours = [(UKRAINE, 50), (SEED_ACTORS[0], 3), (SEED_ACTORS[0], 1)]
    root = parse(ego_svg(UKRAINE, neighbours, href))
    assert link_labels(root) == ["Antony Blinken", "Ukraine"]


def test_ego_of_an_unconnected_actor_is_just_the_actor():
    root = parse(ego_svg(UKRAINE, [], href))
    assert link_labels(root) == ["Ukraine"]
    assert root.get("aria-label") == "Connections of Ukraine: none"


# From 5 to 300 actors


@pytest.mark.parametrize(("actors", "edges"), [(5, 10), (13, 23), (50, 400), (300, 2000)])
def test_every_size_renders_with_labels_that_turn_radial_only_when_crowded(actors, edges):
    root = parse(network_svg(*synthetic(actors, edges), href))
    rotated = [text for text in root.iter(f"{SVG}text") if "rotate" in (text.get("transform") or "")]
    assert len(rotated) == (0 if actors <= 13 else min(actors, 80))


def test_300_actor_ego_keeps_twelve_and_counts_the_rest():
    nodes, edges = synthetic(300, 2000)
    centre = nodes[0]
    by_slug = {node.slug: node for node in nodes}
    neighbours = [(by_slug[edge.target if edge.source == centre.slug else edge.source], edge.weight)
                  for edge in edges if centre.slug in (edge.source, edge.target)]
    root = parse(ego_svg(centre, neighbours, href))
    assert len(links(root)) == 13
    more = [text.text for text in root.iter(f"{SVG}text") if text.text.endswith(" more")]
    assert more == [f"+{len(neighbours) - 12} more"]


def label_boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """Generous boxes (0.62 em a character) around the horizontal labels of the linked nodes."""
    boxes = []
    for text in (link.find(f"{SVG}text") for link in links(root)):
        x, y, width = float(text.get("x")), float(text.get("y")), len(text.text) * 12 * 0.62
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
        boxes.append((left, y - 10, left + width, y + 3))
    return boxes


ONE_KIND = ("person",)
FOUR_KINDS = ("person", "state", "media", "organization")


# Up to 20 ring places (actors plus one gap between kinds) labels stay horizontal.
@pytest.mark.parametrize(
    ("count", "kinds"),
    [*((count, ONE_KIND) for count in (1, 2, 3, 4, 5, 8, 13, 16, 19, 20)),
     *((count, FOUR_KINDS) for count in (4, 5, 9, 13, 16))],
)
def test_horizontal_labels_do_not_overlap(count, kinds):
    nodes = [Node(f"n{i:02d}", f"Longish Actor Name {i:02d}", kinds[i % len(kinds)], 1 + i) for i in range(count)]
    root = parse(network_svg(nodes, [], href))
    assert not any(text.get("transform") for text in root.iter(f"{SVG}text"))
    boxes = label_boxes(root)
    for index, (left, top, right, bottom) in enumerate(boxes):
        for other in boxes[index + 1:]:
            assert right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top, (index, other)


@pytest.mark.parametrize("count", [1, 2, 3, 8, 12, 19, 20, 40])
def test_ego_labels_do_not_overlap(count):
    neighbours = [(Node(f"n{i:02d}", f"Neighbour Name {i:02d}", "person", 1), 50 - i) for i in range(count)]
    root = parse(ego_svg(UKRAINE, neighbours, href, limit=count))
    if count > 20:
        assert all("rotate" in link.find(f"{SVG}text").get("transform", "") for link in links(root)[:-1])
        return
    boxes = label_boxes(root)
    for index, (left, top, right, bottom) in enumerate(boxes):
        for other in boxes[index + 1:]:
            assert right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top, (index, other)


def chord_length(angles: dict[str, float], edges: list[Edge]) -> float:
    return sum(edge.weight * abs(2 * math.sin((angles[edge.source] - angles[edge.target]) / 2)) for edge in edges)


def community_graph(seed: int = 1) -> tuple[list[Node], list[Edge]]:
    """36 actors of three kinds in four communities that cut across the kinds; edges stay inside communities."""
    rng = random.Random(seed)
    kinds = ("person", "state", "organization")
    nodes = [Node(f"n{i:02d}", f"N{i}", kinds[i % 3], rng.randint(1, 50)) for i in range(36)]
    community = {node.slug: int(node.slug[1:]) // 3 % 4 for node in nodes}
    edges = [Edge(a.slug, b.slug, rng.randint(3, 9)) for a in nodes for b in nodes
             if a.slug < b.slug and community[a.slug] == community[b.slug] and rng.random() < 0.7]
    return nodes, edges


def test_ring_order_within_kinds_shortens_edges_compared_with_weight_order():
    nodes, edges = community_graph()
    root = parse(network_svg(nodes, edges, href))
    slug_by_href = {href(node.slug): node.slug for node in nodes}
    drawn = {slug_by_href[link.get("href")]: link.find(f"{SVG}circle") for link in links(root)}
    angles = {slug: math.atan2(float(circle.get("cx")), -float(circle.get("cy"))) for slug, circle in drawn.items()}
    # The same ring places, filled kind by kind in weight order (one empty place after each kind).
    naive, slot, step = {}, 0.5, 2 * math.pi / (len(nodes) + 3)
    for kind in ("person", "state", "organization"):
        for node in sorted((node for node in nodes if node.kind == kind), key=lambda node: (-node.weight, node.slug)):
            naive[node.slug], slot = slot * step, slot + 1
        slot += 1
    assert sorted(round(angle % (2 * math.pi), 2) for angle in angles.values()) == sorted(
        round(angle, 2) for angle in naive.values())
    assert chord_length(angles, edges) < 0.9 * chord_length(naive, edges)

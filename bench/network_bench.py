#!/usr/bin/env python3
"""Time laying out and rendering network pictures (briefing.network) and print the figures.

Synthetic graphs, seeded so every run times the same work: N actors with Zipf-like mention counts and
2,000 co-mention edges (fewer when N actors cannot hold that many pairs). For each size it times the whole
network with the default limits (top 80 actors, strongest 200 edges), with everything drawn (no limits), and
the ego picture of the best-connected actor. Figures are the median wall time of --runs runs.

    python bench/network_bench.py                 # 5, 50 and 300 actors
    python bench/network_bench.py --sizes 300 1000 --edges 5000 --runs 9
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.model import ACTOR_KINDS  # noqa: E402
from briefing.network import Edge, Node, ego_svg, network_svg  # noqa: E402


def synthetic_graph(actors: int, edges: int, seed: int = 3) -> tuple[list[Node], list[Edge]]:
    rng = random.Random(seed)
    nodes = [Node(f"actor-{i:04d}", f"Actor {i} {rng.choice(('Ivanova', 'Schmidt', 'Haddad', 'Okafor'))}",
                  rng.choice(ACTOR_KINDS), max(1, int(500 / (i + 1) ** 0.8))) for i in range(actors)]
    weights: dict[tuple[str, str], int] = {}
    goal = min(edges, actors * (actors - 1) // 2)
    while len(weights) < goal:
        # Low indices are the heavy actors: pick them more often, as real co-mentions do.
        a = min(int(rng.paretovariate(0.8)) - 1, actors - 1)
        b = rng.randrange(actors)
        if a != b:
            pair = tuple(sorted((nodes[a].slug, nodes[b].slug)))
            weights[pair] = weights.get(pair, 0) + rng.randint(1, 5)
    return nodes, [Edge(source, target, weight) for (source, target), weight in sorted(weights.items())]


def ego_inputs(nodes: list[Node], edges: list[Edge]) -> tuple[Node, list[tuple[Node, int]]]:
    by_slug = {node.slug: node for node in nodes}
    degree: dict[str, int] = {}
    for edge in edges:
        degree[edge.source] = degree.get(edge.source, 0) + 1
        degree[edge.target] = degree.get(edge.target, 0) + 1
    center = min(degree, key=lambda slug: (-degree[slug], slug))
    neighbours = [(by_slug[edge.target if edge.source == center else edge.source], edge.weight)
                  for edge in edges if center in (edge.source, edge.target)]
    return by_slug[center], neighbours


def timed(function, runs: int) -> tuple[float, str]:
    times, result = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 300], help="actor counts")
    parser.add_argument("--edges", type=int, default=2000, help="edges per graph (capped by the pairs available)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is printed")
    args = parser.parse_args()
    href = "../../actors/{}/index.html".format
    print(f"{'actors':>7} {'edges':>6} {'whole ms':>9} {'drawn':>7} {'KiB':>6}   {'all ms':>7} {'drawn':>9} {'KiB':>6}"
          f"   {'ego ms':>7} {'neighbours':>10} {'KiB':>5}")
    for size in args.sizes:
        nodes, edges = synthetic_graph(size, args.edges)
        center, neighbours = ego_inputs(nodes, edges)
        whole_seconds, whole = timed(lambda: network_svg(nodes, edges, href), args.runs)
        # Everything drawn: the worst case, for a caller that raises the limits.
        all_seconds, everything = timed(lambda: network_svg(nodes, edges, href, len(nodes), len(edges)), args.runs)
        ego_seconds, ego = timed(lambda: ego_svg(center, neighbours, href), args.runs)
        print(f"{size:>7} {len(edges):>6} {whole_seconds * 1000:>9.1f} {drawn(whole):>7} {kib(whole):>6.1f}"
              f"   {all_seconds * 1000:>7.1f} {drawn(everything):>9} {kib(everything):>6.1f}"
              f"   {ego_seconds * 1000:>7.1f} {len(neighbours):>10} {kib(ego):>5.1f}")


def drawn(svg: str) -> str:
    """'nodes/edges' as drawn in the picture."""
    return f"{svg.count('<a ')}/{svg.count('<path class=' + chr(34) + 'ng-edge')}"


def kib(svg: str) -> float:
    return len(svg.encode()) / 1024

if __name__ == "__main__":
    main()

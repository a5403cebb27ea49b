"""Network pictures as inline SVG: nodes and weighted edges -> an actor's ego network or the whole network.
Circular layouts with labels outside the ring; no JavaScript; byte-identical for the same input in any order.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    slug: str
    label: str
    kind: str
    weight: int  # e.g. mention count; sets the dot size


@dataclass(frozen=True)
class Edge:
    source: str  # source < target
    target: str
    weight: int  # e.g. shared sentences; sets the stroke width


KIND_ORDER = ("person", "state", "organization", "media", "group", "other")
# Fallbacks for when the page defines no colours: the default theme's light and dark values.
_LIGHT = {"person": "#1f4e8c", "state": "#2d6a4f", "organization": "#7a4f01", "media": "#6a3d9a",
          "group": "#9b2226", "other": "#5b6270", "text": "#1d1f23", "muted": "#5b6270", "bg": "#fbfaf7",
          "link": "#1f4e8c", "focus": "#f2b600"}
_DARK = {"person": "#8cb4f0", "state": "#7fc8a3", "organization": "#e0b25a", "media": "#c3a1ea",
         "group": "#f08a8d", "other": "#a4a9b3", "text": "#e7e5df", "muted": "#a4a9b3", "bg": "#15171b",
         "link": "#8cb4f0", "focus": "#f2b600"}


def _palette(colours: dict[str, str]) -> str:
    return ";".join(f"--ng-{name}:var(--{name},{value})" for name, value in colours.items())


# A <style> inside inline SVG applies to the whole page, so every rule is scoped to the picture's class.
STYLE = (
    f".network-graph{{{_palette(_LIGHT)};color:var(--ng-text);max-width:100%;height:auto;"
    "font-family:var(--sans,system-ui,sans-serif)}"
    f"@media (prefers-color-scheme:dark){{.network-graph{{{_palette(_DARK)}}}}}"
    ".network-graph a{color:var(--ng-text);text-decoration:none}"
    ".network-graph a:hover,.network-graph a:focus-visible{color:var(--ng-link)}"
    ".network-graph a:hover text{text-decoration:underline}"
    ".network-graph a:focus-visible{outline:none}"
    ".network-graph a:focus-visible circle{stroke:var(--ng-focus);stroke-width:3}"
    ".network-graph text{fill:currentColor;paint-order:stroke;stroke:var(--ng-bg);stroke-width:3px;"
    "stroke-linejoin:round}"
    ".network-graph .ng-muted{color:var(--ng-muted)}"
    ".network-graph .ng-center text{font-weight:700}"
    ".network-graph .ng-edge{fill:none;stroke:var(--ng-muted)}"
    ".network-graph .ng-node circle{fill:var(--ng-other);stroke:var(--ng-bg);stroke-width:1.5}"
    ".network-graph .ng-more circle{fill:none;stroke:var(--ng-muted);stroke-dasharray:3 2}"
    + "".join(f".network-graph .kind-{kind} circle{{fill:var(--ng-{kind})}}" for kind in KIND_ORDER)
    + ".network-graph .ng-arc{fill:none}"
    + "".join(f".network-graph .kind-{kind}.ng-arc{{stroke:var(--ng-{kind})}}" for kind in KIND_ORDER)
)

FONT = 12.0  # label size in SVG units; the picture is drawn at 1:1 unless the page is narrower
CHAR_WIDTH = 0.56  # average advance of a lower-case sans-serif glyph, in ems, for sizing the canvas
_NARROW = frozenset("fijlrtI.,:;'!|() ")
_WIDE = frozenset("mwMW@")
MAX_LABEL = 26  # characters; longer labels end in an ellipsis, the full one stays in the node's <title>
PADDING = 8.0
CHORD_BEND = 0.35  # where an edge's control point sits, from the centre (0) to the chord's midpoint (1)
# XML 1.0 forbids these code points even when escaped; a label carrying one would break the page.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _escape(text: str) -> str:
    return (_clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _num(value: float) -> str:
    """One decimal, no trailing '.0', no '-0': a stable spelling for byte-identical output."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _short(label: str) -> str:
    label = " ".join(_clean(label).split())
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _text_width(text: str, size: float = FONT) -> float:
    """An estimate (no font metrics at build time) that errs wide, so labels are not clipped."""
    ems = sum(0.32 if char in _NARROW else 0.86 if char in _WIDE else 0.68 if char.isupper() else CHAR_WIDTH
              for char in text)
    return ems * size


def _kind_class(kind: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-")
    return f"kind-{name or 'other'}"


def _kind_rank(kind: str) -> tuple[int, str]:
    return (KIND_ORDER.index(kind), "") if kind in KIND_ORDER else (len(KIND_ORDER), kind)


class _Box:
    """The extent of everything drawn so far, which becomes the viewBox."""

    def __init__(self) -> None:
        self.left = self.top = math.inf
        self.right = self.bottom = -math.inf

    def add(self, x: float, y: float, dx: float = 0.0, dy: float = 0.0) -> None:
        self.left, self.right = min(self.left, x - dx), max(self.right, x + dx)
        self.top, self.bottom = min(self.top, y - dy), max(self.bottom, y + dy)


def _ring_label(text: str, angle: float, distance: float, radial: bool, box: _Box, size: float = FONT) -> str:
    """A label just outside a ring position; `angle` in radians clockwise from twelve o'clock.

    Horizontal labels read best while the ring is sparse; once neighbours sit closer than a line of text,
    labels turn radial (and flip on the left half so they never read upside down).
    """
    sin, down = math.sin(angle), -math.cos(angle)
    x, y = distance * sin, distance * down
    width = _text_width(text, size)
    if radial:
        degrees = math.degrees(angle) - 90
        anchor = "start" if sin >= -1e-9 else "end"
        if anchor == "end":
            degrees += 180
        far = distance + width
        box.add(x, y, size / 2, size / 2)
        box.add(far * sin, far * down, size / 2, size / 2)
        return (f'<text transform="translate({_num(x)} {_num(y)}) rotate({_num(degrees)})" y="{_num(size * 0.35)}"'
                f' text-anchor="{anchor}">{_escape(text)}</text>')
    # Labels move half a line further out towards twelve and six o'clock, so each clears its own dot; one
    # centred at six o'clock moves out a whole line to clear its neighbours' labels, which overhang it.
    if abs(sin) < 0.1:
        anchor, centre, middle = "middle", x, y + down * size * 1.1
    else:
        anchor, centre = ("start", x + width / 2) if sin > 0 else ("end", x - width / 2)
        middle = y + down * size * 0.5
    box.add(centre, middle, width / 2, size * 0.6)
    return f'<text x="{_num(x)}" y="{_num(middle + size * 0.35)}" text-anchor="{anchor}">{_escape(text)}</text>'


def _stroke(weight: int, strongest: int) -> float:
    return 0.8 + 4.2 * math.sqrt(max(weight, 0) / strongest) if strongest > 0 else 0.8


def _dot(weight: int, heaviest: int, smallest: float, largest: float) -> float:
    if heaviest <= 0:
        return smallest
    return smallest + (largest - smallest) * math.sqrt(max(weight, 0) / heaviest)


def _svg(box: _Box, kind_class: str, label: str, body: list[str]) -> str:
    left, top = math.floor(box.left - PADDING), math.floor(box.top - PADDING)
    width, height = math.ceil(box.right + PADDING) - left, math.ceil(box.bottom + PADDING) - top
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-graph {kind_class}" role="group"'
        f' viewBox="{left} {top} {width} {height}" width="{width}" height="{height}"'
        f' font-size="{_num(FONT)}" aria-label="{_escape(label)}">'
        f"<title>{_escape(label)}</title><style>{STYLE}</style>" + "".join(body) + "</svg>"
    )


def _node(node: Node, href: Callable[[str], str], x: float, y: float, radius: float, title: str,
          label_svg: str, extra_class: str = "") -> str:
    classes = f"ng-node {_kind_class(node.kind)}{extra_class}"
    return (f'<a href="{_escape(href(node.slug))}" class="{classes}"><title>{_escape(title)}</title>'
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius)}"/>{label_svg}</a>')


def _legend(kinds: list[str], box: _Box) -> list[str]:
    """Swatches for the kinds on show, under the picture."""
    if not kinds:
        return []
    names = [kind.capitalize() for kind in kinds]
    widths = [14 + _text_width(name, FONT * 0.95) + 16 for name in names]
    # Centred on the ring's centre, not the labels', which lean to whichever side has the longer names.
    x = -sum(widths) / 2
    y = box.bottom + 22
    parts = ['<g class="ng-legend ng-muted">']
    for kind, name, width in zip(kinds, names, widths):
        parts.append(f'<g class="ng-node {_kind_class(kind)}"><circle cx="{_num(x + 5)}" cy="{_num(y)}" r="5"/>'
                     f'<text x="{_num(x + 14)}" y="{_num(y + 4)}" font-size="{_num(FONT * 0.95)}">'
                     f"{_escape(name)}</text></g>")
        x += width
    parts.append("</g>")
    box.add(0, y, sum(widths) / 2, 8)
    return parts


def _rank_nodes(nodes: Sequence[Node]) -> list[Node]:
    """Heaviest first, ties by slug; a repeated slug keeps its heaviest entry."""
    ranked: dict[str, Node] = {}
    for node in sorted(nodes, key=lambda node: (-node.weight, node.slug, node.label, node.kind)):
        ranked.setdefault(node.slug, node)
    return list(ranked.values())


def ego_svg(center: Node, neighbours: Sequence[tuple[Node, int]], href: Callable[[str], str], limit: int = 12) -> str:
    """`center` in the middle, its `limit` strongest neighbours clockwise from the top, the rest as '+N more'."""
    best: dict[str, tuple[Node, int]] = {}
    for node, weight in sorted(neighbours, key=lambda pair: (-pair[1], pair[0].slug, pair[0].label, pair[0].kind)):
        if node.slug != center.slug:
            best.setdefault(node.slug, (node, weight))
    ranked = list(best.values())
    shown, rest = ranked[: max(limit, 0)], ranked[max(limit, 0):]
    slots = len(shown) + (1 if rest else 0)
    radial = slots > 20
    # Wide enough for the weights on the spokes to stand apart.
    ring = max(130.0, slots * 33.0 / (2 * math.pi))
    strongest = max((weight for _, weight in shown), default=0)
    heaviest = max([center.weight, *(node.weight for node, _ in shown)])
    step = 2 * math.pi / slots if slots else 0.0
    # One or two neighbours sit level with the centre; more start half a step off the top (see _angles).
    start = math.pi / 2 if slots <= 2 else step / 2
    box = _Box()
    spokes, numbers, dots = [], [], []
    for index, (node, weight) in enumerate(shown):
        angle = start + index * step
        x, y = ring * math.sin(angle), -ring * math.cos(angle)
        radius = _dot(node.weight, heaviest, 5.0, 11.0)
        box.add(x, y, radius, radius)
        spokes.append(f'<line class="ng-edge" x1="0" y1="0" x2="{_num(x)}" y2="{_num(y)}" stroke-opacity="0.6"'
                      f' stroke-width="{_num(_stroke(weight, strongest))}"/>')
        numbers.append(f'<text x="{_num(x * 0.6)}" y="{_num(y * 0.6 + FONT * 0.3)}" text-anchor="middle"'
                       f' font-size="{_num(FONT * 0.85)}">{weight}</text>')
        label = _ring_label(_short(node.label), angle, ring + radius + 5, radial, box)
        dots.append(_node(node, href, x, y, radius, f"{_clean(node.label)} ({_clean(node.kind)}): {weight}", label))
    if rest:
        # The summary takes the place after the weakest neighbour; its tooltip names the first twenty left out.
        angle = start + len(shown) * step
        x, y = ring * math.sin(angle), -ring * math.cos(angle)
        text = f"+{len(rest)} more"
        names = ", ".join(_clean(node.label) for node, _ in rest[:20]) + (", …" if len(rest) > 20 else "")
        box.add(x, y, 6, 6)
        label = _ring_label(text, angle, ring + 11, radial, box)
        dots.append(f'<g class="ng-more ng-muted"><title>{_escape(names)}</title>'
                    f'<circle cx="{_num(x)}" cy="{_num(y)}" r="6"/>{label}</g>')
    center_radius = 16.0
    box.add(0, 0, center_radius, center_radius)
    center_label = _short(center.label)
    box.add(0, center_radius + FONT, _text_width(center_label) / 2, FONT)
    center_svg = _node(
        center, href, 0, 0, center_radius, f"{_clean(center.label)} ({_clean(center.kind)})",
        f'<text x="0" y="{_num(center_radius + FONT * 1.25)}" text-anchor="middle">{_escape(center_label)}</text>',
        " ng-center",
    )
    kinds = sorted({node.kind for node, _ in shown} | {center.kind}, key=_kind_rank)
    summary = ", ".join(f"{_clean(node.label)} ({weight})" for node, weight in shown)
    aria = f"Connections of {_clean(center.label)}: " + (summary or "none")
    if rest:
        aria += f", and {len(rest)} more"
    body = [*spokes, *dots, f'<g class="ng-muted">{"".join(numbers)}</g>', center_svg]
    body += _legend([kind for kind in kinds if kind in KIND_ORDER] if len(kinds) > 1 else [], box)
    return _svg(box, "network-ego", aria, body)


def _rank_edges(edges: Sequence[Edge], shown: set[str], limit: int) -> list[Edge]:
    """The strongest `limit` edges between shown nodes; reversed pairs are normalised, repeats summed."""
    totals: dict[tuple[str, str], int] = {}
    for edge in edges:
        source, target = sorted((edge.source, edge.target))
        if source != target and source in shown and target in shown:
            totals[(source, target)] = totals.get((source, target), 0) + edge.weight
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [Edge(source, target, weight) for (source, target), weight in ranked[: max(limit, 0)]]


def _order_ring(nodes: list[Node], edges: list[Edge]) -> tuple[list[list[Node]], int]:
    """Nodes grouped by kind, each group ordered to sit near its neighbours; and the number of ring slots.

    A few barycentre sweeps: each node moves towards the weighted mean direction of its neighbours, which
    shortens edges and reduces crossings without any randomness.
    """
    by_kind: dict[str, list[Node]] = {}
    for node in nodes:
        by_kind.setdefault(node.kind, []).append(node)
    groups = [by_kind[kind] for kind in sorted(by_kind, key=_kind_rank)]
    gaps = len(groups) if len(groups) > 1 else 0
    slots = len(nodes) + gaps
    step = 2 * math.pi / slots
    adjacency: dict[str, list[tuple[str, int]]] = {node.slug: [] for node in nodes}
    for edge in edges:
        adjacency[edge.source].append((edge.target, edge.weight))
        adjacency[edge.target].append((edge.source, edge.weight))
    for _ in range(4):
        angles = _angles(groups, step, gaps)
        for index, group in enumerate(groups):
            middle = angles[group[0].slug] + step * (len(group) - 1) / 2
            keyed = []
            for node in group:
                target = _mean_direction(adjacency[node.slug], angles, angles[node.slug])
                # Rounded, so float noise in the last digits cannot reorder nodes between machines.
                keyed.append((round((target - middle + math.pi) % (2 * math.pi) - math.pi, 6), node.slug, node))
            groups[index] = [node for _, _, node in sorted(keyed, key=lambda item: item[:2])]
    return groups, slots


def _mean_direction(neighbours: list[tuple[str, int]], angles: dict[str, float], default: float) -> float:
    """The angle of the weighted mean of the neighbours' positions on the ring."""
    x = sum(weight * math.sin(angles[slug]) for slug, weight in neighbours)
    y = sum(weight * math.cos(angles[slug]) for slug, weight in neighbours)
    return math.atan2(x, y) if x or y else default


def _angles(groups: list[list[Node]], step: float, gaps: int) -> dict[str, float]:
    # Half a step off twelve o'clock, so the two topmost labels lean away from each other.
    angles, slot = {}, 0.5
    for group in groups:
        for node in group:
            angles[node.slug] = slot * step
            slot += 1
        if gaps:
            slot += 1
    return angles


def _chords(edges: list[Edge], position: dict[str, tuple[float, float]], label_by_slug: dict[str, str]) -> list[str]:
    strongest = max((edge.weight for edge in edges), default=0)
    # Many crossing edges would merge into a dark mass: the more there are, the fainter the weak ones.
    crowding = min(1.0, len(edges) / 150)
    faintest, darkest = 0.35 - 0.23 * crowding, 0.8 - 0.15 * crowding
    parts = []
    # Weakest first, so the strongest connections are drawn on top.
    for edge in sorted(edges, key=lambda edge: (edge.weight, edge.source, edge.target)):
        (x1, y1), (x2, y2) = position[edge.source], position[edge.target]
        # The control point sits between the chord's midpoint and the centre: near neighbours bow gently,
        # opposite nodes pass close to the centre, as in a chord diagram.
        cx, cy = (x1 + x2) / 2 * CHORD_BEND, (y1 + y2) / 2 * CHORD_BEND
        opacity = faintest + (darkest - faintest) * (edge.weight / strongest if strongest > 0 else 0)
        title = f"{label_by_slug[edge.source]} – {label_by_slug[edge.target]}: {edge.weight}"
        parts.append(
            f'<path class="ng-edge" d="M{_num(x1)} {_num(y1)}Q{_num(cx)} {_num(cy)} {_num(x2)} {_num(y2)}"'
            f' stroke-width="{_num(_stroke(edge.weight, strongest))}" stroke-opacity="{opacity:.2f}">'
            f"<title>{_escape(title)}</title></path>"
        )
    return parts


def _group_arcs(groups: list[list[Node]], angles: dict[str, float], step: float, radius: float) -> list[str]:
    """Arcs inside the ring marking the kind groups, for rings too dense for the colours alone to show them."""
    parts = []
    for group in groups:
        first, last = angles[group[0].slug] - step * 0.4, angles[group[-1].slug] + step * 0.4
        large = 1 if last - first > math.pi else 0
        start = f"{_num(radius * math.sin(first))} {_num(-radius * math.cos(first))}"
        end = f"{_num(radius * math.sin(last))} {_num(-radius * math.cos(last))}"
        parts.append(f'<path class="ng-arc {_kind_class(group[0].kind)}" stroke-width="3" stroke-opacity="0.5"'
                     f' d="M{start}A{_num(radius)} {_num(radius)} 0 {large} 1 {end}"/>')
    return parts


def network_svg(nodes: Sequence[Node], edges: Sequence[Edge], href: Callable[[str], str],
                max_nodes: int = 80, max_edges: int = 200) -> str:
    """The `max_nodes` heaviest nodes on a ring grouped by kind, joined by the `max_edges` strongest edges."""
    shown = _rank_nodes(nodes)[: max(max_nodes, 0)]
    kept = _rank_edges(edges, {node.slug for node in shown}, max_edges)
    box = _Box()
    if not shown:
        box.add(0, 0, 80, 10)
        return _svg(box, "network-whole", "Network: no actors",
                    ['<text class="ng-muted" x="0" y="4" text-anchor="middle">No actors to show</text>'])
    groups, slots = _order_ring(shown, kept)
    step = 2 * math.pi / slots
    angles = _angles(groups, step, slots - len(shown))
    radial = slots > 20
    ring = max(200.0 if radial else 150.0, slots * (17.0 if radial else 34.0) / (2 * math.pi))
    heaviest = max(node.weight for node in shown)
    largest = min(11.0, ring * step * 0.42)  # dots never touch their neighbours on a crowded ring
    position = {slug: (ring * math.sin(angle), -ring * math.cos(angle)) for slug, angle in angles.items()}
    box.add(0, 0, ring, ring)
    label_by_slug = {node.slug: _clean(node.label) for node in shown}
    parts = _chords(kept, position, label_by_slug)
    if radial and len(groups) > 1:
        parts += _group_arcs(groups, angles, step, ring - largest - 5)
    for group in groups:
        for node in group:
            x, y = position[node.slug]
            radius = _dot(node.weight, heaviest, 3.5, largest)
            label = _ring_label(_short(node.label), angles[node.slug], ring + largest + 5, radial, box)
            title = f"{label_by_slug[node.slug]} ({_clean(node.kind)}): {node.weight}"
            parts.append(_node(node, href, x, y, radius, title, label))
    if len(groups) > 1:
        parts += _legend([group[0].kind for group in groups if group[0].kind in KIND_ORDER], box)
    strongest = ", ".join(f"{label_by_slug[edge.source]} – {label_by_slug[edge.target]} ({edge.weight})"
                          for edge in kept[:5])
    aria = f"Network of {len(shown)} actors and {len(kept)} connections"
    if strongest:
        aria += f"; strongest: {strongest}"
    return _svg(box, "network-whole", aria, parts)

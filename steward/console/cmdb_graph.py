"""The impact graph drawn server-side as inline SVG: a layered layout, no JavaScript.

Layers are columns by distance (hops) from the start CIs; inside a column the nodes are
ordered by the mean row of the nodes that impact them (one barycentre pass, which removes
most crossings of a tree-like impact) and stacked at a fixed pitch, so nodes never overlap
however many a layer holds: the picture grows downwards and scrolls. Shape and colour say
the class family (the root of the CI's class), the outline says the status. Labels are cut
to fit; the full text is in each node's ``<title>``. Pure: the view passes plain values and
the template writes the SVG (so every label is escaped).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

NODE_W = 168
NODE_H = 36
ROW_PITCH = 48
"""Vertical distance between the tops of two nodes of one layer (NODE_H + 12 gap)."""
COLUMN_PITCH = 232
"""Horizontal distance between the left edges of two layers (NODE_W + 64 for the edges)."""
MARGIN = 16
LABEL_CHARS = 18

SHAPES = ("rect", "round", "ellipse", "hexagon", "diamond", "parallelogram")
COLOURS = ("#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#cffafe", "#fee2e2",
           "#e5e7eb")
STATUS_STYLES = {
    "in_use": ("#1f2937", ""),
    "planned": ("#2563eb", "2 3"),
    "maintenance": ("#d97706", "6 3"),
    "retired": ("#9ca3af", "1 2"),
}


@dataclass(frozen=True)
class GraphNode:
    id: int
    label: str
    title: str
    family: str
    status: str
    distance: int
    link: str = ""
    start: bool = False


@dataclass
class PlacedNode:
    node: GraphNode
    x: int
    y: int
    shape: str
    fill: str
    stroke: str
    dash: str
    short_label: str
    points: str = ""
    """For polygons: the outline as SVG points."""

    @property
    def cx(self) -> int:
        return self.x + NODE_W // 2

    @property
    def cy(self) -> int:
        return self.y + NODE_H // 2


@dataclass
class PlacedEdge:
    source: int
    target: int
    path: str


@dataclass
class Layout:
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]
    width: int
    height: int
    families: list[tuple[str, str, str, str]] = field(default_factory=list)
    """Legend: (family, shape, fill, polygon points of a small sample)."""
    statuses: list[tuple[str, str, str]] = field(default_factory=list)
    """Legend: (status, stroke, dash)."""
    node_w: int = NODE_W
    node_h: int = NODE_H
    node_rx: int = NODE_W // 2
    node_ry: int = NODE_H // 2


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` columns with an ellipsis (a CJK character takes two)."""
    width, cut = 0, list[str]()
    for char in text:
        width += 2 if ord(char) > 0x2E7F else 1
        if width > limit:
            return "".join(cut).rstrip() + "…"
        cut.append(char)
    return text


def _points(shape: str, x: int, y: int, w: int, h: int) -> str:
    if shape == "hexagon":
        k = h // 2
        pts = [(x + k, y), (x + w - k, y), (x + w, y + h // 2), (x + w - k, y + h), (x + k, y + h),
               (x, y + h // 2)]
    elif shape == "diamond":
        pts = [(x + w // 2, y), (x + w, y + h // 2), (x + w // 2, y + h), (x, y + h // 2)]
    elif shape == "parallelogram":
        k = h // 2
        pts = [(x + k, y), (x + w, y), (x + w - k, y + h), (x, y + h)]
    else:
        return ""
    return " ".join(f"{px},{py}" for px, py in pts)


def _order(layers: dict[int, list[GraphNode]], edges: Sequence[tuple[int, int]]
           ) -> dict[int, list[GraphNode]]:
    """Each layer sorted by the mean row of its providers in the layers before it."""
    providers: dict[int, list[int]] = defaultdict(list)
    for source, target in edges:
        providers[target].append(source)
    row: dict[int, float] = {}
    ordered: dict[int, list[GraphNode]] = {}
    for depth in sorted(layers):
        def key(node: GraphNode) -> tuple[float, str]:
            known = [row[p] for p in providers[node.id] if p in row]
            return (sum(known) / len(known) if known else 0.0, node.title)

        ordered[depth] = sorted(layers[depth], key=key)
        for index, node in enumerate(ordered[depth]):
            row[node.id] = index
    return ordered


def layout(nodes: Iterable[GraphNode], edges: Iterable[tuple[int, int]]) -> Layout:
    """Place ``nodes`` in columns by distance and route ``edges`` between placed nodes."""
    nodes = list(nodes)
    ids = {n.id for n in nodes}
    edges = [(s, t) for s, t in dict.fromkeys(edges) if s in ids and t in ids and s != t]
    families = sorted({n.family for n in nodes})
    style = {f: (SHAPES[i % len(SHAPES)], COLOURS[i % len(COLOURS)])
             for i, f in enumerate(families)}
    layers: dict[int, list[GraphNode]] = defaultdict(list)
    for node in nodes:
        layers[node.distance].append(node)
    placed: dict[int, PlacedNode] = {}
    ordered = _order(layers, edges)
    for column, depth in enumerate(sorted(layers)):
        for index, node in enumerate(ordered[depth]):
            x, y = MARGIN + column * COLUMN_PITCH, MARGIN + index * ROW_PITCH
            shape, fill = style[node.family]
            stroke, dash = STATUS_STYLES.get(node.status, STATUS_STYLES["in_use"])
            placed[node.id] = PlacedNode(
                node, x, y, shape, fill, stroke, dash, shorten(node.label),
                _points(shape, x, y, NODE_W, NODE_H),
            )
    routed = []
    for source, target in edges:
        a, b = placed[source], placed[target]
        x1, y1 = a.x + NODE_W, a.cy
        x2, y2 = b.x, b.cy
        bend = max(40, abs(x2 - x1) // 2)
        routed.append(PlacedEdge(source, target,
                                 f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"))
    height = MARGIN * 2 + max(len(v) for v in layers.values()) * ROW_PITCH if layers else 0
    width = MARGIN * 2 + len(layers) * COLUMN_PITCH - (COLUMN_PITCH - NODE_W) if layers else 0
    return Layout(
        nodes=list(placed.values()),
        edges=routed,
        width=width,
        height=height,
        families=[(f, *style[f], _points(style[f][0], 2, 2, 36, 16)) for f in families],
        statuses=[(s, *STATUS_STYLES[s]) for s in STATUS_STYLES
                  if any(n.status == s for n in nodes)],
    )

r"""A subgraph as an interactive vis-network page (pyvis), safe to show any role.

``network_drawing`` computes what vis-network draws (nodes, edges, options) and
keeps the map from the drawing's opaque ids back to keys on the server;
``network_html`` wraps a drawing in a page of its own (the export package's
standalone network file, and the dashboard's paths, findings and clusters
frames); the explorer passes the same drawing to its click-aware component
(``credgraph.dashboard.network_component``). What they guarantee:

- **Masking.** Nodes are given opaque ids (``n0``, ``n1``, ...); keys appear
  only as ``role`` may see them (``credgraph.dashboard.display``), so a viewer's
  page holds no unmasked person ID, not even in its data.
- **Escaping.** Labels and tooltips are text: vis-network draws labels on a
  canvas and writes tooltips with ``innerText``; the data is embedded as JSON
  with ``<``, ``>`` and ``&`` escaped, so a firm named ``</script><script>...``
  cannot close the script block; the page title is HTML-escaped.
- **Supernodes.** Breadth first from the focus, a node shows at most
  ``max_neighbours`` new neighbours (worst grade first, or as many as
  ``raised`` allows that node); the rest become one "N more" node.
- **Physics.** Up to ``PHYSICS_LIMIT`` nodes the layout settles with physics
  and then freezes; above it nodes are placed on rings by hop distance with
  physics off, so a large view never keeps the browser busy.
- **Offline.** vis-network's JavaScript and CSS (from the pyvis package) are
  inlined: the page needs no network access.

>>> from credgraph.graph.records import Node, Relationship, Subgraph
>>> sub = Subgraph((Node("Person", "44010619800101123X", {"name": "张三"}),
...                 Node("Enterprise", "914403001922038216", {"name": "<b>华为</b>"}, {"grade": "D"})),
...                (Relationship("LEGAL_REP_OF", "Person", "44010619800101123X",
...                              "Enterprise", "914403001922038216", "", {}),))
>>> page = network_html(sub, role="viewer", focus="914403001922038216")
>>> "44010619800101123X" in page, "4401**********123X" in page
(False, True)
>>> "<b>华为" in page, "\\u003cb\\u003e华为" in page
(False, True)
"""

from __future__ import annotations

import hashlib
import html
from importlib import resources
import json
import math
import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pyvis.network import Network

from credgraph.dashboard.display import (
    GRADES,
    RECORD_LABELS,
    describe,
    grade_of,
    relationship_caption,
    shown_key,
)
from credgraph.graph.errors import ConfigError
from credgraph.graph.records import Node, Relationship, Subgraph

PHYSICS_LIMIT = 300
RING_GAP = 260
LABEL_CHARS = 14

GRADE_COLOURS = {"A": "#2e7d32", "B": "#f9a825", "C": "#ef6c00", "D": "#c62828"}
UNGRADED_COLOUR = "#78909c"
RECORD_COLOUR = "#8d6e63"
OTHER_COLOUR = "#b0bec5"
MORE_COLOUR = "#eceff1"
SHAPES = {
    "Enterprise": ("dot", "●"),
    "Person": ("diamond", "◆"),
    "Agency": ("triangle", "▲"),
    "Project": ("square", "■"),
    "Penalty": ("star", "★"),
    "ListEntry": ("triangleDown", "▼"),
    "Address": ("hexagon", "⬢"),
    "Phone": ("hexagon", "⬢"),
    "Email": ("hexagon", "⬢"),
}
MORE_SHAPE = ("box", "▭")
MORE_SUFFIX = "-more"  # an "N more" node's id is its parent's id and this
_HEIGHT = re.compile(r"^\d{1,5}(px|vh|%)$")
VIS_ASSETS = resources.files("pyvis") / "lib" / "vis-9.1.2"


@dataclass
class CappedView:
    """What a capped network shows: nodes by hop, relationships, and "N more" aggregates."""

    focus: Node  # the first root of the search
    nodes: list[Node]
    hops: dict[str, int]
    relationships: list[Relationship]
    more: dict[str, int] = field(default_factory=dict)  # parent key -> neighbours left out

    @property
    def hidden(self) -> int:
        """How many nodes are left out in all."""
        return sum(self.more.values())


def _rank(node: Node, grades: Mapping[str, str] | None) -> tuple[int, int, str, str]:
    """Worst grade first, then subjects before contact points and records, then by key."""
    grade = grade_of(node, grades)
    return (-(GRADES.index(grade) if grade else -1), 0 if node.label in ("Enterprise", "Person") else 1,
            node.label, node.key)


def cap_neighbours(subgraph: Subgraph, focus: str | None = None, max_neighbours: int = 50,
                   grades: Mapping[str, str] | None = None, raised: Mapping[str, int] | None = None) -> CappedView:
    """Breadth first from ``focus``; each node adds at most ``max_neighbours`` new neighbours.

    Without ``focus``, the search starts from every node at depth 0 of the
    subgraph (the subjects of a merged neighbourhood). ``raised`` gives some
    nodes (by key) a cap of their own, e.g. after a click on their "N more".

    >>> from credgraph.graph.records import Node, Relationship, Subgraph
    >>> hub = Node("Address", "a", {})
    >>> firms = [Node("Enterprise", f"e{i}", {}) for i in range(5)]
    >>> rels = tuple(Relationship("HAS_ADDRESS", "Enterprise", f.key, "Address", "a", "", {}) for f in firms)
    >>> view = cap_neighbours(Subgraph((hub, *firms), rels), "a", max_neighbours=2)
    >>> [n.key for n in view.nodes], view.more
    (['a', 'e0', 'e1'], {'a': 3})
    >>> cap_neighbours(Subgraph((hub, *firms), rels), "a", max_neighbours=2, raised={"a": 4}).more
    {'a': 1}
    """
    if not subgraph.nodes:
        raise ConfigError("nothing to draw: the subgraph has no nodes")
    by_key = {n.key: n for n in subgraph.nodes}
    roots = [by_key[focus]] if focus in by_key else sorted(
        (n for n in subgraph.nodes if subgraph.depth.get(n.key) == 0), key=lambda n: n.key)
    roots = roots or [min(subgraph.nodes, key=lambda n: (subgraph.depth.get(n.key, 0), n.key))]
    adjacent: dict[str, set[str]] = {}
    for rel in subgraph.relationships:
        adjacent.setdefault(rel.src, set()).add(rel.dst)
        adjacent.setdefault(rel.dst, set()).add(rel.src)
    hops = {root.key: 0 for root in roots}
    order, seen, more = list(roots), set(hops), {}
    queue = deque(roots)
    while queue:
        here = queue.popleft()
        fresh = sorted((by_key[k] for k in adjacent.get(here.key, ()) if k not in seen and k in by_key),
                       key=lambda n: _rank(n, grades))
        seen.update(n.key for n in fresh)
        cap = (raised or {}).get(here.key, max_neighbours)
        if len(fresh) > cap:
            more[here.key] = len(fresh) - cap
            fresh = fresh[:cap]
        for node in fresh:
            hops[node.key] = hops[here.key] + 1
            order.append(node)
            queue.append(node)
    rels = [r for r in subgraph.relationships if r.src in hops and r.dst in hops]
    return CappedView(roots[0], order, hops, rels, more)


def _label(node: Node, role: str) -> str:
    text = describe(node) if node.label in RECORD_LABELS else (node.name or shown_key(node, role))
    text = str(text)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _title(node: Node, role: str, grade: str | None) -> str:
    lines = [f"{node.label}: {describe(node) or shown_key(node, role)}", f"id: {shown_key(node, role)}"]
    if grade:
        score = node.scores.get("total_score")
        lines.append(f"grade {grade}" + (f", risk {score:g}" if isinstance(score, (int, float)) else ""))
    if node.label == "Enterprise" and node.props.get("status"):
        lines.append(f"status: {node.props['status']}")
    return "\n".join(lines)


def _colour(node: Node, grade: str | None) -> str:
    if grade:
        return GRADE_COLOURS[grade]
    if node.label in ("Enterprise", "Person"):
        return UNGRADED_COLOUR
    return RECORD_COLOUR if node.label in RECORD_LABELS else OTHER_COLOUR


def _ring_positions(view: CappedView, ids: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    """Nodes on concentric rings by hop, in breadth-first order (siblings stay together)."""
    rings: dict[int, list[str]] = {}
    for node in view.nodes:
        rings.setdefault(view.hops[node.key], []).append(node.key)
    places: dict[str, tuple[float, float]] = {}
    for hop, keys in rings.items():
        radius = hop * RING_GAP * max(1.0, math.sqrt(len(keys) / 40))
        for i, key in enumerate(keys):
            angle = 2 * math.pi * i / len(keys)
            places[ids[key]] = (radius * math.cos(angle), radius * math.sin(angle))
    return places


def _build(view: CappedView, role: str, grades: Mapping[str, str] | None) -> Network:
    net = Network(width="100%", directed=True)
    ids = {node.key: f"n{i}" for i, node in enumerate(view.nodes)}
    large = len(view.nodes) + len(view.more) > PHYSICS_LIMIT
    places = _ring_positions(view, ids) if large else {}
    for node in view.nodes:
        grade = grade_of(node, grades)
        shape = SHAPES.get(node.label, ("ellipse", "○"))[0]
        extra: dict[str, Any] = {}
        if ids[node.key] in places:
            extra["x"], extra["y"] = places[ids[node.key]]
        focus = node.key == view.focus.key
        net.add_node(ids[node.key], label=_label(node, role), title=_title(node, role, grade),
                     color=_colour(node, grade), shape=shape, size=30 if focus else 16,
                     borderWidth=4 if focus else 1, **extra)
    for parent, count in view.more.items():
        net.add_node(f"{ids[parent]}{MORE_SUFFIX}", label=f"{count} more", shape=MORE_SHAPE[0], color=MORE_COLOUR,
                     title=f"{count} more neighbours not shown")
        net.add_edge(ids[parent], f"{ids[parent]}{MORE_SUFFIX}", dashes=True, arrows="")
    for rel in view.relationships:
        net.add_edge(ids[rel.src], ids[rel.dst], title=relationship_caption(rel), label=rel.type.lower())
    return net


@dataclass(frozen=True)
class Drawing:
    """What vis-network draws for one role, and what stays on the server.

    ``nodes``, ``edges`` and ``options`` may go to a browser: labels and
    tooltips are as ``role`` may see them and nodes have opaque ids. ``keys``
    (opaque id -> key), ``more`` ("N more" id -> key of the node it belongs
    to) and ``view`` hold real keys and must never leave the server.
    """

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    keys: dict[str, str]
    more: dict[str, str]
    view: CappedView
    name: str  # the focus as role may see it
    summary: str
    version: str  # a digest of the drawn data, to tell one drawing from the next


def network_drawing(subgraph: Subgraph, *, role: str, focus: str | None = None,
                    grades: Mapping[str, str] | None = None, max_neighbours: int = 50,
                    raised: Mapping[str, int] | None = None) -> Drawing:
    """The vis-network data of ``subgraph`` for ``role`` (parameters as ``network_html``).

    >>> from credgraph.graph.records import Node, Relationship, Subgraph
    >>> sub = Subgraph((Node("Person", "44010619800101123X", {"name": "张三"}),
    ...                 Node("Enterprise", "914403001922038216", {"name": "华为"})),
    ...                (Relationship("LEGAL_REP_OF", "Person", "44010619800101123X",
    ...                              "Enterprise", "914403001922038216", "", {}),))
    >>> drawing = network_drawing(sub, role="viewer", focus="914403001922038216")
    >>> [n["id"] for n in drawing.nodes], drawing.keys["n1"]
    (['n0', 'n1'], '44010619800101123X')
    >>> drawing.name, drawing.summary
    ('华为 (914403001922038216)', '2 nodes, 1 relationships')
    """
    if max_neighbours < 1:
        raise ConfigError(f"max_neighbours {max_neighbours}: use 1 or more")
    view = cap_neighbours(subgraph, focus, max_neighbours, grades, raised)
    net = _build(view, role, grades)
    keys = {f"n{i}": node.key for i, node in enumerate(view.nodes)}
    ids = {key: node_id for node_id, key in keys.items()}
    summary = f"{len(view.nodes)} nodes, {len(view.relationships)} relationships"
    if view.hidden:
        summary += f"; {view.hidden} more neighbours aggregated"
    options = _options(len(view.nodes) + len(view.more) > PHYSICS_LIMIT)
    digest = hashlib.sha256(_script_json([net.nodes, net.edges, options]).encode()).hexdigest()[:16]
    return Drawing(net.nodes, net.edges, options, keys, {f"{ids[k]}{MORE_SUFFIX}": k for k in view.more}, view,
                   f"{describe(view.focus) or view.focus.label} ({shown_key(view.focus, role)})", summary, digest)


def _options(large: bool) -> dict[str, Any]:
    return {
        "physics": {"enabled": not large, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "springLength": 140},
                    "stabilization": {"enabled": True, "iterations": 250, "fit": True}},
        "edges": {"font": {"size": 9, "color": "#607d8b"}, "smooth": False, "arrows": {"to": {"scaleFactor": 0.5}}},
        "nodes": {"font": {"size": 13}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "layout": {"improvedLayout": not large},
    }


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>`` can close it)."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@cache
def _assets() -> tuple[str, str]:
    return ((VIS_ASSETS / "vis-network.min.js").read_text(encoding="utf-8"),
            (VIS_ASSETS / "vis-network.css").read_text(encoding="utf-8"))


def legend_rows() -> list[list[tuple[str, str, str]]]:
    """The legend as rows of (symbol, colour, text): colours by grade, then shapes by type.

    >>> grades, shapes = legend_rows()
    >>> grades[0], shapes[-1]
    (('●', '#2e7d32', 'grade A'), ('▭', '', 'N more (capped)'))
    """
    grades = [("●", colour, f"grade {grade}") for grade, colour in GRADE_COLOURS.items()]
    shapes = [(symbol, "", "Address / Phone / Email" if label == "Address" else label)
              for label, (_, symbol) in SHAPES.items() if label not in ("Phone", "Email")]
    return [[*grades, ("●", UNGRADED_COLOUR, "not graded")], [*shapes, (MORE_SHAPE[1], "", "N more (capped)")]]


def legend_html() -> str:
    """The legend as HTML (static text, no data)."""
    def key(symbol: str, colour: str, text: str) -> str:
        style = f' style="color:{colour}"' if colour else ""
        return f'<span class="key"><i{style}>{symbol}</i> {html.escape(text)}</span>'

    rows = ("".join(key(*k) for k in row) for row in legend_rows())
    return f'<div class="legend">{"<br>".join(rows)}</div>'


_PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title>
<style>{css}</style>
<style>
body {{ margin: 0; font-family: sans-serif; }}
#network {{ width: 100%; height: {height}; border: 1px solid #cfd8dc; }}
.legend {{ font-size: 12px; color: #37474f; padding: 4px 2px; line-height: 1.6; }}
.legend .key {{ margin-right: 12px; white-space: nowrap; }}
.legend i {{ font-style: normal; font-size: 15px; }}
#info {{ font-size: 12px; color: #37474f; white-space: pre-line; min-height: 1.2em; padding: 2px; }}
.vis-tooltip {{ white-space: pre-line !important; }}
h1 {{ font-size: 16px; margin: 6px 2px; }}
</style>
<script>{js}</script>
</head><body>
{heading}
{legend}
<div id="network"></div>
<div id="info">{summary}</div>
<script>
(function () {{
  var nodes = new vis.DataSet({nodes});
  var edges = new vis.DataSet({edges});
  var options = {options};
  var network = new vis.Network(document.getElementById("network"), {{nodes: nodes, edges: edges}}, options);
  network.once("stabilizationIterationsDone", function () {{ network.setOptions({{physics: false}}); network.fit(); }});
  // A drawing made in a hidden tab has no size: fit it when it gets one.
  new ResizeObserver(function () {{ network.fit(); }}).observe(document.getElementById("network"));
  network.on("click", function (params) {{
    if (params.nodes.length) {{
      var node = nodes.get(params.nodes[0]);
      document.getElementById("info").textContent = node.title || node.label;
    }}
  }});
  window.credgraphNetwork = network;
}})();
</script>
</body></html>
"""


def network_html(subgraph: Subgraph, *, role: str, focus: str | None = None,
                 grades: Mapping[str, str] | None = None, max_neighbours: int = 50,
                 height: str = "640px", standalone: bool = False) -> str:
    """An HTML page drawing ``subgraph`` for ``role`` (see the module docstring).

    Parameters
    ----------
    subgraph : Subgraph
        E.g. ``store.neighbourhood(key, depth)``.
    role : str
        The viewer's role; person IDs are masked below ``investigator``.
    focus : str, optional
        Key of the node to centre on; the depth-0 node of the subgraph by default.
    grades : Mapping[str, str], optional
        Grades by key, overriding the grades stored on the nodes.
    max_neighbours : int
        New neighbours shown per node; the rest are aggregated into "N more".
    height : str
        CSS height of the drawing, e.g. ``"640px"`` or ``"80vh"``.
    standalone : bool
        A document for a file of its own (with a heading naming the focus and
        what was left out); otherwise the bare drawing for an embedding frame.
        Both inline vis-network, so neither needs network access.

    Returns
    -------
    str
        The HTML document.
    """
    if not _HEIGHT.match(height):
        raise ConfigError(f"height {height!r}: use a CSS length such as 640px or 80vh")
    drawing = network_drawing(subgraph, role=role, focus=focus, grades=grades, max_neighbours=max_neighbours)
    js, css = _assets()
    heading = f"<h1>Network of {html.escape(drawing.name)}</h1>" if standalone else ""
    return _PAGE.format(
        title=html.escape(f"credgraph: {drawing.name}"), css=css, js=js, height=height, heading=heading,
        legend=legend_html(), summary=html.escape(drawing.summary + ". Click a node for its details."),
        nodes=_script_json(drawing.nodes), edges=_script_json(drawing.edges), options=_script_json(drawing.options),
    )

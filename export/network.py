"""``network.html``: the package's network drawn by the dashboard's renderer, standalone and offline.

The renderer (``credgraph.dashboard.network_html``) masks person IDs for
roles that may not see them; the package hands it nodes whose keys are
already as the package shows them (pseudonyms in a masked package), so the
page names people exactly as the other files do. The drawing starts from the
selection's subjects and, like the dashboard, aggregates more than 50 new
neighbours of one node into an "N more" node; the tables hold everything.
"""

from __future__ import annotations

from pathlib import Path

from credgraph.export.flatten import PackageGraph
from credgraph.graph.records import Node, Relationship, Subgraph


def package_subgraph(graph: PackageGraph, focus: list[str]) -> Subgraph:
    """The package graph as a ``Subgraph`` keyed by shown keys, the focus at depth 0."""
    key_of = {n.id: n.key for n in graph.nodes}
    nodes = tuple(Node(n.type, n.key, n.props, n.scores) for n in graph.nodes)
    rels = tuple(Relationship(e.type, e.source_type, key_of[e.source], e.target_type, key_of[e.target],
                              e.id, e.props) for e in graph.edges)
    return Subgraph(nodes, rels, {key: 0 for key in focus})


def write_network(graph: PackageGraph, path: Path, *, role: str, focus: list[str]) -> str | None:
    """Write ``network.html``; return why it was left out (no renderer, nothing to draw), else ``None``."""
    if not graph.nodes:
        return "the package has no nodes to draw"
    try:
        from credgraph.dashboard.network_html import network_html
    except ImportError as exc:
        return f"the network renderer is not installed ({exc})"
    page = network_html(package_subgraph(graph, focus), role=role, standalone=True)
    path.write_text(page, encoding="utf-8")
    return None

"""``graph.graphml`` and ``graph.gexf`` for Gephi, yEd, Cytoscape and networkx.

Both hold one directed multigraph: nodes by package id, edges keyed by their
package id (two periods as legal representative are two edges). Attributes
are what the formats can hold: text, integers, floats and booleans; dates are
ISO strings, lists ``;``-joined (``credgraph.export.cells.plain``); a missing
value is left out rather than written empty. ``type`` is the node label or
relationship type and ``label`` the name Gephi shows. XML 1.0 cannot hold
most control characters at all (not even escaped): they become U+FFFD.

>>> from credgraph.export.flatten import ExportNode, PackageGraph
>>> g = to_networkx(PackageGraph(nodes=[ExportNode("Phone:1", "Phone", "1", "1", {"phone": "1"}, {}, {})]))
>>> dict(g.nodes["Phone:1"])
{'type': 'Phone', 'label': '1', 'key': '1', 'phone': '1'}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx

from credgraph.export.cells import plain
from credgraph.export.flatten import PackageGraph


XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """Text with the characters XML 1.0 cannot hold replaced by U+FFFD; other values as they are."""
    return XML_ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value


def _attrs(row: dict[str, Any], drop: tuple[str, ...]) -> dict[str, Any]:
    return {xml_safe(k): xml_safe(plain(v)) for k, v in row.items() if k not in drop and v is not None}


def to_networkx(graph: PackageGraph) -> nx.MultiDiGraph:
    """The package graph as a networkx ``MultiDiGraph`` with format-safe attributes."""
    g = nx.MultiDiGraph()
    for node in graph.nodes:
        g.add_node(xml_safe(node.id), **_attrs(node.row(), ("id",)))
    for edge in graph.edges:
        g.add_edge(xml_safe(edge.source), xml_safe(edge.target), key=xml_safe(edge.id),
                   **_attrs(edge.row(), ("id", "source", "target")))
    return g


def write_graphml(graph: PackageGraph, path: Path) -> None:
    """GraphML with typed attribute keys (string, int, double, boolean)."""
    nx.write_graphml(to_networkx(graph), path, encoding="utf-8", prettyprint=True, named_key_ids=True)


def write_gexf(graph: PackageGraph, path: Path) -> None:
    """GEXF 1.2 with the attributes of the GraphML file.

    GEXF reserves an edge's ``type`` for directed/undirected, so there the
    relationship type is the edge's ``label`` and its ``rel_type`` attribute.
    """
    g = to_networkx(graph)
    for _, _, data in g.edges(data=True):
        data["rel_type"] = data["label"] = data.pop("type")
    nx.write_gexf(g, path, encoding="utf-8", prettyprint=True, version="1.2draft")


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """A package's GraphML read back (for checks: it equals ``to_networkx`` of the package)."""
    return nx.read_graphml(path, force_multigraph=True)

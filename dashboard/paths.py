"""Shortest paths between two subjects, over the store's neighbourhoods.

A path of at most ``max_hops = a + b`` links from X to Y has its first ``a``
links inside X's neighbourhood of depth ``a`` and the rest inside Y's of depth
``b`` (the node ``a`` links along is within ``a`` of X and ``b`` of Y). So the
union of the two induced neighbourhoods holds every such path, and two
bounded neighbourhood reads replace a search over the whole graph. By default
paths run over the links between subjects and their shared contact points and
projects (not through records or agencies, which tie together everyone an
agency has fined).

>>> from credgraph.graph.store import open_store
>>> from tests.sample_graph import load_sample, P1, E3
>>> store = open_store(":memory:")
>>> load_sample(store)
>>> [p.keys for p in shortest_paths(store, P1, E3, max_hops=4)]
[['440106198001010019', '91110108551385082Q', '91440300MA5F00001A'],
 ['440106198001010019', '914403001922038216', '91440300MA5F00001A']]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

import networkx as nx

from credgraph.dashboard.display import node_caption, relationship_caption
from credgraph.dashboard.subjects import find_subject
from credgraph.graph.errors import ConfigError
from credgraph.graph.records import Node, Relationship
from credgraph.graph.store import GraphStore

PATH_LINKS = ("LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF", "CONTROLS", "GUARANTEES",
              "HAS_PHONE", "HAS_EMAIL", "HAS_ADDRESS", "BID_ON")
MAX_HOPS = 6


@dataclass(frozen=True)
class Path:
    """One path: its node keys in order and the relationships between them."""

    keys: list[str]
    nodes: list[Node]
    steps: list[Relationship]

    def caption(self, role: str) -> str:
        """The path as one line of text for ``role``."""
        parts = [node_caption(self.nodes[0], role)]
        for rel, node in zip(self.steps, self.nodes[1:]):
            parts.append(f"-[{relationship_caption(rel)}]-")
            parts.append(node_caption(node, role))
        return " ".join(parts)


def shortest_paths(store: GraphStore, source: str, target: str, max_hops: int = 4,
                   rel_types: Sequence[str] | None = PATH_LINKS, as_of: dt.date | None = None,
                   limit: int = 10) -> list[Path]:
    """Up to ``limit`` shortest paths of at most ``max_hops`` links between two subjects.

    Links are followed in either direction; with ``as_of`` only those in
    force then. An empty list means no path within ``max_hops``.
    """
    if not 1 <= max_hops <= MAX_HOPS:
        raise ConfigError(f"max hops {max_hops}: use 1 to {MAX_HOPS}")
    start, end = find_subject(store, source), find_subject(store, target)
    if start.key == end.key:
        return [Path([start.key], [start], [])]
    near = (max_hops + 1) // 2
    halves = [store.neighbourhood(start.key, near, rel_types, as_of),
              store.neighbourhood(end.key, max_hops - near, rel_types, as_of)]
    nodes = {n.key: n for half in halves for n in half.nodes}
    graph = nx.MultiGraph()
    for half in halves:
        for rel in half.relationships:
            graph.add_edge(rel.src, rel.dst, key=rel.identity, rel=rel)
    if start.key not in graph or end.key not in graph:
        return []
    try:
        found = sorted(islice(nx.all_shortest_paths(graph, start.key, end.key), limit))
    except nx.NetworkXNoPath:
        return []
    paths = []
    for keys in found:
        if len(keys) - 1 > max_hops:
            continue
        steps = [min(graph.get_edge_data(a, b).values(), key=lambda d: d["rel"].identity)["rel"]
                 for a, b in zip(keys, keys[1:])]
        paths.append(Path(keys, [nodes[k] for k in keys], steps))
    return paths

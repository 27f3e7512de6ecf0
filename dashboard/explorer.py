"""The network explorer's view: a centre's neighbourhood plus the nodes the user expanded.

>>> from credgraph.graph.store import open_store
>>> from tests.sample_graph import load_sample, E1, E2
>>> store = open_store(":memory:")
>>> load_sample(store)
>>> len(explorer_subgraph(store, E1, 1).nodes), len(explorer_subgraph(store, E1, 1, expanded=[E2]).nodes)
(5, 7)
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Mapping, Sequence

from credgraph.graph.errors import NotFoundError
from credgraph.graph.records import Node, Relationship, Subgraph
from credgraph.graph.store import GraphStore


def merge_subgraphs(parts: Sequence[Subgraph]) -> Subgraph:
    """One subgraph of several: nodes and relationships once each, each node at its least depth."""
    nodes: dict[tuple[str, str], Node] = {}
    rels: dict[tuple[str, str, str, str], Relationship] = {}
    depth: dict[str, int] = {}
    for part in parts:
        for node in part.nodes:
            nodes.setdefault((node.label, node.key), node)
            hop = part.depth.get(node.key)
            if hop is not None:
                depth[node.key] = min(depth.get(node.key, hop), hop)
        rels.update((r.identity, r) for r in part.relationships)
    return Subgraph(tuple(nodes.values()), tuple(rels[k] for k in sorted(rels)), depth)


def union_neighbourhood(store: GraphStore, keys: Sequence[str], depth: int = 1,
                        rel_types: Sequence[str] | None = None, as_of: dt.date | None = None) -> Subgraph:
    """The neighbourhoods of several subjects merged (keys not in force on ``as_of`` are skipped)."""
    parts = []
    for key in keys:
        try:
            parts.append(store.neighbourhood(key, depth, rel_types, as_of))
        except NotFoundError:
            continue
    return merge_subgraphs(parts)


def explorer_subgraph(store: GraphStore, centre: str, depth: int, expanded: Sequence[str] = (),
                      rel_types: Sequence[str] | None = None, as_of: dt.date | None = None) -> Subgraph:
    """``centre``'s neighbourhood to ``depth`` plus the direct neighbours of each ``expanded`` node.

    Depths count from the centre only (an expanded node's neighbours are one
    further than it), so the drawing keeps the centre in the middle.
    """
    base = store.neighbourhood(centre, depth, rel_types, as_of)
    extra = union_neighbourhood(store, [k for k in expanded if k != centre], 1, rel_types, as_of)
    merged = merge_subgraphs([base, Subgraph(extra.nodes, extra.relationships, {})])
    return Subgraph(merged.nodes, merged.relationships, _hops(base.depth, extra.relationships))


def _hops(known: Mapping[str, int], rels: Sequence[Relationship]) -> dict[str, int]:
    """Hop counts from the centre, extended over ``rels`` shortest first (Dijkstra with unit steps)."""
    adjacent: dict[str, set[str]] = {}
    for rel in rels:
        adjacent.setdefault(rel.src, set()).add(rel.dst)
        adjacent.setdefault(rel.dst, set()).add(rel.src)
    hops = dict(known)
    queue = [(hop, key) for key, hop in hops.items()]
    heapq.heapify(queue)
    while queue:
        hop, key = heapq.heappop(queue)
        if hop > hops[key]:
            continue
        for other in sorted(adjacent.get(key, ())):
            if hop + 1 < hops.get(other, hop + 2):
                hops[other] = hop + 1
                heapq.heappush(queue, (hop + 1, other))
    return hops

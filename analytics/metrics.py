"""Graph metrics investigators use: connected groups, communities, PageRank, betweenness.

All work on the *subject graph*: enterprises and persons, tied by the
relationship types of ``[metrics] rel_types`` (ownership, control, legal
representatives, officers, guarantees by default; contact points are left out
because business centres would glue unrelated firms together), undirected, one
edge per linked pair weighted by the number of relationships. igraph does the
work; every result is deterministic:

- ``connected_groups``: weakly connected components, numbered 1, 2, ... by
  size (largest first), ties by smallest member id;
- ``communities``: Leiden on modularity with ``resolution`` > 1 (against the
  resolution limit) and a fixed ``seed``, numbered the same way;
- ``pagerank``: undirected PageRank times the number of nodes, so 1.0 is average;
- ``betweenness``: normalised to [0, 1]; exact up to
  ``betweenness_exact_max_nodes`` nodes, else estimated from
  ``betweenness_samples`` random source nodes and scaled (Brandes & Pich 2007).

>>> from credgraph.graph.records import Node, Relationship
>>> p = Projection.build(
...     [Node("Person", "p", {}), Node("Enterprise", "a", {}), Node("Enterprise", "b", {}),
...      Node("Enterprise", "lone", {})],
...     [Relationship("LEGAL_REP_OF", "Person", "p", "Enterprise", "a", "", {}),
...      Relationship("LEGAL_REP_OF", "Person", "p", "Enterprise", "b", "", {})])
>>> connected_groups(p)
{'p': 1, 'a': 1, 'b': 1, 'lone': 2}
>>> round(betweenness(p)["p"], 4)   # on the one a-b path of the 3 pairs among the 4 subjects
0.3333
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import igraph
import numpy as np

from credgraph.analytics.common import node_key, paused_gc
from credgraph.analytics.config import AnalyticsConfig, MetricsConfig, load_config
from credgraph.graph.projection import Projection

SUBJECT_LABELS = ("Enterprise", "Person")


def _defaults() -> MetricsConfig:
    return load_config().metrics


@dataclass(frozen=True)
class SubjectGraph:
    """An undirected igraph over the subjects, with the projection position of each vertex."""

    graph: igraph.Graph
    positions: np.ndarray


def subject_graph(projection: Projection, rel_types: Sequence[str] | None = None) -> SubjectGraph:
    """Subjects as vertices, one weighted edge per linked pair (loops dropped)."""
    types = tuple(rel_types if rel_types is not None else _defaults().rel_types)
    labels = np.asarray(projection.labels, dtype=object)
    positions = np.flatnonzero(np.isin(labels, list(SUBJECT_LABELS))) if len(labels) else np.zeros(0, np.int64)
    vertex = np.full(projection.node_count, -1)
    vertex[positions] = np.arange(len(positions))
    mask = projection.relationship_mask(types)
    a, b = vertex[projection.src[mask]], vertex[projection.dst[mask]]
    keep = (a >= 0) & (b >= 0) & (a != b)
    n = len(positions)
    pair_keys, counts = np.unique(np.minimum(a[keep], b[keep]) * n + np.maximum(a[keep], b[keep]), return_counts=True)
    edges = np.stack([pair_keys // max(n, 1), pair_keys % max(n, 1)], axis=1)
    graph = igraph.Graph(n=n, edges=edges, directed=False)
    graph.es["weight"] = counts.astype(float)
    return SubjectGraph(graph, positions)


def _numbered(projection: Projection, sub: SubjectGraph, membership: Sequence[int]) -> dict[str, int]:
    """Group ids renumbered 1, 2, ... by size (largest first), ties by smallest member id."""
    ids = [projection.ids[p] for p in sub.positions.tolist()]
    groups = np.asarray(membership, dtype=np.int64)
    if len(groups) == 0:
        return {}
    by_id = np.argsort(np.asarray(ids, dtype=object), kind="stable")
    first = np.full(groups.max() + 1, len(ids))
    np.minimum.at(first, groups[by_id], np.arange(len(ids)))  # rank of each group's smallest member id
    sizes = np.bincount(groups)
    order = np.lexsort((first, -sizes))
    number = np.empty(len(sizes), np.int64)
    number[order] = np.arange(1, len(sizes) + 1)
    return dict(zip(ids, number[groups].tolist()))


def connected_groups(projection: Projection, rel_types: Sequence[str] | None = None,
                     sub: SubjectGraph | None = None) -> dict[str, int]:
    """The connected group (1 = largest) of every subject.

    Parameters
    ----------
    projection : Projection
        Enterprises, persons and their relationships.
    rel_types : sequence of str, optional
        Links that count; ``[metrics] rel_types`` by default.
    sub : SubjectGraph, optional
        A subject graph built already (``graph_metrics`` shares one).

    Returns
    -------
    dict
        ``{subject_id: group}``, groups numbered by size, ties by smallest member id.
    """
    sub = sub or subject_graph(projection, rel_types)
    return _numbered(projection, sub, sub.graph.connected_components().membership)


def communities(projection: Projection, rel_types: Sequence[str] | None = None,
                resolution: float | None = None, seed: int | None = None,
                sub: SubjectGraph | None = None) -> dict[str, int]:
    """Leiden communities (modularity, fixed seed) of every subject, 1 = largest.

    Parameters
    ----------
    projection : Projection
        Enterprises, persons and their relationships.
    rel_types : sequence of str, optional
        Links that count; ``[metrics] rel_types`` by default.
    resolution : float, optional
        Above 1 finds smaller communities; ``[metrics] resolution`` (1.5) by default.
    seed : int, optional
        igraph's random seed for this call; ``[metrics] seed`` by default.
    sub : SubjectGraph, optional
        A subject graph built already.

    Returns
    -------
    dict
        ``{subject_id: community}``, numbered by size, ties by smallest member id.

    Examples
    --------
    >>> from credgraph.graph.records import Node, Relationship
    >>> firms = [Node("Enterprise", f"e{i}", {}) for i in range(6)]
    >>> ring = lambda a, b: Relationship("GUARANTEES", "Enterprise", a, "Enterprise", b, "", {})
    >>> p = Projection.build(firms, [ring("e0", "e1"), ring("e1", "e2"), ring("e2", "e0"),
    ...                              ring("e3", "e4"), ring("e4", "e5"), ring("e5", "e3"), ring("e2", "e3")])
    >>> sorted(set(communities(p).values()))
    [1, 2]
    """
    cfg = _defaults()
    sub = sub or subject_graph(projection, rel_types)
    igraph.set_random_number_generator(random.Random(cfg.seed if seed is None else seed))
    try:
        found = sub.graph.community_leiden(
            objective_function="modularity", weights="weight",
            resolution=cfg.resolution if resolution is None else resolution, n_iterations=-1,
        )
    finally:
        igraph.set_random_number_generator(random)
    return _numbered(projection, sub, found.membership)


def pagerank(projection: Projection, rel_types: Sequence[str] | None = None,
             damping: float | None = None, sub: SubjectGraph | None = None) -> dict[str, float]:
    """Undirected, weighted PageRank of every subject times the number of subjects (1.0 = average).

    Parameters
    ----------
    projection : Projection
        Enterprises, persons and their relationships.
    rel_types : sequence of str, optional
        Links that count; ``[metrics] rel_types`` by default.
    damping : float, optional
        ``[metrics] pagerank_damping`` (0.85) by default.
    sub : SubjectGraph, optional
        A subject graph built already.

    Returns
    -------
    dict
        ``{subject_id: pagerank}``; the values add up to the number of subjects.
    """
    cfg = _defaults()
    sub = sub or subject_graph(projection, rel_types)
    n = sub.graph.vcount()
    if n == 0:
        return {}
    values = sub.graph.pagerank(directed=False, weights="weight",
                                damping=cfg.pagerank_damping if damping is None else damping)
    return {projection.ids[p]: float(v) * n for p, v in zip(sub.positions.tolist(), values)}


def betweenness(projection: Projection, rel_types: Sequence[str] | None = None,
                exact_max_nodes: int | None = None, samples: int | None = None,
                seed: int | None = None, sub: SubjectGraph | None = None) -> dict[str, float]:
    """Normalised betweenness of every subject: exact on small graphs, source-sampled on large ones.

    Parameters
    ----------
    projection : Projection
        Enterprises, persons and their relationships.
    rel_types : sequence of str, optional
        Links that count; ``[metrics] rel_types`` by default.
    exact_max_nodes : int, optional
        Exact up to this many subjects (``[metrics]``, 20,000).
    samples : int, optional
        Random source nodes above that (64); the estimate is scaled by ``n / samples``.
    seed : int, optional
        Seed of the sample.
    sub : SubjectGraph, optional
        A subject graph built already.

    Returns
    -------
    dict
        ``{subject_id: betweenness}`` in [0, 1].
    """
    cfg = _defaults()
    sub = sub or subject_graph(projection, rel_types)
    n = sub.graph.vcount()
    if n < 3:
        return {projection.ids[p]: 0.0 for p in sub.positions.tolist()}
    limit = cfg.betweenness_exact_max_nodes if exact_max_nodes is None else exact_max_nodes
    k = min(n, cfg.betweenness_samples if samples is None else samples)
    if n <= limit or k >= n:
        raw = np.asarray(sub.graph.betweenness(directed=False))
    else:
        picked = sorted(random.Random(cfg.seed if seed is None else seed).sample(range(n), k))
        raw = np.asarray(sub.graph.betweenness(directed=False, sources=picked)) * (n / k)
    values = np.clip(raw / ((n - 1) * (n - 2) / 2.0), 0.0, 1.0)
    return {projection.ids[p]: float(v) for p, v in zip(sub.positions.tolist(), values)}


@dataclass(frozen=True)
class GraphMetrics:
    """The four metrics of every subject, ready to write back."""

    component: dict[str, int]
    community: dict[str, int]
    pagerank: dict[str, float]
    betweenness: dict[str, float]

    def score_updates(self, projection: Projection) -> dict[str, dict[str, dict[str, Any]]]:
        """``{label: {key: {component, community, pagerank, betweenness}}}`` for ``write_scores``."""
        updates: dict[str, dict[str, dict[str, Any]]] = {}
        with paused_gc():
            for node_id, component in self.component.items():
                pos = projection.index[node_id]
                updates.setdefault(projection.labels[pos], {})[node_key(projection, pos)] = {
                    "component": component,
                    "community": self.community[node_id],
                    "pagerank": round(self.pagerank[node_id], 6),
                    "betweenness": round(self.betweenness[node_id], 8),
                }
        return updates

    def group_counts(self) -> dict[str, int]:
        """How many groups and communities, and the size of the largest group."""
        sizes = np.bincount(np.fromiter(self.component.values(), int)) if self.component else np.zeros(1, int)
        return {"groups": len(set(self.component.values())), "communities": len(set(self.community.values())),
                "largest_group": int(sizes.max())}


def graph_metrics(projection: Projection, config: AnalyticsConfig | None = None) -> GraphMetrics:
    """Connected groups, communities, PageRank and betweenness of every subject.

    Parameters
    ----------
    projection : Projection
        Enterprises, persons and their relationships.
    config : AnalyticsConfig, optional
        ``[metrics]`` settings; the defaults of ``risk.toml`` otherwise.

    Returns
    -------
    GraphMetrics
        The four mappings, with ``score_updates()`` for ``store.write_scores``.

    Examples
    --------
    >>> from credgraph.graph.records import Node, Relationship
    >>> p = Projection.build([Node("Person", "p", {}), Node("Enterprise", "e", {})],
    ...                      [Relationship("LEGAL_REP_OF", "Person", "p", "Enterprise", "e", "", {})])
    >>> graph_metrics(p).group_counts()
    {'groups': 1, 'communities': 1, 'largest_group': 2}
    """
    cfg = (config or load_config()).metrics
    sub = subject_graph(projection, cfg.rel_types)
    return GraphMetrics(
        component=connected_groups(projection, sub=sub),
        community=communities(projection, resolution=cfg.resolution, seed=cfg.seed, sub=sub),
        pagerank=pagerank(projection, damping=cfg.pagerank_damping, sub=sub),
        betweenness=betweenness(projection, exact_max_nodes=cfg.betweenness_exact_max_nodes,
                                samples=cfg.betweenness_samples, seed=cfg.seed, sub=sub),
    )

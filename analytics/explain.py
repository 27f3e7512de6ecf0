"""Why one subject scores what it does: its records, the exact share of each source, the strongest paths.

Computed on demand for one subject, after ``risk_scores``:

- ``records``: the subject's own penalties and list entries that count, with weights;
- ``sources``: every subject whose own risk reaches this one, with its exact
  contribution to ``linked_score`` (propagation is linear in the sources, so
  the contributions add up to the linked score);
- ``paths``: the k strongest simple paths from a source, by Yen's algorithm over
  ``-log`` link coefficients on the subject's ego subgraph, each with its
  strength ``source score * product of coefficients``.

>>> import datetime as dt
>>> from credgraph.graph.records import Node, Relationship
>>> from credgraph.analytics.risk import risk_scores
>>> p = Projection.build(
...     [Node("Person", "p1", {}), Node("Enterprise", "e1", {}),
...      Node("ListEntry", "l1", {"list": "dishonest_debtor", "listed_date": dt.date(2023, 1, 1)})],
...     [Relationship("LEGAL_REP_OF", "Person", "p1", "Enterprise", "e1", "", {}),
...      Relationship("HAS_LIST_ENTRY", "Person", "p1", "ListEntry", "l1", "", {})])
>>> why = explain_risk(risk_scores(p, dt.date(2024, 6, 30)), "e1")
>>> [(s.subject_id, round(s.contribution, 2)) for s in why.sources]
[('p1', 25.28)]
>>> [(path.ids, round(path.strength, 2)) for path in why.paths]
[(['p1', 'e1'], 25.28)]
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import networkx as nx
import numpy as np

from credgraph.analytics.propagation import RiskNetwork, source_weights
from credgraph.analytics.risk import RecordWeight, RiskScores
from credgraph.graph.links import link_grade, weakest
from credgraph.graph.projection import Projection

_START = "__sources__"


@dataclass(frozen=True)
class SourceShare:
    """One source's exact part of a subject's linked score."""

    subject_id: str
    own_score: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class RiskPath:
    """One chain of ids, source first, with its strength in score points.

    ``links`` says, hop by hop, which relationships join the two ids and the
    grade of the weakest link they rest on (``exact`` for keyed input).
    """

    ids: list[str]
    strength: float
    links: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class RiskExplanation:
    """Everything behind one subject's scores."""

    subject_id: str
    own_score: float
    linked_score: float
    total_score: float
    grade: str
    red_list: bool
    floor_listed: bool
    records: list[RecordWeight]
    sources: list[SourceShare]
    paths: list[RiskPath]
    record_grades: dict[str, str] = field(default_factory=dict)  # record id -> grade of the link to it

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "subject_id": self.subject_id, "own_score": self.own_score, "linked_score": self.linked_score,
            "total_score": self.total_score, "grade": self.grade, "red_list": self.red_list,
            "floor_listed": self.floor_listed,
            "records": [{"record_id": r.record_id, "what": r.what, "weight": round(r.weight, 4),
                         "grade": self.record_grades.get(r.record_id, "exact")} for r in self.records],
            "sources": [{"subject_id": s.subject_id, "own_score": round(s.own_score, 2),
                         "contribution": round(s.contribution, 4)} for s in self.sources],
            "paths": [{"ids": p.ids, "strength": round(p.strength, 4), "links": p.links} for p in self.paths],
        }


def _ego(net: RiskNetwork, node: int, hops: int, limit: int) -> list[int]:
    """Nodes from which a walk of at most ``hops`` links reaches ``node`` (breadth first, capped)."""
    seen, queue = {node: 0}, deque([node])
    while queue and len(seen) < limit:
        here = queue.popleft()
        if seen[here] == hops:
            continue
        for link in range(net.starts[here], net.starts[here + 1]):
            there = int(net.src[link])
            if there not in seen:
                seen[there] = seen[here] + 1
                queue.append(there)
    return sorted(seen)


def _path_graph(net: RiskNetwork, nodes: list[int], source: np.ndarray, target: int) -> nx.DiGraph:
    """The ego links weighted ``-log c``, plus a start node linked to every source by ``-log(s / 100)``."""
    inside = set(nodes)
    graph = nx.DiGraph()
    for v in nodes:
        for link in range(net.starts[v], net.starts[v + 1]):
            u = int(net.src[link])
            if u in inside:
                graph.add_edge(u, v, weight=-math.log(net.coef[link]))
    for u in nodes:
        if u != target and source[u] > 0:
            graph.add_edge(_START, u, weight=-math.log(min(source[u], 100.0) / 100.0))
    return graph


def strongest_paths(net: RiskNetwork, source: np.ndarray, node: int, k: int, hops: int,
                    limit: int = 20000) -> list[tuple[list[int], float]]:
    """The ``k`` strongest simple paths of at most ``hops`` links from any source to ``node``."""
    graph = _path_graph(net, _ego(net, node, hops, limit), source, node)
    if _START not in graph or node not in graph:
        return []
    found: list[tuple[list[int], float]] = []
    try:
        candidates = nx.shortest_simple_paths(graph, _START, node, weight="weight")
        for path in islice(candidates, 50 * max(k, 1)):
            if len(path) - 2 > hops:
                continue
            cost = nx.path_weight(graph, path, weight="weight")
            found.append(([int(p) for p in path[1:]], 100.0 * math.exp(-cost)))
            if len(found) == k:
                break
    except nx.NetworkXNoPath:
        return []
    return found


def _hops(projection: Projection, path: list[int]) -> list[dict[str, Any]]:
    """For each hop of ``path``: the relationship types joining the two nodes (either way) and their weakest grade."""
    wanted = {(a, b) for a, b in zip(path, path[1:])} | {(b, a) for a, b in zip(path, path[1:])}
    found: dict[tuple[int, int], list[tuple[str, str]]] = {}
    nodes = np.asarray(sorted(set(path)), dtype=np.int64)
    mask = np.isin(projection.src, nodes) & np.isin(projection.dst, nodes)
    for i in np.flatnonzero(mask).tolist():
        pair = (int(projection.src[i]), int(projection.dst[i]))
        if pair in wanted:
            found.setdefault(pair, []).append((projection.rel_types[i], link_grade(projection.rel_props[i])))
    hops = []
    for a, b in zip(path, path[1:]):
        rels = found.get((a, b), []) + found.get((b, a), [])
        hops.append({"from": projection.ids[a], "to": projection.ids[b], "types": sorted({t for t, _ in rels}),
                     "grade": weakest(g for _, g in rels)})
    return hops


def _record_grades(projection: Projection, pos: int) -> dict[str, str]:
    """The grade of the link from the subject at ``pos`` to each of its records."""
    out = {}
    for i in np.flatnonzero(projection.src == pos).tolist():
        if projection.rel_types[i] in ("HAS_PENALTY", "HAS_LIST_ENTRY"):
            out[projection.ids[int(projection.dst[i])]] = link_grade(projection.rel_props[i])
    return out


def explain_risk(scores: RiskScores, subject_id: str, k: int | None = None) -> RiskExplanation:
    """Records, exact source shares and the ``k`` strongest paths behind ``subject_id``'s scores.

    Parameters
    ----------
    scores : RiskScores
        The result of ``risk_scores``.
    subject_id : str
        A scored subject.
    k : int, optional
        How many paths; ``[explain] top_paths`` by default.

    Returns
    -------
    RiskExplanation
        Its scores and grade, the records that count, every source with its
        exact contribution to ``linked_score`` (they add up to it), and the
        ``k`` strongest simple paths (Yen's algorithm on ``-log`` coefficients).

    Raises
    ------
    NotFoundError
        If the subject was not scored.

    Examples
    --------
    See the module docstring.
    """
    pos = scores.position(subject_id)
    i = int(np.searchsorted(scores.positions, pos))
    cfg = scores.config
    hops = cfg.propagation.max_hops
    projection: Projection = scores.projection
    factor = float(scores.factor[pos])
    weights = source_weights(scores.network, pos, hops) * factor
    contribution = weights * scores.source
    sources = [
        SourceShare(projection.ids[j], float(scores.source[j]), float(weights[j]), float(contribution[j]))
        for j in np.argsort(-contribution, kind="stable").tolist() if contribution[j] > 1e-9
    ]
    paths = strongest_paths(scores.network, scores.source, pos, k or cfg.explain.top_paths, hops,
                            cfg.explain.max_ego_nodes)
    return RiskExplanation(
        subject_id=subject_id,
        own_score=round(float(scores.own[i]), 2),
        linked_score=round(float(scores.linked[i]), 2),
        total_score=round(float(scores.total[i]), 2),
        grade=str(scores.grades[i]),
        red_list=bool(scores.own_risk.red[pos]),
        floor_listed=bool(scores.own_risk.floor[pos]),
        records=[r for r in scores.own_risk.records if r.node == pos],
        sources=sources,
        paths=[RiskPath([projection.ids[j] for j in path], strength * factor, _hops(projection, path))
               for path, strength in paths],
        record_grades=_record_grades(projection, pos),
    )

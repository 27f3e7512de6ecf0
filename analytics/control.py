"""Beneficial owners and the actual controller of one enterprise (``credgraph ubo``).

``beneficial_owners`` works on the firm's holders only (its ancestors over
SHAREHOLDER_OF), so it is quick on a whole-graph projection too. Owners are
natural persons with their effective share (``credgraph.analytics.ownership``)
and the strongest simple paths behind it; ``beneficial`` marks those at or
above ``beneficial_pct`` (25% by default). The actual controller is found by
the first of ``controller_rules`` that names a single person:

- ``effective_pct``: effective share >= ``control_pct`` (50%);
- ``majority_chain``: more than ``control_pct`` of the votes, held directly or
  through firms the person controls the same way (control, not cash flow:
  60% of a firm that holds 60% is control with a 36% effective share);
- ``control_interest``: a CONTROLS interest (e.g. BODS voting rights) of a
  person with a share >= ``control_pct``;
- ``largest_holder_legal_rep``: the single largest effective holder, with at
  least ``fallback_min_pct``, who is also the firm's legal representative.

Cycles terminate: a firm held only by a closed cycle has no natural-person
owner, and no share ever passes 100%. Owners the firm (or a holder) declared
unknown (BODS ``unspecified_owner_reason``) are reported, not invented.

>>> from credgraph.graph.records import Node, Relationship
>>> p = Projection.build(
...     [Node("Person", "jane", {}), Node("Enterprise", "acme", {})],
...     [Relationship("SHAREHOLDER_OF", "Person", "jane", "Enterprise", "acme", "", {"share_pct": 75.0})])
>>> result = beneficial_owners(p, "acme")
>>> result.as_dict()["owners"][0]["effective_pct"], result.actual_controller
(75.0, Controller(owner_id='jane', basis='effective_pct>=50'))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import networkx as nx
import numpy as np

from credgraph.analytics.common import subject_type
from credgraph.analytics.config import OwnershipConfig
from credgraph.analytics.ownership import ancestors, effective_ownership, share_edges
from credgraph.graph.links import at_least, link_grade
from credgraph.graph.errors import NotFoundError
from credgraph.graph.projection import Projection

PCT_DIGITS = 4
TOL = 1e-9


@dataclass(frozen=True)
class Owner:
    """A natural person's effective share in the firm and the paths behind it."""

    owner_id: str
    owner_type: str
    effective_pct: float
    beneficial: bool
    paths: list[list[str]]
    path_grades: list[list[str]] = field(default_factory=list)  # per path, the link grade of each holding


@dataclass(frozen=True)
class Controller:
    """The actual controller and the rule that named them."""

    owner_id: str
    basis: str


@dataclass(frozen=True)
class UboResult:
    """Owners, controller, declared-unknown owners and cycles of one enterprise."""

    uscc: str
    owners: list[Owner]
    actual_controller: Controller | None
    declared_unknown: list[dict[str, str]] = field(default_factory=list)
    cycles: list[list[str]] = field(default_factory=list)
    closed_cycles: list[list[str]] = field(default_factory=list)
    unallocated_pct: float = 0.0
    top_entities: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The contract's ``ubo --json`` shape, plus declared-unknown owners, cycles, unallocated share and notes.

        ``top_entities`` are the firms at the top of the holding chains that have
        no recorded shareholders (where the trail to a natural person ends).
        """
        return {
            "uscc": self.uscc,
            "owners": [{"owner_id": o.owner_id, "owner_type": o.owner_type, "effective_pct": o.effective_pct,
                        "beneficial": o.beneficial, "paths": o.paths, "path_grades": o.path_grades}
                       for o in self.owners],
            "actual_controller": None if self.actual_controller is None else
            {"owner_id": self.actual_controller.owner_id, "basis": self.actual_controller.basis},
            "declared_unknown": self.declared_unknown,
            "cycles": self.cycles,
            "closed_cycles": self.closed_cycles,
            "unallocated_pct": self.unallocated_pct,
            "top_entities": self.top_entities,
            "notes": self.notes,
        }


def holding_graph(projection: Projection, nodes: np.ndarray) -> nx.DiGraph:
    """Holdings among ``nodes`` as a DiGraph weighted ``-log(share)`` (the strongest of parallel ones)."""
    within = np.zeros(projection.node_count, bool)
    within[nodes] = True
    graph = nx.DiGraph()
    for a, b, s in zip(*(x.tolist() for x in share_edges(projection, within))):
        if s > 0 and (not graph.has_edge(a, b) or graph[a][b]["weight"] > -math.log(s)):
            graph.add_edge(a, b, weight=-math.log(s))
    return graph


def _paths(projection: Projection, graph: nx.DiGraph, owner: int, target: int, limit: int) -> list[list[str]]:
    """Up to ``limit`` simple holding paths owner -> ... -> target, strongest product first."""
    if limit == 0 or owner not in graph or target not in graph:
        return []
    try:
        found = list(islice(nx.shortest_simple_paths(graph, owner, target, weight="weight"), limit))
    except nx.NetworkXNoPath:
        return []
    return [[projection.ids[i] for i in path] for path in found]


def _path_grades(projection: Projection, paths: list[list[str]]) -> list[list[str]]:
    """For each path of ids, the link grade of each holding along it (the best of parallel ones)."""
    hops = {(a, b) for path in paths for a, b in zip(path, path[1:])}
    best: dict[tuple[str, str], str] = {}
    for i in np.flatnonzero(np.asarray(projection.rel_types, dtype=object) == "SHAREHOLDER_OF").tolist():
        pair = (projection.ids[int(projection.src[i])], projection.ids[int(projection.dst[i])])
        if pair in hops:
            grade = link_grade(projection.rel_props[i])
            best[pair] = grade if pair not in best or at_least(grade, best[pair]) else best[pair]
    return [[best.get(hop, "exact") for hop in zip(path, path[1:])] for path in paths]


def _direct(projection: Projection, nodes: np.ndarray) -> dict[tuple[int, int], float]:
    within = np.zeros(projection.node_count, bool)
    within[nodes] = True
    stakes: dict[tuple[int, int], float] = {}
    for a, b, s in zip(*(x.tolist() for x in share_edges(projection, within))):
        stakes[(a, b)] = min(1.0, stakes.get((a, b), 0.0) + s)
    return stakes


def _majority_chain(projection: Projection, nodes: np.ndarray, target: int, cfg: OwnershipConfig) -> str | None:
    """The one person who controls ``target`` through majority holdings, directly or via firms."""
    direct = _direct(projection, nodes)
    firms = sorted({b for _, b in direct})
    winners = []
    for person in sorted({a for a, _ in direct if projection.labels[a] == "Person"}):
        controlled = {person}
        changed = True
        while changed:
            changed = False
            for firm in firms:
                if firm not in controlled:
                    votes = sum(direct.get((c, firm), 0.0) for c in controlled)
                    if votes * 100.0 > cfg.control_pct + TOL:
                        controlled.add(firm)
                        changed = True
        if target in controlled:
            winners.append(projection.ids[person])
    return winners[0] if len(winners) == 1 else None


def _control_interest(projection: Projection, target: int, cfg: OwnershipConfig) -> tuple[str, str] | None:
    """The person with the largest CONTROLS interest >= control_pct, if there is exactly one."""
    found: list[tuple[float, str, str]] = []
    for i, rel_type in enumerate(projection.rel_types):
        if rel_type == "CONTROLS" and projection.dst[i] == target and projection.labels[projection.src[i]] == "Person":
            share = projection.rel_props[i].get("share_pct")
            if share is not None and float(share) >= cfg.control_pct - TOL:
                interest = projection.rel_props[i].get("interest_type") or "control"
                found.append((float(share), projection.ids[projection.src[i]], interest))
    people = {who for _, who, _ in found}
    if len(people) != 1:
        return None
    best = max(found)
    return best[1], best[2]


def _legal_reps(projection: Projection, target: int) -> set[str]:
    return {projection.ids[projection.src[i]] for i, t in enumerate(projection.rel_types)
            if t == "LEGAL_REP_OF" and projection.dst[i] == target}


def actual_controller(projection: Projection, nodes: np.ndarray, target: int, owners: list[Owner],
                      cfg: OwnershipConfig) -> Controller | None:
    """The first of ``cfg.controller_rules`` that names exactly one person, or ``None``."""
    for rule in cfg.controller_rules:
        if rule == "effective_pct":
            top = [o for o in owners if o.effective_pct >= cfg.control_pct - TOL]
            if len(top) == 1:
                return Controller(top[0].owner_id, f"effective_pct>={cfg.control_pct:g}")
        elif rule == "majority_chain":
            who = _majority_chain(projection, nodes, target, cfg)
            if who is not None:
                return Controller(who, f"majority_chain>{cfg.control_pct:g}")
        elif rule == "control_interest":
            interest = _control_interest(projection, target, cfg)
            if interest is not None:
                return Controller(interest[0], f"control_interest:{interest[1]}>={cfg.control_pct:g}")
        elif rule == "largest_holder_legal_rep" and owners:
            first, rest = owners[0], owners[1:]
            unique = not rest or rest[0].effective_pct < first.effective_pct
            large = first.effective_pct >= cfg.fallback_min_pct - TOL
            if unique and large and first.owner_id in _legal_reps(projection, target):
                return Controller(first.owner_id, f"largest_holder>={cfg.fallback_min_pct:g}+legal_rep")
    return None


def _declared_unknown(projection: Projection, nodes: np.ndarray) -> list[dict[str, str]]:
    found = []
    for pos in nodes.tolist():
        props = projection.node_props[pos]
        if projection.labels[pos] == "Enterprise" and props.get("unspecified_owner_reason"):
            found.append({"entity_id": projection.ids[pos], "reason": str(props["unspecified_owner_reason"]),
                          "description": str(props.get("unspecified_owner_description") or "")})
    return found


def _top_entities(projection: Projection, nodes: np.ndarray, target: int, closed: list[list[str]]) -> list[str]:
    """Firms above the target with no recorded holders of their own (outside closed cycles)."""
    within = np.zeros(projection.node_count, bool)
    within[nodes] = True
    held = set(share_edges(projection, within)[1].tolist())
    in_closed = {firm for cycle in closed for firm in cycle}
    return sorted(projection.ids[p] for p in nodes.tolist()
                  if p != target and projection.labels[p] == "Enterprise" and p not in held
                  and projection.ids[p] not in in_closed)


def _notes(uscc: str, closed: list[list[str]], unknown: list[dict[str, str]], unallocated: float,
           holders: int, tops: list[str]) -> list[str]:
    notes = []
    for cycle in closed:
        if uscc in cycle:
            notes.append(f"no natural-person owner: {uscc} is in a closed ownership cycle {cycle} "
                         "with no outside holder")
        else:
            notes.append(f"shares held through the closed ownership cycle {cycle} reach no natural person")
    for entry in unknown:
        notes.append(f"declared unknown owner of {entry['entity_id']}: {entry['reason']}")
    if holders == 0 and not unknown:
        notes.append("no shareholders recorded")
    elif unallocated > 0.01 and not any(uscc in cycle for cycle in closed):
        held = f"; held through firms with no recorded shareholders: {', '.join(tops)}" if tops else ""
        notes.append(f"{unallocated:g}% of the shares trace to no natural person{held}")
    return notes


def beneficial_owners(projection: Projection, uscc: str, config: OwnershipConfig | None = None) -> UboResult:
    """Effective owners (natural persons), actual controller and caveats of the enterprise ``uscc``.

    Parameters
    ----------
    projection : Projection
        Holds the firm and its holders (SHAREHOLDER_OF), and where the
        controller rules need them its CONTROLS interests and LEGAL_REP_OF links;
        a whole-graph projection works, only the firm's ancestors are read.
    uscc : str
        The enterprise's key.
    config : OwnershipConfig, optional
        Thresholds and controller rules; the defaults of ``risk.toml`` otherwise.

    Returns
    -------
    UboResult
        Owners largest first with paths, the actual controller or ``None``,
        declared-unknown owners, cycles, the unallocated share and notes.

    Raises
    ------
    NotFoundError
        If ``uscc`` is not an enterprise of the projection.

    Examples
    --------
    >>> from credgraph.graph.records import Node, Relationship
    >>> holds = lambda a, la, b, pct: Relationship("SHAREHOLDER_OF", la, a, "Enterprise", b, "", {"share_pct": pct})
    >>> p = Projection.build([Node("Person", "p", {}), Node("Person", "q", {}), Node("Enterprise", "h", {}),
    ...                       Node("Enterprise", "t", {})],
    ...                      [holds("p", "Person", "h", 60.0), holds("h", "Enterprise", "t", 60.0),
    ...                       holds("q", "Person", "t", 40.0)])
    >>> result = beneficial_owners(p, "t")
    >>> [(o.owner_id, o.effective_pct, o.paths) for o in result.owners]
    [('q', 40.0, [['q', 't']]), ('p', 36.0, [['p', 'h', 't']])]
    >>> result.actual_controller
    Controller(owner_id='p', basis='majority_chain>50')
    """
    cfg = config or OwnershipConfig()
    target = projection.index.get(uscc)
    if target is None or projection.labels[target] != "Enterprise":
        raise NotFoundError(f"no enterprise {uscc!r} in the data (on the date asked)")
    nodes = ancestors(projection, target)
    within = np.zeros(projection.node_count, bool)
    within[nodes] = True
    effective = effective_ownership(projection, within)
    graph = holding_graph(projection, nodes)
    owners = []
    for person, share in effective.column(uscc).items():
        if round(100.0 * share, PCT_DIGITS) <= 0:
            continue
        paths = _paths(projection, graph, projection.index[person], target, cfg.max_paths)
        owners.append(Owner(person, subject_type("Person"), round(100.0 * share, PCT_DIGITS),
                            100.0 * share >= cfg.beneficial_pct - TOL, paths, _path_grades(projection, paths)))
    unknown = _declared_unknown(projection, nodes)
    unallocated = round(max(0.0, 100.0 - sum(o.effective_pct for o in owners)), PCT_DIGITS)
    tops = _top_entities(projection, nodes, target, effective.closed)
    return UboResult(
        uscc=uscc,
        owners=owners,
        actual_controller=actual_controller(projection, nodes, target, owners, cfg),
        declared_unknown=unknown,
        cycles=effective.cycles,
        closed_cycles=effective.closed,
        unallocated_pct=unallocated,
        top_entities=tops,
        notes=_notes(uscc, effective.closed, unknown, unallocated, len(nodes) - 1, tops),
    )

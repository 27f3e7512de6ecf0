"""guarantee_circle and circular_ownership: firms joined by cycles of relations in force.

Both detectors look at one relationship type between firms (``GUARANTEES``,
or ``SHAREHOLDER_OF`` with a firm as holder), keep the relationships in force
on the as-of date (no self-loops), and report each group of firms joined by
cycles of at most ``MAX_CYCLE`` firms. Where every firm of a strongly
connected component lies on such a short cycle (always so up to
``MAX_CYCLE`` firms), the group is exactly the component.

The Python matcher finds strongly connected components with scipy and
enumerates cycles only inside them (bounded length); the Cypher matcher
enumerates the bounded closed trails directly. Both return the relationships
that lie on a short cycle; the assembler groups them by shared firms.

>>> from credgraph.graph.projection import Projection
>>> from credgraph.graph.records import Node, Relationship
>>> from credgraph.analytics.detectors.settings import load_settings
>>> firms = [Node("Enterprise", k, {}) for k in "ABC"]
>>> ring = [Relationship("GUARANTEES", "Enterprise", a, "Enterprise", b, "", {"amount": 100.0})
...         for a, b in ("AB", "BA", "BC")]
>>> rows = cycle_relationships(DetectionGraph(Projection.build(firms, ring)), "GUARANTEES", dt.date(2024, 6, 30))
>>> [(r["src"], r["dst"]) for r in rows]
[('A', 'B'), ('B', 'A')]
>>> [f.subjects for f in assemble_guarantees(rows, dt.date(2024, 6, 30), load_settings())]
[('A', 'B')]
"""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from credgraph.analytics.detectors.base import Detector, Row, groups, make_finding, unique_sorted
from credgraph.analytics.detectors.graph import DetectionGraph, on_day
from credgraph.analytics.detectors.settings import DetectorSettings
from credgraph.graph.records import Finding

# The longest cycle looked for, in firms. Cypher needs the bound as a literal
# (``{2,8}`` in the query files), so it is a constant, not a setting.
MAX_CYCLE = 8


def cycle_relationships(graph: DetectionGraph, rel_type: str, as_of: dt.date) -> list[Row]:
    """The facts of every firm-to-firm ``rel_type`` relationship in force that lies on a cycle of <= MAX_CYCLE firms."""
    table = graph.table(rel_type)
    firm = graph.is_label("Enterprise")
    table = table.select(table.in_force(on_day(as_of)) & firm[table.src] & firm[table.dst] & (table.src != table.dst))
    n = graph.node_count
    matrix = sp.csr_matrix((np.ones(len(table)), (table.src, table.dst)), shape=(n, n))
    _, component = connected_components(matrix, directed=True, connection="strong")
    inside = component[table.src] == component[table.dst]
    table = table.select(inside)
    by_component: dict[int, list[tuple[int, int]]] = {}
    for a, b in zip(table.src.tolist(), table.dst.tolist()):
        by_component.setdefault(int(component[a]), []).append((a, b))
    on_cycle: set[tuple[int, int]] = set()
    for pairs in by_component.values():
        sub = nx.DiGraph(pairs)
        for cycle in nx.simple_cycles(sub, length_bound=MAX_CYCLE):
            on_cycle.update(zip(cycle, cycle[1:] + cycle[:1]))
    return [graph.fact(int(i)) for i, a, b in zip(table.rel, table.src.tolist(), table.dst.tolist())
            if (a, b) in on_cycle]


def _grouped(rows: list[Row]) -> list[tuple[list[str], list[Row]]]:
    found = []
    for members in groups((r["src"], r["dst"]) for r in rows):
        inside = set(members)
        found.append((members, unique_sorted(r for r in rows if r["src"] in inside)))
    return found


def match_guarantees(graph: DetectionGraph, as_of: dt.date, settings: DetectorSettings) -> list[Row]:
    """Guarantees in force that lie on a short guarantee cycle."""
    return cycle_relationships(graph, "GUARANTEES", as_of)


def assemble_guarantees(rows: list[Row], as_of: dt.date, settings: DetectorSettings) -> list[Finding]:
    """One finding per group of firms joined by guarantee cycles; score by the total amount guaranteed."""
    scale = settings.value("guarantee_circle", "amount_scale")
    findings = []
    for members, edges in _grouped(rows):
        total = math.fsum(e["amount"] or 0.0 for e in edges)
        score = 0.5 + 0.5 * (1.0 - math.exp(-total / scale)) if scale > 0 else 1.0
        evidence = {"firms": len(members), "total_amount": total, "guarantees": edges, "max_cycle": MAX_CYCLE}
        findings.append(make_finding("guarantee_circle", members, score, as_of, evidence))
    return findings


def match_ownership(graph: DetectionGraph, as_of: dt.date, settings: DetectorSettings) -> list[Row]:
    """Firm-to-firm shareholdings in force that lie on a short ownership cycle."""
    return cycle_relationships(graph, "SHAREHOLDER_OF", as_of)


def assemble_ownership(rows: list[Row], as_of: dt.date, settings: DetectorSettings) -> list[Finding]:
    """One finding per group of firms joined by ownership cycles; score by how closed the group is."""
    findings = []
    for members, edges in _grouped(rows):
        held = {m: math.fsum(e["share_pct"] or 0.0 for e in edges if e["dst"] == m) for m in members}
        closure = min(1.0, max(held.values()) / 100.0)
        evidence = {"firms": len(members), "held_within_pct": held, "no_outside_holder": closure >= 1.0,
                    "shareholdings": edges, "max_cycle": MAX_CYCLE}
        findings.append(make_finding("circular_ownership", members, 0.5 + 0.5 * closure, as_of, evidence))
    return findings


def _no_params(settings: DetectorSettings) -> dict[str, object]:
    return {}


GUARANTEE_CIRCLE = Detector("guarantee_circle", ("Enterprise",), ("GUARANTEES",), match_guarantees,
                            assemble_guarantees, _no_params)
CIRCULAR_OWNERSHIP = Detector("circular_ownership", ("Enterprise",), ("SHAREHOLDER_OF",), match_ownership,
                              assemble_ownership, _no_params)

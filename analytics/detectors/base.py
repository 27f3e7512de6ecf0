"""What every detector shares: the spec, finding ids, grouping, ordering.

A detector is two matchers and one assembler. A matcher finds the *match
rows* of the pattern: plain dicts of ids, ISO dates and numbers. The Python
matcher reads a ``DetectionGraph``; the Cypher matcher is the query in
``cypher/detectors/<name>.cypher``, whose records become the same rows. The
assembler turns rows into ``Finding``s (ids, subjects, score, evidence), so both
engines report a match in exactly the same words.

>>> finding_id("guarantee_circle", ("B", "A")) == finding_id("guarantee_circle", ("B", "A"))
True
>>> finding_id("guarantee_circle", ("A", "B"))
'guarantee_circle-62631abc66d6'
>>> groups([("a", "b"), ("c", "d"), ("b", "e")])
[['a', 'b', 'e'], ['c', 'd']]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from credgraph.analytics.detectors.graph import DetectionGraph
from credgraph.analytics.detectors.settings import DetectorSettings
from credgraph.graph.records import Finding

Row = dict[str, Any]
PythonMatcher = Callable[[DetectionGraph, dt.date, DetectorSettings], list[Row]]
Assembler = Callable[[list[Row], dt.date, DetectorSettings], list[Finding]]
CypherParams = Callable[[DetectorSettings], dict[str, Any]]


@dataclass(frozen=True)
class Detector:
    """One detector: what it needs projected, its two matchers' entry points, its assembler."""

    name: str
    labels: tuple[str, ...]
    rel_types: tuple[str, ...]
    match: PythonMatcher
    assemble: Assembler
    cypher_params: CypherParams


def finding_id(detector: str, subjects: Sequence[str]) -> str:
    """A stable id: the detector and a short digest of its subjects in order."""
    digest = hashlib.sha256("|".join([detector, *subjects]).encode("utf-8")).hexdigest()[:12]
    return f"{detector}-{digest}"


def groups(pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected groups of the graph the pairs span, each sorted, in order of their first member."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for x in parent:
        members.setdefault(root(x), []).append(x)
    return sorted(sorted(m) for m in members.values())


def canonical(value: Any) -> str:
    """A sort key for evidence items: their canonical JSON."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def unique_sorted(items: Iterable[Any]) -> list[Any]:
    """Items without repeats, ordered by their canonical JSON."""
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(canonical(item), item)
    return [seen[k] for k in sorted(seen)]


def make_finding(detector: str, subjects: Sequence[str], score: float, as_of: dt.date,
                 evidence: dict[str, Any]) -> Finding:
    """A ``Finding`` with its stable id and a score rounded to 12 places (engines agree to ~1e-15)."""
    return Finding(finding_id(detector, subjects), detector, tuple(subjects), round(min(1.0, max(0.0, score)), 12),
                   as_of, evidence)

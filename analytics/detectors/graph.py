"""What the Python detectors read from a projection: dated relationships as arrays.

A ``DetectionGraph`` wraps a ``Projection`` of the whole history (no as-of
filter) and gives each relationship type as integer arrays (source, target,
start and end day as proleptic ordinals), so that "in force on a date" is one
vectorised comparison: ``start <= day < end``, an open start or end being
``OPEN_START`` / ``OPEN_END``. It also turns a relationship into the plain
``fact`` dict that findings carry as evidence, the same dict the Cypher engine
builds from Neo4j's rows, with the grade of the link it rests on (``exact``
for keyed input; ``credgraph.graph.links``).

>>> from credgraph.graph.records import Node, Relationship
>>> from credgraph.graph.projection import Projection
>>> p = Projection.build(
...     [Node("Person", "p1", {}), Node("Enterprise", "e1", {"reg_date": dt.date(2020, 1, 1)})],
...     [Relationship("SHAREHOLDER_OF", "Person", "p1", "Enterprise", "e1", "",
...                   {"share_pct": 60.0, "start_date": dt.date(2020, 1, 1)})])
>>> g = DetectionGraph(p)
>>> g.table("SHAREHOLDER_OF").in_force(day(dt.date(2021, 1, 1))).tolist()
[True]
>>> g.fact(0)
{'type': 'SHAREHOLDER_OF', 'src': 'p1', 'dst': 'e1', 'start_date': '2020-01-01', 'end_date': None, 'grade': 'exact', 'share_pct': 60.0}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from credgraph.analytics.common import as_date, node_key
from credgraph.graph.links import link_grade
from credgraph.graph.projection import Projection

OPEN_START = 0
OPEN_END = 10**8
# The one property beyond the dates that evidence shows for each relationship type.
FACT_PROPS = {"SHAREHOLDER_OF": "share_pct", "OFFICER_OF": "role", "GUARANTEES": "amount", "BID_ON": "amount"}
PRINCIPAL_TYPES = ("LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF")


def day(value: Any, default: int = OPEN_START) -> int:
    """A date (or ISO text) as a day number; ``default`` when empty."""
    date = as_date(value)
    return date.toordinal() if date is not None else default


def iso(value: Any) -> str | None:
    """A date (or ISO text) as ``YYYY-MM-DD``; ``None`` when empty."""
    date = as_date(value)
    return date.isoformat() if date is not None else None


def number(value: Any) -> float | None:
    """A stored number as a float (``None`` stays ``None``)."""
    return None if value is None else float(value)


def fact(rel_type: str, src: str, dst: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """The evidence form of one relationship: type, ends, dates, link grade and its telling property."""
    out: dict[str, Any] = {"type": rel_type, "src": src, "dst": dst,
                           "start_date": iso(props.get("start_date")), "end_date": iso(props.get("end_date")),
                           "grade": link_grade(props)}
    name = FACT_PROPS.get(rel_type)
    if name == "role":
        out["role"] = props.get("role")
    elif name is not None:
        out[name] = number(props.get(name))
    return out


@dataclass(frozen=True)
class RelTable:
    """The relationships of one type: projection indices, ends, and validity as day numbers."""

    rel: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def in_force(self, on: int) -> np.ndarray:
        """Mask of the relationships in force on day ``on`` (half-open intervals)."""
        return (self.start <= on) & (on < self.end)

    def select(self, mask: np.ndarray) -> RelTable:
        """The relationships where ``mask`` holds."""
        return RelTable(self.rel[mask], self.src[mask], self.dst[mask], self.start[mask], self.end[mask])

    def __len__(self) -> int:
        return len(self.rel)


class DetectionGraph:
    """A projection seen the way the detectors need it; see the module docstring."""

    def __init__(self, projection: Projection) -> None:
        self.projection = projection
        self.labels = np.asarray(projection.labels, dtype=object)
        self.types = np.asarray(projection.rel_types, dtype=object)
        self._tables: dict[str, RelTable] = {}
        self._keys: dict[int, str] = {}

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return self.projection.node_count

    def key(self, position: int) -> str:
        """The store key of the node at ``position``."""
        found = self._keys.get(position)
        if found is None:
            found = self._keys[position] = node_key(self.projection, position)
        return found

    def props(self, position: int) -> dict[str, Any]:
        """The properties of the node at ``position``."""
        return self.projection.node_props[position]

    def is_label(self, label: str) -> np.ndarray:
        """Mask over nodes of ``label``."""
        return self.labels == label

    def nodes(self, label: str) -> np.ndarray:
        """Positions of the nodes of ``label``."""
        return np.flatnonzero(self.labels == label)

    def table(self, rel_type: str) -> RelTable:
        """The relationships of ``rel_type`` (cached)."""
        found = self._tables.get(rel_type)
        if found is None:
            rel = np.flatnonzero(self.types == rel_type)
            props = self.projection.rel_props
            start = np.fromiter((day(props[i].get("start_date")) for i in rel.tolist()), np.int64, len(rel))
            end = np.fromiter((day(props[i].get("end_date"), OPEN_END) for i in rel.tolist()), np.int64, len(rel))
            found = RelTable(rel, self.projection.src[rel], self.projection.dst[rel], start, end)
            self._tables[rel_type] = found
        return found

    def rel_props(self, index: int) -> dict[str, Any]:
        """The properties of relationship ``index``."""
        return self.projection.rel_props[index]

    def grade(self, index: int) -> str:
        """The link grade relationship ``index`` rests on (``exact`` when keyed)."""
        return link_grade(self.projection.rel_props[index])

    def fact(self, index: int) -> dict[str, Any]:
        """The evidence form of relationship ``index``."""
        p = self.projection
        return fact(p.rel_types[index], self.key(int(p.src[index])), self.key(int(p.dst[index])), p.rel_props[index])

    def firm_days(self) -> tuple[np.ndarray, np.ndarray]:
        """Registration and end day of every node (open for nodes that are not firms)."""
        start = np.full(self.node_count, OPEN_START, np.int64)
        end = np.full(self.node_count, OPEN_END, np.int64)
        for i in self.nodes("Enterprise").tolist():
            props = self.projection.node_props[i]
            start[i] = day(props.get("reg_date"))
            end[i] = day(props.get("end_date"), OPEN_END)
        return start, end

    def firms_in_force(self, on: int) -> np.ndarray:
        """Mask of the firms registered on or before day ``on`` and not ended by it."""
        start, end = self.firm_days()
        return self.is_label("Enterprise") & (start <= on) & (on < end)

    def principals(self, min_share_pct: float) -> RelTable:
        """Person-to-firm relationships that make a principal: legal rep, officer, shareholder >= ``min_share_pct``."""
        parts = []
        person = self.is_label("Person")
        for rel_type in PRINCIPAL_TYPES:
            table = self.table(rel_type)
            mask = person[table.src]
            if rel_type == "SHAREHOLDER_OF":
                props = self.projection.rel_props
                share = np.fromiter((props[i].get("share_pct") or 0.0 for i in table.rel.tolist()), float, len(table))
                mask &= share >= min_share_pct
            parts.append(table.select(mask))
        return RelTable(*(np.concatenate([getattr(t, f) for t in parts]) for f in ("rel", "src", "dst", "start", "end")))


def on_day(date: dt.date) -> int:
    """The day number of ``date``."""
    return date.toordinal()

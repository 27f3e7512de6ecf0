"""The values that go into and come out of a store.

Stores speak in these small frozen dataclasses, never in driver or SQL rows,
so that callers cannot tell (and need not care) which store they talk to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a batch of rows comes from: the load, the file, and when."""

    load_id: str
    source_file: str
    loaded_at: str


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One node to upsert: typed properties (the key included) and its line."""

    props: Mapping[str, Any]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class RelRow:
    """One relationship to upsert between two existing nodes, by key.

    ``src_label`` is needed only where the type allows several source labels
    (a shareholder is a person or a firm).
    """

    src: str
    dst: str
    props: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None
    src_label: str | None = None


@dataclass(frozen=True, slots=True)
class WriteResult:
    """How many rows of a batch changed the store, and how many were no-ops."""

    written: int = 0
    unchanged: int = 0

    def __add__(self, other: WriteResult) -> WriteResult:
        return WriteResult(self.written + other.written, self.unchanged + other.unchanged)


@dataclass(frozen=True)
class Node:
    """A node as read back: label, key, typed properties, scores, provenance."""

    label: str
    key: str
    props: Mapping[str, Any]
    scores: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        """The display name, where the label has one."""
        return self.props.get("name")

    def summary(self) -> str:
        """The node in a few words: its name, or a summary of a record ('' when it has neither).

        >>> Node("ListEntry", "LE1", {"list": "dishonest_debtor", "listed_date": "2019-05-01"}).summary()
        'dishonest_debtor from 2019-05-01'
        """
        p = self.props
        if self.label == "Penalty":
            return f"{p.get('category')} {p.get('kind')} {p.get('decision_date')} ({p.get('status') or 'effective'})"
        if self.label == "ListEntry":
            until = f" until {p['removed_date']}" if p.get("removed_date") else ""
            return f"{p.get('list')} from {p.get('listed_date')}{until}"
        return str(self.name or "")


@dataclass(frozen=True)
class Relationship:
    """A relationship as read back, with both ends by label and key."""

    type: str
    src_label: str
    src: str
    dst_label: str
    dst: str
    rkey: str
    props: Mapping[str, Any]
    provenance: Mapping[str, Any] = field(default_factory=dict)

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What makes the relationship unique in a store."""
        return (self.type, self.src, self.dst, self.rkey)


@dataclass(frozen=True)
class Subgraph:
    """Nodes and the relationships among them, e.g. a neighbourhood.

    ``depth`` maps each node key to its hop distance from the start node.
    """

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]
    depth: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One detector finding, as in section 3 of the contract."""

    finding_id: str
    detector: str
    subjects: tuple[str, ...]
    score: float
    as_of: dt.date | None
    evidence: Mapping[str, Any]


@dataclass(frozen=True)
class Run:
    """One run of an analysis job (detection, risk), with its parameters."""

    run_id: str
    kind: str
    started_at: str
    params: Mapping[str, Any] = field(default_factory=dict)
    user: str = ""


@dataclass(frozen=True)
class LoadRecord:
    """One load in the load history."""

    load_id: str
    source: str
    started_at: str
    user: str
    finished_at: str | None = None
    status: str = "running"
    counts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEvent:
    """One line of the append-only audit log: who did what to what, when."""

    at: str
    user: str
    action: str
    target: str
    details: Mapping[str, Any] = field(default_factory=dict)

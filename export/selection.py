"""What goes into an export package: a finding, a detector's findings, a subject's network, a set of subjects.

A ``Selection`` says what was asked for; ``collect`` reads it from a store as
a ``Contents``: the nodes, the relationships among them, the findings.

- **A finding**: its subjects, every node its evidence names by key, and each
  subject's depth-1 neighbourhood (principals, shareholders, contact points,
  records, bids), with every relationship among all of these. Depth 1 keeps a
  package about the finding: a shared phone appears, not the hundred firms
  behind it.
- **A detector**: the union of the packages of its findings.
- **A subject**: its neighbourhood to ``depth`` hops (2 by default), and the
  findings that name it.
- **Nodes**: the given subjects and the relationships among them (the
  dashboard's cluster view), and the findings that name them.

Findings come from the latest detection run, or from the run given. With an
``as_of`` date only nodes and relationships in force on that day are followed;
by default the whole history is exported, each item with its dates, since a
finding's evidence may rest on a listing that has ended since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from credgraph.analytics.detection import DETECTORS
from credgraph.graph.links import DEFAULT_MIN_GRADE, counts
from credgraph.graph.errors import NotFoundError
from credgraph.graph.records import Finding, Node, Relationship, Run
from credgraph.graph.store import GraphStore

FINDING_DEPTH = 1


@dataclass(frozen=True)
class Selection:
    """What to export; build one with the class methods.

    >>> Selection.subject("914403001922038216").describe()
    {'kind': 'subject', 'subject': '914403001922038216', 'depth': 2}
    >>> Selection.nodes(["A", "B"], "ring 1").describe()
    {'kind': 'nodes', 'name': 'ring 1', 'keys': ['A', 'B']}
    """

    kind: str
    value: str = ""
    depth: int = 2
    keys: tuple[str, ...] = ()
    run_id: str | None = None

    @classmethod
    def finding(cls, finding_id: str, run_id: str | None = None) -> Selection:
        """One finding, by id (searched in ``run_id``, else the detection runs newest first)."""
        return cls("finding", finding_id, run_id=run_id)

    @classmethod
    def detector(cls, name: str, run_id: str | None = None) -> Selection:
        """Every finding of a detector in ``run_id`` (default: the latest detection run)."""
        return cls("detector", name, run_id=run_id)

    @classmethod
    def subject(cls, key: str, depth: int = 2) -> Selection:
        """A subject's neighbourhood to ``depth`` hops."""
        return cls("subject", key, depth=depth)

    @classmethod
    def nodes(cls, keys: Iterable[str], name: str = "selection") -> Selection:
        """An arbitrary set of subjects (by key) and the relationships among them."""
        return cls("nodes", name, keys=tuple(dict.fromkeys(keys)))

    def describe(self) -> dict[str, Any]:
        """The selection as the manifest records it."""
        if self.kind == "subject":
            return {"kind": "subject", "subject": self.value, "depth": self.depth}
        if self.kind == "nodes":
            return {"kind": "nodes", "name": self.value, "keys": list(self.keys)}
        return {"kind": self.kind, self.kind: self.value, **({"run_id": self.run_id} if self.run_id else {})}


@dataclass
class Contents:
    """What a selection holds: nodes by (label, key), relationships, findings and their run."""

    nodes: dict[tuple[str, str], Node] = field(default_factory=dict)
    relationships: dict[tuple[str, str, str, str], Relationship] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    detect_run: Run | None = None
    focus: list[str] = field(default_factory=list)

    def add_nodes(self, nodes: Iterable[Node]) -> None:
        for node in nodes:
            self.nodes.setdefault((node.label, node.key), node)

    def add_relationships(self, rels: Iterable[Relationship]) -> None:
        for rel in rels:
            if (rel.src_label, rel.src) in self.nodes and (rel.dst_label, rel.dst) in self.nodes:
                self.relationships.setdefault(rel.identity, rel)


def collect(store: GraphStore, selection: Selection, as_of: dt.date | None = None,
            min_grade: str = DEFAULT_MIN_GRADE) -> Contents:
    """Read what ``selection`` names from ``store``; ``NotFoundError`` if it names nothing there.

    Relationships that rest on a link below ``min_grade`` (``strong`` by default) are left out.
    """
    contents = _collect(store, selection, as_of)
    contents.relationships = {k: r for k, r in contents.relationships.items() if counts(r.props, min_grade)}
    return contents


def _collect(store: GraphStore, selection: Selection, as_of: dt.date | None) -> Contents:
    contents = Contents()
    if selection.kind == "subject":
        _subject_nodes(store, selection.value)
        sub = store.neighbourhood(selection.value, selection.depth, None, as_of)
        contents.add_nodes(sub.nodes)
        contents.add_relationships(sub.relationships)
        contents.focus = [selection.value]
        contents.detect_run, contents.findings = _findings_naming(store, [selection.value])
        return contents
    if selection.kind == "nodes":
        if not selection.keys:
            raise NotFoundError("the selection names no subjects: pick at least one")
        for key in selection.keys:
            contents.add_nodes(_subject_nodes(store, key))
        contents.focus = list(selection.keys)
        contents.detect_run, contents.findings = _findings_naming(store, selection.keys)
    elif selection.kind in ("finding", "detector"):
        contents.detect_run, contents.findings = _selected_findings(store, selection)
        _finding_nodes(store, contents, as_of)
    else:
        raise NotFoundError(f"unknown selection kind {selection.kind!r}: use finding, detector, subject or nodes")
    _induced_relationships(store, contents, as_of)
    return contents


def _subject_nodes(store: GraphStore, key: str) -> list[Node]:
    nodes = store.find_nodes(key)
    if not nodes:
        raise NotFoundError(f"no subject with id {key!r} in {store.location}: check the id with `credgraph search`")
    return nodes


def _detect_runs(store: GraphStore, run_id: str | None) -> list[Run]:
    runs = store.runs("detect")
    if run_id is None:
        return runs
    chosen = [run for run in runs if run.run_id == run_id]
    if not chosen:
        raise NotFoundError(f"no detection run {run_id!r} in {store.location}: see the run ids with `credgraph audit`")
    return chosen


def _selected_findings(store: GraphStore, selection: Selection) -> tuple[Run | None, list[Finding]]:
    runs = _detect_runs(store, selection.run_id)
    if not runs:
        raise NotFoundError(f"no detection run in {store.location}: run `credgraph detect` first")
    if selection.kind == "finding":
        for run in runs:
            found = [f for f in store.findings(run_id=run.run_id) if f.finding_id == selection.value]
            if found:
                return run, found
        raise NotFoundError(f"no finding {selection.value!r} in {store.location}: check the id in the detect output")
    run = runs[0]
    findings = store.findings(run_id=run.run_id, detector=selection.value)
    if findings:
        return run, sorted(findings, key=lambda f: f.finding_id)
    known = sorted({*DETECTORS, *(f.detector for f in store.findings(run_id=run.run_id))})
    if selection.value not in known:
        raise NotFoundError(f"unknown detector {selection.value!r}: use one of {', '.join(known)}")
    raise NotFoundError(f"detector {selection.value!r} has no findings in run {run.run_id}: nothing to export")


def _findings_naming(store: GraphStore, keys: Iterable[str]) -> tuple[Run | None, list[Finding]]:
    runs = store.runs("detect")
    if not runs:
        return None, []
    found: dict[str, Finding] = {}
    for key in keys:
        for finding in store.findings(run_id=runs[0].run_id, subject=key):
            found.setdefault(finding.finding_id, finding)
    return runs[0], [found[k] for k in sorted(found)]


def _strings(value: Any) -> Iterator[str]:
    """Every string in a finding's evidence, keys of mappings included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _finding_nodes(store: GraphStore, contents: Contents, as_of: dt.date | None) -> None:
    subjects: dict[str, None] = {}
    named: dict[str, None] = {}
    for finding in contents.findings:
        subjects.update(dict.fromkeys(finding.subjects))
        named.update(dict.fromkeys(s for s in _strings(dict(finding.evidence)) if s.strip()))
    for key in subjects:
        contents.add_nodes(_subject_nodes(store, key))
        contents.add_nodes(store.neighbourhood(key, FINDING_DEPTH, None, as_of).nodes)
    for text in named:
        if text not in subjects:
            contents.add_nodes(store.find_nodes(text))
    contents.focus = list(subjects)


def _induced_relationships(store: GraphStore, contents: Contents, as_of: dt.date | None) -> None:
    """Every relationship between two nodes of the contents (one depth-1 read per node)."""
    for key in sorted({key for _, key in contents.nodes}):
        contents.add_relationships(store.neighbourhood(key, 1, None, as_of).relationships)

"""The findings browser: findings by detector, their evidence for a role, and their network.

Evidence is whatever the detector recorded (ids, dates, amounts, nested lists);
``shown_evidence`` masks every string in it that is a person's key, so a
viewer can check a finding by hand without seeing the people's full IDs.

>>> from credgraph.graph.store import open_store
>>> from tests.sample_graph import load_sample, P1
>>> store = open_store(":memory:")
>>> load_sample(store)
>>> shown_evidence(store, {"principal": P1, "dates": ["2020-01-01"]}, "viewer")
{'principal': '4401**********0019', 'dates': ['2020-01-01']}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from credgraph.dashboard.display import shown_id
from credgraph.dashboard.subjects import shown_subjects
from credgraph.graph.errors import NotFoundError
from credgraph.graph.records import Finding
from credgraph.graph.store import GraphStore


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _replace(value: Any, persons: set[str], role: str) -> Any:
    if isinstance(value, str):
        return shown_id("Person", value, role) if value in persons else value
    if isinstance(value, dict):
        return {k: _replace(v, persons, role) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_replace(v, persons, role) for v in value]
    return value


def shown_evidence(store: GraphStore, evidence: Any, role: str) -> Any:
    """``evidence`` with every person key masked as ``role`` requires."""
    persons = store.existing_keys("Person", sorted(set(_strings(evidence))))
    return _replace(evidence, persons, role)


def detectors_in(findings: Sequence[Finding]) -> list[str]:
    """The detectors that produced ``findings``, by name."""
    return sorted({f.detector for f in findings})


def finding_rows(store: GraphStore, findings: Sequence[Finding], role: str) -> list[dict[str, str]]:
    """One row per finding: id, detector, score, date, subjects as ``role`` may see them."""
    names = shown_subjects(store, sorted({s for f in findings for s in f.subjects}), role)
    return [{"finding": f.finding_id, "detector": f.detector, "score": f"{f.score:.2f}",
             "as of": str(f.as_of or ""), "subjects": ", ".join(names[s] for s in f.subjects)}
            for f in findings]


def find_finding(store: GraphStore, finding_id: str) -> Finding:
    """The finding of the latest detection run with this id, or ``NotFoundError``."""
    for finding in store.findings():
        if finding.finding_id == finding_id:
            return finding
    raise NotFoundError(f"no finding {finding_id!r} in the latest detection run of {store.location}")

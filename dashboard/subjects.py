"""Search and subject profiles: what the dashboard shows of one subject, for one role.

Plain functions over a store, testable without Streamlit. Rows are lists of
dicts of text ready for a table; every key and person ID in them has been
through ``credgraph.dashboard.display``, so a viewer never receives an
unmasked person ID. The real keys stay in Python (``SearchHit.key``).

>>> from credgraph.graph.store import open_store
>>> from credgraph.graph.records import NodeRow, Origin
>>> store = open_store(":memory:")
>>> _ = store.upsert_nodes("Person", [NodeRow({"person_id": "44010619800101123X", "name": "张三"})],
...                        Origin("l", "f", "t"))
>>> [hit.row() for hit in search_subjects(store, "张", "viewer")]
[{'type': 'Person', 'id': '4401**********123X', 'name': '张三', 'grade': '', 'risk': '', 'status': ''}]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from credgraph.analytics.config import load_config
from credgraph.analytics.control import UboResult, beneficial_owners
from credgraph.analytics.jobs import ownership_projection
from credgraph.dashboard.display import (
    RECORD_LABELS,
    describe,
    grade_of,
    in_force,
    node_caption,
    plain_props,
    record_state,
    relationship_caption,
    shown_id,
    shown_key,
)
from credgraph.graph.errors import NotFoundError
from credgraph.graph.records import Finding, Node
from credgraph.graph.store import GraphStore

SCORE_FIELDS = ("own_score", "linked_score", "total_score", "grade", "component", "community", "pagerank")


@dataclass(frozen=True)
class SearchHit:
    """One search result: the real key (kept in Python) and what ``role`` may see."""

    label: str
    key: str
    shown: str
    name: str
    grade: str
    score: str
    status: str

    def row(self) -> dict[str, str]:
        """The result as a table row (no real key)."""
        return {"type": self.label, "id": self.shown, "name": self.name, "grade": self.grade,
                "risk": self.score, "status": self.status}


def search_subjects(store: GraphStore, text: str, role: str, limit: int = 50) -> list[SearchHit]:
    """Nodes whose key is ``text`` or whose name contains it (Chinese substrings work)."""
    text = text.strip()
    if not text:
        return []
    hits = []
    for node in store.search(text, limit=limit):
        score = node.scores.get("total_score")
        hits.append(SearchHit(
            node.label, node.key, shown_key(node, role), describe(node), grade_of(node) or "",
            f"{score:g}" if isinstance(score, (int, float)) else "", str(node.props.get("status") or ""),
        ))
    return hits


@dataclass
class Profile:
    """Everything the subject page shows, as text for ``role``."""

    label: str
    key: str
    caption: str
    attributes: dict[str, str]
    scores: dict[str, Any]
    records: list[dict[str, str]]
    links: list[dict[str, str]]
    findings: list[dict[str, str]]
    owners: list[dict[str, str]] = field(default_factory=list)
    controller: str = ""
    ownership_notes: list[str] = field(default_factory=list)


def find_subject(store: GraphStore, key: str) -> Node:
    """The node with this key (a subject first, if several labels share it), or ``NotFoundError``."""
    nodes = store.find_nodes(key)
    if not nodes:
        raise NotFoundError(f"no subject {key!r} in {store.location}: search for it by name")
    return sorted(nodes, key=lambda n: (n.label not in ("Enterprise", "Person"), n.label))[0]


def record_row(node: Node, as_of: dt.date, role: str) -> dict[str, str]:
    """A penalty or list entry as a row: what, when, status and whether it is in force on ``as_of``."""
    p = node.props
    if node.label == "Penalty":
        what = f"penalty: {p.get('category')} {p.get('kind')}"
        when, until = p.get("decision_date"), p.get("repaired_date")
    else:
        what = f"list: {p.get('list')}"
        when, until = p.get("listed_date"), p.get("removed_date")
    return {"id": node.key, "record": what, "from": str(when or ""), "until": str(until or ""),
            "status": str(p.get("status") or ("effective" if node.label == "Penalty" else "listed")),
            "on " + as_of.isoformat(): record_state(node, as_of),
            "agency": str(p.get("agency_id") or ""), "amount": str(p.get("amount") or "")}


def _finding_row(finding: Finding, names: dict[str, str]) -> dict[str, str]:
    return {"finding": finding.finding_id, "detector": finding.detector, "score": f"{finding.score:.2f}",
            "as of": str(finding.as_of or ""), "subjects": ", ".join(names.get(s, s) for s in finding.subjects)}


def shown_subjects(store: GraphStore, keys: list[str], role: str) -> dict[str, str]:
    """Captions of the subjects named by ``keys`` (person IDs masked as ``role`` requires)."""
    persons = store.existing_keys("Person", keys)
    return {k: shown_id("Person" if k in persons else "", k, role) for k in keys}


def ubo_rows(result: UboResult, role: str, names: dict[str, str]) -> tuple[list[dict[str, str]], str]:
    """Beneficial owner rows and the actual controller, as ``role`` may see them."""
    def show(key: str, label: str = "Person") -> str:
        name = names.get(key)
        shown = shown_id(label, key, role)
        return f"{name} ({shown})" if name else shown

    rows = [{"owner": show(o.owner_id, "Person" if o.owner_type == "person" else "Enterprise"),
             "effective %": f"{o.effective_pct:g}", "beneficial": "yes" if o.beneficial else "",
             "strongest path": " > ".join(names.get(k, "") or k[:6] for k in o.paths[0]) if o.paths else ""}
            for o in result.owners]
    controller = result.actual_controller
    return rows, (f"{show(controller.owner_id)} ({controller.basis})" if controller else "")


def load_profile(store: GraphStore, key: str, role: str, as_of: dt.date) -> Profile:
    """The subject page of ``key`` on ``as_of`` for ``role`` (reads only; see ``record_view``)."""
    node = find_subject(store, key)
    around = store.neighbourhood(node.key, 1)
    others = {n.key: n for n in around.nodes}
    records = [record_row(n, as_of, role) for n in around.nodes if n.label in RECORD_LABELS]
    links = []
    for rel in around.relationships:
        if rel.src == node.key and rel.dst == node.key:
            continue
        other = others.get(rel.dst if rel.src == node.key else rel.src)
        if other is None or other.label in RECORD_LABELS:
            continue
        links.append({"relationship": relationship_caption(rel), "direction": "out" if rel.src == node.key else "in",
                      "other": node_caption(other, role), "type": other.label, "grade": grade_of(other) or ""})
    findings = store.findings(subject=node.key)
    names = shown_subjects(store, sorted({s for f in findings for s in f.subjects}), role)
    profile = Profile(
        label=node.label, key=node.key, caption=node_caption(node, role), attributes=plain_props(node, role),
        scores={k: node.scores[k] for k in SCORE_FIELDS if node.scores.get(k) is not None},
        records=sorted(records, key=lambda r: r["from"], reverse=True), links=links,
        findings=[_finding_row(f, names) for f in findings],
    )
    if node.label == "Enterprise" and in_force(node, as_of):
        _add_ownership(store, profile, as_of, role)
    elif node.label == "Enterprise":
        profile.ownership_notes.append(f"the firm is not in force on {as_of}: no owners to compute")
    return profile


def _add_ownership(store: GraphStore, profile: Profile, as_of: dt.date, role: str) -> None:
    projection = ownership_projection(store, profile.key, as_of, load_config().ownership.max_depth)
    result = beneficial_owners(projection, profile.key, load_config().ownership)
    names = {k: str(projection.node_props[i].get("name") or "") for k, i in projection.index.items()}
    profile.owners, profile.controller = ubo_rows(result, role, names)
    profile.ownership_notes = list(result.notes)


def record_view(store: GraphStore, user: str, key: str, details: dict[str, Any] | None = None) -> None:
    """Write one subject view to the audit log (action ``view_subject``)."""
    store.audit(user, "view_subject", key, {"via": "dashboard", **(details or {})})

"""Why a subject scores what it does, on the dashboard: records, sources and paths of risk.

Scores and grades are stored on the nodes by the last risk run; the paths that
explain them are not, because they come from propagation over the whole graph.
``risk_model`` recomputes that run's scores in memory (the dashboard keeps one
per store and date with ``st.cache_resource``; 52 s once on M measured by
``benchmarks/dashboard_open.py --explain``), and
``explanation`` reads one subject's share of it (``explain_risk``).

>>> import datetime as dt
>>> from credgraph.graph.store import open_store
>>> risk_date(open_store(":memory:")) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from credgraph.analytics.config import load_config
from credgraph.analytics.explain import explain_risk
from credgraph.analytics.jobs import risk_projection
from credgraph.analytics.risk import RiskScores, risk_scores
from credgraph.dashboard.display import shown_id
from credgraph.graph.errors import NotFoundError
from credgraph.graph.store import GraphStore

Names = Callable[[list[str]], dict[str, tuple[str, str]]]


def risk_date(store: GraphStore) -> dt.date | None:
    """The as-of date of the latest risk run (the date the stored grades are for), if any."""
    runs = store.runs("risk")
    if not runs or not runs[0].params.get("as_of"):
        return None
    return dt.date.fromisoformat(str(runs[0].params["as_of"]))


def risk_model(store: GraphStore, as_of: dt.date) -> RiskScores:
    """Every subject's scores on ``as_of`` in memory, with what explanations need."""
    config = load_config()
    return risk_scores(risk_projection(store, as_of, config), as_of, config)


@dataclass
class Explanation:
    """One subject's risk, as text rows for a role."""

    grade: str
    own_score: float
    linked_score: float
    total_score: float
    records: list[dict[str, str]]
    sources: list[dict[str, str]]
    paths: list[dict[str, str]]


def node_names(store: GraphStore) -> Names:
    """A lookup ``keys -> {key: (label, name)}`` over ``store``."""
    def lookup(keys: list[str]) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for key in keys:
            nodes = store.find_nodes(key)
            if nodes:
                found[key] = (nodes[0].label, str(nodes[0].name or ""))
        return found
    return lookup


def _show(key: str, names: dict[str, tuple[str, str]], role: str) -> str:
    label, name = names.get(key, ("", ""))
    shown = shown_id(label, key, role)
    return f"{name} ({shown})" if name else shown


def explanation(scores: RiskScores, key: str, role: str, names: Names, top_sources: int = 10) -> Explanation:
    """Records, strongest sources and paths behind ``key``'s score, person IDs as ``role`` may see them."""
    try:
        why = explain_risk(scores, key)
    except NotFoundError:
        raise NotFoundError(f"{key!r} has no risk score on {scores.as_of}: it is not a subject in force then") from None
    sources = why.sources[:top_sources]
    keys = sorted({key, *(s.subject_id for s in sources), *(k for p in why.paths for k in p.ids)})
    known = names(keys)
    return Explanation(
        grade=why.grade, own_score=why.own_score, linked_score=why.linked_score, total_score=why.total_score,
        records=[{"record": r.record_id, "what": r.what, "weight": f"{r.weight:.3f}"} for r in why.records],
        sources=[{"source": _show(s.subject_id, known, role), "own score": f"{s.own_score:.1f}",
                  "contribution": f"{s.contribution:.2f}"} for s in sources],
        paths=[{"path": " → ".join(_show(k, known, role) for k in p.ids), "strength": f"{p.strength:.2f}"}
               for p in why.paths],
    )

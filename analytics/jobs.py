"""Analysis jobs over a store: project, analyse, record the run, write scores back, audit.

The analyses themselves take projections; these functions are the glue the
CLI and ``credgraph demo`` call. Each job records a ``Run`` (kind, as-of date,
configuration source and digest), writes its scores with that run id, and
appends an audit event.

>>> from credgraph.graph.store import open_store
>>> store = open_store(":memory:")
>>> summary = run_all_analyses(store, dt.date(2024, 6, 30), user="doc")
>>> summary.subjects, summary.grades
(0, {'A': 0, 'B': 0, 'C': 0, 'D': 0})
>>> summary.findings["bid_rigging"]
0
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from credgraph.analytics.common import as_date, paused_gc, resolve_as_of
from credgraph.analytics.config import AnalyticsConfig, load_config
from credgraph.analytics.control import UboResult, beneficial_owners
from credgraph.analytics.detection import run_detection
from credgraph.analytics.metrics import GraphMetrics, graph_metrics
from credgraph.analytics.risk import RiskScores, risk_scores
from credgraph.graph.errors import NotFoundError
from credgraph.graph.links import DEFAULT_MIN_GRADE, check_grade, graded
from credgraph.graph.projection import Projection
from credgraph.graph.records import Node, Relationship, Run
from credgraph.graph.store import GraphStore, new_id, utc_now

RISK_COLUMNS = ["subject_id", "subject_type", "own_score", "linked_score", "total_score", "grade", "top_paths"]
RECORD_LINKS = ("HAS_PENALTY", "HAS_LIST_ENTRY")
RECORD_LABELS = ("Penalty", "ListEntry")
OWNERSHIP_LINKS = ["SHAREHOLDER_OF", "CONTROLS"]


def _record(store: GraphStore, kind: str, day: dt.date, config: AnalyticsConfig, user: str,
            extra: dict[str, Any] | None = None) -> str:
    run_id = new_id(kind)
    params = {"as_of": day.isoformat(), "config": config.source, "config_digest": config.digest, **(extra or {})}
    store.record_run(Run(run_id, kind, utc_now(), params, user))
    return run_id


def _write(store: GraphStore, updates: dict[str, dict[str, dict[str, Any]]], run_id: str) -> int:
    return sum(store.write_scores(label, rows, run_id) for label, rows in sorted(updates.items()))


def risk_projection(store: GraphStore, as_of: dt.date, config: AnalyticsConfig,
                    min_grade: str = DEFAULT_MIN_GRADE) -> Projection:
    """What risk needs on ``as_of``: subjects, intermediates, records and the configured links.

    Relationships made by resolving published mentions count only if their
    link grade is ``min_grade`` or better (``credgraph.graph.links``).

    Nodes that have begun by ``as_of`` are kept even when they have ended
    (a deregistered firm keeps passing its records' risk to its principals);
    relationships only while in force on ``as_of``.
    """
    prop = config.propagation
    labels = list(dict.fromkeys([*prop.subject_labels, *prop.intermediate_labels, *RECORD_LABELS]))
    rel_types = sorted({*prop.links, *RECORD_LINKS})
    model = store.model
    nodes = (n for n in store.iter_nodes(labels)
             if (start := as_date(n.props.get(model.nodes[n.label].valid_from or ""))) is None or start <= as_of)
    with paused_gc():
        return Projection.build(nodes, graded(store.iter_relationships(rel_types, as_of), min_grade))


@dataclass
class RiskJob:
    """A finished risk run: its id, scores, and seconds spent projecting and computing."""

    run_id: str
    scores: RiskScores
    seconds: dict[str, float] = field(default_factory=dict)


def run_risk(store: GraphStore, as_of: dt.date | None = None, config: AnalyticsConfig | None = None,
             user: str = "", min_grade: str = DEFAULT_MIN_GRADE) -> RiskJob:
    """Score every subject on ``as_of`` (today by default), record the run, write scores back.

    Links from published records count at ``min_grade`` or better (``strong`` by default).
    """
    cfg = config or load_config()
    day = resolve_as_of(as_of)
    check_grade(min_grade)
    t0 = time.perf_counter()
    projection = risk_projection(store, day, cfg, min_grade)
    t1 = time.perf_counter()
    scores = risk_scores(projection, day, cfg)
    t2 = time.perf_counter()
    counts = {"subjects": len(scores.positions), "grades": scores.grade_counts(), "min_grade": min_grade}
    run_id = _record(store, "risk", day, cfg, user, counts)
    written = _write(store, scores.score_updates(), run_id)
    seconds = {"project": t1 - t0, "score": t2 - t1, "write": time.perf_counter() - t2}
    store.audit(user, "risk", run_id, {"as_of": day.isoformat(), "subjects": written, "grades": scores.grade_counts(),
                                       "min_grade": min_grade})
    return RiskJob(run_id, scores, seconds)


def write_risk_csv(scores: RiskScores, path: Path) -> int:
    """Write the contract's risk CSV (``top_paths`` as a JSON list of id chains); return the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = scores.columns()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(RISK_COLUMNS)
        writer.writerows(zip(*(table[c] for c in RISK_COLUMNS)))
    return len(table["subject_id"])


@dataclass
class MetricsJob:
    """A finished metrics run."""

    run_id: str
    metrics: GraphMetrics
    seconds: float


def run_metrics(store: GraphStore, as_of: dt.date | None = None, config: AnalyticsConfig | None = None,
                user: str = "", min_grade: str = DEFAULT_MIN_GRADE) -> MetricsJob:
    """Groups, communities, PageRank and betweenness of every subject, written back."""
    cfg = config or load_config()
    day = resolve_as_of(as_of)
    t0 = time.perf_counter()
    with paused_gc():
        projection = Projection.build(
            store.iter_nodes(["Enterprise", "Person"], day),
            graded(store.iter_relationships(list(cfg.metrics.rel_types), day), min_grade))
    metrics = graph_metrics(projection, cfg)
    run_id = _record(store, "metrics", day, cfg, user, {"seed": cfg.metrics.seed, **metrics.group_counts()})
    written = _write(store, metrics.score_updates(projection), run_id)
    store.audit(user, "metrics", run_id, {"as_of": day.isoformat(), "subjects": written, **metrics.group_counts()})
    return MetricsJob(run_id, metrics, time.perf_counter() - t0)


@dataclass(frozen=True)
class AnalysisSummary:
    """What ``run_all_analyses`` did: runs, counts, and the riskiest subjects."""

    as_of: dt.date
    risk_run_id: str
    metrics_run_id: str
    subjects: int
    grades: dict[str, int]
    riskiest: list[dict[str, Any]]
    groups: int
    communities: int
    largest_group: int
    seconds: dict[str, float]
    detect_run_id: str = ""
    findings: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (the date as ISO text)."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


def _riskiest(scores: RiskScores, top: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for row in scores.rows():
        if len(found) == top or row["total_score"] <= 0:
            break
        pos = scores.projection.index[row["subject_id"]]
        found.append({**row, "name": scores.projection.node_props[pos].get("name")})
    return found


def run_all_analyses(store: GraphStore, as_of: dt.date | None = None, config: AnalyticsConfig | None = None,
                     user: str = "", top: int = 10) -> AnalysisSummary:
    """Risk, metrics and the six detectors over the whole store; the summary ``credgraph demo`` prints.

    Parameters
    ----------
    store : GraphStore
        Any store.
    as_of : datetime.date, optional
        The date; today by default.
    config : AnalyticsConfig, optional
        The defaults of ``risk.toml`` otherwise.
    user : str
        For the run records and the audit log.
    top : int
        How many of the riskiest subjects to return.

    Returns
    -------
    AnalysisSummary
        Run ids, subjects per grade, the ``top`` riskiest subjects (with name
        and top paths), group and community counts, findings per detector,
        seconds per step.

    Examples
    --------
    See the module docstring.
    """
    cfg = config or load_config()
    day = resolve_as_of(as_of)
    risk = run_risk(store, day, cfg, user)
    metrics = run_metrics(store, day, cfg, user)
    detection = run_detection(store, as_of=day, user=user)
    counts = metrics.metrics.group_counts()
    return AnalysisSummary(
        as_of=day, risk_run_id=risk.run_id, metrics_run_id=metrics.run_id,
        subjects=len(risk.scores.positions), grades=risk.scores.grade_counts(),
        riskiest=_riskiest(risk.scores, top), groups=counts["groups"], communities=counts["communities"],
        largest_group=counts["largest_group"],
        seconds={**{f"risk_{k}": round(v, 3) for k, v in risk.seconds.items()}, "metrics": round(metrics.seconds, 3),
                 "detect": round(sum(detection.seconds.values()), 3)},
        detect_run_id=detection.run_id, findings=detection.counts(),
    )


def _holders(store: GraphStore, firm: str, as_of: dt.date,
             min_grade: str = DEFAULT_MIN_GRADE) -> tuple[list[Node], list[Relationship]]:
    """The nodes and holdings (SHAREHOLDER_OF, CONTROLS) pointing at ``firm`` on ``as_of``, at ``min_grade`` or better."""
    sub = store.neighbourhood(firm, 1, OWNERSHIP_LINKS, as_of)
    rels = [r for r in graded(sub.relationships, min_grade) if r.dst == firm and r.dst_label == "Enterprise"]
    keys = {(r.src_label, r.src) for r in rels}
    return [n for n in sub.nodes if (n.label, n.key) in keys], rels


def ownership_projection(store: GraphStore, uscc: str, as_of: dt.date | None = None, max_depth: int = 25,
                         min_grade: str = DEFAULT_MIN_GRADE) -> Projection:
    """The firm, everyone above it over shareholdings, their holdings, and its legal representatives."""
    day = resolve_as_of(as_of)
    target = store.get_node("Enterprise", uscc)
    if target is None:
        raise NotFoundError(f"no enterprise {uscc!r} in {store.location}")
    nodes: dict[tuple[str, str], Node] = {("Enterprise", uscc): target}
    rels: dict[tuple[str, str, str, str], Relationship] = {}
    frontier = [uscc]
    for _ in range(max_depth):
        found: list[str] = []
        for firm in frontier:
            holders, holdings = _holders(store, firm, day, min_grade)
            rels.update((r.identity, r) for r in holdings if r.type == "SHAREHOLDER_OF" or r.dst == uscc)
            for node in holders:
                if (node.label, node.key) not in nodes:
                    nodes[(node.label, node.key)] = node
                    if node.label == "Enterprise":
                        found.append(node.key)
        frontier = found
        if not frontier:
            break
    reps = store.neighbourhood(uscc, 1, ["LEGAL_REP_OF"], day)
    for rel in graded(reps.relationships, min_grade):
        rels[rel.identity] = rel
    for node in reps.nodes:
        nodes.setdefault((node.label, node.key), node)
    return Projection.build(nodes.values(), [rels[k] for k in sorted(rels)])


def ubo_report(store: GraphStore, uscc: str, as_of: dt.date | None = None, config: AnalyticsConfig | None = None,
               user: str = "", min_grade: str = DEFAULT_MIN_GRADE) -> UboResult:
    """Beneficial owners and actual controller of ``uscc`` on ``as_of``, audited as a query.

    Holdings from published registry rows count at ``min_grade`` or better.
    """
    cfg = config or load_config()
    day = resolve_as_of(as_of)
    check_grade(min_grade)
    projection = ownership_projection(store, uscc, day, cfg.ownership.max_depth, min_grade)
    result = beneficial_owners(projection, uscc, cfg.ownership)
    controller = result.actual_controller.owner_id if result.actual_controller else None
    store.audit(user, "ubo", uscc, {"as_of": day.isoformat(), "owners": len(result.owners), "controller": controller})
    return result

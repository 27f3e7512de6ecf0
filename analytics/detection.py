"""The detection job: run pattern detectors on a store, record the run, store and export findings.

Two engines find the same patterns. On the embedded store the *python*
engine projects what the chosen detectors need (the whole history; each
detector applies the as-of date itself) and runs the matchers of
``credgraph.analytics.detectors``. On Neo4j the *cypher* engine runs the
queries of ``cypher/detectors/`` with the same thresholds as parameters.
Either way the assembler of each detector turns the matches into findings,
so a finding has the same id, subjects, score and evidence in both engines.

>>> from credgraph.graph.store import open_store
>>> store = open_store(":memory:")
>>> result = run_detection(store, as_of=dt.date(2024, 6, 30), user="doc")
>>> result.engine, result.counts()["guarantee_circle"], len(store.runs("detect"))
('python', 0, 1)
>>> run_detection(store, ["shells"])
Traceback (most recent call last):
...
credgraph.graph.errors.ConfigError: unknown detector 'shells': choose from reregistration, shell_cluster, bribery_association, bid_rigging, guarantee_circle, circular_ownership
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credgraph.analytics.common import paused_gc, resolve_as_of
from credgraph.analytics.detectors import REGISTRY
from credgraph.analytics.detectors.graph import DetectionGraph
from credgraph.analytics.detectors.settings import DetectorSettings, load_settings
from credgraph.graph.errors import ConfigError
from credgraph.graph.links import DEFAULT_MIN_GRADE, check_grade, graded
from credgraph.graph.projection import Projection
from credgraph.graph.records import Finding, Run
from credgraph.graph.store import GraphStore, is_neo4j_uri, new_id, utc_now

DETECTORS: tuple[str, ...] = tuple(REGISTRY)
ENGINES = ("python", "cypher")
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DetectionResult:
    """A finished detection run: its id, date, engine, findings, seconds per step, and recorded parameters."""

    run_id: str
    as_of: dt.date
    engine: str
    findings: list[Finding]
    seconds: dict[str, float]
    params: dict[str, Any]

    def counts(self) -> dict[str, int]:
        """Findings per detector that ran, in contract order (zeros included)."""
        ran = self.params.get("detectors", DETECTORS)
        return {name: sum(1 for f in self.findings if f.detector == name) for name in DETECTORS if name in ran}


def check_detectors(names: Sequence[str] | None) -> tuple[str, ...]:
    """The detectors to run in contract order (all when ``names`` is None); unknown names are a ``ConfigError``."""
    if names is None:
        return DETECTORS
    for name in names:
        if name not in REGISTRY:
            raise ConfigError(f"unknown detector {name!r}: choose from {', '.join(DETECTORS)}")
    return tuple(d for d in DETECTORS if d in set(names))


def engine_for(store: GraphStore) -> str:
    """``cypher`` for a Neo4j store, ``python`` for the embedded one."""
    return "cypher" if is_neo4j_uri(store.location) else "python"


def detection_graph(store: GraphStore, names: Sequence[str], min_grade: str = DEFAULT_MIN_GRADE) -> DetectionGraph:
    """The projection the detectors ``names`` need, with every date (no as-of filter).

    Relationships whose link grade is below ``min_grade`` are left out, so no
    detector counts them (``credgraph.graph.links``).
    """
    check_grade(min_grade)
    labels = store.model.check_labels(sorted({label for n in names for label in REGISTRY[n].labels}))
    rel_types = store.model.check_rel_types(sorted({t for n in names for t in REGISTRY[n].rel_types}))
    with paused_gc():
        return DetectionGraph(Projection.build(store.iter_nodes(labels),
                                               graded(store.iter_relationships(rel_types), min_grade)))


def find_patterns(
    store: GraphStore,
    detectors: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    settings: DetectorSettings | None = None,
    engine: str | None = None,
    progress: Progress | None = None,
    min_grade: str = DEFAULT_MIN_GRADE,
) -> tuple[list[Finding], dict[str, float]]:
    """Findings of the ``detectors`` on ``as_of`` with ``engine`` (by store by default), and seconds per step.

    Only relationships whose link grade is at least ``min_grade`` count.
    Records nothing: ``run_detection`` is the job that does.
    """
    names = check_detectors(detectors)
    check_grade(min_grade)
    cfg = settings or load_settings()
    day = resolve_as_of(as_of)
    engine = engine or engine_for(store)
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}: choose from {', '.join(ENGINES)}")
    seconds: dict[str, float] = {}
    graph = None
    if engine == "python":
        start = time.perf_counter()
        graph = detection_graph(store, names, min_grade)
        seconds["project"] = time.perf_counter() - start
    findings: list[Finding] = []
    for done, name in enumerate(names, 1):
        start = time.perf_counter()
        detector = REGISTRY[name]
        if graph is not None:
            rows = detector.match(graph, day, cfg)
        else:
            from credgraph.analytics.detectors.cypher_engine import cypher_matches

            rows = cypher_matches(store, name, day, cfg, min_grade)
        findings += detector.assemble(rows, day, cfg)
        seconds[name] = time.perf_counter() - start
        if progress:
            progress(name, done, len(names))
    return findings, seconds


def run_detection(
    store: GraphStore,
    detectors: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    user: str = "",
    progress: Progress | None = None,
    settings: DetectorSettings | None = None,
    engine: str | None = None,
    min_grade: str = DEFAULT_MIN_GRADE,
) -> DetectionResult:
    """Run the detectors on ``as_of`` (today by default), record the run, store its findings, audit it.

    Parameters
    ----------
    store : GraphStore
        The embedded store (python engine) or Neo4j (cypher engine).
    detectors : sequence of str, optional
        Names from ``DETECTORS``; all six by default. An unknown name raises ``ConfigError``.
    as_of : datetime.date, optional
        The date relations must be in force on; today by default.
    user : str
        For the run record and the audit log.
    progress : callable, optional
        ``progress(detector, done, total)`` after each detector.
    settings : DetectorSettings, optional
        Thresholds; ``analytics/detectors.toml`` by default.
    engine : str, optional
        ``python`` or ``cypher``; chosen by the store by default.
    min_grade : str
        The weakest link grade a relationship may rest on and still count
        (``exact``, ``derived``, ``strong`` or ``probable``; ``strong`` by
        default). Keyed relationships are ``exact``.

    Returns
    -------
    DetectionResult
        See the module docstring for an example.
    """
    cfg = settings or load_settings()
    names = check_detectors(detectors)
    day = resolve_as_of(as_of)
    engine = engine or engine_for(store)
    findings, seconds = find_patterns(store, names, day, cfg, engine, progress, min_grade)
    run_id = new_id("detect")
    params = {"as_of": day.isoformat(), "engine": engine, "detectors": list(names), "min_grade": min_grade,
              "settings": cfg.as_dict(), "settings_source": cfg.source, "settings_digest": cfg.digest,
              "findings": {n: sum(1 for f in findings if f.detector == n) for n in names}}
    store.record_run(Run(run_id, "detect", utc_now(), params, user))
    store.write_findings(run_id, findings)
    store.audit(user, "detect", run_id, {"as_of": day.isoformat(), "engine": engine, "min_grade": min_grade,
                                         "findings": params["findings"]})
    return DetectionResult(run_id, day, engine, findings, {k: round(v, 3) for k, v in seconds.items()}, params)


def finding_record(finding: Finding) -> dict[str, Any]:
    """A finding as the contract's JSON object (section 3)."""
    return {"finding_id": finding.finding_id, "detector": finding.detector, "subjects": list(finding.subjects),
            "score": finding.score, "as_of": finding.as_of.isoformat() if finding.as_of else None,
            "evidence": finding.evidence}


def write_findings_jsonl(findings: Sequence[Finding], path: Path) -> int:
    """Write one JSON object per line (contract section 3); return the number written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for finding in findings:
            handle.write(json.dumps(finding_record(finding), ensure_ascii=False, default=str) + "\n")
    return len(findings)

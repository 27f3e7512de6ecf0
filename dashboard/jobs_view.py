"""The jobs page: run detection, risk and graph metrics from the dashboard, with progress.

Jobs need the ``run_jobs`` right (analyst and admin). Each opens a store of its
own for the run (writes never share the dashboard's reading connection),
reports progress through ``progress(step, done, total)``, and is audited by
the analysis it runs (``risk``, ``metrics``, ``detect``) with the dashboard
user's name.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from credgraph.analytics.jobs import run_metrics, run_risk
from credgraph.graph.access import require
from credgraph.graph.errors import ConfigError
from credgraph.graph.store import open_store

Progress = Callable[[str, int, int], None]
JOBS = ("detection", "risk", "metrics")


@dataclass
class JobResult:
    """What a finished job reports on the page."""

    job: str
    run_id: str
    seconds: float
    summary: dict[str, Any] = field(default_factory=dict)


def detection_available() -> bool:
    """Whether this installation has the pattern detectors (``credgraph.analytics.detection``)."""
    return importlib.util.find_spec("credgraph.analytics.detection") is not None


def detector_names() -> list[str]:
    """The detectors ``run_detection`` knows, or none without the detection module."""
    if not detection_available():
        return []
    from credgraph.analytics.detection import DETECTORS

    return sorted(DETECTORS)


def run_job(db: str, job: str, role: str, user: str, as_of: dt.date | None = None,
            detectors: list[str] | None = None, progress: Progress | None = None) -> JobResult:
    """Run ``job`` (one of ``JOBS``) on the store ``db`` as ``user``."""
    require(role, "run_jobs", f"running {job}")
    if job not in JOBS:
        raise ConfigError(f"unknown job {job!r}: use one of {', '.join(JOBS)}")
    report = progress or (lambda step, done, total: None)
    with open_store(db) as store:
        if job == "risk":
            report("risk", 0, 1)
            risk = run_risk(store, as_of, user=user)
            report("risk", 1, 1)
            return JobResult("risk", risk.run_id, round(sum(risk.seconds.values()), 2),
                             {"subjects": len(risk.scores.positions), **risk.scores.grade_counts()})
        if job == "metrics":
            report("metrics", 0, 1)
            metrics = run_metrics(store, as_of, user=user)
            report("metrics", 1, 1)
            return JobResult("metrics", metrics.run_id, round(metrics.seconds, 2), metrics.metrics.group_counts())
        if not detection_available():
            raise ConfigError("detection is not available in this installation: credgraph.analytics.detection is missing")
        from credgraph.analytics.detection import run_detection

        result = run_detection(store, detectors=detectors or None, as_of=as_of, user=user, progress=report)
        counts: dict[str, Any] = {}
        for finding in result.findings:
            counts[finding.detector] = counts.get(finding.detector, 0) + 1
        return JobResult("detection", result.run_id, round(sum(result.seconds.values()), 2),
                         {"findings": len(result.findings), **counts})

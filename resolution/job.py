"""The resolution job: read the store, resolve, write the links and what they make, record the run.

``run_resolution`` is what ``credgraph resolve`` and every ``credgraph load``
call. It writes

* ``SAME_AS`` from each linked subject to its mention (grade, score,
  evidence, method, the run that made it) and ``MAYBE_SAME_AS`` to each
  candidate of a probable mention, rewriting only the mentions whose link
  changed;
* the relationships the linked mentions' facts make (``materialise``);

and records a ``resolve`` run with its counts per grade and the settings
digest, plus an audit event.

>>> from credgraph.graph.store import open_store
>>> job = run_resolution(open_store(":memory:"), user="doc")
>>> job.counts()
{'exact': 0, 'derived': 0, 'strong': 0, 'probable': 0, 'unresolved': 0}
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from credgraph.graph.links import GRADES
from credgraph.graph.records import Origin, RelRow, Run, WriteResult
from credgraph.graph.store import GraphStore, new_id, utc_now
from credgraph.loaders.report import spreadsheet_safe
from credgraph.resolution.engine import Decisions, Resolution, resolve
from credgraph.resolution.materialise import linked_relationships, write_linked
from credgraph.resolution.review import read_decisions
from credgraph.resolution.settings import ResolutionSettings, load_settings
from credgraph.resolution.tables import Registry, columns, read_mentions

LINKS_COLUMNS = ["mention_id", "source", "file", "line", "role", "name", "identifier", "subject_id", "subject_type",
                 "grade", "score", "evidence"]
Progress = Callable[[str], None]


@dataclass
class ResolutionRun:
    """A finished resolution: its run id, the mentions, the resolution, what was written and how long it took."""

    run_id: str
    mentions: pd.DataFrame
    resolution: Resolution
    written: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Mentions per grade (every grade listed)."""
        found = Counter(self.resolution.grade_of().values())
        return {grade: found.get(grade, 0) for grade in GRADES}

    def counts_by(self, column: str = "source") -> dict[str, dict[str, int]]:
        """Mentions per grade for each value of a mention column (``source`` or ``role``)."""
        grades = self.resolution.grade_of()
        out: dict[str, Counter[str]] = {}
        for key, mid in columns(self.mentions, column, "mention_id"):
            out.setdefault(key, Counter())[grades.get(mid, "unresolved")] += 1
        return {k: {g: c.get(g, 0) for g in GRADES} for k, c in sorted(out.items())}


def _link_rows(resolution: Resolution, run_id: str) -> list[RelRow]:
    links = resolution.links
    return [RelRow(s, m, {"link_grade": g, "score": float(sc), "evidence": e, "method": meth, "run_id": run_id},
                   src_label=lab)
            for m, s, lab, g, sc, e, meth in columns(links, "mention_id", "subject_id", "label", "grade", "score",
                                                     "evidence", "method")]


def _candidate_rows(resolution: Resolution) -> list[RelRow]:
    c = resolution.candidates
    return [RelRow(s, m, {"link_grade": "probable", "rank": int(r), "score": float(sc), "evidence": e}, src_label=lab)
            for m, s, lab, r, sc, e in columns(c, "mention_id", "subject_id", "label", "rank", "score", "evidence")]


def _replace_changed(store: GraphStore, rel_type: str, rows: list[RelRow], fields: tuple[str, ...],
                     origin: Origin) -> WriteResult:
    """Rewrite the ``rel_type`` edges of the mentions whose edges differ in ``fields`` from the stored ones."""
    table = store.relationship_table([rel_type], fields)
    stored: dict[str, set[tuple[Any, ...]]] = {}
    for i, mid in enumerate(table["dst"]):
        stored.setdefault(mid, set()).add((table["src_label"][i], table["src"][i], *(table[f][i] for f in fields)))
    # A mention with no stored edge changes if it gets one; only those with stored edges need comparing.
    desired: dict[str, set[tuple[Any, ...]]] = {}
    for row in rows:
        if row.dst in stored:
            desired.setdefault(row.dst, set()).add((row.src_label, row.src, *(row.props.get(f) for f in fields)))
    changed = sorted({row.dst for row in rows if row.dst not in stored}
                     | {m for m, edges in stored.items() if edges != desired.get(m, set())})
    if not changed:
        return WriteResult(0, len(rows))
    keep = set(changed)
    return store.replace_relationships(rel_type, "Mention", changed, [r for r in rows if r.dst in keep], origin)


Resolver = Callable[[pd.DataFrame, Registry, Decisions, ResolutionSettings], Resolution]


def run_resolution(store: GraphStore, *, settings: ResolutionSettings | None = None, user: str = "",
                   load_id: str | None = None, progress: Progress | None = None,
                   resolver: Resolver = resolve) -> ResolutionRun:
    """Resolve every mention in ``store`` and write the outcome; see the module docstring.

    ``resolver`` turns the mentions, the registry, the decisions and the
    settings into a ``Resolution``: the rule engine by default; a benchmark
    passes the truth of a generated world to measure what perfect resolution
    would give, through the same writing.
    """
    cfg = settings or load_settings()
    run_id = new_id("resolve")
    origin = Origin(load_id or run_id, "resolution", utc_now())
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    if progress:
        progress("reading mentions and the registry")
    mentions = read_mentions(store)
    registry = Registry.read(store)
    registry.with_published_reg_nos(mentions)
    decisions = read_decisions(store)
    seconds["read"] = time.perf_counter() - start
    if progress:
        progress(f"resolving {len(mentions):,} mentions")
    start = time.perf_counter()
    resolution = resolver(mentions, registry, decisions, cfg)
    del registry  # the largest frames of the run: free them before writing
    seconds["resolve"] = time.perf_counter() - start
    if progress:
        progress("writing links")
    start = time.perf_counter()
    written = {
        "links": _replace_changed(store, "SAME_AS", _link_rows(resolution, run_id),
                                  ("link_grade", "score", "evidence", "method"), origin).written,
        "candidates": _replace_changed(store, "MAYBE_SAME_AS", _candidate_rows(resolution),
                                       ("rank", "score", "evidence"), origin).written,
    }
    made = linked_relationships(mentions, resolution.links, store.existing_keys)
    written["relationships"] = write_linked(store, made, origin).written
    seconds["write"] = time.perf_counter() - start
    job = ResolutionRun(run_id, mentions, resolution, written, {k: round(v, 3) for k, v in seconds.items()})
    params = {"settings_source": cfg.source, "settings_digest": cfg.digest, "load_id": load_id,
              "mentions": len(mentions), "grades": job.counts(), "written": written, "seconds": job.seconds,
              "decisions": len(decisions.accepted) + len(decisions.rejected)}
    store.record_run(Run(run_id, "resolve", utc_now(), params, user))
    store.audit(user, "resolve", run_id, {"mentions": len(mentions), "grades": job.counts(), "written": written})
    return job


def write_links_csv(job: ResolutionRun, path: Path) -> int:
    """Write ``links.csv`` (contract section 4): one row per mention; return the row count."""
    res = job.resolution.links
    links = {mid: (subject, str(label).lower(), grade, score, evidence) for mid, subject, label, grade, score, evidence
             in columns(res, "mention_id", "subject_id", "label", "grade", "score", "evidence")}
    unresolved = job.resolution.unresolved
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(LINKS_COLUMNS)
        for m in job.mentions.sort_values(["file", "line", "mention_id"], kind="stable").itertuples(index=False):
            subject, kind, grade, score, evidence = links.get(
                m.mention_id, ("", m.subject_type, "unresolved", "", unresolved.get(m.mention_id, "")))
            writer.writerow([m.mention_id, m.source, spreadsheet_safe(str(m.file or "")), m.line, m.role,
                             spreadsheet_safe(m.name or ""), spreadsheet_safe(m.identifier or ""), subject, kind,
                             grade, score, evidence])
    return len(job.mentions)


def summary(job: ResolutionRun) -> dict[str, Any]:
    """What a load report says of resolution: grades overall and per source."""
    return {"run_id": job.run_id, "grades": job.counts(), "by_source": job.counts_by("source"),
            "written": job.written, "seconds": job.seconds}


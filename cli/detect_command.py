"""``credgraph detect``: a thin shell over ``credgraph.analytics.detection``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from credgraph.analytics.detection import (
    DETECTORS,
    DetectionResult,
    check_detectors,
    run_detection,
    write_findings_jsonl,
)
from credgraph.analytics.detectors.settings import load_settings
from credgraph.cli.explore_commands import current_user
from credgraph.cli.options import AsOf, Db, MinGrade, parse_as_of
from credgraph.cli.output import add_row, err, out as console
from credgraph.graph.links import DEFAULT_MIN_GRADE, check_grade
from credgraph.graph.store import open_store


def findings_table(result: DetectionResult) -> Table:
    """Detector, findings, seconds: one row per detector that ran."""
    grade = result.params.get("min_grade", DEFAULT_MIN_GRADE)
    title = f"findings as of {result.as_of.isoformat()} ({result.engine} engine, min grade {grade})"
    table = Table("detector", "findings", "seconds", title=Text(title))
    for name, count in result.counts().items():
        add_row(table, name, f"{count:,}", f"{result.seconds.get(name, 0.0):.2f}")
    return table


def detect(
    out: Annotated[Path, typer.Option("--out", help="Findings file (JSON lines).")],
    db: Db = None,
    detector: Annotated[Optional[list[str]], typer.Option(
        "--detector", help=f"Run only this detector (repeat for several): {', '.join(DETECTORS)}.")] = None,
    as_of: AsOf = None,
    config: Annotated[Optional[Path], typer.Option(
        "--config", metavar="FILE.toml", help="Thresholds overriding the defaults (see docs/detectors.md).")] = None,
    min_grade: MinGrade = DEFAULT_MIN_GRADE,
) -> None:
    """Run the pattern detectors and write their findings.

    Finds re-registrations of black-listed principals, shell clusters,
    bribery associations, bid rigging, guarantee circles and circular
    ownership as of --as-of (today by default): Cypher queries on Neo4j, the
    Python engine on the embedded store, the same findings either way. Writes
    one JSON object per line (finding_id, detector, subjects, score, as_of,
    evidence), stores the findings under a run id, and prints a table of
    findings and seconds per detector.

    Relationships that entity resolution made from published records count
    only when the link they rest on is at least --min-grade (exact, derived,
    strong or probable; strong by default); keyed input is exact. Every
    relationship, record and bid in the evidence shows its grade.

    Example: credgraph detect --as-of 2024-06-30 --out findings.jsonl

    Example: credgraph detect --min-grade probable --out with-candidates.jsonl
    """
    grade = check_grade(min_grade, "--min-grade")
    settings = load_settings(config)
    day = parse_as_of(as_of)
    names = check_detectors(detector)
    with open_store(db) as store:
        err.print(f"detecting in {store.location} ...")
        result = run_detection(store, names, day, current_user(), settings=settings, min_grade=grade,
                               progress=lambda name, done, total: err.print(f"  {name} done ({done}/{total})"))
        written = write_findings_jsonl(result.findings, out)
        store.audit(current_user(), "export_findings", str(out), {"run_id": result.run_id, "findings": written})
    console.print(findings_table(result))
    err.print(Text(f"Run {result.run_id}: wrote {written:,} findings to {out}"))


def register(app: typer.Typer) -> None:
    """Add ``detect`` to ``app``."""
    app.command()(detect)

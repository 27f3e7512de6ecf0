"""``credgraph demo``: the small sample, loaded and analysed, in one command."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from credgraph.analytics.jobs import AnalysisSummary, run_all_analyses
from credgraph.cli.explore_commands import current_user
from credgraph.cli.generate_command import generate_with_progress
from credgraph.cli.load_command import summary_table as load_table
from credgraph.cli.options import Db
from credgraph.cli.output import add_row, err, out
from credgraph.graph.store import open_store
from credgraph.loaders.load import load_folder
from credgraph.loaders.report import EXIT_OK


def _counts_table(counts: dict[str, int]) -> Table:
    table = Table("kind", "count", title=Text("the graph"))
    for kind, count in counts.items():
        if count:
            add_row(table, kind, f"{count:,}")
    return table


def _analysis_table(summary: AnalysisSummary) -> Table:
    grades = ", ".join(f"{g}: {n:,}" for g, n in sorted(summary.grades.items()))
    table = Table("subject", "type", "name", "score", "grade",
                  title=Text(f"riskiest subjects as of {summary.as_of} (grades {grades})"))
    for row in summary.riskiest:
        add_row(table, row["subject_id"], row["subject_type"], row.get("name"), f"{row['total_score']:.3f}", row["grade"])
    return table


def _findings_table(summary: AnalysisSummary) -> Table:
    table = Table("detector", "findings", title=Text(f"findings as of {summary.as_of}"))
    for name, count in summary.findings.items():
        add_row(table, name, f"{count:,}")
    return table


def _as_of(data: Path) -> dt.date:
    """The reference date the generator planted its patterns for."""
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    return dt.date.fromisoformat(truth["meta"]["as_of"])


def demo(
    db: Db = None,
    data: Annotated[Path, typer.Option("--data", help="Where to write the sample input files.")] = Path("credgraph-demo-data"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the sample.")] = 7,
) -> None:
    """Generate the small sample, load it, run every analysis and print a summary.

    Writes the S sample (about 2,000 firms) into --data, loads it into the
    store (the embedded ./credgraph.db by default), runs risk propagation,
    grades, graph metrics and the six pattern detectors as of the sample's
    reference date, and prints the riskiest subjects, the findings per
    detector and how to open the dashboard.

    Example: credgraph demo
    """
    started = time.perf_counter()
    generated = generate_with_progress("S", seed, data)
    err.print(f"generated {sum(generated.rows.values()):,} rows into {data}")
    with open_store(db) as store:
        err.print(f"loading into {store.location} ...")
        report = load_folder(store, data, user=current_user())
        out.print(load_table(report))
        if report.exit_code != EXIT_OK:
            raise typer.Exit(report.exit_code)
        err.print("running risk propagation, grades, graph metrics and the pattern detectors ...")
        summary = run_all_analyses(store, _as_of(data), user=current_user())
        runs = {"risk_run": summary.risk_run_id, "detect_run": summary.detect_run_id}
        store.audit(current_user(), "demo", str(data), {"load_id": report.load_id, **runs})
        out.print(_counts_table(store.counts()))
        location = store.location
    out.print(_analysis_table(summary))
    out.print(_findings_table(summary))
    out.print(Text(
        f"{summary.groups:,} connected groups (largest {summary.largest_group:,} nodes), "
        f"{summary.communities:,} communities. Done in {time.perf_counter() - started:.0f} s."
    ), soft_wrap=True)
    out.print(Text(f"Explore: credgraph search 贸易 --db {location}  |  credgraph show <id> --db {location} --depth 2"),
              soft_wrap=True)
    out.print(Text(f"Findings (run {summary.detect_run_id}): credgraph detect --db {location} "
                   f"--as-of {summary.as_of} --out findings.jsonl"),
              soft_wrap=True)
    out.print(Text(f"Dashboard: credgraph users add NAME --role analyst, then credgraph dashboard --db {location}"), soft_wrap=True)

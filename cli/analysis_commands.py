"""``credgraph risk`` and ``credgraph ubo``: thin shells over ``credgraph.analytics.jobs``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from credgraph.analytics.config import load_config
from credgraph.analytics.control import UboResult
from credgraph.analytics.jobs import run_risk, ubo_report, write_risk_csv
from credgraph.cli.explore_commands import current_user
from credgraph.cli.options import AsOf, Db, MinGrade, parse_as_of
from credgraph.cli.output import add_row, err, print_json
from credgraph.cli.output import out as console
from credgraph.graph.links import check_grade
from credgraph.graph.store import open_store

Config = Annotated[
    Optional[Path],
    typer.Option("--config", metavar="FILE.toml",
                 help="Weights and thresholds overriding the defaults (see docs/analytics.md)."),
]


def risk(
    out: Annotated[Path, typer.Option("--out", help="Risk scores file (CSV).")],
    db: Db = None,
    as_of: AsOf = None,
    config: Config = None,
    min_grade: MinGrade = "strong",
) -> None:
    """Propagate risk and grade every subject A (best) to D (worst).

    Own risk comes from a subject's penalties and black-list entries in force
    on --as-of (today by default); linked risk travels over control, legal
    representative, shareholding, officer, guarantee, shared contact and
    co-bidding links. Writes subject_id, subject_type, own_score, linked_score,
    total_score, grade, top_paths (a JSON list of id chains, source first),
    riskiest first, and stores the scores and grades on the subjects.
    Records and relationships from published files count only where their
    link to the subject is --min-grade (strong by default) or better.

    Example: credgraph risk --as-of 2024-06-30 --out risk.csv
    """
    settings = load_config(config)
    day = parse_as_of(as_of)
    with open_store(db) as store:
        job = run_risk(store, day, settings, current_user(), min_grade=check_grade(min_grade, "--min-grade"))
        rows = write_risk_csv(job.scores, out)
        store.audit(current_user(), "export_risk", str(out), {"run_id": job.run_id, "rows": rows})
    table = Table("grade", "subjects", title=Text(f"grades on {job.scores.as_of.isoformat()}"))
    for grade, count in job.scores.grade_counts().items():
        add_row(table, grade, f"{count:,}")
    console.print(table)
    err.print(Text(f"Run {job.run_id}: wrote {rows:,} rows to {out} "
                   f"(scored in {job.seconds['score']:.1f} s after {job.seconds['project']:.1f} s reading the store)"))


def _ubo_table(result: UboResult) -> None:
    table = Table("owner", "type", "effective %", "beneficial", "strongest path",
                  title=Text(f"owners of {result.uscc}"))
    for owner in result.owners:
        path = ">".join(owner.paths[0]) if owner.paths else ""
        beneficial = "yes" if owner.beneficial else ""
        add_row(table, owner.owner_id, owner.owner_type, f"{owner.effective_pct:g}", beneficial, path)
    console.print(table)
    controller = result.actual_controller
    console.print(Text("actual controller: " + (f"{controller.owner_id} ({controller.basis})" if controller else "none")))
    for note in result.notes:
        console.print(Text(f"note: {note}"))


def ubo(
    uscc: Annotated[str, typer.Argument(help="The enterprise's USCC.")],
    db: Db = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    as_of: AsOf = None,
    min_grade: MinGrade = "strong",
) -> None:
    """Beneficial owners and actual controller of one enterprise.

    Effective shares through layered and circular holdings (natural persons,
    beneficial at 25% or more), the paths behind them, the actual controller
    and the rule that names them, owners declared unknown, and ownership cycles.
    Holdings from published registry rows count at --min-grade or better, and
    the JSON gives the grade of every holding on each path (path_grades).

    Example: credgraph ubo 914403001922038216 --json
    """
    with open_store(db) as store:
        key = uscc.strip()
        if store.get_node("Enterprise", key) is None and store.get_node("Enterprise", key.upper()) is not None:
            key = key.upper()
        result = ubo_report(store, key, parse_as_of(as_of), load_config(), current_user(),
                            min_grade=check_grade(min_grade, "--min-grade"))
    if json_out:
        print_json(result.as_dict())
    else:
        _ubo_table(result)


def register(app: typer.Typer) -> None:
    """Add ``risk`` and ``ubo`` to ``app``."""
    for command in (risk, ubo):
        app.command()(command)

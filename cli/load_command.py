"""``credgraph load DIR``: load a folder of input files, account for every row."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from credgraph.cli.explore_commands import current_user
from credgraph.cli.options import Db
from credgraph.cli.output import add_row, err, out
from credgraph.graph.errors import ConfigError
from credgraph.graph.store import open_store
from credgraph.loaders.load import load_folder
from credgraph.loaders.report import LoadReport


def summary_table(report: LoadReport) -> Table:
    """The per-file counts of a load, for people."""
    table = Table("file", "read", "loaded", "rejected", "changed", "error", title=Text(f"load {report.load_id}"))
    for f in report.files:
        add_row(table, f.source, f.read, f.loaded, f.rejected, f.written, f.error)
    totals = report.totals
    add_row(table, "total", totals["read"], totals["loaded"], totals["rejected"], "", report.error)
    return table


def load(
    folder: Annotated[Path, typer.Argument(help="Folder of input CSV / xlsx files.")],
    db: Db = None,
    encoding: Annotated[str, typer.Option("--encoding", help="utf-8 (with or without BOM), gb18030 or gbk.")] = "utf-8",
    strict: Annotated[bool, typer.Option("--strict", help="Load nothing if any row is bad.")] = False,
    report_dir: Annotated[
        Optional[Path], typer.Option("--report-dir", help="Where report.json and rejects.csv go [default: ./load-reports/<load-id>].")
    ] = None,
) -> None:
    """Load a folder of input files. Exit 0: all loaded; 3: some rows rejected; 2: nothing loaded.

    Every row ends in the store or in rejects.csv (file, line, column, value,
    reason); report.json has the counts per file. Loading the same folder twice
    changes nothing.

    Example: credgraph load data/s7 --encoding gb18030
    """
    if not folder.is_dir():
        raise ConfigError(f"{folder}: not a folder; give the folder that holds the input files")
    with open_store(db) as store, Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task("loading", total=None)
        report = load_folder(
            store, folder, encoding=encoding, strict=strict, report_dir=report_dir, user=current_user(),
            progress=lambda name: bar.update(task, description=f"loading {name}"),
        )
        store.audit(current_user(), "load", str(folder), {"load_id": report.load_id, "status": report.status})
    out.print(summary_table(report))
    out.print(Text(f"Report: {report_dir or Path('load-reports') / report.load_id}"))
    raise typer.Exit(report.exit_code)

"""``credgraph load PATH``: load a folder of input files, or a published file through a mapping."""

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
from credgraph.loaders.report import LoadReport, write_report


def summary_table(report: LoadReport) -> Table:
    """The per-file counts of a load, for people."""
    table = Table("file", "read", "loaded", "rejected", "changed", "error", title=Text(f"load {report.load_id}"))
    for f in report.files:
        add_row(table, f.source, f.read, f.loaded, f.rejected, f.written, f.error)
    totals = report.totals
    add_row(table, "total", totals["read"], totals["loaded"], totals["rejected"], "", report.error)
    return table


def resolution_table(grades: dict[str, dict[str, int]]) -> Table:
    """Mentions per grade and source after a resolution run."""
    columns = ["exact", "derived", "strong", "probable", "unresolved"]
    table = Table("source", *columns, title=Text("resolution"))
    for source, counts in grades.items():
        add_row(table, source, *(counts.get(c, 0) for c in columns))
    return table


def load(
    path: Annotated[Path, typer.Argument(help="Folder of input CSV / xlsx files; with --source or --mapping, a published file or a folder of them.")],
    db: Db = None,
    source: Annotated[Optional[str], typer.Option("--source", help="A built-in published format: court_dishonest, admin_penalty, registry_shareholders, registry_officers, procurement_award.")] = None,
    mapping_file: Annotated[Optional[Path], typer.Option("--mapping", help="A mapping file (TOML) for any other agency's file: see docs/mappings.md.")] = None,
    resolve: Annotated[bool, typer.Option("--resolve/--no-resolve", help="Resolve mentions after a published load.")] = True,
    encoding: Annotated[str, typer.Option("--encoding", help="utf-8 (with or without BOM), gb18030 or gbk.")] = "utf-8",
    strict: Annotated[bool, typer.Option("--strict", help="Load nothing if any row is bad.")] = False,
    report_dir: Annotated[
        Optional[Path], typer.Option("--report-dir", help="Where report.json and rejects.csv go [default: ./load-reports/<load-id>].")
    ] = None,
) -> None:
    """Load input files. Exit 0: all loaded; 3: some rows rejected; 2: nothing loaded.

    Every row ends in the store or in rejects.csv (file, line, column, value,
    reason); report.json has the counts per file. Loading the same files twice
    changes nothing. A published file (--source or --mapping) is kept row by
    row as source records; the subjects it names become mentions, resolved
    after the load (see credgraph resolve).

    Example: credgraph load data/s7 --encoding gb18030

    Example: credgraph load court_list.csv --source court_dishonest
    """
    if source and mapping_file:
        raise ConfigError("give --source or --mapping, not both")
    published = source is not None or mapping_file is not None
    if not published and not path.is_dir():
        raise ConfigError(f"{path}: not a folder; give the folder that holds the input files "
                          "(or --source NAME for a published file)")
    if published and not path.exists():
        raise ConfigError(f"{path}: no such file or folder")
    if published:
        from credgraph.loaders.published.mapping import builtin_mapping, read_mapping

        mapping = read_mapping(mapping_file) if mapping_file else builtin_mapping(source or "")
    with open_store(db) as store, Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task("loading", total=None)

        def progress(name: str) -> None:
            bar.update(task, description=f"loading {name}")

        if published:
            from credgraph.loaders.published.load import load_published

            report = load_published(store, path, mapping, encoding=encoding, strict=strict, report_dir=report_dir,
                                    user=current_user(), progress=progress)
        else:
            report = load_folder(store, path, encoding=encoding, strict=strict, report_dir=report_dir,
                                 user=current_user(), progress=progress)
        store.audit(current_user(), "load", str(path), {"load_id": report.load_id, "status": report.status})
        job = None
        if resolve and published and report.totals["loaded"]:
            from credgraph.resolution.job import run_resolution, summary

            job = run_resolution(store, user=current_user(), load_id=report.load_id,
                                 progress=lambda what: bar.update(task, description=what))
            report.resolution = summary(job)
            write_report(report, report_dir or Path("load-reports") / report.load_id)
    out.print(summary_table(report))
    if job is not None:
        out.print(resolution_table(job.counts_by("source")))
    out.print(Text(f"Report: {report_dir or Path('load-reports') / report.load_id}"))
    raise typer.Exit(report.exit_code)

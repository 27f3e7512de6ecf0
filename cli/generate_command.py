"""``credgraph generate``: synthetic input data with planted patterns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from credgraph.cli.output import add_row, err, out
from credgraph.synthetic.generate import GenerationSummary, generate as generate_data


def generate_with_progress(size: str, seed: int, folder: Path) -> GenerationSummary:
    """Generate a data set with a progress bar on stderr."""
    columns = (TextColumn("generating {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"{size} (seed {seed})", total=None)
        return generate_data(size=size, seed=seed, out=folder,
                             progress=lambda done, total: bar.update(task, completed=done, total=total))


def summary_table(summary: GenerationSummary) -> Table:
    """Rows per file and planted patterns, for people."""
    table = Table("file", "rows", title=Text(f"{summary.size} data set, seed {summary.seed}, in {summary.out}"))
    for name, rows in summary.rows.items():
        add_row(table, name, f"{rows:,}")
    for detector, count in summary.planted.items():
        add_row(table, f"planted {detector}", count)
    return table


def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the CSV files and truth.json into.")],
    size: Annotated[str, typer.Option("--size", help="S (~2k firms), M (~100k) or L (~1M).")] = "S",
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives identical files.")] = 1,
) -> None:
    """Write synthetic input data with planted patterns and their truth.json.

    The files follow the input contract; truth.json lists the planted patterns
    per detector, the expected beneficial owners, and the decoys that must not
    be flagged. See docs/synthetic.md.

    Example: credgraph generate --size S --seed 7 --out data/s7
    """
    summary = generate_with_progress(size, seed, out_dir)
    out.print(summary_table(summary))
    out.print(Text(f"Wrote {summary.out} in {summary.seconds:.1f} s. Load it with: credgraph load {summary.out}"))

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


def generate_with_progress(size: str, seed: int, folder: Path, fmt: str = "keyed") -> GenerationSummary:
    """Generate a data set with a progress bar on stderr (the enterprises of the keyed world)."""
    columns = (TextColumn("generating {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(f"{size} (seed {seed})", total=None)
        return generate_data(size=size, seed=seed, out=folder, format=fmt,
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
    fmt: Annotated[str, typer.Option(
        "--format", help="keyed: the input contract's files; published: the same world as a registry base "
                         "(registry/), agencies' published files (published/) and the truth of every mention "
                         "(mentions.csv).")] = "keyed",
) -> None:
    """Write synthetic input data with planted patterns and their truth.json.

    The files follow the input contract; truth.json lists the planted patterns
    per detector, the expected beneficial owners, and the decoys that must not
    be flagged. With --format published the same world is written the way
    agencies publish it: names and masked IDs instead of keys, and mentions.csv
    saying who every name really is. See docs/synthetic.md.

    Example: credgraph generate --size S --seed 7 --out data/s7

    Example: credgraph generate --size S --seed 7 --format published --out data/p7
    """
    summary = generate_with_progress(size, seed, out_dir, fmt)
    out.print(summary_table(summary))
    if fmt == "published":
        hint = (f"Load the registry with: credgraph load {summary.out / 'registry'}, then each file of "
                f"{summary.out / 'published'} with --source NAME (bid_opening.csv with --mapping "
                f"{summary.out / 'mappings' / 'bid_opening.toml'}).")
    else:
        hint = f"Load it with: credgraph load {summary.out}"
    out.print(Text(f"Wrote {summary.out} in {summary.seconds:.1f} s. {hint}"))

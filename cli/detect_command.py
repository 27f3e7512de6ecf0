"""`credgraph detect`: run the pattern detectors.

Placeholder until its implementation lands: it stops with a one-line message
and exit code 1 instead of pretending to work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from credgraph.cli.options import AsOf, Db
from credgraph.graph.errors import CredgraphError


class NotAvailableError(CredgraphError):
    """A contract command whose implementation is not in this version yet."""


def detect(
    out: Annotated[Path, typer.Option("--out", help="Findings file (JSON lines).")],
    db: Db = None,
    detector: Annotated[Optional[str], typer.Option("--detector", help="Run only this detector.")] = None,
    as_of: AsOf = None,
) -> None:
    """Run the pattern detectors and write their findings.

    Example: credgraph detect --as-of 2024-06-30 --out findings.jsonl
    """
    raise NotAvailableError("`credgraph detect` is not implemented in this version of credgraph yet")


def register(app: typer.Typer) -> None:
    """Add ``detect`` to ``app``."""
    app.command()(detect)

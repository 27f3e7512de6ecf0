"""`credgraph export`: export a package of findings or a subject's network.

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


def export(
    out: Annotated[Path, typer.Option("--out", help="Package folder to write.")],
    db: Db = None,
    finding: Annotated[Optional[str], typer.Option("--finding", help="One finding by id.")] = None,
    detector: Annotated[Optional[str], typer.Option("--detector", help="All findings of a detector.")] = None,
    subject: Annotated[Optional[str], typer.Option("--subject", help="A subject's neighbourhood.")] = None,
    depth: Annotated[int, typer.Option("--depth", help="Hops around --subject.")] = 2,
    zip_: Annotated[bool, typer.Option("--zip", help="Also write a .zip of the package.")] = False,
) -> None:
    """Export a finding, a detector's findings or a subject's network as a package.

    Example: credgraph export --subject 914403001922038216 --depth 2 --out pkg --zip
    """
    raise NotAvailableError("`credgraph export` is not implemented in this version of credgraph yet")


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    app.command()(export)

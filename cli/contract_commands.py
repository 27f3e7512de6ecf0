"""The commands of the public contract whose work lands in later versions.

Each is declared with its full contract signature and help, so scripts and
docs can rely on them now; until its implementation lands it stops with a
one-line message and exit code 1 instead of pretending to work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from credgraph.cli.options import AsOf, Db
from credgraph.graph.errors import CredgraphError


class NotAvailableError(CredgraphError):
    """A contract command whose implementation is not in this version yet."""


def _not_yet(command: str) -> None:
    raise NotAvailableError(f"`credgraph {command}` is not implemented in this version of credgraph yet")


def detect(
    out: Annotated[Path, typer.Option("--out", help="Findings file (JSON lines).")],
    db: Db = None,
    detector: Annotated[Optional[str], typer.Option("--detector", help="Run only this detector.")] = None,
    as_of: AsOf = None,
) -> None:
    """Run the pattern detectors and write their findings.

    Example: credgraph detect --as-of 2024-06-30 --out findings.jsonl
    """
    _not_yet("detect")


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
    _not_yet("export")


def dashboard(
    db: Db = None,
    port: Annotated[int, typer.Option("--port", help="Port to serve on.")] = 8501,
) -> None:
    """Start the Streamlit investigator dashboard.

    Example: credgraph dashboard --port 8501
    """
    _not_yet("dashboard")


def register(app: typer.Typer) -> None:
    """Add the contract's commands to ``app``."""
    for command in (detect, export, dashboard):
        app.command()(command)

"""`credgraph dashboard`: start the Streamlit dashboard.

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


def dashboard(
    db: Db = None,
    port: Annotated[int, typer.Option("--port", help="Port to serve on.")] = 8501,
) -> None:
    """Start the Streamlit investigator dashboard.

    Example: credgraph dashboard --port 8501
    """
    raise NotAvailableError("`credgraph dashboard` is not implemented in this version of credgraph yet")


def register(app: typer.Typer) -> None:
    """Add ``dashboard`` to ``app``."""
    app.command()(dashboard)

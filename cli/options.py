"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from credgraph.graph.errors import ConfigError

Db = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        envvar="CREDGRAPH_DB",
        show_default=False,
        help=(
            "The store: a SQLite file (default ./credgraph.db) or a bolt:// / neo4j:// URI "
            "(user and password from NEO4J_USERNAME / NEO4J_PASSWORD). Env: CREDGRAPH_DB."
        ),
    ),
]
AsOf = Annotated[
    Optional[str],
    typer.Option("--as-of", metavar="YYYY-MM-DD", help="Only what is in force on this date."),
]


def parse_as_of(value: str | None) -> dt.date | None:
    """The ``--as-of`` date, or a one-line error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--as-of {value!r}: use a date as YYYY-MM-DD") from None
MinGrade = Annotated[
    str,
    typer.Option(
        "--min-grade",
        metavar="exact|derived|strong|probable",
        help="Count relationships from published records only if their link to the subject is this good or better.",
    ),
]

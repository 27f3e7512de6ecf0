"""``credgraph neo4j start|stop|status``: a local Neo4j for development and tests."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from credgraph.cli.output import err, out, print_json
from credgraph.graph import neo4j_local

app = typer.Typer(
    help=(
        "A local Neo4j 5.26 Community server with GDS and APOC, assembled from Maven Central "
        "(needs Java 17 and Maven). Data and logs live in $CREDGRAPH_NEO4J_HOME "
        "(default ~/.local/share/credgraph/neo4j)."
    ),
    no_args_is_help=True,
)


def _describe(server: neo4j_local.LocalServer) -> None:
    out.print(f"Neo4j {server.version} running at {server.uri} (pid {server.pid})")
    out.print(f"home: {server.home}")
    out.print(f"use it: export NEO4J_PASSWORD='{server.password}'; credgraph info --db {server.uri}")


@app.command()
def start(
    port: Annotated[Optional[int], typer.Option("--port", help="Bolt port (default 7687, or the last one used).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the server to answer.")] = 300.0,
) -> None:
    """Assemble (first time only) and start the local server; wait until it answers.

    Example: credgraph neo4j start --port 7687
    """
    err.print("Starting the local Neo4j (the first start downloads it with Maven)...")
    _describe(neo4j_local.start(port=port, timeout=timeout))


@app.command()
def stop(
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for a clean shutdown.")] = 60.0,
) -> None:
    """Stop the local server cleanly (SIGTERM, then SIGKILL after --timeout).

    Example: credgraph neo4j stop
    """
    stopped = neo4j_local.stop(timeout=timeout)
    out.print("Neo4j stopped." if stopped else "Neo4j was not running.")


@app.command()
def status(
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Whether the local server runs, where, and with which versions. Exit 1 if stopped.

    Example: credgraph neo4j status --json
    """
    server = neo4j_local.status()
    if json_out:
        print_json(server.as_dict())
    elif server.running:
        _describe(server)
    else:
        out.print(f"Neo4j is not running (home: {server.home}).")
    if not server.running:
        raise typer.Exit(1)

"""`credgraph dashboard`: start the Streamlit dashboard on a store."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from credgraph.cli.options import Db
from credgraph.cli.output import err
from credgraph.dashboard.users import list_users, users_path
from credgraph.graph.store import is_neo4j_uri, open_store, resolve_db

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def dashboard(
    db: Db = None,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option("--address", help="Interface to listen on.")] = "127.0.0.1",
    users: Annotated[Optional[Path], typer.Option(
        "--users", envvar="CREDGRAPH_USERS", show_default=False,
        help="The users file (default ~/.config/credgraph/users.json). Env: CREDGRAPH_USERS.")] = None,
) -> None:
    """Start the Streamlit investigator dashboard (sign in with a user of `credgraph users`).

    Serves search, subject profiles and networks, paths, findings, clusters,
    jobs and exports for the store --db, on http://ADDRESS:PORT until stopped
    with Ctrl-C.

    Example: credgraph users add alice --role investigator && credgraph dashboard --port 8501
    """
    location = resolve_db(db)
    if not is_neo4j_uri(location):
        location = str(Path(location).resolve())
    open_store(location, create=False).close()  # a store that cannot be opened fails here, in one line
    if not list_users(users):
        err.print(Text(f"No dashboard users in {users_path(users)} yet: add one with "
                       "`credgraph users add NAME --role admin`"))
    env = {**os.environ, "CREDGRAPH_DB": location}
    if users:
        env["CREDGRAPH_USERS"] = str(users)
    err.print(Text(f"credgraph dashboard on http://{address}:{port} for {location} (Ctrl-C stops it)"))
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
               "--server.address", address, "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
               "--client.toolbarMode", "viewer"]
    os.execve(sys.executable, command, env)  # streamlit replaces this process: signals reach it directly


def register(app: typer.Typer) -> None:
    """Add ``dashboard`` to ``app``."""
    app.command()(dashboard)

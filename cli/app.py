"""The ``credgraph`` command: a thin shell over the library.

Commands parse options, call ``credgraph.graph`` / ``loaders`` / ``analytics``,
and format the result: tables for people, ``--json`` for programs, progress and
messages on stderr. A ``CredgraphError`` becomes one line on stderr and its
exit code, never a traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from credgraph.cli import (
    analysis_commands,
    dashboard_command,
    demo_command,
    detect_command,
    explore_commands,
    export_command,
    generate_command,
    load_command,
    neo4j_commands,
    resolve_commands,
    users_command,
)
from credgraph.cli.output import err
from credgraph.graph.errors import CredgraphError

app = typer.Typer(
    name="credgraph",
    help=(
        "Credit relationship graphs of enterprises and the people behind them.\n\n"
        "Load registry, penalty, list and tender data into a graph (an embedded SQLite "
        "file by default, or Neo4j), then find linked-party risk and shell-company networks.\n\n"
        "Start with: credgraph demo"
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command()(demo_command.demo)
app.command()(generate_command.generate)
app.command()(load_command.load)
analysis_commands.register(app)
detect_command.register(app)
export_command.register(app)
dashboard_command.register(app)
explore_commands.register(app)
resolve_commands.register(app)
app.add_typer(neo4j_commands.app, name="neo4j")
app.add_typer(users_command.app, name="users")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code instead of raising for user errors."""
    try:
        result = app(args=argv, standalone_mode=False)
    except CredgraphError as exc:
        err.print(f"[bold red]Error:[/] {escape(str(exc))}", soft_wrap=True)
        return exc.exit_code
    except typer.Abort:
        err.print("Aborted.")
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except typer.TyperException as exc:  # usage errors: Typer's (vendored) click exceptions
        show = getattr(exc, "show", None)
        if show is None:
            raise
        show()
        return int(getattr(exc, "exit_code", 2))
    except KeyboardInterrupt:
        err.print("Interrupted.")
        return 130
    return result if isinstance(result, int) else 0


def entry_point() -> None:
    """The console script: ``sys.exit(main())``."""
    sys.exit(main())

"""``credgraph users add|list|remove``: the dashboard's users file (``credgraph.dashboard.users``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from credgraph.cli.output import add_row, err, out, print_json
from credgraph.dashboard.users import add_user, list_users, remove_user, users_path
from credgraph.graph.access import ROLES
from credgraph.graph.errors import ConfigError

app = typer.Typer(
    help=(
        "Users of the dashboard: names, roles (viewer < investigator < analyst < admin) and "
        "scrypt-hashed passwords in $CREDGRAPH_USERS (default ~/.config/credgraph/users.json).\n\n"
        "Example: credgraph users add alice --role investigator"
    ),
    no_args_is_help=True,
)

UsersFile = Annotated[
    Optional[Path],
    typer.Option("--users", envvar="CREDGRAPH_USERS", show_default=False,
                 help="The users file (default ~/.config/credgraph/users.json). Env: CREDGRAPH_USERS."),
]


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Change an existing user's password and role.")] = False,
    users: UsersFile = None,
) -> None:
    """Add a user (the password is prompted for, or read from stdin).

    Example: credgraph users add alice --role investigator
    Example: echo "$PASSWORD" | credgraph users add ci --role analyst --password-stdin
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True)
    if not password:
        raise ConfigError(f"no password given for {name!r}: type one, or pipe one with --password-stdin")
    user = add_user(users, name, password, role, replace=replace)
    err.print(Text(f"{user.name} ({user.role}) saved in {users_path(users)}"))


@app.command("list")
def list_(
    users: UsersFile = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The users and their roles (never their passwords).

    Example: credgraph users list
    """
    found = list_users(users)
    if json_out:
        print_json([vars(u) for u in found])
        return
    table = Table("name", "role", "created", title=Text(str(users_path(users))))
    for user in found:
        add_row(table, user.name, user.role, user.created)
    out.print(table)


@app.command()
def remove(
    name: Annotated[str, typer.Argument(help="Login name.")],
    users: UsersFile = None,
) -> None:
    """Remove a user.

    Example: credgraph users remove alice
    """
    remove_user(users, name)
    err.print(Text(f"{name} removed from {users_path(users)}"))

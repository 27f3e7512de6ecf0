"""Commands to look into a store: info, search, show, loads, audit."""

from __future__ import annotations

import getpass
import os
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from credgraph.cli.options import AsOf, Db, parse_as_of
from credgraph.cli.output import add_row, out, print_json
from credgraph.graph.records import Node
from credgraph.graph.store import open_store


def current_user() -> str:
    """Who runs the command, for the audit log (``$CREDGRAPH_USER`` or the login)."""
    return os.environ.get("CREDGRAPH_USER") or getpass.getuser()


Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]



def _node_json(node: Node) -> dict[str, Any]:
    return {"label": node.label, "key": node.key, "props": dict(node.props), "scores": dict(node.scores)}


def info(db: Db = None, json_out: Json = False) -> None:
    """Where the store is and how many nodes and relationships of each kind it holds.

    Example: credgraph info --db bolt://127.0.0.1:7687
    """
    with open_store(db) as store:
        counts = store.counts()
        location = store.location
    if json_out:
        print_json({"store": location, "counts": counts})
        return
    table = Table("kind", "count", title=f"credgraph store {location}")
    for kind, count in counts.items():
        add_row(table, kind, f"{count:,}")
    out.print(table)


def search(
    text: Annotated[str, typer.Argument(help="A USCC or person ID, or part of a name (Chinese works).")],
    db: Db = None,
    label: Annotated[Optional[list[str]], typer.Option("--label", help="Only this label; repeatable.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many results.")] = 20,
    json_out: Json = False,
) -> None:
    """Find subjects by exact key or by a part of their name.

    Example: credgraph search 华为 --label Enterprise
    """
    with open_store(db) as store:
        hits = store.search(text, label, limit)
        store.audit(current_user(), "search", text, {"hits": len(hits)})
    if json_out:
        print_json([_node_json(n) for n in hits])
        return
    table = Table("label", "key", "name", "grade")
    for node in hits:
        add_row(table, node.label, node.key, node.name, node.scores.get("grade"))
    out.print(table)


def show(
    key: Annotated[str, typer.Argument(help="The subject's key: USCC, person ID, project id, ...")],
    db: Db = None,
    depth: Annotated[int, typer.Option("--depth", min=0, max=5, help="Hops to follow.")] = 1,
    rel_type: Annotated[Optional[list[str]], typer.Option("--type", help="Only this relationship type; repeatable.")] = None,
    as_of: AsOf = None,
    json_out: Json = False,
) -> None:
    """A subject and its neighbourhood: nodes within --depth hops and the links among them.

    Example: credgraph show 914403001922038216 --depth 2 --as-of 2024-06-30
    """
    from credgraph.resolution.provenance import record_mentions, subject_mentions

    with open_store(db) as store:
        sub = store.neighbourhood(key, depth, rel_type, parse_as_of(as_of))
        centre = next((n for n in sub.nodes if n.key == key), None)
        if centre is not None and centre.label == "SourceRecord":
            mentions, total = record_mentions(store, key), None
        else:
            mentions, total = subject_mentions(store, key, None if json_out else MENTIONS_SHOWN)
        store.audit(current_user(), "view_subject", key, {"depth": depth, "as_of": as_of})
    if json_out:
        print_json({
            "subject": key,
            "nodes": [{**_node_json(n), "depth": sub.depth.get(n.key)} for n in sub.nodes],
            "relationships": [
                {"type": r.type, "src": r.src, "dst": r.dst, "rkey": r.rkey, "props": dict(r.props)}
                for r in sub.relationships
            ],
            "mentions": mentions,
        })
        return
    nodes = Table("depth", "label", "key", "name or record", title=f"{len(sub.nodes)} nodes")
    for node in sorted(sub.nodes, key=lambda n: (sub.depth.get(n.key, 0), n.label, n.key)):
        add_row(nodes, sub.depth.get(node.key), node.label, node.key, node.summary())
    rels = Table("from", "type", "to", "details", title=f"{len(sub.relationships)} relationships")
    for rel in sub.relationships:
        details = ", ".join(f"{k}={v}" for k, v in rel.props.items())
        add_row(rels, rel.src, rel.type, rel.dst, details)
    out.print(nodes)
    out.print(rels)
    if mentions:
        _print_mentions(mentions, total)


MENTIONS_SHOWN = 50


def _print_mentions(mentions: list[dict[str, Any]], total: int | None) -> None:
    """A record's mentions and where each led, or the published mentions linked to a subject."""
    title = (f"{len(mentions)} mentions in this published row, and where each led" if total is None else
             f"published mentions linked here: {len(mentions)} of {total}")
    table = Table("mention", "row", "role", "name", "identifier", "grade", "subject", title=title)
    for m in mentions:
        add_row(table, m["mention_id"], f"{m['file']}:{m['line']}", m["role"], m["name"], m["identifier"],
                m["grade"], m["subject_id"] or "")
    out.print(table)


def loads(db: Db = None, json_out: Json = False) -> None:
    """The load history, newest first.

    Example: credgraph loads
    """
    with open_store(db) as store:
        history = store.loads()
    if json_out:
        print_json([vars(r) | {"counts": dict(r.counts)} for r in history])
        return
    table = Table("load_id", "source", "user", "started", "finished", "status")
    for r in history:
        add_row(table, r.load_id, r.source, r.user, r.started_at, r.finished_at, r.status)
    out.print(table)


def audit(
    db: Db = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many events.")] = 50,
    user: Annotated[Optional[str], typer.Option("--user", help="Only this user's events.")] = None,
    action: Annotated[Optional[str], typer.Option("--action", help="Only this action.")] = None,
    json_out: Json = False,
) -> None:
    """The audit log (who ran or viewed what, when), newest first.

    Example: credgraph audit --user alice --limit 20
    """
    with open_store(db) as store:
        events = store.audit_log(limit, user, action)
    if json_out:
        print_json([vars(e) | {"details": dict(e.details)} for e in events])
        return
    table = Table("at", "user", "action", "target")
    for e in events:
        add_row(table, e.at, e.user, e.action, e.target)
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the exploration commands to ``app``."""
    for command in (info, search, show, loads, audit):
        app.command()(command)

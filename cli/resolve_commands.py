"""``credgraph resolve``, ``credgraph review ...`` and ``credgraph mapping ...``: linking published mentions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from credgraph.cli.explore_commands import Json, current_user
from credgraph.cli.load_command import resolution_table
from credgraph.cli.options import Db
from credgraph.cli.output import add_row, err, out, print_json
from credgraph.graph.store import open_store

review_app = typer.Typer(
    help="Review probable links: list them, accept or reject a candidate.\n\nExample: credgraph review list",
    no_args_is_help=True)
mapping_app = typer.Typer(
    help="The built-in mappings of published formats: list them, print one to adapt it.\n\n"
         "Example: credgraph mapping show court_dishonest > my_court.toml",
    no_args_is_help=True)


def resolve(
    db: Db = None,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Write links.csv: one row per mention.")] = None,
    settings: Annotated[Optional[Path], typer.Option("--settings", help="Resolution settings (TOML) over the defaults.")] = None,
    as_json: Json = False,
) -> None:
    """Link every mention of the published records to at most one subject.

    Runs after each published load by default; run it again after loading
    more registry data or changing settings. Review decisions are reused and
    never overridden.

    Example: credgraph resolve --out links.csv
    """
    from credgraph.resolution.job import run_resolution, summary, write_links_csv
    from credgraph.resolution.settings import load_settings

    cfg = load_settings(settings)
    with open_store(db, create=False) as store:
        job = run_resolution(store, settings=cfg, user=current_user(),
                             progress=lambda what: err.print(what, style="dim"))
        if out_file is not None:
            write_links_csv(job, out_file)
    if as_json:
        print_json(summary(job))
        return
    out.print(resolution_table(job.counts_by("source")))
    out.print(Text(f"run {job.run_id}: {job.written['links']} links and {job.written['relationships']} "
                   f"relationships changed in {sum(job.seconds.values()):.1f} s"))
    if out_file is not None:
        out.print(Text(f"Links: {out_file}"))


@review_app.command("list")
def review_list(
    db: Db = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Only mentions of this source.")] = None,
    unresolved: Annotated[bool, typer.Option("--unresolved", help="List unresolved mentions instead of probable ones.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many mentions.")] = 50,
    order: Annotated[str, typer.Option("--order", help="file (source, file, line) or records (candidates holding "
                                       "penalties and list entries first).")] = "file",
    as_json: Json = False,
) -> None:
    """Probable mentions and their candidates, side by side with the evidence.

    Example: credgraph review list --source court_dishonest
    """
    from credgraph.resolution.review_queue import review_queue

    with open_store(db, create=False) as store:
        items, total = review_queue(store, source=source, unresolved=unresolved, limit=limit, order=order)
        store.audit(current_user(), "review list", source or "", {"shown": len(items), "unresolved": unresolved})
    if as_json:
        print_json({"total": total, "mentions": items})
        return
    table = Table("mention", "role", "name", "identifier", "candidate", "candidate name", "score", "evidence",
                  title=Text(f"{len(items)} of {total} {'unresolved' if unresolved else 'probable'} mentions"))
    for item in items:
        rows: list[dict[str, Any]] = item["candidates"] or [{}]
        for i, cand in enumerate(rows):
            head = (item["mention_id"], item["role"], item["name"], item["identifier"]) if i == 0 else ("", "", "", "")
            add_row(table, *head, cand.get("subject_id"), cand.get("name"), cand.get("score"),
                    _brief(cand.get("evidence") or item.get("evidence")))
    out.print(table)
    if total > len(items):
        err.print(f"{total - len(items)} more: raise --limit or filter by --source")


def _brief(evidence: Any) -> str:
    if not evidence:
        return ""
    data = json.loads(evidence) if isinstance(evidence, str) else evidence
    features = data.get("features", {})
    bits = [data.get("rule", "")] + [f"{k}: {v}" for k, v in features.items() if k not in ("name",)]
    return "; ".join(str(b) for b in bits if b)


def _decide(verdict: str, mention: str, subject: str, note: str, db: str | None) -> None:
    from credgraph.resolution.review import decide

    with open_store(db, create=False) as store:
        decision = decide(store, mention, subject, verdict, note, current_user())
    linked = f"now linked to {decision.link}" if decision.link else "now unresolved"
    out.print(Text(f"{decision.decision_id}: {verdict} {mention} -> {subject}; {linked}"))


Note = Annotated[str, typer.Option("--note", help="Why: kept with the decision and in the audit log.")]


@review_app.command("accept")
def review_accept(
    mention: Annotated[str, typer.Argument(help="The mention id.")],
    subject: Annotated[str, typer.Argument(help="The subject it names: USCC, person ID or agency ID.")],
    note: Note = "",
    db: Db = None,
) -> None:
    """Link a mention to a subject: every later resolve keeps the link.

    Example: credgraph review accept 'court_dishonest:1f2e.../debtor' 440102198001011234 --note 'court confirmed'
    """
    _decide("accept", mention, subject, note, db)


@review_app.command("reject")
def review_reject(
    mention: Annotated[str, typer.Argument(help="The mention id.")],
    subject: Annotated[str, typer.Argument(help="The candidate that is not the one named.")],
    note: Note = "",
    db: Db = None,
) -> None:
    """Rule a candidate out for a mention (and take back an accepted link to it).

    Example: credgraph review reject 'court_dishonest:1f2e.../debtor' 440102198001011234 --note 'other birth date'
    """
    _decide("reject", mention, subject, note, db)


@review_app.command("undo")
def review_undo(
    mention: Annotated[str, typer.Argument(help="The mention id.")],
    subject: Annotated[str, typer.Argument(help="The subject of the decision to take back.")],
    note: Note = "",
    db: Db = None,
) -> None:
    """Take back a decision: the pair is left to resolution again.

    Example: credgraph review undo 'court_dishonest:1f2e.../debtor' 440102198001011234
    """
    _decide("undo", mention, subject, note, db)


@mapping_app.command("list")
def mapping_list() -> None:
    """The built-in published formats.

    Example: credgraph mapping list
    """
    from credgraph.loaders.published.mapping import BUILTINS, builtin_mapping

    table = Table("--source", "published as", "columns read")
    for name in BUILTINS:
        m = builtin_mapping(name)
        add_row(table, name, m.title, len(m.reads()))
    out.print(table)


@mapping_app.command("show")
def mapping_show(name: Annotated[str, typer.Argument(help="A built-in format, e.g. court_dishonest.")]) -> None:
    """Print a built-in mapping, to copy and adapt to a province's variant.

    Example: credgraph mapping show court_dishonest > my_court.toml
    """
    from credgraph.loaders.published.mapping import builtin_text

    print(builtin_text(name), end="")


def register(app: typer.Typer) -> None:
    """Add the commands to the ``credgraph`` app."""
    app.command()(resolve)
    app.add_typer(review_app, name="review")
    app.add_typer(mapping_app, name="mapping")

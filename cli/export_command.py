"""`credgraph export`: a finding, a detector's findings or a subject's network as a package of files.

The command line has no login: whoever runs it with access to the store is
an operator, who states the role they export under (``--role``, default
investigator; a viewer may not export). Person IDs are masked by default,
whatever the role; ``--full-ids`` includes them in full, needs a role that may
see them, and is recorded in the manifest and the audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from credgraph.cli.explore_commands import current_user
from credgraph.cli.options import AsOf, Db, MinGrade, parse_as_of
from credgraph.cli.output import err, out
from credgraph.graph.access import ROLES
from credgraph.graph.errors import ConfigError
from credgraph.graph.links import check_grade
from credgraph.graph.store import open_store


def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Package folder to write (new, or empty).")],
    db: Db = None,
    finding: Annotated[Optional[str], typer.Option("--finding", help="One finding by id.")] = None,
    detector: Annotated[Optional[str], typer.Option("--detector", help="All findings of a detector.")] = None,
    subject: Annotated[Optional[str], typer.Option("--subject", help="A subject's neighbourhood (USCC or person ID).")] = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=4, help="Hops around --subject.")] = 2,
    run: Annotated[Optional[str], typer.Option("--run", help="Detection run id (default: the latest).")] = None,
    as_of: AsOf = None,
    headers: Annotated[str, typer.Option("--headers", help="Column headers: en or zh.")] = "en",
    role: Annotated[str, typer.Option("--role", envvar="CREDGRAPH_ROLE",
                                      help=f"Role exported under: {', '.join(ROLES)}. Env: CREDGRAPH_ROLE.")] = "investigator",
    full_ids: Annotated[bool, typer.Option("--full-ids", help="Include full person IDs (default: masked).")] = False,
    zip_: Annotated[bool, typer.Option("--zip", help="Also write DIR.zip next to the folder.")] = False,
    min_grade: MinGrade = "strong",
) -> None:
    """Export a finding, a detector's findings or a subject's network as a package.

    Writes CSV, Excel, GraphML, GEXF, FollowTheMoney, BODS 0.4, an HTML network,
    the findings and a manifest with the SHA-256 of every file; see docs/export.md.

    Example: credgraph export --subject 914403001922038216 --depth 2 --out pkg --zip
    """
    from credgraph.export.package import Selection, export_package

    chosen = [name for name, value in (("--finding", finding), ("--detector", detector), ("--subject", subject))
              if value is not None]
    if len(chosen) != 1:
        raise ConfigError("give exactly one of --finding ID, --detector NAME or --subject ID")
    if run is not None and subject is not None:
        raise ConfigError("--run selects findings: use it with --finding or --detector")
    if finding is not None:
        selection = Selection.finding(finding, run)
    elif detector is not None:
        selection = Selection.detector(detector, run)
    else:
        selection = Selection.subject(str(subject), depth)
    with open_store(db) as store:
        result = export_package(store, selection, out_dir, role=role, user=current_user(), zip=zip_,
                                headers=headers, as_of=parse_as_of(as_of), full_ids=full_ids,
                                min_grade=check_grade(min_grade, "--min-grade"))
    counts = result.manifest["counts"]
    err.print(Text(f"{sum(counts['nodes'].values()):,} nodes, {sum(counts['edges'].values()):,} relationships, "
                   f"{counts['findings']:,} findings; person IDs {result.manifest['person_ids']}"))
    for problem in _problems(result.manifest):
        err.print(Text(f"warning: {problem}"), soft_wrap=True)
    out.print(Text(str(result.folder)))
    if result.zip_path:
        out.print(Text(str(result.zip_path)))


def _problems(manifest: dict) -> list[str]:
    return [f"{fmt}: {p}" for fmt, v in manifest["validation"].items() for p in v["problems"]] + [
        f"{name} not written: {why}" for name, why in manifest["omitted"].items()]


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    app.command()(export)

"""Export packages: a selection of the graph as files other tools open, checkable and safe.

``export_package`` writes one folder (and optionally a zip of it)::

    nodes.csv, edges.csv     every node / relationship, stable ids, all properties
    tables.xlsx              one sheet per node label and relationship type
    graph.graphml, graph.gexf   for Gephi, yEd, Cytoscape, networkx
    entities.ftm.json        FollowTheMoney entities (JSON lines), validated
    ownership.bods.json      BODS 0.4 statements of the ownership part, validated
    network.html             standalone interactive network (offline)
    findings.jsonl           the findings of the package, in the contract's shape
    README.txt               what the files are
    manifest.json            selection, who, when, role, masking, load ids,
                             run ids and parameters, counts, SHA-256 of every file

Who may export and what they see (``credgraph.graph.access``): the role needs
the ``export`` right (investigator and up). Person IDs are masked unless
``full_ids`` is true, which needs a role that may see them; with
``full_ids=None`` the role decides. Masked packages name people by a
pseudonym (``credgraph.export.identities``) whose keyed hash uses
``$CREDGRAPH_EXPORT_KEY`` when set (the same person gets the same pseudonym
in every package made with that key) and otherwise a random key used for one
package only and never stored.

The folder is written under a temporary name and renamed when complete, so a
failed export leaves nothing half-written; an existing non-empty folder is
never overwritten. Every export is appended to the store's audit log with the
manifest's SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credgraph.export import bods, ftm, gephi, manifest, tables
from credgraph.export.flatten import PackageGraph, flatten
from credgraph.export.headers import check_language
from credgraph.export.identities import Identities
from credgraph.export.network import write_network
from credgraph.export.selection import Contents, Selection, collect
from credgraph.graph.links import DEFAULT_MIN_GRADE, check_grade
from credgraph.graph.access import allows, check_role, may_see_person_ids
from credgraph.graph.errors import AccessDeniedError, ConfigError
from credgraph.graph.records import Run
from credgraph.graph.store import GraphStore, utc_now

__all__ = ["ExportResult", "Selection", "export_package"]

KEY_ENV = "CREDGRAPH_EXPORT_KEY"


@dataclass(frozen=True)
class ExportResult:
    """A written package: its folder, its zip (if asked for), file digests and manifest."""

    folder: Path
    zip_path: Path | None
    files: dict[str, str]
    manifest: dict[str, Any]
    manifest_sha256: str


def _masking(role: str, full_ids: bool | None) -> bool:
    """Whether person IDs are masked; ``AccessDeniedError`` if the role may not export or see them."""
    check_role(role)
    if not allows(role, "export"):
        raise AccessDeniedError(f"the {role} role may not export: exports need investigator, analyst or admin")
    if full_ids and not may_see_person_ids(role):
        raise AccessDeniedError(f"the {role} role may not see full person IDs: export without full IDs")
    return not (may_see_person_ids(role) if full_ids is None else full_ids)


def _check_out(out: Path, zip_path: Path | None) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(f"--out {out} exists and is not an empty folder: choose a new folder")
    if zip_path is not None and zip_path.exists():
        raise ConfigError(f"{zip_path} exists: choose another --out or move the zip away")


def _pseudonym_key(key: bytes | None) -> tuple[bytes, str]:
    """The key of the pseudonyms and how the manifest describes it (a fingerprint, never the key)."""
    if key is None and os.environ.get(KEY_ENV):
        key, source = os.environ[KEY_ENV].encode("utf-8"), f"${KEY_ENV}"
    elif key is None:
        key, source = os.urandom(32), "random, this package only (not stored)"
    else:
        source = "given by the caller"
    fingerprint = hmac.new(key, b"credgraph export key fingerprint", hashlib.sha256).hexdigest()[:16]
    return key, f"{source}; fingerprint {fingerprint}"


def _run(run: Run | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"run_id": run.run_id, "kind": run.kind, "started_at": run.started_at, "user": run.user,
            "params": dict(run.params)}


def _finding_rows(contents: Contents, ids: Identities) -> list[dict[str, Any]]:
    return [ids.scrub({
        "finding_id": f.finding_id, "detector": f.detector, "subjects": list(f.subjects), "score": f.score,
        "as_of": f.as_of.isoformat() if f.as_of else None, "evidence": dict(f.evidence),
    }) for f in contents.findings]


def _write_findings(rows: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) + "\n")


def _loads(store: GraphStore, load_ids: list[str]) -> list[dict[str, Any]]:
    known = {load.load_id: load for load in store.loads()}
    return [{"load_id": lid, **({"source": known[lid].source, "started_at": known[lid].started_at,
                                  "status": known[lid].status} if lid in known else {})} for lid in load_ids]


def _write_files(store: GraphStore, graph: PackageGraph, contents: Contents, ids: Identities, folder: Path,
                 *, role: str, headers: str, created_at: str, user: str) -> dict[str, Any]:
    """Write every data file into ``folder``; return what the manifest says about them."""
    model = store.model
    tables.write_nodes_csv(graph, model, folder / "nodes.csv", headers)
    tables.write_edges_csv(graph, model, folder / "edges.csv", headers)
    tables.write_workbook(graph, model, folder / "tables.xlsx", headers, created=created_at)
    gephi.write_graphml(graph, folder / "graph.graphml")
    gephi.write_gexf(graph, folder / "graph.gexf")
    entities = ftm.write_ftm(graph, folder / "entities.ftm.json")
    statements = bods.write_bods(graph, folder / "ownership.bods.json", created_at[:10], f"credgraph export by {user}",
                                 ids.masked)
    findings = _finding_rows(contents, ids)
    _write_findings(findings, folder / "findings.jsonl")
    focus = [ids.shown_key(label, key) for label, key in contents.nodes if key in contents.focus]
    network = write_network(graph, folder / "network.html", role=role, focus=focus)
    return {
        "counts": {**graph.counts(), "findings": len(findings), "ftm_entities": len(entities.entities),
                   "bods_statements": statements},
        "validation": {
            "followthemoney": {"entities": len(entities.entities), "problems": entities.problems},
            "bods": {"statements": statements, "problems": bods.validate_bods(folder / "ownership.bods.json")},
        },
        "omitted": {} if network is None else {"network.html": network},
    }


def export_package(store: GraphStore, selection: Selection, out: Path, *, role: str, user: str,
                   zip: bool = False, headers: str = "en", as_of: dt.date | None = None,
                   full_ids: bool | None = None, pseudonym_key: bytes | None = None,
                   min_grade: str = DEFAULT_MIN_GRADE) -> ExportResult:
    """Write the package of ``selection`` into the new folder ``out`` (see the module docstring).

    Raises ``AccessDeniedError`` for a role that may not export (or see the
    full IDs asked for), ``NotFoundError`` for a finding, detector or subject
    the store does not hold, ``ConfigError`` for an ``out`` that exists and is
    not empty or bad ``headers``. Relationships made from published records
    are included only if their link grade is ``min_grade`` or better; every
    relationship shows its ``link_grade``.
    """
    check_language(headers)
    check_grade(min_grade)
    masked = _masking(role, full_ids)
    out = Path(out)
    zip_path = out.with_name(out.name + ".zip") if zip else None
    _check_out(out, zip_path)
    contents = collect(store, selection, as_of, min_grade)
    key, key_note = _pseudonym_key(pseudonym_key)
    ids = Identities(masked, key)
    graph = flatten(contents, ids, store.model)
    created_at = utc_now()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial-{uuid.uuid4().hex[:8]}")
    partial.mkdir()
    try:
        written = _write_files(store, graph, contents, ids, partial, role=role, headers=headers,
                               created_at=created_at, user=user)
        (partial / "README.txt").write_text(readme(written["omitted"]), encoding="utf-8")
        risk_runs = [r for r in store.runs("risk") if r.run_id in graph.score_run_ids]
        body = {
            "format": "credgraph export package", "format_version": manifest.FORMAT_VERSION,
            "created_at": created_at, "user": user, "role": role, "min_grade": min_grade,
            "person_ids": "masked" if masked else "full", "pseudonym_key": key_note if masked else None,
            "selection": selection.describe(), "as_of": as_of.isoformat() if as_of else None,
            "headers": headers, "store": store.location,
            "loads": _loads(store, graph.load_ids),
            "detection_run": _run(contents.detect_run),
            "risk_runs": [_run(r) for r in risk_runs] or [_run(r) for r in store.runs("risk")[:1]],
            "score_runs": [_run(r) for r in store.runs() if r.run_id in graph.score_run_ids],
            **written,
            "files": manifest.file_entries(partial),
        }
        manifest_sha = manifest.write_manifest(partial, body)
        if out.exists():
            out.rmdir()
        partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    zip_sha = manifest.write_zip(out, zip_path) if zip_path else None
    files = {name: entry["sha256"] for name, entry in body["files"].items()} | {manifest.MANIFEST: manifest_sha}
    store.audit(user, "export", json.dumps(selection.describe(), ensure_ascii=False, sort_keys=True), {
        "folder": str(out), "zip": str(zip_path) if zip_path else None, "zip_sha256": zip_sha,
        "manifest_sha256": manifest_sha, "role": role, "person_ids": body["person_ids"],
        "as_of": body["as_of"], "counts": body["counts"],
    })
    return ExportResult(out, zip_path, files, body, manifest_sha)


def readme(omitted: dict[str, str]) -> str:
    """The package's README.txt: what each file is and how to read it."""
    lines = [
        "credgraph export package",
        "",
        "manifest.json       what was exported, by whom, when, from which loads and runs; SHA-256 of every file",
        "nodes.csv           every node: id, type, label, key, properties, scores, provenance (UTF-8 with BOM)",
        "edges.csv           every relationship: id, type, source and target node ids, properties, provenance",
        "tables.xlsx         the same, one sheet per node type and relationship type",
        "graph.graphml       the network for Gephi, yEd, Cytoscape (dates as ISO text)",
        "graph.gexf          the network for Gephi",
        "entities.ftm.json   FollowTheMoney entities, one JSON object per line (Aleph: ftm import)",
        "ownership.bods.json shareholdings and control as Beneficial Ownership Data Standard 0.4 statements",
        "network.html        interactive network; opens offline in a browser",
        "findings.jsonl      the detector findings in this package, one per line",
        "",
        "Text cells that a spreadsheet could run as a formula (starting with = + - @, tab or CR, also after",
        "spaces or as full-width characters) and text starting with an apostrophe carry one extra leading",
        "apostrophe: the original text is the cell without it. Amounts are in 万元 (10,000 CNY) except in",
        "entities.ftm.json, which gives CNY. Where the manifest says person_ids: masked, person IDs are",
        "pseudonyms (masked ID ~ keyed hash), the same person having the same pseudonym in every file.",
    ]
    lines += [f"Not included: {name} ({why})" for name, why in sorted(omitted.items())]
    return "\n".join(lines) + "\n"

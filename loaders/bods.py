"""Import of Beneficial Ownership Data Standard (BODS) 0.4 statements.

BODS 0.4 publishes ``entity``, ``person`` and ``relationship`` records in one
envelope (``recordId``, ``recordType``, ``recordDetails``); a relationship
names its ``subject`` and ``interestedParty`` by recordId and lists interests.
Mapped onto the credgraph model:

- an entity becomes an ``Enterprise``, keyed by its USCC when one of its
  identifiers is a valid USCC, else by ``SCHEME:id`` of its first identifier,
  else by ``bods:<recordId>``;
- a person becomes a ``Person``, keyed by a valid resident ID among its
  identifiers (``id_type`` ``cn_id``), else by ``bods:<recordId>`` (``other``);
- each ``shareholding`` interest with a share becomes ``SHAREHOLDER_OF``; every
  other interest (voting rights, board appointment, ...) becomes ``CONTROLS``,
  so no interest is dropped or merged into another;
- an ``interestedParty`` given inline with a ``reason`` (an owner declared
  unknown) is kept on the subject as ``unspecified_owner_reason`` and
  ``unspecified_owner_description``, never as a made-up person;
- records that repeat a recordId: the latest ``statementDate`` wins; a closed
  relationship ends on its statement date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credgraph.graph.identifiers import resident_id_facts, resident_id_problem, uscc_problem
from credgraph.graph.records import NodeRow, Origin, RelRow
from credgraph.graph.store import GraphStore
from credgraph.graph.types import TYPES
from credgraph.loaders.report import FileReport, Reject
from credgraph.loaders.tables import TableError


@dataclass
class BodsGraph:
    """Rows for the store made from one BODS file, and the statements rejected."""

    enterprises: dict[str, dict[str, Any]] = field(default_factory=dict)
    persons: dict[str, dict[str, Any]] = field(default_factory=dict)
    relationships: dict[str, list[RelRow]] = field(default_factory=lambda: {"SHAREHOLDER_OF": [], "CONTROLS": []})
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (position, recordId, reason)
    accepted: int = 0


def read_statements(path: Path) -> list[dict[str, Any]]:
    """The statements of a BODS file: a JSON array, or JSON lines."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix == ".jsonl":
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TableError(f"{path.name}: not valid JSON ({exc})") from None
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise TableError(f"{path.name}: expected a JSON array of BODS statements")
    return data


def is_bods(statements: list[dict[str, Any]]) -> bool:
    """Whether the statements use the BODS 0.4 record envelope."""
    return bool(statements) and all("recordType" in s and "recordDetails" in s for s in statements)


def _date(value: Any) -> Any:
    cleaned = TYPES["date"].clean(value) if isinstance(value, str) else None
    return cleaned if cleaned is not None and not hasattr(cleaned, "reason") else None


def _entity_key(record_id: str, details: dict[str, Any]) -> str:
    identifiers = [i for i in details.get("identifiers", []) if i.get("id")]
    for ident in identifiers:
        code = str(ident["id"]).strip().upper()
        if uscc_problem(code) is None:
            return code
    if identifiers:
        return f"{identifiers[0].get('scheme', 'ID')}:{identifiers[0]['id']}"
    return f"bods:{record_id}"


def _person(record_id: str, details: dict[str, Any]) -> dict[str, Any]:
    names = details.get("names", [])
    legal = next((n for n in names if n.get("type") == "legal"), names[0] if names else {})
    props: dict[str, Any] = {"name": legal.get("fullName"), "person_type": details.get("personType"),
                             "bods_record_id": record_id, "id_type": "other", "person_id": f"bods:{record_id}"}
    for ident in details.get("identifiers", []):
        number = str(ident.get("id", "")).strip().upper()
        if resident_id_problem(number) is None:
            props |= {"person_id": number, "id_type": "cn_id"}
            props["birth_date"], props["gender"] = resident_id_facts(number)
            break
    if "birth_date" not in props and _date(details.get("birthDate")):
        props["birth_date"] = _date(details.get("birthDate"))
    return {k: v for k, v in props.items() if v is not None}


def _enterprise(record_id: str, details: dict[str, Any]) -> dict[str, Any]:
    identifiers = " ".join(f"{i.get('scheme', '')}:{i.get('id', '')}" for i in details.get("identifiers", []))
    props = {
        "uscc": _entity_key(record_id, details),
        "name": details.get("name"),
        "reg_date": _date(details.get("foundingDate")),
        "end_date": _date(details.get("dissolutionDate")),
        "jurisdiction": (details.get("jurisdiction") or {}).get("code"),
        "entity_type": (details.get("entityType") or {}).get("type"),
        "identifiers": identifiers or None,
        "bods_record_id": record_id,
    }
    return {k: v for k, v in props.items() if v is not None}


def _share(interest: dict[str, Any]) -> float | None:
    share = interest.get("share") or {}
    if "exact" in share:
        return float(share["exact"])
    bounds = [float(share[k]) for k in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum") if k in share]
    return sum(bounds) / len(bounds) if bounds else None


def _interest_rows(holder: tuple[str, str], subject: str, interests: list[dict[str, Any]], closed_on: Any) -> dict[str, list[RelRow]]:
    label, key = holder
    rows: dict[str, list[RelRow]] = {"SHAREHOLDER_OF": [], "CONTROLS": []}
    for interest in interests or [{"type": "unknownInterest"}]:
        share = _share(interest)
        dates = {"start_date": _date(interest.get("startDate")), "end_date": _date(interest.get("endDate")) or closed_on}
        if interest.get("type") == "shareholding" and share is not None and 0 < share <= 100:
            props = {"holder_type": label.lower(), "share_pct": share, **dates}
            rows["SHAREHOLDER_OF"].append(RelRow(key, subject, props, src_label=label))
        else:
            props = {"interest_type": interest.get("type", "unknownInterest"), "direct": interest.get("directOrIndirect"),
                     "beneficial": interest.get("beneficialOwnershipOrControl"),
                     "share_pct": share if share is not None and 0 < share <= 100 else None, **dates}
            rows["CONTROLS"].append(RelRow(key, subject, props, src_label=label))
    return rows


def _latest(statements: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """One statement per recordId: the latest by statementDate (file order breaks ties)."""
    latest: dict[str, tuple[int, dict[str, Any]]] = {}
    for position, statement in enumerate(statements, start=1):
        record_id = statement.get("recordId") or f"#{position}"
        if record_id not in latest or str(statement.get("statementDate", "")) >= str(latest[record_id][1].get("statementDate", "")):
            latest[record_id] = (position, statement)
    return sorted(latest.values(), key=lambda item: item[0])


def bods_graph(statements: list[dict[str, Any]]) -> BodsGraph:
    """Map BODS statements onto credgraph rows (see the module docstring)."""
    graph = BodsGraph()
    nodes: dict[str, tuple[str, str]] = {}  # recordId -> (label, key)
    current = _latest(statements)
    for position, s in current:
        details, record_id = s.get("recordDetails") or {}, s.get("recordId", "")
        if s.get("recordType") == "entity":
            props = _enterprise(record_id, details)
            graph.enterprises[props["uscc"]] = props
            nodes[record_id] = ("Enterprise", props["uscc"])
        elif s.get("recordType") == "person":
            props = _person(record_id, details)
            graph.persons[props["person_id"]] = props
            nodes[record_id] = ("Person", props["person_id"])
    for position, s in current:
        record_type, record_id = s.get("recordType"), s.get("recordId", "")
        if record_type in ("entity", "person"):
            graph.accepted += 1
            continue
        if record_type != "relationship":
            graph.problems.append((position, record_id, f"unknown recordType {record_type!r}"))
            continue
        _relationship(graph, nodes, position, s)
    return graph


def _relationship(graph: BodsGraph, nodes: dict[str, tuple[str, str]], position: int, s: dict[str, Any]) -> None:
    details, record_id = s.get("recordDetails") or {}, s.get("recordId", "")
    subject, party = str(details.get("subject")), details.get("interestedParty")
    if subject not in nodes or nodes[subject][0] != "Enterprise":
        graph.problems.append((position, record_id, f"subject {subject!r} is not an entity record of this file"))
        return
    uscc = nodes[subject][1]
    if isinstance(party, dict):
        graph.enterprises[uscc]["unspecified_owner_reason"] = party.get("reason", "unknown")
        if party.get("description"):
            graph.enterprises[uscc]["unspecified_owner_description"] = party["description"]
        graph.accepted += 1
        return
    if not isinstance(party, str) or party not in nodes:
        graph.problems.append((position, record_id, f"interestedParty {party!r} is not a record of this file"))
        return
    closed_on = _date(s.get("statementDate")) if s.get("recordStatus") == "closed" else None
    for rel_type, rows in _interest_rows(nodes[party], uscc, details.get("interests", []), closed_on).items():
        graph.relationships[rel_type].extend(rows)
    graph.accepted += 1


def load_bods_file(path: Path, store: GraphStore, origin: Origin) -> tuple[FileReport, list[Reject]]:
    """Import one BODS file; its report and the statements rejected."""
    report = FileReport(path.name, path.name)
    statements = read_statements(path)
    report.read = len(statements)
    graph = bods_graph(statements)
    rejects = [Reject(path.name, pos, "recordId", rid, reason) for pos, rid, reason in graph.problems]
    report.loaded, report.rejected = graph.accepted, len(rejects)
    with store.atomic():
        written = store.upsert_nodes("Enterprise", _rows(graph.enterprises.values()), origin)
        written += store.upsert_nodes("Person", _rows(graph.persons.values()), origin)
        for rel_type, rows in graph.relationships.items():
            written += store.upsert_relationships(rel_type, rows, origin)
    report.written, report.unchanged = written.written, written.unchanged
    return report, rejects


def _rows(props: Iterable[dict[str, Any]]) -> list[NodeRow]:
    return [NodeRow(p) for p in props]


def find_bods_files(folder: Path) -> list[Path]:
    """The BODS files of a folder: ``*.json`` / ``*.jsonl`` holding BODS 0.4 records.

    A file that is not JSON at all is included, to be reported as broken; JSON
    that is not BODS (such as a generator's ``truth.json``) is left out.
    """
    found = []
    for path in sorted(folder.glob("*.json*")):
        if path.suffix not in (".json", ".jsonl"):
            continue
        try:
            statements = read_statements(path)
        except TableError as exc:
            if "not valid JSON" in str(exc):
                found.append(path)
            continue
        if is_bods(statements):
            found.append(path)
    return found

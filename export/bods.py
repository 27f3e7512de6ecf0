"""``ownership.bods.json``: the ownership part of a package as BODS 0.4 statements.

Every ``SHAREHOLDER_OF`` and ``CONTROLS`` relationship of the package becomes
a relationship statement; the firms and people at their ends become entity
and person statements, written before the statements that name them.

- Entities: ``registeredEntity`` with the USCC as identifier (scheme
  ``CN-SAIC``, the org-id.guide code of China's registration authority),
  jurisdiction CN, founding and dissolution dates.
- People: ``knownPerson`` with their name; the resident ID as identifier
  ``CHN-IDCARD`` (a passport as ``XXX-PASSPORT``, country unknown) only in a
  package with full IDs: a masked package gives no identifier, the person is
  known by the pseudonymous record id, the same as in the other files.
- Interests: a shareholding with ``share.exact`` = ``share_pct``, direct;
  ``beneficialOwnershipOrControl`` is true for a natural person holding 25% or
  more directly (China's 2024 beneficial-owner threshold), false for a firm,
  left out otherwise (an indirect stake may still make the person an owner).
  ``CONTROLS`` keeps its BODS interest type.
- Ids: ``recordId`` = the node's FollowTheMoney id (``cg-person-...``), a
  statement id is a UUID derived from the record and its content, so the same
  data gives the same statements.

Validation uses libcovebods, which ships the 0.4 schema: the JSON Schema
validation and its additional checks, except the checks that download the
org-id.guide register (no network access is assumed) and the legacy checks,
which libcovebods 0.16 wrongly applies to 0.4 data.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from credgraph.export.flatten import ExportEdge, ExportNode, PackageGraph
from credgraph.export.identities import safe_id

BODS_VERSION = "0.4"
OWNERSHIP_TYPES = ("SHAREHOLDER_OF", "CONTROLS")
BENEFICIAL_PCT = 25.0
NAMESPACE = uuid.UUID("6f1c1d5e-3b7a-4c38-9a0e-8c2f4f6b9d21")
NETWORK_CHECKS = ("LegacyChecks", "LegacyChecksNeedingHistory", "CheckStatementEntityIdentifiersHaveKnownScheme")
INTEREST_TYPES = frozenset({
    "shareholding", "votingRights", "appointmentOfBoard", "otherInfluenceOrControl", "seniorManagingOfficial",
    "settlor", "trustee", "protector", "beneficiaryOfLegalArrangement", "rightsToSurplusAssetsOnDissolution",
    "rightsToProfitOrIncome", "rightsGrantedByContract", "conditionalRightsGrantedByContract",
    "controlViaCompanyRulesOrArticles", "controlByLegalFramework", "boardMember", "boardChair", "unknownInterest",
    "unpublishedInterest", "enjoymentAndUseOfAssets", "rightToProfitOrIncomeFromAssets", "nominee", "nominator",
})


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {})}


class _Statements:
    def __init__(self, publication_date: str, publisher: str) -> None:
        self.publication = {"publicationDate": publication_date, "bodsVersion": BODS_VERSION,
                            "publisher": {"name": publisher}}
        self.statements: list[dict[str, Any]] = []

    def add(self, record_id: str, record_type: str, subject: str, details: dict[str, Any],
            provenance: dict[str, Any]) -> None:
        content = json.dumps([record_id, details], sort_keys=True, ensure_ascii=False, default=str)
        statement_id = str(uuid.uuid5(NAMESPACE, hashlib.sha256(content.encode("utf-8")).hexdigest()))
        self.statements.append(_clean({
            "statementId": statement_id,
            "declarationSubject": subject,
            "statementDate": str(provenance.get("loaded_at") or self.publication["publicationDate"])[:10],
            "publicationDetails": self.publication,
            "source": {"type": ["officialRegister"],
                       "description": f"registration data loaded into credgraph (load {provenance.get('load_id', 'unknown')})"},
            "recordId": record_id,
            "recordStatus": "new",
            "recordType": record_type,
            "recordDetails": _clean(details),
        }))


def _entity_details(node: ExportNode) -> dict[str, Any]:
    return {
        "isComponent": False,
        "entityType": {"type": "registeredEntity"},
        "name": node.props.get("name"),
        "jurisdiction": {"name": "China", "code": "CN"},
        "identifiers": [{"id": node.key, "scheme": "CN-SAIC",
                         "schemeName": "Unified Social Credit Code 统一社会信用代码 (GB 32100-2015)"}],
        "foundingDate": _iso(node.props.get("reg_date")),
        "dissolutionDate": _iso(node.props.get("end_date")),
        "addresses": [{"type": "registered", "address": node.props["address"], "country": {"name": "China", "code": "CN"}}]
        if node.props.get("address") else [],
    }


def _person_details(node: ExportNode, masked: bool) -> dict[str, Any]:
    id_type = node.props.get("id_type", "cn_id")
    scheme = {"cn_id": "CHN-IDCARD", "passport": "XXX-PASSPORT"}.get(id_type)
    identifiers = [] if masked or scheme is None else [{"id": node.key, "scheme": scheme}]
    return {
        "isComponent": False,
        "personType": "knownPerson",
        "names": [{"type": "legal", "fullName": node.props["name"]}] if node.props.get("name") else [],
        "identifiers": identifiers,
        "nationalities": [{"name": "China", "code": "CN"}] if id_type == "cn_id" else [],
        "birthDate": _iso(node.props.get("birth_date")),
    }


def _interest(edge: ExportEdge, holder: ExportNode) -> dict[str, Any]:
    p = edge.props
    dates = {"startDate": _iso(p.get("start_date")), "endDate": _iso(p.get("end_date"))}
    if edge.type == "SHAREHOLDER_OF":
        pct = float(p["share_pct"])
        beneficial = (pct >= BENEFICIAL_PCT or None) if holder.type == "Person" else False
        return _clean({"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": pct},
                       "beneficialOwnershipOrControl": beneficial, **dates})
    kind = p.get("interest_type")
    beneficial = p.get("beneficial") if holder.type == "Person" else False
    return _clean({
        "type": kind if kind in INTEREST_TYPES else "otherInfluenceOrControl",
        "details": None if kind in INTEREST_TYPES else kind,
        "directOrIndirect": p.get("direct") if p.get("direct") in ("direct", "indirect", "unknown") else None,
        "share": {"exact": float(p["share_pct"])} if p.get("share_pct") is not None else None,
        "beneficialOwnershipOrControl": beneficial, **dates,
    })


def build_statements(graph: PackageGraph, publication_date: str, publisher: str, masked: bool) -> list[dict[str, Any]]:
    """The BODS statements of the package's ownership part, parties before relationships."""
    nodes = {n.id: n for n in graph.nodes}
    edges = [e for e in graph.edges if e.type in OWNERSHIP_TYPES]
    record = {n.id: safe_id("cg", n.type, n.key) for n in graph.nodes}
    out = _Statements(publication_date, publisher)
    subject_of: dict[str, str] = {}
    for edge in edges:
        subject_of.setdefault(edge.source, record[edge.target])
        subject_of.setdefault(edge.target, record[edge.target])
    for node_id in sorted(subject_of):
        node = nodes[node_id]
        if node.type == "Person":
            out.add(record[node_id], "person", subject_of[node_id], _person_details(node, masked), node.provenance)
        else:
            out.add(record[node_id], "entity", record[node_id], _entity_details(node), node.provenance)
    for edge in edges:
        details = {"isComponent": False, "subject": record[edge.target], "interestedParty": record[edge.source],
                   "interests": [_interest(edge, nodes[edge.source])]}
        out.add(safe_id("cg", "relationship", hashlib.sha1(edge.id.encode("utf-8")).hexdigest()[:24]),
                "relationship", record[edge.target], details, edge.provenance)
    return out.statements


def write_bods(graph: PackageGraph, path: Path, publication_date: str, publisher: str, masked: bool) -> int:
    """Write the statements as one JSON array; return how many."""
    statements = build_statements(graph, publication_date, publisher, masked)
    path.write_text(json.dumps(statements, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(statements)


def validate_bods(path: Path) -> list[str]:
    """Problems libcovebods finds in a BODS 0.4 file (schema and offline checks); empty if none."""
    from libcovebods.config import LibCoveBODSConfig
    from libcovebods.data_reader import DataReader
    from libcovebods.jsonschemavalidate import JSONSchemaValidator
    from libcovebods.run_tasks import TASK_CLASSES, process_additional_checks
    from libcovebods.schema import SchemaBODS

    reader = DataReader(str(path))
    config = LibCoveBODSConfig()
    schema = SchemaBODS(reader, config)
    if schema.schema_version != BODS_VERSION:
        return [f"libcovebods read the file as BODS {schema.schema_version}, not {BODS_VERSION}"]
    problems = [f"{'/'.join(map(str, e.json()['path']))}: {e.json()['message']}"
                for e in JSONSchemaValidator(schema).validate(reader)]
    tasks = [task for task in TASK_CLASSES if task.__name__ not in NETWORK_CHECKS]
    checks = process_additional_checks(reader, config, schema, tasks)["additional_checks"]
    problems += [json.dumps(check, ensure_ascii=False, sort_keys=True, default=str) for check in checks]
    return problems

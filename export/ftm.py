"""``entities.ftm.json``: the package as FollowTheMoney entities (JSON lines), for Aleph and its tools.

| credgraph | FollowTheMoney |
|---|---|
| Enterprise | ``Company`` (``uscCode`` and ``registrationNumber`` = USCC) |
| Person | ``Person`` (``idNumber`` = the ID as the package shows it) |
| Agency | ``PublicBody`` |
| Project | ``Project`` |
| Address | ``Address``, linked by the firm's ``addressEntity`` |
| Phone, Email | the firm's ``phone`` (E.164) and ``email`` |
| Penalty | ``Sanction`` (programme ``administrative penalty: <category>``) |
| ListEntry, black lists | ``Sanction`` (programme = the list) |
| ListEntry, ``red_list`` | ``Note`` on the subject: a red list is no sanction |
| LEGAL_REP_OF, OFFICER_OF | ``Directorship`` (role 法定代表人 legal representative, or the post) |
| SHAREHOLDER_OF | ``Ownership`` (``percentage``) |
| CONTROLS | ``Control`` (``controlType`` = the BODS interest) |
| GUARANTEES | ``UnknownLink`` (role 担保 guarantor) |
| BID_ON, PROCURED_BY | ``ProjectParticipant`` (role bidder, status won/lost; or procuring entity) |

Amounts in 万元 become CNY (×10,000) with ``currency`` CNY. Ids are stable:
``cg-<label>-<key>`` for nodes (``credgraph.export.identities.safe_id``), a
digest of the package edge id for relationships. Every entity is checked with
the followthemoney model: each value must survive the property type's
cleaning, required properties must be there (``Schema.validate``) and every
reference must name an entity of the file.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from credgraph.export.flatten import ExportEdge, ExportNode, PackageGraph
from credgraph.export.identities import safe_id

LIST_NAMES_ZH = {
    "dishonest_debtor": "失信被执行人",
    "consumption_restricted": "限制高消费",
    "major_tax_violation": "重大税收违法",
    "procurement_blacklist": "政府采购严重违法失信名单",
    "abnormal_operation": "经营异常名录",
    "serious_violation": "严重违法失信名单",
    "bribery_record": "行贿犯罪档案",
    "red_list": "守信红名单",
}
OFFICER_ROLES = {"chair": "董事长 chair", "director": "董事 director", "supervisor": "监事 supervisor",
                 "manager": "经理 manager", "other": "其他 other"}


@dataclass
class FtmResult:
    """The entities written and the values or entities the model rejected."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def cny(amount_wan: Any) -> str | None:
    """An amount in 万元 as CNY text.

    >>> cny(1.5), cny(4104113.182), cny(None)
    ('15000', '41041131820', None)
    """
    if amount_wan is None or isinstance(amount_wan, bool):
        return None
    return format((Decimal(repr(float(amount_wan))) * 10000).normalize(), "f")


def e164(phone: str) -> str:
    """A stored (digits-only, national) phone number in international form.

    >>> e164("01021138479"), e164("13504285457")
    ('+861021138479', '+8613504285457')
    """
    return "+86" + (phone[1:] if phone.startswith("0") else phone)


def _edge_id(edge: ExportEdge) -> str:
    digest = hashlib.sha1(edge.id.encode("utf-8")).hexdigest()[:24]
    return f"cg-{edge.type.lower().replace('_', '-')}-{digest}"


class _Builder:
    """Collects raw entities (schema, id, property values) before validation."""

    def __init__(self, graph: PackageGraph) -> None:
        self.ids = {n.id: safe_id("cg", n.type, n.key) for n in graph.nodes}
        self.nodes = {n.id: n for n in graph.nodes}
        self.raw: dict[str, dict[str, Any]] = {}

    def entity(self, schema: str, entity_id: str, **props: Any) -> dict[str, list[str]]:
        values = self.raw.setdefault(entity_id, {"id": entity_id, "schema": schema, "properties": {}})["properties"]
        self.add(values, **props)
        return values

    @staticmethod
    def add(values: dict[str, list[str]], **props: Any) -> None:
        for name, value in props.items():
            for v in value if isinstance(value, list) else [value]:
                if v is not None and v != "":
                    text = str(v).lower() if isinstance(v, bool) else str(v)
                    if text not in values.setdefault(name, []):
                        values[name].append(text)


def _node(b: _Builder, node: ExportNode) -> None:
    p, fid = node.props, b.ids[node.id]
    if node.type == "Enterprise":
        b.entity("Company", fid, name=p.get("name"), uscCode=node.key, registrationNumber=node.key,
                 incorporationDate=p.get("reg_date"), dissolutionDate=p.get("end_date"), status=p.get("status"),
                 capital=cny(p.get("registered_capital")), currency="CNY" if p.get("registered_capital") else None,
                 jurisdiction="cn", country="cn", sector=p.get("industry"), legalForm=p.get("org_type"),
                 address=p.get("address"), phone=e164(p["phone"]) if p.get("phone") else None, email=p.get("email"))
    elif node.type == "Person":
        b.entity("Person", fid, name=p.get("name"), idNumber=node.key, birthDate=p.get("birth_date"),
                 gender=p.get("gender"), nationality="cn" if p.get("id_type", "cn_id") == "cn_id" else None)
    elif node.type == "Agency":
        b.entity("PublicBody", fid, name=p.get("name"), uscCode=node.key, registrationNumber=node.key,
                 country="cn", classification=p.get("kind"))
    elif node.type == "Project":
        b.entity("Project", fid, name=p.get("name"), projectId=node.key, amount=cny(p.get("budget")),
                 currency="CNY" if p.get("budget") is not None else None, startDate=p.get("publish_date"),
                 keywords=p.get("category"), country="cn")
    elif node.type == "Address":
        b.entity("Address", fid, full=node.key, country="cn")


def _record(b: _Builder, node: ExportNode, subject: str | None, authority: ExportNode | None) -> None:
    p, fid = node.props, b.ids[node.id]
    issuer = {"authority": authority.props.get("name") if authority else None, "authorityId": p.get("agency_id")}
    if node.type == "Penalty":
        amount = f", {p['amount']} 万元 (CNY {cny(p['amount'])})" if p.get("amount") is not None else ""
        b.entity("Sanction", fid, entity=subject, program=f"行政处罚 administrative penalty: {p.get('category')}",
                 programId=p.get("category"), provisions=f"{p.get('kind')}{amount}", status=p.get("status"),
                 startDate=p.get("decision_date"), listingDate=p.get("decision_date"),
                 endDate=p.get("repaired_date"), reason=p.get("description"), summary=p.get("legal_basis"),
                 recordId=node.key, country="cn", **issuer)
    elif p.get("list") == "red_list":
        until = f" until {p['removed_date']}" if p.get("removed_date") else ""
        b.entity("Note", fid, entity=subject, name=f"守信红名单 red list entry {node.key}",
                 description=f"on the red list from {p.get('listed_date')}{until}; issued by "
                             f"{issuer['authority'] or issuer['authorityId'] or 'unknown'}; {p.get('reason') or ''}".strip("; "),
                 country="cn")
    else:
        b.entity("Sanction", fid, entity=subject, program=f"{LIST_NAMES_ZH.get(p.get('list', ''), '')} {p.get('list')}".strip(),
                 programId=p.get("list"), listingDate=p.get("listed_date"), startDate=p.get("listed_date"),
                 endDate=p.get("removed_date"), reason=p.get("reason"), recordId=node.key, country="cn", **issuer)


def _edge(b: _Builder, edge: ExportEdge) -> None:
    p, src, dst = edge.props, b.ids[edge.source], b.ids[edge.target]
    dates = {"startDate": p.get("start_date"), "endDate": p.get("end_date")}
    eid = _edge_id(edge)
    if edge.type == "LEGAL_REP_OF":
        b.entity("Directorship", eid, director=src, organization=dst, role="法定代表人 legal representative", **dates)
    elif edge.type == "OFFICER_OF":
        b.entity("Directorship", eid, director=src, organization=dst,
                 role=OFFICER_ROLES.get(p.get("role", ""), p.get("role")), **dates)
    elif edge.type == "SHAREHOLDER_OF":
        b.entity("Ownership", eid, owner=src, asset=dst, percentage=p.get("share_pct"),
                 sharesValue=cny(p.get("subscribed_capital")),
                 sharesCurrency="CNY" if p.get("subscribed_capital") is not None else None, **dates)
    elif edge.type == "CONTROLS":
        b.entity("Control", eid, controller=src, controlled=dst, controlType=p.get("interest_type"), **dates)
    elif edge.type == "GUARANTEES":
        amount = f"guaranteed amount {p['amount']} 万元 (CNY {cny(p['amount'])})" if p.get("amount") is not None else None
        b.entity("UnknownLink", eid, subject=src, object=dst, role="担保 guarantor of the debtor's debt",
                 summary=amount, **dates)
    elif edge.type == "BID_ON":
        amount = f"bid {p['amount']} 万元 (CNY {cny(p['amount'])})" if p.get("amount") is not None else None
        b.entity("ProjectParticipant", eid, participant=src, project=dst, role="投标人 bidder",
                 status="won" if p.get("won") else "lost", date=p.get("bid_date"), summary=amount)
    elif edge.type == "PROCURED_BY":
        b.entity("ProjectParticipant", eid, participant=dst, project=src, role="采购人 procuring entity")
    elif edge.type in ("HAS_PHONE", "HAS_EMAIL", "HAS_ADDRESS"):
        prop = {"HAS_PHONE": "phone", "HAS_EMAIL": "email", "HAS_ADDRESS": "addressEntity"}[edge.type]
        target = b.nodes[edge.target]
        value = e164(target.key) if prop == "phone" else target.key if prop == "email" else dst
        b.add(b.raw[src]["properties"], **{prop: value})


def build_entities(graph: PackageGraph) -> dict[str, dict[str, Any]]:
    """Raw FtM entities (unvalidated) of the package, by id."""
    b = _Builder(graph)
    for node in graph.nodes:
        _node(b, node)
    subjects: dict[str, list[str | None]] = defaultdict(list)
    issuers: dict[str, list[ExportNode]] = defaultdict(list)
    for edge in graph.edges:
        if edge.type in ("HAS_PENALTY", "HAS_LIST_ENTRY"):
            subjects[edge.target].append(b.ids[edge.source])
        elif edge.type == "ISSUED_BY":
            issuers[edge.source].append(b.nodes[edge.target])
        else:
            _edge(b, edge)
    for node in graph.nodes:
        if node.type in ("Penalty", "ListEntry"):
            authority = issuers[node.id][0] if issuers.get(node.id) else None
            for subject in subjects.get(node.id) or [None]:
                _record(b, node, subject, authority)
    return b.raw


def validate_entities(raw: dict[str, dict[str, Any]]) -> FtmResult:
    """Clean and check each entity with the followthemoney model; keep the valid ones."""
    from followthemoney import model
    from followthemoney.exc import InvalidData

    result = FtmResult()
    for entity_id in sorted(raw):
        data = raw[entity_id]
        schema = model.get(data["schema"])
        assert schema is not None, data["schema"]
        proxy = model.get_proxy({"id": entity_id, "schema": schema.name, "properties": {}})
        for name, values in data["properties"].items():
            prop = schema.get(name)
            for value in values:
                if prop is None or prop.type.clean(value, proxy=proxy) is None:
                    result.problems.append(f"{entity_id}: {schema.name}.{name} rejected {value!r}")
                    continue
                if prop.type.name == "entity" and value not in raw:
                    result.problems.append(f"{entity_id}: {schema.name}.{name} names {value}, not in the package")
                    continue
                proxy.add(prop, value)
        try:
            schema.validate(proxy.to_dict())  # type: ignore[arg-type]
        except InvalidData as exc:
            result.problems.append(f"{entity_id}: {schema.name} invalid: {exc}")
            continue
        if any(name not in proxy.properties for name in schema.required):
            result.problems.append(f"{entity_id}: {schema.name} lacks {', '.join(sorted(schema.required))}")
            continue
        result.entities.append(proxy.to_dict())
    return result


def write_ftm(graph: PackageGraph, path: Path) -> FtmResult:
    """Write the valid entities as JSON lines sorted by id; return them and the problems."""
    result = validate_entities(build_entities(graph))
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for entity in result.entities:
            handle.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
    return result

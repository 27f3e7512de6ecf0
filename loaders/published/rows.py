"""One published row through its mapping: the source record, its records, its mentions and their facts.

``read_row`` cleans a row as the mapping says and returns a ``PublishedRow``,
or the problems that reject it (required cells empty, a date or amount that
cannot be read, a keyword table with no match and no default). A row keeps
its cells verbatim (the source record), makes the nodes that carry their own
key (a penalty, a list entry, a project), and names subjects through
*mentions*. A relationship with a mention at one end becomes a *fact* of that
mention (the ``from`` end when both are mentions): resolution makes it once the
mention, and the other end, are linked.

Ids are content-derived, so a reload of the same file makes the same nodes:
``record_id`` is the source name and a digest of the key columns, a mention's
id is the record id and its role.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from credgraph.graph.identifiers import identifier_kind, resident_id_problem
from credgraph.graph.model import MODEL
from credgraph.graph.types import Invalid, normalise_text
from credgraph.loaders.published.mapping import SUBJECT_LABELS, End, Mapping, MentionSpec, RecordSpec, Value
from credgraph.loaders.published.values import (
    clean_value, exact_value, fill_template, keyword_value, property_type, published_date,
)
from credgraph.loaders.rows import Problem

# Strongest first: the identifier a mention is resolved by when a row gives several.
ID_STRENGTH = ("uscc", "resident_id", "reg_no", "org_code", "masked_id", "passport", "invalid")
# Words that mark a name as an organisation's rather than a person's.
ORG_WORDS = re.compile(r"公司|企业|集团|厂|店|行$|中心|合作社|事务所|工作室|经营部|门市部|商行|医院|学校|学院|大学|协会|"
                       r"研究院|研究所|银行|委员会|局$|办公室|站$|馆$|院$|社$|部$")
GENDERS = {"男": "male", "女": "female", "male": "male", "female": "female", "m": "male", "f": "female"}


@dataclass
class RecordNode:
    """A node with its own key that the row makes (the record's agency resolved later, by the loader)."""

    spec: RecordSpec
    key: str
    props: dict[str, Any]


@dataclass
class MentionRow:
    """A mention as the row gives it: its node properties and its facts."""

    spec: MentionSpec
    mention_id: str
    props: dict[str, Any]
    facts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PublishedRow:
    """A cleaned published row."""

    line: int
    record_id: str
    cells: dict[str, str]
    records: list[RecordNode]
    mentions: list[MentionRow]
    duplicate_lines: list[int] = field(default_factory=list)

    @property
    def lines(self) -> list[int]:
        """Every input line the row stands for."""
        return [self.line, *self.duplicate_lines]


def digest(*parts: str) -> str:
    """A short stable digest of some texts."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).hexdigest()


def record_id(mapping: Mapping, cells: dict[str, str]) -> str:
    """The source record's id: the mapping's name and a digest of the key columns' cleaned values."""
    return f"{mapping.name}:{digest(*(normalise_text(cells.get(c, '')) for c in mapping.key))}"


def guess_subject(name: str, id_kind: str) -> tuple[str, str]:
    """Person or enterprise for a mention of unknown kind, and why.

    >>> guess_subject("张伟", "masked_id"), guess_subject("广州华信贸易有限公司", "none")
    (('person', 'the identifier is a resident ID'), ('enterprise', 'the name is an organisation name'))
    """
    if id_kind in ("resident_id", "masked_id", "passport"):
        return "person", "the identifier is a resident ID"
    if id_kind in ("uscc", "org_code", "reg_no"):
        return "enterprise", "the identifier is a firm's"
    if ORG_WORDS.search(name) or len(name) > 6:
        return "enterprise", "the name is an organisation name"
    return "person", "the name is a person's name"


def _identifiers(spec: MentionSpec, cells: dict[str, str], subject: str) -> list[tuple[str, str, str]]:
    """(kind, canonical value, raw) of every non-empty identifier cell."""
    found = []
    for column in spec.identifiers:
        raw = cells.get(column, "").strip()
        if not raw:
            continue
        kind, value = identifier_kind(raw)
        if kind == "none":
            continue  # 非公示项, 无, '-': nothing to go on
        if kind == "passport" and (subject == "enterprise" or len(value) in (15, 18)):
            kind = "invalid"  # a firm's or resident ID that fails its check
        if kind == "uscc" and subject != "enterprise" and resident_id_problem(value) is None:
            # One resident ID in 31 also passes the USCC check: a person's row means the person.
            named_person = subject == "person" or guess_subject(cells.get(spec.name, ""), "none")[0] == "person"
            kind = "resident_id" if named_person else kind
        found.append((kind, value, raw))
    found.sort(key=lambda item: ID_STRENGTH.index(item[0]))
    return found


def _region(spec: MentionSpec, cells: dict[str, str]) -> str | None:
    from credgraph.resolution.regions import province_code

    if spec.region:
        code = normalise_text(cells.get(spec.region, "")).replace(" ", "")
        if re.fullmatch(r"[0-9]{6}", code):
            return code
    if spec.province:
        return province_code(normalise_text(cells.get(spec.province, "")))
    return None


def _subject(spec: MentionSpec, cells: dict[str, str], mapping: Mapping) -> str:
    if spec.subject_value is not None:
        value = read_value(spec.subject_value, cells, mapping)
        return value if isinstance(value, str) and value in SUBJECT_LABELS else "auto"
    return spec.subject


def _mention(spec: MentionSpec, rid: str, cells: dict[str, str], mapping: Mapping) -> MentionRow | None:
    name = normalise_text(cells.get(spec.name, ""))
    subject = _subject(spec, cells, mapping)
    ids = _identifiers(spec, cells, subject)
    if not name and not ids:
        return None
    kind, value, raw = ids[0] if ids else ("none", "", "")
    features: dict[str, Any] = {}
    if subject == "auto":
        subject, features["subject_guess"] = guess_subject(name, kind)
    if len(ids) > 1:
        features["ids"] = [[k, v] for k, v, _ in ids]
    gender = GENDERS.get(normalise_text(cells.get(spec.gender or "", "")).lower())
    if gender:
        features["gender"] = gender
    age = normalise_text(cells.get(spec.age or "", "")).rstrip("岁")
    if age.isdigit():
        features["age"] = int(age)
    on = published_date(cells[spec.on].strip()) if spec.on and cells.get(spec.on, "").strip() else None
    props: dict[str, Any] = {
        "mention_id": f"{rid}/{spec.role}", "record_id": rid, "source": mapping.name, "role": spec.role,
        "name": name or None, "identifier": raw or None, "id_kind": kind, "id_value": value or None,
        "subject_type": subject, "region_code": _region(spec, cells),
        "on": on if isinstance(on, dt.date) else None,
        "features": json.dumps(features, ensure_ascii=False, sort_keys=True) if features else None,
    }
    return MentionRow(spec, props["mention_id"], props)


def read_value(value: Value, cells: dict[str, str], mapping: Mapping) -> Any:
    """The raw text a ``Value`` names in a row, looked up in its tables (``None`` when empty)."""
    if value.value is not None:
        return value.value
    if value.template is not None:
        return fill_template(value.template, cells) or None
    texts = [cells.get(c, "").strip() for c in value.columns]
    if value.keywords:
        found = keyword_value(" ".join(t for t in texts if t), mapping.keywords[value.keywords])
        return found if found is not None else value.default
    text = next((t for t in texts if t), "")
    if value.values:
        return exact_value(text, value.values) or value.default
    return text or value.default


def _clean_props(owner: str, values: dict[str, Value], cells: dict[str, str], mapping: Mapping,
                 problems: list[Problem]) -> dict[str, Any]:
    """Typed properties; each bad cell adds a problem."""
    props: dict[str, Any] = {}
    for name, value in values.items():
        if value.split:
            continue  # read per part by the facts
        text = read_value(value, cells, mapping)
        if text is None:
            continue
        cleaned = clean_value(property_type(owner, name), str(text))
        if isinstance(cleaned, Invalid):
            problems.append(Problem(value.columns[0] if value.columns else name, str(text), cleaned.reason))
        elif cleaned is not None:
            props[name] = cleaned
    return props


def _split_values(rel_type: str, values: dict[str, Value], cells: dict[str, str], mapping: Mapping,
                  problems: list[Problem]) -> list[dict[str, Any]]:
    """One property set per part of a split cell (``执行董事兼总经理`` makes two posts)."""
    split = [(name, v) for name, v in values.items() if v.split]
    if not split:
        return [{}]
    name, value = split[0]
    raw = next((cells.get(c, "") for c in value.columns if cells.get(c, "").strip()), "")
    parts = [p for p in re.split("[" + re.escape(value.split) + "]", normalise_text(raw)) if p] or [""]
    out = []
    for part in dict.fromkeys(parts):
        text = read_value(value, {**cells, **{c: part for c in value.columns}}, mapping)
        cleaned = clean_value(property_type(rel_type, name), str(text)) if text is not None else None
        if isinstance(cleaned, Invalid):
            problems.append(Problem(value.columns[0], part, cleaned.reason))
        elif cleaned is not None and {name: cleaned} not in out:
            out.append({name: cleaned})
    return out or [{}]


def _jsonable(props: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in props.items()}


def _end(end: End, mentions: dict[str, MentionRow], records: dict[str, RecordNode],
         cells: dict[str, str]) -> dict[str, Any] | None:
    """Where a relation end points: a mention, a record, or a node by key (``None`` when absent)."""
    if end.ref in mentions:
        return {"mention": mentions[end.ref].mention_id}
    if end.ref in records:
        record = records[end.ref]
        return {"label": record.spec.label, "key": record.key}
    if end.label and end.key:
        key = fill_template(end.key, cells)
        return {"label": end.label, "key": key} if key else None
    return None


def read_row(mapping: Mapping, line: int, header: list[str], values: list[str]) -> PublishedRow | list[Problem]:
    """The cleaned row, or every problem found in it."""
    if len(values) > len(header):
        return [Problem("", "", f"row has {len(values)} fields, the header {len(header)}")]
    cells = {h: v for h, v in zip(header, values) if h}
    problems = [Problem(c, "", "required value is empty") for c in mapping.required if not cells.get(c, "").strip()]
    rid = record_id(mapping, cells)
    records: dict[str, RecordNode] = {}
    for name, spec in mapping.records.items():
        key = fill_template(spec.id, cells)
        props = _clean_props(spec.label, dict(spec.properties), cells, mapping, problems)
        if key:
            records[name] = RecordNode(spec, key, {MODEL.nodes[spec.label].key: key, **props})
        else:
            problems.append(Problem(spec.id, "", f"the {spec.label} id {spec.id} is empty on this row"))
    mentions: dict[str, MentionRow] = {}
    for role, mention_spec in mapping.mentions.items():
        mention = _mention(mention_spec, rid, cells, mapping)
        if mention is not None:
            mentions[role] = mention
    for role, mention in mentions.items():
        if mention.spec.of and mention.spec.of in mentions:
            mention.props["of"] = mentions[mention.spec.of].mention_id
    for rel in mapping.relations:
        owner_end = "src" if rel.src.ref in mentions else "dst"
        owner_ref = rel.src.ref if owner_end == "src" else rel.dst.ref
        if owner_ref not in mentions:
            continue  # the cell naming this subject is empty: no mention, no fact
        other = _end(rel.dst if owner_end == "src" else rel.src, mentions, records, cells)
        if other is None:
            continue
        base = _clean_props(rel.type, dict(rel.properties), cells, mapping, problems)
        for extra in _split_values(rel.type, dict(rel.properties), cells, mapping, problems):
            mentions[owner_ref].facts.append(
                {"type": rel.type, "end": owner_end, "other": other, "props": _jsonable({**base, **extra})})
    if problems:
        return list({(p.column, p.value): p for p in reversed(problems)}.values())[::-1]
    for mention in mentions.values():
        mention.props["facts"] = json.dumps(mention.facts, ensure_ascii=False, sort_keys=True) if mention.facts else None
    return PublishedRow(line, rid, cells, list(records.values()), list(mentions.values()))


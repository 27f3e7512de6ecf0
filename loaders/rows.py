"""Cleaning one input row: typed properties and references, or the reasons it is rejected.

Every cell of a declared column goes through its property type's cleaner
(``graph/types.py``); then the row-level rules apply: required columns, the
resident ID check for ``cn_id`` persons (with birth date and gender derived),
date order, repaired penalties with their date, no firm holding or guaranteeing
itself. Undeclared columns are kept as string properties. A row either cleans
completely or is rejected with one problem per offending column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from credgraph.graph.identifiers import resident_id_facts, resident_id_problem
from credgraph.graph.model import MODEL
from credgraph.graph.types import Invalid
from credgraph.loaders.specs import InputSpec, Reference

RESERVED = (set(MODEL.scores) | set(MODEL.provenance) | set(MODEL.link_properties)
            | {"valid_from", "valid_to", "rkey", "content_hash"})


@dataclass(frozen=True)
class Problem:
    """Why a cell (or a whole row, column ``""``) is rejected."""

    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Link:
    """A resolved reference: the node a row points at, and through which relationship."""

    ref: Reference
    label: str
    key: str


@dataclass
class CleanRow:
    """A row that passed cleaning: its line, typed properties and links."""

    line: int
    props: dict[str, Any]
    links: list[Link] = field(default_factory=list)
    duplicate_lines: list[int] = field(default_factory=list)  # identical rows merged into this one

    @property
    def lines(self) -> list[int]:
        """Every input line this row stands for."""
        return [self.line, *self.duplicate_lines]

    def link(self, column: str) -> Link | None:
        """The link made by ``column``, if the cell was not empty."""
        return next((link for link in self.links if link.ref.column == column), None)


def header_problems(spec: InputSpec, header: list[str]) -> list[str]:
    """Whole-file reasons: missing required columns, reserved column names."""
    problems = [f"missing required column {c!r}" for c in spec.required if c not in header]
    clash = sorted(RESERVED & (set(header) - spec.columns))
    if clash:
        problems.append(f"column names reserved by credgraph: {', '.join(clash)}")
    return problems


def _label_for(ref: Reference, cells: dict[str, str], props: dict[str, Any]) -> str | Problem:
    if len(ref.labels) == 1:
        return ref.labels[0]
    word = props.get(ref.label_from) if ref.label_from in props else cells.get(ref.label_from or "", "")
    for label in ref.labels:
        if str(word).lower() == label.lower():
            return label
    return Problem(ref.label_from or ref.column, str(word), f"must name one of {', '.join(l.lower() for l in ref.labels)}")


def _resolve(ref: Reference, cells: dict[str, str], props: dict[str, Any]) -> Link | Problem | None:
    raw = cells.get(ref.column, "")
    label = _label_for(ref, cells, props)
    if isinstance(label, Problem):
        return label if raw.strip() else None
    node = MODEL.nodes[label]
    key_type = node.properties[node.key].type
    if ref.column in props and ref.column_type is key_type:
        return Link(ref, label, props[ref.column])
    key = key_type.clean(raw)
    if key is None:
        return None
    if isinstance(key, Invalid):
        return Problem(ref.column, raw, key.reason)
    return Link(ref, label, key)


def _clean_cells(spec: InputSpec, cells: dict[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    props: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, prop in spec.properties.items():
        raw = cells.get(name, "")
        value = prop.type.clean(raw)
        if isinstance(value, Invalid):
            problems.append(Problem(name, raw, value.reason))
        elif value is None and name in spec.required:
            problems.append(Problem(name, raw, "required value is empty"))
        elif value is None and prop.default is not None:
            props[name] = prop.default
        elif value is not None:
            props[name] = value
    for name, raw in cells.items():
        if name and name not in spec.columns and raw.strip():
            props[name] = raw.strip()
    return props, problems


def _person_rules(props: dict[str, Any]) -> list[Problem]:
    if props.get("id_type", "cn_id") != "cn_id" or "person_id" not in props:
        return []
    number = props["person_id"]
    reason = resident_id_problem(number)
    if reason:
        return [Problem("person_id", number, reason)]
    props["birth_date"], props["gender"] = resident_id_facts(number)
    return []


def _date_order(spec: InputSpec, props: dict[str, Any]) -> list[Problem]:
    model_item = MODEL.nodes.get(spec.target) or MODEL.relationships.get(spec.target)
    start, end = model_item.valid_from, model_item.valid_to  # type: ignore[union-attr]
    if start and end and props.get(start) and props.get(end) and props[end] < props[start]:
        return [Problem(end, props[end].isoformat(), f"{end} is before {start} {props[start].isoformat()}")]
    return []


def _record_rules(spec: InputSpec, props: dict[str, Any]) -> list[Problem]:
    problems = []
    if spec.target == "Enterprise" and props.get("org_code") and props.get("uscc"):
        inside = props["uscc"][8:17]
        if props["org_code"] != inside:
            problems.append(Problem("org_code", props["org_code"],
                                    f"organisation code is not the one inside the USCC ({inside})"))
    if spec.target == "Penalty" and props.get("status") == "repaired":
        repaired = props.get("repaired_date")
        if repaired is None:
            problems.append(Problem("repaired_date", "", "a repaired penalty needs its repaired_date"))
        elif props.get("decision_date") and repaired < props["decision_date"]:
            problems.append(Problem("repaired_date", repaired.isoformat(), "repaired before the decision date"))
    return problems


def _self_links(spec: InputSpec, links: list[Link]) -> list[Problem]:
    ends = [link for link in links if not link.ref.creates and link.ref.rel_type == spec.target]
    if len(ends) == 2 and ends[0].label == ends[1].label and ends[0].key == ends[1].key:
        return [Problem(ends[0].ref.column, ends[0].key, f"{spec.target} cannot link a firm to itself")]
    return []


def clean_row(spec: InputSpec, line: int, header: list[str], values: list[str]) -> CleanRow | list[Problem]:
    """The cleaned row, or every problem found in it."""
    if len(values) > len(header):
        return [Problem("", "", f"row has {len(values)} fields, the header {len(header)}")]
    cells = dict(zip(header, values))
    props, problems = _clean_cells(spec, cells)
    if spec.target == "Person":
        problems += _person_rules(props)
    problems += _date_order(spec, props) + _record_rules(spec, props)
    links: list[Link] = []
    for ref in spec.references:
        resolved = _resolve(ref, cells, props)
        if isinstance(resolved, Problem):
            problems.append(resolved)
        elif resolved is not None:
            links.append(resolved)
            if ref.column in props:
                props[ref.column] = resolved.key
        elif spec.kind == "relationship":
            problems.append(Problem(ref.column, cells.get(ref.column, ""), "required value is empty"))
    problems += _self_links(spec, links)
    if problems:
        return list({(p.column, p.value): p for p in reversed(problems)}.values())[::-1]
    return CleanRow(line, props, links)

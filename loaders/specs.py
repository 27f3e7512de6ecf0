"""What each input file is, derived from the graph model.

For every file the model names (``file = "..."`` on a node label or a
relationship type) an ``InputSpec`` says which columns it has, which are
required, what identifies a row (for duplicate detection), and which columns
refer to other nodes, through which relationship. Nothing here is written per
file by hand: a new file in ``schema.toml`` gets a spec for free.

>>> spec = SPECS["shareholdings.csv"]
>>> spec.target, spec.required
('SHAREHOLDER_OF', ('holder_id', 'uscc', 'holder_type', 'share_pct'))
>>> [(r.column, r.labels, r.label_from) for r in spec.references]
[('holder_id', ('Person', 'Enterprise'), 'holder_type'), ('uscc', ('Enterprise',), None)]
"""

from __future__ import annotations

from dataclasses import dataclass

from credgraph.graph.model import MODEL, Model, Property
from credgraph.graph.types import PropertyType

# Entity files before the records that point at them, relation files last.
FILE_ORDER = [
    "agencies.csv", "enterprises.csv", "persons.csv", "projects.csv", "penalties.csv", "list_entries.csv",
    "legal_reps.csv", "officers.csv", "shareholdings.csv", "guarantees.csv", "bids.csv",
]


@dataclass(frozen=True)
class Reference:
    """A column naming another node, and the relationship the row makes to it.

    ``labels`` are the labels the node may have; where there are several,
    ``label_from`` is the column whose value (``person``, ``enterprise``) picks
    one. ``creates`` marks contact points (Address, Phone, Email): the loader
    makes those nodes instead of requiring them. ``end`` is the end of
    ``rel_type`` the referenced node sits at.
    """

    column: str
    labels: tuple[str, ...]
    rel_type: str
    end: str
    label_from: str | None = None
    creates: bool = False
    column_type: PropertyType | None = None  # the column's own type, where it is a declared property


@dataclass(frozen=True)
class InputSpec:
    """One input file: its target, columns, required columns, identity and references."""

    file: str
    kind: str  # "node" or "relationship"
    target: str  # a node label or a relationship type
    properties: dict[str, Property]
    required: tuple[str, ...]
    references: tuple[Reference, ...]
    columns: frozenset[str] = frozenset()  # every column the contract declares for the file

    def __post_init__(self) -> None:
        declared = frozenset(self.properties) | {r.column for r in self.references}
        object.__setattr__(self, "columns", declared)


def _node_spec(model: Model, label: str) -> InputSpec:
    node = model.nodes[label]
    refs = []
    for prop in node.properties.values():
        if not prop.relation:
            continue
        rel = model.relationships[prop.relation]
        end, labels = ("dst", rel.to_labels) if label in rel.from_labels else ("src", rel.from_labels)
        creates = all(model.nodes[other].file is None for other in labels)
        refs.append(Reference(prop.name, labels, rel.type, end, prop.label_from, creates, prop.type))
    required = tuple(p.name for p in node.properties.values() if p.required and not p.derived)
    inputs = {name: p for name, p in node.properties.items() if not p.derived}
    return InputSpec(node.file or "", "node", label, inputs, required, tuple(refs))


def _relationship_spec(model: Model, rel_type: str) -> InputSpec:
    rel = model.relationships[rel_type]
    src_column, dst_column = rel.ends
    refs = (
        Reference(src_column, rel.from_labels, rel_type, "src", rel.from_type if len(rel.from_labels) > 1 else None),
        Reference(dst_column, rel.to_labels, rel_type, "dst"),
    )
    required = (src_column, dst_column, *(p.name for p in rel.properties.values() if p.required))
    return InputSpec(rel.file or "", "relationship", rel_type, dict(rel.properties), required, refs)


def build_specs(model: Model = MODEL) -> dict[str, InputSpec]:
    """A spec for every file the model names, in loading order."""
    specs = {n.file: _node_spec(model, n.label) for n in model.nodes.values() if n.file}
    specs |= {r.file: _relationship_spec(model, r.type) for r in model.relationships.values() if r.file}
    return {name: specs[name] for name in FILE_ORDER if name in specs}


SPECS = build_specs()

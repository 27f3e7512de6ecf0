"""The graph model, read once from ``schema.toml``.

Everything that needs to know what a node or a relationship is (stores,
loaders, the generated Cypher schema, the docs) asks ``MODEL``:

>>> MODEL.node("Enterprise").key
'uscc'
>>> MODEL.relationship("SHAREHOLDER_OF").from_labels
('Person', 'Enterprise')
>>> MODEL.node("Enterprise").properties["reg_date"].type.name
'date'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Mapping

from credgraph.graph.errors import ModelError
from credgraph.graph.types import TYPES, PropertyType, enum_type


@dataclass(frozen=True)
class Property:
    """One declared property of a node label or relationship type."""

    name: str
    type: PropertyType
    required: bool = False
    default: Any = None
    derived: bool = False
    relation: str | None = None
    label_from: str | None = None  # for a relation to several labels: the column that picks one
    doc: str = ""


@dataclass(frozen=True)
class NodeType:
    """A node label: its key property, properties and validity fields."""

    label: str
    key: str
    description: str
    properties: Mapping[str, Property]
    file: str | None = None
    search: tuple[str, ...] = ()
    valid_from: str | None = None
    valid_to: str | None = None


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type: allowed end labels, identifying key, properties."""

    type: str
    description: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    key: tuple[str, ...]
    properties: Mapping[str, Property]
    file: str | None = None
    source: str | None = None  # where relationships without an input file come from
    ends: tuple[str, ...] = ()
    from_type: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None


@dataclass(frozen=True)
class Model:
    """All node labels, relationship types, score and provenance fields."""

    nodes: Mapping[str, NodeType]
    relationships: Mapping[str, RelationshipType]
    scores: Mapping[str, Property]
    provenance: Mapping[str, Property]
    enums: Mapping[str, PropertyType] = field(default_factory=dict)
    link_properties: Mapping[str, Property] = field(default_factory=dict)

    def node(self, label: str) -> NodeType:
        """The node type called ``label``; ``ModelError`` if there is none."""
        try:
            return self.nodes[label]
        except KeyError:
            raise ModelError(
                f"unknown node label {label!r}; known: {', '.join(self.nodes)}"
            ) from None

    def relationship(self, rel_type: str) -> RelationshipType:
        """The relationship type called ``rel_type``; ``ModelError`` if none."""
        try:
            return self.relationships[rel_type]
        except KeyError:
            raise ModelError(
                f"unknown relationship type {rel_type!r}; known: {', '.join(self.relationships)}"
            ) from None

    def check_rel_types(self, rel_types: Any) -> tuple[str, ...] | None:
        """Validate an optional collection of relationship type names."""
        if rel_types is None:
            return None
        return tuple(self.relationship(t).type for t in rel_types)

    def check_labels(self, labels: Any) -> tuple[str, ...] | None:
        """Validate an optional collection of node labels."""
        if labels is None:
            return None
        return tuple(self.node(label).label for label in labels)


def _property(name: str, spec: Mapping[str, Any], types: Mapping[str, PropertyType]) -> Property:
    type_name = spec["type"]
    if type_name not in types:
        raise ModelError(f"property {name!r} has unknown type {type_name!r}")
    return Property(
        name=name,
        type=types[type_name],
        required=spec.get("required", False),
        default=spec.get("default"),
        derived=spec.get("derived", False),
        relation=spec.get("relation"),
        label_from=spec.get("label_from"),
        doc=spec.get("doc", ""),
    )


def _properties(specs: Mapping[str, Any], types: Mapping[str, PropertyType]) -> dict[str, Property]:
    return {name: _property(name, spec, types) for name, spec in specs.items()}


def build_model(declaration: Mapping[str, Any]) -> Model:
    """Build and cross-check a ``Model`` from a parsed schema declaration."""
    enums = {
        name: enum_type(name, spec["values"], spec.get("aliases", {}))
        for name, spec in declaration.get("enums", {}).items()
    }
    types = {**TYPES, **enums}
    nodes = {
        label: NodeType(
            label=label,
            key=spec["key"],
            description=spec["description"],
            properties=_properties(spec["properties"], types),
            file=spec.get("file"),
            search=tuple(spec.get("search", ())),
            valid_from=spec.get("valid_from"),
            valid_to=spec.get("valid_to"),
        )
        for label, spec in declaration["nodes"].items()
    }
    rels = {
        name: RelationshipType(
            type=name,
            description=spec["description"],
            from_labels=tuple(spec["from"]),
            to_labels=tuple(spec["to"]),
            key=tuple(spec.get("key", ())),
            properties=_properties(spec.get("properties", {}), types),
            file=spec.get("file"),
            source=spec.get("source"),
            ends=tuple(spec.get("ends", ())),
            from_type=spec.get("from_type"),
            valid_from=spec.get("valid_from"),
            valid_to=spec.get("valid_to"),
        )
        for name, spec in declaration["relationships"].items()
    }
    model = Model(
        nodes=nodes,
        relationships=rels,
        scores=_properties(declaration.get("scores", {}), types),
        provenance=_properties(declaration.get("provenance", {}), types),
        enums=enums,
        link_properties=_properties(declaration.get("link_properties", {}), types),
    )
    _check(model)
    return model


def _check(model: Model) -> None:
    """Fail loudly on a declaration that contradicts itself."""
    for node in model.nodes.values():
        fields = [node.key, *node.search, node.valid_from, node.valid_to]
        for name in filter(None, fields):
            if name not in node.properties:
                raise ModelError(f"{node.label} names undeclared property {name!r}")
        for prop in node.properties.values():
            if prop.relation:
                rel = model.relationship(prop.relation)
                others = rel.to_labels if node.label in rel.from_labels else rel.from_labels
                if len(others) > 1 and prop.label_from not in node.properties:
                    raise ModelError(f"{node.label}.{prop.name} needs label_from to pick one of {others}")
    for rel in model.relationships.values():
        for label in rel.from_labels + rel.to_labels:
            model.node(label)
        if len(rel.to_labels) != 1:
            raise ModelError(f"{rel.type} must point at exactly one label")
        if len(rel.from_labels) > 1 and rel.file and rel.from_type not in rel.properties:
            raise ModelError(f"{rel.type} needs from_type to pick one of {rel.from_labels}")
        for name in filter(None, [*rel.key, rel.valid_from, rel.valid_to]):
            if name not in rel.properties:
                raise ModelError(f"{rel.type} names undeclared property {name!r}")
    reserved = set(model.scores) | set(model.provenance) | {"valid_from", "valid_to", "rkey"}
    items: list[NodeType | RelationshipType] = [*model.nodes.values(), *model.relationships.values()]
    for item in items:
        clash = reserved & set(item.properties)
        if clash:
            raise ModelError(f"reserved property names declared on a type: {sorted(clash)}")


def load_model() -> Model:
    """Read the packaged ``schema.toml``."""
    text = files("credgraph.graph").joinpath("schema.toml").read_text(encoding="utf-8")
    return build_model(tomllib.loads(text))


MODEL = load_model()

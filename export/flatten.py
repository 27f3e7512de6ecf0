"""The package's nodes and edges as flat records: every writer reads these, never the store.

Writers only ever see ``PackageGraph``: ids already pseudonymous where person
IDs are masked, every string scrubbed, so no format can leak what another
hides. In a masked package a person's ``birth_date`` is left out as well: the
masked ID shows the first four and last four characters, and the birth date
fills eight of the ten hidden ones.

Values are typed by the model: amounts and shares are floats, flags booleans,
dates ``datetime.date`` (each writer turns them into what its format holds).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from credgraph.export.identities import Identities
from credgraph.export.selection import Contents
from credgraph.graph.links import link_grade
from credgraph.graph.model import Model
from credgraph.graph.records import Node, Relationship

NODE_COLUMNS = ("id", "type", "label", "key")
EDGE_COLUMNS = ("id", "type", "source", "target", "source_type", "target_type")
PROVENANCE = ("load_id", "source_file", "source_line", "loaded_at", "load_ids")
FLOAT_TYPES = ("amount", "float", "share_pct")
WITHHELD_WHEN_MASKED = {"Person": ("birth_date",)}


@dataclass(frozen=True)
class ExportNode:
    """One node as every file of the package shows it."""

    id: str
    type: str
    label: str
    key: str
    props: dict[str, Any]
    scores: dict[str, Any]
    provenance: dict[str, Any]

    def row(self) -> dict[str, Any]:
        """Fixed columns, properties, scores and provenance in one mapping."""
        return {"id": self.id, "type": self.type, "label": self.label, "key": self.key,
                **self.props, **self.scores, **self.provenance}


@dataclass(frozen=True)
class ExportEdge:
    """One relationship as every file of the package shows it."""

    id: str
    type: str
    source: str
    target: str
    source_type: str
    target_type: str
    props: dict[str, Any]
    provenance: dict[str, Any]

    def row(self) -> dict[str, Any]:
        """Fixed columns, properties and provenance in one mapping."""
        return {"id": self.id, "type": self.type, "source": self.source, "target": self.target,
                "source_type": self.source_type, "target_type": self.target_type,
                **self.props, **self.provenance}


@dataclass
class PackageGraph:
    """The nodes and edges of a package, sorted by id, and the load ids they come from."""

    nodes: list[ExportNode] = field(default_factory=list)
    edges: list[ExportEdge] = field(default_factory=list)
    load_ids: list[str] = field(default_factory=list)
    score_run_ids: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and edges per type."""
        return {"nodes": dict(sorted(Counter(n.type for n in self.nodes).items())),
                "edges": dict(sorted(Counter(e.type for e in self.edges).items()))}

    def node_columns(self, label: str | None, model: Model) -> list[str]:
        """Columns of the node table (all labels, or one): fixed, declared, extra, scores, provenance."""
        nodes = [n for n in self.nodes if label is None or n.type == label]
        labels = [label] if label else list(model.nodes)
        declared = [p for lab in labels for p in model.nodes[lab].properties]
        seen = {k for n in nodes for k in n.props}
        return _columns(NODE_COLUMNS, declared, seen, [s for s in model.scores if any(s in n.scores for n in nodes)])

    def edge_columns(self, rel_type: str | None, model: Model) -> list[str]:
        """Columns of the edge table (all types, or one)."""
        edges = [e for e in self.edges if rel_type is None or e.type == rel_type]
        types = [rel_type] if rel_type else list(model.relationships)
        declared = [p for t in types for p in model.relationships[t].properties]
        return _columns(EDGE_COLUMNS, declared, {k for e in edges for k in e.props}, [])


def _columns(fixed: tuple[str, ...], declared: list[str], seen: set[str], scores: list[str]) -> list[str]:
    ordered = [p for p in dict.fromkeys(declared) if p in seen]
    extra = sorted(seen - set(ordered))
    return [*fixed, *ordered, *extra, *scores, *PROVENANCE]


def _typed(owner_props: Any, name: str, value: Any) -> Any:
    prop = owner_props.get(name)
    if prop is None or value is None:
        return value
    if prop.type.name in FLOAT_TYPES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if prop.type.name == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _props(declared: Any, props: Any, ids: Identities, reserved: tuple[str, ...],
           withheld: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in props.items():
        if value is None or name in withheld:
            continue
        column = f"prop.{name}" if name in reserved or name in PROVENANCE else name
        out[ids.scrub_text(column)] = ids.scrub(_typed(declared, name, value))
    return out


def _load_ids(provenance: Any) -> list[str]:
    if not provenance:
        return []
    return [str(x) for x in (provenance.get("load_ids") or [provenance.get("load_id")]) if x]


def _provenance(provenance: Any) -> dict[str, Any]:
    return {k: provenance[k] for k in PROVENANCE if provenance.get(k) is not None}


def display_label(node: Node, shown_key: str) -> str:
    """What a graph viewer shows on a node: its name, or what the record is."""
    props = node.props
    if props.get("name"):
        return str(props["name"])
    if node.label == "Penalty":
        return " ".join(str(props.get(k, "")) for k in ("category", "kind", "decision_date")).strip() or shown_key
    if node.label == "ListEntry":
        return " ".join(str(props.get(k, "")) for k in ("list", "listed_date")).strip() or shown_key
    return shown_key


def flatten(contents: Contents, ids: Identities, model: Model) -> PackageGraph:
    """The package graph of ``contents``, with ids and text as ``ids`` shows them."""
    ids.add_people(key for label, key in contents.nodes if label == "Person")
    graph = PackageGraph()
    loads: set[str] = set()
    runs: set[str] = set()
    for (label, key), node in sorted(contents.nodes.items()):
        shown = ids.shown_key(label, key)
        withheld = WITHHELD_WHEN_MASKED.get(label, ()) if ids.masked else ()
        declared = model.nodes[label].properties
        props = _props(declared, node.props, ids, NODE_COLUMNS, withheld)
        if label == "Person" and "person_id" in props:
            props["person_id"] = shown
        graph.nodes.append(ExportNode(
            id=f"{label}:{shown}", type=label, label=ids.scrub_text(display_label(node, shown)), key=shown,
            props=props, scores={k: v for k, v in node.scores.items() if v is not None and k in model.scores},
            provenance=_provenance(node.provenance),
        ))
        loads.update(_load_ids(node.provenance))
        if node.scores.get("score_run_id"):
            runs.add(str(node.scores["score_run_id"]))
    for _, rel in sorted(contents.relationships.items()):
        graph.edges.append(edge(rel, ids, model))
        loads.update(_load_ids(rel.provenance))
    graph.nodes.sort(key=lambda n: n.id)
    graph.edges.sort(key=lambda e: e.id)
    graph.load_ids = sorted(x for x in loads if x)
    graph.score_run_ids = sorted(runs)
    return graph


def edge(rel: Relationship, ids: Identities, model: Model) -> ExportEdge:
    """One relationship as the package shows it; its id is ``source-[TYPE]->target`` plus ``@rkey``."""
    source, target = ids.node_id(rel.src_label, rel.src), ids.node_id(rel.dst_label, rel.dst)
    rkey = ids.scrub_text(rel.rkey)
    declared = model.relationships[rel.type].properties
    return ExportEdge(
        id=f"{source}-[{rel.type}]->{target}" + (f"@{rkey}" if rkey else ""),
        type=rel.type, source=source, target=target, source_type=rel.src_label, target_type=rel.dst_label,
        props=_props(declared, {**rel.props, "link_grade": link_grade(rel.props)}, ids, EDGE_COLUMNS, ()),
        provenance=_provenance(rel.provenance),
    )


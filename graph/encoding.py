"""Turning rows into what stores write, and stored values back into rows.

Both stores share this so that the same input gives the same node key,
relationship key (``rkey``), validity interval and content hash everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import orjson
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from credgraph.graph.errors import ModelError
from credgraph.graph.model import NodeType, Property, RelationshipType
from credgraph.graph.records import Node, NodeRow, RelRow


def props_json(props: Mapping[str, Any]) -> str:
    """Canonical JSON of a property map: sorted keys, no null values, ISO dates.

    >>> props_json({"b": 1, "a": dt.date(2020, 1, 2), "c": None, "d": "张"})
    '{"a":"2020-01-02","b":1,"d":"张"}'
    """
    kept = {k: v for k, v in props.items() if v is not None}
    return _dumps(kept)


def _dumps(kept: dict[str, Any]) -> str:
    return orjson.dumps(kept, option=orjson.OPT_SORT_KEYS).decode()


def content_hash(text: str) -> str:
    """A short digest of canonical JSON, to tell a changed row from a repeat."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass(frozen=True, slots=True)
class EncodedNode:
    """A node row ready for a store."""

    key: str
    props: dict[str, Any]
    json: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    line: int | None


@dataclass(frozen=True, slots=True)
class EncodedRel:
    """A relationship row ready for a store."""

    src_label: str
    src: str
    dst_label: str
    dst: str
    rkey: str
    props: dict[str, Any]
    json: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    line: int | None


def encode_node(node_type: NodeType, row: NodeRow) -> EncodedNode:
    """Check the key of a node row and compute its stored form."""
    props = {k: v for k, v in row.props.items() if v is not None}
    key = props.get(node_type.key)
    if not isinstance(key, str) or not key:
        raise ModelError(f"{node_type.label} row without its key {node_type.key!r}")
    return EncodedNode(
        key=key,
        props=props,
        json=_dumps(props),
        valid_from=props.get(node_type.valid_from) if node_type.valid_from else None,
        valid_to=props.get(node_type.valid_to) if node_type.valid_to else None,
        line=row.line,
    )


def _end_label(given: str | None, allowed: tuple[str, ...], rel: str, end: str) -> str:
    if given is None:
        if len(allowed) > 1:
            raise ModelError(f"{rel} row needs {end}_label, one of {', '.join(allowed)}")
        return allowed[0]
    if given not in allowed:
        raise ModelError(f"{rel} cannot have {end} label {given!r}; allowed: {', '.join(allowed)}")
    return given


def relationship_key(rel_type: RelationshipType, props: Mapping[str, Any]) -> str:
    """The ``rkey`` that tells apart relationships of one type between one pair."""
    parts = [props.get(name) for name in rel_type.key]
    rkey = "|".join("" if value is None else str(value) for value in parts) if parts else ""
    # A relationship made by resolving a mention is that mention's own: it never
    # merges with a keyed one between the same ends, and goes when the link goes.
    via = props.get("via_mention")
    return f"{rkey}#{via}" if via else rkey


def encode_relationship(rel_type: RelationshipType, row: RelRow) -> EncodedRel:
    """Check the ends of a relationship row and compute its stored form."""
    if not row.src or not row.dst:
        raise ModelError(f"{rel_type.type} row without both ends")
    props = {k: v for k, v in row.props.items() if v is not None}
    return EncodedRel(
        src_label=_end_label(row.src_label, rel_type.from_labels, rel_type.type, "src"),
        src=row.src,
        dst_label=rel_type.to_labels[0],
        dst=row.dst,
        rkey=relationship_key(rel_type, props),
        props=props,
        json=_dumps(props),
        valid_from=props.get(rel_type.valid_from) if rel_type.valid_from else None,
        valid_to=props.get(rel_type.valid_to) if rel_type.valid_to else None,
        line=row.line,
    )


Decoder = Callable[[Property], Callable[[Any], Any]]


def decode_props(
    raw: Mapping[str, Any], declared: Mapping[str, Property], convert: Decoder
) -> dict[str, Any]:
    """Typed values for declared properties; undeclared ones stay as stored."""
    out: dict[str, Any] = {}
    for name, value in raw.items():
        prop = declared.get(name)
        out[name] = convert(prop)(value) if prop is not None and value is not None else value
    return out


def in_force(valid_from: Any, valid_to: Any, as_of: dt.date | None) -> bool:
    """Whether a half-open interval [valid_from, valid_to) contains ``as_of``."""
    if as_of is None:
        return True
    return (valid_from is None or valid_from <= as_of) and (valid_to is None or as_of < valid_to)


def node_in_force(node: Node, node_type: NodeType, as_of: dt.date | None) -> bool:
    """Whether a node exists on ``as_of`` by its declared validity fields."""
    start = node.props.get(node_type.valid_from) if node_type.valid_from else None
    end = node.props.get(node_type.valid_to) if node_type.valid_to else None
    return in_force(start, end, as_of)

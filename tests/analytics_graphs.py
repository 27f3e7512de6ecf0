"""Small hand-drawn projections and config overrides for the analytics tests."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from typing import Any

from credgraph.analytics.config import DEFAULT_PATH, AnalyticsConfig, build_config
from credgraph.graph.projection import Projection
from credgraph.graph.records import Node, Relationship

D = dt.date
AS_OF = D(2024, 6, 30)
LABEL_OF = {"p": "Person", "e": "Enterprise", "t": "Phone", "a": "Address", "j": "Project"}


def label_of(key: str) -> str:
    """Person for p..., Enterprise for e..., Phone for t..., Address for a..., Project for j..."""
    return LABEL_OF[key[0]]


def graph(rels: list[tuple[str, str, str, dict[str, Any]]],
          records: list[tuple[str, str, dict[str, Any]]] = (),  # type: ignore[assignment]
          extra_nodes: list[str] = ()) -> Projection:  # type: ignore[assignment]
    """A projection from ``(type, src, dst, props)`` links and ``(subject, record_id, props)`` records.

    A record with ``list`` in its props is a ListEntry, else a Penalty.
    """
    keys = list(dict.fromkeys([k for _, a, b, _ in rels for k in (a, b)] + [s for s, _, _ in records] + list(extra_nodes)))
    nodes = [Node(label_of(k), k, {}) for k in keys]
    relationships = [Relationship(t, label_of(a), a, label_of(b), b, "", props) for t, a, b, props in rels]
    for subject, record_id, props in records:
        label = "ListEntry" if "list" in props else "Penalty"
        nodes.append(Node(label, record_id, props))
        link = "HAS_LIST_ENTRY" if label == "ListEntry" else "HAS_PENALTY"
        relationships.append(Relationship(link, label_of(subject), subject, label, record_id, "", {}))
    return Projection.build(nodes, relationships)


def penalty(category: str = "tax", kind: str = "fine", decided: dt.date = AS_OF, **more: Any) -> dict[str, Any]:
    """Penalty properties."""
    return {"category": category, "kind": kind, "decision_date": decided, **more}


def listing(name: str = "dishonest_debtor", listed: dt.date = D(2023, 1, 1), removed: dt.date | None = None) -> dict[str, Any]:
    """List entry properties."""
    return {"list": name, "listed_date": listed, "removed_date": removed}


def defaults() -> dict[str, Any]:
    """The default configuration as a mapping."""
    with DEFAULT_PATH.open("rb") as handle:
        return tomllib.load(handle)


def config_with(changes: dict[str, Any]) -> AnalyticsConfig:
    """The defaults with nested ``changes`` applied."""
    data = copy.deepcopy(defaults())

    def lay(base: dict[str, Any], over: dict[str, Any]) -> None:
        for key, value in over.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                lay(base[key], value)
            else:
                base[key] = value

    lay(data, changes)
    return build_config(data)

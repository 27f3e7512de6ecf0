"""Small helpers shared by the analyses: dates, node keys, subject types.

>>> resolve_as_of(dt.date(2024, 6, 30))
datetime.date(2024, 6, 30)
>>> subject_type("Enterprise"), subject_type("Person")
('enterprise', 'person')
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from credgraph.graph.projection import Projection

SUBJECT_TYPES = {"Enterprise": "enterprise", "Person": "person"}


def resolve_as_of(as_of: dt.date | None) -> dt.date:
    """``as_of``, or today when it is ``None``."""
    return as_of if as_of is not None else dt.date.today()


def subject_type(label: str) -> str:
    """The contract's subject_type for a node label (``enterprise``, ``person``, else the label in lower case)."""
    return SUBJECT_TYPES.get(label, label.lower())


def node_key(projection: Projection, position: int) -> str:
    """The store key of the node at ``position`` (its id without a ``Label:`` prefix)."""
    node_id = projection.ids[position]
    label = projection.labels[position]
    prefix = f"{label}:"
    if node_id.startswith(prefix) and projection.index.get(node_id) == position:
        key = node_id[len(prefix):]
        if projection._by_label_key.get((label, key)) == position:
            return key
    return node_id


def as_date(value: Any) -> dt.date | None:
    """A date from a date or an ISO string; ``None`` for empty or unreadable values."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None

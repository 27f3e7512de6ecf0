"""Small helpers shared by the analyses: dates, node keys, subject types.

>>> resolve_as_of(dt.date(2024, 6, 30))
datetime.date(2024, 6, 30)
>>> subject_type("Enterprise"), subject_type("Person")
('enterprise', 'person')
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from credgraph.graph.model import MODEL
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


def _bound(props: dict[str, Any], name: str | None) -> dt.date | None:
    return as_date(props.get(name)) if name else None


def existing_mask(projection: Projection, as_of: dt.date) -> tuple[Any, Any]:
    """Two boolean arrays over the nodes: begun on ``as_of`` (valid_from <= as_of), and in force (not ended either)."""
    import numpy as np

    begun = np.ones(projection.node_count, bool)
    ended = np.zeros(projection.node_count, bool)
    labels = np.asarray(projection.labels, dtype=object)
    for label, node_type in MODEL.nodes.items():
        if not (node_type.valid_from or node_type.valid_to):
            continue
        for i in np.flatnonzero(labels == label).tolist():
            props = projection.node_props[i]
            start, end = _bound(props, node_type.valid_from), _bound(props, node_type.valid_to)
            begun[i] = start is None or start <= as_of
            ended[i] = end is not None and end <= as_of
    return begun, begun & ~ended


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a block allocates many small containers.

    A large projection holds tens of millions of tracked dicts; every full
    collection walks all of them, so building a million small lists with the
    collector on takes seconds instead of milliseconds. The block's objects are
    freed by reference counting as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

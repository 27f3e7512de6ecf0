"""An in-memory projection of the graph: the one input of every analysis.

Analyses take a ``Projection``, never a store, so the engine behind them can
change (embedded, Neo4j, GDS) without rewriting callers. A projection holds
node ids, labels and properties in index order, and relationships as integer
arrays; it converts to ``networkx`` for small graphs and interchange, and to
``scipy.sparse`` matrices for whole-graph work.

Node ids are the keys of the model (USCC, person_id, ...). Keys are unique per
label; in the rare case that two labels share one (a penalty and a list entry
numbered alike), the label that comes later in the model gets the id
``"Label:key"``.

>>> from credgraph.graph.records import Node, Relationship
>>> p = Projection.build(
...     [Node("Person", "p1", {}), Node("Enterprise", "e1", {})],
...     [Relationship("LEGAL_REP_OF", "Person", "p1", "Enterprise", "e1", "", {})])
>>> p.adjacency().toarray().tolist()
[[0.0, 1.0], [0.0, 0.0]]
>>> sorted(p.to_networkx().edges(keys=True))
[('p1', 'e1', 'LEGAL_REP_OF')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

import networkx as nx
import numpy as np
import scipy.sparse as sp

from credgraph.graph.errors import ModelError
from credgraph.graph.records import Node, Relationship

WeightFn = Callable[[str, dict[str, Any]], float]


@dataclass
class Projection:
    """Nodes in index order and relationships as index arrays."""

    ids: list[str]
    labels: list[str]
    node_props: list[dict[str, Any]]
    src: np.ndarray
    dst: np.ndarray
    rel_types: list[str]
    rkeys: list[str]
    rel_props: list[dict[str, Any]]
    index: dict[str, int] = field(default_factory=dict)
    _by_label_key: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, nodes: Iterable[Node], relationships: Iterable[Relationship], with_props: bool = True
    ) -> Projection:
        """Collect nodes and relationships; relationships with a missing end are dropped."""
        ids: list[str] = []
        labels: list[str] = []
        node_props: list[dict[str, Any]] = []
        by_label_key: dict[tuple[str, str], int] = {}
        index: dict[str, int] = {}
        for node in nodes:
            node_id = node.key if node.key not in index else f"{node.label}:{node.key}"
            by_label_key[(node.label, node.key)] = len(ids)
            index[node_id] = len(ids)
            ids.append(node_id)
            labels.append(node.label)
            node_props.append({**node.props, **node.scores} if with_props else {})
        src: list[int] = []
        dst: list[int] = []
        rel_types: list[str] = []
        rkeys: list[str] = []
        rel_props: list[dict[str, Any]] = []
        for rel in relationships:
            a = by_label_key.get((rel.src_label, rel.src))
            b = by_label_key.get((rel.dst_label, rel.dst))
            if a is None or b is None:
                continue
            src.append(a)
            dst.append(b)
            rel_types.append(rel.type)
            rkeys.append(rel.rkey)
            rel_props.append(dict(rel.props) if with_props else {})
        return cls(
            ids=ids,
            labels=labels,
            node_props=node_props,
            src=np.asarray(src, dtype=np.int64),
            dst=np.asarray(dst, dtype=np.int64),
            rel_types=rel_types,
            rkeys=rkeys,
            rel_props=rel_props,
            index=index,
            _by_label_key=by_label_key,
        )

    @property
    def node_count(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    @property
    def relationship_count(self) -> int:
        """Number of relationships."""
        return len(self.rel_types)

    def position(self, label: str, key: str) -> int:
        """The index of the node with this label and key."""
        try:
            return self._by_label_key[(label, key)]
        except KeyError:
            raise ModelError(f"{label} {key!r} is not in the projection") from None

    def to_networkx(self) -> nx.MultiDiGraph:
        """A ``MultiDiGraph``: node attribute ``label`` plus properties; edge key
        ``TYPE`` or ``TYPE:rkey``, edge attribute ``type`` plus properties."""
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(
            (node_id, {"label": label, **props})
            for node_id, label, props in zip(self.ids, self.labels, self.node_props)
        )
        graph.add_edges_from(
            (
                self.ids[a],
                self.ids[b],
                rel_type if not rkey else f"{rel_type}:{rkey}",
                {"type": rel_type, **props},
            )
            for a, b, rel_type, rkey, props in zip(
                self.src.tolist(), self.dst.tolist(), self.rel_types, self.rkeys, self.rel_props
            )
        )
        return graph

    def relationship_mask(self, rel_types: Sequence[str] | None) -> np.ndarray:
        """A boolean mask over relationships of the given types (all if ``None``)."""
        if rel_types is None:
            return np.ones(self.relationship_count, dtype=bool)
        wanted = set(rel_types)
        return np.fromiter((t in wanted for t in self.rel_types), dtype=bool, count=self.relationship_count)

    def adjacency(
        self,
        rel_types: Sequence[str] | None = None,
        weight: WeightFn | None = None,
        undirected: bool = False,
    ) -> sp.csr_matrix:
        """A sparse matrix ``A[i, j]`` = summed weight of relationships i -> j.

        ``weight(type, props)`` gives each relationship's weight (1.0 by
        default); ``undirected=True`` adds the transpose.
        """
        mask = self.relationship_mask(rel_types)
        rows, cols = self.src[mask], self.dst[mask]
        if weight is None:
            data = np.ones(len(rows), dtype=np.float64)
        else:
            picked = np.flatnonzero(mask)
            data = np.fromiter(
                (weight(self.rel_types[i], self.rel_props[i]) for i in picked),
                dtype=np.float64,
                count=len(picked),
            )
        n = self.node_count
        matrix = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
        if undirected:
            matrix = (matrix + matrix.T).tocsr()
        matrix.sum_duplicates()
        return matrix

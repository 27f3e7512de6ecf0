"""Projections: networkx and scipy views of the same nodes and relationships."""

from __future__ import annotations

import numpy as np

from credgraph.graph.projection import Projection
from credgraph.graph.records import Node, Relationship
from credgraph.graph.store import GraphStore
from tests.sample_graph import E1, E2, E3, NODE_COUNT, P1, RELATIONSHIP_COUNT


def test_the_whole_graph_projects_every_node_and_relationship(sample_store: GraphStore) -> None:
    projection = sample_store.project()
    assert (projection.node_count, projection.relationship_count) == (NODE_COUNT, RELATIONSHIP_COUNT)
    graph = projection.to_networkx()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (NODE_COUNT, RELATIONSHIP_COUNT)


def test_adjacency_weights_come_from_relationship_properties(sample_store: GraphStore) -> None:
    projection = sample_store.project(rel_types=["SHAREHOLDER_OF"])
    matrix = projection.adjacency(weight=lambda t, props: props["share_pct"] / 100)
    assert matrix[projection.index[P1], projection.index[E2]] == 0.6
    assert matrix[projection.index[E1], projection.index[E3]] == 1.0
    assert matrix.nnz == 2


def test_undirected_adjacency_is_symmetric(sample_store: GraphStore) -> None:
    matrix = sample_store.project().adjacency(undirected=True)
    assert (matrix != matrix.T).nnz == 0


def test_a_label_filter_drops_relationships_that_leave_it(sample_store: GraphStore) -> None:
    projection = sample_store.project(labels=["Enterprise"])
    assert set(projection.rel_types) == {"SHAREHOLDER_OF", "GUARANTEES"}


def test_keys_shared_by_two_labels_stay_apart() -> None:
    projection = Projection.build([Node("Penalty", "X1", {}), Node("ListEntry", "X1", {})], [])
    assert projection.ids == ["X1", "ListEntry:X1"]
    assert projection.position("ListEntry", "X1") == 1


def test_parallel_relationships_sum_in_the_adjacency() -> None:
    nodes = [Node("Enterprise", "a", {}), Node("Enterprise", "b", {})]
    rels = [Relationship("GUARANTEES", "Enterprise", "a", "Enterprise", "b", k, {}) for k in ("2020", "2021")]
    projection = Projection.build(nodes, rels)
    assert np.array_equal(projection.adjacency().toarray(), [[0.0, 2.0], [0.0, 0.0]])
    assert projection.to_networkx().number_of_edges("a", "b") == 2

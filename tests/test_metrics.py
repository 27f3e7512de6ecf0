"""Graph metrics: groups, communities, PageRank, betweenness, and their write-back."""

from __future__ import annotations

import networkx as nx
import pytest

from credgraph.analytics.jobs import run_all_analyses, run_metrics
from credgraph.analytics.metrics import betweenness, communities, connected_groups, pagerank
from credgraph.graph.store import GraphStore
from tests.analytics_graphs import AS_OF, graph
from tests.sample_graph import E1, E2, E3, P1, P2

RING = "GUARANTEES"


def two_triangles_and_a_bridge():
    edges = [("e0", "e1"), ("e1", "e2"), ("e2", "e0"), ("e3", "e4"), ("e4", "e5"), ("e5", "e3"), ("e2", "e3")]
    return graph([(RING, a, b, {}) for a, b in edges], extra_nodes=["e9"])


def test_groups_are_numbered_by_size_then_smallest_id() -> None:
    projection = graph([("LEGAL_REP_OF", "p1", "e1", {}), ("LEGAL_REP_OF", "p1", "e2", {}), ("GUARANTEES", "e3", "e4", {})],
                       extra_nodes=["e0"])
    assert connected_groups(projection) == {"p1": 1, "e1": 1, "e2": 1, "e3": 2, "e4": 2, "e0": 3}


def test_contact_points_do_not_join_groups_by_default() -> None:
    projection = graph([("HAS_PHONE", "e1", "t1", {}), ("HAS_PHONE", "e2", "t1", {})])
    assert connected_groups(projection) == {"e1": 1, "e2": 2}
    assert connected_groups(projection, ["HAS_PHONE"]) == {"e1": 1, "e2": 2}  # the phone is no subject


def test_leiden_finds_the_two_triangles_deterministically() -> None:
    projection = two_triangles_and_a_bridge()
    found = communities(projection)
    assert found["e0"] == found["e1"] == found["e2"] != found["e3"] == found["e4"] == found["e5"]
    assert found == communities(projection) and found["e9"] == 3
    finer = communities(projection, resolution=8.0)
    assert len(set(finer.values())) > len(set(found.values()))


def test_pagerank_averages_one_and_favours_hubs() -> None:
    projection = graph([("LEGAL_REP_OF", "p1", f"e{i}", {}) for i in range(5)])
    ranks = pagerank(projection)
    assert sum(ranks.values()) == pytest.approx(len(ranks))
    assert max(ranks, key=ranks.get) == "p1"


def test_betweenness_is_exact_on_small_graphs_and_sampled_on_large_ones() -> None:
    projection = two_triangles_and_a_bridge()
    exact = betweenness(projection)
    reference = nx.betweenness_centrality(nx.Graph([("e0", "e1"), ("e1", "e2"), ("e2", "e0"), ("e3", "e4"), ("e4", "e5"),
                                                    ("e5", "e3"), ("e2", "e3"), ("e9", "e9")]), normalized=True)
    assert exact == pytest.approx(reference)
    line = graph([(RING, f"e{i}", f"e{i + 1}", {}) for i in range(60)])
    sampled = betweenness(line, exact_max_nodes=10, samples=30)
    assert sampled == betweenness(line, exact_max_nodes=10, samples=30)
    exact_line = betweenness(line)
    assert sampled["e30"] == pytest.approx(exact_line["e30"], rel=0.25)
    assert max(sampled, key=sampled.get) in {f"e{i}" for i in range(25, 36)}


def test_metrics_job_writes_scores_back(sample_store: GraphStore) -> None:
    job = run_metrics(sample_store, AS_OF, user="tester")
    groups = job.metrics.component
    assert groups[P2] == groups[E1] == groups[E3] and groups[P1] == groups[E2] == groups[E3]
    scores = sample_store.get_node("Enterprise", E1).scores
    assert scores["component"] == groups[E1] and scores["score_run_id"] == job.run_id
    assert {"community", "pagerank", "betweenness"} <= set(scores)
    assert sample_store.runs("metrics")[0].params["seed"] == 42


def test_run_all_analyses_summarises_risk_and_metrics(sample_store: GraphStore) -> None:
    summary = run_all_analyses(sample_store, AS_OF, user="demo", top=3)
    assert summary.subjects == 6 and sum(summary.grades.values()) == 6  # 旧公司 (E4) ended in 2020
    assert summary.riskiest[0]["subject_id"] == E3 and summary.riskiest[0]["name"] == "深圳壳一贸易有限公司"
    assert summary.groups >= 1 and summary.as_dict()["as_of"] == "2024-06-30"

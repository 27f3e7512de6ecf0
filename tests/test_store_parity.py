"""The embedded store and Neo4j hold and return the same graph.

The same graphs (the hand-drawn sample and a seeded random one) go into both
stores; counts, neighbourhoods of sampled subjects at depth 1 to 3 with and
without an as-of date, and networkx projections must be equal, and each
neighbourhood must equal networkx's ego graph of the projection.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import networkx as nx
import pytest

from credgraph.graph.identifiers import resident_id_check_char, uscc_check_char
from credgraph.graph.records import NodeRow, Origin, RelRow
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from tests.conftest import empty_neo4j_store
from tests.sample_graph import load_sample

pytestmark = pytest.mark.neo4j

AS_OF = [None, dt.date(2019, 1, 1), dt.date(2023, 6, 30)]
ORIGIN = Origin("load-random", "random", "2024-01-01T00:00:00+00:00")


def _day(rng: random.Random) -> dt.date:
    return dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 12 * 365))


def _interval(rng: random.Random) -> dict[str, dt.date]:
    start = _day(rng)
    out = {"start_date": start} if rng.random() < 0.8 else {}
    if rng.random() < 0.3:
        out["end_date"] = start + dt.timedelta(days=rng.randrange(30, 2000))
    return out


def load_random_graph(store: GraphStore, seed: int, firms: int = 120, people: int = 80) -> None:
    """A seeded random graph touching every relationship type with dates."""
    rng = random.Random(seed)
    usccs = [b + uscc_check_char(b) for b in (f"91440300MA{i:07d}" for i in range(firms))]
    pids = [b + resident_id_check_char(b) for b in (f"440106198{i % 10}0101{i:03d}" for i in range(people))]
    store.upsert_nodes("Enterprise", [
        NodeRow({"uscc": u, "name": f"测试{i}号有限公司", "reg_date": _day(rng),
                 **({"end_date": dt.date(2022, 1, 1)} if i % 17 == 0 else {})})
        for i, u in enumerate(usccs)
    ], ORIGIN)
    store.upsert_nodes("Person", [NodeRow({"person_id": p, "name": f"人{i}"}) for i, p in enumerate(pids)], ORIGIN)
    phones = [f"1380000{i:04d}" for i in range(15)]
    store.upsert_nodes("Phone", [NodeRow({"phone": p}) for p in phones], ORIGIN)
    pairs = lambda srcs, dsts, n: {(rng.choice(srcs), rng.choice(dsts)) for _ in range(n)}  # noqa: E731
    store.upsert_relationships("LEGAL_REP_OF", [RelRow(p, u, _interval(rng)) for p, u in pairs(pids, usccs, 130)], ORIGIN)
    store.upsert_relationships("OFFICER_OF", [
        RelRow(p, u, {"role": rng.choice(["director", "supervisor", "manager"]), **_interval(rng)})
        for p, u in pairs(pids, usccs, 150)
    ], ORIGIN)
    store.upsert_relationships("SHAREHOLDER_OF", [
        RelRow(a, b, {"holder_type": "enterprise", "share_pct": rng.choice([10.0, 35.5, 51.0, 100.0]), **_interval(rng)},
               src_label="Enterprise")
        for a, b in pairs(usccs, usccs, 100) if a != b
    ], ORIGIN)
    store.upsert_relationships("GUARANTEES", [
        RelRow(a, b, {"amount": 100.0, **_interval(rng)}) for a, b in pairs(usccs, usccs, 60) if a != b
    ], ORIGIN)
    store.upsert_relationships("HAS_PHONE", [RelRow(u, p) for u, p in pairs(usccs, phones, 90)], ORIGIN)


@pytest.fixture(scope="module", params=["sample", "random-7", "random-8"])
def both_stores(request, neo4j_credentials, tmp_path_factory) -> Iterator[tuple[GraphStore, GraphStore]]:
    """The same graph in a fresh embedded store and a wiped Neo4j, shared by this module's tests."""
    embedded = SqliteStore(tmp_path_factory.mktemp("parity") / "parity.db")
    embedded.ensure_schema()
    neo4j = empty_neo4j_store(neo4j_credentials)
    for store in (embedded, neo4j):
        if request.param == "sample":
            load_sample(store)
        else:
            load_random_graph(store, seed=int(request.param.split("-")[1]))
    yield embedded, neo4j
    embedded.close()
    neo4j.close()


def _sampled_keys(store: GraphStore, n: int = 8) -> list[str]:
    keys = sorted(node.key for node in store.iter_nodes(["Enterprise", "Person"]))
    return random.Random(3).sample(keys, min(n, len(keys)))


def _neighbourhood_signature(store: GraphStore, key: str, depth: int, as_of: dt.date | None):
    sub = store.neighbourhood(key, depth, as_of=as_of)
    nodes = sorted((n.label, n.key, sorted(n.props.items())) for n in sub.nodes)
    rels = sorted((r.type, r.src, r.dst, r.rkey, sorted(r.props.items())) for r in sub.relationships)
    return nodes, rels, dict(sub.depth)


def _graph_signature(graph: nx.MultiDiGraph):
    nodes = sorted((n, sorted(attrs.items())) for n, attrs in graph.nodes(data=True))
    edges = sorted((a, b, k, sorted(attrs.items())) for a, b, k, attrs in graph.edges(keys=True, data=True))
    return nodes, edges


def test_both_stores_count_the_same(both_stores) -> None:
    embedded, neo4j = both_stores
    assert embedded.counts() == neo4j.counts()


@pytest.mark.parametrize("as_of", AS_OF)
def test_both_stores_project_the_same_networkx_graph(both_stores, as_of) -> None:
    embedded, neo4j = both_stores
    assert _graph_signature(embedded.project(as_of=as_of).to_networkx()) == _graph_signature(
        neo4j.project(as_of=as_of).to_networkx()
    )


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("as_of", AS_OF)
def test_both_stores_return_the_same_neighbourhoods(both_stores, depth, as_of) -> None:
    embedded, neo4j = both_stores
    for key in _sampled_keys(embedded):
        if not any(n.key == key for n in embedded.iter_nodes(as_of=as_of)):
            continue
        assert _neighbourhood_signature(embedded, key, depth, as_of) == _neighbourhood_signature(
            neo4j, key, depth, as_of
        ), f"neighbourhood of {key} at depth {depth} as of {as_of}"


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_a_neighbourhood_is_the_ego_graph_of_the_projection(both_stores, depth) -> None:
    embedded, _ = both_stores
    as_of = dt.date(2023, 6, 30)
    graph = embedded.project(as_of=as_of).to_networkx()
    for key in _sampled_keys(embedded):
        if key not in graph:
            continue
        ego = nx.ego_graph(graph, key, radius=depth, undirected=True)
        sub = embedded.neighbourhood(key, depth, as_of=as_of)
        assert {n.key for n in sub.nodes} == set(ego.nodes)
        assert len(sub.relationships) == ego.number_of_edges()

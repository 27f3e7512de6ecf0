"""Write throughput of both stores, and batched UNWIND against one row per transaction.

Writes N enterprises and M relationships (guarantees and shareholdings between
them, with dates) into a fresh embedded store and a fresh Neo4j database,
REPEAT times each, and prints the median rows/s. Then, on the same first K
rows, times Neo4j's naive one-MERGE-per-transaction against the batched
``UNWIND`` the store uses, and prints the ratio.

    python benchmarks/store_write.py                  # 100k nodes, 300k relationships
    python benchmarks/store_write.py --nodes 20000 --rels 60000 --repeat 1

Neo4j: ``$NEO4J_URI`` / ``NEO4J_PASSWORD`` if set, else the scratch local server
of the tests (port 7688, never the user's own). The Neo4j database is wiped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from credgraph.graph.encoding import encode_node, encode_relationship
from credgraph.graph.identifiers import uscc_check_char
from credgraph.graph.neo4j_store import Neo4jStore, _node_param, _rel_param
from credgraph.graph.records import NodeRow, Origin, RelRow
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from scratch_neo4j import scratch_store, wipe

ORIGIN = Origin("load-bench", "bench", "2024-01-01T00:00:00+00:00")


def make_data(nodes: int, rels: int, seed: int = 1) -> tuple[list[NodeRow], dict[str, list[RelRow]]]:
    rng = random.Random(seed)
    usccs = [b + uscc_check_char(b) for b in (f"91440300MA{i:07d}" for i in range(nodes))]
    day0 = dt.date(2010, 1, 1)
    firms = [
        NodeRow({"uscc": u, "name": f"广州市测试{i}号贸易有限公司", "reg_date": day0 + dt.timedelta(days=i % 4000),
                 "registered_capital": float(rng.randrange(1, 5000)), "region_code": "440100"}, line=i + 2)
        for i, u in enumerate(usccs)
    ]
    half = rels // 2
    guarantees = [
        RelRow(rng.choice(usccs), rng.choice(usccs),
               {"amount": 100.0, "start_date": day0 + dt.timedelta(days=i % 5000)}, line=i + 2)
        for i in range(half)
    ]
    holdings = [
        RelRow(rng.choice(usccs), rng.choice(usccs),
               {"holder_type": "enterprise", "share_pct": 10.0, "start_date": day0 + dt.timedelta(days=i % 5000)},
               line=i + 2, src_label="Enterprise")
        for i in range(rels - half)
    ]
    return firms, {"GUARANTEES": guarantees, "SHAREHOLDER_OF": holdings}


def write_all(store: GraphStore, firms: list[NodeRow], rels: dict[str, list[RelRow]]) -> tuple[float, float]:
    """Seconds to write the nodes, then the relationships."""
    t0 = time.perf_counter()
    store.upsert_nodes("Enterprise", firms, ORIGIN)
    t1 = time.perf_counter()
    for rel_type, rows in rels.items():
        store.upsert_relationships(rel_type, rows, ORIGIN)
    return t1 - t0, time.perf_counter() - t1


def naive_seconds(store: Neo4jStore, firms: list[NodeRow], rels: list[RelRow]) -> float:
    """One MERGE per transaction, the same statements as the store's batches."""
    node_query = store.cypher.upsert_nodes("Enterprise")
    rel_query = store.cypher.upsert_relationships("GUARANTEES", "Enterprise")
    node_type = store.model.node("Enterprise")
    rel_type = store.model.relationship("GUARANTEES")
    params = {"loadId": ORIGIN.load_id, "sourceFile": ORIGIN.source_file, "loadedAt": ORIGIN.loaded_at}
    t0 = time.perf_counter()
    with store._driver.session(database=store.database) as session:
        for row in firms:
            one = [_node_param(encode_node(node_type, row))]
            session.execute_write(lambda tx: tx.run(node_query, rows=one, **params).consume())
        for row in rels:
            one = [_rel_param(encode_relationship(rel_type, row))]
            session.execute_write(lambda tx: tx.run(rel_query, rows=one, **params).consume())
    return time.perf_counter() - t0


def median_rates(label: str, runs: list[tuple[float, float]], nodes: int, rels: int) -> None:
    node_s = statistics.median(r[0] for r in runs)
    rel_s = statistics.median(r[1] for r in runs)
    total = statistics.median(r[0] + r[1] for r in runs)
    print(f"{label:9} nodes {nodes / node_s:>10,.0f}/s   relationships {rels / rel_s:>10,.0f}/s   "
          f"all rows {(nodes + rels) / total:>10,.0f}/s   (median of {len(runs)}, {total:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rels", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive", type=int, default=2_000, help="rows for the naive-vs-batched comparison")
    parser.add_argument("--skip-neo4j", action="store_true")
    args = parser.parse_args()
    firms, rels = make_data(args.nodes, args.rels)
    print(f"{args.nodes:,} Enterprise nodes, {args.rels:,} relationships, {os.cpu_count()} cores")

    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp, SqliteStore(Path(tmp) / "bench.db") as store:
            store.ensure_schema()
            runs.append(write_all(store, firms, rels))
    median_rates("embedded", runs, args.nodes, args.rels)
    if args.skip_neo4j:
        return

    with scratch_store() as store:
        runs = []
        for _ in range(args.repeat):
            wipe(store)
            store.ensure_schema()
            runs.append(write_all(store, firms, rels))
        median_rates("neo4j", runs, args.nodes, args.rels)

        k = args.naive
        subset_firms, subset_rels = firms[:k], [r for r in rels["GUARANTEES"] if int(r.src[10:17]) < k
                                                 and int(r.dst[10:17]) < k][:k]
        wipe(store)
        write_all(store, subset_firms, {"GUARANTEES": subset_rels})  # warm up: plans compiled, JIT
        wipe(store)
        naive = naive_seconds(store, subset_firms, subset_rels)
        wipe(store)
        batched = sum(write_all(store, subset_firms, {"GUARANTEES": subset_rels}))
        rows = len(subset_firms) + len(subset_rels)
        print(f"neo4j naive one-row-per-transaction: {rows / naive:,.0f} rows/s; batched UNWIND: "
              f"{rows / batched:,.0f} rows/s; batched is {naive / batched:,.0f}x faster ({rows:,} rows)")


if __name__ == "__main__":
    main()

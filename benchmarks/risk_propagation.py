"""Risk propagation time and peak RSS on generated M and L data, against networkx and GDS.

For each size: the risk projection is read from the generated files (see
risk_data.py), then ``risk_scores`` runs with a breakdown (own risk, network,
propagation, strongest chains, the CSV with paths) while a sampler records
peak RSS. In the same run, on the same propagation graph (its links and
coefficients, sources = subjects with own risk):

- networkx: ``DiGraph`` build and ``pagerank`` personalised on the sources,
  in a child process (so its memory is its own), skipped when the estimated
  memory would not fit;
- GDS on the scratch Neo4j (``scratch_neo4j.py``; wiped first, never the
  user's server): the graph is written as ``:BenchNode``/``:LINK``, then
  ``gds.graph.project`` plus ``gds.pageRank.stats`` with the sources as
  ``sourceNodes`` are timed (projection plus compute).

Ratios are printed as other / ours. Not a timed test.

    python benchmarks/risk_propagation.py --sizes M L
    python benchmarks/risk_propagation.py --sizes M --check-store /tmp/m7.db --skip-gds

``--check-store DB`` (a store holding the same folder, loaded with
``credgraph load``) also times ``store.project`` and checks that it gives the
same scores as the projection read from the files.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("CREDGRAPH_NEO4J_HEAP", "4g")  # a scratch server started here gets room for GDS

import numpy as np
import psutil

from credgraph.analytics.config import load_config
from credgraph.analytics.jobs import write_risk_csv
from credgraph.analytics.propagation import best_chains, build_network, propagate
from credgraph.analytics.risk import own_risk, risk_scores
from risk_data import AS_OF, ensure_data, projection_from_folder

NX_BYTES_PER_LINK = 800  # measured on M: 802 MiB RSS for 1.18M links (DiGraph, one float per edge)


class PeakRss:
    """Samples this process's RSS every 20 ms while active."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        process = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, process.memory_info().rss)
            time.sleep(0.02)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, psutil.Process().memory_info().rss)


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def timed(label: str, fn: Any, *args: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - t0
    print(f"  {label:34} {seconds:8.2f} s", flush=True)
    return result, seconds


def run_ours(folder: Path, work: Path) -> dict[str, float]:
    """Read the projection, score it with a breakdown; save the propagation graph for the others."""
    config = load_config()
    hops = config.propagation.max_hops
    projection, read_s = timed("read projection from files", projection_from_folder, folder, AS_OF)
    print(f"  {projection.node_count:,} nodes, {projection.relationship_count:,} relationships; "
          f"RSS {mib(psutil.Process().memory_info().rss)}")
    base = psutil.Process().memory_info().rss
    with PeakRss() as peak:
        own, own_s = timed("own risk", own_risk, projection, AS_OF, config)
        net, net_s = timed("build network", build_network, projection, config.propagation)
        _, prop_s = timed(f"propagate ({hops} hops)", propagate, net, own.score, hops)
        timed("strongest chains", best_chains, net, own.score, hops)
        scores, total_s = timed("risk_scores (all of the above)", risk_scores, projection, AS_OF, config)
        rows, rows_s = timed("write the risk CSV (with top paths)", write_risk_csv, scores, work / "risk.csv")
    print(f"  {net.link_count:,} directed links; {rows:,} subjects; grades {scores.grade_counts()}")
    print(f"  peak RSS during scoring {mib(peak.peak)} (+{mib(peak.peak - base)} over the projection)")
    sources = np.flatnonzero(own.score > 0)
    np.savez(work / "net.npz", src=net.src, dst=net.dst, coef=net.coef, n=net.n, sources=sources,
             weights=own.score[sources])
    return {"read": read_s, "network": net_s, "propagate": prop_s, "risk_scores": total_s, "rows": rows_s,
            "links": net.link_count, "nodes": net.n, "peak_rss": peak.peak}


def nx_worker(path: str) -> None:
    """Child process: networkx build + personalised PageRank on the saved graph; prints JSON."""
    import networkx as nx

    data = np.load(path)
    t0 = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_nodes_from(range(int(data["n"])))
    graph.add_weighted_edges_from(zip(data["src"].tolist(), data["dst"].tolist(), data["coef"].tolist()))
    t1 = time.perf_counter()
    personal = dict(zip(data["sources"].tolist(), data["weights"].tolist()))
    nx.pagerank(graph, alpha=0.85, personalization=personal or None, weight="weight")
    t2 = time.perf_counter()
    print(json.dumps({"build": t1 - t0, "pagerank": t2 - t1, "rss": psutil.Process().memory_info().rss}))


def run_networkx(work: Path, links: int) -> dict[str, float] | None:
    need = links * NX_BYTES_PER_LINK
    free = psutil.virtual_memory().available
    if need > 0.6 * free:
        print(f"  networkx: skipped, needs about {mib(need)} and {mib(free)} is available")
        return None
    result = subprocess.run([sys.executable, __file__, "--nx-worker", str(work / "net.npz")],
                            capture_output=True, text=True, check=True)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"  networkx build {found['build']:.2f} s, personalised pagerank {found['pagerank']:.2f} s, "
          f"RSS {mib(found['rss'])}")
    return found


def _write_graph(session: Any, data: Any, batch: int = 20000) -> None:
    session.run("CREATE INDEX bench_node IF NOT EXISTS FOR (n:BenchNode) ON (n.i)").consume()
    session.run("CALL db.awaitIndexes(300)").consume()
    source = np.zeros(int(data["n"]))
    source[data["sources"]] = data["weights"]
    for start in range(0, int(data["n"]), batch):
        ids = range(start, min(start + batch, int(data["n"])))
        session.run("UNWIND $rows AS r CREATE (:BenchNode {i: r[0], s: r[1]})",
                    rows=[[i, float(source[i])] for i in ids]).consume()
    src, dst, coef = data["src"].tolist(), data["dst"].tolist(), data["coef"].tolist()
    for start in range(0, len(src), batch):
        rows = [[a, b, w] for a, b, w in zip(src[start:start + batch], dst[start:start + batch], coef[start:start + batch])]
        session.run("UNWIND $rows AS r MATCH (a:BenchNode {i: r[0]}), (b:BenchNode {i: r[1]}) "
                    "CREATE (a)-[:LINK {w: r[2]}]->(b)", rows=rows).consume()


def run_gds(work: Path) -> dict[str, float] | None:
    from scratch_neo4j import scratch_store

    data = np.load(work / "net.npz")
    with scratch_store() as store, store._driver.session(database=store.database,
                                                          notifications_min_severity="OFF") as session:
        t0 = time.perf_counter()
        _write_graph(session, data)
        print(f"  GDS: wrote the graph to Neo4j in {time.perf_counter() - t0:.1f} s (not timed below)")
        ids = [r["id"] for r in session.run("MATCH (n:BenchNode) WHERE n.s > 0 RETURN id(n) AS id")]
        t1 = time.perf_counter()
        session.run("CALL gds.graph.project('riskbench', 'BenchNode', {LINK: {properties: 'w'}})").consume()
        t2 = time.perf_counter()
        session.run("CALL gds.pageRank.stats('riskbench', {sourceNodes: $ids, relationshipWeightProperty: 'w', "
                    "dampingFactor: 0.85}) YIELD ranIterations RETURN ranIterations", ids=ids).consume()
        t3 = time.perf_counter()
        session.run("CALL gds.graph.drop('riskbench') YIELD graphName RETURN graphName").consume()
        session.run("MATCH (n:BenchNode) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    print(f"  GDS projection {t2 - t1:.2f} s, personalised pageRank {t3 - t2:.2f} s")
    return {"project": t2 - t1, "compute": t3 - t2}


def check_store(db: str, folder: Path) -> None:
    from credgraph.analytics.jobs import risk_projection
    from credgraph.graph.store import open_store

    config = load_config()
    with open_store(db) as store:
        projected, seconds = timed("risk_projection from the store", risk_projection, store, AS_OF, config)
    from_files = projection_from_folder(folder, AS_OF)
    same = [{r["subject_id"]: (r["total_score"], r["grade"]) for r in risk_scores(p, AS_OF, config).rows(with_paths=False)}
            for p in (projected, from_files)]
    print(f"  store projection {projected.node_count:,} nodes in {seconds:.1f} s; same scores as from files: "
          f"{same[0] == same[1]}")


def report(size: str, ours: dict[str, float], nx: dict[str, float] | None, gds: dict[str, float] | None) -> None:
    core = ours["network"] + ours["propagate"]
    print(f"{size}: ours build network + propagate {core:.2f} s (propagate alone {ours['propagate']:.2f} s, "
          f"whole risk_scores {ours['risk_scores']:.2f} s), peak RSS {mib(ours['peak_rss'])}")
    if nx:
        print(f"{size}: networkx pagerank / our propagate = {nx['pagerank'] / ours['propagate']:.1f}x; "
              f"(nx build + pagerank) / (our network + propagate) = {(nx['build'] + nx['pagerank']) / core:.1f}x")
    if gds:
        print(f"{size}: GDS (projection + pageRank) / (our network + propagate) = "
              f"{(gds['project'] + gds['compute']) / core:.1f}x; GDS compute alone / our propagate = "
              f"{gds['compute'] / ours['propagate']:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["M", "L"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "credgraph-bench",
                        help="where generated data sets are kept between runs")
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument("--skip-gds", action="store_true")
    parser.add_argument("--check-store", help="a store loaded from the same folder, to compare with")
    parser.add_argument("--nx-worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.nx_worker:
        nx_worker(args.nx_worker)
        return
    for size in args.sizes:
        folder = ensure_data(size, args.seed, args.data)
        print(f"== {size}: {folder}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            ours = run_ours(folder, work)
            gc.collect()
            nx = None if args.skip_networkx else run_networkx(work, int(ours["links"]))
            gds = None if args.skip_gds else run_gds(work)
        if args.check_store:
            check_store(args.check_store, folder)
        report(size, ours, nx, gds)


if __name__ == "__main__":
    main()

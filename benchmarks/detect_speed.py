"""Seconds per detector on generated data: the embedded store, and optionally Neo4j.

Generates ``--size`` data (or reads ``--data``), loads it into a fresh
embedded store and prints the median of ``--repeat`` runs of each step of the
python engine (reading the projection, then each detector); with ``--neo4j``
it also loads the folder into the scratch Neo4j (``scratch_neo4j.py``: set
CREDGRAPH_TEST_NEO4J_HOME / CREDGRAPH_TEST_NEO4J_PORT, or NEO4J_URI) and
prints the load time and the medians of the cypher engine.

    python benchmarks/detect_speed.py --size M
    python benchmarks/detect_speed.py --data /tmp/m1 --neo4j
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path

from credgraph.analytics.detection import find_patterns
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from credgraph.loaders.load import load_folder
from credgraph.synthetic.generate import generate


def medians(store: GraphStore, as_of: dt.date, engine: str, repeat: int) -> dict[str, float]:
    """Median seconds per step over ``repeat`` runs."""
    runs = [find_patterns(store, as_of=as_of, engine=engine)[1] for _ in range(repeat)]
    steps = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return {**steps, "total": statistics.median(sum(r.values()) for r in runs)}


def print_medians(label: str, steps: dict[str, float]) -> None:
    print(f"\n{label}")
    for step, seconds in steps.items():
        print(f"  {step:20} {seconds:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--neo4j", action="store_true", help="also time the cypher engine on the scratch Neo4j")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = args.data
        if data is None:
            data = work / "data"
            generate(size=args.size, seed=args.seed, out=data, progress=None)
        as_of = dt.date.fromisoformat(json.loads((data / "truth.json").read_text(encoding="utf-8"))["meta"]["as_of"])
        with SqliteStore(work / "speed.db") as store:
            store.ensure_schema()
            load_folder(store, data, report_dir=work / "report")
            print_medians(f"embedded store, python engine, median of {args.repeat}", medians(store, as_of, "python", args.repeat))
        if args.neo4j:
            from scratch_neo4j import scratch_store

            with scratch_store() as neo4j:
                start = time.perf_counter()
                load_folder(neo4j, data, report_dir=work / "report-neo4j")
                print(f"\nloaded into Neo4j in {time.perf_counter() - start:.0f} s")
                print_medians(f"Neo4j, cypher engine, median of {args.repeat}", medians(neo4j, as_of, "cypher", args.repeat))


if __name__ == "__main__":
    main()

"""Input rows/s of ``credgraph load`` with full validation, into each store.

Generates a synthetic dataset (``--size M``: about 100k enterprises) unless
``--data`` names one, loads it into a fresh embedded store and a wiped Neo4j,
and prints input rows/s per store (rows read / wall time of the whole load,
reading, cleaning, checking and writing included), then the time of loading
the same folder again (the idempotent no-op).

    python benchmarks/load_folder.py --size M
    python benchmarks/load_folder.py --data /tmp/m7 --skip-neo4j
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import psutil

from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from credgraph.loaders.load import load_folder
from scratch_neo4j import scratch_store


def timed_load(store: GraphStore, data: Path, reports: Path) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    report = load_folder(store, data, report_dir=reports / f"r{time.monotonic_ns()}")
    return time.perf_counter() - t0, report.totals["read"], report.totals["rejected"]


def print_line(label: str, seconds: float, rows: int, rejected: int, again: float) -> None:
    rss = psutil.Process().memory_info().rss / 2**20
    print(f"{label:9} {rows:>10,} rows in {seconds:6.1f} s = {rows / seconds:>8,.0f} rows/s "
          f"({rejected:,} rejected); reload no-op {again:5.1f} s; python RSS {rss:,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--skip-neo4j", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = args.data
        if data is None:
            from credgraph.synthetic.generate import generate

            data = work / "data"
            t0 = time.perf_counter()
            generate(size=args.size, seed=args.seed, out=data)
            print(f"generated {args.size} (seed {args.seed}) in {time.perf_counter() - t0:.1f} s")
        with SqliteStore(work / "bench.db") as store:
            store.ensure_schema()
            seconds, rows, rejected = timed_load(store, data, work)
            again, _, _ = timed_load(store, data, work)
        print_line("embedded", seconds, rows, rejected, again)
        if args.skip_neo4j:
            return
        with scratch_store() as store:
            seconds, rows, rejected = timed_load(store, data, work)
            again, _, _ = timed_load(store, data, work)
            print_line("neo4j", seconds, rows, rejected, again)


if __name__ == "__main__":
    main()

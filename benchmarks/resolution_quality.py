"""How good resolution's links are on generated published data: per seed, per source and per grade.

For each seed: generate the published-format world (``--size``, M by default),
load it into a fresh embedded store (or a Neo4j server with ``--neo4j URI``:
the database is wiped), resolve, and compare ``links.csv`` with the truth
(``mentions.csv``) through ``credgraph.resolution.evaluation``: precision of
links of grade strong and above, recall of mentions whose subject is in the
store, homonyms wrongly merged (person mentions whose name other persons of
the store share, linked to one of those others), and person links resting on a
name alone (there must be none).

    python benchmarks/resolution_quality.py --size M --seeds 7 11 23
    python benchmarks/resolution_quality.py --size S --seeds 1 --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from published_world import load_world, published_world, wipe_neo4j  # noqa: E402

from credgraph.graph.store import GraphStore, open_store  # noqa: E402
from credgraph.resolution.evaluation import evaluate, read_truth  # noqa: E402

TARGETS = {"precision": 0.99, "recall": 0.95, "homonym_merge_rate": 0.002}


def measure(world: Path, store: GraphStore, work: Path) -> dict[str, Any]:
    """The evaluation of one loaded and resolved world, with the seconds of each step."""
    job, seconds = load_world(store, world, work)
    links = pd.read_csv(work / "links.csv", dtype=str, keep_default_na=False)
    result = evaluate(links, read_truth(world / "mentions.csv"))
    result["seconds"] = {k: round(v, 1) for k, v in seconds.items()}
    result["grades"] = job.counts()
    return result


def _fmt(value: Any) -> str:
    return "-" if value is None else (f"{value:.4f}" if isinstance(value, float) else f"{value:,}")


def print_result(label: str, result: dict[str, Any]) -> None:
    seconds = ", ".join(f"{k} {v:.1f} s" for k, v in result["seconds"].items())
    print(f"\n{label}: {seconds}")
    print(f"{'file':28} {'mentions':>9} {'in store':>9} {'linked':>8} {'precision':>9} {'recall':>7} "
          f"{'homonyms':>8} {'merged':>6} {'name-only':>9} {'unresolved':>10}")
    rows = [*result["by_file"].items(), ("all", result["overall"])]
    for name, m in rows:
        print(f"{name:28} {_fmt(m['mentions']):>9} {_fmt(m['in_store']):>9} {_fmt(m['linked']):>8} "
              f"{_fmt(m['precision']):>9} {_fmt(m['recall']):>7} {_fmt(m['homonym_mentions']):>8} "
              f"{_fmt(m['homonym_merges']):>6} {_fmt(m['name_only_links']):>9} {_fmt(m['unresolved']):>10}")
    grades = result["overall"]["grades"]
    print("per grade (links, precision): " + "; ".join(
        f"{g} {_fmt(v['links'])}, {_fmt(v['precision'])}" for g, v in grades.items()))
    o = result["overall"]
    checks = [f"precision {_fmt(o['precision'])} (>= {TARGETS['precision']})",
              f"recall {_fmt(o['recall'])} (>= {TARGETS['recall']})",
              f"homonym merges {_fmt(o['homonym_merge_rate'])} (<= {TARGETS['homonym_merge_rate']})",
              f"name-only links {o['name_only_links']} (0)"]
    print("targets: " + "; ".join(checks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 11, 23])
    parser.add_argument("--data", type=Path, help="a generated published world to read instead of generating")
    parser.add_argument("--neo4j", metavar="URI", help="resolve in this Neo4j (wiped first) instead of SQLite")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args()
    runs = [(args.data, None)] if args.data else [(None, seed) for seed in args.seeds]
    results = {}
    for data, seed in runs:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            world = data or published_world(args.size, seed or 0, work / "world")
            label = str(data) if data else f"{args.size} seed {seed}"
            location = args.neo4j or str(work / "resolve.db")
            if args.neo4j:
                os.environ.setdefault("NEO4J_USERNAME", "neo4j")
            with open_store(location) as store:
                if args.neo4j:
                    wipe_neo4j(store)
                store.ensure_schema()
                results[label] = measure(world, store, work)
            print_result(label, results[label])
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

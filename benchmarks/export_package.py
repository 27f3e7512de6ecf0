"""Export time per package and per format, on a store that holds findings (e.g. after ``credgraph demo``).

For each selection: the total time of ``export_package`` (medians of
``--repeat`` runs), then, on the same package graph, the time of each writer
alone (so the expensive formats show), and the package's node and edge
counts. Packages go to a temporary folder and are deleted. Not a timed test.

    credgraph demo --db /tmp/demo.db
    python benchmarks/export_package.py --db /tmp/demo.db
    python benchmarks/export_package.py --db /tmp/demo.db --subject 91130403MADWNURQ1R --detector shell_cluster
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from credgraph.export import bods, ftm, gephi, tables
from credgraph.export.flatten import PackageGraph, flatten
from credgraph.export.identities import Identities
from credgraph.export.network import write_network
from credgraph.export.package import Selection, export_package
from credgraph.export.selection import collect
from credgraph.graph.store import GraphStore, open_store


def _selections(store: GraphStore, args: argparse.Namespace) -> list[Selection]:
    chosen = [Selection.subject(s) for s in args.subject] + [Selection.detector(d) for d in args.detector]
    if chosen:
        return chosen
    findings = store.findings()
    if not findings:
        raise SystemExit("no findings in the store: run `credgraph demo` or `credgraph detect` first")
    first = findings[0]
    return [Selection.finding(first.finding_id), Selection.detector(first.detector), Selection.subject(first.subjects[0])]


def _writers(graph: PackageGraph, store: GraphStore, folder: Path) -> dict[str, Callable[[], object]]:
    model = store.model
    return {
        "collect+flatten": lambda: None,
        "nodes.csv+edges.csv": lambda: (tables.write_nodes_csv(graph, model, folder / "n.csv"),
                                        tables.write_edges_csv(graph, model, folder / "e.csv")),
        "tables.xlsx": lambda: tables.write_workbook(graph, model, folder / "t.xlsx"),
        "graph.graphml": lambda: gephi.write_graphml(graph, folder / "g.graphml"),
        "graph.gexf": lambda: gephi.write_gexf(graph, folder / "g.gexf"),
        "entities.ftm.json": lambda: ftm.write_ftm(graph, folder / "f.json"),
        "ownership.bods.json + validation": lambda: (
            bods.write_bods(graph, folder / "b.json", "2024-06-30", "bench", True),
            bods.validate_bods(folder / "b.json")),
        "network.html": lambda: write_network(graph, folder / "n.html", role="investigator", focus=[]),
    }


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--subject", action="append", default=[])
    parser.add_argument("--detector", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with open_store(args.db) as store, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = iter(range(1_000_000))
        for selection in _selections(store, args):
            total = _median(lambda: export_package(store, selection, folder / f"pkg{next(runs)}",
                                                   role="investigator", user="bench", full_ids=False), args.repeat)
            started = time.perf_counter()
            graph = flatten(collect(store, selection), Identities(True, b"bench"), store.model)
            read = time.perf_counter() - started
            print(f"{selection.describe()}: {len(graph.nodes)} nodes, {len(graph.edges)} edges, "
                  f"export_package {total:.2f} s (median of {args.repeat})")
            for name, fn in _writers(graph, store, folder).items():
                seconds = read if name == "collect+flatten" else _median(fn, args.repeat)
                print(f"    {name:34s} {seconds:6.3f} s")


if __name__ == "__main__":
    main()

"""Load a generated published world into a store and resolve it: shared by the resolution benchmarks.

A published world (``credgraph generate --format published``) is a registry
base (``registry/``, keyed), the agencies' files (``published/``), the mapping
of the bid opening records (``mappings/bid_opening.toml``) and the truth of
every mention (``mentions.csv``). ``load_world`` loads it the way a user
would: the registry first, then every published file without resolving, then
one ``resolve``; it returns the seconds of each step.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from credgraph.graph.store import GraphStore
from credgraph.loaders.load import load_folder
from credgraph.loaders.published.load import load_published
from credgraph.loaders.published.mapping import BUILTINS, builtin_mapping, read_mapping
from credgraph.resolution.job import ResolutionRun, run_resolution, write_links_csv
from credgraph.synthetic.generate import generate


def wipe_neo4j(store: Any) -> None:
    """Empty a Neo4j store's database (in batches: one big delete runs out of transaction memory)."""
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def published_world(size: str, seed: int, out: Path) -> Path:
    """Generate the published-format world of ``size`` and ``seed`` into ``out`` (reused if there)."""
    if not (out / "mentions.csv").exists():
        generate(size=size, seed=seed, out=out, format="published")
    return out


def load_world(store: GraphStore, world: Path, work: Path) -> tuple[ResolutionRun, dict[str, float]]:
    """Load ``world`` into ``store``, resolve once, write ``work/links.csv``; the run and seconds per step."""
    seconds: dict[str, Any] = {}
    start = time.perf_counter()
    load_folder(store, world / "registry", report_dir=work / "report-registry")
    seconds["load registry"] = time.perf_counter() - start
    files = [(world / "published" / f"{name}.csv", builtin_mapping(name)) for name in BUILTINS]
    files.append((world / "published" / "bid_opening.csv", read_mapping(world / "mappings" / "bid_opening.toml")))
    start = time.perf_counter()
    for path, mapping in files:
        if path.exists():
            load_published(store, path, mapping, report_dir=work / f"report-{mapping.name}")
    seconds["load published"] = time.perf_counter() - start
    start = time.perf_counter()
    job = run_resolution(store, user="benchmark")
    seconds["resolve"] = time.perf_counter() - start
    write_links_csv(job, work / "links.csv")
    return job, seconds

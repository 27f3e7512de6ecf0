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
import pandas as pd

from credgraph.resolution.engine import Decisions, Resolution
from credgraph.resolution.evaluation import read_truth
from credgraph.resolution.job import Resolver, ResolutionRun, run_resolution, write_links_csv
from credgraph.resolution.settings import ResolutionSettings
from credgraph.resolution.tables import Registry
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


LABELS = {"person": "Person", "enterprise": "Enterprise", "agency": "Agency"}


def truth_resolver(world: Path) -> Resolver:
    """A resolver that links every mention to its true subject when that subject is in the store.

    What perfect resolution would give: analyses on it show what the published
    files themselves can and cannot tell, apart from resolution's own errors.
    """
    truth = read_truth(world / "mentions.csv")
    truth = truth[truth["in_store"]]

    def resolver(mentions: pd.DataFrame, registry: Registry, decisions: Decisions,
                 settings: ResolutionSettings) -> Resolution:
        keyed = mentions[["mention_id", "file", "line", "role"]].assign(line=lambda d: d["line"].astype(int))
        links = keyed.merge(truth[["file", "line", "role", "subject_id", "subject_type"]], on=["file", "line", "role"])
        links = links.assign(label=links["subject_type"].map(LABELS), grade="exact", score=1.0,
                             evidence='{"rule": "the truth of the generated world"}', method="truth")
        unresolved = dict.fromkeys(sorted(set(mentions["mention_id"]) - set(links["mention_id"])), "{}")
        columns = ["mention_id", "subject_id", "label", "grade", "score", "evidence", "method"]
        return Resolution(links[columns].reset_index(drop=True),
                          pd.DataFrame(columns=["mention_id", "subject_id", "label", "rank", "score", "evidence"]),
                          unresolved)

    return resolver


def load_world(store: GraphStore, world: Path, work: Path,
               resolver: Resolver | None = None) -> tuple[ResolutionRun, dict[str, float]]:
    """Load ``world`` into ``store``, resolve once, write ``work/links.csv``; the run and seconds per step.

    ``resolver`` replaces the rule engine (``truth_resolver`` for perfect resolution).
    """
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
    job = run_resolution(store, user="benchmark", **({"resolver": resolver} if resolver else {}))
    seconds["resolve"] = time.perf_counter() - start
    write_links_csv(job, work / "links.csv")
    return job, seconds

"""Parity: the Cypher queries and the Python matchers report identical findings.

Generated S and M data go into a real Neo4j once per module; there the cypher
engine (``cypher/detectors/*.cypher``) and the python engine (over Neo4j's own
projection) must return the same findings: ids, subjects, scores within 1e-9
and evidence (numbers within 1e-9), on the truth's reference date and on an
earlier one, with the default thresholds and with loosened ones that make
hundreds of background shell ties. On S the embedded store's python engine
must agree too; on M (one date, default thresholds) Neo4j's cypher engine is
held to the embedded store's python engine, whose store the quality tests
load. Loading M into Neo4j takes about 12 minutes: the seconds are printed.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from credgraph.analytics.detection import find_patterns, finding_record
from credgraph.analytics.detectors.settings import DetectorSettings, load_settings
from credgraph.graph.neo4j_store import Neo4jStore
from credgraph.graph.records import Finding
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.loaders.load import load_folder
from tests.test_detect_quality import generated, loaded_embedded, truth_date

pytestmark = pytest.mark.neo4j

LOOSE = """
[shell_cluster]
min_firms = 2
min_score = 0.0
max_shared_firms = 60
window_days = 3000
[bid_rigging]
min_projects = 1
"""


def same(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two JSON-like values differ (floats compared to 1e-9)."""
    if isinstance(a, float) or isinstance(b, float):
        ok = isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, abs_tol=1e-9)
        return [] if ok else [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in same(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        return [d for n, (x, y) in enumerate(zip(a, b)) for d in same(x, y, f"{path}[{n}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def differences(left: list[Finding], right: list[Finding]) -> list[str]:
    a = {f.finding_id: finding_record(f) for f in left}
    b = {f.finding_id: finding_record(f) for f in right}
    found = [f"only in one engine: {k}" for k in sorted(set(a) ^ set(b))]
    return found + [d for k in sorted(set(a) & set(b)) for d in same(a[k], b[k], k)]


@pytest.fixture(scope="module")
def loose(tmp_path_factory: pytest.TempPathFactory) -> DetectorSettings:
    path = tmp_path_factory.mktemp("loose") / "loose.toml"
    path.write_text(LOOSE, encoding="utf-8")
    return load_settings(path)


def wipe(store: Neo4jStore) -> None:
    """Delete everything in batches, relationships first: one transaction for M's million nodes, or a
    batch of nodes holding hubs' thousands of relationships, exceeds Neo4j's transaction memory."""
    with store._driver.session(database=store.database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def _neo4j_with(folder: Path, credentials: tuple[str, str, str], work: Path) -> tuple[Neo4jStore, float]:
    store = Neo4jStore(*credentials)
    wipe(store)
    store.ensure_schema()
    start = time.perf_counter()
    load_folder(store, folder, report_dir=work)
    return store, time.perf_counter() - start


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, neo4j_credentials: tuple[str, str, str]
          ) -> Iterator[tuple[Neo4jStore, Path]]:
    folder = generated(tmp_path_factory, "S", 1)
    store, _ = _neo4j_with(folder, neo4j_credentials, tmp_path_factory.mktemp("parity-s"))
    yield store, folder
    store.close()


def _dates(folder: Path) -> list[dt.date]:
    _, as_of = truth_date(folder)
    return [as_of, as_of - dt.timedelta(days=5 * 365)]


@pytest.mark.parametrize("loosened", [False, True], ids=["default", "loosened"])
def test_cypher_and_python_agree_on_s(small: tuple[Neo4jStore, Path], loose: DetectorSettings,
                                      loosened: bool) -> None:
    store, folder = small
    settings = loose if loosened else load_settings()
    for day in _dates(folder):
        cypher, _ = find_patterns(store, as_of=day, settings=settings, engine="cypher")
        python, _ = find_patterns(store, as_of=day, settings=settings, engine="python")
        assert cypher, f"nothing found on {day}"
        assert differences(cypher, python) == []


def test_the_embedded_store_agrees_with_neo4j_on_s(small: tuple[Neo4jStore, Path], loose: DetectorSettings,
                                                   tmp_path: Path) -> None:
    store, folder = small
    day = _dates(folder)[0]
    with SqliteStore(tmp_path / "s.db") as embedded:
        embedded.ensure_schema()
        load_folder(embedded, folder, report_dir=tmp_path / "report")
        python, _ = find_patterns(embedded, as_of=day, settings=loose)
    cypher, _ = find_patterns(store, as_of=day, settings=loose, engine="cypher")
    assert differences(cypher, python) == []


def test_neo4j_and_the_embedded_store_agree_on_m(tmp_path_factory: pytest.TempPathFactory,
                                                 neo4j_credentials: tuple[str, str, str]) -> None:
    folder = generated(tmp_path_factory, "M", 1)
    day = _dates(folder)[0]
    with SqliteStore(loaded_embedded(tmp_path_factory, "M", 1), create=False) as embedded:
        python, python_seconds = find_patterns(embedded, as_of=day)
    store, seconds = _neo4j_with(folder, neo4j_credentials, tmp_path_factory.mktemp("parity-m"))
    try:
        cypher, cypher_seconds = find_patterns(store, as_of=day, engine="cypher")
    finally:
        wipe(store)
        store.close()
    print(f"\nM: loading into Neo4j took {seconds:.0f} s\ncypher {cypher_seconds}\npython {python_seconds}")
    assert len(cypher) >= 1_500
    assert differences(cypher, python) == []

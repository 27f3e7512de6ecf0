"""Fixtures: both stores, empty or holding the sample graph, and a real Neo4j.

Neo4j tests run against a real server: ``$NEO4J_URI`` (with ``NEO4J_USERNAME``
/ ``NEO4J_PASSWORD``) when set, else a local server of their own, started the
way ``credgraph neo4j start`` does and stopped at the end. It has its own home
(``$CREDGRAPH_TEST_NEO4J_HOME``, default ``~/.local/share/credgraph/neo4j-test``)
and port (7688), because the tests wipe the database: a developer's own local
server and its data are never touched. Under ``CI=true`` a server that cannot
start fails those tests; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from credgraph.graph import neo4j_local
from credgraph.graph.errors import CredgraphError
from credgraph.graph.neo4j_store import Neo4jStore
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from tests.sample_graph import load_sample

STORE_KINDS = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]
TEST_NEO4J_PORT = neo4j_local.SCRATCH_PORT
TEST_NEO4J_HOME = neo4j_local.scratch_home()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Neo4j is required under CI=true: {reason}", pytrace=False)
    pytest.skip(f"Neo4j not available: {reason}")


@pytest.fixture(scope="session")
def neo4j_credentials() -> Iterator[tuple[str, str, str]]:
    """(uri, user, password) of a running Neo4j, started here if need be."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri, os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
        return
    try:
        with neo4j_local.scratch_server(TEST_NEO4J_HOME, TEST_NEO4J_PORT) as server:
            yield server.uri, "neo4j", server.password
    except CredgraphError as exc:
        _unavailable(str(exc))


def empty_neo4j_store(credentials: tuple[str, str, str]) -> Neo4jStore:
    """A Neo4j store on a wiped database, schema applied."""
    store = Neo4jStore(*credentials)
    # In batches: one transaction deleting a large graph runs out of transaction memory.
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    store.ensure_schema()
    return store


@pytest.fixture
def neo4j_store(neo4j_credentials: tuple[str, str, str]) -> Iterator[Neo4jStore]:
    """An empty Neo4j store (the database is wiped before each test)."""
    store = empty_neo4j_store(neo4j_credentials)
    yield store
    store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    """An empty embedded store in a temporary file."""
    store = SqliteStore(tmp_path / "test.db")
    store.ensure_schema()
    yield store
    store.close()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> GraphStore:
    """An empty store of each kind in turn."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def sample_store(store: GraphStore) -> GraphStore:
    """A store of each kind holding the sample graph."""
    load_sample(store)
    return store


NEO4J_TESTS: set[str] = set()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Remember which tests need Neo4j, for the summary line."""
    NEO4J_TESTS.update(item.nodeid for item in items if item.get_closest_marker("neo4j"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran against a real Neo4j, so a CI log shows it."""
    reports = [r for status in ("passed", "failed", "skipped") for r in terminalreporter.stats.get(status, [])]
    ran = {r.nodeid for r in reports if r.nodeid in NEO4J_TESTS and r.when == "call" and not r.skipped}
    skipped = {r.nodeid for r in reports if r.nodeid in NEO4J_TESTS and r.skipped}
    terminalreporter.write_line(
        f"Neo4j integration tests: {len(ran)} ran against a real server, {len(skipped)} skipped"
    )

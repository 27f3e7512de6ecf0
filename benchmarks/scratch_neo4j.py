"""A wiped Neo4j store for benchmarks: ``$NEO4J_URI``, else the scratch local server.

The scratch server (``credgraph.graph.neo4j_local.scratch_home()``, port 7688)
is the one the tests use; it is never the user's own local server, because
benchmarks delete everything in the database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from credgraph.graph import neo4j_local
from credgraph.graph.neo4j_store import Neo4jStore


def wipe(store: Neo4jStore) -> None:
    """Delete every node and relationship, in batches."""
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    store.ensure_schema()


@contextmanager
def scratch_store() -> Iterator[Neo4jStore]:
    """A Neo4j store to benchmark against, wiped first."""
    with ExitStack() as stack:
        uri = os.environ.get("NEO4J_URI")
        if uri:
            store = Neo4jStore(uri, os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ["NEO4J_PASSWORD"])
        else:
            server = stack.enter_context(neo4j_local.scratch_server(neo4j_local.scratch_home(), neo4j_local.SCRATCH_PORT))
            store = Neo4jStore(server.uri, "neo4j", server.password)
        stack.callback(store.close)
        wipe(store)
        yield store

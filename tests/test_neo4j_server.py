"""The local Neo4j: a real server with Graph Data Science and APOC."""

from __future__ import annotations

import json
import os

import pytest

from credgraph.cli.app import main
from credgraph.graph import neo4j_local
from credgraph.graph.neo4j_store import Neo4jStore, cypher_statements
from tests.conftest import TEST_NEO4J_HOME, TEST_NEO4J_PORT
from tests.sample_graph import load_sample

pytestmark = pytest.mark.neo4j


def test_gds_answers(neo4j_store: Neo4jStore) -> None:
    records, _, _ = neo4j_store._driver.execute_query("CALL gds.version() YIELD gdsVersion RETURN gdsVersion")
    assert records[0]["gdsVersion"].startswith("2.")


def test_apoc_answers(neo4j_store: Neo4jStore) -> None:
    records, _, _ = neo4j_store._driver.execute_query("RETURN apoc.version() AS version")
    assert records[0]["version"].startswith("5.26")


def test_gds_pagerank_runs_on_a_projection_of_the_graph(neo4j_store: Neo4jStore) -> None:
    load_sample(neo4j_store)
    run = neo4j_store._driver.execute_query
    run("CALL gds.graph.drop('sample', false) YIELD graphName RETURN graphName")
    run("CALL gds.graph.project('sample', ['Enterprise', 'Person'], ['SHAREHOLDER_OF', 'GUARANTEES', 'LEGAL_REP_OF'])")
    records, _, _ = run(
        "CALL gds.pageRank.stream('sample') YIELD nodeId, score "
        "RETURN count(*) AS nodes, sum(score) > 0 AS positive"
    )
    run("CALL gds.graph.drop('sample') YIELD graphName RETURN graphName")
    assert records[0]["nodes"] == 7 and records[0]["positive"]


def test_the_schema_is_applied(neo4j_store: Neo4jStore) -> None:
    records, _, _ = neo4j_store._driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")
    assert {"enterprise_key", "person_key", "finding_key"} <= set(records[0]["names"])


def test_cypher_scripts_split_at_statement_ends_not_in_comments() -> None:
    text = "// a; comment\nCREATE (n:A)\nRETURN n;\n// another\nMATCH (n) RETURN n;\n"
    assert cypher_statements(text) == ["CREATE (n:A)\nRETURN n", "MATCH (n) RETURN n"]


@pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="checks the local server, not $NEO4J_URI")
def test_status_reports_the_running_local_server(neo4j_credentials, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CREDGRAPH_NEO4J_HOME", str(TEST_NEO4J_HOME))
    assert main(["neo4j", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["running"] and status["uri"] == neo4j_credentials[0]
    assert "password" not in status


@pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")), reason="restarts the local server, not $NEO4J_URI")
def test_data_survives_a_restart(neo4j_store: Neo4jStore) -> None:
    load_sample(neo4j_store)
    counts = neo4j_store.counts()
    neo4j_store.close()
    assert neo4j_local.stop(home=TEST_NEO4J_HOME)
    assert not neo4j_local.status(TEST_NEO4J_HOME).running
    server = neo4j_local.start(home=TEST_NEO4J_HOME)
    assert server.port == TEST_NEO4J_PORT
    with Neo4jStore(server.uri, "neo4j", server.password) as again:
        assert again.counts() == counts


def test_generated_passwords_never_look_like_an_option() -> None:
    # token_urlsafe starts with "-" one time in 64; Neo4j's set-initial-password then fails.
    assert not any(neo4j_local.new_password().startswith("-") for _ in range(1000))

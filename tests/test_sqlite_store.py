"""What only the embedded store promises: a file, WAL, an append-only audit table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from credgraph.graph.errors import ConfigError, NotFoundError, StoreError
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import open_store, resolve_db


def test_the_store_file_is_in_wal_mode(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "g.db")) as store:
        mode = store._conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_audit_rows_cannot_be_changed_or_removed(sqlite_store: SqliteStore) -> None:
    sqlite_store.audit("alice", "export", "x")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sqlite_store._conn.execute("UPDATE audit SET user = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sqlite_store._conn.execute("DELETE FROM audit")


def test_opening_a_file_that_is_not_a_store_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the pages you are looking for" * 100)
    with pytest.raises(StoreError, match="not a credgraph store"):
        open_store(str(path))


def test_a_missing_store_is_not_created_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="credgraph load"):
        open_store(str(tmp_path / "absent.db"), create=False)


def test_db_defaults_to_the_environment_then_the_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREDGRAPH_DB", raising=False)
    assert resolve_db(None) == "./credgraph.db"
    monkeypatch.setenv("CREDGRAPH_DB", "/data/cg.db")
    assert resolve_db(None) == "/data/cg.db"
    assert resolve_db("other.db") == "other.db"


def test_an_unsupported_uri_scheme_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="bolt://"):
        open_store("http://localhost:7474")


def test_a_neo4j_uri_without_a_password_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("CREDGRAPH_NEO4J_HOME", "/nonexistent")
    with pytest.raises(ConfigError, match="NEO4J_PASSWORD"):
        open_store("bolt://db.example:7687")

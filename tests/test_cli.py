"""The credgraph command line: help everywhere, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer

from credgraph.cli.app import app, main
from credgraph.graph.sqlite_store import SqliteStore
from tests.sample_graph import E1, E3, load_sample

CONTRACT_COMMANDS = ["demo", "generate", "load", "detect", "risk", "ubo", "export", "dashboard", "neo4j"]


def _all_commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths = []

    def walk(command: click.Command, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return paths


@pytest.fixture
def sample_db(tmp_path: Path) -> str:
    path = tmp_path / "sample.db"
    store = SqliteStore(path)
    store.ensure_schema()
    load_sample(store)
    store.close()
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_contract_command_exists() -> None:
    names = {path[0] for path in _all_commands() if path}
    assert set(CONTRACT_COMMANDS) <= names


@pytest.mark.parametrize("path", _all_commands(), ids=lambda p: " ".join(p) or "credgraph")
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], path: list[str]) -> None:
    code, out, _ = run(capsys, *path, "--help")
    assert code == 0
    assert "Usage:" in out


@pytest.mark.parametrize("path", [p for p in _all_commands() if p and p != ["neo4j"]], ids=" ".join)
def test_every_command_shows_an_example(capsys: pytest.CaptureFixture[str], path: list[str]) -> None:
    _, out, _ = run(capsys, *path, "--help")
    assert "Example: credgraph" in out


def test_info_counts_the_store(capsys: pytest.CaptureFixture[str], sample_db: str) -> None:
    code, out, _ = run(capsys, "info", "--db", sample_db, "--json")
    assert code == 0
    assert json.loads(out)["counts"]["Enterprise"] == 4


def test_db_comes_from_the_environment(capsys, sample_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDGRAPH_DB", sample_db)
    code, out, _ = run(capsys, "info", "--json")
    assert json.loads(out)["store"] == sample_db


def test_search_prints_matches_and_is_audited(capsys: pytest.CaptureFixture[str], sample_db: str) -> None:
    code, out, _ = run(capsys, "search", "华为", "--db", sample_db, "--json")
    assert [hit["key"] for hit in json.loads(out)] == [E1]
    _, out, _ = run(capsys, "audit", "--db", sample_db, "--json")
    assert json.loads(out)[0]["action"] == "search"


def test_show_prints_a_neighbourhood(capsys: pytest.CaptureFixture[str], sample_db: str) -> None:
    code, out, _ = run(capsys, "show", E3, "--db", sample_db, "--depth", "1", "--as-of", "2024-01-01", "--json")
    result = json.loads(out)
    assert code == 0
    assert {n["key"] for n in result["nodes"]} >= {E3, E1}


def test_a_name_with_rich_markup_prints_verbatim(capsys, tmp_path: Path) -> None:
    from credgraph.graph.records import NodeRow
    from tests.sample_graph import ORIGIN, P1

    db = str(tmp_path / "m.db")
    with SqliteStore(db) as store:
        store.ensure_schema()
        store.upsert_nodes("Person", [NodeRow({"person_id": P1, "name": "[bold]李[/] [/x]"})], ORIGIN)
    code, out, _ = run(capsys, "search", "李", "--db", db)
    assert code == 0 and "[bold]李[/] [/x]" in out


def test_an_unknown_subject_is_one_line_and_exit_1(capsys, sample_db: str) -> None:
    code, out, err = run(capsys, "show", "nobody", "--db", sample_db)
    assert code == 1
    assert err.strip().count("\n") == 0 and "no subject 'nobody'" in err


def test_a_bad_as_of_date_is_one_line_and_exit_2(capsys, sample_db: str) -> None:
    code, _, err = run(capsys, "show", E3, "--db", sample_db, "--as-of", "30/06/2024")
    assert code == 2 and "YYYY-MM-DD" in err


def test_an_unsupported_db_uri_is_exit_2(capsys) -> None:
    code, _, err = run(capsys, "info", "--db", "http://localhost:7474")
    assert code == 2 and "bolt://" in err


def test_an_unknown_relationship_type_is_exit_2(capsys, sample_db: str) -> None:
    code, _, err = run(capsys, "show", E3, "--db", sample_db, "--type", "FRIEND_OF")
    assert code == 2 and "FRIEND_OF" in err


def test_a_usage_error_is_exit_2(capsys) -> None:
    code, _, err = run(capsys, "show")
    assert code == 2 and "Missing argument" in err


def test_the_console_script_prints_no_traceback(sample_db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from credgraph.cli.app import entry_point; entry_point()", "show", "nobody",
         "--db", sample_db],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("Error:")

"""``credgraph risk`` and ``credgraph ubo``: contract columns and JSON, config overrides, one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from credgraph.cli import analysis_commands
from credgraph.graph.errors import ConfigError, NotFoundError
from credgraph.graph.sqlite_store import SqliteStore
from tests.sample_graph import E1, E2, E3, P1, load_sample

COLUMNS = ["subject_id", "subject_type", "own_score", "linked_score", "total_score", "grade", "top_paths"]


def make_app() -> typer.Typer:
    app = typer.Typer()
    analysis_commands.register(app)

    @app.callback()
    def root() -> None:
        """The analysis commands."""

    return app


APP = make_app()
runner = CliRunner()


@pytest.fixture
def sample_db(tmp_path: Path) -> str:
    path = tmp_path / "sample.db"
    with SqliteStore(path) as store:
        store.ensure_schema()
        load_sample(store)
    return str(path)


def invoke(*args: str):
    return runner.invoke(APP, list(args), env={"CREDGRAPH_USER": "analyst", "COLUMNS": "200"})


@pytest.mark.parametrize("command", ["risk", "ubo"])
def test_help_has_an_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Example: credgraph" in result.output


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_risk_writes_the_contract_csv_and_stores_grades(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "risk.csv"
    result = invoke("risk", "--db", sample_db, "--as-of", "2024-06-30", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = {r["subject_id"]: r for r in read_rows(out)}
    assert len(rows) == 6 and rows[E3]["grade"] == "C" and rows[E3]["subject_type"] == "enterprise"
    assert float(rows[E3]["total_score"]) == float(rows[E3]["own_score"]) + float(rows[E3]["linked_score"])
    assert json.loads(rows[E1]["top_paths"])[0] == [E3, E1]
    assert list(rows)[0] == E3  # riskiest first
    with SqliteStore(sample_db) as store:
        assert store.get_node("Enterprise", E3).scores["grade"] == "C"
        assert store.audit_log(action="risk")[0].user == "analyst"


def test_a_config_file_overrides_only_what_it_sets(sample_db: str, tmp_path: Path) -> None:
    config = tmp_path / "strict.toml"
    config.write_text("[grades]\nC = 40.0\nD = 80.0\n", encoding="utf-8")
    out = tmp_path / "risk.csv"
    assert invoke("risk", "--db", sample_db, "--as-of", "2024-06-30", "--out", str(out), "--config", str(config)).exit_code == 0
    assert {r["subject_id"]: r["grade"] for r in read_rows(out)}[E3] == "B"


@pytest.mark.parametrize(
    ("text", "message"),
    [("[grades]\nE = 1\n", "unknown setting 'grades.E'"), ("[propagation]\ndecay = 2\n", "decay = 2"),
     ("[grades\n", "not valid TOML")],
)
def test_a_bad_config_is_a_one_line_config_error(sample_db: str, tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(text, encoding="utf-8")
    result = invoke("risk", "--db", sample_db, "--out", str(tmp_path / "r.csv"), "--config", str(config))
    assert isinstance(result.exception, ConfigError) and message in str(result.exception)
    assert result.exception.exit_code == 2 and "\n" not in str(result.exception)


def test_a_bad_date_is_a_config_error(sample_db: str, tmp_path: Path) -> None:
    result = invoke("risk", "--db", sample_db, "--out", str(tmp_path / "r.csv"), "--as-of", "30/06/2024")
    assert isinstance(result.exception, ConfigError)


def test_ubo_json_follows_the_contract(sample_db: str) -> None:
    result = invoke("ubo", E2, "--db", sample_db, "--json", "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["uscc"] == E2
    assert data["owners"] == [{"owner_id": P1, "owner_type": "person", "effective_pct": 60.0, "beneficial": True,
                               "paths": [[P1, E2]], "path_grades": [["exact"]]}]
    assert data["actual_controller"] == {"owner_id": P1, "basis": "effective_pct>=50"}
    with SqliteStore(sample_db) as store:
        assert store.audit_log(action="ubo")[0].target == E2


def test_ubo_table_says_when_no_person_owns_the_firm(sample_db: str) -> None:
    result = invoke("ubo", E3.lower(), "--db", sample_db)
    assert result.exit_code == 0, result.output
    assert "actual controller: none" in result.output
    data = json.loads(invoke("ubo", E3, "--db", sample_db, "--json").output)
    assert data["owners"] == [] and data["unallocated_pct"] == 100.0 and data["actual_controller"] is None
    assert data["top_entities"] == [E1]
    assert data["notes"] == [f"100% of the shares trace to no natural person; held through firms with no recorded shareholders: {E1}"]


def test_ubo_of_an_unknown_firm_is_not_found(sample_db: str) -> None:
    result = invoke("ubo", "91440300MA5F00009X", "--db", sample_db)
    assert isinstance(result.exception, NotFoundError)

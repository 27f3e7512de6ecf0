"""BODS 0.4 import, checked against the third-party conformance pack bods-v04-fixtures."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from bods_fixtures import list_cases
from bods_fixtures import load as load_fixture

from credgraph.graph.store import GraphStore
from credgraph.loaders.bods import bods_graph
from credgraph.loaders.load import load_folder

CASES = list_cases()


def import_statements(store: GraphStore, statements: list[dict], tmp_path: Path):
    folder = tmp_path / "bods"
    folder.mkdir(exist_ok=True)
    (folder / "statements.json").write_text(json.dumps(statements, ensure_ascii=False), encoding="utf-8")
    return load_folder(store, folder, report_dir=tmp_path / "report")


def test_the_conformance_pack_is_there() -> None:
    assert {"core/01-direct-ownership", "edge-cases/10-circular-ownership", "edge-cases/11-anonymous-person"} <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_every_statement_of_a_fixture_is_imported(store: GraphStore, tmp_path: Path, case: str) -> None:
    report = import_statements(store, load_fixture(case).statements, tmp_path)
    assert report.rejects == []
    assert report.totals["read"] == report.totals["loaded"] == len(load_fixture(case).statements)


@pytest.mark.parametrize("case", CASES)
def test_importing_a_fixture_twice_changes_nothing(sqlite_store, tmp_path: Path, case: str) -> None:
    import_statements(sqlite_store, load_fixture(case).statements, tmp_path)
    again = import_statements(sqlite_store, load_fixture(case).statements, tmp_path)
    assert sum(f.written for f in again.files) == 0


def test_direct_ownership_keeps_both_interests_apart(store: GraphStore, tmp_path: Path) -> None:
    import_statements(store, load_fixture("core/01-direct-ownership").statements, tmp_path)
    jane = "bods:rec-jane-smith-1975"
    shares = list(store.iter_relationships(["SHAREHOLDER_OF"]))
    controls = list(store.iter_relationships(["CONTROLS"]))
    assert [(r.src, r.dst, r.props["share_pct"]) for r in shares] == [(jane, "GB-COH:10000001", 75.0)]
    assert [(r.props["interest_type"], r.props["share_pct"], r.props["beneficial"]) for r in controls] == [
        ("votingRights", 75.0, True)
    ]
    assert store.get_node("Person", jane).props["birth_date"] == dt.date(1975, 6, 20)


def test_circular_ownership_keeps_both_edges_and_traversal_terminates(store: GraphStore, tmp_path: Path) -> None:
    import_statements(store, load_fixture("edge-cases/10-circular-ownership").statements, tmp_path)
    edges = sorted((r.src, r.dst) for r in store.iter_relationships(["SHAREHOLDER_OF"]))
    assert edges == [("GB-COH:10000010", "GB-COH:10000011"), ("GB-COH:10000011", "GB-COH:10000010")]
    sub = store.neighbourhood("GB-COH:10000010", depth=5)
    assert len(sub.nodes) == 2 and len(sub.relationships) == 2
    assert store.counts()["Person"] == 0


def test_a_declared_unknown_owner_is_kept_as_a_reason_not_a_person(store: GraphStore, tmp_path: Path) -> None:
    import_statements(store, load_fixture("edge-cases/11-anonymous-person").statements, tmp_path)
    entity = store.get_node("Enterprise", "PA-PUB:PA-1000011")
    assert entity.props["unspecified_owner_reason"] == "subjectUnableToConfirmOrIdentifyBeneficialOwner"
    assert "unable to identify" in entity.props["unspecified_owner_description"]
    assert store.counts()["Person"] == 0


def test_an_entity_with_a_uscc_is_keyed_by_it() -> None:
    statements = copy.deepcopy(load_fixture("core/01-direct-ownership").statements)
    statements[0]["recordDetails"]["identifiers"].append({"scheme": "CN-SAMR", "id": "91110108551385082q"})
    graph = bods_graph(statements)
    assert list(graph.enterprises) == ["91110108551385082Q"]


def test_a_relationship_to_an_unknown_record_is_rejected(sqlite_store, tmp_path: Path) -> None:
    statements = copy.deepcopy(load_fixture("core/01-direct-ownership").statements)
    statements[2]["recordDetails"]["interestedParty"] = "rec-nobody"
    report = import_statements(sqlite_store, statements, tmp_path)
    assert [(r.line, r.value) for r in report.rejects] == [(3, "rec-rel-jane-acme")]
    assert "not a record of this file" in report.rejects[0].reason


def test_the_latest_statement_of_a_record_wins_and_closing_ends_it() -> None:
    statements = copy.deepcopy(load_fixture("core/01-direct-ownership").statements)
    closing = copy.deepcopy(statements[2])
    closing |= {"statementId": "closing", "statementDate": "2026-05-01", "recordStatus": "closed"}
    graph = bods_graph([*statements, closing])
    assert {r.props["end_date"] for r in graph.relationships["SHAREHOLDER_OF"]} == {dt.date(2026, 5, 1)}


def test_a_file_that_is_not_json_is_a_whole_file_error(sqlite_store, tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "owners.json").write_text("[{\"recordType\": ", encoding="utf-8")
    report = load_folder(sqlite_store, folder, report_dir=tmp_path / "r")
    assert "not valid JSON" in report.files[0].error


def test_json_that_is_not_bods_is_ignored(sqlite_store, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "truth.json").write_text('{"shell_cluster": []}', encoding="utf-8")
    (folder / "persons.csv").write_text("person_id,name,id_type\nX1,某人,other\n", encoding="utf-8")
    report = load_folder(sqlite_store, folder, report_dir=tmp_path / "r")
    assert report.exit_code == 0 and report.ignored == ["truth.json"]

"""The graph model is declared once and covers the input contract."""

from __future__ import annotations

import pytest

from credgraph.graph import codegen
from credgraph.graph.errors import ModelError
from credgraph.graph.model import MODEL, build_model
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Columns of section 1 of the contract, per file.
CONTRACT_COLUMNS = {
    "enterprises.csv": "uscc name reg_date status end_date registered_capital region_code industry org_type address phone email",
    "persons.csv": "person_id name id_type",
    "agencies.csv": "agency_id name region_code kind",
    "projects.csv": "project_id name agency_id category budget publish_date award_date region_code",
    "penalties.csv": "penalty_id subject_id subject_type decision_date category kind agency_id amount legal_basis description status repaired_date",
    "list_entries.csv": "entry_id subject_id subject_type list listed_date removed_date agency_id reason",
    "legal_reps.csv": "start_date end_date",
    "officers.csv": "role start_date end_date",
    "shareholdings.csv": "holder_type share_pct subscribed_capital start_date end_date",
    "guarantees.csv": "amount start_date end_date",
    "bids.csv": "amount bid_date won",
}
NODE_LABELS = ("Enterprise Person Agency Project Penalty ListEntry Address Phone Email "
               "SourceRecord Mention ReviewDecision").split()


def _declared_by_file() -> dict[str, set[str]]:
    declared = {}
    for item in [*MODEL.nodes.values(), *MODEL.relationships.values()]:
        if item.file:
            declared[item.file] = set(item.properties)
    return declared


@pytest.mark.parametrize("file", sorted(CONTRACT_COLUMNS))
def test_every_contract_column_is_declared(file: str) -> None:
    assert set(CONTRACT_COLUMNS[file].split()) <= _declared_by_file()[file]


def test_every_node_label_of_the_issue_is_declared() -> None:
    assert list(MODEL.nodes) == NODE_LABELS


def test_relationship_files_name_both_ends() -> None:
    for rel in MODEL.relationships.values():
        assert (rel.file is None) == (rel.ends == ()), rel.type


def test_every_relationship_type_is_reachable_from_a_file() -> None:
    made_by_property = {p.relation for n in MODEL.nodes.values() for p in n.properties.values()}
    for rel in MODEL.relationships.values():
        assert rel.file or rel.source or rel.type in made_by_property, rel.type


def test_a_declaration_naming_an_undeclared_key_is_refused() -> None:
    declaration = {
        "nodes": {"Thing": {"key": "id", "description": "x", "properties": {"name": {"type": "string"}}}},
        "relationships": {},
    }
    with pytest.raises(ModelError, match="undeclared property 'id'"):
        build_model(declaration)


def test_asking_for_an_unknown_label_lists_the_known_ones() -> None:
    with pytest.raises(ModelError, match="known: Enterprise, Person"):
        MODEL.node("Company")


@pytest.mark.parametrize("relative", sorted(codegen.GENERATED))
def test_generated_files_are_up_to_date(relative: str) -> None:
    committed = (ROOT / relative).read_text(encoding="utf-8")
    assert committed == codegen.GENERATED[relative](), (
        f"{relative} is stale: run `python -m credgraph.graph.codegen` and commit it"
    )

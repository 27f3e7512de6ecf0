"""Ownership and control: effective shares through chains, diamonds and cycles; controllers; BODS fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from bods_fixtures import load as load_fixture
from hypothesis import given, settings
from hypothesis import strategies as st

from credgraph.analytics.config import OwnershipConfig
from credgraph.analytics.control import beneficial_owners
from credgraph.analytics.jobs import ubo_report
from credgraph.analytics.ownership import effective_ownership
from credgraph.graph.errors import NotFoundError
from credgraph.graph.records import NodeRow, Origin, RelRow
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from credgraph.loaders.load import load_folder
from tests.analytics_graphs import AS_OF, D, graph


def holds(holder: str, firm: str, pct: float) -> tuple[str, str, str, dict]:
    return ("SHAREHOLDER_OF", holder, firm, {"share_pct": pct})


def owners(result) -> dict[str, float]:
    return {o.owner_id: o.effective_pct for o in result.owners}


def test_a_chain_multiplies_shares() -> None:
    result = beneficial_owners(graph([holds("p1", "e1", 80), holds("e1", "e2", 50), holds("e2", "e3", 100)]), "e3")
    assert owners(result) == {"p1": 40.0}
    assert result.owners[0].paths == [["p1", "e1", "e2", "e3"]]
    assert result.unallocated_pct == 60.0 and result.actual_controller is None


def test_a_diamond_adds_both_paths_and_lists_them_strongest_first() -> None:
    projection = graph([holds("p1", "e1", 100), holds("p1", "e2", 100), holds("e1", "e9", 40),
                        holds("e2", "e9", 20), holds("p2", "e9", 40)])
    result = beneficial_owners(projection, "e9")
    assert owners(result) == {"p1": 60.0, "p2": 40.0}
    assert result.owners[0].paths == [["p1", "e1", "e9"], ["p1", "e2", "e9"]]
    assert result.actual_controller is not None and result.actual_controller.basis == "effective_pct>=50"
    assert [o.beneficial for o in result.owners] == [True, True]


def test_cross_holdings_allocate_all_shares_to_the_outside_holders() -> None:
    # A holds 40% of B and B 40% of A; X holds the other 60% of A, Y of B.
    # X in A: x = 0.6 + 0.4 * (0.4 * x)  =>  x = 0.6 / 0.84; summing simple paths would give only 84%.
    projection = graph([holds("e1", "e2", 40), holds("e2", "e1", 40), holds("p1", "e1", 60), holds("p2", "e2", 60)])
    result = beneficial_owners(projection, "e1")
    assert owners(result) == {"p1": round(100 * 0.6 / 0.84, 4), "p2": round(100 * 0.24 / 0.84, 4)}
    assert result.unallocated_pct == 0.0 and result.cycles == [["e1", "e2"]] and result.closed_cycles == []


def test_a_closed_cycle_terminates_without_owner_and_caps_downstream_shares() -> None:
    projection = graph([holds("e1", "e2", 100), holds("e2", "e1", 100), holds("e1", "e3", 50), holds("p1", "e3", 50)])
    closed = beneficial_owners(projection, "e1")
    assert closed.owners == [] and closed.actual_controller is None
    assert closed.closed_cycles == [["e1", "e2"]] and "no natural-person owner" in closed.notes[0]
    below = beneficial_owners(projection, "e3")
    assert owners(below) == {"p1": 50.0} and below.unallocated_pct == 50.0


def test_holders_over_one_hundred_percent_are_scaled_down() -> None:
    result = beneficial_owners(graph([holds("p1", "e1", 90), holds("p2", "e1", 60)]), "e1")
    assert owners(result) == {"p1": 60.0, "p2": 40.0}
    assert effective_ownership(graph([holds("p1", "e1", 90), holds("p2", "e1", 60)])).over_allocated == ["e1"]


def test_majority_chain_controls_below_fifty_percent_cash_flow() -> None:
    projection = graph([holds("p1", "e1", 60), holds("e1", "e2", 60), holds("p2", "e2", 40)])
    result = beneficial_owners(projection, "e2")
    assert owners(result) == {"p2": 40.0, "p1": 36.0}
    assert result.actual_controller is not None
    assert (result.actual_controller.owner_id, result.actual_controller.basis) == ("p1", "majority_chain>50")


@pytest.mark.parametrize(("rep", "controller"), [("p1", "p1"), ("p2", None)])
def test_largest_holder_who_is_legal_rep_is_the_fallback_controller(rep, controller) -> None:
    projection = graph([holds("p1", "e1", 40), holds("p2", "e1", 30), holds("p3", "e1", 30), ("LEGAL_REP_OF", rep, "e1", {})])
    result = beneficial_owners(projection, "e1")
    assert (result.actual_controller.owner_id if result.actual_controller else None) == controller
    if controller:
        assert result.actual_controller.basis == "largest_holder>=25+legal_rep"
    rules_off = beneficial_owners(projection, "e1", OwnershipConfig(controller_rules=("effective_pct",)))
    assert rules_off.actual_controller is None


def test_a_fifty_fifty_split_names_no_controller_and_voting_rights_can() -> None:
    split = [holds("p1", "e1", 50), holds("p2", "e1", 50)]
    assert beneficial_owners(graph(split), "e1").actual_controller is None
    voting = beneficial_owners(graph([*split, ("CONTROLS", "p2", "e1", {"interest_type": "votingRights", "share_pct": 60.0})]), "e1")
    assert voting.actual_controller is not None
    assert (voting.actual_controller.owner_id, voting.actual_controller.basis) == ("p2", "control_interest:votingRights>=50")


def test_an_unknown_firm_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        beneficial_owners(graph([holds("p1", "e1", 50)]), "e7")


@st.composite
def holdings(draw):
    firms = [f"e{i}" for i in range(draw(st.integers(1, 6)))]
    persons = [f"p{i}" for i in range(draw(st.integers(0, 3)))]
    rels = {}
    for _ in range(draw(st.integers(0, 14))):
        holder, firm = draw(st.sampled_from(firms + persons)), draw(st.sampled_from(firms))
        if holder != firm:
            rels[(holder, firm)] = holds(holder, firm, float(draw(st.integers(1, 100))))
    return list(rels.values()), firms


@settings(max_examples=100, deadline=None)
@given(holdings())
def test_effective_shares_never_exceed_one_hundred_percent(sample) -> None:
    rels, firms = sample
    projection = graph(rels, extra_nodes=firms)
    matrix = effective_ownership(projection).matrix
    assert np.all(matrix.data >= 0)
    assert np.all(np.asarray(matrix.sum(axis=0)).ravel() <= 1.0 + 1e-9)
    for firm in firms:
        shares = owners(beneficial_owners(projection, firm))
        assert sum(shares.values()) <= 100.0 + 0.00005 * len(shares)  # each rounded to 4 decimals


def test_whole_graph_and_per_firm_results_agree() -> None:
    projection = graph([holds("p1", "e1", 70), holds("e1", "e2", 60), holds("e2", "e1", 20), holds("p2", "e2", 40),
                        holds("e2", "e3", 100)])
    everything = effective_ownership(projection)
    for firm in ("e1", "e2", "e3"):
        per_firm = owners(beneficial_owners(projection, firm))
        assert per_firm == {k: round(100 * v, 4) for k, v in everything.column(firm).items()}


# -- BODS conformance fixtures, through both stores -------------------------------------


def import_fixture(store: GraphStore, case: str, tmp_path: Path) -> None:
    folder = tmp_path / "bods"
    folder.mkdir(exist_ok=True)
    (folder / "statements.json").write_text(json.dumps(load_fixture(case).statements), encoding="utf-8")
    load_folder(store, folder, report_dir=tmp_path / "report")


def test_bods_direct_ownership_jane_owns_and_controls_acme(store: GraphStore, tmp_path: Path) -> None:
    import_fixture(store, "core/01-direct-ownership", tmp_path)
    result = ubo_report(store, "GB-COH:10000001", AS_OF).as_dict()
    assert result["owners"] == [{"owner_id": "bods:rec-jane-smith-1975", "owner_type": "person", "effective_pct": 75.0,
                                 "beneficial": True, "paths": [["bods:rec-jane-smith-1975", "GB-COH:10000001"]],
                                     "path_grades": [["exact"]]}]
    assert result["actual_controller"] == {"owner_id": "bods:rec-jane-smith-1975", "basis": "effective_pct>=50"}


def test_bods_circular_ownership_terminates_with_no_person_owner(store: GraphStore, tmp_path: Path) -> None:
    import_fixture(store, "edge-cases/10-circular-ownership", tmp_path)
    for firm in ("GB-COH:10000010", "GB-COH:10000011"):
        result = ubo_report(store, firm, AS_OF)
        assert result.owners == [] and result.actual_controller is None
        assert result.closed_cycles == [["GB-COH:10000010", "GB-COH:10000011"]]
        assert any("no natural-person owner" in note for note in result.notes)


def test_bods_anonymous_person_is_reported_as_declared_unknown(store: GraphStore, tmp_path: Path) -> None:
    import_fixture(store, "edge-cases/11-anonymous-person", tmp_path)
    result = ubo_report(store, "PA-PUB:PA-1000011", AS_OF)
    assert result.owners == [] and result.actual_controller is None
    assert result.declared_unknown[0]["reason"] == "subjectUnableToConfirmOrIdentifyBeneficialOwner"
    assert "unable to identify" in result.declared_unknown[0]["description"]


def test_expired_shareholdings_do_not_count(store: GraphStore) -> None:
    origin = Origin("load-t", "t", "2024-01-01T00:00:00+00:00")
    old, new, firm = "440106198001010019", "440305199002150020", "914403001922038216"
    store.upsert_nodes("Person", [NodeRow({"person_id": old, "name": "甲"}), NodeRow({"person_id": new, "name": "乙"})], origin)
    store.upsert_nodes("Enterprise", [NodeRow({"uscc": firm, "name": "华为", "reg_date": D(1987, 9, 15)})], origin)
    store.upsert_relationships("SHAREHOLDER_OF", [
        RelRow(old, firm, {"holder_type": "person", "share_pct": 80.0, "end_date": D(2020, 1, 1)}, src_label="Person"),
        RelRow(new, firm, {"holder_type": "person", "share_pct": 80.0, "start_date": D(2020, 1, 1)}, src_label="Person"),
    ], origin)
    assert owners(ubo_report(store, firm, D(2019, 1, 1))) == {old: 80.0}
    assert owners(ubo_report(store, firm, AS_OF)) == {new: 80.0}
    with pytest.raises(NotFoundError):
        ubo_report(store, "91110108551385082Q", AS_OF)


def test_generated_ownership_truth_is_reproduced(tmp_path: Path) -> None:
    from credgraph.synthetic.generate import generate

    data = generate(size="S", seed=3, out=tmp_path / "s3").out
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    with SqliteStore(tmp_path / "s3.db") as store:
        store.ensure_schema()
        load_folder(store, data, report_dir=tmp_path / "report")
        checked = 0
        for structure in truth["ownership"]:
            for expected in structure["enterprises"]:
                result = ubo_report(store, expected["uscc"], D(2024, 6, 30))
                assert owners(result) == pytest.approx({o["owner_id"]: o["effective_pct"] for o in expected["owners"]}, abs=1e-3)
                if expected["actual_controller"] is not None:
                    assert result.as_dict()["actual_controller"] == expected["actual_controller"]
                checked += 1
    assert checked > 20

"""The store interface, specified once and run against both stores."""

from __future__ import annotations

import datetime as dt

import pytest

from credgraph.graph.errors import MissingEndpointError, ModelError, NotFoundError
from credgraph.graph.records import Finding, NodeRow, Origin, RelRow, Run
from credgraph.graph.store import GraphStore
from tests.sample_graph import (
    A1, E1, E2, E3, E4, NODE_COUNT, ORIGIN, P1, P2, P3, PHONE, RELATIONSHIP_COUNT, load_sample,
)

LATER = Origin("load-later", "enterprises.csv", "2024-02-01T00:00:00+00:00")


def keys(nodes) -> set[str]:
    return {n.key for n in nodes}


def test_counts_cover_every_label_and_type(sample_store: GraphStore) -> None:
    counts = sample_store.counts()
    assert sum(counts[label] for label in sample_store.model.nodes) == NODE_COUNT
    assert sum(counts[t] for t in sample_store.model.relationships) == RELATIONSHIP_COUNT
    assert counts["Email"] == 0


def test_a_node_reads_back_with_typed_properties(sample_store: GraphStore) -> None:
    node = sample_store.get_node("Enterprise", E4)
    assert node.props["end_date"] == dt.date(2020, 1, 1)
    assert node.props["status"] == "cancelled"
    assert node.provenance["load_id"] == "load-sample"


def test_undeclared_columns_are_kept_as_strings(sample_store: GraphStore) -> None:
    assert sample_store.get_node("Person", P3).props["nickname"] == "老王"


def test_a_missing_node_is_none(sample_store: GraphStore) -> None:
    assert sample_store.get_node("Enterprise", "91440300MA5F00005N") is None


def test_loading_the_same_rows_twice_changes_nothing(sample_store: GraphStore) -> None:
    before = sample_store.get_node("Enterprise", E1)
    again = Origin("load-again", "enterprises.csv", "2024-03-01T00:00:00+00:00")
    from tests.sample_graph import NODES
    result = sample_store.upsert_nodes("Enterprise", [NodeRow(p) for p in NODES["Enterprise"]], again)
    assert (result.written, result.unchanged) == (0, 4)
    assert sample_store.get_node("Enterprise", E1) == before
    assert sample_store.counts()["Enterprise"] == 4


def test_a_changed_row_replaces_the_node_and_extends_its_history(sample_store: GraphStore) -> None:
    row = {"uscc": E2, "name": "小米科技有限责任公司", "reg_date": dt.date(2010, 3, 3), "status": "abnormal"}
    result = sample_store.upsert_nodes("Enterprise", [NodeRow(row, line=7)], LATER)
    assert result.written == 1
    node = sample_store.get_node("Enterprise", E2)
    assert node.props["status"] == "abnormal"
    assert node.provenance["load_ids"] == ["load-sample", "load-later"]
    assert node.provenance["source_line"] == 7


def test_a_relationship_to_an_unknown_node_writes_nothing(sample_store: GraphStore) -> None:
    rows = [RelRow(P2, E2, {"start_date": dt.date(2020, 1, 1)}), RelRow(P2, "91440300MA5F00005N", {})]
    with pytest.raises(MissingEndpointError, match="91440300MA5F00005N"):
        sample_store.upsert_relationships("LEGAL_REP_OF", rows, LATER)
    assert sample_store.counts()["LEGAL_REP_OF"] == 2


def test_the_same_pair_in_two_periods_is_two_relationships(sample_store: GraphStore) -> None:
    sample_store.upsert_relationships(
        "LEGAL_REP_OF", [RelRow(P1, E1, {"start_date": dt.date(2016, 1, 1)})], LATER
    )
    assert sample_store.counts()["LEGAL_REP_OF"] == 3


def test_a_shareholder_must_say_whether_it_is_a_person_or_a_firm(store: GraphStore) -> None:
    with pytest.raises(ModelError, match="src_label"):
        store.upsert_relationships("SHAREHOLDER_OF", [RelRow(P1, E1, {"share_pct": 5.0})], ORIGIN)


def test_find_nodes_looks_across_labels(sample_store: GraphStore) -> None:
    assert [n.label for n in sample_store.find_nodes(A1)] == ["Agency"]


def test_search_finds_a_chinese_substring(sample_store: GraphStore) -> None:
    assert [n.key for n in sample_store.search("科技")] == [E2]


def test_search_puts_the_exact_key_first(sample_store: GraphStore) -> None:
    assert sample_store.search(E3)[0].key == E3


def test_search_orders_by_name_length(sample_store: GraphStore) -> None:
    names = [n.name for n in sample_store.search("公司", labels=["Enterprise"])]
    assert names == ["旧公司", "华为技术有限公司", "小米科技有限责任公司", "深圳壳一贸易有限公司"]


def test_search_respects_labels_and_limit(sample_store: GraphStore) -> None:
    assert sample_store.search("公司", labels=["Person"]) == []
    assert len(sample_store.search("公司", limit=2)) == 2


def test_hostile_names_are_stored_verbatim(store: GraphStore) -> None:
    name = "x'}) MATCH (n) DETACH DELETE n //\"; DROP TABLE nodes; -- <script>alert(1)</script> =1+1 \u202e"
    store.upsert_nodes("Person", [NodeRow({"person_id": P1, "name": name})], ORIGIN)
    assert store.get_node("Person", P1).name == name
    assert [n.key for n in store.search("DROP TABLE")] == [P1]


def test_neighbourhood_depth_one(sample_store: GraphStore) -> None:
    sub = sample_store.neighbourhood(E3, depth=1)
    assert keys(sub.nodes) == {E3, E1, E2, PHONE, "PEN1"}
    assert sub.depth[E3] == 0 and sub.depth[E1] == 1


def test_neighbourhood_is_the_induced_subgraph(sample_store: GraphStore) -> None:
    sub = sample_store.neighbourhood(E3, depth=1)
    types = sorted(r.type for r in sub.relationships)
    assert types == ["GUARANTEES", "GUARANTEES", "HAS_PENALTY", "HAS_PHONE", "HAS_PHONE", "SHAREHOLDER_OF"]


def test_neighbourhood_filters_relationship_types(sample_store: GraphStore) -> None:
    sub = sample_store.neighbourhood(E3, depth=3, rel_types=["GUARANTEES"])
    assert keys(sub.nodes) == {E3, E2}


def test_neighbourhood_as_of_drops_ended_relationships(sample_store: GraphStore) -> None:
    sub = sample_store.neighbourhood(E1, depth=1, as_of=dt.date(2016, 1, 1))
    assert P2 in keys(sub.nodes) and P1 not in keys(sub.nodes)
    earlier = sample_store.neighbourhood(E1, depth=1, as_of=dt.date(2010, 1, 1))
    assert P1 in keys(earlier.nodes) and P2 not in keys(earlier.nodes)


def test_neighbourhood_as_of_drops_nodes_not_in_force(sample_store: GraphStore) -> None:
    assert E4 in keys(sample_store.neighbourhood(P3, 1, as_of=dt.date(2019, 12, 31)).nodes)
    assert E4 not in keys(sample_store.neighbourhood(P3, 1, as_of=dt.date(2020, 1, 1)).nodes)
    assert "LE1" not in keys(sample_store.neighbourhood(P3, 1, as_of=dt.date(2021, 5, 1)).nodes)


def test_neighbourhood_of_an_unknown_subject_is_not_found(sample_store: GraphStore) -> None:
    with pytest.raises(NotFoundError, match="no subject"):
        sample_store.neighbourhood("nobody")


def test_an_unknown_relationship_type_is_a_model_error(sample_store: GraphStore) -> None:
    with pytest.raises(ModelError, match="FRIEND_OF"):
        sample_store.neighbourhood(E1, rel_types=["FRIEND_OF"])


def test_projection_as_of_keeps_what_is_in_force(sample_store: GraphStore) -> None:
    projection = sample_store.project(as_of=dt.date(2024, 1, 1))
    assert E4 not in projection.index
    assert "LE1" not in projection.index
    guarantees = [t for t in projection.rel_types if t == "GUARANTEES"]
    assert len(guarantees) == 1


def test_scores_survive_a_reload(sample_store: GraphStore) -> None:
    sample_store.write_scores("Enterprise", {E3: {"total_score": 0.9, "grade": "D"}}, "run-1")
    row = {"uscc": E3, "name": "深圳壳一贸易有限公司", "reg_date": dt.date(2018, 6, 1), "registered_capital": 2.0}
    sample_store.upsert_nodes("Enterprise", [NodeRow(row)], LATER)
    node = sample_store.get_node("Enterprise", E3)
    assert node.scores == {"total_score": 0.9, "grade": "D", "score_run_id": "run-1"}
    assert node.props["registered_capital"] == 2.0


def test_undeclared_score_names_are_refused(sample_store: GraphStore) -> None:
    with pytest.raises(ModelError, match="undeclared score"):
        sample_store.write_scores("Enterprise", {E3: {"vibes": 1}}, "run-1")


def test_findings_are_stored_per_run(sample_store: GraphStore) -> None:
    sample_store.record_run(Run("run-1", "detect", "2024-01-01T00:00:00+00:00", {"as_of": "2024-01-01"}, "ana"))
    finding = Finding("gc-1", "guarantee_circle", (E2, E3), 0.8, dt.date(2024, 1, 1),
                      {"relationships": [["GUARANTEES", E2, E3]]})
    sample_store.write_findings("run-1", [finding])
    assert sample_store.findings() == [finding]
    assert sample_store.findings(subject=E3) == [finding]
    assert sample_store.findings(subject=E1) == []
    assert sample_store.findings(detector="bid_rigging") == []
    assert sample_store.runs()[0].params == {"as_of": "2024-01-01"}


def test_load_history_lists_newest_first(store: GraphStore) -> None:
    first = store.begin_load("data/a", "alice")
    second = store.begin_load("data/b", "bob")
    store.finish_load(first.load_id, "ok", {"enterprises.csv": {"read": 3, "loaded": 3}})
    history = {r.load_id: r for r in store.loads()}
    assert history[first.load_id].status == "ok"
    assert history[first.load_id].counts["enterprises.csv"]["loaded"] == 3
    assert history[second.load_id].status == "running"


def test_finishing_an_unknown_load_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        store.finish_load("load-nope", "ok", {})


def test_the_audit_log_lists_newest_first_and_filters(store: GraphStore) -> None:
    store.audit("alice", "view_subject", E1, {"depth": 2})
    store.audit("bob", "export", E2)
    store.audit("alice", "search", "华为")
    assert [e.action for e in store.audit_log()] == ["search", "export", "view_subject"]
    assert [e.target for e in store.audit_log(user="alice", action="view_subject")] == [E1]
    assert store.audit_log(limit=1)[0].details == {}


def test_existing_keys_reports_only_nodes_of_the_label(sample_store: GraphStore) -> None:
    assert sample_store.existing_keys("Enterprise", [E1, P1, "nope", E1]) == {E1}


def test_replacing_a_firms_phone_moves_its_link(sample_store: GraphStore) -> None:
    sample_store.upsert_nodes("Phone", [NodeRow({"phone": "02012345678"})], LATER)
    result = sample_store.replace_relationships("HAS_PHONE", "Enterprise", [E2], [RelRow(E2, "02012345678")], LATER)
    assert result.written == 2
    phones = {r.dst for r in sample_store.iter_relationships(["HAS_PHONE"])}
    assert phones == {PHONE, "02012345678"}
    assert E2 not in keys(sample_store.neighbourhood(PHONE, 1).nodes)


def test_replacing_with_the_same_links_changes_nothing(sample_store: GraphStore) -> None:
    result = sample_store.replace_relationships("HAS_PHONE", "Enterprise", [E2, E3], [RelRow(E2, PHONE), RelRow(E3, PHONE)], LATER)
    assert (result.written, result.unchanged) == (0, 2)


def test_replacing_at_the_target_end_is_owned_by_the_record(sample_store: GraphStore) -> None:
    sample_store.replace_relationships("HAS_PENALTY", "Penalty", ["PEN1"], [RelRow(E2, "PEN1", src_label="Enterprise")], LATER)
    assert [(r.src, r.dst) for r in sample_store.iter_relationships(["HAS_PENALTY"])] == [(E2, "PEN1")]


def test_an_atomic_block_that_fails_writes_nothing_in_the_embedded_store(sqlite_store) -> None:
    load_sample(sqlite_store)
    with pytest.raises(MissingEndpointError):
        with sqlite_store.atomic():
            sqlite_store.upsert_nodes("Phone", [NodeRow({"phone": "02099999999"})], LATER)
            sqlite_store.upsert_relationships("HAS_PHONE", [RelRow(E1, "0000")], LATER)
    assert sqlite_store.get_node("Phone", "02099999999") is None

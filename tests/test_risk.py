"""Risk: own risk from records, linked risk over typed links, grades, explanations.

Expected values are computed by hand from the defaults in analytics/risk.toml:
decay d = 0.5; LEGAL_REP_OF 0.8 both ways; SHAREHOLDER_OF 0.8 forward and 0.6
backward times the share; GUARANTEES 0.3 forward, 0.7 backward; phone 0.6 back
to a firm; a subject's incoming weights scaled to sum to at most 1.
"""

from __future__ import annotations

import math
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credgraph.analytics.config import load_config
from credgraph.analytics.explain import explain_risk
from credgraph.analytics.jobs import run_risk
from credgraph.analytics.propagation import build_network, propagate, source_weights
from credgraph.analytics.risk import own_risk, penalty_weight, risk_scores
from credgraph.graph.records import NodeRow, Origin, RelRow
from credgraph.graph.store import GraphStore
from tests.analytics_graphs import AS_OF, D, config_with, graph, listing, penalty
from tests.sample_graph import E1, E3, P3

DEBTOR = 100 * (1 - math.exp(-1.0))  # one dishonest_debtor entry in force: 63.2121
CFG = load_config()


def scores_by_id(projection, as_of=AS_OF, config=None):
    result = risk_scores(projection, as_of, config)
    return {row["subject_id"]: row for row in result.rows()}, result


# -- own risk ---------------------------------------------------------------------


def test_a_listed_person_taints_the_firm_they_represent() -> None:
    rows, _ = scores_by_id(graph([("LEGAL_REP_OF", "p1", "e1", {})], [("p1", "L1", listing())]))
    assert rows["p1"]["own_score"] == round(DEBTOR, 2) and rows["p1"]["grade"] == "D"
    assert rows["e1"]["linked_score"] == round(0.5 * 0.8 * DEBTOR, 2) == 25.28
    assert rows["e1"]["grade"] == "B"
    assert rows["p1"]["linked_score"] == 0.0  # non-backtracking: no echo of its own risk


def test_penalty_severity_decays_with_age_and_stops_after_five_years() -> None:
    own = CFG.own
    fresh = penalty_weight(penalty("bribery", "criminal", AS_OF), AS_OF, own)
    assert fresh == 1.5 * 2.0
    two_years = penalty_weight(penalty("bribery", "criminal", D(2022, 6, 30)), AS_OF, own)
    assert two_years == pytest.approx(3.0 * 0.5 ** (731 / 730))
    assert penalty_weight(penalty("bribery", "criminal", D(2019, 7, 1)), AS_OF, own) == 0.0  # 1826 days
    assert penalty_weight(penalty(decided=D(2024, 7, 1)), AS_OF, own) == 0.0  # not decided yet


@pytest.mark.parametrize(
    ("status", "ended", "counts"),
    [
        ("repaired", D(2024, 1, 1), False),   # repaired before as_of: stops counting
        ("repaired", D(2024, 12, 1), True),   # repaired later: still counts on as_of
        ("repaired", None, False),
        ("revoked", None, False),             # withdrawn, no date: never counts
        ("revoked", D(2025, 1, 1), True),
        ("effective", None, True),
    ],
)
def test_repaired_and_revoked_penalties_stop_counting_from_their_date(status, ended, counts) -> None:
    props = penalty(decided=D(2023, 6, 30), status=status, repaired_date=ended)
    assert (penalty_weight(props, AS_OF, CFG.own) > 0) is counts


def test_list_entries_count_only_while_in_force() -> None:
    projection = graph([], [("p1", "L1", listing(removed=D(2024, 6, 30))), ("p2", "L2", listing(listed=D(2024, 7, 1))),
                            ("p3", "L3", listing(removed=D(2024, 7, 1)))])
    rows, _ = scores_by_id(projection)
    assert (rows["p1"]["own_score"], rows["p2"]["own_score"]) == (0.0, 0.0)
    assert rows["p3"]["own_score"] == round(DEBTOR, 2)


def test_the_red_list_lowers_own_and_linked_risk() -> None:
    projection = graph([("LEGAL_REP_OF", "p1", "e1", {})],
                       [("p1", "L1", listing()), ("e1", "P1", penalty("tax", "fine")), ("e1", "R1", listing("red_list"))])
    rows, _ = scores_by_id(projection)
    own_e1 = 100 * (1 - math.exp(-0.72)) * 0.5
    assert rows["e1"]["own_score"] == round(own_e1, 2)
    assert rows["e1"]["linked_score"] == round(0.5 * 0.5 * 0.8 * DEBTOR, 2)


def test_black_list_floor_grades_a_listed_subject_at_least_c() -> None:
    light = listing("dishonest_debtor")
    rows, _ = scores_by_id(graph([], [("p1", "L1", light)]), config=config_with({"own": {"lists": {"dishonest_debtor": 0.01}}}))
    assert rows["p1"]["total_score"] < 10 and rows["p1"]["grade"] == "C"
    rows, _ = scores_by_id(graph([], [("p1", "L1", listing("abnormal_operation"))]))
    assert rows["p1"]["grade"] == "B"  # not a floor list: 100 * (1 - e^-0.3) = 25.9


# -- linked risk ------------------------------------------------------------------


def test_a_chain_decays_per_hop_with_saturated_incoming_weights() -> None:
    projection = graph([("LEGAL_REP_OF", "p1", "e1", {}), ("SHAREHOLDER_OF", "e1", "e2", {"share_pct": 100.0}),
                        ("SHAREHOLDER_OF", "e2", "e3", {"share_pct": 50.0})], [("p1", "L1", listing())])
    rows, _ = scores_by_id(projection)
    e1 = DEBTOR * 0.5 * 0.8 / (0.8 + 0.6)      # e1 also hears from e2 (0.6 back): weights scaled to sum 1
    e2 = e1 * 0.5 * 0.8 / (0.8 + 0.6 * 0.5)    # e2 hears from e1 (0.8) and from e3 (0.6 * 50%)
    e3 = e2 * 0.5 * 0.8 * 0.5
    assert [rows[k]["linked_score"] for k in ("e1", "e2", "e3")] == [round(v, 2) for v in (e1, e2, e3)]


def test_guarantee_risk_falls_mostly_on_the_guarantor() -> None:
    debtor_bad, _ = scores_by_id(graph([("GUARANTEES", "e1", "e2", {})], [("e2", "L1", listing())]))
    guarantor_bad, _ = scores_by_id(graph([("GUARANTEES", "e1", "e2", {})], [("e1", "L1", listing())]))
    assert debtor_bad["e1"]["linked_score"] == round(0.5 * 0.7 * DEBTOR, 2)
    assert guarantor_bad["e2"]["linked_score"] == round(0.5 * 0.3 * DEBTOR, 2)


def test_a_shared_phone_is_one_hop_and_a_business_centre_is_damped() -> None:
    rows, _ = scores_by_id(graph([("HAS_PHONE", "e1", "t1", {}), ("HAS_PHONE", "e2", "t1", {})], [("e1", "L1", listing())]))
    assert rows["e2"]["linked_score"] == round(0.5 * 0.6 * DEBTOR, 2)
    firms = [f"e{i}" for i in range(12)]
    centre = graph([("HAS_ADDRESS", f, "a1", {}) for f in firms], [("e0", "L1", listing())])
    rows, _ = scores_by_id(centre)
    expected = DEBTOR * (1 / 11) * 0.5 * 0.3 * (5 / 11)  # average of 11 others, hub_cap 5 of 11
    assert rows["e5"]["linked_score"] == round(expected, 2)
    assert "a1" not in rows  # intermediates get no score of their own


def test_a_guarantee_ring_terminates_and_stays_bounded() -> None:
    ring = [("GUARANTEES", "e1", "e2", {}), ("GUARANTEES", "e2", "e3", {}), ("GUARANTEES", "e3", "e1", {})]
    rows, result = scores_by_id(graph(ring, [("e1", "L1", listing("bribery_record"))]))
    assert all(0 <= r["total_score"] <= 100 for r in rows.values())
    echo = 0.5**3 * (0.3**3 + 0.7**3)  # round the ring either way, 3 hops; twice round adds < 0.002
    assert echo * rows["e1"]["own_score"] < rows["e1"]["linked_score"] < 0.05 * rows["e1"]["own_score"]
    assert rows["e3"]["linked_score"] > rows["e2"]["linked_score"]  # e3 guarantees e1 (0.7) > e2 is its debtor (0.3)


def test_explanations_add_up_and_name_the_strongest_chain() -> None:
    projection = graph([("LEGAL_REP_OF", "p1", "e1", {}), ("SHAREHOLDER_OF", "e1", "e2", {"share_pct": 100.0}),
                        ("LEGAL_REP_OF", "p2", "e2", {})], [("p1", "L1", listing()), ("p2", "P2", penalty("statistics", "warning"))])
    result = risk_scores(projection, AS_OF)
    why = explain_risk(result, "e2")
    assert sum(s.contribution for s in why.sources) == pytest.approx(why.linked_score, abs=0.006)
    assert [s.subject_id for s in why.sources] == ["p1", "p2"]
    assert why.paths[0].ids == ["p1", "e1", "e2"]
    assert result.top_paths("e2")[0] == ["p1", "e1", "e2"]


def test_scores_are_deterministic() -> None:
    projection = graph([("LEGAL_REP_OF", "p1", "e1", {}), ("HAS_PHONE", "e1", "t1", {}), ("HAS_PHONE", "e2", "t1", {})],
                       [("p1", "L1", listing())])
    assert list(risk_scores(projection, AS_OF).rows()) == list(risk_scores(projection, AS_OF).rows())


# -- against a brute-force reference and properties ------------------------------------

TYPES = ["LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF", "GUARANTEES", "HAS_PHONE"]


@st.composite
def small_graphs(draw):
    persons, firms = [f"p{i}" for i in range(draw(st.integers(1, 3)))], [f"e{i}" for i in range(draw(st.integers(1, 4)))]
    rels = []
    for _ in range(draw(st.integers(0, 9))):
        kind = draw(st.sampled_from(TYPES))
        dst = draw(st.sampled_from(firms))
        if kind in ("LEGAL_REP_OF", "OFFICER_OF"):
            src = draw(st.sampled_from(persons))
        elif kind == "HAS_PHONE":
            src, dst = dst, draw(st.sampled_from(["t0", "t1"]))
        else:
            src = draw(st.sampled_from(persons + firms if kind == "SHAREHOLDER_OF" else firms))
        props = {"share_pct": float(draw(st.integers(1, 100)))} if kind == "SHAREHOLDER_OF" else {}
        if kind == "OFFICER_OF":
            props = {"role": draw(st.sampled_from(["chair", "director", "other"]))}
        if src != dst:
            rels.append((kind, src, dst, props))
    records = [
        (draw(st.sampled_from(persons + firms)), f"R{i}",
         penalty(draw(st.sampled_from(["tax", "bribery", "other"])), draw(st.sampled_from(["warning", "fine", "criminal"])),
                 D(2024, 1, draw(st.integers(1, 28)))))
        for i in range(draw(st.integers(0, 3)))
    ]
    return rels, records, persons + firms


def brute_force(net, source, hops):
    """Sum over every non-backtracking walk of up to ``hops`` links of s[start] * product of c."""
    out = [[] for _ in range(net.n)]
    for e in range(net.link_count):
        out[net.src[e]].append(e)
    linked = np.zeros(net.n)

    def walk(node, previous, strength, left):
        for e in out[node]:
            nxt = int(net.dst[e])
            if nxt != previous:
                linked[nxt] += strength * net.coef[e]
                if left > 1:
                    walk(nxt, node, strength * net.coef[e], left - 1)

    for start in np.flatnonzero(source > 0):
        walk(int(start), -1, source[start], hops)
    return linked


@settings(max_examples=60, deadline=None)
@given(small_graphs(), st.integers(1, 5))
def test_propagation_equals_the_sum_over_non_backtracking_walks(sample, hops) -> None:
    rels, records, _ = sample
    projection = graph(rels, records)
    own = own_risk(projection, AS_OF, CFG).score
    net = build_network(projection, CFG.propagation)
    assert propagate(net, own, hops) == pytest.approx(brute_force(net, own, hops), abs=1e-9)
    for node in range(net.n):
        assert source_weights(net, node, hops) @ own == pytest.approx(propagate(net, own, hops)[node], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(small_graphs())
def test_scores_are_bounded_and_zero_without_sources(sample) -> None:
    rels, records, extra = sample
    result = risk_scores(graph(rels, records, extra), AS_OF)
    for values in (result.own, result.linked, result.total):
        assert np.all(values >= 0) and np.all(values <= 100)
    quiet = risk_scores(graph(rels, [], extra), AS_OF)
    assert not quiet.total.any() and set(quiet.grades.tolist()) <= {"A"}


@settings(max_examples=60, deadline=None)
@given(small_graphs(), st.floats(1.0, 3.0))
def test_scores_are_monotone_in_source_severity(sample, factor) -> None:
    rels, records, extra = sample
    projection = graph(rels, records, extra)
    heavier = config_with({"own": {"penalty_kind": {k: v * factor for k, v in CFG.own.penalty_kind.items()}}})
    low, high = risk_scores(projection, AS_OF), risk_scores(projection, AS_OF, heavier)
    assert np.all(high.total >= low.total - 1e-9) and np.all(high.linked >= low.linked - 1e-9)
    more = risk_scores(graph(rels, [*records, (extra[0], "EXTRA", penalty("bribery", "criminal"))], extra), AS_OF)
    assert np.all(more.total >= low.total - 1e-9)


# -- through both stores ------------------------------------------------------------


def test_risk_job_on_the_sample_graph(sample_store: GraphStore) -> None:
    job = run_risk(sample_store, AS_OF, user="tester")
    rows = {r["subject_id"]: r for r in job.scores.rows()}
    age = (AS_OF - D(2022, 2, 2)).days
    own = 100 * (1 - math.exp(-1.5 * 0.6 * 0.5 ** (age / 730)))  # PEN1: bribery fine, decayed
    assert rows[E3]["own_score"] == round(own, 2) and rows[E3]["grade"] == "C"
    assert rows[P3]["own_score"] == 0.0  # LE1 was removed in 2021
    assert rows[E1]["linked_score"] > 0 and rows[E1]["top_paths"][0] == [E3, E1]
    assert sample_store.get_node("Enterprise", E3).scores["grade"] == "C"
    assert sample_store.get_node("Enterprise", E3).scores["score_run_id"] == job.run_id
    assert sample_store.runs("risk")[0].params["as_of"] == "2024-06-30"
    assert sample_store.audit_log(action="risk")[0].user == "tester"


def test_expired_links_and_lists_do_not_carry_risk(store: GraphStore) -> None:
    origin = Origin("load-t", "t", "2024-01-01T00:00:00+00:00")
    person, firm = "440106198001010019", "914403001922038216"
    store.upsert_nodes("Person", [NodeRow({"person_id": person, "name": "张三"})], origin)
    store.upsert_nodes("Enterprise", [NodeRow({"uscc": firm, "name": "华为", "reg_date": D(1987, 9, 15)})], origin)
    store.upsert_nodes("ListEntry", [NodeRow({"entry_id": "L1", "subject_id": person, "subject_type": "person",
                                              "list": "dishonest_debtor", "listed_date": D(2018, 1, 1)})], origin)
    store.upsert_relationships("HAS_LIST_ENTRY", [RelRow(person, "L1", src_label="Person")], origin)
    store.upsert_relationships("LEGAL_REP_OF", [RelRow(person, firm, {"start_date": D(2010, 1, 1), "end_date": D(2020, 1, 1)})], origin)
    for day, expected in [(D(2019, 6, 1), round(0.5 * 0.8 * DEBTOR, 2)), (D(2024, 6, 30), 0.0)]:
        rows = {r["subject_id"]: r for r in run_risk(store, day).scores.rows()}
        assert rows[firm]["linked_score"] == expected


def test_a_deregistered_dishonest_firm_still_taints_its_principal_and_their_new_firm(store: GraphStore) -> None:
    origin = Origin("load-t", "t", "2024-01-01T00:00:00+00:00")
    person, old, new = "440106198001010019", "914403001922038216", "91110108551385082Q"
    store.upsert_nodes("Person", [NodeRow({"person_id": person, "name": "张三"})], origin)
    store.upsert_nodes("Enterprise", [
        NodeRow({"uscc": old, "name": "旧公司", "reg_date": D(2010, 1, 1), "status": "cancelled", "end_date": D(2021, 1, 1)}),
        NodeRow({"uscc": new, "name": "新公司", "reg_date": D(2022, 1, 1)}),
    ], origin)
    store.upsert_nodes("ListEntry", [NodeRow({"entry_id": "L1", "subject_id": old, "subject_type": "enterprise",
                                              "list": "dishonest_debtor", "listed_date": D(2020, 6, 1)})], origin)
    store.upsert_relationships("HAS_LIST_ENTRY", [RelRow(old, "L1", src_label="Enterprise")], origin)
    store.upsert_relationships("LEGAL_REP_OF", [RelRow(person, old, {"start_date": D(2010, 1, 1)}),
                                                RelRow(person, new, {"start_date": D(2022, 1, 1)})], origin)
    rows = {r["subject_id"]: r for r in run_risk(store, AS_OF).scores.rows()}
    assert old not in rows  # ended firms are not graded
    person_linked = 0.5 * 0.8 / 1.6 * DEBTOR  # two legal-rep links in, scaled to sum 1
    assert rows[person]["linked_score"] == round(person_linked, 2)
    assert rows[new]["linked_score"] == round(0.5 * 0.8 * person_linked, 2)
    assert rows[new]["top_paths"] == [[old, person, new]]

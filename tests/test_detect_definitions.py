"""The six detectors on small hand-drawn graphs: each definition, one behaviour per test.

Every test runs three ways: the python engine on the embedded store, and on a
real Neo4j both the cypher engine and the python engine (over Neo4j's
projection). The graphs are built with ``Sketch``, a few lines per picture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from credgraph.analytics.detection import find_patterns
from credgraph.graph.records import Finding, NodeRow, Origin, RelRow
from credgraph.graph.store import GraphStore

AS_OF = dt.date(2024, 6, 30)
ORIGIN = Origin("load-sketch", "sketch", "2024-01-01T00:00:00+00:00")
ENGINES = [
    pytest.param(("sqlite", "python"), id="sqlite-python"),
    pytest.param(("neo4j", "cypher"), id="neo4j-cypher", marks=pytest.mark.neo4j),
    pytest.param(("neo4j", "python"), id="neo4j-python", marks=pytest.mark.neo4j),
]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Sketch:
    """A small graph written into a store: firms, people, records, relations."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def firm(self, uscc: str, reg: str = "2015-01-01", capital: float | None = 500.0, **props: Any) -> str:
        row = {"uscc": uscc, "name": f"{uscc}公司", "reg_date": d(reg), "registered_capital": capital, **props}
        self.store.upsert_nodes("Enterprise", [NodeRow({k: v for k, v in row.items() if v is not None})], ORIGIN)
        return uscc

    def person(self, person_id: str) -> str:
        self.store.upsert_nodes("Person", [NodeRow({"person_id": person_id, "name": person_id})], ORIGIN)
        return person_id

    def rel(self, rel_type: str, src: str, dst: str, src_label: str | None = None, **props: Any) -> None:
        clean = {k: (d(v) if k.endswith("_date") and isinstance(v, str) else v) for k, v in props.items()}
        self.store.upsert_relationships(rel_type, [RelRow(src, dst, clean, src_label=src_label)], ORIGIN)

    def share(self, holder: str, firm: str, pct: float, start: str | None = "2015-01-01", end: str | None = None,
              label: str = "Person") -> None:
        props: dict[str, Any] = {"holder_type": label.lower(), "share_pct": pct}
        if start:
            props["start_date"] = start
        if end:
            props["end_date"] = end
        self.rel("SHAREHOLDER_OF", holder, firm, src_label=label, **props)

    def contact(self, firm: str, kind: str, value: str) -> None:
        label = kind.capitalize()
        self.store.upsert_nodes(label, [NodeRow({kind: value})], ORIGIN)
        self.rel(f"HAS_{kind.upper()}", firm, value)

    def listing(self, entry_id: str, subject: str, subject_type: str, listed: str, removed: str | None = None,
                list_name: str = "dishonest_debtor") -> None:
        row = {"entry_id": entry_id, "subject_id": subject, "subject_type": subject_type, "list": list_name,
               "listed_date": d(listed)}
        if removed:
            row["removed_date"] = d(removed)
        self.store.upsert_nodes("ListEntry", [NodeRow(row)], ORIGIN)
        self.rel("HAS_LIST_ENTRY", subject, entry_id, src_label="Person" if subject_type == "person" else "Enterprise")

    def penalty(self, penalty_id: str, subject: str, subject_type: str, decided: str, status: str = "effective",
                repaired: str | None = None, category: str = "bribery") -> None:
        row = {"penalty_id": penalty_id, "subject_id": subject, "subject_type": subject_type, "category": category,
               "kind": "fine", "decision_date": d(decided), "status": status}
        if repaired:
            row["repaired_date"] = d(repaired)
        self.store.upsert_nodes("Penalty", [NodeRow(row)], ORIGIN)
        self.rel("HAS_PENALTY", subject, penalty_id, src_label="Person" if subject_type == "person" else "Enterprise")

    def tender(self, project_id: str, published: str, bids: dict[str, tuple[float, bool]]) -> None:
        self.store.upsert_nodes("Project", [NodeRow({"project_id": project_id, "name": project_id,
                                                     "agency_id": "AG", "publish_date": d(published)})], ORIGIN)
        for uscc, (amount, won) in bids.items():
            self.rel("BID_ON", uscc, project_id, amount=amount, won=won)


@pytest.fixture(params=ENGINES)
def sketch(request: pytest.FixtureRequest) -> Iterator[tuple[Sketch, str]]:
    store_kind, engine = request.param
    store = request.getfixturevalue(f"{store_kind}_store")
    store.upsert_nodes("Agency", [NodeRow({"agency_id": "AG", "name": "采购中心"})], ORIGIN)
    yield Sketch(store), engine


def detect(sketch: tuple[Sketch, str], detector: str, as_of: dt.date = AS_OF) -> list[Finding]:
    found, _ = find_patterns(sketch[0].store, [detector], as_of, engine=sketch[1])
    return found


# -- reregistration ------------------------------------------------------------


def test_a_listed_person_who_founds_a_firm_while_listed_is_flagged(sketch) -> None:
    s, _ = sketch
    s.person("P1")
    s.firm("NEW", reg="2021-03-01")
    s.listing("E1", "P1", "person", "2020-01-01")
    s.rel("LEGAL_REP_OF", "P1", "NEW", start_date="2021-03-01")
    [finding] = detect(sketch, "reregistration")
    assert finding.subjects == ("P1", "NEW") and finding.score == 1.0
    assert finding.evidence["breaches"][0]["listing"]["entry_id"] == "E1"


def test_a_role_begun_after_the_listing_was_removed_is_not_flagged(sketch) -> None:
    s, _ = sketch
    s.person("P1")
    s.firm("NEW", reg="2022-03-01")
    s.listing("E1", "P1", "person", "2020-01-01", removed="2021-01-01")
    s.rel("LEGAL_REP_OF", "P1", "NEW", start_date="2022-03-01")
    assert detect(sketch, "reregistration") == []


def test_a_role_begun_before_the_listing_is_not_flagged(sketch) -> None:
    s, _ = sketch
    s.person("P1")
    s.firm("OLD", reg="2012-03-01")
    s.listing("E1", "P1", "person", "2020-01-01")
    s.rel("OFFICER_OF", "P1", "OLD", role="manager", start_date="2012-03-01")
    assert detect(sketch, "reregistration") == []


def test_the_legal_rep_of_a_listed_firm_who_leads_a_new_firm_is_flagged_through_the_firm(sketch) -> None:
    s, _ = sketch
    s.person("P1")
    s.firm("OLD", reg="2010-01-01")
    s.firm("NEW", reg="2021-05-01")
    s.rel("LEGAL_REP_OF", "P1", "OLD", start_date="2010-01-01")
    s.listing("E1", "OLD", "enterprise", "2020-01-01", list_name="serious_violation")
    s.rel("LEGAL_REP_OF", "P1", "NEW", start_date="2021-05-01")
    [finding] = detect(sketch, "reregistration")
    assert finding.subjects == ("P1", "NEW")
    assert finding.evidence["breaches"][0]["principal_of_listed"]["dst"] == "OLD"
    assert finding.score == pytest.approx(0.9)


def test_a_red_list_entry_bars_no_one(sketch) -> None:
    s, _ = sketch
    s.person("P1")
    s.firm("NEW", reg="2021-03-01")
    s.listing("E1", "P1", "person", "2020-01-01", list_name="red_list")
    s.rel("LEGAL_REP_OF", "P1", "NEW", start_date="2021-03-01")
    assert detect(sketch, "reregistration") == []


# -- shell_cluster ---------------------------------------------------------------


def _shells(s: Sketch, regs: list[str], capital: float = 3.0) -> list[str]:
    s.person("BOSS")
    firms = []
    for n, reg in enumerate(regs):
        firms.append(s.firm(f"S{n}", reg=reg, capital=capital))
        s.share("BOSS", firms[-1], 100.0, start=reg)
        s.contact(firms[-1], "phone", "02088880000")
    return firms


def test_three_tiny_firms_of_one_controller_sharing_a_phone_within_a_month_are_a_shell_cluster(sketch) -> None:
    firms = _shells(sketch[0], ["2020-01-01", "2020-01-10", "2020-01-25"])
    [finding] = detect(sketch, "shell_cluster")
    assert list(finding.subjects) == firms and finding.score == 1.0
    assert finding.evidence["controller"] == "BOSS"


def test_firms_registered_months_apart_are_not_a_shell_cluster(sketch) -> None:
    _shells(sketch[0], ["2020-01-01", "2020-04-01", "2020-07-01"])
    assert detect(sketch, "shell_cluster") == []


def test_a_contact_point_shared_by_many_firms_ties_no_one(sketch) -> None:
    s, _ = sketch
    for n in range(12):
        s.firm(f"C{n:02d}", reg=f"2020-01-{n + 1:02d}", capital=2.0)
        s.contact(f"C{n:02d}", "address", "商务中心1号")
    assert detect(sketch, "shell_cluster") == []


# -- bribery_association -----------------------------------------------------------


def _bribery_chain(s: Sketch) -> None:
    s.person("P1")
    s.firm("HOLD", reg="2010-01-01")
    s.firm("WIN", reg="2012-01-01")
    s.share("P1", "HOLD", 100.0, start="2010-01-01")
    s.share("HOLD", "WIN", 60.0, start="2012-01-01", label="Enterprise")


def test_a_firm_two_ownership_hops_from_a_briber_that_wins_is_flagged(sketch) -> None:
    s, _ = sketch
    _bribery_chain(s)
    s.penalty("CF1", "P1", "person", "2018-01-01")
    s.tender("ZB1", "2019-05-01", {"WIN": (100.0, True)})
    [finding] = detect(sketch, "bribery_association")
    assert finding.subjects == ("WIN", "P1")
    assert finding.evidence["hops"] == 2 and finding.score == 0.75
    assert finding.evidence["paths"][0]["nodes"] == ["P1", "HOLD", "WIN"]


def test_a_revoked_bribery_penalty_makes_no_association(sketch) -> None:
    s, _ = sketch
    _bribery_chain(s)
    s.penalty("CF1", "P1", "person", "2018-01-01", status="revoked")
    s.tender("ZB1", "2019-05-01", {"WIN": (100.0, True)})
    assert detect(sketch, "bribery_association") == []


def test_a_win_after_credit_repair_makes_no_association(sketch) -> None:
    s, _ = sketch
    _bribery_chain(s)
    s.penalty("CF1", "P1", "person", "2015-01-01", status="repaired", repaired="2016-06-01")
    s.tender("ZB1", "2019-05-01", {"WIN": (100.0, True)})
    assert detect(sketch, "bribery_association") == []


def test_a_linked_firm_that_only_lost_makes_no_association(sketch) -> None:
    s, _ = sketch
    _bribery_chain(s)
    s.firm("RIVAL")
    s.penalty("CF1", "P1", "person", "2018-01-01")
    s.tender("ZB1", "2019-05-01", {"WIN": (100.0, False), "RIVAL": (90.0, True)})
    assert detect(sketch, "bribery_association") == []


# -- bid_rigging ---------------------------------------------------------------------


def _co_bids(s: Sketch, tenders: int) -> None:
    s.firm("A1")
    s.firm("A2")
    s.firm("OUT")
    for n in range(tenders):
        a_wins = n % 2 == 0
        s.tender(f"ZB{n}", f"2020-0{n + 1}-01", {"A1": (100.0 if a_wins else 101.0, a_wins),
                                                 "A2": (101.0 if a_wins else 100.0, not a_wins), "OUT": (115.0, False)})


def test_linked_firms_bidding_together_three_times_are_flagged_with_their_screens(sketch) -> None:
    s, _ = sketch
    _co_bids(s, 3)
    s.contact("A1", "phone", "075512345678")
    s.contact("A2", "phone", "075512345678")
    [finding] = detect(sketch, "bid_rigging")
    assert finding.subjects == ("A1", "A2")
    assert finding.evidence["screens"]["rotation"] == 1.0 and finding.evidence["links"][0]["kind"] == "phone"


def test_linked_firms_bidding_together_twice_are_not_flagged(sketch) -> None:
    s, _ = sketch
    _co_bids(s, 2)
    s.contact("A1", "phone", "075512345678")
    s.contact("A2", "phone", "075512345678")
    assert detect(sketch, "bid_rigging") == []


def test_unlinked_firms_bidding_together_often_are_not_flagged(sketch) -> None:
    _co_bids(sketch[0], 5)
    assert detect(sketch, "bid_rigging") == []


# -- guarantee_circle and circular_ownership ---------------------------------------------


def _ring(s: Sketch, firms: list[str], ended: str | None = None) -> None:
    for f in firms:
        s.firm(f)
    for n, f in enumerate(firms):
        props: dict[str, Any] = {"start_date": "2020-01-01", "amount": 100.0}
        if ended and n == 0:
            props["end_date"] = ended
        s.rel("GUARANTEES", f, firms[(n + 1) % len(firms)], **props)


def test_a_ring_of_guarantees_in_force_is_one_circle(sketch) -> None:
    _ring(sketch[0], ["G1", "G2", "G3"])
    [finding] = detect(sketch, "guarantee_circle")
    assert finding.subjects == ("G1", "G2", "G3") and len(finding.evidence["guarantees"]) == 3


def test_a_ring_with_an_ended_guarantee_is_no_circle(sketch) -> None:
    _ring(sketch[0], ["G1", "G2", "G3"], ended="2023-01-01")
    assert detect(sketch, "guarantee_circle") == []


def test_the_ring_counts_on_a_date_before_its_guarantee_ended(sketch) -> None:
    _ring(sketch[0], ["G1", "G2", "G3"], ended="2023-01-01")
    assert len(detect(sketch, "guarantee_circle", dt.date(2022, 6, 30))) == 1


def test_two_rings_sharing_a_firm_are_one_circle(sketch) -> None:
    s, _ = sketch
    _ring(s, ["G1", "G2", "G3"])
    _ring(s, ["G3", "G4", "G5"])
    [finding] = detect(sketch, "guarantee_circle")
    assert finding.subjects == ("G1", "G2", "G3", "G4", "G5")


def test_two_firms_owning_each_other_outright_are_a_closed_cycle(sketch) -> None:
    s, _ = sketch
    s.firm("O1")
    s.firm("O2")
    s.share("O1", "O2", 100.0, label="Enterprise")
    s.share("O2", "O1", 100.0, label="Enterprise")
    [finding] = detect(sketch, "circular_ownership")
    assert finding.subjects == ("O1", "O2") and finding.score == 1.0
    assert finding.evidence["no_outside_holder"] is True


def test_a_cross_holding_with_outside_holders_scores_by_its_largest_inside_share(sketch) -> None:
    s, _ = sketch
    s.firm("O1")
    s.firm("O2")
    s.share("O1", "O2", 30.0, label="Enterprise")
    s.share("O2", "O1", 20.0, label="Enterprise")
    [finding] = detect(sketch, "circular_ownership")
    assert finding.score == pytest.approx(0.65)

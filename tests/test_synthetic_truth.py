"""truth.json of the synthetic data: planted patterns hold, decoys and background do not, owners are right.

The reference finders of ``credgraph.synthetic.verify`` evaluate the six
pattern definitions of CONTRACT.md section 3 on 2024-06-30; the tests here
check them against truth.json and check the finders themselves.
"""

from __future__ import annotations

import copy
import csv
import statistics
from collections import defaultdict
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credgraph.graph.types import TYPES
from credgraph.synthetic import noise, verify
from credgraph.synthetic.generate import GenerationSummary, generate
from credgraph.synthetic.ownership import Holding, expected_owners, person_stakes
from credgraph.synthetic.readback import Dataset, read_folder
from credgraph.synthetic.truth import DETECTORS

AS_OF = verify.AS_OF


@pytest.fixture(scope="module")
def s_run(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate("S", seed=11, out=tmp_path_factory.mktemp("synthetic-truth") / "s11")


@pytest.fixture(scope="module")
def data(s_run: GenerationSummary) -> Dataset:
    return read_folder(s_run.out)


# -- shape and presence -------------------------------------------------------------------


def test_truth_has_one_list_per_detector_and_the_extras(data: Dataset) -> None:
    t = data.truth
    assert list(t) == ["meta", *DETECTORS, "ownership", "decoys"]
    assert t["meta"]["as_of"] == "2024-06-30" and t["meta"]["seed"] == 11
    assert all(len(t[d]) >= 6 for d in DETECTORS)
    assert all({"id", "subjects", "kind", "evidence"} <= set(item) for d in DETECTORS for item in t[d])


def test_subjects_are_shaped_like_findings(data: Dataset) -> None:
    t = data.truth
    firms = {r["uscc"] for r in data["enterprises.csv"]}
    persons = {r["person_id"] for r in data["persons.csv"]}
    for item in t["reregistration"]:
        person, firm = item["subjects"]
        assert person in persons and firm in firms
    for item in t["bribery_association"]:
        firm, holder = item["subjects"]
        assert firm in firms and holder in firms | persons
    for detector in ("shell_cluster", "bid_rigging", "guarantee_circle", "circular_ownership"):
        for item in t[detector]:
            assert item["subjects"] == sorted(item["subjects"]) and set(item["subjects"]) <= firms
            assert len(item["subjects"]) >= (3 if detector == "shell_cluster" else 2)


def test_every_variant_is_planted_even_in_s(data: Dataset) -> None:
    kinds = {d: {i["kind"] for i in data.truth[d]} for d in DETECTORS}
    assert kinds["reregistration"] == {"person_listed_new_firm", "person_listed_joined_firm", "phoenix"}
    assert kinds["shell_cluster"] == {"shared_phone_address", "shared_legal_rep", "shared_email_phone"}
    assert kinds["bribery_association"] == {"person_1hop", "person_2hop", "firm_1hop", "firm_2hop"}
    assert kinds["bid_rigging"] == {"shared_principal", "shared_contact", "ownership_link"}
    assert {"mutual", "ring"} <= kinds["guarantee_circle"]
    assert kinds["circular_ownership"] == {"cycle", "closed"}
    assert {s["kind"] for s in data.truth["ownership"]} == {"layered", "dispersed", "circular", "closed_cycle"}


def test_every_truth_id_is_in_the_data(data: Dataset) -> None:
    assert verify.check_truth_ids(data) == []


def test_every_decoy_kind_is_present(data: Dataset) -> None:
    decoys = data.truth["decoys"]
    assert set(decoys) == {"business_centre", "open_competitors", "ended_guarantee_cycle", "ended_ownership_cycle",
                           "listing_removed_before_new_firm", "repaired_bribery_penalty", "revoked_bribery_penalty",
                           "bribery_holder_lost_only"}
    assert all(group for group in decoys.values())
    assert all(item["detector"] in DETECTORS for group in decoys.values() for item in group)


# -- planted patterns hold, decoys and background do not -------------------------------------------


@pytest.mark.parametrize("detector", DETECTORS)
def test_reference_finder_finds_exactly_what_was_planted(data: Dataset, detector: str) -> None:
    assert [p for p in verify.check_patterns(data) if p.startswith(detector)] == []


def test_background_stays_clean_under_looser_definitions(data: Dataset) -> None:
    t = data.truth
    shells = {frozenset(i["subjects"]) for i in t["shell_cluster"]}
    assert verify.find_shell_clusters(data, days=90) == shells
    bribery = {tuple(i["subjects"]) for i in t["bribery_association"]}
    assert verify.find_bribery_associations(data, hops=4) == bribery
    rings = {frozenset(i["subjects"]) for i in t["bid_rigging"]}
    assert all(any(set(pair) <= ring for ring in rings) for pair in verify.find_rigging_pairs(data, min_projects=2))


def test_guarantee_circles_are_cycles_of_active_guarantees(data: Dataset) -> None:
    rows = {(r["guarantor_uscc"], r["debtor_uscc"]): r for r in data["guarantees.csv"]}
    for item in data.truth["guarantee_circle"]:
        edges = [(e["guarantor"], e["debtor"]) for e in item["evidence"]["edges"]]
        for g, d in edges:
            assert verify.active(rows[(g, d)]["start_date"], rows[(g, d)]["end_date"])
        members = item["subjects"]
        ring = {(g, d) for g, d in edges}
        assert all(any((m, other) in ring for other in members) for m in members)


def test_ended_cycles_were_cycles_before(data: Dataset) -> None:
    for item in data.truth["decoys"]["ended_guarantee_cycle"]:
        ends = [e["end_date"] for e in item["evidence"]["edges"]]
        assert any(e and e <= "2024-06-30" for e in ends)
    for item in data.truth["decoys"]["ended_ownership_cycle"]:
        assert any(e["end_date"] and e["end_date"] <= "2024-06-30" for e in item["evidence"]["edges"])


def test_rigging_rings_bid_together_with_rotating_winners_and_cover_bids(data: Dataset) -> None:
    bids: dict[str, dict[str, tuple[float, bool]]] = defaultdict(dict)
    for r in data["bids.csv"]:
        bids[r["project_id"]][r["uscc"]] = (r["amount"], r["won"])
    for item in data.truth["bid_rigging"]:
        ring, projects = set(item["subjects"]), item["evidence"]["projects"]
        assert len(projects) >= 3 and all(ring <= set(bids[p]) for p in projects)
        winners = {u for p in projects for u, (_, won) in bids[p].items() if won}
        assert winners == ring  # everyone gets a turn
        for p in projects:
            amounts = {u: a for u, (a, _) in bids[p].items() if u in ring and a is not None}
            win = next(a for u, (a, won) in bids[p].items() if won)
            if win is not None:
                assert all(win <= a <= win * 1.03 for a in amounts.values())


def test_rigged_tenders_show_a_low_spread_of_bids(data: Dataset) -> None:
    amounts: dict[str, list[float]] = defaultdict(list)
    for r in data["bids.csv"]:
        if r["amount"] is not None:
            amounts[r["project_id"]].append(r["amount"])
    rigged = {p for item in data.truth["bid_rigging"] for p in item["evidence"]["projects"]}

    def cv(values: list[float]) -> float:
        return statistics.pstdev(values) / statistics.mean(values)

    ring_cv = statistics.median(cv(amounts[p]) for p in rigged if len(amounts[p]) >= 2)
    open_cv = statistics.median(cv(v) for p, v in amounts.items() if p not in rigged and len(v) >= 3)
    assert ring_cv < 0.03 < open_cv


def test_open_competitors_meet_often_but_share_nothing(data: Dataset) -> None:
    for item in data.truth["decoys"]["open_competitors"]:
        assert item["evidence"]["max_projects_together"] >= 3
    pairs = verify.find_rigging_pairs(data, min_projects=1)
    groups = [set(i["subjects"]) for i in data.truth["decoys"]["open_competitors"]]
    assert not any(set(pair) <= group for pair in pairs for group in groups)


def test_business_centres_host_dozens_of_unrelated_firms(data: Dataset) -> None:
    firms = {r["uscc"]: r for r in data["enterprises.csv"]}
    for item in data.truth["decoys"]["business_centre"]:
        regs = sorted(firms[u]["reg_date"] for u in item["subjects"])
        assert len(regs) >= 20 and (regs[-1] - regs[0]).days > 5 * 365
        assert all((b - a).days > 30 for a, b in zip(regs, regs[1:]))


def test_bribery_decoys_are_repaired_revoked_or_never_won(data: Dataset) -> None:
    penalties = {r["penalty_id"]: r for r in data["penalties.csv"]}
    for kind, status in (("repaired_bribery_penalty", "repaired"), ("revoked_bribery_penalty", "revoked")):
        for item in data.truth["decoys"][kind]:
            row = penalties[item["evidence"]["record"]["penalty_id"]]
            assert (row["category"], row["status"]) == ("bribery", status)
    winners = {r["uscc"] for r in data["bids.csv"] if r["won"]}
    for item in data.truth["decoys"]["bribery_holder_lost_only"]:
        assert item["subjects"][0] not in winners


def test_the_checker_notices_a_missing_or_a_false_truth_item(data: Dataset) -> None:
    broken = copy.copy(data)
    broken.truth = copy.deepcopy(data.truth)
    dropped = broken.truth["guarantee_circle"].pop(0)
    broken.truth["shell_cluster"].append({"id": "x", "subjects": dropped["subjects"], "kind": "x", "evidence": {}})
    problems = verify.check_patterns(broken)
    assert any(p.startswith("guarantee_circle: unplanted") for p in problems)
    assert any(p.startswith("shell_cluster: planted") for p in problems)


# -- ownership ------------------------------------------------------------------------


def test_expected_owners_match_the_shareholdings_in_the_files(data: Dataset) -> None:
    assert verify.check_ownership(data) == []


def test_expected_owners_include_controlled_and_uncontrolled_firms(data: Dataset) -> None:
    entries = [e for s in data.truth["ownership"] for e in s["enterprises"]]
    assert any(e["actual_controller"] for e in entries) and any(e["actual_controller"] is None for e in entries)
    closed = [s for s in data.truth["ownership"] if s["kind"] == "closed_cycle"]
    assert closed and all(e["owners"] == [] for s in closed for e in s["enterprises"])


def test_effective_ownership_with_cross_holdings_is_exact() -> None:
    # A holds 50% of B, B holds 50% of A; P holds the other 50% of A, Q of B.
    holdings = [Holding("P", "person", "A", "50"), Holding("B", "enterprise", "A", "50"),
                Holding("Q", "person", "B", "50"), Holding("A", "enterprise", "B", "50")]
    stakes = person_stakes(holdings)
    assert stakes["A"] == {"P": Fraction(2, 3), "Q": Fraction(1, 3)}
    assert sum(stakes["B"].values()) == 1
    [entry] = expected_owners(holdings, ["A"])
    assert entry["actual_controller"] == {"owner_id": "P", "basis": "effective_pct>=50"}


def test_a_closed_cycle_has_no_natural_person_owner() -> None:
    holdings = [Holding("A", "enterprise", "B", "100"), Holding("B", "enterprise", "A", "100")]
    assert expected_owners(holdings, ["A", "B"]) == [
        {"uscc": "A", "owners": [], "actual_controller": None}, {"uscc": "B", "owners": [], "actual_controller": None}]


# -- noise ------------------------------------------------------------------------------


def test_shared_contact_points_clean_to_one_value(data: Dataset) -> None:
    assert verify.check_shared_contacts(data) == []


def test_shared_phones_are_written_in_several_ways(s_run: GenerationSummary, data: Dataset) -> None:
    with open(s_run.out / "enterprises.csv", encoding="utf-8", newline="") as handle:
        raw = {r["uscc"]: r["phone"] for r in csv.DictReader(handle)}
    spellings = [{raw[u] for u in i["subjects"]} for i in data.truth["shell_cluster"] if "phone" in i["evidence"]["shared"]]
    assert any(len(s) > 1 for s in spellings)
    assert any(any(ch in value for ch in "＋－（　１２３４５６７８９０") for value in raw.values())


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), digits=st.text("0123456789", min_size=8, max_size=8),
       mobile=st.booleans(), area=st.sampled_from(["020", "010", "0755", "0311"]))
def test_every_phone_form_cleans_to_the_canonical_number(seed: int, digits: str, mobile: bool, area: str) -> None:
    import random

    canonical = "138" + digits if mobile else area + str(2 + int(digits[0]) % 7) + digits[1:]
    written = noise.phone(random.Random(seed), canonical)
    assert TYPES["phone"].clean(written) == canonical


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), number=st.integers(1, 999), room=st.integers(101, 3220),
       local=st.from_regex(r"[a-z]{2,8}[0-9]{1,6}", fullmatch=True))
def test_every_address_and_email_form_cleans_to_the_canonical_value(seed: int, number: int, room: int,
                                                                    local: str) -> None:
    import random

    rng = random.Random(seed)
    parts = ("广州市天河区", f"体育西路{number}号", f"{room}室")
    assert TYPES["address"].clean(noise.address(rng, parts)) == "".join(parts)
    assert TYPES["email"].clean(noise.email(rng, f"{local}@163.com")) == f"{local}@163.com"

"""Check a generated folder against the contract and against its own truth.json.

``verify(folder)`` returns a list of problems (empty when all is well):

* every cell cleans, every header is the contract's, every required cell is
  filled, USCCs (with their organisation-code check) and resident IDs validate;
* every id a relation or record names exists; every project has 3-8 bidders
  and exactly one winner;
* every id in truth.json (subjects, evidence) exists in the data;
* simple reference implementations of the six pattern definitions of
  CONTRACT.md section 3, evaluated on 2024-06-30, find exactly what was
  planted: every planted item satisfies its definition, no decoy and nothing
  in the background does;
* the expected owners of each planted ownership structure match a floating-
  point recomputation of P (I - A)^-1 from the shareholdings in the files.

These reference checks are deliberately plain (they are the generator's own
acceptance test, not credgraph's detectors).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any, Iterator

import networkx as nx
import numpy as np

from credgraph.graph.identifiers import resident_id_problem
from credgraph.synthetic.codes import org_check_char
from credgraph.synthetic.readback import Dataset, read_folder
from credgraph.synthetic.writer import COLUMNS

AS_OF = dt.date(2024, 6, 30)
REQUIRED = {
    "enterprises.csv": ("uscc", "name", "reg_date"), "persons.csv": ("person_id", "name"),
    "agencies.csv": ("agency_id", "name"), "projects.csv": ("project_id", "name", "agency_id"),
    "legal_reps.csv": ("person_id", "uscc"), "officers.csv": ("person_id", "uscc", "role"),
    "shareholdings.csv": ("holder_id", "holder_type", "uscc", "share_pct"),
    "guarantees.csv": ("guarantor_uscc", "debtor_uscc"), "bids.csv": ("project_id", "uscc", "won"),
    "penalties.csv": ("penalty_id", "subject_id", "subject_type", "decision_date", "category", "kind"),
    "list_entries.csv": ("entry_id", "subject_id", "subject_type", "list", "listed_date"),
}
_ID = re.compile(r"[0-9A-Z]{18}|CF\d{9}|MD\d{9}|ZB\d{11}")
Pair = tuple[str, str]


def active(start: dt.date | None, end: dt.date | None, on: dt.date = AS_OF) -> bool:
    """Whether [start, end) covers ``on`` (empty start: since ever; empty end: still)."""
    return (start is None or start <= on) and (end is None or end > on)


# -- format and integrity ----------------------------------------------------


def check_format(data: Dataset) -> list[str]:
    """Headers, required cells, identifier check characters."""
    problems = list(data.problems)
    for file, columns in COLUMNS.items():
        if tuple(data.headers[file]) != columns:
            problems.append(f"{file}: header {data.headers[file]} is not the contract's {list(columns)}")
        for n, row in enumerate(data[file], 2):
            problems += [f"{file}:{n} required {c} is empty" for c in REQUIRED[file] if row[c] in (None, "")]
    for row in [*data["enterprises.csv"], *data["agencies.csv"]]:
        code = row.get("uscc") or row.get("agency_id") or ""
        if len(code) == 18 and org_check_char(code[8:16]) != code[16]:
            problems.append(f"{code}: organisation code check character should be {org_check_char(code[8:16])}")
    for row in data["persons.csv"]:
        if (row["id_type"] or "cn_id") == "cn_id" and (reason := resident_id_problem(row["person_id"])):
            problems.append(f"person {row['person_id']}: {reason}")
    return problems


def check_references(data: Dataset) -> list[str]:
    """Every id named by a relation or record exists; bids have one winner among 3-8 bidders."""
    firms = {r["uscc"] for r in data["enterprises.csv"]}
    persons = {r["person_id"] for r in data["persons.csv"]}
    agencies = {r["agency_id"] for r in data["agencies.csv"]}
    projects = {r["project_id"] for r in data["projects.csv"]}
    subjects = {"enterprise": firms, "person": persons}
    problems = []

    def need(value: Any, known: set[str], what: str) -> None:
        if value is not None and value not in known:
            problems.append(f"{what} {value} does not exist")

    for r in data["projects.csv"]:
        need(r["agency_id"], agencies, "agency")
    for file in ("legal_reps.csv", "officers.csv"):
        for r in data[file]:
            need(r["person_id"], persons, "person")
            need(r["uscc"], firms, "enterprise")
    for r in data["shareholdings.csv"]:
        need(r["holder_id"], subjects[r["holder_type"]], r["holder_type"])
        need(r["uscc"], firms, "enterprise")
    for r in data["guarantees.csv"]:
        need(r["guarantor_uscc"], firms, "enterprise")
        need(r["debtor_uscc"], firms, "enterprise")
    for file in ("penalties.csv", "list_entries.csv"):
        for r in data[file]:
            need(r["subject_id"], subjects[r["subject_type"]], r["subject_type"])
            need(r["agency_id"], agencies, "agency")
    bidders: dict[str, list[bool]] = defaultdict(list)
    for r in data["bids.csv"]:
        need(r["project_id"], projects, "project")
        need(r["uscc"], firms, "enterprise")
        bidders[r["project_id"]].append(bool(r["won"]))
    for project in projects:
        won = bidders.get(project, [])
        if not 3 <= len(won) <= 8 or sum(won) != 1:
            problems.append(f"project {project}: {len(won)} bidders, {sum(won)} winners")
    return problems


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def check_truth_ids(data: Dataset) -> list[str]:
    """Every subject and every id-like string of truth.json's evidence exists in the data."""
    known = {r["uscc"] for r in data["enterprises.csv"]} | {r["person_id"] for r in data["persons.csv"]}
    known |= {r["penalty_id"] for r in data["penalties.csv"]} | {r["entry_id"] for r in data["list_entries.csv"]}
    known |= {r["project_id"] for r in data["projects.csv"]}
    truth = data.truth
    items = [i for d in DETECTORS for i in truth[d]] + truth["ownership"]
    items += [i for group in truth["decoys"].values() for i in group]
    problems = []
    for item in items:
        for value in [*item["subjects"], *_strings(item.get("evidence", {}))]:
            if value not in known and (value in item["subjects"] or _ID.fullmatch(value)):
                problems.append(f"{item['id']}: {value} is not in the data")
    return problems


# -- reference pattern finders ------------------------------------------------

DETECTORS = ("reregistration", "shell_cluster", "bribery_association", "bid_rigging", "guarantee_circle",
             "circular_ownership")


def _person_roles(data: Dataset) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
    """(person, uscc, start, end) of every legal representation, post and personal shareholding."""
    roles = [(r["person_id"], r["uscc"], r["start_date"], r["end_date"])
             for f in ("legal_reps.csv", "officers.csv") for r in data[f]]
    roles += [(r["holder_id"], r["uscc"], r["start_date"], r["end_date"])
              for r in data["shareholdings.csv"] if r["holder_type"] == "person"]
    return roles


def _sccs(edges: list[Pair]) -> set[frozenset[str]]:
    graph = nx.DiGraph(edges)
    return {frozenset(c) for c in nx.strongly_connected_components(graph) if len(c) > 1}


def find_guarantee_circles(data: Dataset) -> set[frozenset[str]]:
    """Strongly connected components (2+ firms) of the guarantees in force on 2024-06-30."""
    return _sccs([(r["guarantor_uscc"], r["debtor_uscc"]) for r in data["guarantees.csv"]
                  if active(r["start_date"], r["end_date"])])


def find_ownership_cycles(data: Dataset) -> set[frozenset[str]]:
    """Strongly connected components of enterprise-to-enterprise shareholdings in force."""
    return _sccs([(r["holder_id"], r["uscc"]) for r in data["shareholdings.csv"]
                  if r["holder_type"] == "enterprise" and active(r["start_date"], r["end_date"])])


def find_reregistrations(data: Dataset) -> set[Pair]:
    """(person, firm): a principal of a black-listed subject starts a role elsewhere while the listing is in force."""
    by_person: dict[str, list[tuple[str, dt.date | None]]] = defaultdict(list)
    by_firm: dict[str, list[tuple[str, dt.date | None, dt.date | None]]] = defaultdict(list)
    for person, uscc, start, end in _person_roles(data):
        by_person[person].append((uscc, start))
        by_firm[uscc].append((person, start, end))
    found = set()
    for e in data["list_entries.csv"]:
        if e["list"] == "red_list":
            continue
        listed, removed = e["listed_date"], e["removed_date"]
        if e["subject_type"] == "person":
            principals, listed_firm = {e["subject_id"]}, None
        else:
            listed_firm = e["subject_id"]
            principals = {p for p, s, end in by_firm[listed_firm] if active(s, end, listed)}
        for person in principals:
            for uscc, start in by_person[person]:
                if uscc != listed_firm and start is not None and start >= listed and (removed is None or start < removed):
                    found.add((person, uscc))
    return found


def _controller(data: Dataset) -> dict[str, str]:
    stakes: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for r in data["shareholdings.csv"]:
        if active(r["start_date"], r["end_date"]):
            stakes[r["uscc"]].append((r["share_pct"], r["holder_id"]))
    return {u: max(s)[1] for u, s in stakes.items() if max(s)[0] >= 50}


def find_shell_clusters(data: Dataset, days: int = 30, tiny: float = 10.0) -> set[frozenset[str]]:
    """3+ firms of capital <= ``tiny`` sharing a contact point or legal rep, registered within ``days``, one controller."""
    firms = {r["uscc"]: r for r in data["enterprises.csv"]
             if r["registered_capital"] is not None and r["registered_capital"] <= tiny}
    controller = _controller(data)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for uscc, r in firms.items():
        for key in ("phone", "address", "email"):
            if r[key]:
                shared[(key, r[key])].append(uscc)
    for r in data["legal_reps.csv"]:
        if r["uscc"] in firms and active(r["start_date"], r["end_date"]):
            shared[("legal_rep", r["person_id"])].append(r["uscc"])
    graph = nx.Graph()
    for members in shared.values():
        by_controller: dict[str, list[str]] = defaultdict(list)
        for uscc in members:
            if uscc in controller:
                by_controller[controller[uscc]].append(uscc)
        for group in by_controller.values():
            group.sort(key=lambda u: firms[u]["reg_date"])
            for i, first in enumerate(group):
                window = [u for u in group[i:] if (firms[u]["reg_date"] - firms[first]["reg_date"]).days <= days]
                if len(window) >= 3:
                    graph.add_edges_from(zip(window, window[1:]))
    return {frozenset(c) for c in nx.connected_components(graph)}


def _links(data: Dataset) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    principals: dict[str, set[str]] = defaultdict(set)
    for person, uscc, _, _ in _person_roles(data):
        principals[uscc].add(person)
    contacts = {r["uscc"]: {f"{k}:{r[k]}" for k in ("phone", "address", "email") if r[k]}
                for r in data["enterprises.csv"]}
    owners: dict[str, set[str]] = defaultdict(set)
    for r in data["shareholdings.csv"]:
        if r["holder_type"] == "enterprise":
            owners[r["uscc"]].add(r["holder_id"])
    return principals, contacts, owners


def find_rigging_pairs(data: Dataset, min_projects: int = 3) -> set[Pair]:
    """Pairs of firms bidding together on ``min_projects``+ projects that share a principal, contact or owner."""
    bidders: dict[str, list[str]] = defaultdict(list)
    for r in data["bids.csv"]:
        bidders[r["project_id"]].append(r["uscc"])
    together: dict[Pair, int] = defaultdict(int)
    for firms in bidders.values():
        for pair in combinations(sorted(set(firms)), 2):
            together[pair] += 1
    principals, contacts, owners = _links(data)
    found = set()
    for (a, b), n in together.items():
        if n >= min_projects and (principals[a] & principals[b] or contacts.get(a, set()) & contacts.get(b, set())
                                  or a in owners[b] or b in owners[a] or owners[a] & owners[b]):
            found.add((a, b))
    return found


def find_bribery_associations(data: Dataset, hops: int = 2) -> set[Pair]:
    """(winning firm, record holder) within ``hops`` person or ownership edges of an effective bribery record."""
    holders = {r["subject_id"] for r in data["penalties.csv"]
               if r["category"] == "bribery" and (r["status"] or "effective") == "effective"}
    holders |= {r["subject_id"] for r in data["list_entries.csv"]
                if r["list"] == "bribery_record" and active(r["listed_date"], r["removed_date"])}
    graph = nx.Graph()
    graph.add_edges_from((p, u) for p, u, s, e in _person_roles(data) if active(s, e))
    graph.add_edges_from((r["holder_id"], r["uscc"]) for r in data["shareholdings.csv"]
                         if r["holder_type"] == "enterprise" and active(r["start_date"], r["end_date"]))
    winners = {r["uscc"] for r in data["bids.csv"] if r["won"]}
    found = set()
    for holder in holders:
        if holder in graph:
            reach = nx.single_source_shortest_path_length(graph, holder, cutoff=hops)
            found |= {(firm, holder) for firm in reach if firm in winners}
    return found


# -- comparisons with truth.json ------------------------------------------------


def _compare(name: str, found: set[Any], planted: set[Any], decoys: set[Any]) -> list[str]:
    problems = [f"{name}: planted {sorted(p)} not found in the data" for p in planted - found]
    problems += [f"{name}: unplanted {sorted(f)} found in the data" for f in found - planted]
    problems += [f"{name}: decoy {sorted(d)} satisfies the definition" for d in decoys & found]
    return problems


def _truth_sets(truth: dict[str, Any], detector: str, as_pairs: bool) -> tuple[set[Any], set[Any]]:
    def key(item: dict[str, Any]) -> Any:
        return tuple(item["subjects"]) if as_pairs else frozenset(item["subjects"])

    planted = {key(i) for i in truth[detector]}
    decoys = {key(i) for group in truth["decoys"].values() for i in group if i["detector"] == detector}
    return planted, decoys


def _pairs_in_groups(groups: set[frozenset[str]]) -> set[Pair]:
    return {pair for g in groups for pair in combinations(sorted(g), 2)}


def check_patterns(data: Dataset) -> list[str]:
    """The reference finders find exactly the planted items, and no decoy."""
    t = data.truth
    problems = []
    for detector, finder in (("guarantee_circle", find_guarantee_circles), ("circular_ownership",
                             find_ownership_cycles), ("shell_cluster", find_shell_clusters)):
        planted, decoys = _truth_sets(t, detector, as_pairs=False)
        found = finder(data)
        if detector == "shell_cluster":  # a business centre must not hold any cluster, even a sub-group
            decoys = {d for d in decoys if any(f <= d for f in found)}
        problems += _compare(detector, found, planted, decoys)
    planted, decoys = _truth_sets(t, "reregistration", as_pairs=True)
    problems += _compare("reregistration", find_reregistrations(data), planted, decoys)
    planted, decoys = _truth_sets(t, "bribery_association", as_pairs=True)
    problems += _compare("bribery_association", find_bribery_associations(data), planted, decoys)
    rings, open_groups = _truth_sets(t, "bid_rigging", as_pairs=False)
    problems += _compare("bid_rigging", find_rigging_pairs(data), _pairs_in_groups(rings),
                         _pairs_in_groups(open_groups))
    return problems


def recompute_owners(data: Dataset, usccs: list[str]) -> dict[str, dict[str, float]]:
    """Persons' effective percentages in ``usccs`` from the shareholdings in force, in floating point."""
    rows = [r for r in data["shareholdings.csv"] if active(r["start_date"], r["end_date"])]
    firms = sorted(set(usccs) | {r["holder_id"] for r in rows if r["uscc"] in usccs and r["holder_type"] == "enterprise"})
    persons = sorted({r["holder_id"] for r in rows if r["uscc"] in firms and r["holder_type"] == "person"})
    col, row_of = {f: i for i, f in enumerate(firms)}, {p: i for i, p in enumerate(persons)}
    a, p = np.zeros((len(firms), len(firms))), np.zeros((len(persons), len(firms)))
    for r in rows:
        if r["uscc"] in col:
            if r["holder_type"] == "person":
                p[row_of[r["holder_id"]], col[r["uscc"]]] += r["share_pct"] / 100
            elif r["holder_id"] in col:
                a[col[r["holder_id"]], col[r["uscc"]]] += r["share_pct"] / 100
    if not persons:
        return {u: {} for u in usccs}
    u = np.linalg.solve((np.eye(len(firms)) - a).T, p.T).T * 100  # U (I - A) = P
    return {f: {persons[i]: float(u[i, col[f]]) for i in range(len(persons)) if u[i, col[f]] > 1e-9}
            for f in usccs}


def check_ownership(data: Dataset) -> list[str]:
    """Expected owners in truth.json agree with the data, and allocate 100% where every list is complete."""
    problems = []
    for item in data.truth["ownership"]:
        usccs = [e["uscc"] for e in item["enterprises"]]
        computed = recompute_owners(data, usccs)
        for entry in item["enterprises"]:
            got = computed[entry["uscc"]]
            want = {o["owner_id"]: o["effective_pct"] for o in entry["owners"]}
            if set(got) != set(want) or any(abs(got[k] - want[k]) > 1e-3 for k in want):
                problems.append(f"{item['id']} {entry['uscc']}: owners {want} but the data gives {got}")
            if item["kind"] != "closed_cycle" and abs(sum(want.values()) - 100) > 1e-2:
                problems.append(f"{item['id']} {entry['uscc']}: owners add up to {sum(want.values())}%")
            top = max(want.items(), key=lambda kv: kv[1], default=None)
            expect = top[0] if top and top[1] >= 50 else None
            got_controller = (entry["actual_controller"] or {}).get("owner_id")
            if got_controller != expect:
                problems.append(f"{item['id']} {entry['uscc']}: actual controller {got_controller}, expected {expect}")
    return problems


def check_shared_contacts(data: Dataset) -> list[str]:
    """Every contact value truth.json says firms share cleans to that value at each of them."""
    firms = {r["uscc"]: r for r in data["enterprises.csv"]}
    problems = []
    for item in data.truth["shell_cluster"]:
        for key, value in item["evidence"]["shared"].items():
            if key != "legal_rep":
                problems += [f"{item['id']} {u}: {key} {firms[u][key]!r} != {value!r}"
                             for u in item["subjects"] if firms[u][key] != value]
    for item in data.truth["bid_rigging"]:
        if "phone" in item["evidence"]["link"]:
            value = item["evidence"]["link"]["phone"]
            problems += [f"{item['id']} {u}: phone {firms[u]['phone']!r} != {value!r}"
                         for u in item["subjects"] if firms[u]["phone"] != value]
    for item in data.truth["decoys"].get("business_centre", []):
        value = item["evidence"]["address"]
        problems += [f"{item['id']} {u}: address {firms[u]['address']!r} != {value!r}"
                     for u in item["subjects"] if firms[u]["address"] != value]
    return problems


CHECKS = (check_format, check_references, check_truth_ids, check_patterns, check_ownership, check_shared_contacts)


def verify(folder: Path, data: Dataset | None = None) -> list[str]:
    """Every problem found in the generated ``folder`` (empty list: the data and its truth agree)."""
    data = data or read_folder(folder)
    return [problem for check in CHECKS for problem in check(data)]

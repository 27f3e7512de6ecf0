"""bid_rigging: firms that bid together again and again and are not independent of each other.

A bid counts when it is placed on or before the as-of date: its day is the
bid's ``bid_date``, else the project's ``award_date``, else its
``publish_date`` (a bid with none of them is left out). Two firms are a
*pair* when they bid on at least ``min_projects`` common projects and are
linked on the as-of date: they share a principal (a person who is legal
representative, officer, or shareholder of at least ``[principals]
min_share_pct`` of both), a contact point, or an ownership link (one holds
shares of the other, or a firm holds shares of both). A finding is a
connected group of pairs.

The score averages three screens (Imhof 2017; Wachs and Kertesz 2019): how
often the pairs met (``min(1, most common projects / full_projects)``), the
share of the group's tenders whose bids have a coefficient of variation at or
below ``low_cv``, and the rotation of winners (members who won one of the
group's tenders, over the group's size).

>>> round(_cv([{"amount": 95.0}, {"amount": 96.0}, {"amount": None}, {"amount": 97.0}]), 4)
0.0085
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from typing import Any

import numpy as np
import scipy.sparse as sp

from credgraph.analytics.detectors.base import Detector, Row, canonical, groups, make_finding, unique_sorted
from credgraph.analytics.detectors.graph import DetectionGraph, day, iso, number, on_day
from credgraph.analytics.detectors.settings import DetectorSettings
from credgraph.analytics.detectors.shell_cluster import CONTACTS
from credgraph.graph.records import Finding


def _placed_bids(graph: DetectionGraph, on: int) -> tuple[np.ndarray, np.ndarray]:
    """(firm, project) positions of the bids placed on or before day ``on``."""
    bids = graph.table("BID_ON")
    keep = np.zeros(len(bids), bool)
    for k, (rel, project) in enumerate(zip(bids.rel.tolist(), bids.dst.tolist())):
        p = graph.props(project)
        when = graph.rel_props(rel).get("bid_date") or p.get("award_date") or p.get("publish_date")
        keep[k] = when is not None and day(when) <= on
    return bids.src[keep], bids.dst[keep]


def _project(graph: DetectionGraph, position: int, bidders: dict[int, list[int]]) -> dict[str, Any]:
    bids = []
    for rel in bidders[position]:
        props = graph.rel_props(rel)
        bids.append({"uscc": graph.key(int(graph.projection.src[rel])), "amount": number(props.get("amount")),
                     "won": props.get("won") is True, "grade": graph.grade(rel)})
    return {"project_id": graph.key(position), "publish_date": iso(graph.props(position).get("publish_date")),
            "bids": sorted(bids, key=lambda b: b["uscc"])}


def _links(graph: DetectionGraph, on: int, settings: DetectorSettings) -> tuple[
        dict[int, set[tuple[str, str]]], dict[int, set[str]]]:
    """Per firm: its (kind, id) principals and contact points, and the firms holding its shares; all in force."""
    marks: dict[int, set[tuple[str, str]]] = defaultdict(set)
    roles = graph.principals(settings.value("principals", "min_share_pct"))
    roles = roles.select(roles.in_force(on))
    for person, firm in zip(roles.src.tolist(), roles.dst.tolist()):
        marks[firm].add(("person", graph.key(person)))
    for rel_type, via in CONTACTS.items():
        table = graph.table(rel_type)
        for firm, point in zip(table.src.tolist(), table.dst.tolist()):
            marks[firm].add((via, graph.key(point)))
    owners: dict[int, set[str]] = defaultdict(set)
    shares = graph.table("SHAREHOLDER_OF")
    shares = shares.select(shares.in_force(on) & graph.is_label("Enterprise")[shares.src])
    for holder, firm in zip(shares.src.tolist(), shares.dst.tolist()):
        owners[firm].add(graph.key(holder))
    return marks, owners


def match(graph: DetectionGraph, as_of: dt.date, settings: DetectorSettings) -> list[Row]:
    """Every linked pair that bid together on ``min_projects`` or more projects, with those projects' bids."""
    on = on_day(as_of)
    firms, projects = _placed_bids(graph, on)
    n = graph.node_count
    together = sp.csr_matrix((np.ones(len(firms)), (firms, projects)), shape=(n, n))
    together.data[:] = 1.0
    counts = sp.triu(together @ together.T, k=1).tocoo()
    wanted = counts.data >= settings.value("bid_rigging", "min_projects")
    if not wanted.any():
        return []
    marks, owners = _links(graph, on, settings)
    bidders: dict[int, list[int]] = defaultdict(list)
    all_bids = graph.table("BID_ON")
    for rel, project in zip(all_bids.rel.tolist(), all_bids.dst.tolist()):
        bidders[project].append(rel)
    placed: dict[int, set[int]] = defaultdict(set)
    for firm, project in zip(firms.tolist(), projects.tolist()):
        placed[firm].add(project)
    rows: list[Row] = []
    for a, b in zip(counts.row[wanted].tolist(), counts.col[wanted].tolist()):
        ka, kb = graph.key(a), graph.key(b)
        links = [{"kind": kind, "id": key} for kind, key in marks[a] & marks[b]]
        links += [{"kind": "ownership", "id": o} for o in (owners[a] & owners[b]) | ({ka} & owners[b]) | ({kb} & owners[a])]
        if not links:
            continue
        if ka > kb:
            ka, kb = kb, ka
        shared = sorted(placed[a] & placed[b])
        rows.append({"a": ka, "b": kb, "links": unique_sorted(links),
                     "projects": [_project(graph, p, bidders) for p in shared]})
    return rows


def _tender(project: dict[str, Any]) -> dict[str, Any]:
    """A project's evidence in a fixed shape: id, publish date, bids by bidder (with the grade of each bid's link)."""
    bids = [{"uscc": b["uscc"], "amount": b["amount"], "won": b["won"], "grade": b["grade"]} for b in project["bids"]]
    return {"project_id": project["project_id"], "publish_date": project["publish_date"],
            "bids": sorted(bids, key=lambda b: (b["uscc"], canonical(b)))}


def _cv(bids: list[dict[str, Any]]) -> float | None:
    amounts = sorted(b["amount"] for b in bids if b["amount"] is not None)
    if len(amounts) < 2 or math.fsum(amounts) <= 0:
        return None
    return statistics.pstdev(amounts) / statistics.fmean(amounts)


def assemble(rows: list[Row], as_of: dt.date, settings: DetectorSettings) -> list[Finding]:
    """One finding per connected group of pairs, scored by the three screens."""
    cfg = settings.section("bid_rigging")
    findings = []
    for members in groups((r["a"], r["b"]) for r in rows):
        inside = set(members)
        mine = [r for r in rows if r["a"] in inside]
        projects = {p["project_id"]: _tender(p) for r in mine for p in r["projects"]}
        tenders = [projects[k] for k in sorted(projects)]
        cvs = {t["project_id"]: _cv(t["bids"]) for t in tenders}
        low = sum(1 for v in cvs.values() if v is not None and v <= cfg["low_cv"]) / len(tenders)
        winners = sorted({b["uscc"] for t in tenders for b in t["bids"] if b["won"] and b["uscc"] in inside})
        met = max(len(r["projects"]) for r in mine)
        screens = {"met": min(1.0, met / cfg["full_projects"]), "low_cv_share": low,
                   "rotation": len(winners) / len(members)}
        evidence = {
            "pairs": sorted(({"a": r["a"], "b": r["b"], "projects": len(r["projects"])} for r in mine),
                            key=lambda p: (p["a"], p["b"])),
            "links": unique_sorted({"a": r["a"], "b": r["b"], **link} for r in mine for link in r["links"]),
            "projects": [{**t, "cv": cvs[t["project_id"]]} for t in tenders],
            "winners": winners, "screens": screens,
        }
        score = (screens["met"] + screens["low_cv_share"] + screens["rotation"]) / 3.0
        findings.append(make_finding("bid_rigging", members, score, as_of, evidence))
    return findings


def cypher_params(settings: DetectorSettings) -> dict[str, Any]:
    """The query's thresholds."""
    return {"minProjects": int(settings.value("bid_rigging", "min_projects")),
            "minSharePct": float(settings.value("principals", "min_share_pct"))}


BID_RIGGING = Detector(
    "bid_rigging", ("Enterprise", "Person", "Project", "Address", "Phone", "Email"),
    ("LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF", "BID_ON", "HAS_ADDRESS", "HAS_PHONE", "HAS_EMAIL"),
    match, assemble, cypher_params)

"""bribery_association: a firm near a bribery record holder wins a tender while the record counts.

A *bribery record* is a ``Penalty`` of category ``bribery`` or a ``ListEntry``
on ``bribery_record``, begun on or before the as-of date. It *counts* from its
``decision_date`` / ``listed_date`` until (exclusive) its ``repaired_date``
when the penalty's status is ``repaired`` (credit repair; a repaired penalty
without a date never counts), its ``removed_date`` for a list entry, and
never when the penalty is ``revoked``.

A match is a firm, other than the holder, within two hops of the holder over
``LEGAL_REP_OF``, ``OFFICER_OF`` and ``SHAREHOLDER_OF`` in either direction,
every hop in force on the as-of date, that *won* a bid (``won`` true) on a day
when one of the holder's records counts and not after the as-of date. The
day of a win is the bid's ``bid_date``, else the project's ``award_date``,
else its ``publish_date``; a win with none of them is not placed in time and
not counted. One finding per ``[uscc, holder_id]``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np

from credgraph.analytics.detectors.base import Detector, Row, canonical, make_finding, unique_sorted
from credgraph.analytics.detectors.graph import (
    OPEN_END,
    PRINCIPAL_TYPES,
    DetectionGraph,
    day,
    iso,
    number,
    on_day,
)
from credgraph.analytics.detectors.settings import DetectorSettings
from credgraph.graph.records import Finding

Record = tuple[int, int, dict[str, Any]]


def _records(graph: DetectionGraph, on: int) -> dict[int, list[Record]]:
    """Per holder position: (first day, end day, record facts with the grade of its link) of each bribery record
    that can count."""
    found: dict[int, list[Record]] = defaultdict(list)
    penalties = graph.table("HAS_PENALTY")
    for held, subject, node in zip(penalties.rel.tolist(), penalties.src.tolist(), penalties.dst.tolist()):
        p = graph.props(node)
        status = p.get("status") or "effective"
        if p.get("category") != "bribery" or status == "revoked" or day(p.get("decision_date")) > on:
            continue
        since = day(p.get("decision_date"))
        until = OPEN_END if status != "repaired" else day(p.get("repaired_date"), since)
        found[subject].append((since, until, {
            "penalty_id": p.get("penalty_id"), "category": "bribery", "kind": p.get("kind"),
            "decision_date": iso(p.get("decision_date")), "status": status, "repaired_date": iso(p.get("repaired_date")),
            "grade": graph.grade(held)}))
    entries = graph.table("HAS_LIST_ENTRY")
    for held, subject, node in zip(entries.rel.tolist(), entries.src.tolist(), entries.dst.tolist()):
        p = graph.props(node)
        if p.get("list") != "bribery_record" or day(p.get("listed_date")) > on:
            continue
        found[subject].append((day(p.get("listed_date")), day(p.get("removed_date"), OPEN_END), {
            "entry_id": p.get("entry_id"), "list": "bribery_record", "listed_date": iso(p.get("listed_date")),
            "removed_date": iso(p.get("removed_date")), "grade": graph.grade(held)}))
    return found


def _wins(graph: DetectionGraph, on: int) -> dict[int, list[tuple[int, dict[str, Any]]]]:
    """Per firm position: (day, facts) of each won bid placed on or before day ``on``."""
    bids = graph.table("BID_ON")
    found: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for rel, firm, project in zip(bids.rel.tolist(), bids.src.tolist(), bids.dst.tolist()):
        props = graph.rel_props(rel)
        if props.get("won") is not True:
            continue
        p = graph.props(project)
        when = props.get("bid_date") or p.get("award_date") or p.get("publish_date")
        if when is None or day(when) > on:
            continue
        found[firm].append((day(when), {"project_id": graph.key(project), "date": iso(when),
                                        "amount": number(props.get("amount")), "grade": graph.grade(rel)}))
    return found


def _links(graph: DetectionGraph, on: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Undirected adjacency in CSR form over the person and ownership links in force: (indptr, other end, relationship)."""
    tables = [graph.table(t) for t in PRINCIPAL_TYPES]
    tables = [t.select(t.in_force(on)) for t in tables]
    src = np.concatenate([t.src for t in tables])
    dst = np.concatenate([t.dst for t in tables])
    rel = np.concatenate([t.rel for t in tables])
    ends, others, rels = np.concatenate([src, dst]), np.concatenate([dst, src]), np.concatenate([rel, rel])
    order = np.argsort(ends, kind="stable")
    indptr = np.searchsorted(ends[order], np.arange(graph.node_count + 1))
    return indptr, others[order], rels[order]


def match(graph: DetectionGraph, as_of: dt.date, settings: DetectorSettings) -> list[Row]:
    """One row per (winning firm, record holder): the records and wins that meet, and every path of 1-2 hops."""
    on = on_day(as_of)
    records = _records(graph, on)
    wins = _wins(graph, on)
    indptr, others, rels = _links(graph, on)
    firm = graph.is_label("Enterprise")
    rows: list[Row] = []
    for holder in sorted(records):
        paths: dict[int, list[list[int]]] = defaultdict(list)
        for i in range(indptr[holder], indptr[holder + 1]):
            x, r1 = int(others[i]), int(rels[i])
            if x == holder:
                continue
            if firm[x]:
                paths[x].append([r1])
            for j in range(indptr[x], indptr[x + 1]):
                y, r2 = int(others[j]), int(rels[j])
                if r2 != r1 and y != holder and y != x and firm[y]:
                    paths[y].append([r1, r2])
        for target in sorted(paths):
            met = [(rec, win) for since, until, rec in records[holder] for when, win in wins.get(target, [])
                   if since <= when < until]
            if not met:
                continue
            rows.append({
                "uscc": graph.key(target), "holder_id": graph.key(holder),
                "holder_type": "person" if graph.labels[holder] == "Person" else "enterprise",
                "records": unique_sorted(rec for rec, _ in met), "wins": unique_sorted(win for _, win in met),
                "paths": [_path(graph, holder, hops) for hops in paths[target]],
            })
    return rows


def _path(graph: DetectionGraph, holder: int, hops: list[int]) -> dict[str, Any]:
    nodes = [graph.key(holder)]
    for rel in hops:
        a, b = graph.key(int(graph.projection.src[rel])), graph.key(int(graph.projection.dst[rel]))
        nodes.append(b if a == nodes[-1] else a)
    return {"nodes": nodes, "links": [graph.fact(rel) for rel in hops]}


def assemble(rows: list[Row], as_of: dt.date, settings: DetectorSettings) -> list[Finding]:
    """One finding per [uscc, holder_id], scored by the fewest hops."""
    cfg = settings.section("bribery_association")
    findings = []
    for row in sorted(rows, key=lambda r: (r["uscc"], r["holder_id"])):
        paths = sorted(unique_sorted(row["paths"]), key=lambda p: (len(p["links"]), canonical(p)))
        hops = len(paths[0]["links"])
        evidence = {
            "holder_type": row["holder_type"], "hops": hops, "records": unique_sorted(row["records"]),
            "wins": sorted(unique_sorted(row["wins"]), key=lambda w: (w["date"], w["project_id"])),
            "paths": paths[: cfg["max_paths"]], "paths_total": len(paths),
        }
        score = cfg["one_hop"] if hops == 1 else cfg["two_hops"]
        findings.append(make_finding("bribery_association", (row["uscc"], row["holder_id"]), score, as_of, evidence))
    return findings


def cypher_params(settings: DetectorSettings) -> dict[str, Any]:
    """The query takes only the date."""
    return {}


BRIBERY_ASSOCIATION = Detector(
    "bribery_association", ("Enterprise", "Person", "Penalty", "ListEntry", "Project"),
    ("LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF", "HAS_PENALTY", "HAS_LIST_ENTRY", "BID_ON"),
    match, assemble, cypher_params)

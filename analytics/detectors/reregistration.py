"""reregistration: a principal of a black-listed subject takes a role in another firm while the listing is in force.

A *listing* is a ``ListEntry`` on one of the configured black lists, listed on
or before the as-of date; it bars its subject from ``listed_date`` until
``removed_date`` (exclusive). Its *principals* are the listed person, or, for
a listed firm, every person who was its principal on the listing date (legal
representative, officer, or shareholder of at least
``[principals] min_share_pct``, the relationship in force on that day).

A match is a principal's role (legal representative, officer, or such a
shareholding) in a firm other than the listed one whose known ``start_date``
falls inside the listing's interval and on or before the as-of date: the firm
was registered, or joined, while the bar stood. A role with no start date is
not reported (it cannot be placed in time). One finding per
``[person_id, uscc]``, with every listing and role behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from credgraph.analytics.detectors.base import Detector, Row, make_finding, unique_sorted
from credgraph.analytics.detectors.graph import OPEN_END, DetectionGraph, day, iso, on_day
from credgraph.analytics.detectors.settings import DetectorSettings
from credgraph.graph.records import Finding


def _listing(graph: DetectionGraph, entry: int, held: int) -> dict[str, Any]:
    """The entry's facts, with the grade of the ``HAS_LIST_ENTRY`` link ``held`` that ties it to its subject."""
    props = graph.props(entry)
    return {"entry_id": props.get("entry_id"), "list": props.get("list"), "subject_id": props.get("subject_id"),
            "subject_type": props.get("subject_type"), "listed_date": iso(props.get("listed_date")),
            "removed_date": iso(props.get("removed_date")), "grade": graph.grade(held)}


def match(graph: DetectionGraph, as_of: dt.date, settings: DetectorSettings) -> list[Row]:
    """Every (listing, principal role in the listed firm or none, new role) that breaches a bar."""
    on = on_day(as_of)
    lists = set(settings.value("reregistration", "lists"))
    roles = graph.principals(settings.value("principals", "min_share_pct"))
    by_person: dict[int, list[int]] = defaultdict(list)
    by_firm: dict[int, list[int]] = defaultdict(list)
    for k, (person, firm) in enumerate(zip(roles.src.tolist(), roles.dst.tolist())):
        by_person[person].append(k)
        by_firm[firm].append(k)
    entries = graph.table("HAS_LIST_ENTRY")
    is_person = graph.is_label("Person")
    is_firm = graph.is_label("Enterprise")
    rows: list[Row] = []
    for held, subject, entry in zip(entries.rel.tolist(), entries.src.tolist(), entries.dst.tolist()):
        props = graph.props(entry)
        listed = day(props.get("listed_date"))
        if props.get("list") not in lists or listed > on:
            continue
        removed = day(props.get("removed_date"), OPEN_END)
        if is_person[subject]:
            principals: list[tuple[int, int | None]] = [(subject, None)]
        elif is_firm[subject]:
            principals = [(int(roles.src[k]), k) for k in by_firm[subject]
                          if roles.start[k] <= listed < roles.end[k]]
        else:
            continue
        for person, via in principals:
            for k in by_person[person]:
                start = int(roles.start[k])
                firm = int(roles.dst[k])
                if firm != subject and listed <= start < removed and start <= on:
                    rows.append({
                        "person_id": graph.key(person), "uscc": graph.key(firm),
                        "firm_reg_date": iso(graph.props(firm).get("reg_date")),
                        "listing": _listing(graph, entry, held),
                        "principal_of_listed": None if via is None else graph.fact(int(roles.rel[via])),
                        "role": graph.fact(int(roles.rel[k])),
                    })
    return rows


def _score(row: Row, as_of: dt.date, cfg: dict[str, Any]) -> float:
    role = row["role"]
    if role["type"] == "LEGAL_REP_OF":
        weight = cfg["legal_rep"]
    elif role["type"] == "OFFICER_OF":
        weight = cfg["officer"]
    else:
        weight = cfg["controlling_shareholder"] if (role["share_pct"] or 0) >= cfg["control_pct"] else cfg["shareholder"]
    if row["principal_of_listed"] is not None:
        weight *= cfg["via_listed_firm"]
    removed = row["listing"]["removed_date"]
    if removed is not None and removed <= as_of.isoformat():
        weight *= cfg["listing_removed"]
    return float(weight)


def assemble(rows: list[Row], as_of: dt.date, settings: DetectorSettings) -> list[Finding]:
    """One finding per [person_id, uscc]: every breach behind it, scored by the strongest."""
    cfg = settings.section("reregistration")
    by_pair: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_pair[(row["person_id"], row["uscc"])].append(row)
    findings = []
    for pair in sorted(by_pair):
        matches = by_pair[pair]
        breaches = unique_sorted({k: r[k] for k in ("listing", "principal_of_listed", "role")} for r in matches)
        evidence = {"firm_reg_date": matches[0]["firm_reg_date"], "breaches": breaches}
        score = max(_score(r, as_of, cfg) for r in matches)
        findings.append(make_finding("reregistration", pair, score, as_of, evidence))
    return findings


def cypher_params(settings: DetectorSettings) -> dict[str, Any]:
    """The query's thresholds."""
    return {"lists": list(settings.value("reregistration", "lists")),
            "minSharePct": float(settings.value("principals", "min_share_pct"))}


REREGISTRATION = Detector(
    "reregistration", ("Enterprise", "Person", "ListEntry"),
    ("LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF", "HAS_LIST_ENTRY"), match, assemble, cypher_params)

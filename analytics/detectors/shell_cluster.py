"""shell_cluster: three or more firms, tied by what they share, registered together, showing shell signs.

Only firms in force on the as-of date take part. Two of them are *tied* when
they were registered at most ``window_days`` apart and share a contact point
(``Address``, ``Phone``, ``Email``) or a principal (a person who is legal
representative, officer, or shareholder of at least ``[principals]
min_share_pct`` of both, in force), unless that contact point or person is
shared by more than ``max_shared_firms`` firms in force: a business centre or
an agent ties no one. A *cluster* is a connected group of at least
``min_firms`` tied firms. Its signs: the share of members with tiny capital
(``registered_capital`` at most ``tiny_capital``; unknown is not tiny), and
the share of members with the same controller (the holder of at least
``control_pct`` percent, in force); registered together holds for every tie.
Score = (1 + tiny share + same-controller share) / 3; clusters below
``min_score`` are not reported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from credgraph.analytics.detectors.base import Detector, Row, groups, make_finding, unique_sorted
from credgraph.analytics.detectors.graph import DetectionGraph, iso, number, on_day
from credgraph.analytics.detectors.settings import DetectorSettings
from credgraph.graph.records import Finding

CONTACTS = {"HAS_ADDRESS": "address", "HAS_PHONE": "phone", "HAS_EMAIL": "email"}


def _controllers(graph: DetectionGraph, on: int, control_pct: float) -> dict[int, tuple[str, float]]:
    """Per firm position: (holder key, percent) of the largest holder in force holding at least ``control_pct``."""
    table = graph.table("SHAREHOLDER_OF")
    table = table.select(table.in_force(on))
    held: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for rel, holder, firm in zip(table.rel.tolist(), table.src.tolist(), table.dst.tolist()):
        held[firm][graph.key(holder)] += float(graph.rel_props(rel).get("share_pct") or 0.0)
    found = {}
    for firm, shares in held.items():
        holder, pct = min(shares.items(), key=lambda kv: (-kv[1], kv[0]))
        if pct >= control_pct:
            found[firm] = (holder, pct)
    return found


def _tied_pairs(members: list[int], reg: np.ndarray, window: int) -> list[tuple[int, int]]:
    ordered = sorted(members, key=lambda m: (reg[m], m))
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if reg[b] - reg[a] > window:
                break
            pairs.append((a, b))
    return pairs


def match(graph: DetectionGraph, as_of: dt.date, settings: DetectorSettings) -> list[Row]:
    """Every tie between two firms in force: the pair, what ties them, and both firms' facts."""
    cfg = settings.section("shell_cluster")
    on = on_day(as_of)
    alive = graph.firms_in_force(on)
    reg, _ = graph.firm_days()
    shared: dict[tuple[str, int], set[int]] = defaultdict(set)
    for rel_type, via in CONTACTS.items():
        table = graph.table(rel_type)
        for firm, point in zip(table.src.tolist(), table.dst.tolist()):
            if alive[firm]:
                shared[(via, point)].add(firm)
    roles = graph.principals(settings.value("principals", "min_share_pct"))
    roles = roles.select(roles.in_force(on))
    for person, firm in zip(roles.src.tolist(), roles.dst.tolist()):
        if alive[firm]:
            shared[("person", person)].add(firm)
    controllers = _controllers(graph, on, cfg["control_pct"])
    rows: list[Row] = []
    for (via, point), firms in shared.items():
        if not 2 <= len(firms) <= cfg["max_shared_firms"]:
            continue
        for a, b in _tied_pairs(sorted(firms), reg, cfg["window_days"]):
            fa, fb = (_firm(graph, a, controllers), _firm(graph, b, controllers))
            if fa["uscc"] > fb["uscc"]:
                fa, fb = fb, fa
            rows.append({"a": fa["uscc"], "b": fb["uscc"], "via": via, "id": graph.key(point),
                         "firm_a": fa, "firm_b": fb})
    return rows


def _firm(graph: DetectionGraph, position: int, controllers: dict[int, tuple[str, float]]) -> dict[str, Any]:
    props = graph.props(position)
    holder, pct = controllers.get(position, (None, None))
    return {"uscc": graph.key(position), "reg_date": iso(props.get("reg_date")),
            "registered_capital": number(props.get("registered_capital")), "controller": holder,
            "controller_share_pct": pct}


def assemble(rows: list[Row], as_of: dt.date, settings: DetectorSettings) -> list[Finding]:
    """Group tied firms; report groups of ``min_firms`` or more whose signs score at least ``min_score``."""
    cfg = settings.section("shell_cluster")
    facts = {f["uscc"]: f for r in rows for f in (r["firm_a"], r["firm_b"])}
    findings = []
    for members in groups((r["a"], r["b"]) for r in rows):
        if len(members) < cfg["min_firms"]:
            continue
        firms = [facts[m] for m in members]
        tiny = sum(1 for f in firms if f["registered_capital"] is not None
                   and f["registered_capital"] <= cfg["tiny_capital"]) / len(firms)
        counts = Counter(f["controller"] for f in firms if f["controller"] is not None)
        controller, same = min(counts.items(), key=lambda kv: (-kv[1], kv[0])) if counts else (None, 0)
        score = (1.0 + tiny + same / len(firms)) / 3.0
        if score < cfg["min_score"]:
            continue
        inside = set(members)
        ties = unique_sorted({"a": r["a"], "b": r["b"], "via": r["via"], "id": r["id"]} for r in rows if r["a"] in inside)
        dates = sorted(f["reg_date"] for f in firms)
        evidence = {"firms": firms, "ties": ties, "registered_from": dates[0], "registered_to": dates[-1],
                    "span_days": (dt.date.fromisoformat(dates[-1]) - dt.date.fromisoformat(dates[0])).days,
                    "tiny_capital_share": tiny, "controller": controller, "same_controller_share": same / len(firms)}
        findings.append(make_finding("shell_cluster", members, score, as_of, evidence))
    return findings


def cypher_params(settings: DetectorSettings) -> dict[str, Any]:
    """The query's thresholds."""
    cfg = settings.section("shell_cluster")
    return {"windowDays": int(cfg["window_days"]), "maxSharedFirms": int(cfg["max_shared_firms"]),
            "controlPct": float(cfg["control_pct"]),
            "minSharePct": float(settings.value("principals", "min_share_pct"))}


SHELL_CLUSTER = Detector(
    "shell_cluster", ("Enterprise", "Person", "Address", "Phone", "Email"),
    ("LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF", "HAS_ADDRESS", "HAS_PHONE", "HAS_EMAIL"),
    match, assemble, cypher_params)

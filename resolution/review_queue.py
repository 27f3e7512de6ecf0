"""The review queue: probable mentions with their candidates, or the unresolved ones.

Each item is a plain dict the CLI and the dashboard show side by side: the
mention (its id, source, role, name, identifier, the row it came from) and its
candidates (subject id, label, name, rank, score, evidence).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from credgraph.graph.errors import ConfigError
from credgraph.graph.store import GraphStore

MENTION_FIELDS = ("record_id", "source", "role", "name", "identifier", "id_kind", "subject_type", "region_code")


def _mentions(store: GraphStore, source: str | None) -> dict[str, dict[str, Any]]:
    table = store.node_table("Mention", MENTION_FIELDS)
    out = {}
    for i, mid in enumerate(table["key"]):
        if source is None or table["source"][i] == source:
            out[mid] = {"mention_id": mid, "file": table["source_file"][i], "line": table["source_line"][i],
                        **{f: table[f][i] for f in MENTION_FIELDS}}
    return out


ORDERS = ("file", "records")


def _records_held(store: GraphStore, cands: dict[str, list[Any]]) -> dict[str, int]:
    """Per probable mention: how many penalties and list entries its candidates hold (counted at any grade)."""
    per_subject = Counter(store.relationship_table(["HAS_PENALTY", "HAS_LIST_ENTRY"], ())["src"])
    out: Counter[str] = Counter()
    for subject, mid in zip(cands["src"], cands["dst"]):
        out[mid] += per_subject[subject]
    return dict(out)


def review_queue(store: GraphStore, source: str | None = None, unresolved: bool = False,
                 limit: int = 50, offset: int = 0, order: str = "file") -> tuple[list[dict[str, Any]], int]:
    """A page of the queue and how many mentions it holds in all.

    ``order`` ``file`` lists by source, file and line; ``records`` puts first
    the mentions whose candidates hold the most penalties and list entries
    (the links that decide whether a record reaches its subject), then by file.
    """
    if order not in ORDERS:
        raise ConfigError(f"unknown review order {order!r}: use one of {', '.join(ORDERS)}")
    mentions = _mentions(store, source)
    links = store.relationship_table(["SAME_AS"], ("link_grade",))
    grade = dict(zip(links["dst"], links["link_grade"]))
    if unresolved:
        wanted = [m for m in mentions if m not in grade]
    else:
        wanted = [m for m in mentions if grade.get(m) == "probable"]
    cands = store.relationship_table(["MAYBE_SAME_AS"], ("rank", "score", "evidence"))
    held = _records_held(store, cands) if order == "records" else {}
    wanted.sort(key=lambda m: (-held.get(m, 0), mentions[m]["source"] or "", mentions[m]["file"] or "",
                               mentions[m]["line"] or 0, m))
    page = wanted[offset: offset + limit]
    by_mention: dict[str, list[dict[str, Any]]] = {}
    keep = set(page)
    for i, mid in enumerate(cands["dst"]):
        if mid in keep:
            by_mention.setdefault(mid, []).append({
                "subject_id": cands["src"][i], "label": cands["src_label"][i], "rank": cands["rank"][i],
                "score": cands["score"][i], "evidence": json.loads(cands["evidence"][i] or "{}")})
    items = []
    for mid in page:
        candidates = sorted(by_mention.get(mid, []), key=lambda c: (c["rank"] or 0, c["subject_id"]))
        for cand in candidates:
            node = store.get_node(cand["label"], cand["subject_id"])
            cand["name"] = node.name if node else None
        record = store.get_node("SourceRecord", mentions[mid]["record_id"] or "")
        cells = json.loads(record.props.get("cells") or "{}") if record else {}
        items.append({**mentions[mid], "candidates": candidates, "cells": cells})
    return items, len(wanted)

"""The relationships resolved mentions make, and writing them only where they changed.

A mention's *facts* (``credgraph.loaders.published.rows``) say which
relationship it makes once linked: the firm's shareholding, the debtor's list
entry, the supplier's won bid. Each becomes a relationship of the model between
the mention's subject and the other end (another mention's subject, or a node
by key that must be in the store), carrying ``via_mention`` and ``link_grade``:
the weaker of the two links it rests on. Links of every grade down to
``probable`` make relationships; analyses choose which grades count.

Writing compares with what the store holds (``relationship_table``), so a
re-run that changes nothing writes nothing, and a link that moves or goes
takes its relationships with it.

A type the model keys by its two ends alone (``BID_ON``: one bid per firm and
project) gets one relationship per pair however many rows name it: a winner
is named by the award notice (``won`` true) and again by the bid opening
record (``won`` false). The pair keeps the row of the best grade, with the
values it lacks from rows as good and a true flag from any row (the award's
``won``); the grade is then the weakest of the rows it took a flag from, so
that a win resting on a weaker link never counts at a stronger grade.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pandas as pd

from credgraph.graph.encoding import content_hash, encode_relationship
from credgraph.graph.links import LINKED_TYPES, grade_rank, weakest
from credgraph.graph.model import MODEL
from credgraph.graph.records import Origin, RelRow, WriteResult
from credgraph.graph.store import GraphStore
from credgraph.resolution.tables import columns


def _typed(rel_type: str, props: dict[str, Any]) -> dict[str, Any]:
    declared = MODEL.relationships[rel_type].properties
    return {k: (declared[k].type.from_json(v) if k in declared and v is not None else v) for k, v in props.items()}


def linked_relationships(mentions: pd.DataFrame, links: pd.DataFrame, exists: Any) -> dict[str, list[tuple[str, RelRow]]]:
    """Per relationship type, the (mention id, row) pairs the facts of linked mentions make.

    ``exists(label, keys)`` returns the keys of ``label`` that are in the store.
    """
    link = {m: (s, lab, g) for m, s, lab, g in columns(links, "mention_id", "subject_id", "label", "grade")}
    pending: list[tuple[str, dict[str, Any], tuple[str, str, str]]] = []
    wanted: dict[str, set[str]] = defaultdict(set)
    for mid, facts in columns(mentions, "mention_id", "facts"):
        if mid not in link or not isinstance(facts, str):
            continue
        for fact in json.loads(facts):
            pending.append((mid, fact, link[mid]))
            other = fact["other"]
            if "label" in other:
                wanted[other["label"]].add(other["key"])
    present = {label: exists(label, keys) for label, keys in wanted.items()}
    out: dict[str, list[tuple[str, RelRow]]] = defaultdict(list)
    for mid, fact, (subject, label, grade) in pending:
        other = fact["other"]
        if "mention" in other:
            if other["mention"] not in link:
                continue
            o_subject, o_label, o_grade = link[other["mention"]]
        elif other["key"] in present.get(other["label"], set()):
            o_subject, o_label, o_grade = other["key"], other["label"], "exact"
        else:
            continue
        rel = MODEL.relationships[fact["type"]]
        src, src_label, dst, dst_label = ((subject, label, o_subject, o_label) if fact["end"] == "src"
                                          else (o_subject, o_label, subject, label))
        if src_label not in rel.from_labels or dst_label not in rel.to_labels or (src, src_label) == (dst, dst_label):
            continue
        props = _typed(rel.type, fact["props"])
        if rel.from_type:
            props[rel.from_type] = src_label.lower()
        props.update(via_mention=mid, link_grade=weakest([grade, o_grade]))
        out[rel.type].append((mid, RelRow(src, dst, props, src_label=src_label)))
    for rel_type in [t for t in out if not MODEL.relationships[t].key]:
        out[rel_type] = one_per_pair(out[rel_type])
    return out


def one_per_pair(rows: list[tuple[str, RelRow]]) -> list[tuple[str, RelRow]]:
    """The rows of a type keyed by its ends, one per pair, as the module says.

    >>> award = ("m1", RelRow("F", "P", {"won": True, "amount": 9.0, "link_grade": "strong", "via_mention": "m1"}))
    >>> opening = ("m2", RelRow("F", "P", {"won": False, "amount": 8.0, "bid_date": "2024-03-01",
    ...                                    "link_grade": "exact", "via_mention": "m2"}))
    >>> [(m, r.props["won"], r.props["amount"], r.props["bid_date"], r.props["link_grade"])
    ...  for m, r in one_per_pair([award, opening])]
    [('m2', True, 8.0, '2024-03-01', 'strong')]
    """
    pairs: dict[tuple[Any, ...], list[tuple[str, RelRow]]] = defaultdict(list)
    for mid, row in rows:
        pairs[(row.src_label, row.src, row.dst)].append((mid, row))
    out = []
    for group in pairs.values():
        if len(group) == 1:
            out.extend(group)
            continue
        group.sort(key=lambda item: (grade_rank(item[1].props["link_grade"]), item[0]))
        mid, first = group[0]
        props, grades = dict(first.props), [first.props["link_grade"]]
        for _, row in group[1:]:
            same = row.props["link_grade"] == first.props["link_grade"]
            if same:
                props.update({k: v for k, v in row.props.items() if props.get(k) is None})
            flags = {k: True for k, v in row.props.items() if v is True and props.get(k) is not True}
            if flags:
                props.update(flags)
                grades.append(row.props["link_grade"])
        props.update(via_mention=mid, link_grade=weakest(grades))
        out.append((mid, RelRow(first.src, first.dst, props, first.line, first.src_label)))
    return out


def write_linked(store: GraphStore, made: dict[str, list[tuple[str, RelRow]]], origin: Origin) -> WriteResult:
    """Make ``made`` the relationships of the mentions, rewriting only the mentions whose set changed."""
    types = sorted({*made, *LINKED_TYPES})
    stored: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    if types:
        table = store.relationship_table(types, ("via_mention",), linked=True)
        for row in zip(table["via_mention"], table["type"], table["src_label"], table["src"], table["dst"],
                       table["rkey"], table["digest"]):
            stored[row[0]].add(row[1:])
    desired: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    rows: dict[str, dict[str, list[RelRow]]] = defaultdict(lambda: defaultdict(list))
    for rel_type, pairs in made.items():
        rel = MODEL.relationships[rel_type]
        for mid, row in pairs:
            edge = encode_relationship(rel, row)
            desired[mid].add((rel_type, edge.src_label, edge.src, edge.dst, edge.rkey, content_hash(edge.json)))
            rows[mid][rel_type].append(row)
    changed = sorted(m for m in set(stored) | set(desired) if stored.get(m, set()) != desired.get(m, set()))
    if not changed:
        return WriteResult(0, len(desired))
    batch: dict[str, list[RelRow]] = defaultdict(list)
    for mid in changed:
        for rel_type, rel_rows in rows.get(mid, {}).items():
            batch[rel_type].extend(rel_rows)
    return store.replace_linked(changed, batch, origin, types)


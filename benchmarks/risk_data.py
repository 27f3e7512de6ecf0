"""Generated data for the risk benchmarks, and a risk projection read straight from its files.

Loading L (9 million rows) into a store takes over half an hour and
``store.project`` of it holds every property of every node, so the benchmarks
read the generated CSV files directly into the projection ``risk_scores``
needs: every cell that names a node goes through the model's cleaner (the
same one the loaders use), and the as-of filter is the model's (a node or
relationship is in force from ``valid_from`` until ``valid_to``, exclusive).
Like ``credgraph.analytics.jobs.risk_projection``, firms that ended before
the as-of date stay in it (with their dates), so their records still reach
their principals. ``--check-store`` in risk_propagation.py compares the two.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from credgraph.analytics.common import paused_gc
from credgraph.graph.model import MODEL
from credgraph.graph.projection import Projection
from credgraph.graph.records import Node, Relationship
from credgraph.graph.types import TYPES, Invalid

AS_OF = dt.date(2024, 6, 30)
CONTACTS = {"address": ("Address", "HAS_ADDRESS"), "phone": ("Phone", "HAS_PHONE"), "email": ("Email", "HAS_EMAIL")}
RELATION_FILES = {
    "legal_reps.csv": ("LEGAL_REP_OF", "person_id", "uscc", ()),
    "officers.csv": ("OFFICER_OF", "person_id", "uscc", ("role",)),
    "shareholdings.csv": ("SHAREHOLDER_OF", "holder_id", "uscc", ("share_pct",)),
    "guarantees.csv": ("GUARANTEES", "guarantor_uscc", "debtor_uscc", ()),
    "bids.csv": ("BID_ON", "uscc", "project_id", ()),
}


def ensure_data(size: str, seed: int, root: Path) -> Path:
    """The folder of the generated ``size`` data set under ``root``, generated if missing."""
    folder = root / f"{size.lower()}{seed}"
    if not (folder / "truth.json").exists():
        from credgraph.synthetic.generate import generate

        generate(size=size, seed=seed, out=folder)
    return folder


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _clean(type_name: str, raw: str) -> Any:
    value = TYPES[type_name].clean(raw) if raw else None
    return None if isinstance(value, Invalid) else value


def _in_force(start: Any, end: Any, as_of: dt.date) -> bool:
    return (start is None or start <= as_of) and (end is None or as_of < end)


def _person_or_firm(kind: str) -> tuple[str, str]:
    return ("Enterprise", "uscc") if kind == "enterprise" else ("Person", "person_id")


def _nodes(folder: Path, as_of: dt.date, links: list[Relationship]) -> Iterator[Node]:
    seen_contacts: set[tuple[str, str]] = set()
    for row in _rows(folder / "enterprises.csv"):
        uscc, begun, ended = _clean("uscc", row["uscc"]), _clean("date", row["reg_date"]), _clean("date", row["end_date"])
        if uscc is None or not _in_force(begun, None, as_of):
            continue  # an ended firm stays: it passes its records' risk on to its principals
        yield Node("Enterprise", uscc, {"reg_date": begun, "end_date": ended} if ended else {})
        for column, (label, rel_type) in CONTACTS.items():
            value = _clean(column, row[column])
            if value is not None:
                links.append(Relationship(rel_type, "Enterprise", uscc, label, value, "", {}))
                if (label, value) not in seen_contacts:
                    seen_contacts.add((label, value))
                    yield Node(label, value, {})
    for row in _rows(folder / "persons.csv"):
        yield Node("Person", _clean("person_id", row["person_id"]) or row["person_id"], {})
    for row in _rows(folder / "projects.csv"):
        if _in_force(_clean("date", row["publish_date"]), None, as_of):
            yield Node("Project", row["project_id"], {})
    yield from _records(folder, as_of, links)


def _records(folder: Path, as_of: dt.date, links: list[Relationship]) -> Iterator[Node]:
    for label, file, key, start, end in (("Penalty", "penalties.csv", "penalty_id", "decision_date", None),
                                         ("ListEntry", "list_entries.csv", "entry_id", "listed_date", "removed_date")):
        properties = MODEL.nodes[label].properties
        for row in _rows(folder / file):
            props = {c: properties[c].type.clean(v) if v and c in properties else None for c, v in row.items()}
            props = {c: (None if isinstance(v, Invalid) else v) for c, v in props.items()}
            if not _in_force(props[start], props.get(end) if end else None, as_of):
                continue
            subject_label, subject_type = _person_or_firm(row["subject_type"])
            subject = _clean(subject_type, row["subject_id"]) or row["subject_id"]
            props = {k: v for k, v in props.items() if v is not None}
            links.append(Relationship(f"HAS_{'PENALTY' if label == 'Penalty' else 'LIST_ENTRY'}",
                                      subject_label, subject, label, row[key], "", {}))
            yield Node(label, row[key], props)


def _relations(folder: Path, as_of: dt.date) -> Iterator[Relationship]:
    for file, (rel_type, src_col, dst_col, keep) in RELATION_FILES.items():
        rel = MODEL.relationships[rel_type]
        for row in _rows(folder / file):
            start = _clean("date", row.get(rel.valid_from or "", "") or "")
            end = _clean("date", row.get(rel.valid_to or "", "") or "")
            if not _in_force(start, end, as_of):
                continue
            if rel_type == "SHAREHOLDER_OF":
                src_label, src_type = _person_or_firm(row["holder_type"])
            elif rel_type == "GUARANTEES" or rel_type == "BID_ON":
                src_label, src_type = "Enterprise", "uscc"
            else:
                src_label, src_type = "Person", "person_id"
            src = _clean(src_type, row[src_col]) or row[src_col]
            dst_label = "Project" if rel_type == "BID_ON" else "Enterprise"
            dst = row[dst_col] if rel_type == "BID_ON" else (_clean("uscc", row[dst_col]) or row[dst_col])
            props = {c: rel.properties[c].type.clean(row[c]) for c in keep if row.get(c)}
            yield Relationship(rel_type, src_label, src, dst_label, dst, "", props)


def projection_from_folder(folder: Path, as_of: dt.date = AS_OF) -> Projection:
    """The risk projection (subjects, contact points, projects, records and their links) of a generated folder."""
    links: list[Relationship] = []  # filled while the nodes stream in, read after them
    with paused_gc():
        return Projection.build(_nodes(folder, as_of, links), chain(_relations(folder, as_of), links))

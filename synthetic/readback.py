"""Read a generated folder back the way a loader sees it: every cell through its cleaner.

Each cell is cleaned by the property type the graph model declares for its
column (``graph/types.py``: phones lose punctuation and +86, addresses their
spaces and full-width digits, e-mails their case, USCC letters are upper-cased,
statuses and booleans mapped from their Chinese words). A cell that does not
clean is reported, never dropped silently. Used by :mod:`verify` and the tests.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credgraph.graph.model import MODEL, NodeType, RelationshipType
from credgraph.graph.types import TYPES, Invalid, PropertyType
from credgraph.synthetic.writer import COLUMNS

_END_TYPES = {"uscc": "uscc", "guarantor_uscc": "uscc", "debtor_uscc": "uscc", "person_id": "person_id",
              "project_id": "string"}
_BY_SUBJECT = {"holder_id": "holder_type", "subject_id": "subject_type"}


def _column_types() -> dict[str, dict[str, PropertyType]]:
    types: dict[str, dict[str, PropertyType]] = {}
    items: list[NodeType | RelationshipType] = [*MODEL.nodes.values(), *MODEL.relationships.values()]
    for item in items:
        if item.file:
            types[item.file] = {name: prop.type for name, prop in item.properties.items()}
    for file, columns in COLUMNS.items():
        for column in columns:
            if column in _END_TYPES and column not in types[file]:
                types[file][column] = TYPES[_END_TYPES[column]]
    return types


@dataclass
class Dataset:
    """The cleaned rows of every file, the header of each, the cells that did not clean, and truth.json."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, file: str) -> list[dict[str, Any]]:
        return self.rows[file]


def _clean(file: str, line: int, row: dict[str, str], types: dict[str, PropertyType],
           problems: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, raw in row.items():
        if column in _BY_SUBJECT:
            kind = (row.get(_BY_SUBJECT[column]) or "").strip()
            ptype = TYPES["uscc"] if kind == "enterprise" else TYPES["person_id"]
        else:
            ptype = types.get(column, TYPES["string"])
        value = ptype.clean(raw)
        if isinstance(value, Invalid):
            problems.append(f"{file}:{line} {column}={raw!r}: {value.reason}")
            value = None
        out[column] = value
    return out


def read_folder(folder: Path) -> Dataset:
    """Every generated file of ``folder``, cleaned; truth.json parsed."""
    types = _column_types()
    data = Dataset()
    for file in COLUMNS:
        with open(folder / file, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            data.headers[file] = list(reader.fieldnames or [])
            data.rows[file] = [_clean(file, n, row, types[file], data.problems) for n, row in enumerate(reader, 2)]
    truth_path = folder / "truth.json"
    if truth_path.exists():
        data.truth = json.loads(truth_path.read_text(encoding="utf-8"))
    return data

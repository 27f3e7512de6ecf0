"""Streaming CSV output in the contract's input format.

All eleven files are open for the whole run and rows are written as they are
made, so memory does not grow with the number of rows. Files are UTF-8 without
BOM, ``\\r\\n`` line ends and minimal quoting (RFC 4180, Python's csv module),
header row first. Empty cells are written for missing optional values.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

# The columns of CONTRACT.md section 1, in the contract's order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "enterprises.csv": ("uscc", "name", "reg_date", "status", "end_date", "registered_capital", "region_code",
                        "industry", "org_type", "address", "phone", "email"),
    "persons.csv": ("person_id", "name", "id_type"),
    "agencies.csv": ("agency_id", "name", "region_code", "kind"),
    "projects.csv": ("project_id", "name", "agency_id", "category", "budget", "publish_date", "award_date",
                     "region_code"),
    "legal_reps.csv": ("person_id", "uscc", "start_date", "end_date"),
    "officers.csv": ("person_id", "uscc", "role", "start_date", "end_date"),
    "shareholdings.csv": ("holder_id", "holder_type", "uscc", "share_pct", "subscribed_capital", "start_date",
                          "end_date"),
    "guarantees.csv": ("guarantor_uscc", "debtor_uscc", "amount", "start_date", "end_date"),
    "bids.csv": ("project_id", "uscc", "amount", "bid_date", "won"),
    "penalties.csv": ("penalty_id", "subject_id", "subject_type", "decision_date", "category", "kind", "agency_id",
                      "amount", "legal_basis", "description", "status", "repaired_date"),
    "list_entries.csv": ("entry_id", "subject_id", "subject_type", "list", "listed_date", "removed_date",
                         "agency_id", "reason"),
}
FILES = tuple(COLUMNS)


class CsvSink:
    """The open output files of one run, with a row count per file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows: dict[str, int] = {name: 0 for name in FILES}
        self._handles: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self._known = {name: frozenset(columns) for name, columns in COLUMNS.items()}
        for name, columns in COLUMNS.items():
            handle = open(folder / name, "w", encoding="utf-8", newline="", buffering=1 << 20)
            self._handles[name] = handle
            self._writers[name] = csv.writer(handle, lineterminator="\r\n")
            self._writers[name].writerow(columns)

    def write(self, file_name: str, /, **values: str | None) -> None:
        """One row of ``file_name``; columns not given are left empty."""
        columns = COLUMNS[file_name]
        if not values.keys() <= self._known[file_name]:
            raise KeyError(f"{file_name} has no column {sorted(values.keys() - self._known[file_name])}")
        self._writers[file_name].writerow(["" if (v := values.get(c)) is None else v for c in columns])
        self.rows[file_name] += 1

    def close(self) -> None:
        """Flush and close every file."""
        for handle in self._handles.values():
            handle.close()

    def __enter__(self) -> "CsvSink":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

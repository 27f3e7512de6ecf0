"""Finding and reading the input tables of a folder: CSV files and xlsx sheets.

A table is one contract file (``enterprises.csv``) or one sheet of a workbook
named like it (``enterprises`` in ``data.xlsx``). Reading either gives a header
and the data rows as text cells with their line numbers. A table that cannot be
read as a whole (bytes that do not decode, broken quoting, no header) raises
``TableError``, so that nothing of it is applied.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from credgraph.graph.errors import CredgraphError

ENCODINGS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030", "gbk": "gbk"}


class TableError(CredgraphError):
    """A whole input table cannot be read; nothing of it is loaded."""


@dataclass(frozen=True)
class Table:
    """Where one input table lives: a CSV file, or a sheet of a workbook."""

    name: str  # the contract file name, e.g. "enterprises.csv"
    path: Path
    sheet: str | None = None

    @property
    def source(self) -> str:
        """How reports name the table: ``enterprises.csv`` or ``data.xlsx[enterprises]``."""
        return self.path.name if self.sheet is None else f"{self.path.name}[{self.sheet}]"


@dataclass(frozen=True)
class RawTable:
    """A table as read: header cells and (line number, cells) rows."""

    table: Table
    header: list[str]
    rows: list[tuple[int, list[str]]]


def find_tables(folder: Path, names: list[str]) -> tuple[list[Table], list[str]]:
    """The tables of ``folder`` named in ``names`` (in that order), and the files ignored."""
    found: dict[str, Table] = {}
    ignored: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() or path.name.startswith((".", "~$")):
            continue
        if path.suffix.lower() == ".csv" and path.name in names:
            found[path.name] = Table(path.name, path)
        elif path.suffix.lower() == ".xlsx":
            for sheet in sheet_names(path):
                name = f"{sheet}.csv"
                if name in names:
                    found.setdefault(name, Table(name, path, sheet))
                else:
                    ignored.append(f"{path.name}[{sheet}]")
        else:
            ignored.append(path.name)
    return [found[name] for name in names if name in found], ignored


def read_table(table: Table, encoding: str = "utf-8") -> RawTable:
    """Read every row of ``table``; ``TableError`` if it cannot be read as a whole."""
    rows = list(_xlsx_rows(table) if table.sheet else _csv_rows(table, encoding))
    if not rows:
        raise TableError(f"{table.source}: empty, no header row")
    (_, header), data = rows[0], rows[1:]
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    if not any(header):
        raise TableError(f"{table.source}: the header row is empty")
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        raise TableError(f"{table.source}: columns appear twice in the header: {', '.join(duplicated)}")
    data = [(line, cells) for line, cells in data if any(c.strip() for c in cells)]
    return RawTable(table, header, data)


def count_data_lines(table: Table) -> int:
    """Non-empty lines after the header: the rows of a CSV that cannot be parsed."""
    if table.sheet is not None:
        return 0
    lines = [line for line in table.path.read_bytes().splitlines() if line.strip()]
    return max(len(lines) - 1, 0)


def _codec(encoding: str) -> str:
    codec = ENCODINGS.get(encoding.lower())
    if codec is None:
        raise TableError(f"--encoding {encoding!r}: use utf-8, gb18030 or gbk")
    return codec


def _csv_rows(table: Table, encoding: str) -> Iterator[tuple[int, list[str]]]:
    data = table.path.read_bytes()
    try:
        text = data.decode(_codec(encoding))
    except UnicodeDecodeError as exc:
        hint = "; if it is a GB18030 export, pass --encoding gb18030" if encoding.lower().startswith("utf") else ""
        raise TableError(f"{table.source}: bytes at offset {exc.start} do not decode as {encoding}{hint}") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise TableError(f"{table.source}: broken CSV quoting near line {reader.line_num}: {exc}") from None


def sheet_names(path: Path) -> list[str]:
    """The sheet names of an xlsx workbook; ``TableError`` if it cannot be read."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise TableError(f"{path.name}: not a readable xlsx workbook ({exc})") from None
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """Excel cells are typed; the loaders clean text, as from a CSV."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(table: Table) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    book = load_workbook(table.path, read_only=True, data_only=True)
    try:
        for line, values in enumerate(book[table.sheet].iter_rows(values_only=True), start=1):
            yield line, [_cell_text(v) for v in values]
    finally:
        book.close()

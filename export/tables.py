"""``nodes.csv``, ``edges.csv`` and the Excel workbook of a package.

CSV files are UTF-8 with a byte-order mark (so Excel opens Chinese text
correctly), RFC 4180 quoting, one header row. The workbook has one sheet per
node label and per relationship type present, named by the type (or in
Chinese with ``headers="zh"``), with typed cells: numbers, booleans and dates
as such, text neutralised against formula injection (``credgraph.export.cells``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from credgraph.export.cells import csv_cell, excel_cell, neutralise
from credgraph.export.flatten import PackageGraph
from credgraph.export.headers import header, sheet_name
from credgraph.graph.model import Model

CSV_ENCODING = "utf-8-sig"


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, object]], language: str) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise(header(c, language)) for c in columns])
        for row in rows:
            writer.writerow([csv_cell(row.get(c)) for c in columns])


def write_nodes_csv(graph: PackageGraph, model: Model, path: Path, language: str = "en") -> None:
    """Every node of the package, one row each, the union of all labels' columns."""
    _write_csv(path, graph.node_columns(None, model), [n.row() for n in graph.nodes], language)


def write_edges_csv(graph: PackageGraph, model: Model, path: Path, language: str = "en") -> None:
    """Every relationship of the package, one row each, by package ids of its ends."""
    _write_csv(path, graph.edge_columns(None, model), [e.row() for e in graph.edges], language)


def write_workbook(graph: PackageGraph, model: Model, path: Path, language: str = "en",
                   created: str | None = None) -> None:
    """One sheet per node label and per relationship type that the package holds."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    if created:
        import datetime as dt

        book.properties.created = book.properties.modified = dt.datetime.fromisoformat(created).replace(tzinfo=None)
    sheets: list[tuple[str, list[str], list[dict[str, object]]]] = []
    for label in model.nodes:
        rows = [n.row() for n in graph.nodes if n.type == label]
        if rows:
            sheets.append((label, graph.node_columns(label, model), rows))
    for rel_type in model.relationships:
        rows = [e.row() for e in graph.edges if e.type == rel_type]
        if rows:
            sheets.append((rel_type, graph.edge_columns(rel_type, model), rows))
    for name, columns, rows in sheets:
        sheet = book.create_sheet(sheet_name(name, language))
        sheet.append([excel_cell(header(c, language)) for c in columns])
        for row in rows:
            cells = []
            for column in columns:
                cell = WriteOnlyCell(sheet, value=excel_cell(row.get(column)))
                if cell.is_date:
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    book.save(path)

"""Export safety: no formula injection in CSV or Excel, recoverable text, pseudonyms, headers."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from credgraph.export.cells import FORMULA_TRIGGERS, neutralise, recover, recover_xlsx, xlsx_text
from credgraph.export.flatten import ExportEdge, ExportNode, PackageGraph
from credgraph.export.gephi import read_graphml
from credgraph.export.headers import COLUMNS_ZH, LABELS_ZH, TYPES_ZH, sheet_name
from credgraph.export.identities import Identities
from credgraph.export.package import Selection, export_package
from credgraph.export.tables import write_nodes_csv, write_workbook
from credgraph.graph.model import MODEL
from credgraph.graph.records import NodeRow, Origin
from credgraph.graph.store import GraphStore
from tests.sample_graph import E2, P1

HOSTILE = [
    "=HYPERLINK(\"http://evil\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1",
    "  =1+1", "\u3000=1", "＝1+1", "＋1", "－1", "＠SUM(A1)", "'=already quoted", "'", "_x0041_ literal",
    "bell\x07and NUL\x00", "</script><script>alert(1)</script>", "普通文本",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.builds(lambda ws, t, rest: ws + t + rest, st.text(" \t\u3000\n", max_size=3),
              st.sampled_from(sorted(FORMULA_TRIGGERS)), st.text(max_size=20)),
)


def is_inert(cell: str) -> bool:
    """A spreadsheet would not start a formula at this cell."""
    return cell[:1] not in FORMULA_TRIGGERS and cell.lstrip()[:1] not in FORMULA_TRIGGERS


def is_inert_csv(cell: str) -> bool:
    """Inert text, or a number (a negative amount is written as one)."""
    return is_inert(cell) or re.fullmatch(r"-[0-9]+(\.[0-9]+)?(e[+-][0-9]+)?", cell) is not None


def hostile_graph(texts: list[str]) -> PackageGraph:
    nodes = [ExportNode(f"Enterprise:{i}", "Enterprise", text, str(i),
                        {"name": text, "registered_capital": -5.0, text or "empty": text}, {}, {})
             for i, text in enumerate(texts)]
    return PackageGraph(nodes=nodes)


@given(hostile_text)
def test_neutralised_text_is_inert_and_recoverable(text: str) -> None:
    cell = neutralise(text)
    assert is_inert(cell)
    assert recover(cell) == text


@given(hostile_text)
def test_xlsx_text_is_recoverable(text: str) -> None:
    assert recover_xlsx(xlsx_text(neutralise(text))) == text


def test_plain_text_is_left_alone() -> None:
    assert [neutralise(t) for t in ("华为", "a=b", "1-2", "")] == ["华为", "a=b", "1-2", ""]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(hostile_text, min_size=1, max_size=4))
def test_no_csv_cell_starts_a_formula_and_text_comes_back(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "nodes.csv"
    write_nodes_csv(hostile_graph(texts), MODEL, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert all(is_inert_csv(cell) for row in rows for cell in row)
    header = rows[0]
    for text, row in zip(texts, rows[1:]):
        record = dict(zip(header, row))
        assert recover(record["name"]) == text
        assert record["registered_capital"] == "-5.0"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(hostile_text, min_size=1, max_size=4))
def test_no_excel_cell_is_a_formula_and_text_comes_back(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "tables.xlsx"
    write_workbook(hostile_graph(texts), MODEL, path)
    sheet = load_workbook(path)["Enterprise"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert all(is_inert(c.value) for c in cells if isinstance(c.value, str))
    header = [c.value for c in next(sheet.iter_rows())]
    for text, row in zip(texts, sheet.iter_rows(min_row=2)):
        record = dict(zip(header, row))
        assert recover_xlsx(record["name"].value or "") == text
        assert record["registered_capital"].value == -5.0
        assert record["registered_capital"].data_type == "n"


def test_hostile_names_from_the_store_are_inert_in_every_table(store: GraphStore, tmp_path: Path) -> None:
    origin = Origin("load-hostile", "hostile.csv", "2024-01-01T00:00:00+00:00")
    rows = [NodeRow({"uscc": E2, "name": HOSTILE[0], "reg_date": dt.date(2010, 3, 3), "registered_capital": -5.0,
                     "=cmd|' /C calc'!A0": HOSTILE[1], "industry": HOSTILE[9]})]
    store.upsert_nodes("Enterprise", rows, origin)
    result = export_package(store, Selection.subject(E2), tmp_path / "out", role="investigator", user="t")
    with (result.folder / "nodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert all(is_inert_csv(cell) for row in table for cell in row)
    record = dict(zip(table[0], table[1]))
    assert recover(record["name"]) == HOSTILE[0] and recover(record["'=cmd|' /C calc'!A0"]) == HOSTILE[1]
    assert record["registered_capital"] == "-5.0"
    book = load_workbook(result.folder / "tables.xlsx")
    values = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" and (not isinstance(c.value, str) or is_inert(c.value)) for c in values)


def test_control_characters_leave_the_graph_files_well_formed(store: GraphStore, tmp_path: Path) -> None:
    origin = Origin("load-hostile", "hostile.csv", "2024-01-01T00:00:00+00:00")
    row = NodeRow({"uscc": E2, "name": "bell\x07 NUL\x00 小米", "reg_date": dt.date(2010, 3, 3)})
    store.upsert_nodes("Enterprise", [row], origin)
    result = export_package(store, Selection.subject(E2), tmp_path / "out", role="investigator", user="t")
    graph = read_graphml(result.folder / "graph.graphml")
    assert graph.nodes[f"Enterprise:{E2}"]["name"] == "bell\ufffd NUL\ufffd 小米"
    assert nx.read_gexf(result.folder / "graph.gexf").number_of_nodes() == 1


def test_pseudonyms_are_stable_under_one_key_and_differ_under_another() -> None:
    one, same, other = Identities(True, b"k1"), Identities(True, b"k1"), Identities(True, b"k2")
    assert one.person_key(P1) == same.person_key(P1) != other.person_key(P1)
    assert one.person_key(P1).startswith("4401**********0019~")


def test_two_people_with_the_same_masked_id_keep_apart() -> None:
    ids = Identities(True, b"k")
    a, b = "440106198001010019", "440106199912310019"
    assert ids.person_key(a).split("~")[0] == ids.person_key(b).split("~")[0]
    assert ids.person_key(a) != ids.person_key(b)


def test_scrubbing_masks_ids_in_free_text_but_not_firm_codes() -> None:
    ids = Identities(True, b"k")
    ids.add_people(["E12345678"])  # a passport: only known ids are found
    text = f"{P1} and E12345678 at 914403001922038216"
    assert ids.scrub_text(text) == f"{ids.person_key(P1)} and {ids.person_key('E12345678')} at 914403001922038216"


def test_unmasked_identities_change_nothing() -> None:
    ids = Identities(False, b"k")
    assert ids.scrub({"a": [P1]}) == {"a": [P1]} and ids.node_id("Person", P1) == f"Person:{P1}"


@pytest.mark.parametrize("name", [*MODEL.nodes, *MODEL.relationships])
def test_every_label_and_type_has_a_chinese_sheet_name(name: str) -> None:
    assert name in LABELS_ZH or name in TYPES_ZH


def test_every_property_score_and_provenance_field_has_a_chinese_header() -> None:
    names = {p for node in MODEL.nodes.values() for p in node.properties}
    names |= {p for rel in MODEL.relationships.values() for p in rel.properties}
    names |= set(MODEL.scores) | set(MODEL.provenance) | set(MODEL.link_properties)
    assert names - set(COLUMNS_ZH) == set()


def test_chinese_sheet_names_are_unique_and_fit_excel() -> None:
    names = [sheet_name(n, "zh") for n in [*MODEL.nodes, *MODEL.relationships]]
    assert len(set(names)) == len(names) and all(len(n) <= 31 for n in names)


def test_edges_render_with_their_own_columns(tmp_path: Path) -> None:
    graph = PackageGraph(edges=[ExportEdge("e", "GUARANTEES", "Enterprise:a", "Enterprise:b", "Enterprise",
                                           "Enterprise", {"amount": -1.5}, {})])
    assert graph.edge_columns("GUARANTEES", MODEL)[:7] == ["id", "type", "source", "target", "source_type",
                                                           "target_type", "amount"]

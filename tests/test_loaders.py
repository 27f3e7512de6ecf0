"""Loading input folders: every row in the store or in rejects.csv, never half-applied."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credgraph.cli.app import main
from credgraph.graph.store import GraphStore
from credgraph.loaders.load import load_folder
from credgraph.loaders.report import EXIT_NOTHING_LOADED, EXIT_OK, EXIT_SOME_REJECTED
from credgraph.loaders.rows import CleanRow, clean_row
from credgraph.loaders.specs import SPECS

DATA = Path(__file__).parent / "data"
GOOD, BAD = DATA / "good", DATA / "bad"
HUAWEI, XIAOMI, SHELL, OLD = "914403001922038216", "91110108551385082Q", "91440300MA5F00001A", "91440300MA5F00002D"
ZHANG, LI = "440106198001010019", "440305199002150020"


def load(store: GraphStore, folder: Path, tmp_path: Path, **options):
    return load_folder(store, folder, report_dir=tmp_path / "report", **options)


def rejects_csv(tmp_path: Path) -> list[dict[str, str]]:
    with (tmp_path / "report" / "rejects.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def signature(store: GraphStore):
    nodes = sorted((n.label, n.key, sorted(n.props.items()), sorted(n.provenance.items(), key=str)) for n in store.iter_nodes())
    rels = sorted((r.identity, sorted(r.props.items()), sorted(r.provenance.items(), key=str)) for r in store.iter_relationships())
    return nodes, rels


# -- the good folder -------------------------------------------------------


def test_a_clean_folder_loads_every_row(store: GraphStore, tmp_path: Path) -> None:
    report = load(store, GOOD, tmp_path)
    assert report.exit_code == EXIT_OK
    assert report.totals == {"read": 24, "loaded": 24, "rejected": 0}
    counts = store.counts()
    assert (counts["Enterprise"], counts["Person"], counts["BID_ON"], counts["HAS_PENALTY"]) == (4, 4, 2, 2)


def test_values_are_normalised_at_the_border(store: GraphStore, tmp_path: Path) -> None:
    load(store, GOOD, tmp_path)
    shell = store.get_node("Enterprise", SHELL)  # written as 91440300ma5f00001a with a trailing space
    assert shell.props["address"] == "深圳市福田区商务中心1001室"
    assert store.get_node("Enterprise", OLD).props["status"] == "cancelled"  # 注销
    assert store.get_node("Enterprise", OLD).name == "旧公司(深圳)"
    assert store.get_node("Enterprise", HUAWEI).props["email"] == "contact@huawei.com"


def test_firms_with_one_phone_in_different_spellings_share_one_phone_node(store: GraphStore, tmp_path: Path) -> None:
    load(store, GOOD, tmp_path)
    sub = store.neighbourhood("13800138000", depth=1, rel_types=["HAS_PHONE"])
    assert {n.key for n in sub.nodes} == {"13800138000", XIAOMI, SHELL}


def test_a_resident_id_gives_birth_date_and_gender(store: GraphStore, tmp_path: Path) -> None:
    load(store, GOOD, tmp_path)
    zhang = store.get_node("Person", ZHANG)
    assert (zhang.props["birth_date"], zhang.props["gender"]) == (dt.date(1980, 1, 1), "male")
    assert store.get_node("Person", LI).props["id_type"] == "cn_id"


def test_undeclared_columns_are_kept_as_strings(store: GraphStore, tmp_path: Path) -> None:
    load(store, GOOD, tmp_path)
    assert store.get_node("Enterprise", HUAWEI).props["website"] == "www.huawei.com"


def test_quoted_text_loads_verbatim(store: GraphStore, tmp_path: Path) -> None:
    load(store, GOOD, tmp_path)
    assert store.get_node("Penalty", "PEN1").props["description"] == '行贿 "回扣", 现金'


def test_records_link_to_their_subjects_and_agencies(store: GraphStore, tmp_path: Path) -> None:
    load(store, GOOD, tmp_path)
    sub = store.neighbourhood("PEN1", depth=1)
    assert {n.key for n in sub.nodes} == {"PEN1", SHELL, "11440100007500001P"}


def test_every_load_records_provenance_and_history(store: GraphStore, tmp_path: Path) -> None:
    report = load(store, GOOD, tmp_path)
    node = store.get_node("Person", LI)
    assert node.provenance["source_file"] == "persons.csv"
    assert node.provenance["source_line"] == 3
    assert node.provenance["load_id"] == report.load_id
    assert store.loads()[0].load_id == report.load_id and store.loads()[0].status == "ok"


def test_loading_a_folder_twice_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    load(store, GOOD, tmp_path)
    before = signature(store)
    again = load_folder(store, GOOD, report_dir=tmp_path / "again")
    assert again.exit_code == EXIT_OK
    assert sum(f.written for f in again.files) == 0
    assert signature(store) == before


# -- the bad folder ----------------------------------------------------------


def test_every_row_of_a_bad_folder_is_accounted_for(sqlite_store: GraphStore, tmp_path: Path) -> None:
    report = load(sqlite_store, BAD, tmp_path)
    assert report.exit_code == EXIT_SOME_REJECTED
    for f in report.files:
        assert f.read == f.loaded + f.rejected, f.source
    rejected_lines = {(r["file"], r["line"]) for r in rejects_csv(tmp_path) if r["line"]}
    whole_files = {r["file"] for r in rejects_csv(tmp_path) if not r["line"]}
    for f in report.files:
        if f.source not in whole_files:
            assert len({line for file, line in rejected_lines if file == f.source}) == f.rejected, f.source


@pytest.mark.parametrize(
    ("file", "line", "column", "reason"),
    [
        ("enterprises.csv", "3", "uscc", "check character should be Q"),
        ("enterprises.csv", "4", "reg_date", "not a calendar date"),
        ("enterprises.csv", "5", "status", "must be one of active"),
        ("enterprises.csv", "6", "end_date", "before reg_date"),
        ("enterprises.csv", "7", "", "duplicate key with different values on lines 7, 8"),
        ("enterprises.csv", "11", "name", "required value is empty"),
        ("enterprises.csv", "12", "registered_capital", "must not be negative"),
        ("persons.csv", "3", "person_id", "check digit should be 9"),
        ("persons.csv", "6", "id_type", "must be one of cn_id"),
        ("legal_reps.csv", "4", "person_id", "unknown person_id 110108197511300034"),
        ("legal_reps.csv", "5", "end_date", "before start_date"),
        ("legal_reps.csv", "6", "", "row has 5 fields"),
        ("shareholdings.csv", "2", "share_pct", "(0, 100]"),
        ("shareholdings.csv", "3", "holder_type", "must be one of person, enterprise"),
        ("shareholdings.csv", "4", "holder_id", "cannot link a firm to itself"),
        ("guarantees.csv", "2", "guarantor_uscc", "cannot link a firm to itself"),
        ("penalties.csv", "2", "repaired_date", "needs its repaired_date"),
        ("penalties.csv", "5", "repaired_date", "before the decision date"),
        ("bids.csv", "2", "project_id", "unknown project_id PR9"),
        ("officers.csv", "", "", "missing required column 'role'"),
        ("projects.csv", "", "", "broken CSV quoting"),
        ("list_entries.csv", "", "", "--encoding gb18030"),
    ],
)
def test_a_bad_value_is_rejected_with_its_reason(sqlite_store, tmp_path: Path, file, line, column, reason) -> None:
    load(sqlite_store, BAD, tmp_path)
    matches = [r for r in rejects_csv(tmp_path) if (r["file"], r["line"], r["column"]) == (file, line, column)]
    assert any(reason in r["reason"] for r in matches), matches


def test_a_file_that_cannot_be_read_applies_nothing_and_the_rest_loads(store: GraphStore, tmp_path: Path) -> None:
    report = load(store, BAD, tmp_path)
    counts = store.counts()
    assert counts["Project"] == counts["ListEntry"] == counts["OFFICER_OF"] == 0
    assert counts["Enterprise"] == 2 and store.get_node("Enterprise", XIAOMI) is not None
    assert "notes.txt" in report.ignored


def test_strict_loads_nothing_when_a_row_is_bad(store: GraphStore, tmp_path: Path) -> None:
    report = load(store, BAD, tmp_path, strict=True)
    assert report.exit_code == EXIT_NOTHING_LOADED
    assert sum(store.counts().values()) == 0
    assert report.totals["loaded"] == 0
    assert store.loads()[0].status == "failed"


def test_strict_loads_a_clean_folder(sqlite_store, tmp_path: Path) -> None:
    assert load(sqlite_store, GOOD, tmp_path, strict=True).exit_code == EXIT_OK
    assert sqlite_store.counts()["Enterprise"] == 4


def test_an_empty_folder_loads_nothing(sqlite_store, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    report = load(sqlite_store, tmp_path / "empty", tmp_path)
    assert report.exit_code == EXIT_NOTHING_LOADED and "no input files" in report.error


# -- encodings and workbooks -------------------------------------------------


def _reencode(source: Path, target: Path, encoding: str) -> Path:
    target.mkdir()
    for path in source.glob("*.csv"):
        (target / path.name).write_text(path.read_text(encoding="utf-8-sig"), encoding=encoding)
    return target


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_a_gb_encoded_folder_loads_like_utf8(sqlite_store, tmp_path: Path, encoding: str) -> None:
    folder = _reencode(GOOD, tmp_path / encoding, encoding)
    report = load(sqlite_store, folder, tmp_path, encoding=encoding)
    assert report.totals == {"read": 24, "loaded": 24, "rejected": 0}
    assert sqlite_store.get_node("Enterprise", HUAWEI).name == "华为技术有限公司"


def test_a_workbook_with_one_sheet_per_file_loads_like_csv(sqlite_store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for path in sorted(GOOD.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                sheet.append(row)
    (tmp_path / "xlsx").mkdir()
    book.save(tmp_path / "xlsx" / "registry.xlsx")
    report = load(sqlite_store, tmp_path / "xlsx", tmp_path)
    assert report.totals == {"read": 24, "loaded": 24, "rejected": 0}
    assert report.files[0].source == "registry.xlsx[agencies]"


# -- increments --------------------------------------------------------------


def test_a_later_load_updates_values_ends_relations_and_moves_links(store: GraphStore, tmp_path: Path) -> None:
    load(store, GOOD, tmp_path)
    increment = tmp_path / "increment"
    increment.mkdir()
    (increment / "enterprises.csv").write_text(
        "uscc,name,reg_date,status,phone\n"
        f"{XIAOMI},小米科技有限责任公司,2010-03-03,abnormal,010-60606666\n"
        "91440300MA5F00005N,新公司,2024-01-01,active,\n",
        encoding="utf-8",
    )
    (increment / "legal_reps.csv").write_text(
        f"person_id,uscc,start_date,end_date\n{LI},{HUAWEI},2015-01-01,2024-03-01\n", encoding="utf-8"
    )
    report = load_folder(store, increment, report_dir=tmp_path / "inc")
    assert report.exit_code == EXIT_OK
    xiaomi = store.get_node("Enterprise", XIAOMI)
    assert xiaomi.props["status"] == "abnormal"
    assert len(xiaomi.provenance["load_ids"]) == 2
    assert store.get_node("Enterprise", "91440300MA5F00005N") is not None
    assert {n.key for n in store.neighbourhood(XIAOMI, 1, ["HAS_PHONE"]).nodes} == {XIAOMI, "01060606666"}
    ended = [r for r in store.iter_relationships(["LEGAL_REP_OF"]) if r.src == LI]
    assert ended[0].props["end_date"] == dt.date(2024, 3, 1)
    assert store.counts()["LEGAL_REP_OF"] == 2


def test_references_may_point_into_the_store(store: GraphStore, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    for name in ("persons.csv", "enterprises.csv"):
        shutil.copy(GOOD / name, first / name)
    shutil.copy(GOOD / "legal_reps.csv", second / "legal_reps.csv")
    load_folder(store, first, report_dir=tmp_path / "r1")
    assert load_folder(store, second, report_dir=tmp_path / "r2").totals["loaded"] == 2


# -- people, hostile values ------------------------------------------------


def test_same_named_people_without_resident_ids_at_one_firm_are_reported_not_merged(sqlite_store, tmp_path: Path) -> None:
    folder = tmp_path / "people"
    folder.mkdir()
    shutil.copy(GOOD / "enterprises.csv", folder / "enterprises.csv")
    (folder / "persons.csv").write_text(
        f"person_id,name,id_type\nG111,王伟,passport\nG222,王伟,other\n{ZHANG},张三,cn_id\n", encoding="utf-8"
    )
    (folder / "officers.csv").write_text(
        f"person_id,uscc,role\nG111,{HUAWEI},director\nG222,{HUAWEI},manager\n{ZHANG},{HUAWEI},chair\n",
        encoding="utf-8",
    )
    report = load(sqlite_store, folder, tmp_path)
    assert report.probable_duplicates == [
        {"uscc": HUAWEI, "name": "王伟", "person_ids": ["G111", "G222"], "id_types": ["passport", "other"]}
    ]
    assert sqlite_store.counts()["Person"] == 3


HOSTILE = [
    "x'}) MATCH (n) DETACH DELETE n //",
    "Robert'); DROP TABLE nodes;--",
    "<script>alert('x')</script>",
    "=HYPERLINK(\"http://evil.example\",\"点击\")",
    "\u202e司公限有\u202c",
    "长" * 5000,
]


def test_hostile_names_load_verbatim_and_stay_inert(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    with (folder / "persons.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["person_id", "name", "id_type"])
        for i, name in enumerate(HOSTILE):
            writer.writerow([f"H{i}", name, "other"])
    report = load(store, folder, tmp_path)
    assert report.totals["loaded"] == len(HOSTILE)
    assert [store.get_node("Person", f"H{i}").name for i in range(len(HOSTILE))] == HOSTILE
    assert store.counts()["Person"] == len(HOSTILE)


def test_a_formula_in_a_rejected_value_is_neutralised_in_rejects_csv(sqlite_store, tmp_path: Path) -> None:
    folder = tmp_path / "formula"
    folder.mkdir()
    (folder / "persons.csv").write_text('person_id,name,id_type\n=1+1,x,cn_id\n', encoding="utf-8")
    load(sqlite_store, folder, tmp_path)
    assert rejects_csv(tmp_path)[0]["value"] == "'=1+1"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=0, max_size=14))
def test_cleaning_any_row_never_raises(values: list[str]) -> None:
    for spec in SPECS.values():
        header = sorted(spec.columns)
        result = clean_row(spec, 2, header, values[: len(header)])
        assert isinstance(result, CleanRow) or all(p.reason for p in result)


# -- the command -------------------------------------------------------------


def test_the_load_command_exits_0_and_prints_the_report_path(tmp_path: Path, capsys) -> None:
    code = main(["load", str(GOOD), "--db", str(tmp_path / "g.db"), "--report-dir", str(tmp_path / "rep")])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert f"Report: {tmp_path / 'rep'}" in out
    report = json.loads((tmp_path / "rep" / "report.json").read_text(encoding="utf-8"))
    assert report["totals"] == {"read": 24, "loaded": 24, "rejected": 0}


def test_the_load_command_exits_3_when_some_rows_are_rejected(tmp_path: Path) -> None:
    assert main(["load", str(BAD), "--db", str(tmp_path / "b.db"), "--report-dir", str(tmp_path / "rep")]) == 3


def test_the_load_command_exits_2_for_a_missing_folder(tmp_path: Path, capsys) -> None:
    assert main(["load", str(tmp_path / "nope"), "--db", str(tmp_path / "b.db")]) == 2
    assert "not a folder" in capsys.readouterr().err

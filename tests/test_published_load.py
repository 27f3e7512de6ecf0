"""Loading published files (``credgraph load PATH --source NAME``): every row in the store or in rejects.csv.

Each of the five built-in formats loads a small hand-written file in the contract's headers
(section 4) and accounts for its rows as section 1 says (report.json, rejects.csv, exit codes
0/3/2, no traceback) on both stores; the published files of a tiny generated world load and
resolve; a reload changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from credgraph.graph.store import GraphStore
from credgraph.loaders.published.mapping import BUILTINS, builtin_mapping
from credgraph.loaders.report import EXIT_NOTHING_LOADED, EXIT_OK, EXIT_SOME_REJECTED
from credgraph.resolution.evaluation import evaluate, read_truth
from credgraph.resolution.job import run_resolution, write_links_csv
from credgraph.synthetic.generate import generate_enterprises
from tests.published_world import (
    AGENCY_SAMR, HENGDA, HUAXIN, KANGMEI, TAIPING, XINDA, ZW1, cli, court_row, db, load_registry, load_source,
    penalty_row, published, rejects, report_json, write_registry,
)

__all__ = ["db"]

# One good row and one bad row per format: (good, bad, the bad row's column, a word of its reason).
CASES = {
    "court_dishonest": (
        court_row(**{"被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": ZW1[:4] + "*" * 10 + ZW1[14:], "发布时间": "2023年5月1日"}),
        court_row(**{"案号": "（2023）粤01执2号", "被执行人姓名/名称": "王芳", "发布时间": "2023-02-30"}),
        "发布时间", "calendar"),
    "admin_penalty": (
        penalty_row("穗市监罚〔2023〕1号", **{"行政相对人名称": "广州市华信贸易有限公司", "统一社会信用代码": HUAXIN,
                                        "罚款金额（万元）": "1,250.5"}),
        penalty_row("穗市监罚〔2023〕2号", **{"行政相对人名称": "广州恒达市政工程有限责任公司", "罚款金额（万元）": "一百万"}),
        "罚款金额（万元）", ""),
    "registry_shareholders": (
        {"企业名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "股东名称": "广州市华信贸易有限公司", "股东类型": "企业法人",
         "证照/证件号码": HUAXIN, "认缴出资额（万元）": "60", "认缴出资日期": "20150101", "持股比例": "60.00%"},
        {"企业名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "股东名称": "广州恒达市政工程有限责任公司",
         "股东类型": "企业法人", "证照/证件号码": HENGDA, "持股比例": "140%"},
        "持股比例", ""),
    "registry_officers": (
        {"企业名称": "广州太平洋电子有限公司", "统一社会信用代码": TAIPING, "姓名": "张伟", "职务": "董事长"},
        {"企业名称": "广州太平洋电子有限公司", "统一社会信用代码": TAIPING, "姓名": "", "职务": "监事"},
        "姓名", "required"),
    "procurement_award": (
        {"项目编号": "GZ-1", "项目名称": "道路维修工程", "采购人": "广州市政府采购中心", "中标供应商名称": "康美（深圳）医药有限公司",
         "中标金额（万元）": "385.5", "公告日期": "2023/3/15", "行政区划": "440106"},
        {"项目编号": "GZ-2", "项目名称": "绿化工程", "采购人": "广州市政府采购中心", "中标供应商名称": "广州恒达市政工程有限责任公司",
         "公告日期": "去年"},
        "公告日期", "date"),
}
# What the good row makes once resolved: (relationship type, source, target).
MADE = {
    "court_dishonest": ("HAS_LIST_ENTRY", ZW1, None),
    "admin_penalty": ("HAS_PENALTY", HUAXIN, None),
    "registry_shareholders": ("SHAREHOLDER_OF", HUAXIN, XINDA),
    "registry_officers": ("OFFICER_OF", None, TAIPING),
    "procurement_award": ("BID_ON", KANGMEI, "GZ-1"),
}


def _with_registry(db: str, tmp_path: Path) -> str:
    assert cli("load", str(write_registry(tmp_path / "registry")), "--db", db, "--report-dir",
               str(tmp_path / "r0")) == EXIT_OK
    return db


@pytest.fixture
def registry_db(db: str, tmp_path: Path) -> str:
    """Both stores, holding the registry (Neo4j tests are the few that need a store of each kind)."""
    return _with_registry(db, tmp_path)


@pytest.fixture
def sqlite_db(sqlite_store: GraphStore) -> str:
    return sqlite_store.location


@pytest.fixture
def sqlite_registry_db(sqlite_db: str, tmp_path: Path) -> str:
    return _with_registry(sqlite_db, tmp_path)


def test_every_builtin_format_has_a_case() -> None:
    assert set(CASES) == set(BUILTINS)


@pytest.mark.parametrize("source", BUILTINS)
def test_a_good_and_a_bad_row_load_with_exit_3_and_a_reload_changes_nothing(
        source: str, registry_db: str, store: GraphStore, tmp_path: Path) -> None:
    good, bad, column, reason = CASES[source]
    path = published(tmp_path / "in", source, [good, bad])
    args = ["load", str(path), "--source", source, "--db", registry_db]
    assert cli(*args, "--report-dir", str(tmp_path / "r")) == EXIT_SOME_REJECTED
    report = report_json(tmp_path / "r")
    assert [(f["read"], f["loaded"], f["rejected"]) for f in report["files"].values()] == [(2, 1, 1)]
    found = rejects(tmp_path / "r")
    assert {(r["file"], r["line"], r["column"]) for r in found} == {(path.name, "3", column)}
    assert all(reason in r["reason"] for r in found)
    assert store.counts()["SourceRecord"] == 1
    rel_type, src, dst = MADE[source]
    made = [(r.src, r.dst) for r in store.iter_relationships([rel_type]) if r.props.get("via_mention")]
    assert len(made) == 1 and (src is None or made[0][0] == src) and (dst is None or made[0][1] == dst)
    before = _signature(store)
    assert cli(*args, "--report-dir", str(tmp_path / "r2")) == EXIT_SOME_REJECTED
    assert _signature(store) == before
    assert [f["written"] for f in report_json(tmp_path / "r2")["files"].values()] == [0]


def test_a_file_of_good_rows_exits_0(sqlite_registry_db: str, tmp_path: Path) -> None:
    for source in BUILTINS:
        path = published(tmp_path / source, source, [CASES[source][0]])
        assert cli("load", str(path), "--source", source, "--db", sqlite_registry_db,
                   "--report-dir", str(tmp_path / "r" / source)) == EXIT_OK, source


@pytest.mark.parametrize("source", BUILTINS)
def test_a_file_missing_a_required_column_loads_nothing_and_exits_2(
        source: str, sqlite_store: GraphStore, sqlite_db: str, tmp_path: Path) -> None:
    store, db = sqlite_store, sqlite_db
    mapping = builtin_mapping(source)
    row = {k: v for k, v in CASES[source][0].items() if k != mapping.required[0]}
    path = published(tmp_path / "in", source, [row])
    header = [c for c in path.read_text(encoding="utf-8").splitlines()[0].split(",") if c != mapping.required[0]]
    from tests.published_world import write_csv

    write_csv(path, [row], header)
    code = cli("load", str(path), "--source", source, "--db", db, "--report-dir", str(tmp_path / "r"))
    assert code == EXIT_NOTHING_LOADED
    report = report_json(tmp_path / "r")
    (file,) = report["files"].values()
    assert mapping.required[0] in file["error"]
    assert (file["loaded"], file["rejected"]) == (0, 1)
    assert store.counts().get("SourceRecord", 0) == 0


def test_an_unknown_source_is_one_line_with_exit_code(sqlite_db: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = published(tmp_path, "registry_officers", [CASES["registry_officers"][0]])
    code = cli("load", str(path), "--source", "court", "--db", sqlite_db)
    assert code not in (EXIT_OK, EXIT_SOME_REJECTED)
    assert "choose one of" in capsys.readouterr().err


def test_a_gb18030_file_loads_with_encoding(sqlite_registry_db: str, sqlite_store: GraphStore, tmp_path: Path) -> None:
    registry_db, store = sqlite_registry_db, sqlite_store
    path = published(tmp_path / "in", "registry_officers", [CASES["registry_officers"][0]])
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    code = cli("load", str(path), "--source", "registry_officers", "--encoding", "gb18030", "--db", registry_db,
               "--report-dir", str(tmp_path / "r"))
    assert code == EXIT_OK
    assert store.get_node("Mention", next(iter(_mentions(store, "officer")))).props["name"] == "张伟"


def test_no_resolve_keeps_mentions_unlinked_until_resolve(registry_db: str, store: GraphStore, tmp_path: Path) -> None:
    path = published(tmp_path / "in", "admin_penalty", [CASES["admin_penalty"][0]])
    assert cli("load", str(path), "--source", "admin_penalty", "--no-resolve", "--db", registry_db,
               "--report-dir", str(tmp_path / "r")) == EXIT_OK
    assert store.counts().get("SAME_AS", 0) == 0 and store.counts()["Mention"] == 1
    assert cli("resolve", "--db", registry_db) == EXIT_OK
    assert store.counts()["SAME_AS"] == 1


def test_a_source_record_keeps_its_cells_verbatim_with_provenance(sqlite_store: GraphStore, tmp_path: Path) -> None:
    store = sqlite_store
    load_registry(store, tmp_path)
    good = CASES["admin_penalty"][0]
    load_source(store, published(tmp_path, "admin_penalty", [good]), "admin_penalty", tmp_path)
    record = next(store.iter_nodes(["SourceRecord"]))
    assert json.loads(record.props["cells"])["罚款金额（万元）"] == "1,250.5"
    assert (record.provenance["source_file"], record.provenance["source_line"]) == ("admin_penalty.csv", 2)
    penalty = next(store.iter_nodes(["Penalty"]))
    assert (penalty.props["amount"], penalty.props["kind"], penalty.props["agency_id"]) == (1250.5, "fine", AGENCY_SAMR)
    assert [r.dst for r in store.iter_relationships(["ISSUED_BY"])] == [AGENCY_SAMR]


def test_the_published_files_of_a_generated_world_load_and_resolve(store: GraphStore, tmp_path: Path) -> None:
    world = generate_enterprises(100, seed=7, out=tmp_path / "w", format="published").out
    from credgraph.loaders.load import load_folder
    from credgraph.loaders.published.load import load_published
    from credgraph.loaders.published.mapping import read_mapping

    assert load_folder(store, world / "registry", report_dir=tmp_path / "r" / "registry").exit_code == EXIT_OK
    for source in BUILTINS:
        report = load_published(store, world / "published" / f"{source}.csv", builtin_mapping(source),
                                report_dir=tmp_path / "r" / source)
        assert report.exit_code == EXIT_OK, (source, report.rejects[:3])
        assert report.totals["read"] == report.totals["loaded"] > 0
    bids = load_published(store, world / "published" / "bid_opening.csv",
                          read_mapping(world / "mappings" / "bid_opening.toml"), report_dir=tmp_path / "r" / "bids")
    assert bids.exit_code == EXIT_OK
    job = run_resolution(store)
    write_links_csv(job, tmp_path / "links.csv")
    links = pd.read_csv(tmp_path / "links.csv", dtype=str, keep_default_na=False)
    metrics = evaluate(links, read_truth(world / "mentions.csv"))
    overall = metrics["overall"]
    assert metrics["truth_rows_without_a_link_row"] == 0
    assert overall["precision"] >= 0.99 and overall["recall"] >= 0.9
    assert (overall["name_only_links"], overall["homonym_merges"]) == (0, 0)


def _mentions(store: GraphStore, role: str) -> list[str]:
    table = store.node_table("Mention", ("role",))
    return [k for k, r in zip(table["key"], table["role"]) if r == role]


def _signature(store: GraphStore) -> tuple[list, list]:
    nodes = sorted((n.label, n.key, sorted(map(str, n.props.items()))) for n in store.iter_nodes()
                   if n.label not in ("Load", "Run", "AuditEvent"))
    rels = sorted((r.type, r.src, r.dst, sorted(map(str, r.props.items()))) for r in store.iter_relationships()
                  if r.type not in ("SAME_AS", "MAYBE_SAME_AS"))
    links = sorted((r.src, r.dst, r.props.get("link_grade"), r.props.get("evidence"))
                   for r in store.iter_relationships(["SAME_AS", "MAYBE_SAME_AS"]))
    return nodes, rels + links

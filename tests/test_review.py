"""Review decisions, links.csv and ``--min-grade``: what an investigator decides stays decided.

A decision (accept, reject, undo) must survive reloading the same published file and every later
``credgraph resolve``; ``links.csv`` has the contract's columns, one row per mention, and a re-run
changes nothing; analyses count a probable link only when asked (``--min-grade probable``).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from credgraph.graph.errors import NotFoundError
from credgraph.graph.store import GraphStore
from credgraph.resolution.job import LINKS_COLUMNS, run_resolution, write_links_csv
from credgraph.resolution.review import decide
from credgraph.resolution.review_queue import review_queue
from tests.published_world import (
    HUAXIN, WANG, XINDA, ZW1, ZW2, candidates_of, cli, court_row, db, link_of, load_registry, load_source, mention_at,
    published,
)

__all__ = ["db"]
CONTRACT_LINKS_COLUMNS = ("mention_id, source, file, line, role, name, identifier, subject_id, subject_type, grade, "
                          "score, evidence").split(", ")


def _court(store: GraphStore, tmp_path: Path) -> Path:
    """A court list: line 2 a probable homonym (张伟, few characters shown), line 3 a name alone."""
    rows = [court_row(**{"被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": ZW1[:6] + "*" * 12}),
            court_row(**{"案号": "（2023）粤01执2号", "被执行人姓名/名称": "王芳"})]
    path = published(tmp_path / "in", "court_dishonest", rows)
    load_source(store, path, "court_dishonest", tmp_path)
    return path


@pytest.fixture
def court_world(store: GraphStore, tmp_path: Path) -> tuple[GraphStore, Path, str]:
    load_registry(store, tmp_path)
    path = _court(store, tmp_path)
    return store, path, mention_at(store, 2, "debtor")


def _entries(store: GraphStore) -> list[tuple[str, str]]:
    return sorted((r.src, r.props["link_grade"]) for r in store.iter_relationships(["HAS_LIST_ENTRY"]))


def _reload_and_resolve(store: GraphStore, path: Path, tmp_path: Path) -> None:
    load_source(store, path, "court_dishonest", tmp_path / "again")
    run_resolution(store)


# -- decisions survive ----------------------------------------------------------------


def test_an_accepted_link_survives_a_reload_and_a_resolve(court_world, tmp_path: Path) -> None:
    store, path, mid = court_world
    decide(store, mid, ZW2, "accept", "court confirmed", "alice")
    assert link_of(store, mid) == (ZW2, "strong") and candidates_of(store, mid) == set()
    assert _entries(store) == [(ZW2, "strong")]
    _reload_and_resolve(store, path, tmp_path)
    assert link_of(store, mid) == (ZW2, "strong")
    assert _entries(store) == [(ZW2, "strong")]


def test_a_rejected_candidate_never_comes_back(court_world, tmp_path: Path) -> None:
    store, path, mid = court_world
    decide(store, mid, ZW1, "reject", "other birth date")
    run_resolution(store)
    assert ZW1 not in candidates_of(store, mid) and link_of(store, mid)[0] != ZW1
    _reload_and_resolve(store, path, tmp_path)
    assert ZW1 not in candidates_of(store, mid)
    assert link_of(store, mid) == (ZW2, "probable")  # one candidate left, still for a person to decide


def test_undo_takes_an_accepted_link_back_to_resolution(court_world, tmp_path: Path) -> None:
    store, path, mid = court_world
    decide(store, mid, ZW2, "accept")
    decide(store, mid, ZW2, "undo")
    _reload_and_resolve(store, path, tmp_path)
    assert link_of(store, mid)[1] == "probable" and candidates_of(store, mid) == {ZW1, ZW2}


def test_rejecting_the_only_candidate_leaves_the_mention_unresolved(sqlite_store: GraphStore, tmp_path: Path) -> None:
    load_registry(sqlite_store, tmp_path)
    rows = [{"项目编号": "GZ-1", "项目名称": "工程", "采购人": "广州市政府采购中心", "中标供应商名称": "广州市华信贸易股份有限公司"}]
    path = published(tmp_path / "in", "procurement_award", rows)
    load_source(sqlite_store, path, "procurement_award", tmp_path)
    mid = mention_at(sqlite_store, 2, "supplier")
    assert link_of(sqlite_store, mid) == (HUAXIN, "probable")
    decision = decide(sqlite_store, mid, HUAXIN, "reject")
    assert decision.link is None and link_of(sqlite_store, mid) is None
    assert not list(sqlite_store.iter_relationships(["BID_ON"]))
    load_source(sqlite_store, path, "procurement_award", tmp_path / "again")
    assert link_of(sqlite_store, mid) is None and not list(sqlite_store.iter_relationships(["BID_ON"]))


def test_a_decision_on_an_unknown_mention_or_subject_is_refused(court_world) -> None:
    store, _, mid = court_world
    with pytest.raises(NotFoundError):
        decide(store, "court_dishonest:nope/debtor", ZW1, "accept")
    with pytest.raises(NotFoundError):
        decide(store, mid, HUAXIN, "accept")  # a firm for a person's mention


def test_every_decision_is_kept_and_audited(sqlite_store: GraphStore, tmp_path: Path) -> None:
    load_registry(sqlite_store, tmp_path)
    _court(sqlite_store, tmp_path)
    mid = mention_at(sqlite_store, 2, "debtor")
    decide(sqlite_store, mid, ZW1, "accept", "first look", "alice")
    decide(sqlite_store, mid, ZW1, "undo", "", "bob")
    verdicts = sorted((n.props["verdict"], n.props.get("user")) for n in sqlite_store.iter_nodes(["ReviewDecision"]))
    assert verdicts == [("accept", "alice"), ("undo", "bob")]


# -- the review commands ------------------------------------------------------------------


def test_review_list_shows_probable_candidates_and_unresolved_mentions(
        store: GraphStore, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_registry(store, tmp_path)
    _court(store, tmp_path)
    capsys.readouterr()
    assert cli("review", "list", "--db", db, "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 1
    (item,) = listed["mentions"]
    assert (item["name"], item["line"]) == ("张伟", 2)
    assert {c["subject_id"] for c in item["candidates"]} == {ZW1, ZW2}
    assert all(c["evidence"]["rule"] for c in item["candidates"])
    assert cli("review", "list", "--unresolved", "--db", db, "--json") == 0
    unresolved = json.loads(capsys.readouterr().out)
    assert [(m["name"], m["line"]) for m in unresolved["mentions"]] == [("王芳", 3)]


def test_show_of_a_published_row_says_where_each_mention_led(
        store: GraphStore, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_registry(store, tmp_path)
    rows = [court_row(**{"被执行人姓名/名称": "王芳", "身份证号码/组织机构代码": WANG}),
            court_row(**{"案号": "（2023）粤01执2号", "被执行人姓名/名称": "赵无名"})]
    load_source(store, published(tmp_path, "court_dishonest", rows), "court_dishonest", tmp_path)
    shown = {}
    for line in (2, 3):
        record = mention_at(store, line, "debtor").split("/")[0]
        capsys.readouterr()
        assert cli("show", record, "--db", db, "--json") == 0
        (mention,) = json.loads(capsys.readouterr().out)["mentions"]
        shown[line] = (mention["name"], mention["grade"], mention["subject_id"], mention["line"])
    assert shown == {2: ("王芳", "exact", WANG, 2), 3: ("赵无名", "unresolved", None, 3)}


def test_show_of_a_subject_lists_the_published_mentions_linked_to_it(
        store: GraphStore, db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_registry(store, tmp_path)
    rows = [court_row(**{"案号": f"（2023）粤01执{i}号", "被执行人姓名/名称": "王芳", "身份证号码/组织机构代码": WANG})
            for i in range(2)]
    load_source(store, published(tmp_path, "court_dishonest", rows), "court_dishonest", tmp_path)
    capsys.readouterr()
    assert cli("show", WANG, "--db", db, "--json") == 0
    mentions = json.loads(capsys.readouterr().out)["mentions"]
    assert [(m["line"], m["role"], m["grade"]) for m in mentions] == [(2, "debtor", "exact"), (3, "debtor", "exact")]
    assert cli("show", WANG, "--db", db) == 0
    assert "published mentions linked here: 2 of 2" in capsys.readouterr().out


def test_review_accept_reject_undo_on_the_command_line(store: GraphStore, db: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    load_registry(store, tmp_path)
    path = _court(store, tmp_path)
    mid = mention_at(store, 2, "debtor")
    assert cli("review", "accept", mid, ZW1, "--note", "court confirmed", "--db", db) == 0
    assert f"now linked to {ZW1}" in capsys.readouterr().out
    assert cli("load", str(path), "--source", "court_dishonest", "--db", db, "--report-dir", str(tmp_path / "r")) == 0
    assert cli("resolve", "--db", db) == 0
    assert link_of(store, mid) == (ZW1, "strong")
    assert cli("review", "reject", mid, ZW1, "--db", db) == 0
    assert cli("resolve", "--db", db) == 0
    assert link_of(store, mid) == (ZW2, "probable")
    assert cli("review", "undo", mid, ZW1, "--db", db) == 0
    assert cli("resolve", "--db", db) == 0
    assert candidates_of(store, mid) == {ZW1, ZW2}
    assert cli("review", "accept", "no-such-mention", ZW1, "--db", db) != 0
    assert "no mention" in capsys.readouterr().err


def test_review_queue_pages_are_ordered_by_source_file_and_line(sqlite_store: GraphStore, tmp_path: Path) -> None:
    load_registry(sqlite_store, tmp_path)
    rows = [court_row(**{"案号": f"（2023）粤01执{i}号", "被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": ZW1[:6] + "*" * 12})
            for i in range(3)]
    load_source(sqlite_store, published(tmp_path, "court_dishonest", rows), "court_dishonest", tmp_path)
    items, total = review_queue(sqlite_store, limit=2)
    assert total == 3 and [i["line"] for i in items] == [2, 3]
    assert [i["line"] for i in review_queue(sqlite_store, limit=2, offset=2)[0]] == [4]


def test_review_queue_in_records_order_puts_first_the_candidates_that_hold_records(
        sqlite_store: GraphStore, tmp_path: Path) -> None:
    load_registry(sqlite_store, tmp_path)
    debtor = [court_row(**{"被执行人姓名/名称": "王芳", "身份证号码/组织机构代码": WANG})]
    load_source(sqlite_store, published(tmp_path / "court", "court_dishonest", debtor), "court_dishonest", tmp_path)
    officers = [{"企业名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "姓名": name, "职务": "经理"}
                for name in ("李娜", "王芳")]
    load_source(sqlite_store, published(tmp_path, "registry_officers", officers), "registry_officers", tmp_path)
    by_file, total = review_queue(sqlite_store, source="registry_officers")
    by_records, _ = review_queue(sqlite_store, source="registry_officers", order="records")
    assert total == 2 and [i["name"] for i in by_file] == ["李娜", "王芳"]
    assert [i["name"] for i in by_records] == ["王芳", "李娜"]


def test_an_unknown_review_order_is_refused() -> None:
    from credgraph.graph.errors import ConfigError
    from credgraph.graph.store import open_store

    with pytest.raises(ConfigError, match="unknown review order"):
        review_queue(open_store(":memory:"), order="loudest")


# -- links.csv ----------------------------------------------------------------------------


def test_links_csv_has_the_contract_columns_and_one_row_per_mention(court_world, tmp_path: Path) -> None:
    store, _, _ = court_world
    job = run_resolution(store)
    assert write_links_csv(job, tmp_path / "links.csv") == 2
    with (tmp_path / "links.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == LINKS_COLUMNS == CONTRACT_LINKS_COLUMNS
    assert [(r["file"], r["line"], r["role"], r["grade"]) for r in rows] == [
        ("court_dishonest.csv", "2", "debtor", "probable"), ("court_dishonest.csv", "3", "debtor", "unresolved")]
    assert rows[0]["subject_id"] in {ZW1, ZW2} and rows[0]["subject_type"] == "person"
    assert rows[1]["subject_id"] == "" and json.loads(rows[1]["evidence"])["features"]["why"]


def test_a_second_resolve_writes_nothing_and_the_same_links_csv(store: GraphStore, db: str, tmp_path: Path) -> None:
    load_registry(store, tmp_path)
    _court(store, tmp_path)
    rows = [{"企业名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "股东名称": "广州市华信贸易股份有限公司", "股东类型": "企业法人",
             "持股比例": "60%"}]
    load_source(store, published(tmp_path / "s", "registry_shareholders", rows), "registry_shareholders", tmp_path)
    assert cli("resolve", "--db", db, "--out", str(tmp_path / "a.csv")) == 0
    job = run_resolution(store)
    assert (job.written["links"], job.written["candidates"], job.written["relationships"]) == (0, 0, 0)
    assert cli("resolve", "--db", db, "--out", str(tmp_path / "b.csv")) == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_links_csv_defuses_formulas_in_published_names(sqlite_store: GraphStore, tmp_path: Path) -> None:
    rows = [court_row(**{"被执行人姓名/名称": "=cmd|' /C calc'!A0"})]
    load_source(sqlite_store, published(tmp_path, "court_dishonest", rows), "court_dishonest", tmp_path)
    write_links_csv(run_resolution(sqlite_store), tmp_path / "links.csv")
    with (tmp_path / "links.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["name"].startswith("'=")


# -- --min-grade ----------------------------------------------------------------------------


@pytest.fixture
def probable_world(store: GraphStore, db: str, tmp_path: Path) -> tuple[GraphStore, str]:
    """HUAXIN reached only through probable links: a court entry, a holding in a cycle, a masked holder."""
    load_registry(store, tmp_path)
    court = [court_row(**{"被执行人姓名/名称": "广州市华信贸易股份有限公司"})]
    load_source(store, published(tmp_path / "c", "court_dishonest", court), "court_dishonest", tmp_path)
    holders = [
        {"企业名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "股东名称": "广州市华信贸易股份有限公司", "股东类型": "企业法人",
         "持股比例": "60%"},
        {"企业名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "股东名称": "张伟", "股东类型": "自然人股东",
         "证照/证件号码": ZW1[:6] + "*" * 12, "持股比例": "40%"},
        {"企业名称": "广州市华信贸易有限公司", "统一社会信用代码": HUAXIN, "股东名称": "深圳信达科技有限公司", "股东类型": "企业法人",
         "证照/证件号码": XINDA, "持股比例": "50%"}]
    load_source(store, published(tmp_path / "h", "registry_shareholders", holders), "registry_shareholders", tmp_path)
    return store, db


def test_min_grade_decides_whether_probable_links_count(probable_world, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    _, db = probable_world
    found = {}
    for grade in ("strong", "probable"):
        out = tmp_path / grade
        out.mkdir()
        assert cli("risk", "--db", db, "--as-of", "2024-06-30", "--out", str(out / "risk.csv"), "--min-grade", grade) == 0
        with (out / "risk.csv").open(encoding="utf-8", newline="") as handle:
            risk = {r["subject_id"]: float(r["own_score"]) for r in csv.DictReader(handle)}
        assert cli("detect", "--db", db, "--as-of", "2024-06-30", "--detector", "circular_ownership",
                   "--out", str(out / "f.jsonl"), "--min-grade", grade) == 0
        findings = (out / "f.jsonl").read_text(encoding="utf-8").splitlines()
        capsys.readouterr()
        assert cli("ubo", XINDA, "--db", db, "--json", "--min-grade", grade) == 0
        owners = json.loads(capsys.readouterr().out)["owners"]
        assert cli("export", "--subject", HUAXIN, "--depth", "1", "--db", db, "--out", str(out / "pkg"),
                   "--min-grade", grade) == 0
        edges = json.loads((out / "pkg" / "manifest.json").read_text(encoding="utf-8"))["counts"]["edges"]
        found[grade] = (risk.get(HUAXIN, 0.0) > 0, len(findings), {o["owner_id"] for o in owners},
                        edges.get("HAS_LIST_ENTRY", 0))
    assert found["strong"] == (False, 0, set(), 0)
    risky, cycles, owners, entries = found["probable"]
    assert (risky, cycles, entries) == (True, 1, 1) and owners & {ZW1, ZW2}

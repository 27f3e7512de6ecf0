"""Resolution: every identifier kind and every grade of contract section 4.

Each test loads the hand-drawn registry of ``tests.published_world``, one small published file
whose rows name subjects in one way, resolves, and checks the link (subject and grade) of the
mention that row makes. These run on the embedded store; ``test_every_kind_and_grade_at_once``
replays the cases in one load per format on both stores (Neo4j costs seconds per load, and the
CI limit is tight).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from credgraph.graph.store import GraphStore
from tests.published_world import (
    AGENCY_PROC, CHEN, HENGDA, HUAXIN, HUAXIN_REG, KANGMEI, LI_NA, NOWHERE, PASSPORT, TAIPING, WANG, XINDA,
    XINDA_REG, ZW1, ZW2, candidates_of, court_row, link_of, load_registry, load_source, mention_at, penalty_row,
    published,
)


@pytest.fixture
def world(sqlite_store: GraphStore, tmp_path: Path) -> GraphStore:
    load_registry(sqlite_store, tmp_path)
    return sqlite_store


def court(store: GraphStore, tmp_path: Path, *rows: dict[str, str]) -> None:
    rows_ = [court_row(**{"案号": f"（2023）粤01执{i}号", **r}) for i, r in enumerate(rows, 1)]
    report, _ = load_source(store, published(tmp_path, "court_dishonest", rows_), "court_dishonest", tmp_path)
    assert report.exit_code == 0, report.rejects


def penalties(store: GraphStore, tmp_path: Path, *rows: dict[str, str]) -> None:
    rows_ = [penalty_row(f"穗市监罚〔2023〕{i}号", **r) for i, r in enumerate(rows, 1)]
    report, _ = load_source(store, published(tmp_path, "admin_penalty", rows_), "admin_penalty", tmp_path)
    assert report.exit_code == 0, report.rejects


def award(store: GraphStore, tmp_path: Path, *suppliers: str) -> None:
    rows = [{"项目编号": f"GZ-{i}", "项目名称": "道路维修工程", "采购人": "广州市政府采购中心", "中标供应商名称": s,
             "中标金额（万元）": "100", "公告日期": "2023-03-15", "行政区划": "440106"} for i, s in enumerate(suppliers, 1)]
    report, _ = load_source(store, published(tmp_path, "procurement_award", rows), "procurement_award", tmp_path)
    assert report.exit_code == 0, report.rejects


def masked(full: str, keep: set[int]) -> str:
    return "".join(ch if i in keep else "*" for i, ch in enumerate(full))


# -- identifiers -----------------------------------------------------------------------


def test_a_uscc_in_the_store_links_exact(world: GraphStore, tmp_path: Path) -> None:
    penalties(world, tmp_path, {"行政相对人名称": "广州市华信贸易有限公司", "统一社会信用代码": HUAXIN.lower() + " "})
    assert link_of(world, mention_at(world, 2, "party")) == (HUAXIN, "exact")


def test_a_uscc_not_in_the_store_stays_unresolved_even_when_the_name_matches(world: GraphStore, tmp_path: Path) -> None:
    penalties(world, tmp_path, {"行政相对人名称": "广州市华信贸易有限公司", "统一社会信用代码": NOWHERE})
    assert link_of(world, mention_at(world, 2, "party")) is None


def test_an_organisation_code_with_a_dash_links_derived_through_the_uscc(world: GraphStore, tmp_path: Path) -> None:
    code = HUAXIN[8:16] + "-" + HUAXIN[16]
    court(world, tmp_path, {"被执行人姓名/名称": "广州市华信贸易有限公司", "身份证号码/组织机构代码": code})
    assert link_of(world, mention_at(world, 2, "debtor")) == (HUAXIN, "derived")


def test_an_organisation_code_failing_its_check_never_links(world: GraphStore, tmp_path: Path) -> None:
    bad = HUAXIN[8:16] + ("1" if HUAXIN[16] != "1" else "2")
    court(world, tmp_path, {"被执行人姓名/名称": "某某", "身份证号码/组织机构代码": bad})
    mid = mention_at(world, 2, "debtor")
    assert link_of(world, mid) is None
    assert world.get_node("Mention", mid).props["id_kind"] != "org_code"


def test_a_registration_number_the_registry_carries_links_derived(world: GraphStore, tmp_path: Path) -> None:
    penalties(world, tmp_path, {"行政相对人名称": "华信", "工商注册号": HUAXIN_REG})
    assert link_of(world, mention_at(world, 2, "party")) == (HUAXIN, "derived")


def test_a_registration_number_beside_a_uscc_in_a_published_row_links_later_rows(world: GraphStore, tmp_path: Path) -> None:
    penalties(world, tmp_path, {"行政相对人名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "工商注册号": XINDA_REG},
              {"行政相对人名称": "信达", "工商注册号": XINDA_REG})
    assert link_of(world, mention_at(world, 3, "party")) == (XINDA, "derived")


def test_a_full_resident_id_links_exact(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "王芳", "身份证号码/组织机构代码": WANG})
    assert link_of(world, mention_at(world, 2, "debtor")) == (WANG, "exact")


def test_a_resident_id_under_another_name_is_only_probable(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "王小芳", "身份证号码/组织机构代码": WANG})
    assert link_of(world, mention_at(world, 2, "debtor")) == (WANG, "probable")


def test_a_passport_number_links_exact(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "John Smith", "身份证号码/组织机构代码": PASSPORT})
    assert link_of(world, mention_at(world, 2, "debtor")) == (PASSPORT, "exact")


def test_a_masked_id_with_eight_characters_shown_singles_out_one_homonym(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": ZW1[:4] + "*" * 10 + ZW1[14:]})
    assert link_of(world, mention_at(world, 2, "debtor")) == (ZW1, "strong")


def test_a_masked_id_in_the_short_form_is_read_by_its_head_and_tail(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": ZW2[:10] + "****" + ZW2[14:]})
    assert link_of(world, mention_at(world, 2, "debtor")) == (ZW2, "strong")


def test_a_court_row_with_a_masked_id_and_no_name_is_rejected_not_linked(world: GraphStore, tmp_path: Path) -> None:
    rows = [court_row(**{"被执行人姓名/名称": "", "身份证号码/组织机构代码": WANG[:6] + "*" * 8 + WANG[14:]})]
    report, _ = load_source(world, published(tmp_path, "court_dishonest", rows), "court_dishonest", tmp_path)
    assert report.exit_code == 2
    assert [(r.column, r.reason) for r in report.rejects] == [("被执行人姓名/名称", "required value is empty")]
    assert world.counts().get("Mention", 0) == 0


def test_a_masked_id_that_fits_no_one_of_the_name_stays_unresolved(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": "5101" + "*" * 10 + ZW1[14:]})
    assert link_of(world, mention_at(world, 2, "debtor")) is None


def test_a_published_gender_contradicting_the_id_rules_a_person_out(world: GraphStore, tmp_path: Path) -> None:
    gender = "女" if int(ZW1[16]) % 2 else "男"
    court(world, tmp_path, {"被执行人姓名/名称": "张伟", "性别": gender,
                            "身份证号码/组织机构代码": ZW1[:4] + "*" * 10 + ZW1[14:]})
    assert link_of(world, mention_at(world, 2, "debtor")) is None


def test_an_identifier_cell_saying_not_published_leaves_the_name_alone(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "王芳", "身份证号码/组织机构代码": "非公示项"})
    mid = mention_at(world, 2, "debtor")
    assert world.get_node("Mention", mid).props["id_kind"] == "none"
    assert link_of(world, mid) is None


# -- grades ------------------------------------------------------------------------------


def test_a_masked_id_showing_few_characters_leaves_homonyms_as_probable_candidates(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": ZW1[:6] + "*" * 12})
    mid = mention_at(world, 2, "debtor")
    subject, grade = link_of(world, mid)
    assert grade == "probable" and subject in {ZW1, ZW2}
    assert candidates_of(world, mid) == {ZW1, ZW2}


def test_a_person_name_alone_never_links_even_with_one_person_of_that_name(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "王芳"})
    mid = mention_at(world, 2, "debtor")
    assert link_of(world, mid) is None and candidates_of(world, mid) == set()
    assert "name alone" in json.dumps(_unresolved_evidence(world, mid), ensure_ascii=False)


def test_two_homonyms_in_one_city_are_never_linked_by_name(world: GraphStore, tmp_path: Path) -> None:
    rows = [{"企业名称": "广州市华信贸易有限公司", "统一社会信用代码": HUAXIN, "姓名": "张伟", "职务": "监事"}]
    load_source(world, published(tmp_path, "registry_officers", rows), "registry_officers", tmp_path)
    mid = mention_at(world, 2, "officer")
    assert link_of(world, mid) is None and candidates_of(world, mid) == set()
    assert link_of(world, mention_at(world, 2, "enterprise")) == (HUAXIN, "exact")


def test_the_only_person_of_a_name_is_a_probable_candidate_for_an_officer_never_a_link_that_counts(
        world: GraphStore, tmp_path: Path) -> None:
    rows = [{"企业名称": "广州市华信贸易有限公司", "统一社会信用代码": HUAXIN, "姓名": "王芳", "职务": "经理"}]
    load_source(world, published(tmp_path, "registry_officers", rows), "registry_officers", tmp_path)
    mid = mention_at(world, 2, "officer")
    assert link_of(world, mid) == (WANG, "probable") and candidates_of(world, mid) == {WANG}
    assert [r.props["link_grade"] for r in world.iter_relationships(["OFFICER_OF"])] == ["probable"]


def test_a_person_named_with_a_role_in_the_row_firm_links_strong(world: GraphStore, tmp_path: Path) -> None:
    penalties(world, tmp_path, {"行政相对人名称": "广州市华信贸易有限公司", "统一社会信用代码": HUAXIN, "法定代表人": "李娜"})
    assert link_of(world, mention_at(world, 2, "legal_rep")) == (LI_NA, "strong")


def test_a_homonym_is_told_apart_by_the_firm_of_the_row(world: GraphStore, tmp_path: Path) -> None:
    rows = [{"企业名称": "广州太平洋电子有限公司", "统一社会信用代码": TAIPING, "姓名": "张伟", "职务": "执行董事兼总经理"}]
    load_source(world, published(tmp_path, "registry_officers", rows), "registry_officers", tmp_path)
    assert link_of(world, mention_at(world, 2, "officer")) == (ZW2, "strong")
    roles = {r.props["role"] for r in world.iter_relationships(["OFFICER_OF"]) if r.src == ZW2}
    assert roles == {"director", "manager"}


def test_a_shareholder_found_by_masked_id_makes_the_officer_of_the_same_name_strong(world: GraphStore, tmp_path: Path) -> None:
    holder = [{"企业名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "股东名称": "陈明", "股东类型": "自然人股东",
               "证照/证件号码": CHEN[:4] + "*" * 10 + CHEN[14:], "持股比例": "60%"}]
    load_source(world, published(tmp_path, "registry_shareholders", holder), "registry_shareholders", tmp_path)
    officer = [{"企业名称": "深圳信达科技有限公司", "统一社会信用代码": XINDA, "姓名": "陈明", "职务": "经理"}]
    load_source(world, published(tmp_path / "o", "registry_officers", officer), "registry_officers", tmp_path)
    assert link_of(world, mention_at(world, 2, "holder")) == (CHEN, "strong")
    assert link_of(world, mention_at(world, 2, "officer")) == (CHEN, "strong")


def test_an_unknown_firm_name_stays_unresolved_and_is_kept(world: GraphStore, tmp_path: Path) -> None:
    award(world, tmp_path, "广州市无名商贸有限公司")
    mid = mention_at(world, 2, "supplier")
    assert link_of(world, mid) is None
    assert world.get_node("Mention", mid).props["name"] == "广州市无名商贸有限公司"
    assert not list(world.iter_relationships(["BID_ON"]))


def test_a_firm_name_unique_in_its_region_links_strong_and_makes_the_won_bid(world: GraphStore, tmp_path: Path) -> None:
    award(world, tmp_path, "广州恒达市政工程有限责任公司")
    assert link_of(world, mention_at(world, 2, "supplier")) == (HENGDA, "strong")
    assert link_of(world, mention_at(world, 2, "procurer")) == (AGENCY_PROC, "strong")
    bids = [(r.src, r.dst, r.props["won"], r.props["link_grade"]) for r in world.iter_relationships(["BID_ON"])]
    assert bids == [(HENGDA, "GZ-1", True, "strong")]


def test_a_winner_also_in_the_bid_opening_record_has_one_bid_that_won(world: GraphStore, tmp_path: Path) -> None:
    from credgraph.loaders.published.mapping import read_mapping

    award(world, tmp_path, "广州恒达市政工程有限责任公司")
    opening = [{"项目编号": "GZ-1", "投标人名称": "广州恒达市政工程有限责任公司", "投标人统一社会信用代码": HENGDA,
                "投标报价（万元）": "100", "开标日期": "2023-03-01"}]
    mapping = read_mapping(Path(__file__).parents[1] / "loaders" / "published" / "examples" / "bid_opening.toml")
    load_source(world, published(tmp_path / "b", "bid_opening", opening), mapping, tmp_path)
    bids = [(r.src, r.dst, r.props["won"], r.props.get("bid_date"), r.props["link_grade"])
            for r in world.iter_relationships(["BID_ON"])]
    assert bids == [(HENGDA, "GZ-1", True, dt.date(2023, 3, 1), "strong")]


@pytest.mark.parametrize("written, uscc", [
    ("广州恒达市政工程有限公司", HENGDA),  # 有限责任公司 in the registry
    ("广州市华信贸易有限责任公司", HUAXIN),  # 有限公司 in the registry
    ("康美（深圳）医药有限公司", KANGMEI),  # full-width brackets
    ("廣州太平洋電子有限公司", TAIPING),  # traditional characters
    ("广州 太平洋电子 有限公司", TAIPING),  # stray spaces
], ids=["legal-form-long", "legal-form-short", "full-width-brackets", "traditional", "spaces"])
def test_firm_name_variants_link_strong(world: GraphStore, tmp_path: Path, written: str, uscc: str) -> None:
    award(world, tmp_path, written)
    assert link_of(world, mention_at(world, 2, "supplier")) == (uscc, "strong")


def test_a_branch_is_never_merged_with_its_parent(world: GraphStore, tmp_path: Path) -> None:
    award(world, tmp_path, "广州市华信贸易有限公司天河分公司")
    mid = mention_at(world, 2, "supplier")
    assert link_of(world, mid) is None and candidates_of(world, mid) == set()


def test_a_firm_of_the_same_name_in_another_city_is_not_linked(world: GraphStore, tmp_path: Path) -> None:
    award(world, tmp_path, "深圳市华信贸易有限公司")
    assert link_of(world, mention_at(world, 2, "supplier")) is None


def test_another_legal_form_of_the_trade_name_is_only_probable(world: GraphStore, tmp_path: Path) -> None:
    award(world, tmp_path, "广州市华信贸易股份有限公司")
    mid = mention_at(world, 2, "supplier")
    assert link_of(world, mid) == (HUAXIN, "probable")
    assert candidates_of(world, mid) == {HUAXIN}
    # a probable link makes its relationship, graded probable, for analyses that ask for it
    assert [r.props["link_grade"] for r in world.iter_relationships(["BID_ON"])] == ["probable"]


def test_the_debtor_list_entry_reaches_the_firm_and_the_legal_rep_follows(world: GraphStore, tmp_path: Path) -> None:
    court(world, tmp_path, {"被执行人姓名/名称": "广州市华信贸易有限公司", "身份证号码/组织机构代码": HUAXIN[8:17],
                            "法定代表人或者负责人姓名": "李娜"})
    entries = [(r.src, r.props["link_grade"]) for r in world.iter_relationships(["HAS_LIST_ENTRY"])]
    assert entries == [(HUAXIN, "derived")]
    entry = next(world.iter_nodes(["ListEntry"]))
    assert (entry.props["list"], str(entry.props["listed_date"])) == ("dishonest_debtor", "2023-05-01")
    assert link_of(world, mention_at(world, 2, "legal_rep")) == (LI_NA, "strong")


def _unresolved_evidence(store: GraphStore, mention_id: str) -> dict:
    from credgraph.resolution.job import run_resolution

    return json.loads(run_resolution(store).resolution.unresolved[mention_id])


def test_every_kind_and_grade_at_once(store: GraphStore, tmp_path: Path) -> None:
    load_registry(store, tmp_path)
    court(store, tmp_path / "c",
          {"被执行人姓名/名称": "广州市华信贸易有限公司", "身份证号码/组织机构代码": HUAXIN[8:16] + "-" + HUAXIN[16],
           "法定代表人或者负责人姓名": "李娜"},
          {"被执行人姓名/名称": "王芳", "身份证号码/组织机构代码": WANG},
          {"被执行人姓名/名称": "John Smith", "身份证号码/组织机构代码": PASSPORT},
          {"被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": ZW1[:4] + "*" * 10 + ZW1[14:]},
          {"被执行人姓名/名称": "张伟", "身份证号码/组织机构代码": ZW1[:6] + "*" * 12},
          {"被执行人姓名/名称": "王芳"})
    penalties(store, tmp_path / "p",
              {"行政相对人名称": "广州市华信贸易有限公司", "统一社会信用代码": HUAXIN},
              {"行政相对人名称": "广州市华信贸易有限公司", "统一社会信用代码": NOWHERE},
              {"行政相对人名称": "华信", "工商注册号": HUAXIN_REG})
    award(store, tmp_path / "a", "广州恒达市政工程有限公司", "康美（深圳）医药有限公司", "廣州太平洋電子有限公司",
          "广州市华信贸易有限公司天河分公司", "广州市华信贸易股份有限公司")
    got = {(s, ln, role): link_of(store, mention_at(store, ln, role, s)) for s, ln, role in [
        ("court_dishonest", 2, "debtor"), ("court_dishonest", 2, "legal_rep"), ("court_dishonest", 3, "debtor"),
        ("court_dishonest", 4, "debtor"), ("court_dishonest", 5, "debtor"), ("court_dishonest", 7, "debtor"),
        ("admin_penalty", 2, "party"), ("admin_penalty", 3, "party"), ("admin_penalty", 4, "party"),
        ("procurement_award", 2, "supplier"), ("procurement_award", 3, "supplier"),
        ("procurement_award", 4, "supplier"), ("procurement_award", 5, "supplier")]}
    probable = got.pop(("court_dishonest", 6, "debtor"), None) or link_of(
        store, mention_at(store, 6, "debtor", "court_dishonest"))
    assert probable is not None and probable[1] == "probable"
    assert candidates_of(store, mention_at(store, 6, "debtor", "court_dishonest")) == {ZW1, ZW2}
    assert link_of(store, mention_at(store, 6, "supplier", "procurement_award")) == (HUAXIN, "probable")
    assert got == {
        ("court_dishonest", 2, "debtor"): (HUAXIN, "derived"), ("court_dishonest", 2, "legal_rep"): (LI_NA, "strong"),
        ("court_dishonest", 3, "debtor"): (WANG, "exact"), ("court_dishonest", 4, "debtor"): (PASSPORT, "exact"),
        ("court_dishonest", 5, "debtor"): (ZW1, "strong"), ("court_dishonest", 7, "debtor"): None,
        ("admin_penalty", 2, "party"): (HUAXIN, "exact"), ("admin_penalty", 3, "party"): None,
        ("admin_penalty", 4, "party"): (HUAXIN, "derived"),
        ("procurement_award", 2, "supplier"): (HENGDA, "strong"), ("procurement_award", 3, "supplier"): (KANGMEI, "strong"),
        ("procurement_award", 4, "supplier"): (TAIPING, "strong"), ("procurement_award", 5, "supplier"): None,
    }

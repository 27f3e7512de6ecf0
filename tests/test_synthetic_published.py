"""``credgraph generate --format published``: the keyed world as agencies publish it, with the truth of every mention.

One S run of each format (seed 7) serves most tests; determinism and the keyed
comparison use small ``generate_enterprises`` runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import re
import unicodedata
from collections import Counter
from importlib.resources import files
from pathlib import Path

import opencc
import pytest

from credgraph.cli.app import main
from credgraph.graph.errors import ConfigError
from credgraph.graph.identifiers import MaskedId, identifier_kind, org_code_problem, reg_no_problem
from credgraph.synthetic.generate import GenerationSummary, generate, generate_enterprises
from credgraph.synthetic.published_court import Strangers
from credgraph.synthetic.published_forms import MASK_SHAPES, Scribe, load_words, mask_id
from credgraph.synthetic.published_registry import write_registry
from credgraph.synthetic.tables import load_tables

AS_OF = "2024-06-30"
# CONTRACT.md section 4, copied by hand, and the bid opening file of the task.
HEADERS = {
    "court_dishonest.csv": "案号 被执行人姓名/名称 性别 年龄 身份证号码/组织机构代码 法定代表人或者负责人姓名 执行法院 省份 执行依据文号 "
                           "做出执行依据单位 生效法律文书确定的义务 被执行人的履行情况 失信被执行人行为具体情形 立案时间 发布时间",
    "admin_penalty.csv": "行政处罚决定书文号 行政相对人名称 统一社会信用代码 工商注册号 组织机构代码 法定代表人 违法行为类型 处罚类别 处罚内容 "
                         "罚款金额（万元） 处罚决定日期 处罚机关 处罚机关统一社会信用代码",
    "registry_shareholders.csv": "企业名称 统一社会信用代码 股东名称 股东类型 证照/证件类型 证照/证件号码 认缴出资额（万元） 认缴出资日期 持股比例",
    "registry_officers.csv": "企业名称 统一社会信用代码 姓名 职务",
    "procurement_award.csv": "项目编号 项目名称 采购人 采购代理机构 中标供应商名称 中标金额（万元） 公告日期 行政区划",
    "bid_opening.csv": "项目编号 项目名称 投标人名称 投标人统一社会信用代码 投标报价（万元） 开标日期",
}
# The column holding the name of each role's mention.
NAME_COLUMNS = {
    ("court_dishonest.csv", "debtor"): "被执行人姓名/名称", ("court_dishonest.csv", "legal_rep"): "法定代表人或者负责人姓名",
    ("admin_penalty.csv", "party"): "行政相对人名称", ("admin_penalty.csv", "legal_rep"): "法定代表人",
    ("registry_shareholders.csv", "enterprise"): "企业名称", ("registry_shareholders.csv", "holder"): "股东名称",
    ("registry_officers.csv", "enterprise"): "企业名称", ("registry_officers.csv", "officer"): "姓名",
    ("procurement_award.csv", "procurer"): "采购人", ("procurement_award.csv", "supplier"): "中标供应商名称",
    ("bid_opening.csv", "supplier"): "投标人名称",
}
# What a keyword table must read back (the task's words per category; first keyword in the text wins).
CATEGORY_WORDS = {"商业贿赂": "bribery", "行贿": "bribery", "政府采购": "procurement", "招标投标": "procurement",
                  "偷税": "tax", "发票": "tax", "税收": "tax", "食品": "food_drug", "药品": "food_drug",
                  "产品质量": "quality", "价格": "price", "劳动": "labor", "社会保险": "labor", "工资": "labor",
                  "环境": "environment", "排污": "environment", "建筑": "construction", "施工": "construction",
                  "金融": "finance", "统计": "statistics"}
KIND_WORDS = {"吊销": "license_revocation", "责令停产停业": "license_suspension", "暂扣": "license_suspension",
              "没收": "confiscation", "罚款": "fine", "警告": "warning"}  # most severe first
_S2T = opencc.OpenCC("s2t")
_REGION_WORDS = {word for city in load_tables().cities
                 for stem in [city.name.removesuffix("市")]
                 for word in [city.name, stem, *(d.name for d in city.districts),
                              *(c + d.name for d in city.districts for c in (city.name, stem))]}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[GenerationSummary, GenerationSummary]:
    """(published, keyed) S runs of seed 7, each alone in its parent folder."""
    published = generate("S", seed=7, out=tmp_path_factory.mktemp("published") / "p7", format="published")
    keyed = generate("S", seed=7, out=tmp_path_factory.mktemp("keyed") / "k7")
    return published, keyed


@pytest.fixture(scope="module")
def pub(runs: tuple[GenerationSummary, GenerationSummary]) -> Path:
    return runs[0].out


@pytest.fixture(scope="module")
def keyed(runs: tuple[GenerationSummary, GenerationSummary]) -> Path:
    return runs[1].out


@pytest.fixture(scope="module")
def mentions(pub: Path) -> list[dict[str, str]]:
    return _rows(pub / "mentions.csv")


@pytest.fixture(scope="module")
def published_rows(pub: Path) -> dict[str, list[dict[str, str]]]:
    return {name: _rows(pub / "published" / name) for name in HEADERS}


def _in_force(row: dict[str, str]) -> bool:
    return (not row["start_date"] or row["start_date"] <= AS_OF) and (not row["end_date"] or row["end_date"] > AS_OF)


def _base(keyed: Path) -> set[str]:
    """The person base as the task defines it, computed from the keyed files."""
    base = {r["person_id"].upper() for r in _rows(keyed / "legal_reps.csv")}
    base |= {r["holder_id"].upper() for r in _rows(keyed / "shareholdings.csv") if r["holder_type"] == "person"}
    base |= {r["subject_id"].upper() for r in _rows(keyed / "penalties.csv") if r["subject_type"] == "person"}
    base |= {r["subject_id"].upper() for r in _rows(keyed / "list_entries.csv")
             if r["subject_type"] == "person" and r["list"] != "dishonest_debtor"}
    return base


# -- layout -----------------------------------------------------------------------


def test_published_headers_match_contract_section_4(pub: Path) -> None:
    for name, header in HEADERS.items():
        with open(pub / "published" / name, encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == header.split(), name


def test_layout_holds_registry_published_mappings_mentions_and_truth(pub: Path) -> None:
    shipped = files("credgraph.loaders.published").joinpath("examples/bid_opening.toml")
    expected = {"registry", "published", "mentions.csv", "truth.json"} | ({"mappings"} if shipped.is_file() else set())
    assert {p.name for p in pub.iterdir()} == expected
    assert sorted(p.name for p in (pub / "registry").iterdir()) == sorted(
        ["agencies.csv", "enterprises.csv", "persons.csv", "legal_reps.csv", "guarantees.csv", "penalties.csv",
         "list_entries.csv"])
    if shipped.is_file():
        assert (pub / "mappings" / "bid_opening.toml").read_bytes() == shipped.read_bytes()
    assert [p.name for p in pub.parent.iterdir()] == [pub.name]  # the keyed temporary folder is gone
    assert b"\xef\xbb\xbf" not in (pub / "published" / "court_dishonest.csv").read_bytes()[:3]


def test_unknown_format_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown format"):
        generate("S", seed=1, out=tmp_path / "out", format="xml")


def test_cli_writes_the_published_layout(tmp_path: Path) -> None:
    args = ["generate", "--size", "S", "--seed", "2", "--out", str(tmp_path / "cli"), "--format", "published"]
    assert main(args) == 0
    assert (tmp_path / "cli" / "published" / "court_dishonest.csv").exists()


# -- the same world -----------------------------------------------------------------


def test_every_keyed_fact_lands_in_its_published_file(pub: Path, keyed: Path,
                                                      published_rows: dict[str, list[dict[str, str]]]) -> None:
    meta = json.loads((pub / "truth.json").read_text(encoding="utf-8"))["meta"]["published"]
    entries, penalties = _rows(keyed / "list_entries.csv"), _rows(keyed / "penalties.csv")
    bids = _rows(keyed / "bids.csv")
    won = [b for b in bids if b["won"] in ("true", "1", "是")]
    awarded = {b["project_id"] for b in won}
    court = [e for e in entries
             if e["list"] == "dishonest_debtor" and (not e["removed_date"] or e["removed_date"] > AS_OF)]
    strangers = meta["strangers"]["persons"] + meta["strangers"]["firms"]
    expected = {
        "court_dishonest.csv": len(court) + strangers,
        "admin_penalty.csv": sum(p["subject_type"] == "enterprise" and p["kind"] != "criminal"
                                 and p["status"] in ("", "effective") for p in penalties),
        "registry_shareholders.csv": sum(map(_in_force, _rows(keyed / "shareholdings.csv"))),
        "registry_officers.csv": sum(map(_in_force, _rows(keyed / "officers.csv"))),
        "procurement_award.csv": len(won),
        "bid_opening.csv": sum(b["won"] not in ("true", "1", "是") and b["project_id"] in awarded for b in bids),
    }
    assert {name: len(rows) for name, rows in published_rows.items()} == expected
    assert len(court) > 0 and strangers >= 1
    assert [(r["项目编号"], r["中标金额（万元）"]) for r in published_rows["procurement_award.csv"]] == [
        (b["project_id"], b["amount"]) for b in won]
    registry = {name: len(_rows(pub / "registry" / name))
                for name in ("penalties.csv", "list_entries.csv", "persons.csv")}
    assert registry == {
        "penalties.csv": sum(p["subject_type"] == "person" or p["kind"] == "criminal" for p in penalties),
        "list_entries.csv": sum(e["list"] != "dishonest_debtor" for e in entries),
        "persons.csv": len(_base(keyed)),
    }


def test_keyed_output_is_unchanged_by_the_format_option(pub: Path, keyed: Path, tmp_path: Path) -> None:
    default = generate_enterprises(300, seed=5, out=tmp_path / "default")
    explicit = generate_enterprises(300, seed=5, out=tmp_path / "explicit", format="keyed")
    assert _digests(default.out) == _digests(explicit.out)
    for name in ("agencies.csv", "legal_reps.csv", "guarantees.csv"):
        assert (pub / "registry" / name).read_bytes() == (keyed / name).read_bytes(), name
    registry = [r[:-2] for r in csv.reader(open(pub / "registry" / "enterprises.csv", encoding="utf-8", newline=""))]
    assert registry == list(csv.reader(open(keyed / "enterprises.csv", encoding="utf-8", newline="")))


def test_truth_is_the_keyed_truth_with_a_published_summary(pub: Path, keyed: Path) -> None:
    truth = json.loads((pub / "truth.json").read_text(encoding="utf-8"))
    published = truth["meta"].pop("published")
    assert truth == json.loads((keyed / "truth.json").read_text(encoding="utf-8"))
    assert published["format"] == "credgraph-published-truth/1" and published["mentions"] == "mentions.csv"
    assert published["counts"]["mentions.csv"] == len(_rows(pub / "mentions.csv"))


def test_same_seed_gives_byte_identical_published_output(tmp_path: Path) -> None:
    first = generate_enterprises(400, seed=11, out=tmp_path / "a" / "out", format="published")
    second = generate_enterprises(400, seed=11, out=tmp_path / "b" / "out", format="published")
    assert _digests(first.out) == _digests(second.out)
    assert len(_digests(first.out)) >= 15


# -- identifiers ----------------------------------------------------------------------


def test_reg_no_and_org_codes_validate(pub: Path, published_rows: dict[str, list[dict[str, str]]]) -> None:
    firms = _rows(pub / "registry" / "enterprises.csv")
    for firm in firms:
        assert bool(firm["reg_no"]) == (firm["reg_date"] < "2015-10-01"), firm["uscc"]
        if firm["reg_no"]:
            assert reg_no_problem(firm["reg_no"]) is None and firm["reg_no"][:6] == firm["uscc"][2:8]
        if firm["org_code"]:
            code = firm["org_code"].replace("-", "")
            assert org_code_problem(code) is None and code == firm["uscc"][8:17]
    assert len({f["reg_no"] for f in firms if f["reg_no"]}) == sum(bool(f["reg_no"]) for f in firms)
    assert 0.25 < sum(bool(f["org_code"]) for f in firms) / len(firms) < 0.35
    reg_nos = {f["uscc"]: f["reg_no"] for f in firms}
    for row in published_rows["admin_penalty.csv"]:
        if row["工商注册号"]:
            assert row["工商注册号"] in reg_nos.values()
        if row["组织机构代码"]:
            assert org_code_problem(row["组织机构代码"].replace("-", "")) is None


def test_published_identifiers_point_at_the_true_subject(pub: Path, mentions: list[dict[str, str]],
                                                         published_rows: dict[str, list[dict[str, str]]]) -> None:
    reg_nos = {f["uscc"]: f["reg_no"] for f in _rows(pub / "registry" / "enterprises.csv")}
    columns = {"court_dishonest.csv": ["身份证号码/组织机构代码"], "registry_shareholders.csv": ["证照/证件号码"],
               "admin_penalty.csv": ["统一社会信用代码", "组织机构代码", "工商注册号"], "bid_opening.csv": ["投标人统一社会信用代码"]}
    seen: Counter[str] = Counter()
    for m in mentions:
        if m["file"] not in columns or m["role"] not in ("debtor", "holder", "party", "supplier"):
            continue
        row = published_rows[m["file"]][int(m["line"]) - 2]
        shown = [_shown(row[c], m["subject_type"]) for c in columns[m["file"]] if row[c]]
        assert (shown[0][0] if shown else "none") == m["identifier_kind"], m
        for kind, code in shown:
            seen[kind] += 1
            subject = m["subject_id"]
            ok = {"uscc": code == subject, "org_code": code == subject[8:17], "reg_no": code == reg_nos.get(subject),
                  "resident_id": code == subject, "passport": code == subject,
                  "masked_id": _compatible(code, subject)}
            assert ok[kind], (m, code)
    assert {"uscc", "org_code", "masked_id", "resident_id"} <= set(seen)


def _compatible(mask: str, person_id: str) -> bool:
    parsed = MaskedId.parse(mask)
    return parsed is not None and parsed.compatible(person_id)


def _shown(text: str, subject_type: str) -> tuple[str, str]:
    """The kind of identifier ``text`` is for a subject of ``subject_type``, and its canonical form.

    A digit-only resident ID passes the USCC check one time in 31, so a person's
    column is read as a person's document first.
    """
    if subject_type == "person" and "*" not in text:
        return ("resident_id" if identifier_kind(text)[0] in ("resident_id", "uscc") else "passport"), text
    return identifier_kind(text)


def test_masks_are_compatible_with_the_person_in_every_shape() -> None:
    rng, person = random.Random(3), "44010619800101123X"
    masks = [mask_id(rng, person) for _ in range(2000)]
    assert all(_compatible(m, person) for m in masks)
    shapes = Counter((len(m), m.count("*"), m.index("*")) for m in masks)
    assert {(18, 10, 4), (18, 4, 10), (18, 8, 6), (18, 4, 14)} <= set(shapes)
    assert any(length < 18 for length, _, _ in shapes)
    assert len(MASK_SHAPES) == 5


def test_court_prints_person_ids_masked_empty_or_in_full() -> None:
    scribe = Scribe(random.Random(4), load_tables(), load_words())
    kinds = Counter(scribe.person_id("44010619800101123X")[1] for _ in range(3000))
    assert set(kinds) == {"masked_id", "none", "resident_id"}
    assert 0.93 < kinds["masked_id"] / 3000 < 0.97
    assert scribe.person_id("E12345678") == ("E12345678", "passport")


# -- strangers and homonyms -------------------------------------------------------------


def test_stranger_rows_exist_and_are_not_in_the_registry(pub: Path, keyed: Path, mentions: list[dict[str, str]],
                                                         published_rows: dict[str, list[dict[str, str]]]) -> None:
    strangers = [m for m in mentions if m["file"] == "court_dishonest.csv" and m["role"] == "debtor"
                 and m["in_store"] == "false"]
    assert strangers
    world_persons = {r["person_id"] for r in _rows(keyed / "persons.csv")}
    firms = _rows(keyed / "enterprises.csv")
    for m in strangers:
        assert m["subject_id"] not in world_persons and m["subject_id"] not in {f["uscc"] for f in firms}
        if m["subject_type"] == "enterprise":
            assert m["subject_id"][8:17] not in {f["uscc"][8:17] for f in firms}
            name = published_rows["court_dishonest.csv"][int(m["line"]) - 2]["被执行人姓名/名称"]
            assert name not in {f["name"] for f in firms}


def test_stranger_firms_are_nobody_in_the_registry(strangers: Strangers) -> None:
    drawn = [strangers.firm(load_tables().city("440100")) for _ in range(3000)]
    index = strangers.index
    assert len({name for _, name in drawn}) == len({uscc for uscc, _ in drawn}) == len(drawn)
    assert not {name for _, name in drawn} & set(index.firm_names.values())
    assert not {uscc[8:17] for uscc, _ in drawn} & index.org_codes
    assert all(identifier_kind(uscc) == ("uscc", uscc) for uscc, _ in drawn)


@pytest.fixture(scope="module")
def strangers(keyed: Path, tmp_path_factory: pytest.TempPathFactory) -> Strangers:
    """A stranger maker over the S registry."""
    tables = load_tables()
    index = write_registry(keyed, tmp_path_factory.mktemp("registry"), tables, random.Random(1))
    return Strangers(index, Scribe(random.Random(2), tables, load_words()))


def _twins(index_base: set[str], names: dict[str, str], person_id: str, name: str) -> list[str]:
    return [other for other in index_base if names[other] == name and other[:6] == person_id[:6]
            and other[-4:] == person_id[-4:]]


def test_strangers_often_bear_registry_names_but_never_registry_ids(strangers: Strangers) -> None:
    drawn = [strangers.person(load_tables().city("440100")) for _ in range(3000)]
    index = strangers.index
    assert not {pid for pid, _ in drawn} & set(index.persons)
    assert len({pid for pid, _ in drawn}) == len(drawn)
    assert sum(name in index.base_names for _, name in drawn) / len(drawn) > 0.4


def test_hard_homonyms_share_name_and_id_ends_but_not_the_age(strangers: Strangers) -> None:
    index, on = strangers.index, "2024-01-01"
    for _ in range(100):
        pid, name = strangers.person(load_tables().city("440300"), hard=True)
        twins = _twins(index.base, index.persons, pid, name)
        assert twins and pid not in index.persons
        for other in twins:
            mask = MaskedId.parse(pid[:4] + "*" * 10 + pid[-4:])
            assert mask is not None and mask.compatible(other)
            assert abs(int(pid[6:10]) - int(other[6:10])) >= 2 and _age(pid, on) != _age(other, on)


def test_court_list_holds_a_hard_homonym(pub: Path, mentions: list[dict[str, str]],
                                         published_rows: dict[str, list[dict[str, str]]]) -> None:
    names = {p["person_id"]: p["name"] for p in _rows(pub / "registry" / "persons.csv")}
    found = 0
    for m in mentions:
        if m["file"] == "court_dishonest.csv" and m["subject_type"] == "person" and m["in_store"] == "false":
            row = published_rows["court_dishonest.csv"][int(m["line"]) - 2]
            for other in _twins(set(names), names, m["subject_id"], "".join(row["被执行人姓名/名称"].split())):
                found += 1
                listed = _iso(row["发布时间"])
                assert row["年龄"] == str(_age(m["subject_id"], listed)) != str(_age(other, listed))
    assert found >= 1


def _iso(text: str) -> str:
    """A date of the contract's spellings as YYYY-MM-DD."""
    digits = [int(x) for x in re.findall(r"\d+", text)]
    if len(digits) == 1:
        digits = [int(text[:4]), int(text[4:6]), int(text[6:8])]
    return dt.date(*digits).isoformat()


def _age(person_id: str, on: str) -> int:
    born, day = dt.date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14])), dt.date.fromisoformat(on)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_homonyms_count_other_registry_persons_of_the_same_name(pub: Path, keyed: Path,
                                                                mentions: list[dict[str, str]]) -> None:
    registry = _rows(pub / "registry" / "persons.csv")
    counts, base = Counter(p["name"] for p in registry), {p["person_id"] for p in registry}
    names = {p["person_id"]: p["name"] for p in _rows(keyed / "persons.csv")}
    people = [m for m in mentions if m["subject_type"] == "person" and m["subject_id"] in names]
    for m in people:
        assert int(m["homonyms"]) == counts[names[m["subject_id"]]] - (m["subject_id"] in base), m
    assert any(int(m["homonyms"]) > 0 for m in people)
    assert all(m["homonyms"] == "0" for m in mentions if m["subject_type"] != "person")


def test_officer_only_persons_are_absent_from_persons_csv(pub: Path, keyed: Path,
                                                          mentions: list[dict[str, str]]) -> None:
    base = _base(keyed)
    officers = {r["person_id"].upper() for r in _rows(keyed / "officers.csv")}
    officer_only = officers - base
    registry = {p["person_id"] for p in _rows(pub / "registry" / "persons.csv")}
    assert officer_only and not officer_only & registry and registry == base
    stored = {m["subject_id"]: m["in_store"] for m in mentions if m["role"] == "officer"}
    assert all(stored[p] == "false" for p in officer_only if p in stored)
    assert any(v == "true" for v in stored.values())


# -- mentions and names -------------------------------------------------------------


def test_mentions_have_exactly_one_row_per_named_cell(mentions: list[dict[str, str]],
                                                      published_rows: dict[str, list[dict[str, str]]]) -> None:
    listed = Counter((m["file"], int(m["line"]), m["role"]) for m in mentions)
    assert max(listed.values()) == 1
    expected = {(file, line, role) for (file, role), column in NAME_COLUMNS.items()
                for line, row in enumerate(published_rows[file], 2) if row[column]}
    assert set(listed) == expected


def _undone(written: str, variant: str, true: str) -> bool:
    """Whether ``written`` is ``true`` with ``variant`` applied."""
    plain, canonical = ("".join(unicodedata.normalize("NFKC", text).split()) for text in (written, true))
    return {
        "none": written == true,
        "form": written != true and written.replace("有限责任公司", "有限公司") == true.replace("有限责任公司", "有限公司"),
        "brackets": written != true and plain == canonical,
        "region_dropped": len(written) < len(true) and true.endswith(written) and true[:-len(written)] in _REGION_WORDS,
        "region_short": true.replace("市", "", 1) == written,
        "traditional": written != true and _S2T.convert(true) == written,
        "space": " " in written and written.replace(" ", "") == true,
        "width": written != true and plain == canonical,
    }[variant]


def test_every_mention_points_at_a_row_naming_its_subject(pub: Path, keyed: Path, mentions: list[dict[str, str]],
                                                          published_rows: dict[str, list[dict[str, str]]]) -> None:
    names = {p["person_id"]: p["name"] for p in _rows(keyed / "persons.csv")}
    names |= {f["uscc"]: f["name"] for f in _rows(keyed / "enterprises.csv")}
    names |= {a["agency_id"]: a["name"] for a in _rows(keyed / "agencies.csv")}
    checked = 0
    for m in mentions:
        written = published_rows[m["file"]][int(m["line"]) - 2][NAME_COLUMNS[(m["file"], m["role"])]]
        if m["subject_id"] in names:
            assert _undone(written, m["name_variant"], names[m["subject_id"]]), (m, written)
            checked += 1
        else:
            assert m["in_store"] == "false", m  # strangers only
    assert checked > 0.99 * len(mentions)


def test_firm_names_vary_in_about_30_percent_of_notices_in_every_way(mentions: list[dict[str, str]]) -> None:
    notice_files = ("court_dishonest.csv", "admin_penalty.csv", "procurement_award.csv", "bid_opening.csv")
    notices = [m for m in mentions if m["subject_type"] == "enterprise" and m["file"] in notice_files]
    variants = Counter(m["name_variant"] for m in notices)
    assert 0.25 < 1 - variants["none"] / len(notices) < 0.35
    assert set(variants) == {"none", "form", "brackets", "region_dropped", "region_short", "traditional", "space",
                             "width"}
    people = Counter(m["name_variant"] for m in mentions if m["subject_type"] == "person")
    assert {"traditional", "space"} <= set(people) and people["none"] / sum(people.values()) > 0.95


def test_admin_penalty_words_map_back_to_kind_and_category(keyed: Path,
                                                           published_rows: dict[str, list[dict[str, str]]]) -> None:
    keyed_penalties = [p for p in _rows(keyed / "penalties.csv") if p["subject_type"] == "enterprise"
                       and p["kind"] != "criminal" and p["status"] in ("", "effective")]
    rows = published_rows["admin_penalty.csv"]
    agencies = {a["agency_id"]: a["name"] for a in _rows(keyed / "agencies.csv")}
    for penalty, row in zip(keyed_penalties, rows, strict=True):
        assert row["处罚内容"] == penalty["description"]
        assert row["处罚机关"] and row["处罚机关"] == agencies.get(penalty["agency_id"], row["处罚机关"])
        if penalty["category"] != "other":
            text = row["违法行为类型"]
            first = min((text.index(w), w) for w in CATEGORY_WORDS if w in text)
            assert CATEGORY_WORDS[first[1]] == penalty["category"], text
        kind_text = row["处罚类别"]
        assert KIND_WORDS[min((kind_text.index(w), w) for w in KIND_WORDS if w in kind_text)[1]] == penalty["kind"]
        # a companion kind is milder, so a table read most severe word first agrees
        assert next(k for w, k in KIND_WORDS.items() if w in kind_text) == penalty["kind"], kind_text
        assert row["行政处罚决定书文号"].endswith("号")
    assert len({r["行政处罚决定书文号"] for r in rows}) == len(rows)
    assert any(";" in r["处罚类别"] for r in rows)


def test_share_is_left_empty_only_where_subscribed_capital_gives_it(
        keyed: Path, published_rows: dict[str, list[dict[str, str]]]) -> None:
    holdings = [r for r in _rows(keyed / "shareholdings.csv") if _in_force(r)]
    by_firm: dict[str, list[tuple[dict[str, str], dict[str, str]]]] = {}
    for holding, row in zip(holdings, published_rows["registry_shareholders.csv"], strict=True):
        by_firm.setdefault(holding["uscc"], []).append((holding, row))
    empty = 0
    for pairs in by_firm.values():
        if any(not row["持股比例"] for _, row in pairs):
            empty += 1
            capital = [float(row["认缴出资额（万元）"].replace(",", "")) for _, row in pairs]
            for (holding, _), part in zip(pairs, capital):
                assert abs(100 * part / sum(capital) - float(holding["share_pct"].rstrip("%"))) < 0.5
    assert empty > 0

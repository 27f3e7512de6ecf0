"""A hand-drawn registry and published files with known answers, for the published-source tests.

Every code is computed with its check character (never copied from a mock). The registry is a
keyed input folder (contract section 1) that ``load_folder`` reads; the published files are
written in the contract's section 4 headers, one helper per format.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from credgraph.cli.app import main
from credgraph.graph.identifiers import (
    org_code_check_char, reg_no_check_digit, resident_id_check_char, uscc_check_char,
)
from credgraph.graph.neo4j_store import Neo4jStore
from credgraph.graph.store import GraphStore
from credgraph.loaders.load import load_folder
from credgraph.loaders.published.load import load_published
from credgraph.loaders.published.mapping import Mapping, builtin_mapping
from credgraph.loaders.report import LoadReport
from credgraph.resolution.job import ResolutionRun, run_resolution


def org_code(body: str) -> str:
    """An organisation code (9 characters) with its GB 11714 check character."""
    return body + org_code_check_char(body)


def uscc(region: str, org_body: str) -> str:
    """A USCC whose positions 9-17 are a valid organisation code."""
    body = "91" + region + org_code(org_body)
    return body + uscc_check_char(body)


def resident_id(body: str) -> str:
    return body + resident_id_check_char(body)


def reg_no(body: str) -> str:
    return body + reg_no_check_digit(body)


# -- the registry ------------------------------------------------------------------
HUAXIN = uscc("440106", "MA5AB001")  # 广州市华信贸易有限公司, with a registration number
HENGDA = uscc("440106", "MA5AB002")  # 广州恒达市政工程有限责任公司
KANGMEI = uscc("440304", "MA5AB003")  # 康美(深圳)医药有限公司, half-width brackets in the registry
TAIPING = uscc("440106", "MA5AB004")  # 广州太平洋电子有限公司
XINDA = uscc("440304", "MA5AB005")  # 深圳信达科技有限公司, no registration number in the registry
NOWHERE = uscc("440106", "MA5AB009")  # valid, but no firm in the store has it
HUAXIN_REG = reg_no("44010600012345")
XINDA_REG = reg_no("44030400067890")
AGENCY_SAMR = "11440100007500002" + uscc_check_char("11440100007500002")
AGENCY_PROC = "11440100007500001" + uscc_check_char("11440100007500001")

LI_NA = resident_id("44010619750302002")  # 李娜, legal rep of HUAXIN
ZW1 = resident_id("44010619800101123")  # 张伟, male, born 1980, legal rep of HENGDA
ZW2 = resident_id("44010619850505123")  # 张伟, born 1985, same district, legal rep of TAIPING
WANG = resident_id("44030419900909004")  # 王芳, no role
CHEN = resident_id("44030419700101005")  # 陈明, shareholder of XINDA (keyed)
PASSPORT = "E1234567"  # John Smith
FIRMS = [
    (HUAXIN, "广州市华信贸易有限公司", "440106", HUAXIN_REG),
    (HENGDA, "广州恒达市政工程有限责任公司", "440106", ""),
    (KANGMEI, "康美(深圳)医药有限公司", "440304", ""),
    (TAIPING, "广州太平洋电子有限公司", "440106", ""),
    (XINDA, "深圳信达科技有限公司", "440304", ""),
]
PERSONS = [(LI_NA, "李娜", "cn_id"), (ZW1, "张伟", "cn_id"), (ZW2, "张伟", "cn_id"), (WANG, "王芳", "cn_id"),
           (CHEN, "陈明", "cn_id"), (PASSPORT, "John Smith", "passport")]
LEGAL_REPS = [(LI_NA, HUAXIN), (ZW1, HENGDA), (ZW2, TAIPING)]

HEADERS = {
    "court_dishonest": ["案号", "被执行人姓名/名称", "性别", "年龄", "身份证号码/组织机构代码", "法定代表人或者负责人姓名", "执行法院",
                        "省份", "执行依据文号", "做出执行依据单位", "生效法律文书确定的义务", "被执行人的履行情况",
                        "失信被执行人行为具体情形", "立案时间", "发布时间"],
    "admin_penalty": ["行政处罚决定书文号", "行政相对人名称", "统一社会信用代码", "工商注册号", "组织机构代码", "法定代表人", "违法行为类型",
                      "处罚类别", "处罚内容", "罚款金额（万元）", "处罚决定日期", "处罚机关", "处罚机关统一社会信用代码"],
    "registry_shareholders": ["企业名称", "统一社会信用代码", "股东名称", "股东类型", "证照/证件类型", "证照/证件号码",
                              "认缴出资额（万元）", "认缴出资日期", "持股比例"],
    "registry_officers": ["企业名称", "统一社会信用代码", "姓名", "职务"],
    "procurement_award": ["项目编号", "项目名称", "采购人", "采购代理机构", "中标供应商名称", "中标金额（万元）", "公告日期", "行政区划"],
    "bid_opening": ["项目编号", "项目名称", "投标人名称", "投标人统一社会信用代码", "投标报价（万元）", "开标日期"],
}


def write_csv(path: Path, rows: list[dict[str, Any]], header: list[str] | None = None) -> Path:
    """A CSV with ``header`` (default: the first row's keys); missing cells are empty."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = header or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(c, "") for c in header])
    return path


def published(folder: Path, source: str, rows: list[dict[str, Any]], name: str | None = None) -> Path:
    """A published file of ``source`` format in its contract header."""
    return write_csv(folder / (name or f"{source}.csv"), rows, HEADERS[source])


def write_registry(folder: Path) -> Path:
    """The keyed registry of this module as an input folder."""
    write_csv(folder / "enterprises.csv", [
        {"uscc": u, "name": n, "reg_date": "2010-01-01", "region_code": r, "reg_no": rn} for u, n, r, rn in FIRMS],
        ["uscc", "name", "reg_date", "region_code", "reg_no"])
    write_csv(folder / "persons.csv", [{"person_id": p, "name": n, "id_type": t} for p, n, t in PERSONS])
    write_csv(folder / "legal_reps.csv", [{"person_id": p, "uscc": u, "start_date": "2010-01-01"}
                                          for p, u in LEGAL_REPS], ["person_id", "uscc", "start_date", "end_date"])
    write_csv(folder / "agencies.csv", [
        {"agency_id": AGENCY_SAMR, "name": "广州市市场监督管理局", "region_code": "440100", "kind": "regulator"},
        {"agency_id": AGENCY_PROC, "name": "广州市政府采购中心", "region_code": "440100", "kind": "procurer"}])
    return folder


def load_registry(store: GraphStore, tmp_path: Path) -> None:
    report = load_folder(store, write_registry(tmp_path / "registry"), report_dir=tmp_path / "reports" / "registry")
    assert report.exit_code == 0, report.as_dict()


def load_source(store: GraphStore, path: Path, source: str | Mapping, tmp_path: Path,
                resolve: bool = True) -> tuple[LoadReport, ResolutionRun | None]:
    """Load a published file through a built-in (by name) or a mapping, then resolve."""
    mapping = builtin_mapping(source) if isinstance(source, str) else source
    report = load_published(store, path, mapping, report_dir=tmp_path / "reports" / path.stem)
    return report, (run_resolution(store) if resolve else None)


def court_row(**cells: str) -> dict[str, str]:
    """A court list row with the required cells filled."""
    return {"案号": "（2023）粤01执1号", "执行法院": "广州市中级人民法院", "省份": "广东", "发布时间": "2023-05-01", **cells}


def penalty_row(no: str, **cells: str) -> dict[str, str]:
    return {"行政处罚决定书文号": no, "处罚决定日期": "2023年03月05日", "处罚机关": "广州市市场监督管理局",
            "处罚机关统一社会信用代码": AGENCY_SAMR, "处罚类别": "罚款", "违法行为类型": "虚假宣传", **cells}


def link_of(store: GraphStore, mention_id: str) -> tuple[str, str] | None:
    """(subject, grade) of a mention's SAME_AS link, if any."""
    table = store.relationship_table(["SAME_AS"], ("link_grade",))
    found = [(s, g) for s, d, g in zip(table["src"], table["dst"], table["link_grade"]) if d == mention_id]
    assert len(found) <= 1
    return found[0] if found else None


def candidates_of(store: GraphStore, mention_id: str) -> set[str]:
    table = store.relationship_table(["MAYBE_SAME_AS"], ())
    return {s for s, d in zip(table["src"], table["dst"]) if d == mention_id}


def mention_ids(store: GraphStore, role: str | None = None) -> list[str]:
    table = store.node_table("Mention", ("role", "source_line"))
    return sorted(k for k, r in zip(table["key"], table["role"]) if role is None or r == role)


def mention_at(store: GraphStore, line: int, role: str, source: str | None = None) -> str:
    """The id of the mention of ``role`` on ``line`` of the (only, or ``source``) published file."""
    table = store.node_table("Mention", ("role", "source"))
    found = [k for k, r, ln, s in zip(table["key"], table["role"], table["source_line"], table["source"])
             if r == role and ln == line and (source is None or s == source)]
    assert len(found) == 1, (line, role, found)
    return found[0]


@pytest.fixture
def db(store: GraphStore, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> str:
    """The ``--db`` of ``store`` for CLI tests (credentials in the environment for Neo4j)."""
    if isinstance(store, Neo4jStore):
        uri, user, password = request.getfixturevalue("neo4j_credentials")
        monkeypatch.setenv("NEO4J_USERNAME", user)
        monkeypatch.setenv("NEO4J_PASSWORD", password)
        return uri
    return store.location


def cli(*argv: str) -> int:
    return main(list(argv))


def report_json(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def rejects(folder: Path) -> list[dict[str, str]]:
    with (folder / "rejects.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


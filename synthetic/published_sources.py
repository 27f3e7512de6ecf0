"""The other published files: penalties, registry shareholders and officers, award notices, bid openings.

Each writer streams one keyed file and writes the rows an agency would publish
of it, with the identifiers that agency prints and the names as it spells them:

* ``admin_penalty.csv``: effective, non-criminal penalties on firms (repaired and
  revoked decisions are taken off publication), under their decision number;
  violation words a keyword table maps back to the category, kinds in Chinese;
  a decision always names its agency (where the keyed penalty has none, the
  city's agency for that category);
* ``registry_shareholders.csv`` and ``registry_officers.csv``: what the registry
  shows on the reference date (ended holdings and posts are gone); holders'
  IDs mostly masked or empty, officers by name only;
* ``procurement_award.csv``: every won bid, the procurer and supplier by name;
* ``bid_opening.csv``: every losing bid of a project that has a winner.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from credgraph.synthetic.names import brand
from credgraph.synthetic.published_forms import (
    NOTICE_VARIANTS, REGISTRY_VARIANTS, Scribe, is_resident_id, mask_id, org_code,
)
from credgraph.synthetic.published_registry import KeyedIndex, in_force, keyed_rows, person_key
from credgraph.synthetic.published_sink import PublishedSink

# From the most severe kind to the mildest: a combined 处罚类别 adds a milder kind after the first.
SEVERITY = ("license_revocation", "license_suspension", "confiscation", "fine", "warning")
COMBINED_KINDS = 0.05
_NUMBER = re.compile(r"^(.*〕)\d+号$")
_WON = {"true", "1", "是"}


def write_admin_penalty(keyed: Path, index: KeyedIndex, sink: PublishedSink, scribe: Scribe) -> None:
    """admin_penalty.csv from penalties.csv."""
    file, rng, words = "admin_penalty.csv", scribe.rng, scribe.words
    numbers: set[str] = set()
    for row in keyed_rows(keyed / "penalties.csv"):
        if row["subject_type"] != "enterprise" or row["kind"] == "criminal" or row["status"] not in ("", "effective"):
            continue
        uscc, decided = row["subject_id"], row["decision_date"]
        name, variant = scribe.firm(index.firm_names[uscc], uscc, NOTICE_VARIANTS)
        shows_uscc, shows_reg, shows_org = rng.random() < 0.7, rng.random() < 0.2, rng.random() < 0.1
        reg_no = index.reg_nos.get(uscc, "") if shows_reg else ""
        code = org_code(uscc, dash=rng.random() < 0.5) if shows_org else ""
        rep = index.rep_on(uscc, decided) if rng.random() < 0.9 else None
        rep_name, rep_variant = scribe.person(index.persons[rep]) if rep else (None, "none")
        agency_id = row["agency_id"] or _usual_agency(index, scribe, row["category"], uscc)
        agency = index.agencies.get(agency_id)
        line = sink.row(file, {
            "行政处罚决定书文号": _decision_number(rng, row["description"], decided[:4], numbers), "行政相对人名称": name,
            "统一社会信用代码": uscc if shows_uscc else None, "工商注册号": reg_no, "组织机构代码": code,
            "法定代表人": rep_name, "违法行为类型": rng.choice(words.penalty_categories[row["category"]]),
            "处罚类别": _kind_words(scribe, row["kind"]), "处罚内容": row["description"],
            "罚款金额（万元）": row["amount"], "处罚决定日期": scribe.date(decided),
            "处罚机关": agency.name if agency else None,
            "处罚机关统一社会信用代码": agency_id if agency and rng.random() < 0.8 else None,
        })
        kind = "uscc" if shows_uscc else "org_code" if code else "reg_no" if reg_no else "none"
        sink.mention(file, line, "party", uscc, "enterprise", kind=kind, variant=variant)
        if rep:
            sink.mention(file, line, "legal_rep", rep, "person", variant=rep_variant, name=index.persons[rep])


def _usual_agency(index: KeyedIndex, scribe: Scribe, category: str, uscc: str) -> str:
    """The agency that penalises ``category`` in the firm's city, for keyed penalties that name none."""
    city = index.city(uscc[2:8])
    if city < 0:
        return ""
    tables = scribe.tables
    role = tables.penalties[category]["agency"]
    return index.agency_ids.get(tables.city_agencies[role]["name"].format(city=tables.cities[city].name), "")


def _decision_number(rng: random.Random, description: str, year: str, taken: set[str]) -> str:
    """The decision number that opens the keyed description; a made-up serial where it is taken."""
    first = description.split(" ", 1)[0]
    match = _NUMBER.match(first)
    head = match.group(1) if match else f"罚〔{year}〕"
    number = first if match else ""
    while not number or number in taken:
        number = f"{head}{rng.randint(10000, 99999)}号"
    taken.add(number)
    return number


def _kind_words(scribe: Scribe, kind: str) -> str:
    """处罚类别: the kind's words, on a few rows followed by a milder kind (the first word decides)."""
    rng, kinds = scribe.rng, scribe.words.penalty_kinds
    words = rng.choice(kinds[kind])
    milder = SEVERITY[SEVERITY.index(kind) + 1:]
    if milder and rng.random() < COMBINED_KINDS:
        words += ";" + rng.choice(kinds[rng.choice(milder)])
    return words


def write_shareholders(keyed: Path, index: KeyedIndex, sink: PublishedSink, scribe: Scribe) -> None:
    """registry_shareholders.csv from the shareholdings in force on the reference date."""
    file, rng, registry = "registry_shareholders.csv", scribe.rng, scribe.words.registry
    for row in keyed_rows(keyed / "shareholdings.csv"):
        if not in_force(row["start_date"], row["end_date"]):
            continue
        uscc = row["uscc"]
        firm, firm_variant = scribe.firm(index.firm_names[uscc], uscc, REGISTRY_VARIANTS)
        shows_uscc = rng.random() < 0.95
        if row["holder_type"] == "person":
            holder = person_key(row["holder_id"])
            true_name = index.persons[holder]
            name, variant = scribe.person(true_name)
            holder_type = registry["person_holder"]
            document = registry["person_documents"][_id_type(holder)]
            number, kind = _holder_id(scribe, holder, index.is_rep(holder, uscc))
        else:
            holder, true_name = row["holder_id"], None
            name, variant = scribe.firm(index.firm_names[holder], holder, REGISTRY_VARIANTS)
            holder_type = rng.choice(registry["firm_holder"])
            document = rng.choice(registry["firm_documents"])
            r = rng.random()
            number, kind = ((holder, "uscc") if r < 0.8 else
                            (org_code(holder, dash=rng.random() < 0.5), "org_code") if r < 0.9 else ("", "none"))
        line = sink.row(file, {
            "企业名称": firm, "统一社会信用代码": uscc if shows_uscc else None, "股东名称": name, "股东类型": holder_type,
            "证照/证件类型": document if rng.random() < 0.95 else None, "证照/证件号码": number,
            "认缴出资额（万元）": row["subscribed_capital"], "认缴出资日期": scribe.date(row["start_date"]),
            "持股比例": _share(scribe, row["share_pct"], uscc in index.computable_shares),
        })
        sink.mention(file, line, "enterprise", uscc, "enterprise", kind="uscc" if shows_uscc else "none",
                     variant=firm_variant)
        sink.mention(file, line, "holder", holder, row["holder_type"], kind=kind, variant=variant, name=true_name)


def _id_type(person_id: str) -> str:
    if is_resident_id(person_id):
        return "cn_id"
    return "other" if person_id[:1] in "HM" else "passport"


def _holder_id(scribe: Scribe, person_id: str, legal_rep: bool) -> tuple[str, str]:
    """A natural-person holder's ID as the registry shows it: legal representatives' mostly empty."""
    if not is_resident_id(person_id):
        return person_id, "passport"
    r = scribe.rng.random()
    empty, masked = (0.60, 0.95) if legal_rep else (0.10, 0.95)
    if r < empty:
        return "", "none"
    if r < masked:
        return mask_id(scribe.rng, person_id), "masked_id"
    return person_id, "resident_id"


def _share(scribe: Scribe, pct: str, computable: bool) -> str:
    """持股比例 as 51%, 51.00% or 51; empty on 10% of rows where the firm's capital shares give it."""
    rng = scribe.rng
    if computable and rng.random() < 0.10:
        return ""
    value = float(pct.rstrip("%"))
    r = rng.random()
    if r < 0.4:
        return f"{value:g}%"
    return f"{value:.2f}%" if r < 0.7 else f"{value:g}"


def write_officers(keyed: Path, index: KeyedIndex, sink: PublishedSink, scribe: Scribe) -> None:
    """registry_officers.csv from the officer posts in force on the reference date (no IDs)."""
    file, rng, titles = "registry_officers.csv", scribe.rng, scribe.words.registry["titles"]
    for row in keyed_rows(keyed / "officers.csv"):
        if not in_force(row["start_date"], row["end_date"]):
            continue
        uscc, person_id = row["uscc"], person_key(row["person_id"])
        firm, firm_variant = scribe.firm(index.firm_names[uscc], uscc, REGISTRY_VARIANTS)
        shows_uscc = rng.random() < 0.95
        true_name = index.persons[person_id]
        name, variant = scribe.person(true_name)
        line = sink.row(file, {"企业名称": firm, "统一社会信用代码": uscc if shows_uscc else None, "姓名": name,
                               "职务": rng.choice(titles[row["role"]])})
        sink.mention(file, line, "enterprise", uscc, "enterprise", kind="uscc" if shows_uscc else "none",
                     variant=firm_variant)
        sink.mention(file, line, "officer", person_id, "person", variant=variant, name=true_name)


def write_procurement(keyed: Path, index: KeyedIndex, sink: PublishedSink, scribe: Scribe) -> None:
    """procurement_award.csv (won bids) and then bid_opening.csv (losing bids of awarded projects)."""
    projects = {row["project_id"]: row for row in keyed_rows(keyed / "projects.csv")}
    awarded = {row["project_id"] for row in keyed_rows(keyed / "bids.csv") if row["won"] in _WON}
    for row in keyed_rows(keyed / "bids.csv"):
        if row["won"] in _WON:
            _award(index, sink, scribe, projects[row["project_id"]], row)
    for row in keyed_rows(keyed / "bids.csv"):
        if row["won"] not in _WON and row["project_id"] in awarded:
            _bid_opening(index, sink, scribe, projects[row["project_id"]], row)


def _award(index: KeyedIndex, sink: PublishedSink, scribe: Scribe, project: dict[str, str],
           bid: dict[str, str]) -> None:
    file, rng, uscc = "procurement_award.csv", scribe.rng, bid["uscc"]
    agency = index.agencies[project["agency_id"]]
    name, variant = scribe.firm(index.firm_names[uscc], uscc, NOTICE_VARIANTS)
    region = project["region_code"] or agency.region
    line = sink.row(file, {
        "项目编号": project["project_id"], "项目名称": project["name"], "采购人": agency.name,
        "采购代理机构": _agent(index, scribe, agency.region) if rng.random() < 0.6 else None, "中标供应商名称": name,
        "中标金额（万元）": bid["amount"],
        "公告日期": scribe.date(project["award_date"] or bid["bid_date"] or project["publish_date"]),
        "行政区划": region if rng.random() < 0.95 else None,
    })
    sink.mention(file, line, "procurer", project["agency_id"], "agency")
    sink.mention(file, line, "supplier", uscc, "enterprise", variant=variant)


def _agent(index: KeyedIndex, scribe: Scribe, region: str) -> str | None:
    """A procurement agent's name (采购代理机构) of the procurer's city."""
    city = index.city(region)
    if city < 0:
        return None
    pattern = scribe.rng.choice(scribe.words.agents)
    stem = scribe.tables.cities[city].name.removesuffix("市")
    return pattern.format(city=stem, trade=brand(scribe.rng, scribe.tables))


def _bid_opening(index: KeyedIndex, sink: PublishedSink, scribe: Scribe, project: dict[str, str],
                 bid: dict[str, str]) -> None:
    file, rng, uscc = "bid_opening.csv", scribe.rng, bid["uscc"]
    name, variant = scribe.firm(index.firm_names[uscc], uscc, NOTICE_VARIANTS)
    shows_uscc = rng.random() < 0.5
    line = sink.row(file, {"项目编号": project["project_id"], "项目名称": project["name"], "投标人名称": name,
                           "投标人统一社会信用代码": uscc if shows_uscc else None, "投标报价（万元）": bid["amount"],
                           "开标日期": scribe.date(bid["bid_date"])})
    sink.mention(file, line, "supplier", uscc, "enterprise", kind="uscc" if shows_uscc else "none", variant=variant)

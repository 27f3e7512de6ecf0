"""The Review page and the Subject page's published records, as text for one role.

Plain functions over a store, testable without Streamlit. ``review_page``
turns a page of the review queue (``credgraph.resolution.review_queue``) into
what the page shows: the published row beside its candidates, each with its
evidence as Chinese-first rows and the latest decision on the pair.
``linked_mentions`` lists the mentions a subject is linked to.

Every identifier, cell and evidence value passes through one function,
``shown_text``, which masks person IDs for a role without the
``see_person_ids`` right: keys of persons named on the page, an identifier a
row prints for a person, a masked ID, anything that passes the resident ID
check. Real keys stay in Python (``CandidateView.key``) for the buttons.

>>> shown_text("被执行人 44010619800101123X", "viewer")
'被执行人 4401**********123X'
>>> shown_text("E1234567", "viewer", {"E1234567"}), shown_text("E1234567", "investigator", {"E1234567"})
('E******7', 'E1234567')
>>> evidence_rows({"rule": "the resident ID is in the store", "features": {"resident_id": "44010619800101123X"}},
...               "viewer")
[{'feature': '规则 rule', 'value': 'the resident ID is in the store'}, {'feature': '证件号 resident ID', 'value': '4401**********123X'}]
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from credgraph.graph.access import mask_person_id, may_see_person_ids, require
from credgraph.graph.identifiers import MaskedId, resident_id_problem, uscc_problem
from credgraph.graph.store import GraphStore
from credgraph.resolution.provenance import subject_mentions
from credgraph.resolution.review import Decision
from credgraph.resolution.review_queue import review_queue

PAGE_SIZE = 20
LINKED_LIMIT = 200
PERSON_ID_KINDS = ("resident_id", "masked_id", "passport")
# Evidence features, Chinese first, in the order they are shown; others follow under their own name.
FEATURES = {
    "rule": "规则 rule",
    "name": "名称 name",
    "registry_name": "登记名称 registry name",
    "name_key": "名称键 name key",
    "uscc": "统一社会信用代码 USCC",
    "org_code": "组织机构代码 organisation code",
    "reg_no": "注册号 registration number",
    "resident_id": "证件号 resident ID",
    "passport": "护照号 passport",
    "masked_id": "证件号（脱敏）masked ID",
    "visible": "可见位数 characters shown",
    "persons_with_name": "同名人数 persons of this name",
    "role_in_firm": "角色 role in the firm",
    "regions_in_name": "名称中的地区 regions in the name",
    "same_region_prefix": "地区前缀相同 same region prefix",
    "region_hint": "地区 region the row gives",
    "hint_agrees": "地区相符 region agrees",
    "gender": "性别 gender",
    "age": "年龄 age",
    "why": "原因 why",
    "verdict": "决定 verdict",
    "user": "审核人 reviewer",
    "note": "备注 note",
    "decided_at": "时间 decided at",
    "decision_id": "决定编号 decision",
    "mention_id": "提及 mention",
    "subject_id": "主体 subject",
    "candidates": "候选数 candidates",
    "other_candidates": "其他候选 other candidates",
}
WORDS = {"agrees": "一致 agrees"}
YES_NO = {True: "是 yes", False: "否 no"}
_RESIDENT_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_TOKEN = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ*＊×]{6,}")


def shown_text(value: Any, role: str, person_ids: Collection[str] = ()) -> str:
    """``value`` as text for ``role``, every person ID in it masked unless the role may see them.

    A person ID is one of ``person_ids``, a masked ID, or 17 digits and a
    check character (a resident ID, or a mistyped one) that is not a firm's
    USCC, alone or inside the text.
    """
    text = _plain(value)
    if may_see_person_ids(role):
        return text
    return _TOKEN.sub(lambda m: mask_person_id(m[0]) if _is_person_id(m[0], person_ids) else m[0], text)


def _is_person_id(token: str, person_ids: Collection[str]) -> bool:
    code = unicodedata.normalize("NFKC", token).upper()
    if token in person_ids or code in person_ids or MaskedId.parse(code) is not None:
        return True
    if not _RESIDENT_SHAPE.fullmatch(code):
        return False
    return resident_id_problem(code) is None or uscc_problem(code) is not None


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES_NO[value]
    if isinstance(value, str):
        return WORDS.get(value, value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


def person_ids_in(store: GraphStore, strings: Iterable[Any], extra: Iterable[str] = ()) -> frozenset[str]:
    """The strings among ``strings`` that are persons' keys in the store, and ``extra``."""
    texts = sorted({s for s in strings if isinstance(s, str) and s})
    return frozenset(store.existing_keys("Person", texts)) | frozenset(e for e in extra if e)


def evidence_rows(evidence: Mapping[str, Any] | str | None, role: str,
                  person_ids: Collection[str] = ()) -> list[dict[str, str]]:
    """A link's or candidate's evidence as (feature, value) rows: the rule, its features, the candidates."""
    data = json.loads(evidence) if isinstance(evidence, str) and evidence else evidence or {}
    features = data.get("features")
    flat = {"rule": data.get("rule"), **(features if isinstance(features, Mapping) else {"features": features}),
            **{k: v for k, v in data.items() if k not in ("rule", "features")}}
    order = [k for k in FEATURES if k in flat] + [k for k in flat if k not in FEATURES]
    return [{"feature": FEATURES.get(k, k.replace("_", " ")), "value": shown_text(flat[k], role, person_ids)}
            for k in order if flat[k] not in (None, "", [], {})]


# -- decisions ----------------------------------------------------------------------


def latest_decisions(store: GraphStore) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest decision on every (mention, subject) pair, in the order ``read_decisions`` reads them."""
    table = store.node_table("ReviewDecision", ("mention_id", "subject_id", "verdict", "decided_at", "note", "user"))
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    order = sorted(range(len(table["key"])), key=lambda i: (table["decided_at"][i] or "", table["key"][i]))
    for i in order:
        latest[(table["mention_id"][i], table["subject_id"][i])] = {
            k: table[k][i] for k in ("verdict", "decided_at", "note", "user")} | {"decision_id": table["key"][i]}
    return latest


def decision_text(decision: Mapping[str, Any] | None) -> str:
    """A decision in a line: 'accept by ivan at 2024-07-01 10:00 UTC: court confirmed' ('' for none)."""
    if not decision:
        return ""
    when = str(decision.get("decided_at") or "")[:16].replace("T", " ")
    note = f": {decision['note']}" if decision.get("note") else ""
    return f"{decision['verdict']} by {decision.get('user') or 'unknown'} at {when} UTC{note}"


def decision_message(decision: Decision, role: str) -> str:
    """What the page says after a decision, person IDs masked as ``role`` requires."""
    ids = {decision.subject_id, decision.link or ""}
    linked = f"now linked to {decision.link}" if decision.link else "now unresolved"
    return shown_text(f"{decision.verdict}: {decision.mention_id} -> {decision.subject_id}; {linked}", role, ids)


# -- the queue ------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateView:
    """A candidate as shown; ``key`` is the real subject key, for the buttons only."""

    key: str
    label: str
    shown_key: str
    name: str
    rank: int
    score: str
    evidence: list[dict[str, str]]
    decision: str  # the latest decision on the pair, as text
    verdict: str  # its verdict when it is in force (accept or reject), else ''


@dataclass(frozen=True)
class MentionView:
    """A mention of the queue as shown: what the row says, its non-empty cells and its candidates."""

    mention_id: str
    source: str
    place: str  # file:line
    role: str
    name: str
    identifier: str
    id_kind: str
    subject_type: str
    cells: list[dict[str, str]]
    candidates: list[CandidateView]

    def row(self) -> dict[str, str]:
        """The mention as a row of the queue table."""
        return {"source": self.source, "row": self.place, "role": self.role, "name": self.name,
                "identifier": self.identifier, "candidates": str(len(self.candidates))}

    def caption(self) -> str:
        """One line naming the mention: name, role and row."""
        return f"{self.name} ({self.role}, {self.place})"


@dataclass(frozen=True)
class ReviewPage:
    """One page of the queue: its mentions, how many in all, the page number and the number of pages."""

    mentions: list[MentionView]
    total: int
    page: int
    pages: int


def review_page(store: GraphStore, role: str, source: str | None = None, unresolved: bool = False,
                page: int = 1, size: int = PAGE_SIZE, order: str = "file") -> ReviewPage:
    """Page ``page`` (from 1) of the probable (or unresolved) mentions, for a role that may review.

    ``order`` is the queue's (``file``, or ``records`` for the mentions whose candidates hold penalties
    or list entries first).
    """
    require(role, "review_links", "reviewing links")
    items, total = review_queue(store, source=source, unresolved=unresolved, limit=size, offset=(page - 1) * size,
                                order=order)
    return ReviewPage(mention_views(store, items, role), total, page, max(1, math.ceil(total / size)))


def mention_views(store: GraphStore, items: list[dict[str, Any]], role: str) -> list[MentionView]:
    """Review queue items as ``role`` may see them, with the latest decision on each pair."""
    decisions = latest_decisions(store)
    return [_mention_view(store, item, role, decisions) for item in items]


def _mention_view(store: GraphStore, item: dict[str, Any], role: str,
                  decisions: Mapping[tuple[str, str], dict[str, Any]]) -> MentionView:
    own = [item["identifier"]] if item.get("id_kind") in PERSON_ID_KINDS else []
    persons = [c["subject_id"] for c in item["candidates"] if c["label"] == "Person"]
    ids = person_ids_in(store, [*item["cells"].values(), *own], [*persons, *own])

    def show(value: Any) -> str:
        return shown_text(value, role, ids)

    candidates = []
    for cand in item["candidates"]:
        decision = decisions.get((item["mention_id"], cand["subject_id"]))
        candidates.append(CandidateView(
            key=cand["subject_id"], label=cand["label"], shown_key=show(cand["subject_id"]), name=show(cand.get("name")),
            rank=int(cand.get("rank") or 0), score=f"{cand['score']:.3f}" if cand.get("score") is not None else "",
            evidence=evidence_rows(cand.get("evidence"), role, ids), decision=decision_text(decision),
            verdict=decision["verdict"] if decision and decision["verdict"] != "undo" else ""))
    return MentionView(
        mention_id=item["mention_id"], source=str(item.get("source") or ""), place=f"{item['file']}:{item['line']}",
        role=str(item.get("role") or ""), name=show(item.get("name")), identifier=show(item.get("identifier")),
        id_kind=str(item.get("id_kind") or ""), subject_type=str(item.get("subject_type") or ""),
        cells=[{"column": str(c), "value": show(v)} for c, v in item["cells"].items() if v not in (None, "")],
        candidates=candidates)


def mention_sources(store: GraphStore) -> list[str]:
    """The published sources that have mentions, by name."""
    return sorted({s for s in store.node_table("Mention", ("source",))["source"] if s})


@dataclass(frozen=True)
class DecisionView:
    """A decision in force, as a row of the recent decisions, with the pair it is on."""

    mention_id: str
    subject_id: str
    row: dict[str, str]


def recent_decisions(store: GraphStore, role: str, limit: int = 20) -> list[DecisionView]:
    """The latest accept and reject decisions still in force (not undone), newest first."""
    latest = [(pair, d) for pair, d in latest_decisions(store).items() if d["verdict"] != "undo"]
    latest.sort(key=lambda item: (item[1]["decided_at"] or "", item[1]["decision_id"]), reverse=True)
    return [_decision_view(store, mention_id, subject_id, decision, role)
            for (mention_id, subject_id), decision in latest[:limit]]


def _decision_view(store: GraphStore, mention_id: str, subject_id: str, decision: Mapping[str, Any],
                   role: str) -> DecisionView:
    mention = store.get_node("Mention", mention_id)
    subject = next((n for n in store.find_nodes(subject_id) if n.label in ("Enterprise", "Person", "Agency")), None)
    ids = {subject_id} if subject is not None and subject.label == "Person" else set()
    said = ""
    if mention is not None:
        said = (f"{mention.name or ''} ({mention.props.get('role')}, "
                f"{mention.provenance.get('source_file')}:{mention.provenance.get('source_line')})")
    return DecisionView(mention_id, subject_id, {
        "decided": shown_text(decision_text(decision), role, ids),
        "mention": shown_text(said, role, ids),
        "subject": shown_text(f"{subject.name if subject else ''} ({subject_id})", role, ids),
        "mention id": shown_text(mention_id, role, ids)})


# -- the Subject page -------------------------------------------------------------------


def linked_mentions(store: GraphStore, key: str, role: str, limit: int = LINKED_LIMIT) -> tuple[list[dict[str, str]], int]:
    """The mentions ``key`` is linked to by ``SAME_AS`` (at most ``limit``, by source and row) and how many in all."""
    linked, total = subject_mentions(store, key)
    ids = {str(m["identifier"] or "") for m in linked if m["id_kind"] in PERSON_ID_KINDS}
    if linked and linked[0]["subject_label"] == "Person":
        ids.add(key)
    return [{
        "source": str(m["source"] or ""), "row": f"{m['file']}:{m['line']}",
        "role": str(m["role"] or ""), "name": str(m["name"] or ""),
        "identifier": shown_text(m["identifier"], role, ids),
        "grade": str(m["grade"] or ""), "score": f"{m['score']:.3f}" if m["score"] is not None else "",
        "by": str(m["method"] or ""), "record": str(m["record_id"] or "")} for m in linked[:limit]], total

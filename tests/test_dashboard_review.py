"""The Review page and the Subject page's published records: plain functions, then the app (AppTest).

The world is the hand-drawn registry of ``tests.published_world`` and one court list whose rows
are each a case: a masked ID two persons share (probable, two candidates), a name alone
(unresolved), a full resident ID (exact), a resident ID under another name and a passport under
another name (probable, one candidate each), a firm by its organisation code with 李娜 as its
legal representative (derived, and 李娜 strong).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from credgraph.dashboard.review_view import (
    decision_message,
    evidence_rows,
    latest_decisions,
    linked_mentions,
    mention_sources,
    mention_views,
    recent_decisions,
    review_page,
    shown_text,
)
from credgraph.graph.access import ROLES, allows, mask_person_id
from credgraph.graph.errors import AccessDeniedError, ConfigError
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from credgraph.resolution.review import Decision, decide, read_decisions
from credgraph.resolution.review_queue import review_queue
from streamlit.testing.v1 import AppTest

from tests.dashboard_fixtures import write_users
from tests.published_world import (
    HUAXIN,
    LI_NA,
    PASSPORT,
    WANG,
    XINDA,
    ZW1,
    ZW2,
    court_row,
    link_of,
    load_registry,
    load_source,
    mention_at,
    published,
)
from tests.test_dashboard_app import app_as
from tests.test_dashboard_app import shown_text as page_text

NAME, ID = "被执行人姓名/名称", "身份证号码/组织机构代码"
MASKED = ZW1[:6] + "*" * 12


def court_world(store: GraphStore, tmp_path: Path) -> None:
    """The registry and the court list of the module docstring, loaded and resolved (lines 2 to 7)."""
    load_registry(store, tmp_path)
    rows = [court_row(**{NAME: "张伟", ID: MASKED}),
            court_row(**{"案号": "（2023）粤01执2号", NAME: "王芳"}),
            court_row(**{"案号": "（2023）粤01执3号", NAME: "李娜", ID: LI_NA}),
            court_row(**{"案号": "（2023）粤01执4号", NAME: "张卫", ID: ZW1}),
            court_row(**{"案号": "（2023）粤01执5号", NAME: "John Smyth", ID: PASSPORT}),
            court_row(**{"案号": "（2023）粤01执6号", NAME: "广州市华信贸易有限公司", ID: HUAXIN[8:17],
                         "法定代表人或者负责人姓名": "李娜"})]
    load_source(store, published(tmp_path / "in", "court_dishonest", rows), "court_dishonest", tmp_path)


@pytest.fixture
def world(sqlite_store: SqliteStore, tmp_path: Path) -> SqliteStore:
    court_world(sqlite_store, tmp_path)
    return sqlite_store


def shown(views: list[Any]) -> str:
    """Everything a page would show of ``views``: every field but the real keys kept for the buttons."""
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "key"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return repr([strip(dataclasses.asdict(v)) for v in views])


# -- rights and masking -----------------------------------------------------------------


def test_reviewing_links_needs_an_investigator(world: SqliteStore) -> None:
    assert [allows(role, "review_links") for role in ROLES] == [False, True, True, True]
    with pytest.raises(AccessDeniedError, match="reviewing links"):
        review_page(world, "viewer")


@pytest.mark.parametrize("text, ids, viewer", [
    (f"被执行人 {ZW1} 已列入", (), f"被执行人 {mask_person_id(ZW1)} 已列入"),
    (MASKED, (), mask_person_id(MASKED)),
    (ZW1[:-1] + ("0" if ZW1[-1] != "0" else "1"), (), mask_person_id(ZW1)[:-1] + ("0" if ZW1[-1] != "0" else "1")),
    ("".join(chr(ord(c) + 0xFEE0) for c in ZW1), (), "４４０１" + "*" * 10 + "".join(chr(ord(c) + 0xFEE0) for c in ZW1[-4:])),
    (PASSPORT, (PASSPORT,), "E******7"),
    (PASSPORT, (), PASSPORT),
    (f"{HUAXIN} {XINDA}", (), f"{HUAXIN} {XINDA}"),
    ("914403001922038216", (), "914403001922038216"),  # a firm's USCC of digits only
    ([ZW1, ZW2], (), f"{mask_person_id(ZW1)}、{mask_person_id(ZW2)}"),
])
def test_shown_text_masks_every_person_id_for_a_viewer_only(text: Any, ids: tuple[str, ...], viewer: str) -> None:
    assert shown_text(text, "viewer", ids) == viewer
    assert shown_text(text, "investigator", ids) == ("、".join(text) if isinstance(text, list) else text)


def test_no_person_id_of_the_queue_reaches_a_role_without_the_right(world: SqliteStore) -> None:
    items, _ = review_queue(world)
    viewer, investigator = shown(mention_views(world, items, "viewer")), shown(mention_views(world, items, "investigator"))
    for person_id in (ZW1, ZW2, PASSPORT):
        assert person_id not in viewer and person_id in investigator
    assert mask_person_id(ZW1) in viewer and "E******7" in viewer


# -- the queue ----------------------------------------------------------------------------


def test_the_page_shows_the_published_row_beside_its_ranked_candidates(world: SqliteStore) -> None:
    page = review_page(world, "investigator")
    assert (page.total, page.pages) == (3, 1)
    assert [(m.place, m.name) for m in page.mentions] == [
        ("court_dishonest.csv:2", "张伟"), ("court_dishonest.csv:5", "张卫"), ("court_dishonest.csv:6", "John Smyth")]
    first = page.mentions[0]
    assert {"column": "案号", "value": "（2023）粤01执1号"} in first.cells and all(c["value"] for c in first.cells)
    assert [(c.key, c.rank, c.name) for c in first.candidates] == [(ZW1, 1, "张伟"), (ZW2, 2, "张伟")]
    evidence = first.candidates[0].evidence
    rows = {r["feature"]: r["value"] for r in evidence}
    assert evidence[0]["feature"] == "规则 rule"
    assert rows["证件号（脱敏）masked ID"] == MASKED and rows["同名人数 persons of this name"] == "2"


def test_pages_hold_page_size_mentions_and_count_them_all(world: SqliteStore) -> None:
    second = review_page(world, "investigator", page=2, size=2)
    assert (second.total, second.pages, [m.place for m in second.mentions]) == (3, 2, ["court_dishonest.csv:6"])
    unresolved = review_page(world, "investigator", source="court_dishonest", unresolved=True)
    assert [(m.name, m.candidates) for m in unresolved.mentions] == [("王芳", [])]
    assert review_page(world, "investigator", source="admin_penalty").total == 0
    assert [m.place for m in review_page(world, "investigator", order="records").mentions] == [
        "court_dishonest.csv:2", "court_dishonest.csv:5", "court_dishonest.csv:6"]
    with pytest.raises(ConfigError, match="unknown review order"):
        review_page(world, "investigator", order="name")
    assert mention_sources(world) == ["court_dishonest"]


def test_evidence_reads_as_chinese_first_rows() -> None:
    evidence = {"rule": "the normalised name singles out one firm in its region",
                "features": {"name_key": "华信贸易|ltd|", "regions_in_name": ["广州"], "hint_agrees": True,
                             "org_code": "MA5AB0013", "name": "agrees", "extra_fact": 1.5},
                "candidates": 2, "other_candidates": [ZW2]}
    assert evidence_rows(evidence, "viewer") == [
        {"feature": "规则 rule", "value": "the normalised name singles out one firm in its region"},
        {"feature": "名称 name", "value": "一致 agrees"},
        {"feature": "名称键 name key", "value": "华信贸易|ltd|"},
        {"feature": "组织机构代码 organisation code", "value": "MA5AB0013"},
        {"feature": "名称中的地区 regions in the name", "value": "广州"},
        {"feature": "地区相符 region agrees", "value": "是 yes"},
        {"feature": "候选数 candidates", "value": "2"},
        {"feature": "其他候选 other candidates", "value": mask_person_id(ZW2)},
        {"feature": "extra fact", "value": "1.5"},
    ]


# -- decisions --------------------------------------------------------------------------


def test_each_candidate_shows_the_latest_decision_on_its_pair(world: SqliteStore) -> None:
    mid = mention_at(world, 2, "debtor")
    decide(world, mid, ZW2, "reject", "other birth date", "ivan")
    first, second = review_page(world, "investigator").mentions[0].candidates
    assert (first.decision, first.verdict, second.verdict) == ("", "", "reject")
    assert second.decision.startswith("reject by ivan at ") and second.decision.endswith(" UTC: other birth date")
    decide(world, mid, ZW2, "undo", "", "ana")
    second = review_page(world, "investigator").mentions[0].candidates[1]
    assert second.verdict == "" and second.decision.startswith("undo by ana")


def test_the_latest_decisions_are_those_resolution_keeps(world: SqliteStore) -> None:
    m2, m5, m6 = (mention_at(world, line, "debtor") for line in (2, 5, 6))
    for mention, subject, verdict in [(m2, ZW1, "accept"), (m2, ZW2, "reject"), (m5, ZW1, "reject"),
                                      (m2, ZW1, "undo"), (m6, PASSPORT, "accept"), (m5, ZW1, "accept")]:
        decide(world, mention, subject, verdict)
    latest, kept = latest_decisions(world), read_decisions(world)
    assert {m: (s, d["decision_id"]) for m, (s, _, d) in kept.accepted.items()} == {
        m: (s, d["decision_id"]) for (m, s), d in latest.items() if d["verdict"] == "accept"}
    assert kept.rejected == {pair for pair, d in latest.items() if d["verdict"] == "reject"}


def test_recent_decisions_are_those_in_force_newest_first(world: SqliteStore) -> None:
    m2, m6 = mention_at(world, 2, "debtor"), mention_at(world, 6, "debtor")
    decide(world, m2, ZW1, "accept", "court confirmed", "ivan")
    decide(world, m6, PASSPORT, "reject", "", "ivan")
    recent = recent_decisions(world, "viewer")
    assert [(d.mention_id, d.subject_id) for d in recent] == [(m6, PASSPORT), (m2, ZW1)]
    assert recent[1].row["mention"] == "张伟 (debtor, court_dishonest.csv:2)"
    assert recent[1].row["subject"] == f"张伟 ({mask_person_id(ZW1)})" and ZW1 not in repr([d.row for d in recent])
    decide(world, m2, ZW1, "undo", "", "ivan")
    assert [d.mention_id for d in recent_decisions(world, "investigator")] == [m6]


def test_the_message_after_a_decision_masks_the_subject() -> None:
    accepted = Decision("decision-1", "court_dishonest:ab/debtor", ZW1, "accept", ZW1)
    assert decision_message(accepted, "viewer") == \
        f"accept: court_dishonest:ab/debtor -> {mask_person_id(ZW1)}; now linked to {mask_person_id(ZW1)}"
    assert decision_message(Decision("d", "m", ZW1, "reject", None), "investigator") == f"reject: m -> {ZW1}; now unresolved"


# -- the Subject page's published records -------------------------------------------------


def test_a_subject_lists_the_published_rows_linked_to_it_masked_by_role(world: SqliteStore) -> None:
    rows, total = linked_mentions(world, LI_NA, "viewer")
    assert total == 2
    assert [(r["row"], r["role"], r["grade"], r["identifier"]) for r in rows] == [
        ("court_dishonest.csv:4", "debtor", "exact", mask_person_id(LI_NA)),
        ("court_dishonest.csv:7", "legal_rep", "strong", "")]
    assert rows[0]["record"].startswith("court_dishonest:") and LI_NA not in repr(rows)
    assert linked_mentions(world, LI_NA, "investigator")[0][0]["identifier"] == LI_NA
    assert linked_mentions(world, LI_NA, "viewer", limit=1) == (rows[:1], 2)
    assert linked_mentions(world, HUAXIN, "viewer")[0][0]["grade"] == "derived"
    assert linked_mentions(world, XINDA, "viewer") == ([], 0)


# -- the app ------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A store file holding the court world, served to the app with a users file of every role."""
    store = SqliteStore(tmp_path / "review.db")
    store.ensure_schema()
    court_world(store, tmp_path)
    store.close()
    monkeypatch.setenv("CREDGRAPH_DB", str(tmp_path / "review.db"))
    monkeypatch.setenv("CREDGRAPH_USERS", str(write_users(tmp_path / "users.json")))
    yield str(tmp_path / "review.db")


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.parametrize("name, offered", [("vera", False), ("ivan", True), ("ana", True), ("adam", True)])
def test_the_review_page_is_offered_to_investigators_and_up(db: str, name: str, offered: bool) -> None:
    assert ("Review" in app_as(name).radio(key="page").options) == offered


def _review_page_alone() -> None:
    from credgraph.dashboard.views import review

    review.render()


def test_a_viewer_who_reaches_the_review_page_sees_no_queue(db: str) -> None:
    assert app_as("vera", "Review").radio(key="page").value == "Search"
    at = AppTest.from_function(_review_page_alone)
    at.session_state["role"] = "viewer"
    at.run()
    assert at.warning[0].value.startswith("Reviewing links needs the investigator role") and not at.dataframe


def test_an_investigator_sees_the_queue_and_the_row_beside_its_candidates(db: str) -> None:
    at = app_as("ivan", "Review")
    assert "3 probable mentions; page 1 of 1, 20 a page" in captions(at)
    assert at.dataframe[0].value["name"].tolist() == ["张伟", "张卫", "John Smyth"]
    assert "（2023）粤01执1号" in at.dataframe[1].value["value"].tolist()
    assert at.button(key="review_accept_1") and at.button(key="review_open_0")
    event = SqliteStore(db).audit_log(1, action="review list")[0]
    assert (event.user, event.details["shown"], event.details["order"]) == ("ivan", 3, "file")
    at.selectbox(key="review_order").set_value("records").run()
    assert not at.exception and SqliteStore(db).audit_log(1, action="review list")[0].details["order"] == "records"


def test_accepting_a_candidate_links_the_mention_records_and_audits_it_and_undo_takes_it_back(db: str) -> None:
    store = SqliteStore(db)
    mid = mention_at(store, 2, "debtor")
    at = app_as("ivan", "Review")
    at.text_input(key="review_note").input("court confirmed")
    at.button(key="review_accept_1").click().run()
    assert not at.exception and link_of(store, mid) == (ZW2, "strong")
    assert [(n.props["verdict"], n.props["user"], n.props["note"]) for n in store.iter_nodes(["ReviewDecision"])] == [
        ("accept", "ivan", "court confirmed")]
    assert store.audit_log(1, action="review accept")[0].user == "ivan"
    assert f"now linked to {ZW2}" in at.success[0].value.replace("\\", "")
    assert "2 probable mentions; page 1 of 1, 20 a page" in captions(at) and at.text_input(key="review_note").value == ""
    at.button(key="review_undo_recent").click().run()
    assert not at.exception and link_of(store, mid) is None
    assert store.audit_log(1, action="review undo")[0].user == "ivan"
    assert sorted(n.props["verdict"] for n in store.iter_nodes(["ReviewDecision"])) == ["accept", "undo"]


def test_an_unresolved_mention_is_linked_to_a_subject_by_its_key(db: str) -> None:
    at = app_as("ivan", "Review")
    at.toggle(key="review_unresolved").set_value(True).run()
    assert "1 unresolved mention; page 1 of 1, 20 a page" in captions(at)
    at.text_input(key="review_other").input(WANG)
    at.button(key="review_accept_other").click().run()
    assert link_of(SqliteStore(db), mention_at(SqliteStore(db), 3, "debtor")) == (WANG, "strong")


def test_open_subject_shows_the_candidates_page(db: str) -> None:
    at = app_as("ivan", "Review")
    at.button(key="review_open_0").click().run()
    assert at.radio(key="page").value == "Subject" and at.session_state["subject"] == ZW1


def test_the_subject_page_lists_its_published_records_masked_for_a_viewer(db: str) -> None:
    viewer = app_as("vera", "Subject", subject=LI_NA)
    linked = next(df.value for df in viewer.dataframe if "identifier" in df.value.columns)
    assert linked["row"].tolist() == ["court_dishonest.csv:4", "court_dishonest.csv:7"]
    assert linked["identifier"].tolist() == [mask_person_id(LI_NA), ""] and LI_NA not in page_text(viewer)
    investigator = app_as("ivan", "Subject", subject=LI_NA)
    assert LI_NA in next(df.value for df in investigator.dataframe if "identifier" in df.value.columns)["identifier"].tolist()

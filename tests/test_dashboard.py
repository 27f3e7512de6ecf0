"""The dashboard's library: users file, masking, network renderer, search, profile, paths, findings."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credgraph.cli.app import main
from credgraph.dashboard.display import node_caption, record_state
from credgraph.dashboard.explorer import explorer_subgraph
from credgraph.dashboard.findings_view import finding_rows, shown_evidence
from credgraph.dashboard.jobs_view import run_job
from credgraph.dashboard.network_html import PHYSICS_LIMIT, _script_json, cap_neighbours, network_html
from credgraph.dashboard.paths import shortest_paths
from credgraph.dashboard.subjects import load_profile, search_subjects
from credgraph.dashboard.users import add_user, authenticate, list_users, remove_user
from credgraph.graph.errors import AccessDeniedError, ConfigError, NotFoundError
from credgraph.graph.records import Node, Relationship, Subgraph
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from tests.dashboard_fixtures import AS_OF, HOSTILE, HOSTILE_NAME, fill_store
from tests.sample_graph import E1, E2, E3, P1, P3

MASKED_P1 = "4401**********0019"


@pytest.fixture
def filled(sqlite_store: SqliteStore) -> SqliteStore:
    fill_store(sqlite_store)
    return sqlite_store


# -- users file ----------------------------------------------------------------

def test_users_file_keeps_no_password_and_a_salt_per_user(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    add_user(path, "a", "same password", "viewer")
    add_user(path, "b", "same password", "viewer")
    data = json.loads(path.read_text())["users"]
    assert "same password" not in path.read_text()
    assert data["a"]["salt"] != data["b"]["salt"] and data["a"]["hash"] != data["b"]["hash"]


def test_users_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    add_user(path, "a", "a password", "viewer")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_authenticate_accepts_the_password_and_refuses_others(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    add_user(path, "alice", "correct horse", "investigator")
    assert authenticate(path, "alice", "correct horse").role == "investigator"  # type: ignore[union-attr]
    assert authenticate(path, "alice", "correct hors") is None
    assert authenticate(path, "mallory", "correct horse") is None


@pytest.mark.parametrize("name, password, role", [("a b", "long enough", "viewer"), ("a", "short", "viewer"),
                                                  ("a", "long enough", "superuser")])
def test_add_user_refuses_bad_names_short_passwords_and_unknown_roles(tmp_path: Path, name: str, password: str,
                                                                      role: str) -> None:
    with pytest.raises(ConfigError):
        add_user(tmp_path / "u.json", name, password, role)


def test_adding_an_existing_user_needs_replace(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    add_user(path, "a", "first password", "viewer")
    with pytest.raises(ConfigError, match="already exists"):
        add_user(path, "a", "second password", "admin")
    add_user(path, "a", "second password", "admin", replace=True)
    assert authenticate(path, "a", "second password").role == "admin"  # type: ignore[union-attr]


def test_users_command_adds_lists_and_removes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a long password\n"))
    assert main(["users", "add", "zoe", "--role", "analyst", "--password-stdin", "--users", str(path)]) == 0
    assert main(["users", "list", "--json", "--users", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)[0] == {"name": "zoe", "role": "analyst",
                                                      "created": list_users(path)[0].created}
    assert main(["users", "remove", "zoe", "--users", str(path)]) == 0
    assert list_users(path) == []
    assert main(["users", "remove", "zoe", "--users", str(path)]) == 2


def test_remove_user_names_a_missing_user(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no user 'x'"):
        remove_user(tmp_path / "u.json", "x")


def test_dashboard_command_fails_in_one_line_without_a_store(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dashboard", "--db", str(tmp_path / "missing.db")]) == 1
    assert capsys.readouterr().err.strip().startswith("Error: no store at")


# -- network renderer ------------------------------------------------------------

def test_network_html_escapes_a_hostile_name_out_of_the_script(filled: SqliteStore) -> None:
    page = network_html(filled.neighbourhood(HOSTILE, 1), role="viewer", focus=HOSTILE)
    assert HOSTILE_NAME not in page and "<script>window.__xss" not in page
    assert "\\u003cscript\\u003ewindow.__xss" in page


def test_network_html_masks_person_ids_below_investigator(filled: SqliteStore) -> None:
    sub = filled.neighbourhood(E1, 2)
    assert P1 not in network_html(sub, role="viewer") and MASKED_P1 in network_html(sub, role="viewer")
    assert P1 in network_html(sub, role="investigator")


def test_network_html_needs_no_network_access(filled: SqliteStore) -> None:
    page = network_html(filled.neighbourhood(E1, 1), role="viewer", standalone=True)
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)
    assert "vis.Network" in page and "<h1>Network of" in page


def test_network_html_refuses_a_height_that_is_not_a_css_length(filled: SqliteStore) -> None:
    with pytest.raises(ConfigError):
        network_html(filled.neighbourhood(E1, 1), role="viewer", height="1px;}</style><script>")


def _star(n: int) -> Subgraph:
    hub = Node("Address", "hub", {})
    firms = [Node("Enterprise", f"e{i:04d}", {"name": f"firm {i}"}) for i in range(n)]
    rels = tuple(Relationship("HAS_ADDRESS", "Enterprise", f.key, "Address", "hub", "", {}) for f in firms)
    return Subgraph((hub, *firms), rels, {"hub": 0})


def test_a_supernode_shows_max_neighbours_and_one_n_more_node() -> None:
    view = cap_neighbours(_star(120), "hub", max_neighbours=50)
    assert len(view.nodes) == 51 and view.more == {"hub": 70}
    assert "70 more" in network_html(_star(120), role="viewer", max_neighbours=50)


def test_worst_graded_neighbours_are_kept_when_capping() -> None:
    sub = _star(10)
    worst = Node("Enterprise", "zz-worst", {}, {"grade": "D"})
    sub = Subgraph((*sub.nodes, worst), (*sub.relationships,
                   Relationship("HAS_ADDRESS", "Enterprise", "zz-worst", "Address", "hub", "", {})), sub.depth)
    assert [n.key for n in cap_neighbours(sub, "hub", 1).nodes] == ["hub", "zz-worst"]


def test_physics_is_off_above_the_limit_and_on_below() -> None:
    big, small = network_html(_star(PHYSICS_LIMIT + 10), role="viewer", max_neighbours=1000), \
        network_html(_star(10), role="viewer")
    assert '"physics": {"enabled": false' in big and '"physics": {"enabled": true' in small


@given(st.text())
def test_script_json_never_holds_markup_and_round_trips(text: str) -> None:
    encoded = _script_json({"label": text})
    assert not set("<>&") & set(encoded)
    assert json.loads(encoded) == {"label": text}


# -- search, profile, masking ------------------------------------------------------

def test_search_masks_person_ids_for_a_viewer_only(filled: SqliteStore) -> None:
    assert [h.row()["id"] for h in search_subjects(filled, "张三", "viewer")] == [MASKED_P1]
    assert [h.row()["id"] for h in search_subjects(filled, "张三", "investigator")] == [P1]


def test_search_by_person_id_returns_the_person_masked(filled: SqliteStore) -> None:
    hits = search_subjects(filled, P1, "viewer")
    assert hits[0].key == P1 and hits[0].shown == MASKED_P1


def test_profile_shows_beneficial_owner_and_controller(filled: SqliteStore) -> None:
    profile = load_profile(filled, E2, "viewer", AS_OF)
    assert profile.owners[0]["owner"] == f"张三 ({MASKED_P1})" and profile.owners[0]["effective %"] == "60"
    assert profile.controller.startswith(f"张三 ({MASKED_P1})")
    assert P1 not in json.dumps(vars(profile), ensure_ascii=False, default=str)


def test_profile_records_say_whether_they_are_in_force(filled: SqliteStore) -> None:
    record = load_profile(filled, P3, "investigator", AS_OF).records[0]
    assert record["record"] == "list: dishonest_debtor" and record["on 2024-06-30"] == "ended"
    assert load_profile(filled, P3, "investigator", __import__("datetime").date(2020, 1, 1)).records[0][
        "on 2020-01-01"] == "in force"


def test_profile_lists_the_findings_the_subject_is_in(filled: SqliteStore) -> None:
    findings = load_profile(filled, E2, "viewer", AS_OF).findings
    assert [(f["finding"], f["subjects"]) for f in findings] == [("F1", f"{MASKED_P1}, {E2}")]


def test_profile_of_an_unknown_key_is_not_found(filled: SqliteStore) -> None:
    with pytest.raises(NotFoundError):
        load_profile(filled, "nope", "viewer", AS_OF)


def test_record_state_reads_repaired_penalties() -> None:
    penalty = Node("Penalty", "X", {"status": "repaired", "decision_date": AS_OF})
    assert record_state(penalty, AS_OF) == "repaired"


def test_node_caption_masks_a_person_for_a_viewer() -> None:
    assert node_caption(Node("Person", P1, {"name": "张三"}), "viewer") == f"张三 ({MASKED_P1})"


# -- explorer, paths, findings, jobs ------------------------------------------------

def test_expanding_a_node_adds_its_neighbours_one_hop_further(filled: SqliteStore) -> None:
    sub = explorer_subgraph(filled, E1, 1, expanded=[E3])
    assert "13800138000" in {n.key for n in sub.nodes} and sub.depth["13800138000"] == 2


def test_shortest_paths_respect_the_hop_bound(filled: SqliteStore) -> None:
    assert shortest_paths(filled, P3, E1, max_hops=6) == []
    paths = shortest_paths(filled, P1, E3, max_hops=2)
    assert {tuple(p.keys) for p in paths} == {(P1, E1, E3), (P1, E2, E3)}
    assert shortest_paths(filled, P1, E3, max_hops=1) == []


def test_path_caption_masks_person_ids(filled: SqliteStore) -> None:
    caption = shortest_paths(filled, P1, E3, max_hops=2)[0].caption("viewer")
    assert MASKED_P1 in caption and P1 not in caption


def test_shortest_paths_refuse_an_unbounded_search(filled: SqliteStore) -> None:
    with pytest.raises(ConfigError):
        shortest_paths(filled, P1, E3, max_hops=9)


def test_finding_evidence_and_rows_mask_person_ids_for_a_viewer(filled: SqliteStore) -> None:
    finding = filled.findings()[0]
    evidence = shown_evidence(filled, dict(finding.evidence), "viewer")
    assert evidence == {"principal": MASKED_P1, "new_firm": E2, "listed": "2019-05-01"}
    assert finding_rows(filled, [finding], "viewer")[0]["subjects"] == f"{MASKED_P1}, {E2}"


def test_jobs_need_the_analyst_role(tmp_path: Path) -> None:
    with pytest.raises(AccessDeniedError):
        run_job(str(tmp_path / "x.db"), "risk", "investigator", "ivan")


def test_risk_job_records_a_run_and_an_audit_event(tmp_path: Path) -> None:
    db = tmp_path / "jobs.db"
    store: GraphStore = SqliteStore(db)
    store.ensure_schema()
    fill_store(store)
    steps: list[tuple[str, int, int]] = []
    result = run_job(str(db), "risk", "analyst", "ana", AS_OF, progress=lambda *step: steps.append(step))
    assert steps == [("risk", 0, 1), ("risk", 1, 1)] and result.summary["subjects"] > 0
    assert store.runs("risk")[0].run_id == result.run_id
    assert store.audit_log(1, user="ana", action="risk")[0].target == result.run_id


def test_profile_of_a_firm_that_has_ended_says_so_instead_of_failing(filled: SqliteStore) -> None:
    from tests.sample_graph import E4

    profile = load_profile(filled, E4, "viewer", AS_OF)
    assert profile.owners == [] and "not in force on 2024-06-30" in profile.ownership_notes[0]

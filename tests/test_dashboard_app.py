"""The Streamlit app, page by page, through ``streamlit.testing.v1.AppTest`` on real stores."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from credgraph.dashboard.export_view import export_available
from credgraph.dashboard.jobs_view import detection_available
from credgraph.graph.neo4j_store import Neo4jStore
from credgraph.graph.sqlite_store import SqliteStore
from tests.dashboard_fixtures import HOSTILE, HOSTILE_NAME, PASSWORDS, ROLES, fill_store, write_users
from tests.sample_graph import E1, E2, P1

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
MASKED_P1 = "4401**********0019"
TIMEOUT = 120


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A store file holding the sample graph, served to the app with a users file of every role."""
    path = tmp_path / "dash.db"
    store = SqliteStore(path)
    store.ensure_schema()
    fill_store(store)
    store.close()
    monkeypatch.setenv("CREDGRAPH_DB", str(path))
    monkeypatch.setenv("CREDGRAPH_USERS", str(write_users(tmp_path / "users.json")))
    yield str(path)


def app_as(name: str, page: str = "Search", **state: object) -> AppTest:
    """The app run once, signed in as ``name``, on ``page``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["user"] = name
    at.session_state["role"] = ROLES[name]
    at.session_state["goto"] = page
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def frames(at: AppTest) -> list[str]:
    """The HTML of every iframe on the page."""
    return [element.proto.srcdoc for element in at.get("iframe")]


def network_args(at: AppTest) -> dict[str, Any]:
    """The arguments the explorer's component got (all the browser learns of the drawing)."""
    [component] = at.get("component_instance")
    args: dict[str, Any] = json.loads(component.proto.json_args)
    return args


def click(at: AppTest, action: str, node: str, nonce: str, version: str | None = None) -> AppTest:
    """Run ``at`` as if the component had sent a click on the opaque node id ``node``."""
    at.session_state["net_click"] = {"action": action, "node": node, "nonce": nonce,
                                     "version": version or network_args(at)["version"]}
    return at.run()


def node_id(at: AppTest, text: str) -> str:
    """The opaque id of the first node drawn whose tooltip holds ``text``."""
    return str(next(n["id"] for n in network_args(at)["nodes"] if text in n["title"]))


def centred_on(at: AppTest) -> str:
    """The explorer's caption: whom the drawing is centred on, and its size."""
    return next(c.value for c in at.caption if c.value.startswith("Centred on"))


def shown_text(at: AppTest) -> str:
    """Every table cell, text and caption on the page, as one string."""
    parts = [str(df.value.to_dict()) for df in at.dataframe]
    parts += [t.value for t in at.text] + [c.value for c in at.caption] + [h.value for h in at.header]
    return "\n".join(parts)


def test_sign_in_with_the_right_password_opens_search_and_is_audited(db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="login_user").input("ivan")
    at.text_input(key="login_password").input(PASSWORDS["ivan"])
    at.button[0].click().run()
    assert at.session_state["role"] == "investigator" and at.radio(key="page").value == "Search"
    assert SqliteStore(db).audit_log(1, action="login")[0].user == "ivan"


def test_sign_in_with_a_wrong_password_is_refused(db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input(key="login_user").input("ivan")
    at.text_input(key="login_password").input("not the password")
    at.button[0].click().run()
    assert "user" not in at.session_state and at.error[0].value == "Wrong user name or password."


def test_without_users_the_app_says_how_to_add_one(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDGRAPH_USERS", str(tmp_path / "none.json"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert "credgraph users add NAME --role admin" in at.error[0].value


@pytest.mark.parametrize("name, jobs, audit", [("vera", False, False), ("ivan", False, False),
                                               ("ana", True, False), ("adam", True, True)])
def test_pages_offered_follow_the_role(db: str, name: str, jobs: bool, audit: bool) -> None:
    pages = app_as(name).radio(key="page").options
    assert ("Jobs" in pages, "Audit" in pages) == (jobs, audit)


def test_search_shows_masked_person_ids_to_a_viewer(db: str) -> None:
    at = app_as("vera")
    at.text_input(key="search_text").input("张三").run()
    assert at.dataframe[0].value["id"].tolist() == [MASKED_P1]
    assert P1 not in shown_text(at) and P1 not in str(at.selectbox(key="search_choice").options)


def test_search_shows_full_person_ids_to_an_investigator(db: str) -> None:
    at = app_as("ivan")
    at.text_input(key="search_text").input("张三").run()
    assert at.dataframe[0].value["id"].tolist() == [P1]


def test_opening_a_subject_shows_its_page_and_audits_the_view(db: str) -> None:
    at = app_as("vera")
    at.text_input(key="search_text").input("小米").run()
    at.button(key="search_open").click().run()
    assert at.radio(key="page").value == "Subject" and at.header[0].value.startswith("小米科技有限责任公司")
    event = SqliteStore(db).audit_log(1, action="view_subject")[0]
    assert (event.user, event.target) == ("vera", E2)


def test_subject_page_shows_owners_records_and_findings_masked_for_a_viewer(db: str) -> None:
    at = app_as("vera", "Subject", subject=E2)
    text = shown_text(at)
    assert f"张三 ({MASKED_P1})" in text and "F1" in text and P1 not in text
    assert any("Actual controller: 张三" in t.value for t in at.text)


def test_subject_network_is_drawn_without_unmasked_ids_for_a_viewer(db: str) -> None:
    data = json.dumps(network_args(app_as("vera", "Subject", subject=E2)), ensure_ascii=False)
    assert MASKED_P1 in data and P1 not in data


def test_hostile_firm_name_reaches_the_network_only_as_node_data(db: str) -> None:
    args = network_args(app_as("ivan", "Subject", subject=HOSTILE))
    assert any(n["title"].startswith(f"Enterprise: {HOSTILE_NAME}") for n in args["nodes"])
    assert "<script" not in json.dumps({k: v for k, v in args.items() if k not in ("nodes", "edges")})


def test_a_click_on_a_node_recentres_the_network_on_it(db: str) -> None:
    at = app_as("vera", "Subject", subject=E2)
    click(at, "focus", node_id(at, "张三"), "c1")
    assert at.session_state["net_centre"] == P1
    assert centred_on(at).startswith("Centred on 张三") and P1 not in json.dumps(network_args(at))


def test_a_double_click_on_a_node_expands_it(db: str) -> None:
    at = app_as("ivan", "Subject", subject=E2)
    at.selectbox(key="net_depth").set_value(1).run()
    before = len(network_args(at)["nodes"])
    click(at, "expand", node_id(at, "张三"), "c1")
    assert at.session_state["net_expanded"] == [P1] and len(network_args(at)["nodes"]) > before


def test_a_click_is_acted_on_once(db: str) -> None:
    at = app_as("ivan", "Subject", subject=E2)
    click(at, "focus", node_id(at, "张三"), "c1")
    at.button(key="net_reset").click().run()
    assert at.session_state["net_centre"] == E2 and at.session_state["net_click"]["nonce"] == "c1"


def test_a_click_on_a_drawing_no_longer_shown_is_ignored(db: str) -> None:
    at = app_as("ivan", "Subject", subject=E2)
    click(at, "focus", node_id(at, "张三"), "c1", version="an-earlier-drawing")
    assert centred_on(at).startswith("Centred on 小米")


def test_a_click_naming_a_key_instead_of_an_opaque_id_is_ignored(db: str) -> None:
    at = app_as("ivan", "Subject", subject=E2)
    click(at, "focus", P1, "c1")
    assert centred_on(at).startswith("Centred on 小米")


def test_expand_adds_the_picked_nodes_neighbours(db: str) -> None:
    at = app_as("ivan", "Subject", subject=E2)
    at.selectbox(key="net_depth").set_value(1).run()
    before = len(at.selectbox(key="net_pick").options)
    at.selectbox(key="net_pick").set_value(P1).run()
    at.button(key="net_expand").click().run()
    assert at.session_state["net_expanded"] == [P1]
    assert len(at.selectbox(key="net_pick").options) > before


def test_focus_recentres_the_network_on_the_picked_node(db: str) -> None:
    at = app_as("ivan", "Subject", subject=E2)
    at.selectbox(key="net_pick").set_value(P1).run()
    at.button(key="net_focus").click().run()
    assert at.session_state["net_centre"] == P1 and at.selectbox(key="net_pick").options[0].startswith("Person: 张三")


def test_path_finder_lists_the_shortest_paths(db: str) -> None:
    at = app_as("vera", "Paths")
    at.text_input(key="paths_a_text").input("张三").run()
    at.text_input(key="paths_b_text").input("深圳壳一").run()
    at.button(key="paths_find").click().run()
    lines = [t.value for t in at.text]
    assert len(lines) == 2 and all(line.startswith(f"张三 ({MASKED_P1})") for line in lines)
    assert frames(at)


def test_findings_browser_shows_masked_evidence_and_the_findings_network(db: str) -> None:
    at = app_as("vera", "Findings")
    assert at.dataframe[0].value["finding"].tolist() == ["F1"]
    assert MASKED_P1 in at.code[0].value and P1 not in at.code[0].value
    assert P1 not in frames(at)[0]


def test_findings_drill_down_opens_a_subject(db: str) -> None:
    at = app_as("vera", "Findings")
    at.selectbox(key="findings_subject").set_value(E2).run()
    at.button(key="findings_open").click().run()
    assert at.radio(key="page").value == "Subject" and at.session_state["subject"] == E2


def test_cluster_view_draws_a_finding_cluster(db: str) -> None:
    at = app_as("ivan", "Clusters")
    assert "F1" in at.selectbox(key="clusters_finding").options[0] and frames(at)


def test_jobs_page_runs_risk_with_progress_and_audits_it(db: str) -> None:
    at = app_as("ana", "Jobs")
    at.multiselect(key="jobs_chosen").set_value(["risk"])
    at.button(key="jobs_run").click().run()
    assert not at.exception and at.success[0].value.startswith("risk finished")
    store = SqliteStore(db)
    assert store.audit_log(1, action="risk")[0].user == "ana"
    assert store.get_node("Enterprise", E1).scores["grade"] in "ABCD"  # type: ignore[union-attr]


@pytest.mark.skipif(not detection_available(), reason="credgraph.analytics.detection is not installed")
def test_jobs_page_runs_detection_and_the_findings_page_shows_its_run(db: str) -> None:
    at = app_as("ana", "Jobs")
    at.multiselect(key="jobs_chosen").set_value(["detection"])
    at.button(key="jobs_run").click().run()
    assert at.success[0].value.startswith("detection finished")
    run = SqliteStore(db).runs("detect")[0]
    assert run.user == "ana" and run.run_id != "detect-test"


def test_viewer_sees_no_export_button(db: str) -> None:
    at = app_as("vera", "Subject", subject=E1)
    assert not [b for b in at.button if b.key and b.key.startswith("export_button")]
    assert any("Exports need the investigator role" in c.value for c in at.caption)


@pytest.mark.skipif(not export_available(), reason="credgraph.export.package is not installed")
def test_investigator_exports_a_subject_as_a_zip_and_it_is_audited(db: str) -> None:
    at = app_as("ivan", "Subject", subject=E1)
    at.button(key="export_button_subject").click().run()
    assert not at.exception and not at.error
    download = at.session_state[f"export:subject:{E1}"]
    assert download.data[:2] == b"PK" and download.file_name.endswith(".zip")
    assert [e.user for e in SqliteStore(db).audit_log(5) if e.action.startswith("export")] == ["ivan"]


def test_audit_page_lists_subject_views_for_an_admin(db: str) -> None:
    app_as("vera", "Subject", subject=E1)
    app_as("vera", "Search").text_input(key="search_text").input("华为").run().button(key="search_open").click().run()
    at = app_as("adam", "Audit")
    table = at.dataframe[0].value
    assert ("vera", "view_subject", E1) in set(zip(table["user"], table["action"], table["target"]))


@pytest.mark.neo4j
def test_a_subject_opens_on_neo4j(neo4j_store: Neo4jStore, neo4j_credentials: tuple[str, str, str],
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fill_store(neo4j_store)
    uri, user, password = neo4j_credentials
    monkeypatch.setenv("CREDGRAPH_DB", uri)
    monkeypatch.setenv("NEO4J_USERNAME", user)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    monkeypatch.setenv("CREDGRAPH_USERS", str(write_users(tmp_path / "users.json")))
    at = app_as("vera", "Search")
    at.text_input(key="search_text").input("小米").run()
    at.button(key="search_open").click().run()
    assert at.header[0].value.startswith("小米科技有限责任公司")
    assert f"张三 ({MASKED_P1})" in shown_text(at) and P1 not in json.dumps(network_args(at))
    assert os.environ["CREDGRAPH_DB"].startswith(("bolt://", "neo4j://"))


def test_the_network_of_a_firm_that_has_ended_falls_back_to_its_history(db: str) -> None:
    from tests.sample_graph import E4

    at = app_as("ivan", "Subject", subject=E4)
    assert any("showing the whole history" in i.value for i in at.info) and network_args(at)["nodes"]

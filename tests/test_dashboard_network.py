"""The network drawing's data and the explorer component: what goes to the browser, what a click does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credgraph.dashboard.network_component import (
    Click,
    click_changes,
    component_args,
    read_click,
    served_folder,
    value_nonce,
)
from credgraph.dashboard.network_html import Drawing, _script_json, cap_neighbours, network_drawing, network_html
from credgraph.graph.records import Node, Relationship, Subgraph
from credgraph.graph.sqlite_store import SqliteStore
from tests.dashboard_fixtures import HOSTILE, HOSTILE_NAME, fill_store
from tests.sample_graph import E1, E2, P1

MASKED_P1 = "4401**********0019"


@pytest.fixture
def filled(sqlite_store: SqliteStore) -> SqliteStore:
    fill_store(sqlite_store)
    return sqlite_store


def _star(n: int) -> Subgraph:
    hub = Node("Address", "hub", {})
    firms = [Node("Enterprise", f"e{i:04d}", {"name": f"firm {i}"}) for i in range(n)]
    rels = tuple(Relationship("HAS_ADDRESS", "Enterprise", f.key, "Address", "hub", "", {}) for f in firms)
    return Subgraph((hub, *firms), rels, {"hub": 0})


def _click(drawing: Drawing, action: str, node: str, **extra: Any) -> dict[str, Any]:
    return {"action": action, "node": node, "version": drawing.version, "nonce": "k1", **extra}


# -- the drawing's data --------------------------------------------------------------

def test_the_drawing_maps_opaque_ids_back_to_keys(filled: SqliteStore) -> None:
    drawing = network_drawing(filled.neighbourhood(E2, 1), role="viewer", focus=E2)
    assert [n["id"] for n in drawing.nodes] == [f"n{i}" for i in range(len(drawing.nodes))]
    assert drawing.keys["n0"] == E2 and set(drawing.keys.values()) == {n.key for n in drawing.view.nodes}


def test_the_standalone_page_embeds_the_drawings_data(filled: SqliteStore) -> None:
    sub = filled.neighbourhood(E1, 2)
    drawing = network_drawing(sub, role="viewer")
    page = network_html(sub, role="viewer")
    assert f"new vis.DataSet({_script_json(drawing.nodes)})" in page
    assert f"new vis.DataSet({_script_json(drawing.edges)})" in page


def test_a_raised_cap_shows_more_of_that_nodes_neighbours_only() -> None:
    assert cap_neighbours(_star(120), "hub", 50, raised={"hub": 100}).more == {"hub": 20}
    assert cap_neighbours(_star(120), "hub", 50, raised={"e0001": 100}).more == {"hub": 70}


def test_an_n_more_node_stands_for_its_parent() -> None:
    drawing = network_drawing(_star(60), role="viewer", focus="hub", max_neighbours=50)
    assert drawing.more == {"n0-more": "hub"} and "10 more" in str(drawing.nodes)


def test_the_drawing_version_changes_with_what_is_drawn() -> None:
    small, large = (network_drawing(_star(60), role="viewer", max_neighbours=cap) for cap in (10, 20))
    assert small.version != large.version
    assert small.version == network_drawing(_star(60), role="viewer", max_neighbours=10).version


# -- what the browser gets ------------------------------------------------------------

def test_component_args_hold_no_unmasked_person_id_for_a_viewer(filled: SqliteStore) -> None:
    drawing = network_drawing(filled.neighbourhood(E1, 2), role="viewer")
    data = json.dumps(component_args(drawing, 640), ensure_ascii=False)
    assert P1 not in data and MASKED_P1 in data and P1 in drawing.keys.values()


def test_component_args_hold_no_key_at_all_only_opaque_ids(filled: SqliteStore) -> None:
    drawing = network_drawing(filled.neighbourhood(E1, 2), role="investigator")
    args = component_args(drawing, 640)
    assert {n["id"] for n in args["nodes"]} <= set(drawing.keys) | set(drawing.more)
    assert "keys" not in args and "view" not in args


def test_a_hostile_name_is_carried_as_text_for_the_frontend_to_set_as_text(filled: SqliteStore) -> None:
    args = component_args(network_drawing(filled.neighbourhood(HOSTILE, 1), role="viewer", focus=HOSTILE), 640)
    assert args["nodes"][0]["title"].startswith(f"Enterprise: {HOSTILE_NAME}")


def test_the_frontend_sets_data_as_text_never_as_html() -> None:
    script = (served_folder() / "network.js").read_text(encoding="utf-8")
    assert "textContent" in script and "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_the_served_folder_holds_the_page_and_vis_network_offline() -> None:
    folder = served_folder()
    assert {"index.html", "network.js", "vis-network.min.js", "vis-network.css"} <= {p.name for p in folder.iterdir()}
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "http" not in page.replace('lang="zh"', "") and oct(folder.stat().st_mode & 0o777) == "0o700"


# -- what comes back ---------------------------------------------------------------------

def test_a_click_maps_the_opaque_id_to_the_nodes_key(filled: SqliteStore) -> None:
    drawing = network_drawing(filled.neighbourhood(E2, 1), role="viewer", focus=E2)
    node = next(i for i, k in drawing.keys.items() if k == P1)
    assert read_click(_click(drawing, "focus", node), drawing) == Click("focus", P1)
    assert read_click(_click(drawing, "expand", node), drawing) == Click("expand", P1)


def test_a_click_on_n_more_asks_for_more_of_its_parent() -> None:
    drawing = network_drawing(_star(60), role="viewer", focus="hub", max_neighbours=50)
    assert read_click(_click(drawing, "focus", "n0-more"), drawing) == Click("more", "hub")
    assert read_click(_click(drawing, "expand", "n0-more"), drawing) == Click("more", "hub")


@pytest.mark.parametrize("value", [
    None, "focus", [], {"action": "focus"}, {"action": "delete", "node": "n0"},
    {"action": "focus", "node": "n999"}, {"action": "focus", "node": "hub"}, {"action": "focus", "node": 0},
])
def test_a_malformed_or_unknown_click_is_ignored(value: object) -> None:
    drawing = network_drawing(_star(3), role="viewer", focus="hub")
    if isinstance(value, dict):
        value = {"version": drawing.version, **value}
    assert read_click(value, drawing) is None


def test_a_click_on_another_drawing_is_ignored() -> None:
    drawing = network_drawing(_star(3), role="viewer", focus="hub")
    assert read_click(_click(drawing, "focus", "n1", version="0123456789abcdef"), drawing) is None


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=8))
def test_any_value_from_the_browser_is_read_without_error(value: object) -> None:
    drawing = network_drawing(_star(3), role="viewer", focus="hub")
    click = read_click(value, drawing)
    assert click is None or click.key in drawing.keys.values()
    assert value_nonce(value) is None or isinstance(value, dict)


def test_a_value_without_a_nonce_is_not_a_click() -> None:
    assert value_nonce({"action": "focus", "node": "n1"}) is None and value_nonce({"nonce": ""}) is None


# -- what a click does ----------------------------------------------------------------

def test_focus_recentres_and_forgets_expansions_and_raised_caps() -> None:
    assert click_changes(Click("focus", "c"), 50, ["b"], {"a": 100}) == {
        "net_centre": "c", "net_expanded": [], "net_raised": {}}


def test_expand_adds_a_node_once() -> None:
    assert click_changes(Click("expand", "b"), 50, ["b"]) == {"net_expanded": ["b"]}
    assert click_changes(Click("expand", "c"), 50, ["b"]) == {"net_expanded": ["b", "c"]}


def test_more_raises_the_nodes_cap_by_one_page_each_time() -> None:
    first = click_changes(Click("more", "hub"), 50)["net_raised"]
    assert first == {"hub": 100} and click_changes(Click("more", "hub"), 50, [], first) == {"net_raised": {"hub": 150}}

"""Path finder: the shortest links between two subjects."""

from __future__ import annotations

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.network_html import network_html
from credgraph.dashboard.paths import MAX_HOPS, shortest_paths
from credgraph.dashboard.subjects import search_subjects
from credgraph.graph.errors import CredgraphError
from credgraph.graph.records import Subgraph

FRAME_HEIGHT = 520


def _pick(label: str, key: str) -> str | None:
    text = st.text_input(label, key=f"paths_{key}_text", value=st.session_state.get("subject", "") if key == "a" else "")
    hits = [h for h in search_subjects(ui.store(), text, ui.role(), limit=20) if h.label in ("Enterprise", "Person")]
    if not hits:
        if text.strip():
            st.caption(f"no subject matches {ui.md(text)}")
        return None
    choice = st.selectbox(f"{label}: subject", range(len(hits)), key=f"paths_{key}_pick",
                          format_func=lambda i: f"{hits[i].label}: {hits[i].name} ({hits[i].shown})")
    return hits[choice].key


def render() -> None:
    """The path page."""
    st.header("Path finder", anchor=False)
    cols = st.columns(2)
    with cols[0]:
        source = _pick("From", "a")
    with cols[1]:
        target = _pick("To", "b")
    hops = st.slider("At most this many links", 1, MAX_HOPS, 4, key="paths_hops")
    if not (source and target) or not st.button("Find paths", key="paths_find", type="primary"):
        return
    try:
        paths = shortest_paths(ui.store(), source, target, hops)
    except CredgraphError as exc:
        st.error(ui.md(exc))
        return
    if not paths:
        st.info(f"No path of at most {hops} links.")
        return
    st.subheader(f"{len(paths)} shortest path(s) of {len(paths[0].steps)} links", anchor=False)
    for path in paths:
        st.text(path.caption(ui.role()))
    nodes = {n.key: n for p in paths for n in p.nodes}
    rels = {r.identity: r for p in paths for r in p.steps}
    sub = Subgraph(tuple(nodes.values()), tuple(rels.values()), {source: 0})
    st.iframe(network_html(sub, role=ui.role(), focus=source), height=FRAME_HEIGHT)

"""Network explorer: a subject's neighbourhood drawn with pyvis, with focus and expand.

The drawing is pyvis HTML in ``st.components.v1.html``, which is one way:
clicking a node shows its details inside the drawing. Focus and expand go back
to Python through a select box of the nodes shown and buttons: *Focus here*
re-centres the view on the node, *Expand* adds the node's own neighbours,
*Open profile* opens its subject page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.display import node_caption
from credgraph.dashboard.network_html import cap_neighbours
from credgraph.graph.errors import NotFoundError
from credgraph.graph.model import MODEL

DEPTHS = (1, 2, 3)
FRAME_HEIGHT = 760


def render(default_as_of: dt.date) -> None:
    """The explorer around ``st.session_state['net_centre']`` (the current subject by default)."""
    centre = st.session_state.get("net_centre") or st.session_state.get("subject")
    if not centre:
        st.info("Open a subject first (Search).")
        return
    expanded: list[str] = st.session_state.setdefault("net_expanded", [])
    cols = st.columns([1, 3, 2, 1])
    depth = cols[0].selectbox("Depth", DEPTHS, index=1, key="net_depth")
    types = cols[1].multiselect("Relationship types", list(MODEL.relationships), key="net_types",
                                placeholder="all types")
    whole = cols[2].checkbox("Whole history", key="net_history", help="Ended links and records too")
    as_of = None if whole else cols[2].date_input("In force on", value=default_as_of, key="net_as_of")
    cap = int(cols[3].number_input("Max neighbours", 5, 500, 50, step=5, key="net_cap"))
    args = (ui.db_location(), centre, depth, tuple(expanded), tuple(types) or None, as_of)
    try:
        sub = ui.cached_explorer(*args)
    except NotFoundError:
        st.info(f"Not in force on {as_of}: showing the whole history.")
        args = (*args[:-1], None)
        sub = ui.cached_explorer(*args)
    view = cap_neighbours(sub, centre, cap)
    st.caption(f"{len(view.nodes)} nodes, {len(view.relationships)} relationships"
               + (f", {view.hidden} more neighbours aggregated" if view.hidden else "")
               + (f"; expanded: {len(expanded)}" if expanded else ""))
    st.iframe(ui.explorer_html(*args, ui.role(), cap), height=FRAME_HEIGHT)
    role = ui.role()
    captions = {n.key: f"{n.label}: {node_caption(n, role)}" for n in view.nodes}
    pick = st.selectbox("Node", list(captions), key="net_pick", format_func=captions.__getitem__)
    buttons = st.columns(4)
    if buttons[0].button("Focus here", key="net_focus"):
        st.session_state["net_centre"] = pick
        st.session_state["net_expanded"] = []
        st.rerun()
    if buttons[1].button("Expand", key="net_expand"):
        if pick not in expanded:
            st.session_state["net_expanded"] = [*expanded, pick]
        st.rerun()
    if buttons[2].button("Open profile", key="net_open"):
        ui.open_subject(pick)
        st.rerun()
    if buttons[3].button("Reset view", key="net_reset"):
        st.session_state["net_centre"] = st.session_state.get("subject")
        st.session_state["net_expanded"] = []
        st.rerun()

"""Network explorer: a subject's neighbourhood, drawn with click to focus and expand.

The drawing is a two-way component (``credgraph.dashboard.network_component``):
a click on a node re-centres the view on it, a double-click (or right-click)
expands it, a click on "N more" shows another page of that node's neighbours.
Each click is acted on once (by its nonce) and the page reruns. Below, a select
box of the nodes shown with buttons does the same from the keyboard, and opens
a node's profile.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.display import node_caption
from credgraph.dashboard.network_component import Click, click_changes, network_component, read_click, value_nonce
from credgraph.graph.errors import NotFoundError
from credgraph.graph.model import MODEL

DEPTHS = (1, 2, 3)
DRAWING_HEIGHT = 640


def render(default_as_of: dt.date) -> None:
    """The explorer around ``st.session_state['net_centre']`` (the current subject by default)."""
    centre = st.session_state.get("net_centre") or st.session_state.get("subject")
    if not centre:
        st.info("Open a subject first (Search).")
        return
    expanded: list[str] = st.session_state.setdefault("net_expanded", [])
    raised: dict[str, int] = st.session_state.setdefault("net_raised", {})
    cols = st.columns([1, 3, 2, 1])
    depth = cols[0].selectbox("Depth", DEPTHS, index=1, key="net_depth")
    types = cols[1].multiselect("Relationship types", list(MODEL.relationships), key="net_types",
                                placeholder="all types")
    whole = cols[2].checkbox("Whole history", key="net_history", help="Ended links and records too")
    as_of = None if whole else cols[2].date_input("In force on", value=default_as_of, key="net_as_of")
    cap = int(cols[3].number_input("Max neighbours", 5, 500, 50, step=5, key="net_cap"))
    args = (ui.db_location(), centre, depth, tuple(expanded), tuple(types) or None, as_of)
    try:
        ui.cached_explorer(*args)
    except NotFoundError:
        st.info(f"Not in force on {as_of}: showing the whole history.")
        args = (*args[:-1], None)
    role = ui.role()
    drawing = ui.explorer_drawing(*args, role, cap, tuple(sorted(raised.items())))
    st.caption(ui.md(f"Centred on {drawing.name}: {drawing.summary}"
                     + (f"; expanded: {len(expanded)}" if expanded else "")))
    value = network_component(drawing, key="net_click", height=DRAWING_HEIGHT)
    nonce = value_nonce(value)
    if nonce is not None and nonce != st.session_state.get("net_click_nonce"):
        st.session_state["net_click_nonce"] = nonce
        click = read_click(value, drawing)
        if click is not None and click != Click("focus", centre):
            st.session_state.update(click_changes(click, cap, expanded, raised))
            st.rerun()
    view = drawing.view
    captions = {n.key: f"{n.label}: {node_caption(n, role)}" for n in view.nodes}
    pick = st.selectbox("Node", list(captions), key="net_pick", format_func=captions.__getitem__)
    buttons = st.columns(5)
    chosen = None
    if buttons[0].button("Focus here", key="net_focus"):
        chosen = Click("focus", pick)
    if buttons[1].button("Expand", key="net_expand"):
        chosen = Click("expand", pick)
    if buttons[2].button("Show more", key="net_more", disabled=pick not in view.more,
                         help="Another page of this node's neighbours"):
        chosen = Click("more", pick)
    if buttons[3].button("Open profile", key="net_open"):
        ui.open_subject(pick)
        st.rerun()
    if buttons[4].button("Reset view", key="net_reset"):
        chosen = Click("focus", st.session_state.get("subject") or centre)
    if chosen is not None:
        st.session_state.update(click_changes(chosen, cap, expanded, raised))
        st.rerun()

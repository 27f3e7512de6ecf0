"""Search page: find a subject by name (Chinese substring), USCC or person ID, and open it."""

from __future__ import annotations

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.subjects import search_subjects


def render() -> None:
    """The search page."""
    st.header("Search")
    text = st.text_input("Name, USCC or person ID", key="search_text",
                         placeholder="e.g. 贸易, 914403001922038216")
    if not text.strip():
        st.caption("Type part of a name (Chinese works), a USCC or a person ID.")
        return
    hits = search_subjects(ui.store(), text, ui.role())
    if not hits:
        st.info(f"No subject matches {ui.md(text)}.")
        return
    ui.table([h.row() for h in hits])
    choice = st.selectbox("Subject", range(len(hits)), key="search_choice",
                          format_func=lambda i: f"{hits[i].label}: {hits[i].name} ({hits[i].shown})")
    if st.button("Open subject", key="search_open", type="primary"):
        ui.open_subject(hits[choice].key)
        st.rerun()

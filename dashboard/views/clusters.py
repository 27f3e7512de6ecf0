"""Cluster view: findings that tie several subjects, and risky communities; draw and export them."""

from __future__ import annotations

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.clusters import finding_clusters
from credgraph.dashboard.export_view import ExportRequest
from credgraph.dashboard.views import export

SUBJECT_LINKS = ("LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF", "CONTROLS", "GUARANTEES",
                 "HAS_PHONE", "HAS_EMAIL", "HAS_ADDRESS")
MAX_MEMBERS = 40
FRAME_HEIGHT = 620


def render() -> None:
    """The cluster page."""
    st.header("Clusters", anchor=False)
    kind = st.radio("Clusters from", ["findings", "communities"], horizontal=True, key="clusters_kind")
    if kind == "findings":
        clusters = finding_clusters(ui.store().findings())
        if not clusters:
            st.info("No finding ties several subjects: run detection on the Jobs page.")
            return
        pick = st.selectbox("Cluster", range(len(clusters)), key="clusters_finding",
                            format_func=lambda i: f"{clusters[i].detector} {clusters[i].finding_id}: "
                                                  f"{len(clusters[i].subjects)} subjects, score {clusters[i].score:.2f}")
        members, name = list(clusters[pick].subjects), clusters[pick].finding_id
    else:
        with st.spinner("Reading every subject's community..."):
            communities = ui.cached_communities(ui.db_location())
        if not communities:
            st.info("No communities yet: an analyst runs the metrics job on the Jobs page.")
            return
        ui.table([c.row() for c in communities[:50]])
        pick = st.selectbox("Community", range(min(50, len(communities))), key="clusters_community",
                            format_func=lambda i: f"community {communities[i].community} "
                                                  f"({communities[i].size} members, {communities[i].grades['D']} D)")
        members, name = communities[pick].members, f"community-{communities[pick].community}"
    shown = tuple(members[:MAX_MEMBERS])
    if len(members) > MAX_MEMBERS:
        st.caption(f"Drawing the first {MAX_MEMBERS} of {len(members)} members.")
    st.iframe(ui.union_html(ui.db_location(), shown, 1, SUBJECT_LINKS, None, ui.role(), 30),
                    height=FRAME_HEIGHT)
    export.render(ExportRequest("nodes", tuple(members), name=name), "Export this cluster")

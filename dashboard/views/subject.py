"""Subject page: profile (with the published records linked), network, the risk explanation and the export action."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.review_view import linked_mentions
from credgraph.dashboard.risk_view import explanation, node_names, risk_date
from credgraph.dashboard.subjects import Profile
from credgraph.dashboard.views import export, network
from credgraph.graph.errors import CredgraphError

SMALL_STORE = 50_000  # nodes + relationships: below this the risk explanation is computed without asking


@st.cache_data(ttl=ui.TTL, show_spinner=False, max_entries=200)
def cached_linked(db: str, key: str, role: str) -> tuple[list[dict[str, str]], int]:
    """The mentions linked to ``key`` for ``role`` (capped) and how many in all."""
    return linked_mentions(ui.shared_store(db), key, role)


def render() -> None:
    """The page of ``st.session_state['subject']``."""
    key = st.session_state.get("subject")
    if not key:
        st.info("Search for a subject and open it.")
        return
    db = ui.db_location()
    as_of = risk_date(ui.store()) or dt.date.today()
    try:
        profile = ui.cached_profile(db, key, ui.role(), as_of)
    except CredgraphError as exc:
        st.error(ui.md(exc))
        return
    st.header(ui.md(profile.caption), anchor=False)
    scores = profile.scores
    cols = st.columns(4)
    cols[0].metric("Grade", scores.get("grade", "–"))
    cols[1].metric("Total risk", f"{scores['total_score']:.1f}" if "total_score" in scores else "–")
    cols[2].metric("Own", f"{scores['own_score']:.1f}" if "own_score" in scores else "–")
    cols[3].metric("Linked", f"{scores['linked_score']:.1f}" if "linked_score" in scores else "–")
    st.caption(f"{profile.label}; records judged on {as_of} (the date of the latest risk run)")
    tabs = st.tabs(["Profile", "Network", "Risk explanation", "Export"])
    with tabs[0]:
        _profile(profile)
    with tabs[1]:
        network.render(as_of)
    with tabs[2]:
        _risk(db, key, as_of, scores)
    with tabs[3]:
        export.render_subject(key)


def _profile(profile: Profile) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("Attributes", anchor=False)
        ui.table([{"attribute": k, "value": v} for k, v in profile.attributes.items()])
        if profile.label == "Enterprise":
            st.subheader("Beneficial owners", anchor=False)
            ui.table(profile.owners, "no natural-person owner found")
            st.text(f"Actual controller: {profile.controller or 'none'}")
            for note in profile.ownership_notes:
                st.text(f"Note: {note}")
    with right:
        st.subheader("Records", anchor=False)
        ui.table(profile.records, "no penalties or list entries")
        st.subheader("Findings", anchor=False)
        ui.table(profile.findings, "in no finding of the latest detection run")
    st.subheader("Relationships", anchor=False)
    ui.table(profile.links, "no relationships")
    st.subheader("Published records linked (公示记录关联)", anchor=False)
    rows, total = cached_linked(ui.db_location(), profile.key, ui.role())
    if total > len(rows):
        st.caption(f"the first {len(rows)} of {total} mentions linked")
    ui.table(rows, "no published record names this subject")


def _risk(db: str, key: str, as_of: dt.date, scores: dict[str, Any]) -> None:
    if "grade" not in scores:
        st.info("No risk score: run the risk job (Jobs page) or `credgraph risk`.")
        return
    small = ui.cached_size(db) < SMALL_STORE
    if not (small or st.session_state.get("explain_loaded") or st.button(
            "Explain the score", key="explain_button",
            help="Recomputes the latest risk run in memory once (tens of seconds on a city's data)")):
        st.caption("The paths that carried risk to this subject are computed on request.")
        return
    st.session_state["explain_loaded"] = True
    with st.spinner("Propagating risk over the whole graph (once per store and date)..."):
        model = ui.cached_risk_model(db, as_of)
    try:
        why = explanation(model, key, ui.role(), node_names(ui.store()))
    except CredgraphError as exc:
        st.info(ui.md(exc))
        return
    st.text(f"Grade {why.grade}: own {why.own_score:.2f} + linked {why.linked_score:.2f} = {why.total_score:.2f}")
    st.subheader("Own records that count", anchor=False)
    ui.table(why.records, "none")
    st.subheader("Strongest paths (source first)", anchor=False)
    ui.table(why.paths, "no linked risk")
    st.subheader("Sources of linked risk", anchor=False)
    ui.table(why.sources, "none")

"""Review page (investigator and up): probable or unresolved mentions beside their candidates, and decisions."""

from __future__ import annotations

import streamlit as st
from credgraph.dashboard import ui
from credgraph.dashboard.review_view import (
    PAGE_SIZE,
    CandidateView,
    DecisionView,
    MentionView,
    ReviewPage,
    decision_message,
    mention_sources,
    recent_decisions,
    review_page,
)
from credgraph.graph.access import allows
from credgraph.graph.errors import CredgraphError
from credgraph.resolution.review import decide

ALL = "all sources"
ORDERS = {"file": "by file and line", "records": "candidates with penalties or list entries first"}


@st.cache_data(ttl=ui.TTL, show_spinner=False)
def cached_sources(db: str) -> list[str]:
    """The sources that have mentions."""
    return mention_sources(ui.shared_store(db))


@st.cache_data(ttl=ui.TTL, show_spinner=False, max_entries=100)
def cached_page(db: str, role: str, source: str | None, unresolved: bool, order: str, page: int) -> ReviewPage:
    """One page of the queue for ``role``."""
    return review_page(ui.shared_store(db), role, source, unresolved, page, order=order)


@st.cache_data(ttl=ui.TTL, show_spinner=False)
def cached_decisions(db: str, role: str) -> list[DecisionView]:
    """The latest decisions in force, newest first."""
    return recent_decisions(ui.shared_store(db), role)


def render() -> None:
    """The review page."""
    st.header("Review", anchor=False)
    if not allows(ui.role(), "review_links"):
        st.warning(f"Reviewing links needs the investigator role; you are {ui.role()}.")
        return
    if st.session_state.pop("review_clear_note", False):
        st.session_state["review_note"] = ""
    done = st.session_state.pop("review_done", None)
    if done:
        st.success(ui.md(done))
    db = ui.db_location()
    sources = cached_sources(db)
    if not sources:
        st.info("No published records yet: `credgraph load FILE --source NAME` loads them, then they are resolved.")
        return
    left, middle, right = st.columns([2, 2, 1])
    choice = left.selectbox("Source", [ALL, *sources], key="review_source")
    order = middle.selectbox("Order", list(ORDERS), key="review_order", format_func=ORDERS.__getitem__)
    unresolved = right.toggle("Unresolved instead of probable", key="review_unresolved")
    view = _page(db, None if choice == ALL else choice, unresolved, order)
    st.number_input("Page", min_value=1, max_value=view.pages, step=1, key="review_page")
    kind = "unresolved" if unresolved else "probable"
    st.caption(f"{view.total} {kind} mention{'' if view.total == 1 else 's'}; page {view.page} of {view.pages}, "
               f"{PAGE_SIZE} a page")
    if view.mentions:
        ui.table([m.row() for m in view.mentions])
        _mention(_chosen(view.mentions))
    else:
        st.info(f"No {kind} mention to review.")
    _decisions(db)


def _page(db: str, source: str | None, unresolved: bool, order: str) -> ReviewPage:
    """The page the session is on (back to the first when the filter leaves fewer pages), audited once."""
    page = int(st.session_state.get("review_page", 1))
    view = cached_page(db, ui.role(), source, unresolved, order, page)
    if page > view.pages:
        st.session_state["review_page"] = 1
        view = cached_page(db, ui.role(), source, unresolved, order, 1)
    seen = (source, unresolved, order, view.page)
    if st.session_state.get("review_seen") != seen:
        st.session_state["review_seen"] = seen
        with ui.WRITE_LOCK:
            ui.store().audit(ui.user(), "review list", source or "", {
                "via": "dashboard", "unresolved": unresolved, "order": order, "page": view.page, "shown": len(view.mentions)})
    return view


def _chosen(mentions: list[MentionView]) -> MentionView:
    by_id = {m.mention_id: m for m in mentions}
    if st.session_state.get("review_mention") not in by_id:
        st.session_state.pop("review_mention", None)
    picked = st.selectbox("Mention", list(by_id), key="review_mention", format_func=lambda m: by_id[m].caption())
    return by_id[picked]


def _mention(mention: MentionView) -> None:
    """The published row beside its candidates, with the decision buttons."""
    st.subheader(ui.md(mention.caption()), anchor=False)
    st.caption(f"identifier {ui.md(mention.identifier or 'none')} ({mention.id_kind}), a {mention.subject_type}; "
               f"mention {ui.md(mention.mention_id)}")
    st.text_input("Note (kept with the decision and in the audit log)", key="review_note")
    columns = st.columns(1 + max(1, len(mention.candidates)))
    with columns[0]:
        st.markdown("**公示记录 published row**")
        ui.table(mention.cells, "no cells")
    for i, candidate in enumerate(mention.candidates):
        with columns[i + 1]:
            _candidate(mention, candidate, i)
    if not mention.candidates:
        columns[1].caption("No candidate: link it to a subject by its key below.")
    with st.expander("Link to another subject"):
        other = st.text_input("USCC, person ID or agency ID", key="review_other")
        if st.button("Accept this subject", key="review_accept_other"):
            if other.strip():
                _decide(mention.mention_id, other.strip(), "accept")
            else:
                st.error("Type the key of the subject the mention names.")


def _candidate(mention: MentionView, candidate: CandidateView, i: int) -> None:
    st.markdown(f"**{candidate.rank}. {ui.md(candidate.name or '(no name)')}**")
    st.text(f"{candidate.label} {candidate.shown_key}")
    st.text(f"rank {candidate.rank}, score {candidate.score}")
    ui.table(candidate.evidence, "no evidence")
    if candidate.decision:
        st.caption(f"Latest decision: {ui.md(candidate.decision)}")
    if st.button("Accept", key=f"review_accept_{i}", type="primary", disabled=candidate.verdict == "accept"):
        _decide(mention.mention_id, candidate.key, "accept")
    if st.button("Reject", key=f"review_reject_{i}", disabled=candidate.verdict == "reject"):
        _decide(mention.mention_id, candidate.key, "reject")
    if candidate.verdict and st.button(f"Undo {candidate.verdict}", key=f"review_undo_{i}"):
        _decide(mention.mention_id, candidate.key, "undo")
    if st.button("Open subject", key=f"review_open_{i}"):
        ui.open_subject(candidate.key)
        st.rerun()


def _decisions(db: str) -> None:
    """The latest decisions in force, each of which can be undone."""
    st.subheader("Recent decisions", anchor=False)
    decisions = cached_decisions(db, ui.role())
    ui.table([d.row for d in decisions], "no decision in force")
    if not decisions:
        return
    pick = st.selectbox("Decision", range(len(decisions)), key="review_decision",
                        format_func=lambda i: f"{decisions[i].row['mention']} -> {decisions[i].row['subject']}")
    if st.button("Undo this decision", key="review_undo_recent"):
        chosen = decisions[pick]
        _decide(chosen.mention_id, chosen.subject_id, "undo")


def _decide(mention_id: str, subject_id: str, verdict: str) -> None:
    """Record the decision with the session's note and user, then show the page anew."""
    try:
        with ui.WRITE_LOCK:
            decision = decide(ui.store(), mention_id, subject_id, verdict,
                              str(st.session_state.get("review_note", "")), ui.user())
    except CredgraphError as exc:
        st.error(ui.md(exc))
        return
    ui.refresh()
    st.session_state["review_done"] = decision_message(decision, ui.role())
    st.session_state["review_clear_note"] = True
    st.rerun()

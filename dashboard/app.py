"""The credgraph dashboard (``credgraph dashboard``; ``streamlit run`` this file).

Sign-in against the users file, then one page at a time from the sidebar:
Search, Subject (profile, network, risk explanation, export), Paths, Findings,
Clusters, Review (investigator+), Jobs (analyst+), Audit (admin). Pages are thin layouts in
``credgraph.dashboard.views`` over plain functions in ``credgraph.dashboard``.
"""

from __future__ import annotations

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.users import authenticate, list_users, users_path
from credgraph.dashboard.views import admin, clusters, findings, jobs, paths, review, search, subject
from credgraph.graph.access import allows
from credgraph.graph.errors import CredgraphError

PAGES = {
    "Search": search.render,
    "Subject": subject.render,
    "Paths": paths.render,
    "Findings": findings.render,
    "Clusters": clusters.render,
    "Review": review.render,
    "Jobs": jobs.render,
    "Audit": admin.render,
}
RIGHTS = {"Review": "review_links", "Jobs": "run_jobs", "Audit": "manage_users"}


def login() -> None:
    """The sign-in form; on success the session holds the user and role."""
    st.title("credgraph")
    st.caption(f"Store: {ui.md(ui.db_location())}")
    try:
        if not list_users():
            st.error(f"No users yet. Add one with: credgraph users add NAME --role admin "
                     f"(users file {ui.md(users_path())})")
            return
    except CredgraphError as exc:
        st.error(ui.md(exc))
        return
    with st.form("login"):
        name = st.text_input("User", key="login_user")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        found = authenticate(None, name, password)
        if found is None:
            st.error("Wrong user name or password.")
            return
        st.session_state.update(user=found.name, role=found.role, goto="Search")
        with ui.WRITE_LOCK:
            ui.store().audit(found.name, "login", "dashboard", {"role": found.role})
        st.rerun()


def main() -> None:
    """Render the page the session is on."""
    st.set_page_config(page_title="credgraph", layout="wide")
    if "user" not in st.session_state:
        login()
        return
    if "goto" in st.session_state:
        st.session_state["page"] = st.session_state.pop("goto")
    pages = [p for p in PAGES if p not in RIGHTS or allows(ui.role(), RIGHTS[p])]
    with st.sidebar:
        st.markdown(f"**{ui.md(ui.user())}** ({ui.role()})")
        page = st.radio("Page", pages, key="page")
        if st.button("Sign out", key="logout"):
            st.session_state.clear()
            st.rerun()
    PAGES[page]()


if __name__ == "__main__":  # `streamlit run` runs this file as __main__
    main()

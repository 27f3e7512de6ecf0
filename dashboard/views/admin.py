"""Admin page: the audit log and the users (managed with ``credgraph users``)."""

from __future__ import annotations

import streamlit as st

from credgraph.dashboard import ui
from credgraph.dashboard.users import list_users, users_path
from credgraph.graph.access import allows


def render() -> None:
    """The audit page (admin)."""
    st.header("Audit log", anchor=False)
    if not allows(ui.role(), "manage_users"):
        st.warning(f"The audit log needs the admin role; you are {ui.role()}.")
        return
    action = st.selectbox("Action", ["all", "login", "view_subject", "detect", "risk", "metrics", "export"],
                          key="audit_action")
    events = ui.store().audit_log(200, action=None if action == "all" else action)
    ui.table([{"at": e.at, "user": e.user, "action": e.action, "target": e.target,
               "details": str(dict(e.details))} for e in events], "no events")
    st.subheader("Users", anchor=False)
    st.caption(f"Managed with `credgraph users add|list|remove`; file {ui.md(users_path())}")
    ui.table([vars(u) for u in list_users()])

"""What every page of the Streamlit app shares: the session, cached reads, safe text.

The store is opened once per location (``st.cache_resource``, shared by all
sessions; only ever read through it: jobs open their own). Profiles, networks
and tables are cached per argument set, role included (``st.cache_data``), so
a masked view is never served to an unmasked role or the reverse. Data is
never passed to Markdown unescaped (``md``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Sequence
from typing import Any

import streamlit as st

from credgraph.dashboard.clusters import Community, communities
from credgraph.dashboard.explorer import explorer_subgraph, union_neighbourhood
from credgraph.dashboard.network_html import Drawing, network_drawing, network_html
from credgraph.dashboard.risk_view import risk_model
from credgraph.dashboard.subjects import Profile, load_profile, record_view
from credgraph.analytics.risk import RiskScores
from credgraph.graph.records import Subgraph
from credgraph.graph.store import GraphStore, open_store, resolve_db

# Sessions share one store; the embedded store runs each write as a transaction on its
# one connection, so the dashboard's own writes (audit events, exports) take turns.
WRITE_LOCK = threading.Lock()
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
TTL = 600


def md(text: object) -> str:
    """``text`` with every Markdown character escaped, for labels and ``st.markdown``.

    >>> md("[click](javascript:alert(1)) <b>")
    '\\\\[click\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\) \\\\<b\\\\>'
    """
    return _MARKDOWN.sub(r"\\\1", str(text))


def db_location() -> str:
    """The store the dashboard serves (``$CREDGRAPH_DB``, set by ``credgraph dashboard --db``)."""
    return resolve_db(os.environ.get("CREDGRAPH_DB"))


@st.cache_resource(show_spinner=False)
def shared_store(db: str) -> GraphStore:
    """The reading store of ``db``, opened once for all sessions."""
    return open_store(db)


def store() -> GraphStore:
    """The dashboard's store."""
    return shared_store(db_location())


def user() -> str:
    """The signed-in user's name."""
    return str(st.session_state.get("user", ""))


def role() -> str:
    """The signed-in user's role."""
    return str(st.session_state.get("role", "viewer"))


@st.cache_data(ttl=TTL, show_spinner=False)
def cached_profile(db: str, key: str, role: str, as_of: dt.date) -> Profile:
    """``load_profile`` once per subject, role and date."""
    return load_profile(shared_store(db), key, role, as_of)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=200)
def cached_subgraph(db: str, keys: tuple[str, ...], depth: int, rel_types: tuple[str, ...] | None,
                    as_of: dt.date | None) -> Subgraph:
    """The merged neighbourhoods of ``keys`` (a finding's or a cluster's subjects)."""
    return union_neighbourhood(shared_store(db), list(keys), depth, rel_types, as_of)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=200)
def cached_explorer(db: str, centre: str, depth: int, expanded: tuple[str, ...],
                    rel_types: tuple[str, ...] | None, as_of: dt.date | None) -> Subgraph:
    """The explorer's subgraph: ``centre`` to ``depth`` plus the ``expanded`` nodes' neighbours."""
    return explorer_subgraph(shared_store(db), centre, depth, expanded, rel_types, as_of)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=200)
def explorer_drawing(db: str, centre: str, depth: int, expanded: tuple[str, ...], rel_types: tuple[str, ...] | None,
                     as_of: dt.date | None, role: str, max_neighbours: int,
                     raised: tuple[tuple[str, int], ...] = ()) -> Drawing:
    """The explorer's drawing for ``role``, ``raised`` giving some nodes a cap of their own."""
    sub = cached_explorer(db, centre, depth, expanded, rel_types, as_of)
    return network_drawing(sub, role=role, focus=centre, max_neighbours=max_neighbours, raised=dict(raised))


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=200)
def union_html(db: str, keys: tuple[str, ...], depth: int, rel_types: tuple[str, ...] | None,
               as_of: dt.date | None, role: str, max_neighbours: int) -> str:
    """The network page of the merged neighbourhoods of ``keys`` for ``role``."""
    sub = cached_subgraph(db, keys, depth, rel_types, as_of)
    return network_html(sub, role=role, max_neighbours=max_neighbours)


@st.cache_resource(show_spinner=False, max_entries=2)
def cached_risk_model(db: str, as_of: dt.date) -> RiskScores:
    """Every subject's risk on ``as_of`` in memory (read once per store and date)."""
    return risk_model(shared_store(db), as_of)


@st.cache_data(ttl=TTL, show_spinner=False)
def cached_size(db: str) -> int:
    """Nodes and relationships in the store."""
    return sum(shared_store(db).counts().values())


@st.cache_data(ttl=TTL, show_spinner=False)
def cached_communities(db: str) -> list[Community]:
    """The store's communities, riskiest first."""
    return communities(shared_store(db))


def refresh() -> None:
    """Forget cached reads after a job changed the store."""
    st.cache_data.clear()
    cached_risk_model.clear()


def open_subject(key: str) -> None:
    """Show ``key``'s page next and write the view to the audit log (once per selection)."""
    st.session_state["subject"] = key
    st.session_state["net_centre"] = key
    st.session_state["net_expanded"] = []
    st.session_state["net_raised"] = {}
    st.session_state["goto"] = "Subject"
    with WRITE_LOCK:
        record_view(store(), user(), key, {"role": role()})


def table(rows: Sequence[dict[str, Any]], empty: str = "nothing to show") -> None:
    """Rows as a read-only table (data is shown as text, never as Markdown or HTML)."""
    if rows:
        st.dataframe(list(rows), hide_index=True, width="stretch")
    else:
        st.caption(md(empty))

"""What the dashboard tests share: a store file with the sample graph, a hostile firm, users."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from credgraph.dashboard.users import add_user
from credgraph.graph.identifiers import uscc_check_char
from credgraph.graph.records import Finding, NodeRow, RelRow, Run
from credgraph.graph.store import GraphStore
from tests.sample_graph import E2, ORIGIN, P1, load_sample

HOSTILE_NAME = "<script>window.__xss=1;alert(1)</script><img src=x onerror=alert(2)>"
HOSTILE = "91440300MA5F00003" + uscc_check_char("91440300MA5F00003")
PASSWORDS = {"vera": "viewer-pass", "ivan": "investigator-pass", "ana": "analyst-pass", "adam": "admin-pass"}
ROLES = {"vera": "viewer", "ivan": "investigator", "ana": "analyst", "adam": "admin"}
AS_OF = dt.date(2024, 6, 30)


def fill_store(store: GraphStore) -> None:
    """The sample graph, a firm with a hostile name that P1 represents, and one finding naming P1."""
    load_sample(store)
    store.upsert_nodes("Enterprise", [NodeRow({"uscc": HOSTILE, "name": HOSTILE_NAME, "reg_date": dt.date(2020, 1, 1),
                                               "status": "active"})], ORIGIN)
    store.upsert_relationships("LEGAL_REP_OF", [RelRow(P1, HOSTILE, {"start_date": dt.date(2020, 1, 1)})], ORIGIN)
    store.record_run(Run("detect-test", "detect", "2024-07-01T00:00:00+00:00", {"as_of": AS_OF.isoformat()}, "test"))
    store.write_findings("detect-test", [Finding("F1", "reregistration", (P1, E2), 0.9, AS_OF,
                                                 {"principal": P1, "new_firm": E2, "listed": "2019-05-01"})])


def write_users(path: Path) -> Path:
    """A users file with one user of each role."""
    for name, role in ROLES.items():
        add_user(path, name, PASSWORDS[name], role)
    return path

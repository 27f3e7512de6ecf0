"""The explorer's drawing as a two-way Streamlit component: clicks on nodes come back to Python.

The frontend (``network_frontend/``: ``index.html`` and ``network.js``) speaks
Streamlit's component protocol by hand (no npm build). It gets a
:class:`~credgraph.dashboard.network_html.Drawing`'s browser-safe part
(``component_args``) and answers a click on a node with
``{"action": "focus", "node": "n3", "version": ..., "nonce": ...}``, a
double-click or right-click with ``"expand"``. Node ids are opaque: the browser
never learns a key, ``read_click`` maps the id back with the drawing kept on the
server. A value is acted on once (``value_nonce``); a click on a drawing that is
no longer shown, or on a node it does not hold, is ignored.

What a click does (``click_changes``): *focus* re-centres the view on the node,
*expand* adds the node's own neighbours, and a click of either kind on an
"N more" node raises its parent's cap by one more page of neighbours.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from credgraph.dashboard.network_html import VIS_ASSETS, Drawing, legend_rows

FRONTEND = Path(__file__).resolve().with_name("network_frontend")
VIS_FILES = ("vis-network.min.js", "vis-network.css")
ACTIONS = ("focus", "expand")


@dataclass(frozen=True)
class Click:
    """What the user asked for: ``"focus"``, ``"expand"`` or ``"more"``, on the node ``key``."""

    action: str
    key: str


def component_args(drawing: Drawing, height: int) -> dict[str, Any]:
    """The arguments the browser gets: nodes, edges and options with opaque ids, never keys.

    >>> from credgraph.dashboard.network_html import network_drawing
    >>> from credgraph.graph.records import Node, Subgraph
    >>> drawing = network_drawing(Subgraph((Node("Person", "44010619800101123X", {}),), ()), role="viewer")
    >>> args = component_args(drawing, 640)
    >>> sorted(args), "44010619800101123X" in str(args)
    (['edges', 'height', 'legend', 'nodes', 'options', 'summary', 'version'], False)
    """
    return {"nodes": drawing.nodes, "edges": drawing.edges, "options": drawing.options,
            "version": drawing.version, "legend": legend_rows(), "summary": drawing.summary, "height": height}


def value_nonce(value: object) -> str | None:
    """The nonce of a value the component sent, or ``None`` for anything else.

    >>> value_nonce({"action": "focus", "node": "n1", "nonce": "k2-1"}), value_nonce(None)
    ('k2-1', None)
    """
    if isinstance(value, dict) and isinstance(value.get("nonce"), str) and value["nonce"]:
        return str(value["nonce"])
    return None


def read_click(value: object, drawing: Drawing) -> Click | None:
    """The click ``value`` reports on ``drawing``; ``None`` if malformed, stale or on an unknown node.

    The value comes from the browser, so nothing in it is trusted: the action
    must be one of ``ACTIONS``, the version ``drawing``'s own, and the node one
    of its opaque ids.

    >>> from credgraph.dashboard.network_html import network_drawing
    >>> from credgraph.graph.records import Node, Subgraph
    >>> drawing = network_drawing(Subgraph((Node("Enterprise", "e1", {}),), ()), role="viewer")
    >>> read_click({"action": "expand", "node": "n0", "version": drawing.version, "nonce": "1"}, drawing)
    Click(action='expand', key='e1')
    >>> read_click({"action": "expand", "node": "e1", "version": drawing.version, "nonce": "2"}, drawing) is None
    True
    """
    if not isinstance(value, dict) or value.get("version") != drawing.version or value.get("action") not in ACTIONS:
        return None
    node = value.get("node")
    if not isinstance(node, str):
        return None
    if node in drawing.more:
        return Click("more", drawing.more[node])
    if node in drawing.keys:
        return Click(str(value["action"]), drawing.keys[node])
    return None


def click_changes(click: Click, cap: int, expanded: Sequence[str] = (),
                  raised: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The explorer's state (``net_centre``, ``net_expanded``, ``net_raised``) that ``click`` changes.

    >>> click_changes(Click("focus", "p1"), 50, ["e2"], {"a1": 100})
    {'net_centre': 'p1', 'net_expanded': [], 'net_raised': {}}
    >>> click_changes(Click("expand", "p1"), 50, ["e2"]), click_changes(Click("more", "a1"), 50, [], {"a1": 100})
    ({'net_expanded': ['e2', 'p1']}, {'net_raised': {'a1': 150}})
    """
    if click.action == "focus":
        return {"net_centre": click.key, "net_expanded": [], "net_raised": {}}
    if click.action == "expand":
        return {"net_expanded": list(expanded) if click.key in expanded else [*expanded, click.key]}
    if click.action == "more":
        more = dict(raised or {})
        more[click.key] = more.get(click.key, cap) + cap
        return {"net_raised": more}
    raise ValueError(f"unknown action {click.action!r}")


@cache
def served_folder() -> Path:
    """A private folder holding the frontend and pyvis's vis-network, for Streamlit to serve.

    Streamlit serves a component's files from one folder and refuses links out
    of it, so the page and vis-network (from the installed pyvis, as the
    standalone page inlines it) are copied into a folder of this process's own
    (mode 700), removed at exit. The page then needs no network access.
    """
    folder = Path(tempfile.mkdtemp(prefix="credgraph-network-"))
    atexit.register(shutil.rmtree, folder, True)
    for path in FRONTEND.iterdir():
        shutil.copyfile(path, folder / path.name)
    for name in VIS_FILES:
        (folder / name).write_bytes((VIS_ASSETS / name).read_bytes())
    return folder


@cache
def _component() -> Any:
    from streamlit.components.v1 import declare_component

    return declare_component("credgraph_network", path=str(served_folder()))


def network_component(drawing: Drawing, *, key: str, height: int = 640) -> object:
    """Draw ``drawing`` in the component; returns the last value it sent (``None`` before any click)."""
    return _component()(**component_args(drawing, height), key=key, default=None)

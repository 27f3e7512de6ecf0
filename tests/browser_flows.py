"""Drive a running dashboard in headless Chromium (Playwright): shared by the browser tests
and ``docs/screenshots/make_screenshots.py``.

Chromium is Debian's (``/usr/bin/chromium``, or ``$CREDGRAPH_CHROMIUM``); Playwright
never downloads a browser here.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Frame, Page, expect

from credgraph.dashboard.users import add_user
from credgraph.graph.identifiers import uscc_check_char
from credgraph.graph.records import NodeRow, Origin, RelRow
from credgraph.graph.store import open_store

CHROMIUM = os.environ.get("CREDGRAPH_CHROMIUM", "/usr/bin/chromium")
HOSTILE_NAME = "<script>window.__xss=1;alert(1)</script><img src=x onerror=alert(2)>恶意贸易有限公司"
HOSTILE = "91440300MA5F00004" + uscc_check_char("91440300MA5F00004")
USERS = {"vera": ("viewer", "viewer-pass"), "ana": ("analyst", "analyst-pass"), "adam": ("admin", "admin-pass")}
WAIT_MS = 60_000
CREDGRAPH = [sys.executable, "-c", "from credgraph.cli.app import entry_point; entry_point()"]


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_demo(folder: Path) -> tuple[Path, Path]:
    """The demo store (S sample, analysed) plus a firm with a hostile name, and a users file."""
    db, users = folder / "demo.db", folder / "users.json"
    subprocess.run([*CREDGRAPH, "demo", "--db", str(db), "--data", str(folder / "data")],
                   check=True, capture_output=True)
    with open_store(str(db)) as store:
        origin = Origin("load-hostile", "test", "2024-01-01T00:00:00+00:00")
        store.upsert_nodes("Enterprise", [NodeRow({"uscc": HOSTILE, "name": HOSTILE_NAME, "status": "active",
                                                   "reg_date": dt.date(2020, 1, 1)})], origin)
        person = next(store.iter_nodes(["Person"]))
        store.upsert_relationships("LEGAL_REP_OF", [RelRow(person.key, HOSTILE, {"start_date": dt.date(2020, 1, 1)})],
                                   origin)
    for name, (role, password) in USERS.items():
        add_user(users, name, password, role, replace=True)
    return db, users


@contextmanager
def dashboard_server(db: Path, users: Path, log: Path) -> Iterator[str]:
    """``credgraph dashboard`` on a free port; yields its URL, stops it on exit."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [*CREDGRAPH, "dashboard", "--db", str(db), "--port", str(port),
             "--users", str(users)], stdout=out, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        if answer.read() == b"ok":
                            break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the dashboard did not start: {log.read_text()}") from None
                    time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def sign_in(page: Page, url: str, name: str) -> None:
    """Open the dashboard and sign in as ``name``."""
    page.goto(url)
    page.get_by_role("textbox", name="User").fill(name)
    page.get_by_role("textbox", name="Password").fill(USERS[name][1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Search")).to_be_visible(timeout=WAIT_MS)


def go_to(page: Page, name: str) -> None:
    """Pick a page in the sidebar."""
    page.get_by_test_id("stSidebar").get_by_text(name, exact=True).click()


def search_and_open(page: Page, text: str) -> None:
    """Search for ``text`` and open the first result."""
    box = page.get_by_label("Name, USCC or person ID")
    box.fill(text)
    box.press("Enter")
    page.get_by_role("button", name="Open subject").click()
    expect(page.get_by_role("tab", name="Network")).to_be_visible(timeout=WAIT_MS)


def network_frame(page: Page) -> Frame:
    """The frame of the pyvis drawing, once vis-network has drawn it."""
    page.get_by_role("tab", name="Network").click()
    handle = page.locator("iframe").first.element_handle(timeout=WAIT_MS)
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_function("() => window.credgraphNetwork !== undefined", timeout=WAIT_MS)
    return frame


def settled_network(page: Page) -> Frame:
    """The drawing's frame once its layout has stopped moving (nodes stay where they are drawn)."""
    frame = network_frame(page)
    frame.wait_for_function("() => window.credgraphSettled === true", timeout=WAIT_MS)
    return frame


def node_point(frame: Frame, node_id: str) -> dict[str, float]:
    """Where the node ``node_id`` is drawn, in pixels from the drawing's top left corner."""
    point = frame.evaluate("""(id) => {
        const network = window.credgraphNetwork;
        return network.canvasToDOM(network.getPositions([id])[id]);
    }""", node_id)
    return {"x": float(point["x"]), "y": float(point["y"])}


def node_title(frame: Frame, node_id: str) -> str:
    """The tooltip of the node ``node_id`` (what the role may see of it)."""
    return str(frame.evaluate("(id) => window.credgraphNetwork.body.data.nodes.get(id).title", node_id))


def pick_option(page: Page, label: str, index: int) -> None:
    """Choose the ``index``-th option of the select box labelled ``label``."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    for _ in range(index):
        box.press("ArrowDown")
    box.press("Enter")

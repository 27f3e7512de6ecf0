"""End to end: the real ``credgraph dashboard`` on the demo data, driven in headless Chromium.

Screenshots go to ``$CREDGRAPH_SCREENSHOTS`` (a temporary folder by default).
Under ``CI=true`` a missing Chromium fails these tests instead of skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from tests.browser_flows import (
    CHROMIUM,
    HOSTILE,
    WAIT_MS,
    dashboard_server,
    go_to,
    network_frame,
    node_point,
    node_title,
    pick_option,
    prepare_demo,
    search_and_open,
    settled_network,
    sign_in,
)

@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    db, users = prepare_demo(folder)
    with dashboard_server(db, users, folder / "dashboard.log") as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is required under CI=true: {CHROMIUM} is missing (apt-get install chromium)",
                        pytrace=False)
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1500, "height": 1100})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CREDGRAPH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_sign_in_search_open_a_subject_and_expand_its_network(url: str, page: Page, shots: Path) -> None:
    sign_in(page, url, "vera")
    search_and_open(page, "贸易")
    page.screenshot(path=shots / "browser-subject.png")
    frame = network_frame(page)
    before = frame.evaluate("() => window.credgraphNetwork.body.data.nodes.length")
    assert before >= 1 and frame.locator("canvas").count() == 1
    pick_option(page, "Node", 1)
    page.get_by_role("button", name="Expand").click()
    expect(page.get_by_text("expanded: 1")).to_be_visible(timeout=WAIT_MS)
    after = network_frame(page).evaluate("() => window.credgraphNetwork.body.data.nodes.length")
    assert after >= before
    page.screenshot(path=shots / "browser-network.png")


def test_clicking_a_node_recentres_the_network_on_it(url: str, page: Page, shots: Path) -> None:
    sign_in(page, url, "vera")
    search_and_open(page, "贸易")
    frame = settled_network(page)
    name = node_title(frame, "n1").split("\n")[0].split(": ", 1)[1]
    assert not page.get_by_text(f"Centred on {name}").is_visible()
    frame.locator("#network canvas").click(position=node_point(frame, "n1"))
    expect(page.get_by_text(f"Centred on {name}")).to_be_visible(timeout=WAIT_MS)
    page.screenshot(path=shots / "browser-network-focus.png")


def test_double_clicking_a_node_expands_it(url: str, page: Page) -> None:
    sign_in(page, url, "vera")
    search_and_open(page, "贸易")
    frame = settled_network(page)
    centre = page.get_by_text("Centred on").inner_text().split(":")[0]
    frame.locator("#network canvas").dblclick(position=node_point(frame, "n1"))
    expect(page.get_by_text("expanded: 1")).to_be_visible(timeout=WAIT_MS)
    assert page.get_by_text("Centred on").inner_text().startswith(centre)


def test_clicking_n_more_shows_more_of_those_neighbours(url: str, page: Page) -> None:
    sign_in(page, url, "vera")
    search_and_open(page, "贸易")
    network_frame(page)
    page.get_by_label("Max neighbours").fill("5")
    page.get_by_label("Max neighbours").press("Enter")
    expect(page.get_by_text("more neighbours aggregated")).to_be_visible(timeout=WAIT_MS)
    frame = settled_network(page)
    frame.wait_for_function("() => window.credgraphSettled && window.credgraphNetwork.body.data.nodes.getIds()"
                            ".some(id => id.endsWith('-more'))", timeout=WAIT_MS)
    centre = page.get_by_text("Centred on").inner_text().split(":")[0]
    more = frame.evaluate("() => window.credgraphNetwork.body.data.nodes.getIds().find(id => id.endsWith('-more'))")
    before = frame.evaluate("() => window.credgraphNetwork.body.data.nodes.length")
    frame.locator("#network canvas").click(position=node_point(frame, more))
    frame.wait_for_function("(n) => window.credgraphNetwork.body.data.nodes.length > n", arg=before, timeout=WAIT_MS)
    assert page.get_by_text("Centred on").inner_text().startswith(centre)


def test_viewer_sees_masked_person_ids_in_the_browser(url: str, page: Page) -> None:
    sign_in(page, url, "vera")
    page.get_by_label("Name, USCC or person ID").fill("李")
    page.get_by_label("Name, USCC or person ID").press("Enter")
    expect(page.get_by_role("button", name="Open subject")).to_be_visible(timeout=WAIT_MS)
    assert "**********" in page.get_by_role("combobox", name="Subject").input_value()


def test_a_script_in_a_firm_name_does_not_run(url: str, page: Page, shots: Path) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    sign_in(page, url, "vera")
    search_and_open(page, HOSTILE)
    frame = network_frame(page)
    frame.locator("canvas").first.click()
    page.wait_for_timeout(1000)
    assert dialogs == []
    assert page.evaluate("() => window.__xss") is None and frame.evaluate("() => window.__xss") is None
    assert "<script>window.__xss" in frame.evaluate(
        "() => window.credgraphNetwork.body.data.nodes.get().map(n => n.title).join(' ')")
    page.screenshot(path=shots / "browser-hostile-name.png")


def test_analyst_runs_a_job_with_progress(url: str, page: Page, shots: Path) -> None:
    sign_in(page, url, "ana")
    go_to(page, "Jobs")
    expect(page.get_by_role("heading", name="Jobs")).to_be_visible(timeout=WAIT_MS)
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.get_by_test_id("stAlertContentSuccess").get_by_text("risk finished")).to_be_visible(
        timeout=WAIT_MS * 3)
    page.screenshot(path=shots / "browser-jobs.png")

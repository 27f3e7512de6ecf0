"""Screenshots of every dashboard page, from the demo data, into docs/screenshots/.

    python docs/screenshots/make_screenshots.py [--out docs/screenshots]

Generates the demo store in a temporary folder, starts ``credgraph dashboard``
on it, and drives Debian's Chromium (Playwright, no browser download) through
the pages as an analyst (and the audit page as an admin).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser_flows import (  # noqa: E402  (the repository root must be on the path first)
    CHROMIUM,
    WAIT_MS,
    dashboard_server,
    go_to,
    prepare_demo,
    settled_network,
    sign_in,
)


def riskiest_firm(db: Path) -> str:
    """The USCC of the demo's riskiest firm."""
    from credgraph.graph.store import open_store

    with open_store(str(db)) as store:
        firms = [n for n in store.iter_nodes(["Enterprise"]) if n.scores.get("total_score") is not None]
    return max(firms, key=lambda n: (n.scores["total_score"], n.key)).key


def linked_subject(db: Path, key: str) -> str:
    """A firm or person two or three links away from ``key``, for the path finder."""
    from credgraph.dashboard.paths import PATH_LINKS
    from credgraph.graph.store import open_store

    with open_store(str(db)) as store:
        sub = store.neighbourhood(key, 3, PATH_LINKS)
    far = sorted((-sub.depth[n.key], n.key) for n in sub.nodes
                 if n.label in ("Enterprise", "Person") and sub.depth.get(n.key, 0) >= 2)
    return far[0][1] if far else key


def shoot(page: Page, out: Path, name: str) -> None:
    """Save the page (settled) as ``name``.png."""
    page.wait_for_timeout(1500)
    page.screenshot(path=out / f"{name}.png", full_page=True)
    print(out / f"{name}.png")


def main() -> None:
    """Build the demo, serve it, and photograph each page."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="credgraph-shots-"))
    db, users = prepare_demo(work)
    firm = riskiest_firm(db)
    other = linked_subject(db, firm)
    with dashboard_server(db, users, work / "dashboard.log") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=WAIT_MS)
        shoot(page, args.out, "01-sign-in")
        sign_in(page, url, "ana")
        go_to(page, "Jobs")
        page.get_by_role("button", name="Run", exact=True).click()
        expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=WAIT_MS * 3)
        shoot(page, args.out, "02-jobs")
        go_to(page, "Search")
        page.get_by_label("Name, USCC or person ID").fill("贸易")
        page.get_by_label("Name, USCC or person ID").press("Enter")
        expect(page.get_by_role("button", name="Open subject")).to_be_visible(timeout=WAIT_MS)
        shoot(page, args.out, "03-search")
        go_to(page, "Search")
        page.get_by_label("Name, USCC or person ID").fill(firm)
        page.get_by_label("Name, USCC or person ID").press("Enter")
        page.get_by_role("button", name="Open subject").click()
        expect(page.get_by_role("tab", name="Network")).to_be_visible(timeout=WAIT_MS)
        shoot(page, args.out, "04-subject-profile")
        settled_network(page)
        shoot(page, args.out, "05-subject-network")
        page.get_by_role("tab", name="Risk explanation").click()
        expect(page.get_by_text("Strongest paths (source first)")).to_be_visible(timeout=WAIT_MS)
        shoot(page, args.out, "06-risk-explanation")
        go_to(page, "Paths")
        page.get_by_label("To", exact=True).fill(other)
        page.get_by_label("To", exact=True).press("Enter")
        page.get_by_role("button", name="Find paths").click()
        page.wait_for_timeout(3000)
        shoot(page, args.out, "07-paths")
        go_to(page, "Findings")
        expect(page.get_by_role("heading", name="Evidence")).to_be_visible(timeout=WAIT_MS)
        shoot(page, args.out, "08-findings")
        go_to(page, "Clusters")
        expect(page.locator("iframe").first).to_be_visible(timeout=WAIT_MS)
        shoot(page, args.out, "09-clusters")
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, url, "adam")
        go_to(page, "Audit")
        expect(page.get_by_role("heading", name="Audit log")).to_be_visible(timeout=WAIT_MS)
        shoot(page, args.out, "10-audit")
        browser.close()


if __name__ == "__main__":
    main()

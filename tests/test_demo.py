"""``credgraph demo``: from nothing to a loaded, analysed sample in one command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from credgraph.cli import output
from credgraph.cli.app import main
from credgraph.graph.sqlite_store import SqliteStore


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    work = tmp_path_factory.mktemp("demo")
    db = work / "demo.db"
    buffer = io.StringIO()
    output.out.file = buffer  # the module-scoped run cannot use capsys
    try:
        code = main(["demo", "--db", str(db), "--data", str(work / "data")])
    finally:
        output.out.file = None  # back to sys.stdout
    return code, buffer.getvalue(), db


def test_the_demo_succeeds(demo_run) -> None:
    assert demo_run[0] == 0


def test_the_demo_loads_the_sample_into_the_store(demo_run) -> None:
    with SqliteStore(demo_run[2], create=False) as store:
        counts = store.counts()
    assert counts["Enterprise"] > 1_500 and counts["SHAREHOLDER_OF"] > 0


def test_the_demo_grades_subjects_and_names_the_riskiest(demo_run) -> None:
    out = demo_run[1]
    assert "riskiest subjects as of 2024-06-30" in out
    assert "│ D " in out


def test_the_demo_says_how_to_open_the_dashboard(demo_run) -> None:
    assert f"credgraph dashboard --db {demo_run[2]}" in demo_run[1]

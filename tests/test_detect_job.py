"""The detection job, its settings, its output file and ``credgraph detect``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from credgraph.analytics.detection import DETECTORS, run_detection, write_findings_jsonl
from credgraph.analytics.detectors.base import finding_id, groups
from credgraph.analytics.detectors.cycles import cycle_relationships
from credgraph.analytics.detectors.graph import DetectionGraph
from credgraph.analytics.detectors.settings import load_settings
from credgraph.cli import output
from credgraph.cli.app import main
from credgraph.graph.errors import ConfigError
from credgraph.graph.projection import Projection
from credgraph.graph.records import Node, Relationship
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.graph.store import GraphStore
from tests.test_detect_definitions import AS_OF, Sketch, _ring

CONTRACT_KEYS = ["finding_id", "detector", "subjects", "score", "as_of", "evidence"]


@pytest.fixture
def ring_store(store: GraphStore) -> GraphStore:
    """A store of each kind holding one guarantee ring and one closed ownership cycle."""
    sketch = Sketch(store)
    _ring(sketch, ["G1", "G2", "G3"])
    sketch.share("G1", "G2", 100.0, label="Enterprise")
    sketch.share("G2", "G1", 100.0, label="Enterprise")
    return store


def test_the_six_detectors_are_named_in_contract_order() -> None:
    assert DETECTORS == ("reregistration", "shell_cluster", "bribery_association", "bid_rigging",
                         "guarantee_circle", "circular_ownership")


def test_a_run_is_recorded_with_its_date_engine_and_thresholds(ring_store: GraphStore) -> None:
    result = run_detection(ring_store, as_of=AS_OF, user="tester")
    [run] = ring_store.runs("detect")
    assert run.run_id == result.run_id and run.user == "tester"
    assert run.params["as_of"] == "2024-06-30" and run.params["engine"] in ("python", "cypher")
    assert run.params["settings_digest"] == load_settings().digest
    assert run.params["settings"]["bid_rigging"]["min_projects"] == 3


def test_stored_findings_read_back_equal_to_the_run_s_findings(ring_store: GraphStore) -> None:
    result = run_detection(ring_store, as_of=AS_OF)
    assert ring_store.findings(result.run_id) == sorted(result.findings, key=lambda f: (f.detector, f.finding_id))
    assert [f.detector for f in ring_store.findings(subject="G3")] == ["guarantee_circle"]


def test_the_run_is_audited(ring_store: GraphStore) -> None:
    result = run_detection(ring_store, ["guarantee_circle"], as_of=AS_OF, user="tester")
    event = ring_store.audit_log(1, action="detect")[0]
    assert event.target == result.run_id and event.details["findings"] == {"guarantee_circle": 1}


def test_the_same_finding_gets_the_same_id_in_every_run(ring_store: GraphStore) -> None:
    first = run_detection(ring_store, as_of=AS_OF)
    second = run_detection(ring_store, as_of=AS_OF)
    assert first.run_id != second.run_id
    assert [f.finding_id for f in first.findings] == [f.finding_id for f in second.findings]


def test_progress_is_reported_after_each_detector(sqlite_store: SqliteStore) -> None:
    seen: list[tuple[str, int, int]] = []
    run_detection(sqlite_store, ["bid_rigging", "reregistration"], AS_OF, progress=lambda *a: seen.append(a))
    assert seen == [("reregistration", 1, 2), ("bid_rigging", 2, 2)]


def test_an_unknown_detector_is_a_config_error_naming_the_six(sqlite_store: SqliteStore) -> None:
    with pytest.raises(ConfigError, match="choose from reregistration, shell_cluster"):
        run_detection(sqlite_store, ["phoenix"])


def test_the_findings_file_has_the_contract_s_shape(ring_store: GraphStore, tmp_path: Path) -> None:
    result = run_detection(ring_store, as_of=AS_OF)
    path = tmp_path / "out" / "findings.jsonl"
    assert write_findings_jsonl(result.findings, path) == 2
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [list(line) for line in lines] == [CONTRACT_KEYS, CONTRACT_KEYS]
    assert lines[0]["as_of"] == "2024-06-30" and lines[0]["subjects"] == ["G1", "G2", "G3"]


def test_a_finding_id_is_the_detector_and_a_digest_of_its_subjects() -> None:
    assert finding_id("bid_rigging", ["A", "B"]) == finding_id("bid_rigging", ("A", "B"))
    assert finding_id("bid_rigging", ["A", "B"]) != finding_id("bid_rigging", ["B", "A"])
    assert finding_id("bid_rigging", ["A", "B"]).startswith("bid_rigging-")


def test_a_settings_file_overrides_only_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "strict.toml"
    path.write_text("[bid_rigging]\nmin_projects = 5\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.value("bid_rigging", "min_projects") == 5
    assert settings.value("shell_cluster", "window_days") == 30
    assert settings.digest != load_settings().digest


@pytest.mark.parametrize("text, message", [
    ("[bid_rigging]\nmin_rounds = 5\n", "unknown setting"),
    ("[phoenix]\nx = 1\n", "unknown detector settings section"),
    ("[bid_rigging]\nmin_projects = 2.5\n", "whole number"),
    ("[reregistration]\nlists = [\"red_list\"]\n", "black-list names"),
])
def test_a_bad_settings_file_is_a_one_line_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20))
@hypothesis_settings(max_examples=60, deadline=None)
def test_cycle_groups_are_the_strongly_connected_components_of_small_graphs(edges: list[tuple[int, int]]) -> None:
    firms = [f"F{i}" for i in range(8)]
    nodes = [Node("Enterprise", f, {}) for f in firms]
    rels = [Relationship("GUARANTEES", "Enterprise", firms[a], "Enterprise", firms[b], str(n), {})
            for n, (a, b) in enumerate(edges)]
    rows = cycle_relationships(DetectionGraph(Projection.build(nodes, rels)), "GUARANTEES", AS_OF)
    graph = nx.DiGraph((firms[a], firms[b]) for a, b in edges if a != b)
    expected = sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)
    assert groups((r["src"], r["dst"]) for r in rows) == expected


@given(st.lists(st.tuples(st.sampled_from("abcdefg"), st.sampled_from("abcdefg"))))
def test_groups_partition_the_ends_of_the_pairs(pairs: list[tuple[str, str]]) -> None:
    found = groups(pairs)
    members = [m for g in found for m in g]
    assert len(members) == len(set(members)) == len({x for p in pairs for x in p})
    assert all(any(a in g and b in g for g in found) for a, b in pairs)


def _cli(args: list[str]) -> tuple[int, str]:
    import io

    buffer = io.StringIO()
    output.out.file = buffer
    try:
        code = main(args)
    finally:
        output.out.file = None
    return code, buffer.getvalue()


def test_detect_writes_the_findings_and_prints_a_table_per_detector(tmp_path: Path) -> None:
    db = tmp_path / "ring.db"
    with SqliteStore(db) as store:
        store.ensure_schema()
        _ring(Sketch(store), ["G1", "G2", "G3"])
    code, printed = _cli(["detect", "--db", str(db), "--as-of", "2024-06-30", "--out", str(tmp_path / "f.jsonl")])
    assert code == 0
    assert "guarantee_circle" in printed and "circular_ownership" in printed
    assert len((tmp_path / "f.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    with SqliteStore(db, create=False) as store:
        assert [e.action for e in store.audit_log(2)] == ["export_findings", "detect"]


def test_detect_with_an_unknown_detector_exits_2_with_one_line(tmp_path: Path, capsys) -> None:
    code, _ = _cli(["detect", "--db", str(tmp_path / "x.db"), "--detector", "phoenix", "--out", str(tmp_path / "f")])
    assert code == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_detect_runs_only_the_detectors_asked_for(tmp_path: Path) -> None:
    db = tmp_path / "ring.db"
    code, printed = _cli(["detect", "--db", str(db), "--detector", "guarantee_circle", "--out", str(tmp_path / "f")])
    assert code == 0 and "guarantee_circle" in printed and "bid_rigging" not in printed
    assert dt.date.today().isoformat() in printed


def test_the_demo_prints_the_findings_of_every_detector(tmp_path: Path) -> None:
    code, printed = _cli(["demo", "--db", str(tmp_path / "demo.db"), "--data", str(tmp_path / "data")])
    assert code == 0 and "findings as of 2024-06-30" in printed
    for name in DETECTORS:
        assert f"│ {name} " in printed
    with SqliteStore(tmp_path / "demo.db", create=False) as store:
        assert len(store.findings()) == 36

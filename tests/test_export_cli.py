"""``credgraph export``: exit codes, one-line errors, masked by default, --full-ids recorded."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from credgraph.cli.app import main
from credgraph.graph.records import Finding, Run
from credgraph.graph.sqlite_store import SqliteStore
from tests.sample_graph import E2, E3, P1, load_sample


@pytest.fixture
def sample_db(tmp_path: Path) -> str:
    path = tmp_path / "sample.db"
    with SqliteStore(path) as store:
        store.ensure_schema()
        load_sample(store)
        store.record_run(Run("detect-cli", "detect", "2024-07-01T00:00:00+00:00", {"as_of": "2024-06-30"}))
        store.write_findings("detect-cli", [Finding("gc-1", "guarantee_circle", (E2, E3), 0.9, None, {})])
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["export", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def keys(folder: Path) -> set[str]:
    with (folder / "nodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {row["key"] for row in csv.DictReader(handle)}


def test_export_writes_the_package_and_prints_its_paths(capsys, sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    code, stdout, stderr = run(capsys, "--db", sample_db, "--subject", E2, "--out", str(out), "--zip")
    assert code == 0
    assert stdout.split() == [str(out), str(out) + ".zip"]
    assert "person IDs masked" in stderr
    assert (out / "manifest.json").exists() and (tmp_path / "pkg.zip").exists()


def test_the_cli_masks_person_ids_by_default(capsys, sample_db: str, tmp_path: Path) -> None:
    run(capsys, "--db", sample_db, "--subject", E2, "--out", str(tmp_path / "pkg"))
    assert P1 not in keys(tmp_path / "pkg")
    assert json.loads((tmp_path / "pkg" / "manifest.json").read_text())["person_ids"] == "masked"


def test_full_ids_are_exported_and_audited(capsys, sample_db: str, tmp_path: Path) -> None:
    code, _, _ = run(capsys, "--db", sample_db, "--subject", E2, "--out", str(tmp_path / "pkg"), "--full-ids")
    assert code == 0 and P1 in keys(tmp_path / "pkg")
    with SqliteStore(sample_db) as store:
        [event] = store.audit_log(action="export")
    assert event.details["person_ids"] == "full"


def test_a_finding_exports_with_its_detection_run(capsys, sample_db: str, tmp_path: Path) -> None:
    code, _, _ = run(capsys, "--db", sample_db, "--finding", "gc-1", "--run", "detect-cli", "--out", str(tmp_path / "p"))
    manifest = json.loads((tmp_path / "p" / "manifest.json").read_text())
    assert code == 0 and manifest["detection_run"]["run_id"] == "detect-cli"


def test_chinese_headers_by_option(capsys, sample_db: str, tmp_path: Path) -> None:
    run(capsys, "--db", sample_db, "--detector", "guarantee_circle", "--out", str(tmp_path / "p"), "--headers", "zh")
    assert (tmp_path / "p" / "nodes.csv").read_text(encoding="utf-8-sig").startswith("编号,类型")


@pytest.mark.parametrize(("args", "code", "message"), [
    ([], 2, "give exactly one of --finding ID, --detector NAME or --subject ID"),
    (["--subject", E2, "--finding", "gc-1"], 2, "give exactly one of"),
    (["--subject", E2, "--run", "detect-cli"], 2, "--run selects findings"),
    (["--subject", "nobody"], 1, "no subject with id 'nobody'"),
    (["--finding", "nope"], 1, "no finding 'nope'"),
    (["--detector", "nope"], 1, "unknown detector 'nope'"),
    (["--subject", E2, "--role", "viewer"], 1, "the viewer role may not export"),
    (["--subject", E2, "--role", "chief"], 2, "unknown role 'chief'"),
    (["--subject", E2, "--headers", "fr"], 2, "--headers 'fr'"),
    (["--subject", E2, "--as-of", "2024-13-01"], 2, "--as-of '2024-13-01'"),
])
def test_bad_requests_fail_in_one_line(capsys, sample_db: str, tmp_path: Path, args: list[str], code: int,
                                       message: str) -> None:
    got, _, stderr = run(capsys, "--db", sample_db, *args, "--out", str(tmp_path / "pkg"))
    assert got == code
    assert message in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "pkg").exists()


def test_an_existing_folder_is_refused(capsys, sample_db: str, tmp_path: Path) -> None:
    run(capsys, "--db", sample_db, "--subject", E2, "--out", str(tmp_path / "pkg"))
    code, _, stderr = run(capsys, "--db", sample_db, "--subject", E2, "--out", str(tmp_path / "pkg"))
    assert code == 2 and "exists and is not an empty folder" in stderr

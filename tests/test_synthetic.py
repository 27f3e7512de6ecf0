"""The synthetic data generator: API, format of the files, validity, determinism, loading.

Truth, planted patterns, decoys and ownership are in test_synthetic_truth.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from credgraph.graph.errors import ConfigError
from credgraph.graph.identifiers import resident_id_facts, resident_id_problem, uscc_problem
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.loaders.load import load_folder
from credgraph.loaders.specs import SPECS
from credgraph.synthetic.codes import org_check_char
from credgraph.synthetic.generate import SIZES, GenerationSummary, generate, generate_enterprises
from credgraph.synthetic.readback import Dataset, read_folder
from credgraph.synthetic.verify import check_format, check_references
from credgraph.synthetic.writer import COLUMNS

# CONTRACT.md section 1, copied by hand: the generator must write exactly these columns.
CONTRACT = {
    "enterprises.csv": "uscc name reg_date status end_date registered_capital region_code industry org_type address "
                       "phone email",
    "persons.csv": "person_id name id_type",
    "agencies.csv": "agency_id name region_code kind",
    "projects.csv": "project_id name agency_id category budget publish_date award_date region_code",
    "legal_reps.csv": "person_id uscc start_date end_date",
    "officers.csv": "person_id uscc role start_date end_date",
    "shareholdings.csv": "holder_id holder_type uscc share_pct subscribed_capital start_date end_date",
    "guarantees.csv": "guarantor_uscc debtor_uscc amount start_date end_date",
    "bids.csv": "project_id uscc amount bid_date won",
    "penalties.csv": "penalty_id subject_id subject_type decision_date category kind agency_id amount legal_basis "
                     "description status repaired_date",
    "list_entries.csv": "entry_id subject_id subject_type list listed_date removed_date agency_id reason",
}


@pytest.fixture(scope="module")
def s_run(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate("S", seed=7, out=tmp_path_factory.mktemp("synthetic") / "s7")


@pytest.fixture(scope="module")
def data(s_run: GenerationSummary) -> Dataset:
    return read_folder(s_run.out)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# -- API --------------------------------------------------------------------------


def test_summary_describes_the_run(s_run: GenerationSummary) -> None:
    assert (s_run.size, s_run.seed) == ("S", 7)
    assert SIZES["S"] <= s_run.enterprises <= SIZES["S"] * 1.05
    assert sorted(p.name for p in s_run.out.iterdir()) == sorted([*COLUMNS, "truth.json"])
    for file, rows in s_run.rows.items():
        with open(s_run.out / file, encoding="utf-8", newline="") as handle:
            assert sum(1 for _ in handle) == rows + 1  # header (no field holds a line break)
    assert all(s_run.planted[d] >= 6 for d in ("reregistration", "shell_cluster", "bribery_association",
                                              "bid_rigging", "guarantee_circle", "circular_ownership"))
    assert s_run.seconds > 0 and s_run.total_rows == sum(s_run.rows.values())


@pytest.mark.parametrize("size", ["XL", "", "s ", 3])
def test_unknown_size_is_a_config_error(size: object, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown size"):
        generate(size, out=tmp_path / "out")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_output_folder_that_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    target = tmp_path / "data.csv"
    target.write_text("x")
    with pytest.raises(ConfigError, match="is an existing file"):
        generate("S", out=target)


def test_output_folder_with_other_files_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="not empty") as caught:
        generate("S", out=tmp_path)
    assert "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_progress_reports_enterprises_up_to_the_total(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    generate_enterprises(400, seed=3, out=tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (400, 400)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and {t for _, t in calls} == {400}


# -- determinism ---------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(s_run: GenerationSummary, tmp_path: Path) -> None:
    again = generate("S", seed=7, out=tmp_path / "again")
    assert _digests(again.out) == _digests(s_run.out)


def test_bytes_do_not_depend_on_the_hash_seed(s_run: GenerationSummary, tmp_path: Path) -> None:
    code = "import sys; from pathlib import Path; from credgraph.synthetic.generate import generate; " \
           "generate('S', seed=7, out=Path(sys.argv[1]))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "h")], check=True, env=env)
    assert _digests(tmp_path / "h") == _digests(s_run.out)


def test_rerun_into_the_same_folder_replaces_the_files(s_run: GenerationSummary, tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(s_run.out, folder)
    generate("S", seed=8, out=folder)
    generate("S", seed=7, out=folder)
    assert _digests(folder) == _digests(s_run.out)


def test_other_seed_gives_other_data(s_run: GenerationSummary, tmp_path: Path) -> None:
    other = _digests(generate("S", seed=8, out=tmp_path / "s8").out)
    assert all(other[name] != digest for name, digest in _digests(s_run.out).items() if name != "agencies.csv")


# -- format and validity --------------------------------------------------------------


def test_headers_are_the_contract_columns(data: Dataset) -> None:
    assert {f: " ".join(h) for f, h in data.headers.items()} == CONTRACT
    # reg_no and org_code are optional columns of enterprises.csv that published worlds carry
    optional = {"enterprises.csv": {"reg_no", "org_code"}}
    assert all(set(data.headers[f]) == SPECS[f].columns - optional.get(f, set()) for f in CONTRACT)


def test_every_cell_cleans_and_every_required_cell_is_filled(data: Dataset) -> None:
    assert check_format(data) == []


def test_every_uscc_validates_with_its_organisation_code(data: Dataset) -> None:
    codes = [r["uscc"] for r in data["enterprises.csv"]] + [r["agency_id"] for r in data["agencies.csv"]]
    assert all(uscc_problem(c) is None for c in codes)
    assert all(org_check_char(c[8:16]) == c[16] for c in codes)
    kinds = Counter(c[:2] for c in codes)
    assert set(kinds) == {"91", "92", "11", "12"}  # companies, individual businesses, organs, institutions
    assert all(c[:2] in ("11", "12") for c in (r["agency_id"] for r in data["agencies.csv"]))


def test_every_resident_id_validates_with_a_plausible_birth_date(data: Dataset) -> None:
    persons = data["persons.csv"]
    cn = [r["person_id"] for r in persons if (r["id_type"] or "cn_id") == "cn_id"]
    assert all(resident_id_problem(p) is None for p in cn)
    assert all(1950 <= resident_id_facts(p)[0].year <= 2002 for p in cn)
    assert 0 < sum(1 for r in persons if r["id_type"] == "passport") < len(persons) * 0.05


def test_keys_are_unique(data: Dataset) -> None:
    for file, key in [("enterprises.csv", "uscc"), ("persons.csv", "person_id"), ("agencies.csv", "agency_id"),
                      ("projects.csv", "project_id"), ("penalties.csv", "penalty_id"),
                      ("list_entries.csv", "entry_id")]:
        values = [r[key] for r in data[file]]
        assert len(values) == len(set(values)), file


def test_every_referenced_id_exists_and_every_project_has_one_winner(data: Dataset) -> None:
    assert check_references(data) == []


def test_people_hold_posts_only_as_adults(data: Dataset) -> None:
    born = {r["person_id"]: resident_id_facts(r["person_id"])[0] for r in data["persons.csv"]
            if (r["id_type"] or "cn_id") == "cn_id"}
    for r in data["legal_reps.csv"]:
        if r["person_id"] in born and r["start_date"]:
            assert (r["start_date"] - born[r["person_id"]]).days > 18 * 365


def test_vocabularies_are_covered(data: Dataset) -> None:
    assert {r["kind"] for r in data["agencies.csv"]} == {"procurer", "regulator", "court", "tax", "other"}
    assert {r["category"] for r in data["penalties.csv"]} >= {"bribery", "tax", "procurement", "food_drug",
                                                              "quality", "environment", "labor", "construction"}
    assert {r["status"] or "effective" for r in data["penalties.csv"]} == {"effective", "repaired", "revoked"}
    assert {r["kind"] for r in data["penalties.csv"]} == {"warning", "fine", "confiscation", "license_suspension",
                                                          "license_revocation", "criminal"}
    assert {r["list"] for r in data["list_entries.csv"]} == {
        "dishonest_debtor", "consumption_restricted", "major_tax_violation", "procurement_blacklist",
        "abnormal_operation", "serious_violation", "bribery_record", "red_list"}
    assert any(r["removed_date"] for r in data["list_entries.csv"])
    assert {r["role"] for r in data["officers.csv"]} == {"chair", "director", "supervisor", "manager", "other"}
    assert {r["status"] or "active" for r in data["enterprises.csv"]} == {"active", "revoked", "cancelled", "suspended",
                                                               "abnormal"}
    assert any("分公司" in r["name"] for r in data["enterprises.csv"])
    assert any(r["org_type"] == "个体工商户" for r in data["enterprises.csv"])


def test_shares_of_a_firm_never_add_up_to_more_than_100(data: Dataset) -> None:
    by_firm: dict[str, list[tuple[float, dt.date, dt.date | None]]] = {}
    for r in data["shareholdings.csv"]:
        by_firm.setdefault(r["uscc"], []).append((r["share_pct"], r["start_date"], r["end_date"]))
    for uscc, holdings in by_firm.items():
        for day in {start for _, start, _ in holdings}:
            total = sum(pct for pct, start, end in holdings if start <= day and (end is None or end > day))
            assert total <= 100 + 1e-9, (uscc, day)
    assert any(r["holder_type"] == "enterprise" for r in data["shareholdings.csv"])


def test_legal_representatives_change_hands(data: Dataset) -> None:
    ended = {(r["uscc"], r["end_date"]) for r in data["legal_reps.csv"] if r["end_date"]}
    successors = {(r["uscc"], r["start_date"]) for r in data["legal_reps.csv"]}
    assert ended and ended <= successors


def test_optional_fields_are_sometimes_missing(data: Dataset) -> None:
    firms = data["enterprises.csv"]
    for column in ("phone", "email", "address", "registered_capital", "industry", "region_code"):
        missing = sum(1 for r in firms if r[column] is None)
        assert 0 < missing < len(firms) * 0.5, column


def test_the_loader_takes_every_row(s_run: GenerationSummary, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    for name in COLUMNS:
        shutil.copy(s_run.out / name, folder / name)
    store = SqliteStore(tmp_path / "s.db")
    store.ensure_schema()
    report = load_folder(store, folder, report_dir=tmp_path / "report")
    assert report.error is None and report.rejects == []
    assert {f.file: f.loaded for f in report.files} == s_run.rows

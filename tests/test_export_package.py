"""Export packages on both stores: every file there, round trips, validation, masking, manifest, audit."""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

from credgraph.export.bods import validate_bods
from credgraph.export.flatten import flatten
from credgraph.export.gephi import read_graphml, to_networkx
from credgraph.export.identities import Identities
from credgraph.export.manifest import sha256_file, verify_package, write_zip
from credgraph.export.package import ExportResult, Selection, export_package
from credgraph.export.selection import collect
from credgraph.graph.errors import AccessDeniedError, ConfigError, NotFoundError
from credgraph.graph.records import Finding, Run
from credgraph.graph.store import GraphStore
from tests.sample_graph import A1, E1, E2, E3, E4, P1, P2, P3, PHONE

KEY = b"test key"
FILES = {"nodes.csv", "edges.csv", "tables.xlsx", "graph.graphml", "graph.gexf", "entities.ftm.json",
         "ownership.bods.json", "network.html", "findings.jsonl", "README.txt", "manifest.json"}
RUN = Run("detect-test-1", "detect", "2024-07-01T00:00:00+00:00", {"thresholds": {"min_cycle": 2}}, "analyst")
CIRCLE = Finding("guarantee_circle-1", "guarantee_circle", (E2, E3), 0.9, dt.date(2022, 1, 1),
                 {"guarantees": [{"guarantor": E2, "debtor": E3, "start_date": "2020-01-01"}]})
REREG = Finding("reregistration-1", "reregistration", (P3, E1), 0.7, dt.date(2022, 1, 1),
                {"list_entry": "LE1", "person": P3, "note": f"principal {P3} of a listed firm"})


def export(store: GraphStore, selection: Selection, tmp_path: Path, name: str = "pkg", **kw) -> ExportResult:
    kw.setdefault("role", "investigator")
    kw.setdefault("full_ids", False)
    return export_package(store, selection, tmp_path / "out" / name, user="tester", pseudonym_key=KEY, **kw)


def with_findings(store: GraphStore) -> GraphStore:
    store.record_run(RUN)
    store.write_findings(RUN.run_id, [CIRCLE, REREG])
    return store


def all_text(folder: Path) -> str:
    """Every file of a package as text (the workbook through its cells)."""
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(folder.iterdir()) if p.suffix != ".xlsx"]
    book = load_workbook(folder / "tables.xlsx", read_only=True)
    texts += [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    texts += book.sheetnames
    return "\n".join(texts)


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_subject_package_holds_every_file(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2), tmp_path)
    assert {p.name for p in result.folder.iterdir()} == FILES
    assert set(result.files) == FILES


def test_a_subject_package_is_its_neighbourhood(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2, depth=1), tmp_path, full_ids=True)
    keys = {row["key"] for row in csv_rows(result.folder / "nodes.csv")}
    assert keys == {E2, P1, E3, PHONE, "PR1"}


def test_the_manifest_hashes_match_the_files(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2), tmp_path)
    assert verify_package(result.folder) == []
    assert result.files["manifest.json"] == sha256_file(result.folder / "manifest.json")
    for name, digest in result.files.items():
        assert sha256_file(result.folder / name) == digest


def test_a_changed_file_fails_verification(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2), tmp_path)
    with (result.folder / "nodes.csv").open("a", encoding="utf-8") as handle:
        handle.write("tampered\n")
    assert verify_package(result.folder) == ["nodes.csv: sha256 differs"]


def test_the_manifest_says_where_the_data_comes_from(sample_store: GraphStore, tmp_path: Path) -> None:
    sample_store.record_run(Run("risk-test-1", "risk", "2024-07-01T00:00:00+00:00", {"as_of": "2024-06-30"}))
    manifest = export(sample_store, Selection.subject(E2), tmp_path).manifest
    assert [load["load_id"] for load in manifest["loads"]] == ["load-sample"]
    assert manifest["risk_runs"][0]["run_id"] == "risk-test-1"
    assert manifest["risk_runs"][0]["params"] == {"as_of": "2024-06-30"}
    assert (manifest["user"], manifest["role"], manifest["person_ids"]) == ("tester", "investigator", "masked")
    assert manifest["selection"] == {"kind": "subject", "subject": E2, "depth": 2}
    assert manifest["counts"]["nodes"]["Enterprise"] == 3


def test_graphml_read_back_equals_the_exported_subgraph(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E1, depth=3), tmp_path, full_ids=True)
    contents = collect(sample_store, Selection.subject(E1, depth=3))
    expected = to_networkx(flatten(contents, Identities(False, KEY), sample_store.model))
    back = read_graphml(result.folder / "graph.graphml")
    assert dict(back.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
    assert back.nodes[f"Enterprise:{E1}"]["registered_capital"] == 4104113.182
    assert back.nodes[f"Enterprise:{E1}"]["reg_date"] == "1987-09-15"


def test_graphml_keeps_the_store_relationships_one_to_one(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E1, depth=4), tmp_path, full_ids=True)
    back = read_graphml(result.folder / "graph.graphml")
    stored = list(sample_store.neighbourhood(E1, 4).relationships)
    assert back.number_of_edges() == len(stored)
    legal_reps = [k for _, v, k, d in back.edges(keys=True, data=True) if d["type"] == "LEGAL_REP_OF"]
    assert len(legal_reps) == 2  # two periods, two edges


def test_gexf_read_back_has_every_node_and_edge(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2), tmp_path)
    back = nx.read_gexf(result.folder / "graph.gexf")
    nodes = csv_rows(result.folder / "nodes.csv")
    edges = csv_rows(result.folder / "edges.csv")
    assert set(back.nodes) == {row["id"] for row in nodes}
    assert sorted(d["rel_type"] for _, _, d in back.edges(data=True)) == sorted(row["type"] for row in edges)


def test_every_ftm_entity_validates_with_the_followthemoney_model(sample_store: GraphStore, tmp_path: Path) -> None:
    from followthemoney import model

    result = export(with_findings(sample_store), Selection.detector("guarantee_circle"), tmp_path)
    lines = (result.folder / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    ids = {e["id"] for e in entities}
    for entity in entities:
        proxy = model.get_proxy(entity, cleaned=False)
        assert proxy.schema.validate(proxy.to_dict()) is None
        assert proxy.to_dict()["properties"] == entity["properties"], "a value did not survive cleaning"
        for prop in proxy.schema.properties.values():
            if prop.type.name == "entity":
                assert set(proxy.get(prop)) <= ids, f"{entity['id']} names an entity not in the file"
    assert result.manifest["validation"]["followthemoney"]["problems"] == []


def test_ftm_maps_records_and_relationships_to_their_schemata(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E1, depth=4), tmp_path, full_ids=True)
    entities = [json.loads(x) for x in (result.folder / "entities.ftm.json").read_text(encoding="utf-8").splitlines()]
    by_schema: dict[str, list[dict]] = {}
    for entity in entities:
        by_schema.setdefault(entity["schema"], []).append(entity)
    assert {"Company", "Person", "PublicBody", "Project", "Sanction", "Ownership", "Directorship",
            "UnknownLink", "ProjectParticipant"} <= set(by_schema)
    ownership = {e["properties"]["percentage"][0] for e in by_schema["Ownership"]}
    assert ownership == {"60.0", "100.0"}
    sanction = by_schema["Sanction"][0]["properties"]
    assert sanction["entity"] == [f"cg-enterprise-{E3}"] and sanction["authority"] == ["广州市政府采购中心"]


def test_bods_statements_validate_with_libcovebods(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E1, depth=4), tmp_path)
    path = result.folder / "ownership.bods.json"
    assert validate_bods(path) == []
    statements = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(s["recordType"] for s in statements) == ["entity", "entity", "entity", "person",
                                                            "relationship", "relationship"]


def test_bods_flags_a_broken_statement(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E1, depth=4), tmp_path)
    path = result.folder / "ownership.bods.json"
    statements = json.loads(path.read_text(encoding="utf-8"))
    statements[-1]["recordDetails"]["interests"][0]["share"]["exact"] = 180
    path.write_text(json.dumps(statements), encoding="utf-8")
    assert any("180" in problem for problem in validate_bods(path))


def test_bods_shareholdings_carry_the_exact_share(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2, depth=1), tmp_path, full_ids=True)
    statements = json.loads((result.folder / "ownership.bods.json").read_text(encoding="utf-8"))
    [relationship] = [s for s in statements if s["recordType"] == "relationship"]
    [interest] = relationship["recordDetails"]["interests"]
    assert interest["type"] == "shareholding" and interest["share"] == {"exact": 60.0}
    assert interest["beneficialOwnershipOrControl"] is True
    [person] = [s for s in statements if s["recordType"] == "person"]
    assert person["recordDetails"]["identifiers"] == [{"id": P1, "scheme": "CHN-IDCARD"}]


def test_a_masked_package_holds_no_full_person_id_in_any_file(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(with_findings(sample_store), Selection.subject(E1, depth=4), tmp_path, zip=True)
    text = all_text(result.folder)
    for person_id in (P1, P2, P3):
        assert person_id not in text
    with zipfile.ZipFile(result.zip_path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert not any(p.encode() in data for p in (P1, P2, P3)), name


def test_a_masked_package_names_a_person_by_one_pseudonym_everywhere(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(with_findings(sample_store), Selection.subject(E2, depth=2), tmp_path)
    pseudonym = Identities(True, KEY).person_key(P1)
    assert pseudonym.startswith("4401**********0019~")
    folder = result.folder
    assert f"Person:{pseudonym}" in {row["id"] for row in csv_rows(folder / "nodes.csv")}
    assert f"Person:{pseudonym}" in {row["source"] for row in csv_rows(folder / "edges.csv")}
    assert f"Person:{pseudonym}" in read_graphml(folder / "graph.graphml")
    persons = [json.loads(x) for x in (folder / "entities.ftm.json").read_text(encoding="utf-8").splitlines()]
    assert [p["properties"]["idNumber"] for p in persons if p["schema"] == "Person"] == [[pseudonym]]
    assert pseudonym in (folder / "network.html").read_text(encoding="utf-8")


def test_a_masked_package_withholds_birth_dates(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(P1, depth=1), tmp_path)
    [person] = [row for row in csv_rows(result.folder / "nodes.csv") if row["type"] == "Person"]
    assert "birth_date" not in person and "1980-01-01" not in all_text(result.folder)


def test_full_ids_show_person_ids_and_birth_dates(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(P1, depth=1), tmp_path, full_ids=True)
    [person] = [row for row in csv_rows(result.folder / "nodes.csv") if row["type"] == "Person"]
    assert (person["key"], person["birth_date"]) == (P1, "1980-01-01")
    assert result.manifest["person_ids"] == "full"


def test_the_role_decides_masking_when_not_told(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export_package(sample_store, Selection.subject(P1, 1), tmp_path / "a", role="analyst", user="u")
    assert result.manifest["person_ids"] == "full"


def test_a_viewer_may_not_export(sample_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(AccessDeniedError, match="viewer role may not export"):
        export(sample_store, Selection.subject(E2), tmp_path, role="viewer")
    assert not (tmp_path / "out").exists()


def test_an_unknown_role_is_a_config_error(sample_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown role"):
        export(sample_store, Selection.subject(E2), tmp_path, role="boss")


def test_an_existing_package_is_never_overwritten(sample_store: GraphStore, tmp_path: Path) -> None:
    export(sample_store, Selection.subject(E2), tmp_path)
    with pytest.raises(ConfigError, match="not an empty folder"):
        export(sample_store, Selection.subject(E1), tmp_path)


def test_an_empty_out_folder_is_used(sample_store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "out" / "pkg").mkdir(parents=True)
    assert export(sample_store, Selection.subject(E2), tmp_path).folder == tmp_path / "out" / "pkg"


def test_an_unknown_subject_is_not_found_and_writes_nothing(sample_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no subject with id 'nobody'"):
        export(sample_store, Selection.subject("nobody"), tmp_path)
    assert not (tmp_path / "out").exists()


def test_every_export_is_audited_with_the_manifest_digest(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2), tmp_path, zip=True)
    [event] = sample_store.audit_log(action="export")
    assert event.user == "tester"
    assert json.loads(event.target) == {"kind": "subject", "subject": E2, "depth": 2}
    assert event.details["manifest_sha256"] == result.manifest_sha256
    assert event.details["zip_sha256"] == sha256_file(result.zip_path)
    assert event.details["person_ids"] == "masked"


def test_the_zip_is_deterministic_and_holds_the_folder(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2), tmp_path, zip=True)
    again = write_zip(result.folder, tmp_path / "again.zip")
    assert again == sha256_file(result.zip_path)
    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
    assert names == sorted(f"pkg/{name}" for name in FILES)


def test_a_finding_package_holds_subjects_evidence_and_neighbours(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(with_findings(sample_store), Selection.finding("reregistration-1"), tmp_path, full_ids=True)
    keys = {row["key"] for row in csv_rows(result.folder / "nodes.csv")}
    assert {P3, E1, "LE1", E4, P1, P2, E3, "PR1"} <= keys  # subjects, evidence, depth-1 neighbours
    assert E2 not in keys and PHONE not in keys  # two hops from the subjects
    assert result.manifest["detection_run"]["run_id"] == RUN.run_id
    assert result.manifest["detection_run"]["params"] == {"thresholds": {"min_cycle": 2}}


def test_a_finding_package_holds_the_nodes_its_evidence_names(sample_store: GraphStore, tmp_path: Path) -> None:
    far = Finding("test-far", "reregistration", (E4,), 0.5, None, {"records": ["PEN1"], "checked": "2024-06-30"})
    sample_store.record_run(RUN)
    sample_store.write_findings(RUN.run_id, [far])
    result = export(sample_store, Selection.finding("test-far"), tmp_path)
    keys = {row["key"] for row in csv_rows(result.folder / "nodes.csv")}
    assert "PEN1" in keys and E4 in keys
    assert E3 not in keys  # the penalty's holder is not named: the evidence node is not expanded


def test_findings_jsonl_has_the_contract_shape_and_is_masked(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(with_findings(sample_store), Selection.finding("reregistration-1"), tmp_path)
    [line] = (result.folder / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    finding = json.loads(line)
    pseudonym = Identities(True, KEY).person_key(P3)
    assert set(finding) == {"finding_id", "detector", "subjects", "score", "as_of", "evidence"}
    assert finding["subjects"] == [pseudonym, E1]
    assert finding["evidence"]["note"] == f"principal {pseudonym} of a listed firm"


def test_a_detector_package_joins_its_findings(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(with_findings(sample_store), Selection.detector("guarantee_circle"), tmp_path)
    edges = csv_rows(result.folder / "edges.csv")
    assert sum(row["type"] == "GUARANTEES" for row in edges) == 2
    assert result.manifest["counts"]["findings"] == 1


@pytest.mark.parametrize(("selection", "message"), [
    (Selection.finding("nope"), "no finding 'nope'"),
    (Selection.detector("nope"), "unknown detector 'nope'"),
    (Selection.detector("bid_rigging"), "has no findings"),
    (Selection.finding("reregistration-1", run_id="detect-other"), "no detection run 'detect-other'"),
])
def test_unknown_findings_and_detectors_are_not_found(sample_store: GraphStore, tmp_path: Path,
                                                      selection: Selection, message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        export(with_findings(sample_store), selection, tmp_path)


def test_findings_need_a_detection_run(sample_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="run `credgraph detect` first"):
        export(sample_store, Selection.detector("guarantee_circle"), tmp_path)


def test_a_node_selection_holds_the_links_among_its_nodes_only(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.nodes([E2, E3, PHONE], "cluster"), tmp_path)
    edges = {(row["type"], row["source"], row["target"]) for row in csv_rows(result.folder / "edges.csv")}
    assert {t for t, _, _ in edges} == {"GUARANTEES", "HAS_PHONE"}
    assert len(edges) == 4
    assert result.manifest["selection"] == {"kind": "nodes", "name": "cluster", "keys": [E2, E3, PHONE]}


def test_as_of_leaves_out_what_was_not_in_force(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E1, depth=1), tmp_path, as_of=dt.date(2016, 1, 1), full_ids=True)
    legal_reps = [row for row in csv_rows(result.folder / "edges.csv") if row["type"] == "LEGAL_REP_OF"]
    assert [row["source"] for row in legal_reps] == [f"Person:{P2}"]
    assert result.manifest["as_of"] == "2016-01-01"


def test_excel_has_one_sheet_per_type_with_typed_cells(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E1, depth=4), tmp_path)
    book = load_workbook(result.folder / "tables.xlsx")
    assert {"Enterprise", "Person", "Penalty", "SHAREHOLDER_OF", "GUARANTEES"} <= set(book.sheetnames)
    sheet = book["Enterprise"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    huawei = next(r for r in rows if r["key"] == E1)
    assert huawei["registered_capital"] == 4104113.182
    assert huawei["reg_date"].date() == dt.date(1987, 9, 15)


def test_chinese_headers_name_columns_and_sheets_in_chinese(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(E2), tmp_path, headers="zh")
    with (result.folder / "nodes.csv").open(encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle))
    assert header[:4] == ["编号", "类型", "显示名", "主键"] and "统一社会信用代码" in header
    assert {"企业", "自然人", "担保"} <= set(load_workbook(result.folder / "tables.xlsx").sheetnames)


def test_bad_header_language_is_a_config_error(sample_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--headers 'fr'"):
        export(sample_store, Selection.subject(E2), tmp_path, headers="fr")


def test_the_network_page_is_standalone(sample_store: GraphStore, tmp_path: Path) -> None:
    page = (export(sample_store, Selection.subject(E2), tmp_path).folder / "network.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "小米科技有限责任公司" in page


def test_agency_keys_stay_unmasked(sample_store: GraphStore, tmp_path: Path) -> None:
    result = export(sample_store, Selection.subject(A1, depth=1), tmp_path)
    assert f"Agency:{A1}" in {row["id"] for row in csv_rows(result.folder / "nodes.csv")}

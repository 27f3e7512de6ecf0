"""``load_published``: a published file (or a folder of them) into a store through a mapping.

Rows are accounted for as in ``load_folder`` (contract section 1): every row
ends in the store or in ``rejects.csv``; a file that cannot be read as a whole
applies nothing; identical rows with one key merge and rows that share a key
but differ are all rejected, citing each other's lines. For each table, in one
transaction:

1. every row becomes a ``SourceRecord`` holding its cells verbatim;
2. the nodes with their own key (penalties, list entries, projects) are
   written, each linked ``RECORDED_IN`` to its rows and ``ISSUED_BY`` its
   agency where the agency is in the store (by USCC, else by a unique name);
3. every subject a row names becomes a ``Mention`` that the row ``MENTIONS``,
   carrying the facts (relationships) it makes once resolved.

Resolution (``credgraph.resolution``) then links the mentions; ``load`` runs it
after every load unless asked not to.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credgraph.graph.errors import ConfigError
from credgraph.graph.records import NodeRow, Origin, RelRow, WriteResult
from credgraph.graph.store import GraphStore, utc_now
from credgraph.graph.types import normalise_text
from credgraph.loaders.published.mapping import Mapping
from credgraph.loaders.published.rows import PublishedRow, RecordNode, read_row
from credgraph.loaders.report import FileReport, LoadReport, Reject, write_report
from credgraph.loaders.tables import RawTable, Table, TableError, count_data_lines, read_table, sheet_names

Progress = Callable[[str], None]
TABLE_SUFFIXES = (".csv", ".xlsx")


def find_published_tables(path: Path) -> tuple[list[Table], list[str]]:
    """The tables of a published file or folder (every CSV, every sheet of every xlsx), and files ignored."""
    if path.is_file():
        candidates = [path]
    elif path.is_dir():
        candidates = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    else:
        raise ConfigError(f"{path}: no such file or folder")
    tables: list[Table] = []
    ignored: list[str] = []
    for file in candidates:
        suffix = file.suffix.lower()
        if suffix == ".csv":
            tables.append(Table(file.name, file))
        elif suffix == ".xlsx":
            tables.extend(Table(file.name, file, sheet) for sheet in sheet_names(file))
        else:
            ignored.append(file.name)
    return tables, ignored


def _merge_duplicates(rows: list[PublishedRow], report: FileReport, rejects: list[Reject]) -> list[PublishedRow]:
    groups: dict[str, list[PublishedRow]] = defaultdict(list)
    for row in rows:
        groups[row.record_id].append(row)
    kept = []
    for group in groups.values():
        first = group[0]
        if all(r.cells == first.cells for r in group[1:]):
            first.duplicate_lines = [r.line for r in group[1:]]
            kept.append(first)
            continue
        lines = ", ".join(str(r.line) for r in group)
        for row in group:
            rejects.append(Reject(report.source, row.line, "", "", f"duplicate key with different values on lines {lines}"))
        report.rejected += len(group)
    return kept


def _fill_shares(mapping: Mapping, rows: list[PublishedRow]) -> None:
    """Empty shares with ``fill = "share_of"``: the row's weight over its group's, where every weight is known."""
    for rel in mapping.relations:
        for name, value in rel.properties.items():
            if value.fill != "share_of" or not value.weight or not value.group:
                continue
            groups: dict[str, list[tuple[dict[str, Any], float | None]]] = defaultdict(list)
            for row in rows:
                group = next((m for m in row.mentions if m.spec.role == value.group), None)
                if group is None:
                    continue
                who = group.props.get("id_value") or group.props.get("name") or ""
                weight = _number(row.cells.get(value.weight, ""))
                for mention in row.mentions:
                    for fact in mention.facts:
                        if fact["type"] == rel.type:
                            groups[who].append((fact["props"], weight))
            for members in groups.values():
                total = sum(w for _, w in members if w is not None)
                if total <= 0 or any(w is None for _, w in members):
                    continue
                for props, weight in members:
                    if props.get(name) is None and weight:
                        props[name] = round(100.0 * weight / total, 4)
    for row in rows:
        for mention in row.mentions:
            if mention.facts:
                mention.props["facts"] = json.dumps(mention.facts, ensure_ascii=False, sort_keys=True)


def _number(text: str) -> float | None:
    try:
        value = float(normalise_text(text).replace(",", "").removesuffix("万元").removesuffix("万"))
    except ValueError:
        return None
    return value if value >= 0 else None


def prepare_published(raw: RawTable, mapping: Mapping, report: FileReport, rejects: list[Reject]) -> list[PublishedRow]:
    """Read, clean and de-duplicate the rows of one published table."""
    report.read = len(raw.rows)
    problems = mapping.header_problems(raw.header)
    if problems:
        raise TableError(f"{raw.table.source}: {'; '.join(problems)}")
    cleaned: list[PublishedRow] = []
    for line, values in raw.rows:
        result = read_row(mapping, line, raw.header, values)
        if isinstance(result, PublishedRow):
            cleaned.append(result)
            continue
        report.rejected += 1
        rejects.extend(Reject(report.source, line, p.column, p.value, p.reason) for p in result)
    rows = _merge_duplicates(cleaned, report, rejects)
    _fill_shares(mapping, rows)
    report.loaded = sum(len(r.lines) for r in rows)
    return rows


@dataclass(frozen=True)
class AgencyIndex:
    """The agencies in the store, by USCC and by normalised name (names shared by two agencies are left out)."""

    ids: frozenset[str]
    by_name: dict[str, str]

    @classmethod
    def of(cls, store: GraphStore) -> AgencyIndex:
        ids, names = set(), defaultdict(set)
        for node in store.iter_nodes(["Agency"]):
            ids.add(node.key)
            names[normalise_text(node.name or "").replace(" ", "")].add(node.key)
        return cls(frozenset(ids), {n: next(iter(k)) for n, k in names.items() if len(k) == 1 and n})

    def find(self, record: RecordNode, cells: dict[str, str]) -> str | None:
        """The agency that issued ``record``, if the store has it."""
        ref = record.spec.agency
        if ref is None:
            return None
        if ref.id:
            code = normalise_text(cells.get(ref.id, "")).upper().replace(" ", "")
            if code in self.ids:
                return code
        if ref.name:
            return self.by_name.get(normalise_text(cells.get(ref.name, "")).replace(" ", ""))
        return None


def write_published(rows: list[PublishedRow], store: GraphStore, origin: Origin, agencies: AgencyIndex) -> WriteResult:
    """Write a table's source records, records, mentions and their links in one transaction.

    Returns how many source rows were new or changed, and how many repeated what the store held.
    """
    sources = [NodeRow({"record_id": r.record_id, "source": r.mentions[0].props["source"] if r.mentions else "",
                        "cells": json.dumps(r.cells, ensure_ascii=False, sort_keys=True)}, r.line) for r in rows]
    records: dict[tuple[str, str], NodeRow] = {}
    recorded_in: dict[str, list[RelRow]] = defaultdict(list)
    issued: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        for record in row.records:
            label = record.spec.label
            agency = agencies.find(record, row.cells)
            props = {**record.props, **({"agency_id": agency} if agency and label != "Project" else {})}
            known = records.get((label, record.key))
            records[(label, record.key)] = NodeRow({**props, **known.props} if known else props,
                                                   known.line if known else row.line)
            recorded_in[label].append(RelRow(record.key, row.record_id, line=row.line, src_label=label))
            if agency and label != "Project":
                issued[label][record.key] = agency
    mentions = [NodeRow(m.props, row.line) for row in rows for m in row.mentions]
    mentions_rel = [RelRow(row.record_id, m.mention_id, line=row.line) for row in rows for m in row.mentions]
    if not rows:
        return WriteResult()
    with store.atomic():
        result = store.upsert_nodes("SourceRecord", sources, origin)
        by_label: dict[str, list[NodeRow]] = defaultdict(list)
        for (label, _), node in records.items():
            by_label[label].append(node)
        for label, nodes in sorted(by_label.items()):
            store.upsert_nodes(label, nodes, origin)
        if mentions:
            store.upsert_nodes("Mention", mentions, origin)
        store.replace_relationships("MENTIONS", "SourceRecord", [r.record_id for r in rows], mentions_rel, origin)
        for rels in recorded_in.values():
            store.upsert_relationships("RECORDED_IN", rels, origin)
        for label, by_key in sorted(issued.items()):
            owners = [key for (lab, key) in records if lab == label]
            rels = [RelRow(key, agency, src_label=label) for key, agency in sorted(by_key.items())]
            store.replace_relationships("ISSUED_BY", label, owners, rels, origin)
    return result


def _process(table: Table, mapping: Mapping, store: GraphStore, encoding: str, report: LoadReport,
             origin: Origin | None, agencies: AgencyIndex) -> None:
    file_report = FileReport(mapping.name, table.source)
    report.files.append(file_report)
    rejects: list[Reject] = []
    try:
        rows = prepare_published(read_table(table, encoding), mapping, file_report, rejects)
    except TableError as exc:
        file_report.error = str(exc)
        file_report.read = file_report.read or count_data_lines(table)
        file_report.loaded, file_report.rejected = 0, file_report.read
        report.rejects.append(Reject(table.source, None, "", "", str(exc)))
        return
    report.rejects.extend(sorted(rejects, key=lambda r: (r.line or 0, r.column)))
    if origin is not None and rows:
        result = write_published(rows, store, Origin(origin.load_id, table.source, origin.loaded_at), agencies)
        file_report.written, file_report.unchanged = result.written, result.unchanged


def load_published(
    store: GraphStore,
    path: Path,
    mapping: Mapping,
    *,
    encoding: str = "utf-8",
    strict: bool = False,
    report_dir: Path | None = None,
    user: str = "",
    progress: Progress | None = None,
) -> LoadReport:
    """Load a published file or folder through ``mapping``; write and return the report.

    With ``strict`` every table is checked first and nothing is written if any
    row is bad. Resolution is not run here: see ``credgraph.resolution.job``.
    """
    tables, ignored = find_published_tables(path)
    record = store.begin_load(f"{path} ({mapping.name})", user)
    report = LoadReport(record.load_id, str(path), store.location, record.started_at, strict, ignored=ignored)
    origin = Origin(record.load_id, "", record.started_at)
    agencies = AgencyIndex.of(store)
    if not tables:
        report.error = f"no CSV or xlsx file in {path}"
    else:
        if strict:
            check = LoadReport(report.load_id, report.folder, report.store, report.started_at, True)
            for table in tables:
                _process(table, mapping, store, encoding, check, None, agencies)
            if check.rejects:
                report.files, report.rejects = check.files, check.rejects
                for f in report.files:
                    f.loaded, f.rejected = 0, f.read
                report.error = f"--strict: {len(check.rejects)} problems found, nothing was loaded"
        if not report.error:
            for table in tables:
                if progress:
                    progress(table.source)
                _process(table, mapping, store, encoding, report, origin, agencies)
    report.finished_at = utc_now()
    store.finish_load(record.load_id, report.status, report.as_dict()["files"])
    write_report(report, report_dir or Path("load-reports") / record.load_id)
    return report


"""``load_folder``: a folder of input tables into a store, every row accounted for.

Tables load in the order of ``FILE_ORDER`` (entities before the records and
relations that point at them). Each table is read and cleaned completely before
anything of it is written, so a table that cannot be read applies nothing:

1. read (``tables.py``); a whole-table problem rejects the table;
2. clean each row (``rows.py``);
3. duplicates: identical rows with one key merge; rows that share a key but
   differ are all rejected, citing each other's lines (no silent choice);
4. references must name a node of this load or of the store ("unknown uscc ...");
5. write the table's nodes or relationships, plus the links its rows imply
   (a firm's phone, a penalty's subject), replacing the links earlier loads made.

With ``strict`` every table is checked first and nothing is written if any row
is bad. Loading the same folder twice leaves the store unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from credgraph.graph.encoding import relationship_key
from credgraph.graph.model import MODEL
from credgraph.graph.records import NodeRow, Origin, RelRow, WriteResult
from credgraph.graph.store import GraphStore, utc_now
from credgraph.loaders.bods import find_bods_files, load_bods_file
from credgraph.loaders.people import probable_duplicate_persons
from credgraph.loaders.report import FileReport, LoadReport, Reject, write_report
from credgraph.loaders.rows import CleanRow, clean_row, header_problems
from credgraph.loaders.specs import FILE_ORDER, SPECS, InputSpec
from credgraph.loaders.tables import RawTable, Table, TableError, count_data_lines, find_tables, read_table

Progress = Callable[[str], None]


@dataclass
class Prepared:
    """A table read, cleaned and checked: the rows to write."""

    spec: InputSpec
    table: Table
    rows: list[CleanRow]


def _identity(spec: InputSpec, row: CleanRow) -> tuple[object, ...]:
    if spec.kind == "node":
        return (row.props[MODEL.nodes[spec.target].key],)
    ends = tuple((link.label, link.key) for link in row.links)
    return (*ends, relationship_key(MODEL.relationships[spec.target], row.props))


def _describe(identity: tuple[object, ...]) -> str:
    return " ".join(str(part[1]) if isinstance(part, tuple) else str(part) for part in identity if part != "")


def _merge_duplicates(spec: InputSpec, rows: list[CleanRow], report: FileReport, rejects: list[Reject]) -> list[CleanRow]:
    groups: dict[tuple[object, ...], list[CleanRow]] = defaultdict(list)
    for row in rows:
        groups[_identity(spec, row)].append(row)
    kept = []
    for identity, group in groups.items():
        first = group[0]
        if all(r.props == first.props and r.links == first.links for r in group[1:]):
            first.duplicate_lines = [r.line for r in group[1:]]
            kept.append(first)
            continue
        lines = ", ".join(str(r.line) for r in group)
        for row in group:
            rejects.append(Reject(report.source, row.line, "", _describe(identity),
                                  f"duplicate key with different values on lines {lines}"))
        report.rejected += len(group)
    return kept


def _check_references(
    rows: list[CleanRow], known: dict[str, set[str]], store: GraphStore, report: FileReport, rejects: list[Reject]
) -> list[CleanRow]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for link in row.links:
            if not link.ref.creates and link.key not in known[link.label]:
                wanted[link.label].add(link.key)
    in_store = {label: store.existing_keys(label, keys) for label, keys in wanted.items()}
    kept = []
    for row in rows:
        missing = [
            link for link in row.links
            if not link.ref.creates and link.key not in known[link.label] and link.key not in in_store[link.label]
        ]
        if not missing:
            kept.append(row)
            continue
        report.rejected += len(row.lines)
        for line in row.lines:
            for link in missing:
                rejects.append(Reject(report.source, line, link.ref.column, link.key,
                                      f"unknown {MODEL.nodes[link.label].key} {link.key}: not in this load nor in the store"))
    return kept


def prepare(
    raw: RawTable, spec: InputSpec, known: dict[str, set[str]], store: GraphStore,
    report: FileReport, rejects: list[Reject],
) -> Prepared:
    """Clean, de-duplicate and reference-check the rows of one table."""
    report.read = len(raw.rows)
    problems = header_problems(spec, raw.header)
    if problems:
        raise TableError(f"{raw.table.source}: {'; '.join(problems)}")
    cleaned: list[CleanRow] = []
    for line, values in raw.rows:
        result = clean_row(spec, line, raw.header, values)
        if isinstance(result, CleanRow):
            cleaned.append(result)
            continue
        report.rejected += 1
        rejects.extend(Reject(report.source, line, p.column, p.value, p.reason) for p in result)
    rows = _merge_duplicates(spec, cleaned, report, rejects)
    rows = _check_references(rows, known, store, report, rejects)
    report.loaded = sum(len(row.lines) for row in rows)
    if spec.kind == "node":
        known[spec.target].update(row.props[MODEL.nodes[spec.target].key] for row in rows)
    return Prepared(spec, raw.table, rows)


def _implied_links(prepared: Prepared, store: GraphStore, origin: Origin) -> None:
    label = prepared.spec.target
    key_name = MODEL.nodes[label].key
    owners = [row.props[key_name] for row in prepared.rows]
    for ref in prepared.spec.references:
        links = [(row, row.link(ref.column)) for row in prepared.rows]
        present = [(row.props[key_name], link) for row, link in links if link is not None]
        if ref.creates:
            contact = MODEL.nodes[ref.labels[0]]
            keys = sorted({link.key for _, link in present})
            store.upsert_nodes(contact.label, [NodeRow({contact.key: k}) for k in keys], origin)
        rels = [
            RelRow(owner, link.key, src_label=label) if ref.end == "dst"
            else RelRow(link.key, owner, src_label=link.label)
            for owner, link in present
        ]
        store.replace_relationships(ref.rel_type, label, owners, rels, origin)


def write(prepared: Prepared, store: GraphStore, origin: Origin) -> WriteResult:
    """Write a prepared table and the links its rows imply."""
    spec = prepared.spec
    with store.atomic():
        if spec.kind == "node":
            result = store.upsert_nodes(spec.target, [NodeRow(r.props, r.line) for r in prepared.rows], origin)
            _implied_links(prepared, store, origin)
            return result
        rows = [
            RelRow(r.links[0].key, r.links[1].key, r.props, r.line, src_label=r.links[0].label)
            for r in prepared.rows
        ]
        return store.upsert_relationships(spec.target, rows, origin)


def _process(
    table: Table, store: GraphStore, encoding: str, known: dict[str, set[str]], report: LoadReport,
    origin: Origin | None,
) -> None:
    """Prepare one table and, given an origin, write it; record the outcome in ``report``."""
    spec = SPECS[table.name]
    file_report = FileReport(table.name, table.source)
    report.files.append(file_report)
    rejects: list[Reject] = []
    try:
        prepared = prepare(read_table(table, encoding), spec, known, store, file_report, rejects)
    except TableError as exc:
        file_report.error = str(exc)
        file_report.read = file_report.read or count_data_lines(table)
        file_report.loaded, file_report.rejected = 0, file_report.read
        report.rejects.append(Reject(table.source, None, "", "", str(exc)))
        return
    report.rejects.extend(sorted(rejects, key=lambda r: (r.line or 0, r.column)))
    if origin is not None and prepared.rows:
        result = write(prepared, store, Origin(origin.load_id, table.source, origin.loaded_at))
        file_report.written, file_report.unchanged = result.written, result.unchanged


def load_folder(
    store: GraphStore,
    folder: Path,
    *,
    encoding: str = "utf-8",
    strict: bool = False,
    report_dir: Path | None = None,
    user: str = "",
    progress: Progress | None = None,
) -> LoadReport:
    """Load every input table of ``folder`` into ``store``; write and return the report."""
    tables, ignored = find_tables(folder, FILE_ORDER)
    bods_files = find_bods_files(folder)
    ignored = [name for name in ignored if name not in {p.name for p in bods_files}]
    record = store.begin_load(str(folder), user)
    report = LoadReport(record.load_id, str(folder), store.location, record.started_at, strict, ignored=ignored)
    origin = Origin(record.load_id, "", record.started_at)
    if not tables and not bods_files:
        report.error = f"no input files in {folder}: expected some of {', '.join(FILE_ORDER)}, or BODS .json"
    elif strict:
        _strict_load(tables, store, encoding, report, origin, progress)
    else:
        known: dict[str, set[str]] = defaultdict(set)
        for table in tables:
            if progress:
                progress(table.source)
            _process(table, store, encoding, known, report, origin)
    if not report.error:
        for path in bods_files:
            _import_bods(path, store, report, origin)
    if any(f.file in ("persons.csv", "legal_reps.csv", "officers.csv", "shareholdings.csv") and f.written
           for f in report.files):
        report.probable_duplicates = probable_duplicate_persons(store)
    report.finished_at = utc_now()
    store.finish_load(record.load_id, report.status, report.as_dict()["files"])
    write_report(report, report_dir or Path("load-reports") / record.load_id)
    return report


def _import_bods(path: Path, store: GraphStore, report: LoadReport, origin: Origin) -> None:
    try:
        file_report, rejects = load_bods_file(path, store, Origin(origin.load_id, path.name, origin.loaded_at))
    except TableError as exc:
        file_report, rejects = FileReport(path.name, path.name, error=str(exc)), [Reject(path.name, None, "", "", str(exc))]
    report.files.append(file_report)
    report.rejects.extend(rejects)


def _strict_load(
    tables: list[Table], store: GraphStore, encoding: str, report: LoadReport, origin: Origin,
    progress: Progress | None,
) -> None:
    """Check every table; write them all only if no row is bad."""
    check = LoadReport(report.load_id, report.folder, report.store, report.started_at, True)
    known: dict[str, set[str]] = defaultdict(set)
    for table in tables:
        if progress:
            progress(f"checking {table.source}")
        _process(table, store, encoding, known, check, None)
    if check.rejects:
        report.files, report.rejects = check.files, check.rejects
        for f in report.files:
            f.loaded, f.rejected = 0, f.read
        report.error = f"--strict: {len(check.rejects)} problems found, nothing was loaded"
        return
    known = defaultdict(set)
    for table in tables:
        if progress:
            progress(table.source)
        _process(table, store, encoding, known, report, origin)

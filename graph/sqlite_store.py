"""The embedded store: one SQLite file in WAL mode.

Nodes and relationships are rows of two tables with their properties as
canonical JSON; validity bounds and provenance are columns so that as-of
filters and load history need no JSON parsing. Every write call is one
transaction. The audit table refuses UPDATE and DELETE through triggers.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Mapping

from credgraph.graph.encoding import (
    content_hash,
    decode_props,
    node_in_force,
    encode_node,
    encode_relationship,
    props_json,
)
from credgraph.graph.errors import MissingEndpointError, ModelError, NotFoundError, StoreError
from credgraph.graph.model import Property
from credgraph.graph.records import (
    AuditEvent,
    Finding,
    LoadRecord,
    Node,
    NodeRow,
    Origin,
    Relationship,
    RelRow,
    Run,
    Subgraph,
    WriteResult,
)
from credgraph.graph.store import GraphStore, new_id, owner_end, utc_now

SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (
    label TEXT NOT NULL, key TEXT NOT NULL, name TEXT, props TEXT NOT NULL,
    valid_from TEXT, valid_to TEXT, scores TEXT,
    load_id TEXT, source_file TEXT, source_line INTEGER, loaded_at TEXT, load_ids TEXT,
    PRIMARY KEY (label, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_by_key ON nodes (key);
CREATE INDEX IF NOT EXISTS nodes_by_name ON nodes (name, label, key) WHERE name IS NOT NULL;
CREATE TABLE IF NOT EXISTS edges (
    type TEXT NOT NULL, src_label TEXT NOT NULL, src TEXT NOT NULL,
    dst_label TEXT NOT NULL, dst TEXT NOT NULL, rkey TEXT NOT NULL, props TEXT NOT NULL,
    valid_from TEXT, valid_to TEXT,
    load_id TEXT, source_file TEXT, source_line INTEGER, loaded_at TEXT, load_ids TEXT,
    UNIQUE (src, src_label, type, dst, dst_label, rkey),
    FOREIGN KEY (src_label, src) REFERENCES nodes (label, key),
    FOREIGN KEY (dst_label, dst) REFERENCES nodes (label, key)
);
CREATE INDEX IF NOT EXISTS edges_by_dst ON edges (dst, dst_label, type);
CREATE INDEX IF NOT EXISTS edges_by_type ON edges (type);
CREATE INDEX IF NOT EXISTS edges_by_via ON edges (json_extract(props, '$.via_mention'))
    WHERE json_extract(props, '$.via_mention') IS NOT NULL;
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL,
    params TEXT NOT NULL, user TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
    run_id TEXT NOT NULL REFERENCES runs (run_id), finding_id TEXT NOT NULL,
    detector TEXT NOT NULL, subjects TEXT NOT NULL, score REAL NOT NULL,
    as_of TEXT, evidence TEXT NOT NULL, PRIMARY KEY (run_id, finding_id)
);
CREATE TABLE IF NOT EXISTS finding_subjects (
    run_id TEXT NOT NULL, finding_id TEXT NOT NULL, subject TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS finding_subjects_by_subject ON finding_subjects (subject);
CREATE TABLE IF NOT EXISTS loads (
    load_id TEXT PRIMARY KEY, source TEXT NOT NULL, started_at TEXT NOT NULL,
    user TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, counts TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, details TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

STAGING = """
CREATE TEMP TABLE IF NOT EXISTS stage_nodes (
    label, key, name, props, valid_from, valid_to, line);
CREATE TEMP TABLE IF NOT EXISTS stage_owners (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS stage_edges (
    type, src_label, src, dst_label, dst, rkey, props, valid_from, valid_to, line);
"""

_PROVENANCE_UPSERT = """
    load_id = excluded.load_id, source_file = excluded.source_file,
    source_line = excluded.source_line, loaded_at = excluded.loaded_at,
    load_ids = CASE WHEN {table}.load_id = excluded.load_id THEN {table}.load_ids
               ELSE json_insert({table}.load_ids, '$[#]', excluded.load_id) END
"""

# Rows are staged in a temporary table, then merged in key order: sorted
# inserts into the B-trees are several times faster than row-by-row upserts.
# Within one batch the last row of a key wins, as in Neo4j's UNWIND ... MERGE.
MERGE_NODES = f"""
INSERT INTO nodes (label, key, name, props, valid_from, valid_to,
                   load_id, source_file, source_line, loaded_at, load_ids)
SELECT label, key, name, props, valid_from, valid_to,
       :load_id, :source_file, line, :loaded_at, json_array(:load_id)
FROM temp.stage_nodes WHERE true ORDER BY label, key, rowid
ON CONFLICT (label, key) DO UPDATE SET
    name = excluded.name, props = excluded.props,
    valid_from = excluded.valid_from, valid_to = excluded.valid_to,
    {_PROVENANCE_UPSERT.format(table="nodes")}
WHERE nodes.props IS NOT excluded.props
"""

MERGE_EDGES = f"""
INSERT INTO edges (type, src_label, src, dst_label, dst, rkey, props, valid_from, valid_to,
                   load_id, source_file, source_line, loaded_at, load_ids)
SELECT type, src_label, src, dst_label, dst, rkey, props, valid_from, valid_to,
       :load_id, :source_file, line, :loaded_at, json_array(:load_id)
FROM temp.stage_edges WHERE true ORDER BY src, src_label, type, dst, dst_label, rkey, rowid
ON CONFLICT (src, src_label, type, dst, dst_label, rkey) DO UPDATE SET
    props = excluded.props, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
    {_PROVENANCE_UPSERT.format(table="edges")}
WHERE edges.props IS NOT excluded.props
"""

MISSING_ENDPOINTS = """
SELECT label, key FROM (
    SELECT src_label AS label, src AS key FROM temp.stage_edges
    UNION SELECT dst_label, dst FROM temp.stage_edges
) AS e WHERE NOT EXISTS (SELECT 1 FROM nodes AS n WHERE n.label = e.label AND n.key = e.key)
ORDER BY label, key LIMIT 5
"""

_NODE_COLUMNS = "label, key, props, scores, load_id, source_file, source_line, loaded_at, load_ids"
_NODE_COLUMNS_OF_N = ", ".join(f"n.{c.strip()}" for c in _NODE_COLUMNS.split(","))
_EDGE_COLUMNS = (
    "type, src_label, src, dst_label, dst, rkey, props, "
    "load_id, source_file, source_line, loaded_at, load_ids"
)
_IN_FORCE = "({t}.valid_from IS NULL OR {t}.valid_from <= :as_of) AND ({t}.valid_to IS NULL OR :as_of < {t}.valid_to)"
CACHE_KIB = 256 * 1024  # page cache per connection; the default 2 MB thrashes on bulk loads
_CHUNK = 900  # stays under SQLite's bound-parameter limit in IN (...) lists


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _from_json(prop: Property) -> Any:
    return prop.type.from_json


def _provenance(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "load_id": row["load_id"],
        "source_file": row["source_file"],
        "source_line": row["source_line"],
        "loaded_at": row["loaded_at"],
        "load_ids": json.loads(row["load_ids"]) if row["load_ids"] else [],
    }


class SqliteStore(GraphStore):
    """The embedded store; ``path`` is a file, or ``:memory:`` for tests."""

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = str(path)
        if self.path != ":memory:" and not create and not Path(self.path).exists():
            raise NotFoundError(f"no store at {self.path}; load data first (credgraph load DIR)")
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA busy_timeout = 10000")
            self._conn.execute("PRAGMA temp_store = MEMORY")
            self._conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a credgraph store: {exc}") from None

    @property
    def location(self) -> str:
        return self.path

    def close(self) -> None:
        self._conn.close()

    def ensure_schema(self) -> None:
        try:
            self._conn.executescript(SCHEMA)
            self._conn.executescript(STAGING)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a credgraph store: {exc}") from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A transaction, or a savepoint inside the one already open."""
        nested = self._conn.in_transaction
        self._conn.execute("SAVEPOINT nested" if nested else "BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK TO nested" if nested else "ROLLBACK")
            if nested:
                self._conn.execute("RELEASE nested")
            raise
        self._conn.execute("RELEASE nested" if nested else "COMMIT")

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with self._transaction():
            yield

    def _write(self, sql: str, params: Iterable[tuple[Any, ...]]) -> int:
        """Run ``sql`` over ``params`` in one transaction; rows actually changed."""
        with self._transaction() as conn:
            before = conn.total_changes
            conn.executemany(sql, params)
            return conn.total_changes - before

    def _merge(self, stage: str, rows: list[tuple[Any, ...]], merge: str, origin: Origin) -> int:
        """Stage ``rows`` and merge them in one transaction; rows actually changed."""
        marks = ",".join("?" * len(rows[0]))
        with self._transaction() as conn:
            conn.execute(f"DELETE FROM temp.{stage}")
            conn.executemany(f"INSERT INTO temp.{stage} VALUES ({marks})", rows)
            before = conn.total_changes
            conn.execute(merge, {"load_id": origin.load_id, "source_file": origin.source_file,
                                 "loaded_at": origin.loaded_at})
            written = conn.total_changes - before
            conn.execute(f"DELETE FROM temp.{stage}")
        return written

    # -- writes -------------------------------------------------------------

    def upsert_nodes(self, label: str, rows: Iterable[NodeRow], origin: Origin) -> WriteResult:
        node_type = self.model.node(label)
        name_field = node_type.search[0] if node_type.search else None
        staged = []
        for row in rows:
            node = encode_node(node_type, row)
            name = node.props.get(name_field) if name_field else None
            staged.append((label, node.key, name, node.json, _iso(node.valid_from), _iso(node.valid_to), node.line))
        written = self._merge("stage_nodes", staged, MERGE_NODES, origin) if staged else 0
        return WriteResult(written, len(staged) - written)

    def upsert_relationships(self, rel_type: str, rows: Iterable[RelRow], origin: Origin) -> WriteResult:
        return self._upsert_staged(rel_type, self._staged_edges(rel_type, rows), origin)

    def _staged_edges(self, rel_type: str, rows: Iterable[RelRow]) -> list[tuple[Any, ...]]:
        """``rows`` encoded as rows of ``stage_edges`` (type, src_label, src, dst_label, dst, rkey, ...)."""
        rel = self.model.relationship(rel_type)
        staged = []
        for row in rows:
            edge = encode_relationship(rel, row)
            staged.append((
                rel.type, edge.src_label, edge.src, edge.dst_label, edge.dst, edge.rkey, edge.json,
                _iso(edge.valid_from), _iso(edge.valid_to), edge.line,
            ))
        return staged

    def _upsert_staged(self, rel_type: str, staged: list[tuple[Any, ...]], origin: Origin) -> WriteResult:
        if not staged:
            return WriteResult()
        try:
            written = self._merge("stage_edges", staged, MERGE_EDGES, origin)
        except sqlite3.IntegrityError:
            raise MissingEndpointError(self._missing_endpoints(rel_type, staged)) from None
        return WriteResult(written, len(staged) - written)

    def replace_relationships(
        self, rel_type: str, owner_label: str, owner_keys: Iterable[str], rows: Iterable[RelRow], origin: Origin
    ) -> WriteResult:
        end = owner_end(self.model, rel_type, owner_label)
        owners = [(key,) for key in owner_keys]
        staged = self._staged_edges(rel_type, rows)
        kept = {(row[2], row[4], row[5]) for row in staged}  # (src, dst, rkey)
        with self._transaction() as conn:
            conn.execute("DELETE FROM temp.stage_owners")
            conn.executemany("INSERT OR IGNORE INTO temp.stage_owners VALUES (?)", owners)
            stale = [
                r for r in conn.execute(
                    f"SELECT e.rowid AS id, e.src, e.dst, e.rkey FROM edges AS e JOIN temp.stage_owners AS o "
                    f"ON e.{end} = o.key WHERE e.type = ? AND e.{end}_label = ?", (rel_type, owner_label),
                )
                if (r["src"], r["dst"], r["rkey"]) not in kept
            ]
            conn.executemany("DELETE FROM edges WHERE rowid = ?", [(r["id"],) for r in stale])
            conn.execute("DELETE FROM temp.stage_owners")
            result = self._upsert_staged(rel_type, staged, origin)
        return WriteResult(result.written + len(stale), result.unchanged)

    def _missing_endpoints(self, rel_type: str, staged: list[tuple[Any, ...]]) -> str:
        with self._transaction() as conn:
            conn.executemany(f"INSERT INTO temp.stage_edges VALUES ({','.join('?' * 10)})", staged)
            missing = [f"{r[0]} {r[1]}" for r in conn.execute(MISSING_ENDPOINTS)]
            conn.execute("DELETE FROM temp.stage_edges")
        return f"{rel_type} rows name nodes not in the store: {', '.join(missing)}"

    def replace_linked(
        self, mention_ids: Iterable[str], rows: Mapping[str, Sequence[RelRow]], origin: Origin,
        rel_types: Sequence[str] | None = None,
    ) -> WriteResult:
        types = self.model.check_rel_types(rel_types)
        owners = [(key,) for key in mention_ids]
        with self._transaction() as conn:
            conn.execute("DELETE FROM temp.stage_owners")
            conn.executemany("INSERT OR IGNORE INTO temp.stage_owners VALUES (?)", owners)
            before = conn.total_changes
            sql = (
                "DELETE FROM edges WHERE json_extract(props, '$.via_mention') IS NOT NULL "
                "AND json_extract(props, '$.via_mention') IN (SELECT key FROM temp.stage_owners)"
            )
            if types is not None:
                sql += f" AND type IN ({','.join('?' * len(types))})"
            conn.execute(sql, types or ())
            deleted = conn.total_changes - before
            conn.execute("DELETE FROM temp.stage_owners")
            result = WriteResult()
            for rel_type, batch in rows.items():
                result = result + self.upsert_relationships(rel_type, batch, origin)
        return WriteResult(result.written + deleted, result.unchanged)

    def write_scores(self, label: str, scores: Mapping[str, Mapping[str, Any]], run_id: str) -> int:
        self.model.node(label)
        unknown = {name for values in scores.values() for name in values} - set(self.model.scores)
        if unknown:
            raise ModelError(f"undeclared score names: {sorted(unknown)}; declare them in schema.toml [scores]")
        params = [
            (props_json({**values, "score_run_id": run_id}), label, key) for key, values in scores.items()
        ]
        sql = "UPDATE nodes SET scores = json_patch(coalesce(scores, '{}'), ?) WHERE label = ? AND key = ?"
        return self._write(sql, params)

    # -- reads --------------------------------------------------------------

    def _node(self, row: sqlite3.Row) -> Node:
        node_type = self.model.node(row["label"])
        props = decode_props(json.loads(row["props"]), node_type.properties, _from_json)
        scores = decode_props(json.loads(row["scores"] or "{}"), self.model.scores, _from_json)
        return Node(row["label"], row["key"], props, scores, _provenance(row))

    def _relationship(self, row: sqlite3.Row) -> Relationship:
        rel = self.model.relationship(row["type"])
        props = decode_props(json.loads(row["props"]), rel.properties, _from_json)
        return Relationship(
            row["type"], row["src_label"], row["src"], row["dst_label"], row["dst"], row["rkey"],
            props, _provenance(row),
        )

    def get_node(self, label: str, key: str) -> Node | None:
        self.model.node(label)
        row = self._conn.execute(
            f"SELECT {_NODE_COLUMNS} FROM nodes WHERE label = ? AND key = ?", (label, key)
        ).fetchone()
        return self._node(row) if row else None

    def existing_keys(self, label: str, keys: Iterable[str]) -> set[str]:
        self.model.node(label)
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            rows = self._conn.execute(
                f"SELECT key FROM nodes WHERE label = ? AND key IN ({','.join('?' * len(chunk))})", (label, *chunk)
            )
            found.update(r[0] for r in rows)
        return found

    def find_nodes(self, key: str) -> list[Node]:
        rows = self._conn.execute(f"SELECT {_NODE_COLUMNS} FROM nodes WHERE key = ?", (key,))
        order = list(self.model.nodes)
        return sorted((self._node(r) for r in rows), key=lambda n: order.index(n.label))

    def search(self, text: str, labels: Sequence[str] | None = None, limit: int = 20) -> list[Node]:
        wanted = self.model.check_labels(labels) or tuple(self.model.nodes)
        exact = [n for n in self.find_nodes(text) if n.label in wanted]
        searchable = [label for label in wanted if self.model.nodes[label].search]
        if not text or not searchable:
            return exact[:limit]
        marks = ",".join("?" * len(searchable))
        rows = self._conn.execute(
            f"SELECT {_NODE_COLUMNS} FROM nodes INDEXED BY nodes_by_name "
            f"WHERE name IS NOT NULL AND instr(name, ?) > 0 AND label IN ({marks}) "
            "ORDER BY length(name), name, label, key LIMIT ?",
            (text, *searchable, limit + len(exact)),
        )
        seen = {(n.label, n.key) for n in exact}
        found = [n for n in map(self._node, rows) if (n.label, n.key) not in seen]
        return (exact + found)[:limit]

    def iter_nodes(self, labels: Sequence[str] | None = None, as_of: dt.date | None = None) -> Iterator[Node]:
        for label in self.model.check_labels(labels) or tuple(self.model.nodes):
            sql = f"SELECT {_NODE_COLUMNS} FROM nodes AS n WHERE label = :label"
            if as_of is not None:
                sql += " AND " + _IN_FORCE.format(t="n")
            rows = self._conn.execute(sql + " ORDER BY key", {"label": label, "as_of": _iso(as_of)})
            yield from map(self._node, rows)

    def iter_relationships(
        self, rel_types: Sequence[str] | None = None, as_of: dt.date | None = None
    ) -> Iterator[Relationship]:
        for rel_type in self.model.check_rel_types(rel_types) or tuple(self.model.relationships):
            sql = f"SELECT {_EDGE_COLUMNS} FROM edges AS e WHERE type = :type"
            if as_of is not None:
                sql += " AND " + _IN_FORCE.format(t="e")
            sql += " ORDER BY src, src_label, dst, dst_label, rkey"
            yield from map(self._relationship, self._conn.execute(sql, {"type": rel_type, "as_of": _iso(as_of)}))

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys([*self.model.nodes, *self.model.relationships], 0)
        for row in self._conn.execute("SELECT label, count(*) FROM nodes GROUP BY label"):
            out[row[0]] = row[1]
        for row in self._conn.execute("SELECT type, count(*) FROM edges GROUP BY type"):
            out[row[0]] = row[1]
        return out

    def node_table(self, label: str, fields: Sequence[str]) -> dict[str, list[Any]]:
        self.model.node(label)
        extracts = "".join(f", json_extract(props, ?) AS f{i}" for i in range(len(fields)))
        rows = self._conn.execute(
            f"SELECT key, source_file, source_line{extracts} FROM nodes WHERE label = ? ORDER BY key",
            (*(f"$.{name}" for name in fields), label),
        )
        columns: list[list[Any]] = [[] for _ in range(3 + len(fields))]
        for row in rows:
            for column, value in zip(columns, row):
                column.append(value)
        return dict(zip(("key", "source_file", "source_line", *fields), columns))

    def relationship_table(
        self, rel_types: Sequence[str], fields: Sequence[str] = (), linked: bool | None = None
    ) -> dict[str, list[Any]]:
        types = self.model.check_rel_types(rel_types) or ()
        names = ("type", "src_label", "src", "dst_label", "dst", "rkey", "digest", *fields)
        columns: list[list[Any]] = [[] for _ in names]
        if not types:
            return dict(zip(names, columns))
        extracts = "".join(f", json_extract(props, ?) AS f{i}" for i in range(len(fields)))
        where = {None: "", True: " AND json_extract(props, '$.via_mention') IS NOT NULL",
                 False: " AND json_extract(props, '$.via_mention') IS NULL"}[linked]
        rows = self._conn.execute(
            f"SELECT type, src_label, src, dst_label, dst, rkey, props{extracts} FROM edges "
            f"WHERE type IN ({','.join('?' * len(types))}){where} ORDER BY type, src, dst, rkey",
            (*(f"$.{name}" for name in fields), *types),
        )
        for row in rows:
            values = list(row)
            values[6] = content_hash(values[6])
            for column, value in zip(columns, values):
                column.append(value)
        return dict(zip(names, columns))

    # -- neighbourhood ------------------------------------------------------

    def neighbourhood(
        self,
        key: str,
        depth: int = 1,
        rel_types: Sequence[str] | None = None,
        as_of: dt.date | None = None,
    ) -> Subgraph:
        types = self.model.check_rel_types(rel_types)
        starts = [n for n in self.find_nodes(key) if node_in_force(n, self.model.nodes[n.label], as_of)]
        if not starts:
            raise NotFoundError(f"no subject {key!r} in {self.path}" + (f" on {as_of}" if as_of else ""))
        start = starts[0]
        nodes = {(start.label, start.key): start}
        dist = {start.key: 0}
        frontier = [(start.label, start.key)]
        for hop in range(1, depth + 1):
            found: list[tuple[str, str]] = []
            for rel in self._incident(frontier, types, as_of):
                for end in ((rel.src_label, rel.src), (rel.dst_label, rel.dst)):
                    if end not in nodes and end not in found:
                        found.append(end)
            fresh = [n for n in self._nodes_at(found) if node_in_force(n, self.model.nodes[n.label], as_of)]
            for node in fresh:
                nodes[(node.label, node.key)] = node
                dist.setdefault(node.key, hop)
            frontier = [(n.label, n.key) for n in fresh]
            if not frontier:
                break
        rels = {
            rel.identity: rel
            for rel in self._incident(list(nodes), types, as_of)
            if (rel.src_label, rel.src) in nodes and (rel.dst_label, rel.dst) in nodes
        }
        return Subgraph(tuple(nodes.values()), tuple(rels[k] for k in sorted(rels)), dist)

    def _nodes_at(self, ends: list[tuple[str, str]]) -> list[Node]:
        out: list[Node] = []
        for i in range(0, len(ends), _CHUNK // 2):
            chunk = ends[i : i + _CHUNK // 2]
            marks = ",".join("(?, ?)" for _ in chunk)
            flat = [v for end in chunk for v in end]
            # A join, not `(label, key) IN (VALUES ...)`: SQLite scans the whole table for that.
            rows = self._conn.execute(
                f"WITH f(label, key) AS (VALUES {marks}) SELECT {_NODE_COLUMNS_OF_N} FROM f "
                "JOIN nodes AS n ON n.label = f.label AND n.key = f.key ORDER BY n.label, n.key", flat
            )
            out.extend(map(self._node, rows))
        return out

    def _incident(
        self, ends: list[tuple[str, str]], types: tuple[str, ...] | None, as_of: dt.date | None
    ) -> Iterator[Relationship]:
        """Relationships touching any of ``ends``, filtered by type and date."""
        extra = ""
        params: dict[str, Any] = {"as_of": _iso(as_of)}
        if types is not None:
            params.update({f"t{i}": t for i, t in enumerate(types)})
            extra += f" AND e.type IN ({','.join(f':t{i}' for i in range(len(types)))})"
        if as_of is not None:
            extra += " AND " + _IN_FORCE.format(t="e")
        for i in range(0, len(ends), _CHUNK // 2):
            chunk = ends[i : i + _CHUNK // 2]
            values = ",".join(f"(:l{j}, :k{j})" for j in range(len(chunk)))
            chunk_params = {**params, **{f"l{j}": e[0] for j, e in enumerate(chunk)}}
            chunk_params.update({f"k{j}": e[1] for j, e in enumerate(chunk)})
            sql = (
                f"WITH f(label, key) AS (VALUES {values}) "
                f"SELECT {_EDGE_COLUMNS} FROM f JOIN edges AS e ON e.src = f.key AND e.src_label = f.label "
                f"WHERE 1 {extra} UNION "
                f"SELECT {_EDGE_COLUMNS} FROM f JOIN edges AS e ON e.dst = f.key AND e.dst_label = f.label "
                f"WHERE 1 {extra}"
            )
            yield from map(self._relationship, self._conn.execute(sql, chunk_params))

    # -- runs, findings, loads, audit ----------------------------------------

    def record_run(self, run: Run) -> None:
        self._write(
            "INSERT INTO runs (run_id, kind, started_at, params, user) VALUES (?, ?, ?, ?, ?)",
            [(run.run_id, run.kind, run.started_at, json.dumps(run.params, default=str), run.user)],
        )

    def runs(self, kind: str | None = None) -> list[Run]:
        rows = self._conn.execute(
            "SELECT * FROM runs WHERE ? IS NULL OR kind = ? ORDER BY started_at DESC, run_id DESC",
            (kind, kind),
        )
        return [Run(r["run_id"], r["kind"], r["started_at"], json.loads(r["params"]), r["user"]) for r in rows]

    def write_findings(self, run_id: str, findings: Sequence[Finding]) -> int:
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, f.finding_id, f.detector, json.dumps(list(f.subjects)), f.score,
                     _iso(f.as_of), json.dumps(f.evidence, ensure_ascii=False, default=str))
                    for f in findings
                ],
            )
            conn.executemany(
                "INSERT INTO finding_subjects VALUES (?, ?, ?)",
                [(run_id, f.finding_id, s) for f in findings for s in f.subjects],
            )
        return len(findings)

    def findings(
        self, run_id: str | None = None, detector: str | None = None, subject: str | None = None
    ) -> list[Finding]:
        if run_id is None:
            latest = self.runs("detect")
            if not latest:
                return []
            run_id = latest[0].run_id
        rows = self._conn.execute(
            "SELECT * FROM findings f WHERE run_id = :run AND (:det IS NULL OR detector = :det) "
            "AND (:sub IS NULL OR EXISTS (SELECT 1 FROM finding_subjects s WHERE s.run_id = f.run_id "
            "AND s.finding_id = f.finding_id AND s.subject = :sub)) ORDER BY detector, finding_id",
            {"run": run_id, "det": detector, "sub": subject},
        )
        return [
            Finding(
                r["finding_id"], r["detector"], tuple(json.loads(r["subjects"])), r["score"],
                dt.date.fromisoformat(r["as_of"]) if r["as_of"] else None, json.loads(r["evidence"]),
            )
            for r in rows
        ]

    def begin_load(self, source: str, user: str) -> LoadRecord:
        record = LoadRecord(new_id("load"), source, utc_now(), user)
        self._write(
            "INSERT INTO loads VALUES (?, ?, ?, ?, NULL, ?, '{}')",
            [(record.load_id, source, record.started_at, user, record.status)],
        )
        return record

    def finish_load(self, load_id: str, status: str, counts: Mapping[str, Any]) -> None:
        changed = self._write(
            "UPDATE loads SET finished_at = ?, status = ?, counts = ? WHERE load_id = ?",
            [(utc_now(), status, json.dumps(counts, ensure_ascii=False), load_id)],
        )
        if not changed:
            raise NotFoundError(f"no load {load_id!r} in the load history")

    def loads(self) -> list[LoadRecord]:
        rows = self._conn.execute("SELECT * FROM loads ORDER BY started_at DESC, load_id DESC")
        return [
            LoadRecord(r["load_id"], r["source"], r["started_at"], r["user"], r["finished_at"],
                       r["status"], json.loads(r["counts"]))
            for r in rows
        ]

    def audit(self, user: str, action: str, target: str, details: Mapping[str, Any] | None = None) -> None:
        self._write(
            "INSERT INTO audit (at, user, action, target, details) VALUES (?, ?, ?, ?, ?)",
            [(utc_now(), user, action, target, json.dumps(details or {}, ensure_ascii=False, default=str))],
        )

    def audit_log(self, limit: int = 100, user: str | None = None, action: str | None = None) -> list[AuditEvent]:
        rows = self._conn.execute(
            "SELECT * FROM audit WHERE (:u IS NULL OR user = :u) AND (:a IS NULL OR action = :a) "
            "ORDER BY seq DESC LIMIT :n",
            {"u": user, "a": action, "n": limit},
        )
        return [AuditEvent(r["at"], r["user"], r["action"], r["target"], json.loads(r["details"])) for r in rows]

"""The Neo4j store, through the official ``neo4j`` Python driver.

Writes are batched ``UNWIND $rows`` statements inside one transaction per call.
Cypher text is built once from the graph model (labels, types and key names are
declared constants, never data); every value travels as a parameter.

Nodes carry their declared properties plus ``valid_from`` / ``valid_to``, the
provenance fields, analysis scores, and ``content_hash`` (the digest of the
loaded properties, to tell a changed row from a repeat). Relationships carry
``rkey``, the part of their identity beyond their two ends.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Mapping

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable

from credgraph.graph.encoding import (
    EncodedNode,
    EncodedRel,
    content_hash,
    decode_props,
    encode_node,
    encode_relationship,
    node_in_force,
)
from credgraph.graph.errors import MissingEndpointError, ModelError, NotFoundError, StoreError
from credgraph.graph.model import Model, Property
from credgraph.graph.resources import cypher_dir
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

BATCH_SIZE = 10_000
INTERNAL = {"content_hash", "valid_from", "valid_to", "rkey"}
_IN_FORCE = (
    "($asOf IS NULL OR (({v}.valid_from IS NULL OR {v}.valid_from <= $asOf) "
    "AND ({v}.valid_to IS NULL OR $asOf < {v}.valid_to)))"
)
_PROVENANCE_SET = """
SET {v}.content_hash = row.hash, {v}.valid_from = row.valid_from, {v}.valid_to = row.valid_to,
    {v}.load_id = $loadId, {v}.source_file = $sourceFile, {v}.source_line = row.line,
    {v}.loaded_at = $loadedAt,
    {v}.load_ids = CASE WHEN $loadId IN load_ids THEN load_ids ELSE load_ids + $loadId END
"""


def _from_neo4j(prop: Property) -> Any:
    return prop.type.from_neo4j


def _label_of(labels: Iterable[str], model: Model) -> str:
    for label in labels:
        if label in model.nodes:
            return label
    raise ModelError(f"a node with labels {list(labels)} is not in the graph model")


class CypherLibrary:
    """The store's Cypher statements, generated once from the model."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.all_types = "|".join(model.relationships)

    def key_expr(self, var: str, labels: Sequence[str]) -> str:
        """An expression for the key of ``var``, whichever of ``labels`` it has."""
        if len(labels) == 1:
            return f"{var}.{self.model.nodes[labels[0]].key}"
        cases = " ".join(f"WHEN {var}:{label} THEN {var}.{self.model.nodes[label].key}" for label in labels)
        return f"CASE {cases} END"

    def upsert_nodes(self, label: str) -> str:
        node = self.model.nodes[label]
        kept = ", ".join(f".{name}" for name in self.model.scores)
        return (
            f"UNWIND $rows AS row MERGE (n:{label} {{{node.key}: row.key}}) "
            "WITH n, row WHERE n.content_hash IS NULL OR n.content_hash <> row.hash "
            f"WITH n, row, n {{{kept}}} AS scores, coalesce(n.load_ids, []) AS load_ids "
            "SET n = row.props SET n += scores "
            + _PROVENANCE_SET.format(v="n")
            + "RETURN count(n) AS written"
        )

    def upsert_relationships(self, rel_type: str, src_label: str) -> str:
        rel = self.model.relationships[rel_type]
        src_key = self.model.nodes[src_label].key
        dst_label = rel.to_labels[0]
        dst_key = self.model.nodes[dst_label].key
        return (
            "UNWIND $rows AS row "
            f"OPTIONAL MATCH (a:{src_label} {{{src_key}: row.src}}) "
            f"OPTIONAL MATCH (b:{dst_label} {{{dst_key}: row.dst}}) "
            "CALL (row, a, b) { "
            "  WITH * WHERE a IS NOT NULL AND b IS NOT NULL "
            f"  MERGE (a)-[r:{rel_type} {{rkey: row.rkey}}]->(b) "
            "  WITH r, row WHERE r.content_hash IS NULL OR r.content_hash <> row.hash "
            "  WITH r, row, coalesce(r.load_ids, []) AS load_ids "
            "  SET r = row.props SET r.rkey = row.rkey "
            + _PROVENANCE_SET.format(v="r")
            + "  RETURN count(r) AS changed } "
            "RETURN sum(changed) AS written, "
            f"collect(CASE WHEN a IS NULL THEN '{src_label} ' + row.src "
            f"WHEN b IS NULL THEN '{dst_label} ' + row.dst END)[..5] AS missing"
        )

    def missing_endpoints(self, rel_type: str, src_label: str) -> str:
        rel = self.model.relationships[rel_type]
        dst_label = rel.to_labels[0]
        return (
            f"UNWIND $rows AS row OPTIONAL MATCH (a:{src_label} {{{self.model.nodes[src_label].key}: row.src}}) "
            f"OPTIONAL MATCH (b:{dst_label} {{{self.model.nodes[dst_label].key}: row.dst}}) "
            "WITH row, a, b WHERE a IS NULL OR b IS NULL "
            f"RETURN DISTINCT CASE WHEN a IS NULL THEN '{src_label} ' + row.src "
            f"ELSE '{dst_label} ' + row.dst END AS missing LIMIT 5"
        )

    def delete_stale(self, rel_type: str, owner_label: str, end: str) -> str:
        rel = self.model.relationships[rel_type]
        owner_key = self.model.nodes[owner_label].key
        other_labels = rel.to_labels if end == "src" else rel.from_labels
        arrow = f"-[r:{rel_type}]->(y)" if end == "src" else f"<-[r:{rel_type}]-(y)"
        return (
            f"UNWIND $owners AS o MATCH (x:{owner_label} {{{owner_key}: o.key}}){arrow} "
            f"WITH r, o, {self.key_expr('y', other_labels)} + '|' + r.rkey AS identity "
            "WHERE NOT identity IN o.keep DELETE r RETURN count(r) AS deleted"
        )

    def find_by_key(self) -> str:
        return " UNION ALL ".join(
            f"MATCH (n:{label} {{{node.key}: $key}}) RETURN elementId(n) AS id, n"
            for label, node in self.model.nodes.items()
        )

    def search(self) -> str:
        return " UNION ALL ".join(
            f"MATCH (n:{label}) WHERE n.{node.search[0]} CONTAINS $text AND '{label}' IN $labels "
            f"RETURN n ORDER BY size(n.{node.search[0]}), n.{node.search[0]}, n.{node.key} LIMIT $limit"
            for label, node in self.model.nodes.items()
            if node.search
        )

    def nodes_of(self, label: str) -> str:
        key = self.model.nodes[label].key
        return f"MATCH (n:{label}) RETURN n ORDER BY n.{key}"

    def relationships_of(self, rel_type: str) -> str:
        rel = self.model.relationships[rel_type]
        src_label = (
            f"'{rel.from_labels[0]}'"
            if len(rel.from_labels) == 1
            else "CASE " + " ".join(f"WHEN a:{l} THEN '{l}'" for l in rel.from_labels) + " END"
        )
        return (
            f"MATCH (a)-[r:{rel_type}]->(b) WHERE {_IN_FORCE.format(v='r')} "
            f"RETURN {src_label} AS src_label, {self.key_expr('a', rel.from_labels)} AS src, "
            f"{self.key_expr('b', rel.to_labels)} AS dst, r "
        )

    def hop(self, types: str) -> str:
        return (
            "UNWIND $frontier AS id MATCH (n) WHERE elementId(n) = id "
            f"MATCH (n)-[r:{types}]-(m) WHERE {_IN_FORCE.format(v='r')} "
            "RETURN DISTINCT elementId(m) AS id, m"
        )

    def induced(self, types: str) -> str:
        return (
            "UNWIND $ids AS id MATCH (a) WHERE elementId(a) = id "
            f"MATCH (a)-[r:{types}]->(b) WHERE elementId(b) IN $ids AND {_IN_FORCE.format(v='r')} "
            "RETURN elementId(a) AS a, elementId(b) AS b, r"
        )


class Neo4jStore(GraphStore):
    """A store on a Neo4j 5 server (``bolt://`` or ``neo4j://`` URI)."""

    def __init__(
        self, uri: str, user: str, password: str, database: str = "neo4j", batch_size: int = BATCH_SIZE
    ) -> None:
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self.cypher = CypherLibrary(self.model)
        # Server notifications (a property no node has yet, ...) are not the user's concern: never printed.
        self._driver: Driver = GraphDatabase.driver(uri, auth=(user, password), notifications_min_severity="OFF")
        try:
            self._driver.verify_connectivity()
        except AuthError:
            self._driver.close()
            raise StoreError(f"Neo4j at {uri} refused user {user!r}: check NEO4J_USERNAME / NEO4J_PASSWORD") from None
        except (ServiceUnavailable, OSError, ValueError) as exc:
            self._driver.close()
            raise StoreError(
                f"cannot reach Neo4j at {uri} ({exc}); start a local one with `credgraph neo4j start`"
            ) from None

    @property
    def location(self) -> str:
        return self.uri

    def close(self) -> None:
        self._driver.close()

    def _read(self, query: str, **params: Any) -> list[Any]:
        records, _, _ = self._driver.execute_query(query, params, database_=self.database, routing_="r")
        return records

    def _write_tx(self, work: Any) -> Any:
        with self._driver.session(database=self.database) as session:
            try:
                return session.execute_write(work)
            except (ClientError, Neo4jError) as exc:
                raise StoreError(f"Neo4j at {self.uri} refused a write: {exc.message}") from None

    def query(self, text: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read-only statement of the Cypher library with its parameters; records as dicts."""
        try:
            return [record.data() for record in self._read(text, **dict(params or {}))]
        except (ClientError, Neo4jError) as exc:
            raise StoreError(f"Neo4j at {self.uri} refused a query: {exc.message}") from None

    def ensure_schema(self) -> None:
        text = (cypher_dir() / "schema.cypher").read_text(encoding="utf-8")
        for statement in cypher_statements(text):
            self._driver.execute_query(statement, database_=self.database)

    # -- writes -------------------------------------------------------------

    def _batches(self, rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        for i in range(0, len(rows), self.batch_size):
            yield rows[i : i + self.batch_size]

    @staticmethod
    def _origin_params(origin: Origin) -> dict[str, Any]:
        return {"loadId": origin.load_id, "sourceFile": origin.source_file, "loadedAt": origin.loaded_at}

    def upsert_nodes(self, label: str, rows: Iterable[NodeRow], origin: Origin) -> WriteResult:
        node_type = self.model.node(label)
        encoded = [_node_param(encode_node(node_type, row)) for row in rows]
        query = self.cypher.upsert_nodes(label)
        written = sum(self._write_batch(query, batch, origin)["written"] for batch in self._batches(encoded))
        return WriteResult(written, len(encoded) - written)

    def upsert_relationships(self, rel_type: str, rows: Iterable[RelRow], origin: Origin) -> WriteResult:
        rel = self.model.relationship(rel_type)
        by_src_label: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            edge = encode_relationship(rel, row)
            by_src_label.setdefault(edge.src_label, []).append(_rel_param(edge))
        for src_label, encoded in by_src_label.items():
            self._check_endpoints(rel.type, src_label, encoded)
        written = 0
        for src_label, encoded in by_src_label.items():
            query = self.cypher.upsert_relationships(rel.type, src_label)
            for batch in self._batches(encoded):
                record = self._write_batch(query, batch, origin)
                if record["missing"]:
                    raise MissingEndpointError(
                        f"{rel.type} rows name nodes not in the store: {', '.join(record['missing'])}"
                    )
                written += record["written"]
        total = sum(len(v) for v in by_src_label.values())
        return WriteResult(written, total - written)

    def replace_relationships(
        self, rel_type: str, owner_label: str, owner_keys: Iterable[str], rows: Iterable[RelRow], origin: Origin
    ) -> WriteResult:
        end = owner_end(self.model, rel_type, owner_label)
        rel = self.model.relationship(rel_type)
        rows = list(rows)
        keep: dict[str, list[str]] = {key: [] for key in owner_keys}
        for row in rows:
            edge = encode_relationship(rel, row)
            owner, other = (edge.src, edge.dst) if end == "src" else (edge.dst, edge.src)
            keep.setdefault(owner, []).append(f"{other}|{edge.rkey}")
        query = self.cypher.delete_stale(rel_type, owner_label, end)
        owners = [{"key": key, "keep": kept} for key, kept in keep.items()]
        deleted = sum(
            self._write_tx(lambda tx: tx.run(query, owners=batch).single(strict=True))["deleted"]
            for batch in self._batches(owners)
        )
        result = self.upsert_relationships(rel_type, rows, origin)
        return WriteResult(result.written + deleted, result.unchanged)

    def replace_linked(
        self, mention_ids: Iterable[str], rows: Mapping[str, Sequence[RelRow]], origin: Origin,
        rel_types: Sequence[str] | None = None,
    ) -> WriteResult:
        ids = list(dict.fromkeys(mention_ids))
        deleted = 0
        for rel_type in self.model.check_rel_types(rel_types) or tuple(self.model.relationships):
            query = (f"UNWIND $ids AS id MATCH ()-[r:{rel_type} {{via_mention: id}}]->() "
                     "DELETE r RETURN count(r) AS deleted")
            for i in range(0, len(ids), self.batch_size):
                batch = ids[i : i + self.batch_size]
                deleted += self._write_tx(lambda tx: tx.run(query, ids=batch).single(strict=True))["deleted"]
        result = WriteResult()
        for rel_type, batch_rows in rows.items():
            result = result + self.upsert_relationships(rel_type, batch_rows, origin)
        return WriteResult(result.written + deleted, result.unchanged)

    def _write_batch(self, query: str, batch: list[dict[str, Any]], origin: Origin) -> Any:
        """One batch in one transaction: the unit Neo4j's memory limits allow."""
        params = {"rows": batch, "loadId": origin.load_id, "sourceFile": origin.source_file,
                  "loadedAt": origin.loaded_at}
        return self._write_tx(lambda tx: tx.run(query, params).single(strict=True))

    def _check_endpoints(self, rel_type: str, src_label: str, encoded: list[dict[str, Any]]) -> None:
        """Refuse the whole call, before any write, if a row names a missing node."""
        query = self.cypher.missing_endpoints(rel_type, src_label)
        for batch in self._batches(encoded):
            pairs = [{"src": r["src"], "dst": r["dst"]} for r in batch]
            missing = self._read(query, rows=pairs)
            if missing:
                names = ", ".join(r["missing"] for r in missing)
                raise MissingEndpointError(f"{rel_type} rows name nodes not in the store: {names}")

    def write_scores(self, label: str, scores: Mapping[str, Mapping[str, Any]], run_id: str) -> int:
        node_type = self.model.node(label)
        unknown = {name for values in scores.values() for name in values} - set(self.model.scores)
        if unknown:
            raise ModelError(f"undeclared score names: {sorted(unknown)}; declare them in schema.toml [scores]")
        rows = [{"key": key, "scores": dict(values)} for key, values in scores.items()]
        query = (
            f"UNWIND $rows AS row MATCH (n:{label} {{{node_type.key}: row.key}}) "
            "SET n += row.scores, n.score_run_id = $runId RETURN count(n) AS written"
        )
        return sum(
            self._write_tx(lambda tx: tx.run(query, rows=batch, runId=run_id).single(strict=True))["written"]
            for batch in self._batches(rows)
        )

    # -- reads --------------------------------------------------------------

    def _node(self, raw: Any) -> Node:
        label = _label_of(raw.labels, self.model)
        stored = dict(raw)
        props = {k: v for k, v in stored.items() if k not in INTERNAL and k not in self.model.scores
                 and k not in self.model.provenance}
        scores = {k: stored[k] for k in self.model.scores if stored.get(k) is not None}
        return Node(
            label,
            stored[self.model.nodes[label].key],
            decode_props(props, self.model.nodes[label].properties, _from_neo4j),
            decode_props(scores, self.model.scores, _from_neo4j),
            _provenance(stored),
        )

    def _relationship(self, raw: Any, src_label: str, src: str, dst_label: str, dst: str) -> Relationship:
        rel = self.model.relationship(raw.type)
        stored = dict(raw)
        props = {k: v for k, v in stored.items() if k not in INTERNAL and k not in self.model.provenance}
        return Relationship(
            rel.type, src_label, src, dst_label, dst, stored.get("rkey", ""),
            decode_props(props, rel.properties, _from_neo4j), _provenance(stored),
        )

    def get_node(self, label: str, key: str) -> Node | None:
        node_type = self.model.node(label)
        records = self._read(f"MATCH (n:{label} {{{node_type.key}: $key}}) RETURN n", key=key)
        return self._node(records[0]["n"]) if records else None

    def existing_keys(self, label: str, keys: Iterable[str]) -> set[str]:
        node_type = self.model.node(label)
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        query = f"UNWIND $keys AS k MATCH (n:{label} {{{node_type.key}: k}}) RETURN n.{node_type.key} AS k"
        for i in range(0, len(wanted), self.batch_size):
            found.update(r["k"] for r in self._read(query, keys=wanted[i : i + self.batch_size]))
        return found

    def _find(self, key: str) -> list[tuple[str, Node]]:
        return [(r["id"], self._node(r["n"])) for r in self._read(self.cypher.find_by_key(), key=key)]

    def find_nodes(self, key: str) -> list[Node]:
        return [node for _, node in self._find(key)]

    def search(self, text: str, labels: Sequence[str] | None = None, limit: int = 20) -> list[Node]:
        wanted = self.model.check_labels(labels) or tuple(self.model.nodes)
        exact = [n for n in self.find_nodes(text) if n.label in wanted]
        if not text or not any(self.model.nodes[label].search for label in wanted):
            return exact[:limit]
        records = self._read(self.cypher.search(), text=text, labels=list(wanted), limit=limit + len(exact))
        seen = {(n.label, n.key) for n in exact}
        found = [n for n in (self._node(r["n"]) for r in records) if (n.label, n.key) not in seen]
        found.sort(key=lambda n: (len(n.name or ""), n.name or "", n.label, n.key))
        return (exact + found)[:limit]

    def iter_nodes(self, labels: Sequence[str] | None = None, as_of: dt.date | None = None) -> Iterator[Node]:
        for label in self.model.check_labels(labels) or tuple(self.model.nodes):
            node_type = self.model.nodes[label]
            with self._driver.session(database=self.database, default_access_mode="READ") as session:
                for record in session.run(self.cypher.nodes_of(label)):
                    node = self._node(record["n"])
                    if node_in_force(node, node_type, as_of):
                        yield node

    def iter_relationships(
        self, rel_types: Sequence[str] | None = None, as_of: dt.date | None = None
    ) -> Iterator[Relationship]:
        for rel_type in self.model.check_rel_types(rel_types) or tuple(self.model.relationships):
            dst_label = self.model.relationships[rel_type].to_labels[0]
            rels = []
            with self._driver.session(database=self.database, default_access_mode="READ") as session:
                for r in session.run(self.cypher.relationships_of(rel_type), asOf=as_of):
                    rels.append(self._relationship(r["r"], r["src_label"], r["src"], dst_label, r["dst"]))
            rels.sort(key=lambda x: (x.src, x.src_label, x.dst, x.dst_label, x.rkey))
            yield from rels

    def node_table(self, label: str, fields: Sequence[str]) -> dict[str, list[Any]]:
        node_type = self.model.node(label)
        for name in fields:
            _check_name(name)
        returns = "".join(f", n.`{name}` AS `{name}`" for name in fields)
        query = (f"MATCH (n:{label}) RETURN n.{node_type.key} AS key, n.source_file AS source_file, "
                 f"n.source_line AS source_line{returns} ORDER BY key")
        names = ("key", "source_file", "source_line", *fields)
        table: dict[str, list[Any]] = {c: [] for c in names}
        with self._driver.session(database=self.database, default_access_mode="READ") as session:
            for record in session.run(query):
                for name in names:
                    table[name].append(_plain(record[name]))
        return table

    def relationship_table(
        self, rel_types: Sequence[str], fields: Sequence[str] = (), linked: bool | None = None
    ) -> dict[str, list[Any]]:
        for name in fields:
            _check_name(name)
        names = ("type", "src_label", "src", "dst_label", "dst", "rkey", "digest", *fields)
        table: dict[str, list[Any]] = {c: [] for c in names}
        where = {None: "", True: " WHERE r.via_mention IS NOT NULL", False: " WHERE r.via_mention IS NULL"}[linked]
        for rel_type in self.model.check_rel_types(rel_types) or ():
            rel = self.model.relationships[rel_type]
            src_label = (f"'{rel.from_labels[0]}'" if len(rel.from_labels) == 1
                         else "CASE " + " ".join(f"WHEN a:{l} THEN '{l}'" for l in rel.from_labels) + " END")
            returns = "".join(f", r.`{name}` AS `{name}`" for name in fields)
            query = (f"MATCH (a)-[r:{rel_type}]->(b){where} RETURN '{rel_type}' AS type, {src_label} AS src_label, "
                     f"{self.cypher.key_expr('a', rel.from_labels)} AS src, '{rel.to_labels[0]}' AS dst_label, "
                     f"{self.cypher.key_expr('b', rel.to_labels)} AS dst, r.rkey AS rkey, "
                     f"r.content_hash AS digest{returns} ORDER BY src, dst, rkey")
            with self._driver.session(database=self.database, default_access_mode="READ") as session:
                for record in session.run(query):
                    for name in names:
                        table[name].append(_plain(record[name]))
        return table

    def counts(self) -> dict[str, int]:
        out = {}
        for label in self.model.nodes:
            out[label] = self._read(f"MATCH (n:{label}) RETURN count(n) AS c")[0]["c"]
        for rel_type in self.model.relationships:
            out[rel_type] = self._read(f"MATCH ()-[r:{rel_type}]->() RETURN count(r) AS c")[0]["c"]
        return out

    # -- neighbourhood ------------------------------------------------------

    def neighbourhood(
        self,
        key: str,
        depth: int = 1,
        rel_types: Sequence[str] | None = None,
        as_of: dt.date | None = None,
    ) -> Subgraph:
        types = "|".join(self.model.check_rel_types(rel_types) or self.model.relationships)
        starts = [(i, n) for i, n in self._find(key) if node_in_force(n, self.model.nodes[n.label], as_of)]
        if not starts:
            raise NotFoundError(f"no subject {key!r} in {self.uri}" + (f" on {as_of}" if as_of else ""))
        start_id, start = starts[0]
        nodes: dict[str, Node] = {start_id: start}
        dist = {start.key: 0}
        frontier = [start_id]
        for hop in range(1, depth + 1):
            fresh = []
            for record in self._read(self.cypher.hop(types), frontier=frontier, asOf=as_of):
                if record["id"] in nodes:
                    continue
                node = self._node(record["m"])
                if node_in_force(node, self.model.nodes[node.label], as_of):
                    nodes[record["id"]] = node
                    dist.setdefault(node.key, hop)
                    fresh.append(record["id"])
            frontier = fresh
            if not frontier:
                break
        rels = {}
        for record in self._read(self.cypher.induced(types), ids=list(nodes), asOf=as_of):
            a, b = nodes[record["a"]], nodes[record["b"]]
            rel = self._relationship(record["r"], a.label, a.key, b.label, b.key)
            rels[rel.identity] = rel
        return Subgraph(tuple(nodes.values()), tuple(rels[k] for k in sorted(rels)), dist)

    # -- runs, findings, loads, audit ----------------------------------------

    def record_run(self, run: Run) -> None:
        self._write_tx(lambda tx: tx.run(
            "CREATE (:Run {run_id: $id, kind: $kind, started_at: $at, params: $params, user: $user})",
            id=run.run_id, kind=run.kind, at=run.started_at,
            params=json.dumps(run.params, default=str), user=run.user,
        ).consume())

    def runs(self, kind: str | None = None) -> list[Run]:
        records = self._read(
            "MATCH (r:Run) WHERE $kind IS NULL OR r.kind = $kind RETURN r "
            "ORDER BY r.started_at DESC, r.run_id DESC", kind=kind,
        )
        return [
            Run(r["r"]["run_id"], r["r"]["kind"], r["r"]["started_at"], json.loads(r["r"]["params"]), r["r"]["user"])
            for r in records
        ]

    def write_findings(self, run_id: str, findings: Sequence[Finding]) -> int:
        rows = [
            {
                "uid": f"{run_id}/{f.finding_id}", "finding_id": f.finding_id, "detector": f.detector,
                "subjects": list(f.subjects), "score": f.score, "as_of": f.as_of,
                "evidence": json.dumps(f.evidence, ensure_ascii=False, default=str),
            }
            for f in findings
        ]
        query = (
            "MATCH (run:Run {run_id: $runId}) UNWIND $rows AS row "
            "CREATE (f:Finding {uid: row.uid, run_id: $runId, finding_id: row.finding_id, "
            "detector: row.detector, subjects: row.subjects, score: row.score, as_of: row.as_of, "
            "evidence: row.evidence})-[:IN_RUN]->(run) "
            "WITH f UNWIND f.subjects AS subject CALL (subject) { "
            + self.cypher.find_by_key().replace("$key", "subject")
            + " } MERGE (f)-[:FLAGS]->(n) RETURN count(DISTINCT f) AS written"
        )
        for batch in self._batches(rows):
            self._write_tx(lambda tx: tx.run(query, rows=batch, runId=run_id).consume())
        return len(rows)

    def findings(
        self, run_id: str | None = None, detector: str | None = None, subject: str | None = None
    ) -> list[Finding]:
        if run_id is None:
            latest = self.runs("detect")
            if not latest:
                return []
            run_id = latest[0].run_id
        records = self._read(
            "MATCH (f:Finding {run_id: $run}) WHERE ($det IS NULL OR f.detector = $det) "
            "AND ($sub IS NULL OR $sub IN f.subjects) RETURN f ORDER BY f.detector, f.finding_id",
            run=run_id, det=detector, sub=subject,
        )
        return [
            Finding(
                f["finding_id"], f["detector"], tuple(f["subjects"]), f["score"],
                f["as_of"].to_native() if f.get("as_of") else None, json.loads(f["evidence"]),
            )
            for f in (r["f"] for r in records)
        ]

    def begin_load(self, source: str, user: str) -> LoadRecord:
        record = LoadRecord(new_id("load"), source, utc_now(), user)
        self._write_tx(lambda tx: tx.run(
            "CREATE (:Load {load_id: $id, source: $source, started_at: $at, user: $user, "
            "status: $status, counts: '{}'})",
            id=record.load_id, source=source, at=record.started_at, user=user, status=record.status,
        ).consume())
        return record

    def finish_load(self, load_id: str, status: str, counts: Mapping[str, Any]) -> None:
        found = self._write_tx(lambda tx: tx.run(
            "MATCH (l:Load {load_id: $id}) SET l.finished_at = $at, l.status = $status, l.counts = $counts "
            "RETURN count(l) AS n",
            id=load_id, at=utc_now(), status=status, counts=json.dumps(counts, ensure_ascii=False),
        ).single()["n"])
        if not found:
            raise NotFoundError(f"no load {load_id!r} in the load history")

    def loads(self) -> list[LoadRecord]:
        records = self._read("MATCH (l:Load) RETURN l ORDER BY l.started_at DESC, l.load_id DESC")
        return [
            LoadRecord(l["load_id"], l["source"], l["started_at"], l["user"], l.get("finished_at"),
                       l["status"], json.loads(l["counts"]))
            for l in (r["l"] for r in records)
        ]

    def audit(self, user: str, action: str, target: str, details: Mapping[str, Any] | None = None) -> None:
        self._write_tx(lambda tx: tx.run(
            "CREATE (:AuditEvent {seq: $seq, at: $at, user: $user, action: $action, target: $target, "
            "details: $details})",
            seq=time.time_ns(), at=utc_now(), user=user, action=action, target=target,
            details=json.dumps(details or {}, ensure_ascii=False, default=str),
        ).consume())

    def audit_log(self, limit: int = 100, user: str | None = None, action: str | None = None) -> list[AuditEvent]:
        records = self._read(
            "MATCH (e:AuditEvent) WHERE ($u IS NULL OR e.user = $u) AND ($a IS NULL OR e.action = $a) "
            "RETURN e ORDER BY e.seq DESC LIMIT $n", u=user, a=action, n=limit,
        )
        return [
            AuditEvent(e["at"], e["user"], e["action"], e["target"], json.loads(e["details"]))
            for e in (r["e"] for r in records)
        ]


def cypher_statements(text: str) -> list[str]:
    """The statements of a Cypher script: ``//`` comment lines dropped, split at a final ``;``."""
    statements, current = [], []
    for line in text.splitlines():
        if line.lstrip().startswith("//"):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).strip().rstrip(";"))
            current = []
    tail = "\n".join(current).strip()
    return [s for s in [*statements, tail] if s]


def _check_name(name: str) -> None:
    """Property names go into Cypher text: only plain identifiers are allowed."""
    if not name.isidentifier() or not name.isascii():
        raise ModelError(f"{name!r} is not a property name credgraph can query by")


def _plain(value: Any) -> Any:
    """A Neo4j value as the embedded store keeps it in JSON: temporal values as ISO text."""
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        value = to_native()
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _node_param(node: EncodedNode) -> dict[str, Any]:
    return {
        "key": node.key, "props": node.props, "hash": content_hash(node.json),
        "valid_from": node.valid_from, "valid_to": node.valid_to, "line": node.line,
    }


def _rel_param(edge: EncodedRel) -> dict[str, Any]:
    return {
        "src": edge.src, "dst": edge.dst, "rkey": edge.rkey, "props": edge.props,
        "hash": content_hash(edge.json), "valid_from": edge.valid_from, "valid_to": edge.valid_to,
        "line": edge.line,
    }


def _provenance(stored: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "load_id": stored.get("load_id"),
        "source_file": stored.get("source_file"),
        "source_line": stored.get("source_line"),
        "loaded_at": stored.get("loaded_at"),
        "load_ids": list(stored.get("load_ids") or []),
    }

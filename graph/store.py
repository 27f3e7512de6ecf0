"""The store interface every backend implements, and ``open_store``.

A store keeps the graph of the model in ``credgraph.graph.model``: nodes keyed
by (label, key), relationships keyed by (type, ends, rkey), each with
provenance; plus the bookkeeping analyses need (scores, runs and findings, load
history, an append-only audit log). Two backends implement it: the embedded
SQLite store (the default) and Neo4j.

Writes are idempotent: a repeated row changes nothing, so a failed write can
simply be run again. The embedded store writes each call in one transaction;
Neo4j writes each batch of ``batch_size`` rows in one transaction (one
transaction for a million rows exceeds its transaction memory), after checking
that every relationship's ends exist, so bad input writes nothing in either.
Reads return the records of ``credgraph.graph.records``.

>>> from credgraph.graph.records import NodeRow, Origin
>>> store = open_store(":memory:")
>>> origin = Origin("load-1", "persons.csv", "2024-01-01T00:00:00Z")
>>> store.upsert_nodes("Person", [NodeRow({"person_id": "11010519491231002X", "name": "张三"})], origin)
WriteResult(written=1, unchanged=0)
>>> store.get_node("Person", "11010519491231002X").name
'张三'
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager, nullcontext
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Mapping

from credgraph.graph.errors import ConfigError, ModelError
from credgraph.graph.model import MODEL, Model
from credgraph.graph.projection import Projection
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

DEFAULT_DB = "./credgraph.db"
NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def utc_now() -> str:
    """The current UTC time as an ISO 8601 string with seconds."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def new_id(prefix: str) -> str:
    """A sortable, unique id such as ``load-20240101T120000-1a2b3c``."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"{prefix}-{stamp}-{uuid.uuid4().hex[:6]}"


class GraphStore(ABC):
    """What credgraph needs of a store; see the module docstring."""

    model: Model = MODEL

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create tables, constraints and indexes that do not exist yet."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the store lives (a path or a URI without credentials)."""

    # -- writes -------------------------------------------------------------

    @abstractmethod
    def upsert_nodes(self, label: str, rows: Iterable[NodeRow], origin: Origin) -> WriteResult:
        """Insert or replace nodes of one label, keyed by the label's key.

        A row identical to the stored node is a no-op (provenance untouched);
        a changed row replaces the stored properties (last load wins) and adds
        ``origin.load_id`` to the node's ``load_ids``. Scores are kept.
        """

    @abstractmethod
    def upsert_relationships(
        self, rel_type: str, rows: Iterable[RelRow], origin: Origin
    ) -> WriteResult:
        """Insert or replace relationships of one type between existing nodes.

        Raises ``MissingEndpointError`` (and writes nothing) if a row names a
        node that is not in the store.
        """

    @abstractmethod
    def replace_relationships(
        self, rel_type: str, owner_label: str, owner_keys: Iterable[str], rows: Iterable[RelRow], origin: Origin
    ) -> WriteResult:
        """Make ``rows`` the only ``rel_type`` relationships of each owner node.

        The owner is the end with ``owner_label`` (a firm for its phone, a
        penalty for its subject). Relationships of the type at an owner that
        are not among ``rows`` are deleted, then ``rows`` are upserted; so a
        reload that changes a firm's phone moves its link instead of adding one.
        """

    def atomic(self) -> AbstractContextManager[None]:
        """Group the writes inside the block into one transaction, where the store can.

        The embedded store does; Neo4j commits each batch (see the module docstring).
        """
        return nullcontext()

    @abstractmethod
    def write_scores(self, label: str, scores: Mapping[str, Mapping[str, Any]], run_id: str) -> int:
        """Write analysis results (``model.scores`` names) onto nodes by key."""

    # -- reads --------------------------------------------------------------

    @abstractmethod
    def get_node(self, label: str, key: str) -> Node | None:
        """The node with this label and key, or ``None``."""

    @abstractmethod
    def existing_keys(self, label: str, keys: Iterable[str]) -> set[str]:
        """The subset of ``keys`` that are nodes of ``label`` in the store."""

    @abstractmethod
    def find_nodes(self, key: str) -> list[Node]:
        """Every node, of any label, whose key is ``key``."""

    @abstractmethod
    def search(self, text: str, labels: Sequence[str] | None = None, limit: int = 20) -> list[Node]:
        """Nodes whose key equals ``text`` first, then whose name contains it.

        Name matches are ordered by name length, name, label and key.
        """

    @abstractmethod
    def neighbourhood(
        self,
        key: str,
        depth: int = 1,
        rel_types: Sequence[str] | None = None,
        as_of: dt.date | None = None,
    ) -> Subgraph:
        """The nodes within ``depth`` hops of ``key`` and the relationships among them.

        Hops follow relationships in either direction. With ``rel_types`` only
        those types are followed and returned; with ``as_of`` only nodes and
        relationships in force on that date. The result is the induced
        subgraph, as ``networkx.ego_graph(G, key, depth, undirected=True)``.
        """

    @abstractmethod
    def iter_nodes(
        self, labels: Sequence[str] | None = None, as_of: dt.date | None = None
    ) -> Iterator[Node]:
        """Every node of the given labels (all by default) in force on ``as_of``."""

    @abstractmethod
    def iter_relationships(
        self, rel_types: Sequence[str] | None = None, as_of: dt.date | None = None
    ) -> Iterator[Relationship]:
        """Every relationship of the given types (all by default) in force on ``as_of``."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type (zeros included)."""

    def project(
        self,
        labels: Sequence[str] | None = None,
        rel_types: Sequence[str] | None = None,
        as_of: dt.date | None = None,
        with_props: bool = True,
    ) -> Projection:
        """The whole graph, or the part of the given labels and types, in memory.

        Relationships whose ends are not both in the projection are left out.
        """
        labels = self.model.check_labels(labels)
        rel_types = self.model.check_rel_types(rel_types)
        return Projection.build(
            self.iter_nodes(labels, as_of),
            self.iter_relationships(rel_types, as_of),
            with_props=with_props,
        )

    def project_neighbourhood(
        self,
        key: str,
        depth: int = 1,
        rel_types: Sequence[str] | None = None,
        as_of: dt.date | None = None,
    ) -> Projection:
        """A subject's neighbourhood (see ``neighbourhood``) as a projection."""
        sub = self.neighbourhood(key, depth, rel_types, as_of)
        return Projection.build(sub.nodes, sub.relationships)

    # -- columns, for whole-store jobs ---------------------------------------

    def node_table(self, label: str, fields: Sequence[str]) -> dict[str, list[Any]]:
        """Columns ``key``, ``source_file``, ``source_line`` and ``fields`` of every node of ``label``.

        Values are as the embedded store keeps them in JSON (dates as ISO
        text); missing ones are ``None``. Jobs that need a few properties of
        many nodes (resolution) read this instead of decoding whole nodes.
        """
        self.model.node(label)
        table: dict[str, list[Any]] = {c: [] for c in ("key", "source_file", "source_line", *fields)}
        declared = self.model.nodes[label].properties
        for node in self.iter_nodes([label]):
            table["key"].append(node.key)
            table["source_file"].append(node.provenance.get("source_file"))
            table["source_line"].append(node.provenance.get("source_line"))
            for name in fields:
                value = node.props.get(name)
                prop = declared.get(name)
                table[name].append(prop.type.to_json(value) if prop is not None and value is not None else value)
        return table

    def relationship_table(
        self, rel_types: Sequence[str], fields: Sequence[str] = (), linked: bool | None = None
    ) -> dict[str, list[Any]]:
        """Columns ``type, src_label, src, dst_label, dst, rkey, digest`` and ``fields`` of relationships.

        ``linked=True`` keeps only the relationships that resolution made
        (``via_mention`` set), ``False`` only keyed ones, ``None`` all.
        ``digest`` is the content hash of the stored properties, so a job can
        tell whether a relationship it would write is already there.
        """
        from credgraph.graph.encoding import content_hash, props_json

        columns = ("type", "src_label", "src", "dst_label", "dst", "rkey", "digest", *fields)
        table: dict[str, list[Any]] = {c: [] for c in columns}
        for rel in self.iter_relationships(self.model.check_rel_types(rel_types)):
            if linked is not None and bool(rel.props.get("via_mention")) != linked:
                continue
            declared = self.model.relationships[rel.type].properties
            stored = {k: (declared[k].type.to_json(v) if k in declared else v) for k, v in rel.props.items()}
            for name, value in zip(columns[:6], (rel.type, rel.src_label, rel.src, rel.dst_label, rel.dst, rel.rkey)):
                table[name].append(value)
            table["digest"].append(content_hash(props_json(stored)))
            for name in fields:
                table[name].append(stored.get(name))
        return table

    @abstractmethod
    def replace_linked(
        self, mention_ids: Iterable[str], rows: Mapping[str, Sequence[RelRow]], origin: Origin,
        rel_types: Sequence[str] | None = None,
    ) -> WriteResult:
        """Make ``rows`` (by relationship type) the only relationships these mentions made.

        Deletes every relationship whose ``via_mention`` is one of
        ``mention_ids`` (of ``rel_types``, all types by default), then upserts
        ``rows``; in one transaction on the embedded store.
        """

    # -- runs, findings, loads, audit ----------------------------------------

    @abstractmethod
    def record_run(self, run: Run) -> None:
        """Remember an analysis run and its parameters."""

    @abstractmethod
    def runs(self, kind: str | None = None) -> list[Run]:
        """Recorded runs, newest first."""

    @abstractmethod
    def write_findings(self, run_id: str, findings: Sequence[Finding]) -> int:
        """Store the findings of a run (the run must be recorded first)."""

    @abstractmethod
    def findings(
        self, run_id: str | None = None, detector: str | None = None, subject: str | None = None
    ) -> list[Finding]:
        """Stored findings, filtered; the latest detection run by default."""

    @abstractmethod
    def begin_load(self, source: str, user: str) -> LoadRecord:
        """Open a load in the load history and return it with its new id."""

    @abstractmethod
    def finish_load(self, load_id: str, status: str, counts: Mapping[str, Any]) -> None:
        """Close a load with its status (``ok``, ``partial``, ``failed``) and counts."""

    @abstractmethod
    def loads(self) -> list[LoadRecord]:
        """The load history, newest first."""

    @abstractmethod
    def audit(self, user: str, action: str, target: str, details: Mapping[str, Any] | None = None) -> None:
        """Append one event to the audit log (events are never changed or removed)."""

    @abstractmethod
    def audit_log(self, limit: int = 100, user: str | None = None, action: str | None = None) -> list[AuditEvent]:
        """The latest audit events, newest first."""


def owner_end(model: Model, rel_type: str, owner_label: str) -> str:
    """Which end, ``"src"`` or ``"dst"``, of ``rel_type`` a node of ``owner_label`` is."""
    rel = model.relationship(rel_type)
    ends = [end for end, labels in (("src", rel.from_labels), ("dst", rel.to_labels)) if owner_label in labels]
    if len(ends) != 1:
        raise ModelError(f"{owner_label} cannot own {rel_type} relationships")
    return ends[0]


def resolve_db(db: str | None) -> str:
    """The store location: ``db``, else ``$CREDGRAPH_DB``, else ``./credgraph.db``."""
    return db or os.environ.get("CREDGRAPH_DB") or DEFAULT_DB


def is_neo4j_uri(db: str) -> bool:
    """Whether ``db`` names a Neo4j server rather than a file."""
    return db.startswith(NEO4J_SCHEMES)


def _local_server_password(uri: str) -> str | None:
    """The generated password of ``credgraph neo4j start``, for a URI on this machine."""
    from credgraph.graph.neo4j_local import local_password

    host = uri.split("://", 1)[1].split(":", 1)[0].split("/", 1)[0]
    return local_password() if host in ("127.0.0.1", "localhost") else None


def open_store(db: str | None = None, create: bool = True) -> GraphStore:
    """Open the store ``db`` names: a SQLite file path or a ``bolt://``/``neo4j://`` URI.

    Neo4j credentials come from ``NEO4J_USERNAME`` (default ``neo4j``) and
    ``NEO4J_PASSWORD`` (for a server on this machine, the password generated by
    ``credgraph neo4j start`` when it is unset); the database from
    ``NEO4J_DATABASE`` (default ``neo4j``).
    """
    location = resolve_db(db)
    if "://" in location and not is_neo4j_uri(location):
        raise ConfigError(
            f"--db {location!r}: use a file path or a bolt:// / neo4j:// URI"
        )
    if is_neo4j_uri(location):
        from credgraph.graph.neo4j_store import Neo4jStore

        password = os.environ.get("NEO4J_PASSWORD") or _local_server_password(location)
        if not password:
            raise ConfigError(f"--db {location}: set NEO4J_PASSWORD (and NEO4J_USERNAME if not neo4j)")
        store: GraphStore = Neo4jStore(
            location,
            user=os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=password,
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
    else:
        from credgraph.graph.sqlite_store import SqliteStore

        store = SqliteStore(location, create=create)
    store.ensure_schema()
    return store

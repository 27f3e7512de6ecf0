"""Where published rows led: the mentions of a source record, and the mentions linked to a subject.

Both answer from the store as the last ``resolve`` left it, one plain dict per
mention: its id, source, file and line, role, name and identifier, and the
link (subject, grade, score, method) or ``unresolved``. ``credgraph show`` and
the dashboard print them; masking is theirs to do, by role.

>>> from credgraph.graph.store import open_store
>>> record_mentions(open_store(":memory:"), "court_dishonest:0")
[]
"""

from __future__ import annotations

from typing import Any

from credgraph.graph.records import Node, Relationship
from credgraph.graph.store import GraphStore

SUBJECT_LABELS = ("Enterprise", "Person", "Agency")


def _row(mention: Node, link: Relationship | None) -> dict[str, Any]:
    p = mention.props
    return {"mention_id": mention.key, "source": p.get("source"), "file": mention.provenance.get("source_file"),
            "line": mention.provenance.get("source_line"), "role": p.get("role"), "name": p.get("name"),
            "identifier": p.get("identifier"), "id_kind": p.get("id_kind"), "record_id": p.get("record_id"),
            "subject_id": link.src if link else None, "subject_label": link.src_label if link else None,
            "grade": link.props.get("link_grade") if link else "unresolved",
            "score": link.props.get("score") if link else None, "method": link.props.get("method") if link else None}


def _order(row: dict[str, Any]) -> tuple[str, str, int, str]:
    return (str(row["source"] or ""), str(row["file"] or ""), int(row["line"] or 0), row["mention_id"])


def record_mentions(store: GraphStore, record_id: str) -> list[dict[str, Any]]:
    """The mentions of the source record ``record_id`` and where each led, in row order."""
    if store.get_node("SourceRecord", record_id) is None:
        return []
    around = store.neighbourhood(record_id, 2, ["MENTIONS", "SAME_AS"])
    mentions = {n.key: n for n in around.nodes if n.label == "Mention"}
    mentioned = {r.dst for r in around.relationships if r.type == "MENTIONS" and r.src == record_id}
    links = {r.dst: r for r in around.relationships if r.type == "SAME_AS" and r.dst in mentioned}
    return sorted((_row(mentions[m], links.get(m)) for m in mentioned if m in mentions), key=_order)


def subject_mentions(store: GraphStore, key: str, limit: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The mentions linked to the subject ``key`` (at most ``limit``, in row order) and how many in all."""
    around = store.neighbourhood(key, 1, ["SAME_AS"])
    mentions = {n.key: n for n in around.nodes if n.label == "Mention"}
    links = [r for r in around.relationships
             if r.type == "SAME_AS" and r.src == key and r.src_label in SUBJECT_LABELS and r.dst in mentions]
    rows = sorted((_row(mentions[r.dst], r) for r in links), key=_order)
    return (rows if limit is None else rows[:limit]), len(rows)

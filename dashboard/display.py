"""How nodes, records and relationships read on screen, for a given role.

Every place the dashboard (and the export's HTML network) shows a subject goes
through these functions, so a person ID is masked wherever the role may not
see it: a person's own key, the ``subject_id`` of a record held by a person,
and either end of a relationship that starts at a person.

>>> from credgraph.graph.records import Node
>>> person = Node("Person", "44010619800101123X", {"name": "张三"})
>>> shown_key(person, "viewer"), node_caption(person, "viewer")
('4401**********123X', '张三 (4401**********123X)')
>>> shown_key(person, "investigator")
'44010619800101123X'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from credgraph.graph.access import shown_person_id
from credgraph.graph.encoding import node_in_force
from credgraph.graph.model import MODEL
from credgraph.graph.records import Node, Relationship

GRADES = ("A", "B", "C", "D")
RECORD_LABELS = ("Penalty", "ListEntry")
SUBJECT_LABELS = ("Enterprise", "Person")
# Properties never shown as plain attributes: keys shown separately, and the
# subject of a record (a person ID that ``record_subject`` masks).
HIDDEN_PROPS = frozenset({"subject_id"})


def shown_id(label: str, key: str, role: str) -> str:
    """A node key as ``role`` may see it: person IDs masked below investigator.

    >>> shown_id("Enterprise", "914403001922038216", "viewer")
    '914403001922038216'
    """
    return shown_person_id(key, role) if label == "Person" else key


def shown_key(node: Node, role: str) -> str:
    """The node's key as ``role`` may see it."""
    return shown_id(node.label, node.key, role)


def record_subject(node: Node, role: str) -> str:
    """The subject id of a penalty or list entry as ``role`` may see it ('' otherwise)."""
    subject = str(node.props.get("subject_id") or "")
    if node.props.get("subject_type") == "person":
        return shown_person_id(subject, role)
    return subject


def describe(node: Node) -> str:
    """A node in a few words: its name, a summary of a record, or the key of a contact point.

    >>> describe(Node("ListEntry", "LE1", {"list": "dishonest_debtor", "listed_date": dt.date(2019, 5, 1)}))
    'dishonest_debtor from 2019-05-01'
    """
    return node.summary() or ("" if node.label in SUBJECT_LABELS else node.key)


def node_caption(node: Node, role: str) -> str:
    """One line that names a node for ``role``: description and shown key."""
    text = describe(node)
    key = shown_key(node, role)
    return f"{text} ({key})" if text and text != key else key


def grade_of(node: Node, grades: Mapping[str, str] | None = None) -> str | None:
    """The node's credit grade: from ``grades`` if given there, else its stored score."""
    if grades is not None and node.key in grades:
        return grades[node.key]
    grade = node.scores.get("grade")
    return str(grade) if grade in GRADES else None


def in_force(node: Node, as_of: dt.date) -> bool:
    """Whether a node (a firm, a record) is in force on ``as_of`` by its validity fields."""
    return node_in_force(node, MODEL.nodes[node.label], as_of)


def record_state(node: Node, as_of: dt.date) -> str:
    """Whether a penalty or list entry counts on ``as_of``: 'in force', 'repaired', 'revoked', 'ended', ...

    >>> record_state(Node("ListEntry", "LE1", {"listed_date": dt.date(2019, 5, 1),
    ...     "removed_date": dt.date(2021, 5, 1)}), dt.date(2024, 1, 1))
    'ended'
    """
    p = node.props
    if node.label == "Penalty":
        status = p.get("status") or "effective"
        if status != "effective":
            return status
    if not in_force(node, as_of):
        start = p.get(MODEL.nodes[node.label].valid_from or "")
        return "not yet" if start is not None and start > as_of else "ended"
    return "in force"


def plain_props(node: Node, role: str) -> dict[str, str]:
    """The node's properties as text for an attribute table, person IDs masked."""
    shown: dict[str, str] = {}
    for name, value in node.props.items():
        if name in HIDDEN_PROPS or value is None or value == "":
            continue
        text = shown_key(node, role) if name == MODEL.nodes[node.label].key else _text(value)
        shown[name] = text
    if node.label in RECORD_LABELS:
        shown["subject"] = record_subject(node, role)
    return shown


def relationship_caption(rel: Relationship) -> str:
    """A relationship's type and its telling properties: share, role, dates, amount.

    >>> relationship_caption(Relationship("SHAREHOLDER_OF", "Person", "p", "Enterprise", "e", "",
    ...     {"share_pct": 60.0, "start_date": dt.date(2020, 1, 1)}))
    'SHAREHOLDER_OF 60% from 2020-01-01'
    """
    p = rel.props
    parts = [rel.type]
    if p.get("share_pct") is not None:
        parts.append(f"{p['share_pct']:g}%")
    if p.get("role"):
        parts.append(str(p["role"]))
    if p.get("won") is not None:
        parts.append("won" if p["won"] else "lost")
    if p.get("amount") is not None:
        parts.append(f"{p['amount']:g} 万元")
    if p.get("start_date"):
        parts.append(f"from {p['start_date']}")
    if p.get("end_date"):
        parts.append(f"until {p['end_date']}")
    return " ".join(parts)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)

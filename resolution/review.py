"""Review: an investigator's decisions on mentions, kept and reused by every later resolution.

A decision is a ``ReviewDecision`` node: the mention, the subject, the verdict
(``accept``, ``reject``, or ``undo`` to take an earlier one back), a note, who
and when. For each (mention, subject) pair the latest decision is in force;
resolution never overrides it: an accepted pair is the mention's link, a
rejected pair is never a candidate again, even after the file is loaded anew
(the mention's id comes from the row's content, so a reload names it the same).

A decision takes effect on the mention at once (its link and the relationships
its facts make); mentions that rest on it (a person found through the firm a
reviewer just accepted) follow at the next ``credgraph resolve``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from credgraph.graph.errors import ConfigError, NotFoundError
from credgraph.graph.records import NodeRow, Origin, RelRow
from credgraph.graph.store import GraphStore, new_id
from credgraph.resolution.engine import Decisions
from credgraph.resolution.materialise import linked_relationships

VERDICTS = ("accept", "reject", "undo")
SUBJECT_OF = {"person": ("Person",), "enterprise": ("Enterprise",), "agency": ("Agency",),
              "auto": ("Person", "Enterprise")}


def read_decisions(store: GraphStore) -> Decisions:
    """The decisions in force: the latest verdict of every (mention, subject) pair."""
    table = store.node_table("ReviewDecision", ("mention_id", "subject_id", "verdict", "decided_at", "note", "user"))
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    order = sorted(range(len(table["key"])), key=lambda i: (table["decided_at"][i] or "", table["key"][i]))
    for i in order:
        pair = (table["mention_id"][i], table["subject_id"][i])
        latest[pair] = {k: table[k][i] for k in ("verdict", "decided_at", "note", "user")} | {"decision_id": table["key"][i]}
    decisions = Decisions()
    labels = _labels(store, {s for _, s in latest})
    for (mention, subject), decision in sorted(latest.items(), key=lambda kv: kv[1]["decided_at"] or ""):
        if decision["verdict"] == "accept" and subject in labels:
            decisions.accepted[mention] = (subject, labels[subject], decision)
        elif decision["verdict"] == "reject":
            decisions.rejected.add((mention, subject))
            if decisions.accepted.get(mention, ("",))[0] == subject:
                del decisions.accepted[mention]
    return decisions


def _labels(store: GraphStore, keys: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for label in ("Enterprise", "Person", "Agency"):
        for key in store.existing_keys(label, keys):
            out.setdefault(key, label)
    return out


@dataclass(frozen=True)
class Decision:
    """A decision just recorded, and the link it left on the mention."""

    decision_id: str
    mention_id: str
    subject_id: str
    verdict: str
    link: str | None  # the subject the mention is now linked to, if any


def decide(store: GraphStore, mention_id: str, subject_id: str, verdict: str, note: str = "", user: str = "") -> Decision:
    """Record ``verdict`` on (mention, subject), apply it to the mention, audit it."""
    if verdict not in VERDICTS:
        raise ConfigError(f"verdict {verdict!r}: choose one of {', '.join(VERDICTS)}")
    mention = store.get_node("Mention", mention_id)
    if mention is None:
        raise NotFoundError(f"no mention {mention_id!r} in {store.location}; `credgraph review list` shows them")
    allowed = SUBJECT_OF.get(str(mention.props.get("subject_type")), ("Person", "Enterprise", "Agency"))
    found = [n for n in store.find_nodes(subject_id) if n.label in allowed]
    if not found:
        raise NotFoundError(f"no {' or '.join(a.lower() for a in allowed)} {subject_id!r} in {store.location} "
                            f"for mention {mention_id}")
    decision_id = new_id("decision")
    # To the microsecond: decisions of one second (accept, then undo) must keep their order.
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
    origin = Origin(decision_id, "review", at)
    props = {"decision_id": decision_id, "mention_id": mention_id, "subject_id": subject_id, "verdict": verdict,
             "note": note or None, "user": user or None, "decided_at": at}
    with store.atomic():
        store.upsert_nodes("ReviewDecision", [NodeRow(props)], origin)
        link = _apply(store, mention_id, found[0].label, subject_id, verdict, props, origin)
    store.audit(user, f"review {verdict}", mention_id, {"subject": subject_id, "note": note, "decision": decision_id})
    return Decision(decision_id, mention_id, subject_id, verdict, link)


def _current(store: GraphStore, mention_id: str) -> tuple[str, str, str] | None:
    """The mention's current link: (subject, label, grade)."""
    sub = store.neighbourhood(mention_id, 1, ["SAME_AS"])
    rel = next((r for r in sub.relationships if r.dst == mention_id), None)
    return (rel.src, rel.src_label, str(rel.props.get("link_grade"))) if rel else None


def _apply(store: GraphStore, mention_id: str, label: str, subject_id: str, verdict: str,
           decision: dict[str, Any], origin: Origin) -> str | None:
    """Rewrite the mention's link, candidates and relationships after a decision."""
    current = _current(store, mention_id)
    if verdict == "accept":
        link = (subject_id, label, "strong")
        evidence = json.dumps({"rule": "an investigator accepted the link", "features": decision},
                              ensure_ascii=False, sort_keys=True)
        rows = [RelRow(subject_id, mention_id, {"link_grade": "strong", "score": 1.0, "evidence": evidence,
                                                "method": "review", "run_id": decision["decision_id"]},
                       src_label=label)]
        store.replace_relationships("SAME_AS", "Mention", [mention_id], rows, origin)
        store.replace_relationships("MAYBE_SAME_AS", "Mention", [mention_id], [], origin)
    elif current is not None and current[0] == subject_id:
        link = None  # a rejected link, or an accepted one taken back: unresolved until the next resolve
        store.replace_relationships("SAME_AS", "Mention", [mention_id], [], origin)
    else:
        link = current
    _rematerialise(store, mention_id, link, origin)
    return link[0] if link else None


def _rematerialise(store: GraphStore, mention_id: str, link: tuple[str, str, str] | None, origin: Origin) -> None:
    mention = store.get_node("Mention", mention_id)
    assert mention is not None
    facts = mention.props.get("facts")
    links = [] if link is None else [{"mention_id": mention_id, "subject_id": link[0], "label": link[1], "grade": link[2]}]
    for fact in json.loads(facts) if isinstance(facts, str) else []:
        other = fact.get("other", {}).get("mention")
        found = _current(store, other) if other else None
        if found is not None:
            links.append({"mention_id": other, "subject_id": found[0], "label": found[1], "grade": found[2]})
    made = linked_relationships(pd.DataFrame({"mention_id": [mention_id], "facts": [facts]}),
                                pd.DataFrame(links, columns=["mention_id", "subject_id", "label", "grade"]),
                                store.existing_keys)
    rows = {t: [row for _, row in pairs] for t, pairs in made.items()}
    store.replace_linked([mention_id], rows, origin)


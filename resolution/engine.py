"""``resolve``: every mention to at most one subject, with its grade, score and evidence.

A pure function of the mentions, the registry and the review decisions, so a
re-run on the same store gives the same links. In order:

1. firms and agencies (``credgraph.resolution.firms``);
2. persons (``credgraph.resolution.persons``) in rounds: the firm each person
   acts for in its row is the firm's mention's link (``strong`` or better), and
   the person links of one round (a shareholder found by a masked ID) are roles
   the next round may use (an officer of the same name in the same firm);
3. review decisions last: a rejected pair is never a candidate, an accepted
   one is the link whatever the evidence (grade ``review_grade``).

>>> import pandas as pd
>>> from credgraph.resolution.tables import Registry
>>> empty = Registry(pd.DataFrame(columns=["uscc", "name", "key", "core", "branch", "regions", "region_code", "reg_no",
...     "reg_date", "end_date", "org_code"]), pd.DataFrame(columns=["person_id", "name", "name_key", "gender",
...     "birth_date", "id_type", "birth_year"]), pd.DataFrame(columns=["agency_id", "name", "full", "key",
...     "region_code"]), pd.DataFrame(columns=["person_id", "uscc", "type"]), pd.DataFrame(columns=["reg_no", "uscc"]))
>>> mentions = pd.DataFrame([{"mention_id": "m1", "role": "officer", "subject_type": "person", "name": "张伟",
...     "id_kind": "none", "id_value": None, "identifier": None, "region_code": None, "of": None, "on": None,
...     "gender": None, "age": None, "facts": None, "features": None}])
>>> result = resolve(mentions, empty, Decisions())
>>> result.links.empty, json.loads(result.unresolved["m1"])["features"]["why"][:30]
(True, 'the name alone never links: no')
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from credgraph.graph.links import grades_at_least
from credgraph.resolution.firms import agency_candidates, firm_candidates
from credgraph.resolution.grading import LINK_COLUMNS, evidence, grade
from credgraph.resolution.persons import PersonIndex, RoleIndex, masked_matches, person_candidates
from credgraph.resolution.settings import ResolutionSettings, load_settings
from credgraph.resolution.tables import ROLE_TYPES, Registry, among, columns


SURE = grades_at_least("strong")  # links that other mentions may rest on


@dataclass
class Decisions:
    """The review decisions in force: accepted and rejected (mention, subject) pairs."""

    accepted: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)  # mention -> (subject, label, decision)
    rejected: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Resolution:
    """Links (one row per linked mention), candidates of probable mentions, evidence of the unresolved."""

    links: pd.DataFrame  # mention_id, subject_id, label, grade, score, evidence (JSON), method
    candidates: pd.DataFrame  # mention_id, subject_id, label, rank, score, evidence (JSON)
    unresolved: dict[str, str]  # mention_id -> evidence (JSON)

    def grade_of(self) -> dict[str, str]:
        """Every mention's grade, ``unresolved`` included."""
        out = dict.fromkeys(self.unresolved, "unresolved")
        out.update(columns(self.links, "mention_id", "grade"))
        return out


def _without_rejected(rows: pd.DataFrame, decisions: Decisions) -> pd.DataFrame:
    if not decisions.rejected or rows.empty:
        return rows
    pairs = list(columns(rows, "mention_id", "subject_id"))
    return rows[[p not in decisions.rejected for p in pairs]]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _firm_context(links: pd.DataFrame) -> dict[str, str]:
    good = links[(links["label"] == "Enterprise") & among(links["grade"], SURE)]
    return dict(columns(good, "mention_id", "subject_id"))


def _derived_roles(mentions: pd.DataFrame, person_links: pd.DataFrame, context: dict[str, str]) -> pd.DataFrame:
    """Roles that this run's person links make: (person, firm) of their facts, where both ends are linked."""
    linked = dict(columns(person_links, "mention_id", "subject_id"))
    rows = []
    for mid, facts in columns(mentions, "mention_id", "facts"):
        if mid not in linked or not isinstance(facts, str):
            continue
        for fact in json.loads(facts):
            other = fact.get("other", {}).get("mention")
            if fact["type"] in ROLE_TYPES and other in context:
                rows.append((linked[mid], context[other], fact["type"]))
    return pd.DataFrame(rows, columns=["person_id", "uscc", "type"])


def _stage(rows: pd.DataFrame, notes: dict[str, dict[str, Any]], decisions: Decisions, max_candidates: int,
           unresolved: dict[str, dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = _without_rejected(rows, decisions)
    links, candidates = grade(rows, max_candidates)
    linked = set(links["mention_id"].tolist())
    rest = rows[~among(rows["mention_id"], linked)]
    if not rest.empty:
        first = rest.drop_duplicates("mention_id")
        sizes = rest["mention_id"].value_counts().to_dict()
        for mid, features in columns(first, "mention_id", "features"):
            n = sizes[mid]
            unresolved[mid] = {"rule": "too many candidates" if n > max_candidates else "no candidate singled out",
                               "features": features, "candidates": n}
    for mid, note in notes.items():
        if mid not in linked:
            unresolved.setdefault(mid, {"rule": "unresolved", "features": note})
    return links, candidates


def resolve(mentions: pd.DataFrame, registry: Registry, decisions: Decisions,
            settings: ResolutionSettings | None = None) -> Resolution:
    """Link ``mentions`` to the subjects of ``registry``; see the module docstring."""
    s = settings or load_settings()
    max_candidates = int(s.rule("max_candidates"))
    unresolved: dict[str, dict[str, Any]] = {}
    firms = mentions[mentions["subject_type"] == "enterprise"]
    agencies = mentions[mentions["subject_type"] == "agency"]
    people = mentions[mentions["subject_type"] == "person"]
    firm_links, firm_cands = _stage(*firm_candidates(firms, registry, s), decisions, max_candidates, unresolved)
    agency_links, agency_cands = _stage(*agency_candidates(agencies, registry, s), decisions, max_candidates, unresolved)
    context = _firm_context(pd.concat([firm_links, _accepted_links(decisions, firms)], ignore_index=True))
    people_index = PersonIndex.of(registry.persons)
    roles = RoleIndex(registry.roles, people_index)
    masked = masked_matches(people, people_index)  # independent of roles: once for every round
    person_links = pd.DataFrame(columns=LINK_COLUMNS)
    pending = people
    for _ in range(int(s.rule("person_rounds"))):
        round_unresolved: dict[str, dict[str, Any]] = {}
        links, cands = _stage(*person_candidates(pending, people_index, context, roles, s, masked), decisions,
                              max_candidates, round_unresolved)
        sure = links[among(links["grade"], SURE)]
        person_links = pd.concat([person_links, sure], ignore_index=True)
        pending = pending[~among(pending["mention_id"], sure["mention_id"].tolist())]
        last = (links[~among(links["mention_id"], sure["mention_id"].tolist())], cands, round_unresolved)
        if sure.empty or not roles.add(_derived_roles(people, person_links, context)):
            break
    person_links = pd.concat([person_links, last[0]], ignore_index=True)
    person_cands, person_unresolved = last[1], last[2]
    person_linked = set(person_links["mention_id"].tolist())
    unresolved.update({k: v for k, v in person_unresolved.items() if k not in person_linked})
    links = pd.concat([firm_links, agency_links, person_links], ignore_index=True)
    candidates = pd.concat([firm_cands, agency_cands, person_cands], ignore_index=True)
    return _finish(links, candidates, unresolved, decisions, mentions, s)


def _accepted_links(decisions: Decisions, mentions: pd.DataFrame) -> pd.DataFrame:
    wanted = set(mentions["mention_id"].tolist())
    rows = [{"mention_id": mid, "subject_id": subject, "label": label, "grade": "strong"}
            for mid, (subject, label, _) in decisions.accepted.items() if mid in wanted]
    return pd.DataFrame(rows, columns=["mention_id", "subject_id", "label", "grade"])


def _finish(links: pd.DataFrame, candidates: pd.DataFrame, unresolved: dict[str, dict[str, Any]],
            decisions: Decisions, mentions: pd.DataFrame, s: ResolutionSettings) -> Resolution:
    """Apply accepted decisions, then turn features into evidence JSON."""
    review_grade = s.rule("review_grade")
    known = set(mentions["mention_id"].tolist())
    accepted = {mid: d for mid, d in decisions.accepted.items() if mid in known}
    links = links[~among(links["mention_id"], accepted.keys())]
    out = pd.DataFrame({
        "mention_id": links["mention_id"], "subject_id": links["subject_id"], "label": links["label"],
        "grade": links["grade"], "score": links["score"],
        # object, not Arrow, strings: the largest column of the run, copied again by every read as Python strings
        "evidence": pd.Series([_dumps(evidence(r, f, n, o))
                               for r, f, n, o in columns(links, "rule", "features", "candidates", "others")],
                              index=links.index, dtype=object),
        "method": "auto",
    })
    reviewed = pd.DataFrame([
        {"mention_id": mid, "subject_id": subject, "label": label, "grade": review_grade, "score": 1.0,
         "evidence": _dumps(evidence("an investigator accepted the link", decision)), "method": "review"}
        for mid, (subject, label, decision) in sorted(accepted.items())
    ], columns=out.columns)
    out = pd.concat([out, reviewed], ignore_index=True).sort_values("mention_id", kind="stable").reset_index(drop=True)
    if not candidates.empty:
        candidates = candidates[~among(candidates["mention_id"], accepted.keys())]
        candidates = pd.DataFrame({
            "mention_id": candidates["mention_id"], "subject_id": candidates["subject_id"],
            "label": candidates["label"], "rank": candidates["rank"], "score": candidates["score"],
            "evidence": pd.Series([_dumps(evidence(r, f)) for r, f in columns(candidates, "rule", "features")],
                                  index=candidates.index, dtype=object),
        }).reset_index(drop=True)
    else:
        candidates = pd.DataFrame(columns=["mention_id", "subject_id", "label", "rank", "score", "evidence"])
    linked = set(out["mention_id"].tolist())
    notes = {mid: _dumps(e) for mid, e in unresolved.items() if mid not in linked}
    for mid in known - linked - set(notes):
        notes[mid] = _dumps({"rule": "unresolved", "features": {"why": "nothing to go on"}})
    return Resolution(out, candidates, notes)

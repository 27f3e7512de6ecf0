"""Candidates for the mentions of persons: conservative, because names repeat.

The same name is thousands of different people in a province, so a name alone
never links. What singles a person out:

* a full resident ID (or passport number) in the store: ``exact`` when the
  name agrees, ``probable`` when it does not;
* the name with a compatible masked ID (``4401**********123X``): every shown
  character agrees. One such person, with at least ``min_visible_masked``
  characters shown, is ``strong``; fewer shown is ``probable``. A published
  gender or age that disagrees with the one the ID gives rules a person out;
* the name with a role (legal representative, officer, shareholder) in the
  firm the row ties the person to (``of``): one such person is ``strong``. The
  roles are the keyed ones plus those that earlier rounds of this run linked,
  never those an earlier run made.

Where a masked ID leaves several people, a role in the row's firm narrows them.
A masked ID with no name stays unresolved. A name with neither stays
unresolved too, except that where the row ties it to a linked firm and the
store holds exactly one person of that name, that person is a ``probable``
candidate for review: never a link that counts, since the same name may be
someone the store does not hold.
"""

from __future__ import annotations

from collections import Counter, namedtuple
from dataclasses import dataclass
from typing import Any

import pandas as pd

from credgraph.graph.identifiers import MaskedId
from credgraph.resolution.grading import CANDIDATE_COLUMNS, empty_candidates
from credgraph.resolution.names import person_name_key
from credgraph.resolution.settings import ResolutionSettings
from credgraph.resolution.tables import ROLE_TYPES, columns


def age_on(birth: Any, on: Any) -> int | None:
    """Whole years from an ISO birth date to an ISO date.

    >>> age_on("1980-07-01", "2024-06-30"), age_on("1980-06-30", "2024-06-30"), age_on(None, "2024-06-30")
    (43, 44, None)
    """
    if not isinstance(birth, str) or not isinstance(on, str) or len(birth) < 10 or len(on) < 10:
        return None
    years = int(on[:4]) - int(birth[:4])
    return years - 1 if on[5:10] < birth[5:10] else years


def _plausible(gender: Any, age: Any, on: Any, p_gender: Any, p_birth: Any, tolerance: int) -> tuple[bool, dict[str, Any]]:
    """Whether a person's ID agrees with a published gender and age, and what was compared."""
    facts: dict[str, Any] = {}
    if isinstance(gender, str) and isinstance(p_gender, str):
        facts["gender"] = "agrees" if gender == p_gender else f"published {gender}, the ID says {p_gender}"
        if gender != p_gender:
            return False, facts
    if isinstance(age, (int, float)) and not pd.isna(age):
        real = age_on(p_birth, on)
        if real is not None:
            facts["age"] = f"published {int(age)}, the ID gives {real}"
            if abs(real - int(age)) > tolerance:
                return False, facts
    return True, facts


def _pattern(mask: MaskedId) -> tuple[Any, ...]:
    return ("at", tuple(i for i, _ in mask.shown)) if mask.shown else ("ends", len(mask.head), len(mask.tail))


def _person_side(person_id: str, pattern: tuple[Any, ...]) -> str:
    if pattern[0] == "ends":
        head, tail = pattern[1], pattern[2]
        return f"{person_id[:head]}|{person_id[18 - tail:] if tail else ''}"
    return "".join(person_id[i] for i in pattern[1])


def _mention_side(mask: MaskedId) -> str:
    return f"{mask.head}|{mask.tail}" if not mask.shown else "".join(ch for _, ch in mask.shown)


_ROLE_RANK = {rtype: rank for rank, rtype in enumerate(ROLE_TYPES)}
_PersonMention = namedtuple("_PersonMention", ["mention_id", "name", "name_key", "id_kind", "id_value", "identifier",
                                               "gender", "age", "on", "firm"])


@dataclass
class PersonIndex:
    """What person resolution looks up in the registry's persons, built once per run.

    >>> reg = pd.DataFrame({"person_id": ["440102198001011234", "P1"], "name": ["张伟", "李娜"],
    ...     "name_key": ["张伟", "李娜"], "gender": ["M", None], "birth_date": ["1980-01-01", None]})
    >>> index = PersonIndex.of(reg)
    >>> index.named["张伟"], index.only_one["李娜"], index.block(("ends", 4, 4), {"张伟|4401|1234"})
    (1, 'P1', {'张伟|4401|1234': ['440102198001011234']})

    A block is built for each call and holds only the keys asked for: a run
    builds the blocks of its masked mentions once (``masked_matches``), and a
    whole block would be as large as the persons table.
    """

    by_id: dict[str, tuple[Any, Any, Any, Any]]  # person_id -> (name_key, name, gender, birth_date)
    named: dict[str, int]  # name key -> persons of that name
    only_one: dict[str, str]  # name key held by one person -> that person
    resident: list[tuple[str, str]]  # (person_id, name_key) of 18-character IDs with a name

    @classmethod
    def of(cls, persons: pd.DataFrame) -> PersonIndex:
        """The index of a registry's persons table."""
        ids, keys = persons["person_id"].tolist(), persons["name_key"].tolist()
        by_id = dict(zip(ids, zip(keys, *(persons[c].tolist() for c in ("name", "gender", "birth_date")))))
        named = Counter(keys)
        only_one = {k: pid for pid, k in zip(ids, keys) if k and named[k] == 1}
        resident = [(pid, k) for pid, k in zip(ids, keys) if k and isinstance(pid, str) and len(pid) == 18]
        return cls(by_id, dict(named), only_one, resident)

    def block(self, pattern: tuple[Any, ...], wanted: set[str]) -> dict[str, list[str]]:
        """Persons by ``name key|the characters a mask of this pattern shows``, for the ``wanted`` keys."""
        found: dict[str, list[str]] = {}
        for pid, key in self.resident:
            block_key = f"{key}|{_person_side(pid, pattern)}"
            if block_key in wanted:
                found.setdefault(block_key, []).append(pid)
        return found


class RoleIndex:
    """The roles that count as evidence, by (name key, firm): keyed ones, then those a run's rounds add.

    A person holds one role per firm here, the first of ``ROLE_TYPES`` it
    has there (a legal representative who is also an officer shows as legal
    representative): evidence needs that the person acts for the firm, and a
    second role in the same firm adds nothing to it, so only a new (person,
    firm) pair counts as new.

    >>> people = PersonIndex.of(pd.DataFrame({"person_id": ["P1"], "name": ["张伟"], "name_key": ["张伟"],
    ...     "gender": [None], "birth_date": [None]}))
    >>> roles = RoleIndex(pd.DataFrame({"person_id": ["P1"], "uscc": ["F1"], "type": ["OFFICER_OF"]}), people)
    >>> roles.add(pd.DataFrame({"person_id": ["P1", "P1", "P9"], "uscc": ["F1", "F2", "F1"],
    ...     "type": ["LEGAL_REP_OF", "OFFICER_OF", "OFFICER_OF"]}))
    1
    >>> roles.by_name_firm[("张伟", "F1")], roles.has("P1", "F2"), roles.has("P9", "F1")
    ({'P1': 'LEGAL_REP_OF'}, True, False)
    """

    def __init__(self, roles: pd.DataFrame, people: PersonIndex) -> None:
        self._people = people
        self.by_name_firm: dict[tuple[str, str], dict[str, str]] = {}  # (name key, uscc) -> person_id -> type
        self.add(roles)

    def add(self, roles: pd.DataFrame) -> int:
        """Add ``roles`` (person_id, uscc, type) of persons in the registry; how many (person, firm) pairs were new."""
        new = 0
        for pid, uscc, rtype in columns(roles, "person_id", "uscc", "type"):
            person = self._people.by_id.get(pid)
            if person is None:
                continue
            held = self.by_name_firm.setdefault((person[0], uscc), {})
            if pid not in held:
                held[pid] = rtype
                new += 1
            elif _ROLE_RANK.get(rtype, len(_ROLE_RANK)) < _ROLE_RANK.get(held[pid], len(_ROLE_RANK)):
                held[pid] = rtype
        return new

    def has(self, person_id: str, uscc: str) -> bool:
        """Whether the person holds a role in the firm."""
        person = self._people.by_id.get(person_id)
        return person is not None and person_id in self.by_name_firm.get((person[0], uscc), {})


def masked_matches(pm: pd.DataFrame, people: PersonIndex) -> dict[str, list[tuple[str, int]]]:
    """Mention -> (person_id, characters shown) for every person whose name and ID fit the mention's masked ID.

    Mentions without a masked ID or a name are left out. One block of the
    persons per mask pattern, built when it is needed and dropped after.

    >>> reg = pd.DataFrame({"person_id": ["440102198001011234"], "name": ["张伟"], "name_key": ["张伟"],
    ...     "gender": ["M"], "birth_date": ["1980-01-01"]})
    >>> pm = pd.DataFrame({"mention_id": ["m1", "m2"], "name": ["张伟", "张伟"],
    ...     "id_kind": ["masked_id", "none"], "id_value": ["4401**********1234", None]})
    >>> masked_matches(pm, PersonIndex.of(reg))
    {'m1': [('440102198001011234', 8)]}
    """
    by_pattern: dict[tuple[Any, ...], list[tuple[str, str, MaskedId]]] = {}
    for mid, name, kind, value in columns(pm, "mention_id", "name", "id_kind", "id_value"):
        key = person_name_key(name or "") if kind == "masked_id" else ""
        mask = MaskedId.parse(value or "") if key else None
        if mask is not None:
            by_pattern.setdefault(_pattern(mask), []).append((mid, key, mask))
    out: dict[str, list[tuple[str, int]]] = {}
    for pattern, asked in by_pattern.items():
        keys = [f"{key}|{_mention_side(mask)}" for _, key, mask in asked]
        block = people.block(pattern, set(keys))
        for (mid, _, mask), block_key in zip(asked, keys):
            found = block.get(block_key)
            if found:
                out[mid] = [(pid, mask.visible) for pid in found]
    return out


def person_candidates(pm: pd.DataFrame, people: PersonIndex, context: dict[str, str], roles: RoleIndex,
                      s: ResolutionSettings, masked: dict[str, list[tuple[str, int]]],
                      ) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Candidate rows for person mentions, and the evidence of those that get none.

    ``context`` maps a mention to the firm (USCC) the row ties it to, where
    that firm's mention is linked ``strong`` or better; ``roles`` are the
    roles that count as evidence; ``masked`` is ``masked_matches`` of these
    mentions or more (computed once per run by the caller).
    """
    pm = pm.assign(name_key=[person_name_key(n or "") for n in pm["name"].tolist()],
                   firm=[context.get(o) if isinstance(o, str) else None for o in pm["of"].tolist()])
    pm = pm.astype(object) if pm.empty else pm  # no person mentions: empty float64 columns would not merge
    persons, named, only_one = people.by_id, people.named, people.only_one
    tolerance = int(s.rule("age_tolerance"))
    min_visible = int(s.rule("min_visible_masked"))
    role_of: dict[str, dict[str, str]] = {}
    for mid, key, uscc in zip(pm["mention_id"].tolist(), pm["name_key"].tolist(), pm["firm"].tolist()):
        held = roles.by_name_firm.get((key, uscc)) if isinstance(uscc, str) else None
        if held:
            role_of[mid] = {pid: f"{rtype} of {uscc}" for pid, rtype in held.items()}
    rows: list[dict[str, Any]] = []
    notes: dict[str, dict[str, Any]] = {}
    for m in map(_PersonMention._make, columns(pm, *_PersonMention._fields)):
        base = {"name": m.name, "persons_with_name": int(named.get(m.name_key, 0))}
        if m.id_kind in ("resident_id", "passport"):
            if m.id_value not in persons:
                notes[m.mention_id] = {**base, m.id_kind: m.id_value, "why": "no person in the store has this ID"}
                continue
            p_key, p_name, _, _ = persons[m.id_value]
            agrees = not m.name_key or p_key == m.name_key
            rows.append(_row(m.mention_id, m.id_value, "exact" if agrees else "probable", False,
                             s.weight("resident_id") + (s.weight("person_name") if agrees else s.weight("name_differs")),
                             "the resident ID is in the store" if agrees else "the resident ID is in the store under another name",
                             {**base, m.id_kind: m.id_value, "registry_name": p_name}))
            continue
        if m.id_kind == "masked_id":
            found = masked.get(m.mention_id, [])
            if not m.name_key:
                notes[m.mention_id] = {"masked_id": m.identifier, "why": "a masked ID with no name never identifies"}
                continue
        else:
            found = [(pid, 0) for pid in role_of.get(m.mention_id, {})]
        kept = 0
        for pid, visible in found:
            _, _, p_gender, p_birth = persons[pid]
            ok, facts = _plausible(m.gender, m.age, m.on, p_gender, p_birth, tolerance)
            if not ok:
                continue
            kept += 1
            role = role_of.get(m.mention_id, {}).get(pid)
            if role is None and isinstance(m.firm, str) and roles.has(pid, m.firm):
                role = f"a role in {m.firm}"
            features = {**base, **facts, **({"masked_id": m.identifier, "visible": visible} if visible else {}),
                        **({"role_in_firm": role} if role else {})}
            logit = s.weight("person_name") + s.weight("masked_char") * visible \
                + s.weight("age") * ("age" in facts) + s.weight("gender") * ("gender" in facts) \
                + s.weight("role_in_firm") * (role is not None)
            if visible:
                rule = "the name and a compatible masked ID single out one person"
                unique_grade = "strong" if visible >= min_visible else "probable"
            else:
                rule = "the name and a role in the firm of the record single out one person"
                unique_grade = "strong"
            rows.append(_row(m.mention_id, pid, unique_grade, bool(visible) and role is not None, logit, rule, features))
        if not kept and m.id_kind != "masked_id" and isinstance(m.firm, str) and m.name_key in only_one:
            rows.append(_row(m.mention_id, only_one[m.name_key], "probable", False, s.weight("person_name"),
                             "the only person of this name in the store: a name alone never links, so a person decides",
                             {**base, "firm_of_row": m.firm}))
            continue
        if not kept:
            why = ("no person of this name has a compatible ID" if m.id_kind == "masked_id"
                   else "the name alone never links: nothing else singles out a person"
                   + ("" if isinstance(m.firm, str) else " (no linked firm in the row)"))
            notes[m.mention_id] = {**base, **({"masked_id": m.identifier} if m.id_kind == "masked_id" else {}), "why": why}
    return (pd.DataFrame(rows, columns=CANDIDATE_COLUMNS) if rows else empty_candidates()), notes


def _row(mention_id: str, person_id: str, grade_if_unique: str, preferred: bool, logit: float, rule: str,
         features: dict[str, Any]) -> dict[str, Any]:
    return {"mention_id": mention_id, "subject_id": person_id, "label": "Person", "grade_if_unique": grade_if_unique,
            "preferred": preferred, "logit": logit, "rule": rule, "features": features}

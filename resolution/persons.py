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

from typing import Any

import pandas as pd

from credgraph.graph.identifiers import MaskedId
from credgraph.resolution.grading import CANDIDATE_COLUMNS, empty_candidates
from credgraph.resolution.names import person_name_key
from credgraph.resolution.settings import ResolutionSettings
from credgraph.resolution.tables import Registry


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


def _person_side(ids: pd.Series, pattern: tuple[Any, ...]) -> pd.Series:
    if pattern[0] == "ends":
        head, tail = pattern[1], pattern[2]
        return ids.str.slice(0, head) + "|" + (ids.str.slice(18 - tail, 18) if tail else "")
    positions = pattern[1]
    runs: list[tuple[int, int]] = []
    for i in positions:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    out = ids.str.slice(runs[0][0], runs[0][1])
    for start, end in runs[1:]:
        out = out + ids.str.slice(start, end)
    return out


def _mention_side(mask: MaskedId) -> str:
    return f"{mask.head}|{mask.tail}" if not mask.shown else "".join(ch for _, ch in mask.shown)


def _masked(pm: pd.DataFrame, reg: Registry) -> pd.DataFrame:
    """(mention_id, person_id, visible) for every person whose name and ID fit a masked mention."""
    persons = reg.persons[(reg.persons["person_id"].str.len() == 18) & (reg.persons["name_key"] != "")]
    groups: dict[tuple[Any, ...], list[tuple[str, str, int]]] = {}
    for mid, key, value in zip(pm["mention_id"], pm["name_key"], pm["id_value"]):
        mask = MaskedId.parse(value or "")
        if mask is None or not key:
            continue
        groups.setdefault(_pattern(mask), []).append((mid, f"{key}|{_mention_side(mask)}", mask.visible))
    parts = []
    for pattern, asks in groups.items():
        side = persons["name_key"] + "|" + _person_side(persons["person_id"], pattern)
        index = pd.DataFrame({"block": side, "person_id": persons["person_id"]})
        ask = pd.DataFrame(asks, columns=["mention_id", "block", "visible"])
        parts.append(ask.merge(index, on="block")[["mention_id", "person_id", "visible"]])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["mention_id", "person_id", "visible"])


def person_candidates(pm: pd.DataFrame, reg: Registry, context: dict[str, str], roles: pd.DataFrame,
                      s: ResolutionSettings) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Candidate rows for person mentions, and the evidence of those that get none.

    ``context`` maps a mention to the firm (USCC) the row ties it to, where
    that firm's mention is linked ``strong`` or better; ``roles`` are the
    (person_id, uscc, type) roles that count as evidence.
    """
    pm = pm.assign(name_key=[person_name_key(n or "") for n in pm["name"].tolist()],
                   firm=[context.get(o) if isinstance(o, str) else None for o in pm["of"].tolist()])
    pm = pm.astype(object) if pm.empty else pm  # no person mentions: empty float64 columns would not merge
    persons = dict(zip(reg.persons["person_id"].tolist(), zip(
        *(reg.persons[c].tolist() for c in ("name_key", "name", "gender", "birth_date")))))
    tolerance = int(s.rule("age_tolerance"))
    min_visible = int(s.rule("min_visible_masked"))
    named = reg.persons["name_key"].value_counts().to_dict()
    unique = reg.persons[reg.persons["name_key"].map(named).eq(1) & reg.persons["name_key"].ne("")]
    only_one = dict(zip(unique["name_key"], unique["person_id"]))
    role_index = roles.merge(reg.persons[["person_id", "name_key"]], on="person_id")
    role_pairs = set(zip(role_index["person_id"].tolist(), role_index["uscc"].tolist()))
    by_firm = role_index.merge(pm[pm["firm"].notna()][["mention_id", "name_key", "firm"]],
                               left_on=["name_key", "uscc"], right_on=["name_key", "firm"])
    role_of: dict[str, dict[str, str]] = {}
    for mid, pid, rtype, uscc in zip(by_firm["mention_id"], by_firm["person_id"], by_firm["type"], by_firm["uscc"]):
        role_of.setdefault(mid, {})[pid] = f"{rtype} of {uscc}"
    masked = _masked(pm[pm["id_kind"] == "masked_id"], reg)
    masked_of: dict[str, list[tuple[str, int]]] = {}
    for mid, pid, visible in zip(masked["mention_id"], masked["person_id"], masked["visible"]):
        masked_of.setdefault(mid, []).append((pid, int(visible)))
    rows: list[dict[str, Any]] = []
    notes: dict[str, dict[str, Any]] = {}
    for m in pm.itertuples(index=False):
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
            found = masked_of.get(m.mention_id, [])
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
            if role is None and isinstance(m.firm, str) and (pid, m.firm) in role_pairs:
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

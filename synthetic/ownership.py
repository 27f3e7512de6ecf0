"""Expected beneficial owners of planted ownership structures, computed exactly.

With ``A[i][j]`` the stake of firm i in firm j and ``P[p][j]`` the direct stake
of person p in firm j, persons' integrated (effective) stakes are
``U = P (I - A)^-1`` (the series P (I + A + A^2 + ...)). The generator solves
this in exact rational arithmetic so that truth.json carries the true value,
not a floating-point approximation. Firms that no person reaches through
ownership (a closed cycle such as Alpha owns Beta 100% and Beta owns Alpha
100%) have no natural-person owner; leaving them out also keeps ``I - A``
invertible.

>>> hs = [Holding("P1", "person", "F1", "60"), Holding("P2", "person", "F1", "40"),
...       Holding("F1", "enterprise", "F2", "70"), Holding("P3", "person", "F2", "30")]
>>> [(o["owner_id"], o["effective_pct"]) for o in expected_owners(hs, ["F2"])[0]["owners"]]
[('P1', 42.0), ('P3', 30.0), ('P2', 28.0)]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

CONTROL_PCT = 50


@dataclass(frozen=True)
class Holding:
    """A shareholding in force on the reference date, ``pct`` as written (e.g. ``"33.33"``)."""

    holder: str
    holder_type: str
    uscc: str
    pct: str


def _reached_by_persons(holdings: Sequence[Holding]) -> list[str]:
    owned_by: dict[str, list[str]] = {}
    for h in holdings:
        owned_by.setdefault(h.holder, []).append(h.uscc)
    frontier = [h.uscc for h in holdings if h.holder_type == "person"]
    seen: set[str] = set()
    while frontier:
        firm = frontier.pop()
        if firm not in seen:
            seen.add(firm)
            frontier.extend(owned_by.get(firm, []))
    return sorted(seen)


def _inverse(matrix: list[list[Fraction]]) -> list[list[Fraction]]:
    """Gauss-Jordan inverse in exact arithmetic."""
    n = len(matrix)
    aug = [row[:] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if aug[r][col] != 0), None)
        if pivot is None:
            raise ValueError("I - A is singular")
        aug[col], aug[pivot] = aug[pivot], aug[col]
        inv = 1 / aug[col][col]
        aug[col] = [v * inv for v in aug[col]]
        for r in range(n):
            if r != col and aug[r][col] != 0:
                factor = aug[r][col]
                aug[r] = [a - factor * b for a, b in zip(aug[r], aug[col])]
    return [row[n:] for row in aug]


def person_stakes(holdings: Sequence[Holding]) -> dict[str, dict[str, Fraction]]:
    """``{uscc: {person: effective stake as a fraction of 1}}`` for every firm persons reach."""
    firms = _reached_by_persons(holdings)
    col = {f: i for i, f in enumerate(firms)}
    persons = sorted({h.holder for h in holdings if h.holder_type == "person"})
    n = len(firms)
    m = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    direct: dict[str, list[Fraction]] = {p: [Fraction(0)] * n for p in persons}
    for h in holdings:
        if h.uscc not in col:
            continue
        stake = Fraction(h.pct) / 100
        if h.holder_type == "person":
            direct[h.holder][col[h.uscc]] += stake
        elif h.holder in col:
            m[col[h.holder]][col[h.uscc]] -= stake
    inv = _inverse(m)
    stakes: dict[str, dict[str, Fraction]] = {f: {} for f in firms}
    for p, row in direct.items():
        for j, firm in enumerate(firms):
            value = sum((row[k] * inv[k][j] for k in range(n) if row[k]), Fraction(0))
            if value:
                stakes[firm][p] = value
    return stakes


def expected_owners(holdings: Sequence[Holding], usccs: Sequence[str]) -> list[dict[str, Any]]:
    """The truth entry of each firm in ``usccs``: owners by effective stake and the actual controller."""
    stakes = person_stakes(holdings)
    entries = []
    for uscc in usccs:
        ranked = sorted(stakes.get(uscc, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        owners = [{"owner_id": p, "owner_type": "person", "effective_pct": round(float(v * 100), 4)}
                  for p, v in ranked]
        top = ranked[0] if ranked and ranked[0][1] * 100 >= CONTROL_PCT else None
        controller = {"owner_id": top[0], "basis": f"effective_pct>={CONTROL_PCT}"} if top else None
        entries.append({"uscc": uscc, "owners": owners, "actual_controller": controller})
    return entries

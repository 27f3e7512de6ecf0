"""Penalties and list entries: planned by units, drawn at random for the background, written last.

Background records only touch firms that cannot make a pattern out of them:
black-list entries go to firms whose principals hold no post elsewhere (or to
those principals, dated after their last post began), so no listed subject ever
"re-registers"; bribery records go only to firms and persons with no person or
ownership path to any bidder. Every planted record is interleaved at a random
position among the background rows, so file order gives nothing away.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from credgraph.graph.identifiers import resident_id_check_char
from credgraph.synthetic import noise
from credgraph.synthetic.dates import AS_OF, between, iso, iso_or_none, year
from credgraph.synthetic.names import Place
from credgraph.synthetic.tables import pick
from credgraph.synthetic.world import EXCLUSIVE, NO_BRIBERY_PATH, PLANTED, World

T = TypeVar("T")
BLACK_LISTS = ("dishonest_debtor", "consumption_restricted", "major_tax_violation", "procurement_blacklist",
               "serious_violation")
_ABBR = {"tax": "税", "market": "市监", "finance": "财", "labor": "人社", "environment": "环",
         "construction": "建", "statistics": "统", "financial": "金融"}


def plan_penalty(w: World, *, subject: str, subject_type: str, place: Place, category: str, decision: int,
                 kind: str | None = None, status: str = "effective", repaired: int | None = None) -> str:
    """Plan a penalty for the records phase; returns its penalty_id."""
    w.plans.penalties.append(_penalty(w, subject, subject_type, place, category, decision, kind, status, repaired))
    return w.plans.penalties[-1]["penalty_id"] or ""


def plan_entry(w: World, *, subject: str, subject_type: str, place: Place, list_name: str, listed: int,
               removed: int | None = None) -> str:
    """Plan a list entry for the records phase; returns its entry_id."""
    w.plans.entries.append(_entry(w, subject, subject_type, place, list_name, listed, removed))
    return w.plans.entries[-1]["entry_id"] or ""


def _penalty(w: World, subject: str, subject_type: str, place: Place, category: str, decision: int,
             kind: str | None, status: str, repaired: int | None) -> dict[str, str | None]:
    rng = w.rng
    spec = w.tables.penalties[category]
    if kind is None:
        kind = rng.choices(list(spec["kinds"]), weights=list(spec["kinds"].values()))[0]
    role = "court" if kind == "criminal" else spec["agency"]
    amount = None
    if kind in ("fine", "confiscation") or (kind == "criminal" and rng.random() < 0.7):
        amount = noise.amount(rng, round(rng.uniform(0.2, 50) if kind != "criminal" else rng.uniform(10, 500), 2))
    if kind == "criminal":
        number = f"({year(decision)}){place.city.short}刑初{rng.randint(1, 2000)}号"
    else:
        number = f"{place.city.short}{_ABBR.get(role, '')}罚〔{year(decision)}〕{rng.randint(1, 9999)}号"
    return {
        "penalty_id": f"CF{w.codes.serial('penalty', 9):09d}", "subject_id": subject, "subject_type": subject_type,
        "decision_date": iso(decision), "category": category, "kind": kind,
        "agency_id": w.agency(place, role) if rng.random() < 0.97 else None, "amount": amount,
        "legal_basis": rng.choice(spec["basis"]), "description": f"{number} {rng.choice(spec['descriptions'])}",
        "status": status if status != "effective" or rng.random() < 0.6 else None,
        "repaired_date": iso_or_none(repaired),
    }


def _entry(w: World, subject: str, subject_type: str, place: Place, list_name: str, listed: int,
           removed: int | None) -> dict[str, str | None]:
    spec = w.tables.lists[list_name]
    return {
        "entry_id": f"MD{w.codes.serial('entry', 9):09d}", "subject_id": subject, "subject_type": subject_type,
        "list": list_name, "listed_date": iso(listed), "removed_date": iso_or_none(removed),
        "agency_id": w.agency(place, spec["agency"]), "reason": w.rng.choice(spec["reasons"]),
    }


def interleave(w: World, background: Iterator[T], n_background: int, planned: Sequence[T]) -> Iterator[T]:
    """The background items with ``planned`` ones inserted at random positions."""
    total = n_background + len(planned)
    slots = set(w.rng.sample(range(total), len(planned)))
    it = iter(planned)
    for i in range(total):
        if i in slots:
            yield next(it)
        else:
            item = next(background, None)
            if item is not None:
                yield item


def _random_firm(w: World, need: int = 0) -> int:
    """A non-planted firm having every flag in ``need`` (-1 if none found quickly)."""
    firms, rng = w.firms, w.rng
    for _ in range(60):
        i = rng.randrange(len(firms))
        flags = firms.flags[i]
        if not flags & PLANTED and flags & need == need:
            return i
    return -1


def _city_place(w: World, i: int) -> Place:
    return Place(w.tables.cities[w.firms.city[i]], None)


def _rep_id(w: World, i: int) -> str | None:
    body = w.firms.rep[i]
    if not body:
        return None
    text = str(body)
    return text + resident_id_check_char(text)


def _background_penalties(w: World, n: int) -> Iterator[dict[str, str | None]]:
    rng, firms = w.rng, w.firms
    for _ in range(n):
        bribery = rng.random() < 0.01
        i = _random_firm(w, NO_BRIBERY_PATH if bribery else 0)
        if i < 0 or firms.reg[i] > AS_OF - 60:
            continue
        category = "bribery" if bribery else pick(rng, w.tables.penalty_weights)
        subject, subject_type = firms.uscc(i), "enterprise"
        start = firms.reg[i]
        if firms.flags[i] & EXCLUSIVE and rng.random() < 0.15 and (rep := _rep_id(w, i)):
            subject, subject_type, start = rep, "person", max(start, firms.rep_start[i])
        decision = between(rng, start + 60, AS_OF)
        r = rng.random()
        status, repaired = "effective", None
        if r < 0.15 and decision < AS_OF - 400:
            status, repaired = "repaired", between(rng, decision + 365, AS_OF)
        elif r < 0.2:
            status = "revoked"
        yield _penalty(w, subject, subject_type, _city_place(w, i), category, decision, None, status, repaired)


def _background_entries(w: World, n_black: int, n_red: int) -> Iterator[dict[str, str | None]]:
    rng, firms, plans = w.rng, w.firms, w.plans
    for i, listed in zip(plans.abnormal_firms, plans.abnormal_days):
        removed = between(rng, listed + 180, AS_OF) if rng.random() < 0.3 and listed < AS_OF - 200 else None
        yield _entry(w, firms.uscc(i), "enterprise", _city_place(w, i), "abnormal_operation", listed, removed)
    for k in range(n_black + n_red):
        red = k >= n_black
        bribery = not red and rng.random() < 0.03
        i = _random_firm(w, 0 if red else (NO_BRIBERY_PATH if bribery else EXCLUSIVE))
        if i < 0 or firms.end[i]:
            continue
        list_name = "red_list" if red else "bribery_record" if bribery else rng.choice(BLACK_LISTS)
        subject, subject_type, after = firms.uscc(i), "enterprise", firms.reg[i]
        if not red and "person" in w.tables.lists[list_name]["subjects"] and rng.random() < 0.4:
            rep = _rep_id(w, i)
            if rep:
                subject, subject_type, after = rep, "person", max(after, firms.rep_start[i])
        if after > AS_OF - 90:
            continue
        listed = between(rng, after + 60, AS_OF - 1)
        removed = between(rng, listed + 180, AS_OF) if rng.random() < 0.3 and listed < AS_OF - 200 else None
        yield _entry(w, subject, subject_type, _city_place(w, i), list_name, listed, removed)


def write_records(w: World) -> None:
    """Write penalties.csv and list_entries.csv: background rows with the planned ones interleaved."""
    n = w.target
    n_pen = round(n * 0.10)
    for row in interleave(w, _background_penalties(w, n_pen), n_pen, w.plans.penalties):
        w.sink.write("penalties.csv", **row)
    n_black, n_red = round(n * 0.03), round(n * 0.02)
    n_entries = len(w.plans.abnormal_firms) + n_black + n_red
    for row in interleave(w, _background_entries(w, n_black, n_red), n_entries, w.plans.entries):
        w.sink.write("list_entries.csv", **row)

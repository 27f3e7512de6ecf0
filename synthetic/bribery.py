"""Planted bribery associations, and bribery records that must not count.

A subject with a bribery record (an effective penalty of category ``bribery``,
or an entry on ``bribery_record``) is linked to a firm that then wins a tender:

* ``person_1hop``: the person is legal representative, officer or shareholder
  of the winner;
* ``person_2hop``: the person owns firm A, which owns the winner;
* ``firm_1hop``: the firm with the record owns a stake in the winner;
* ``firm_2hop``: the firm's legal representative also leads the winner.

Every other firm of the unit never bids, and the unit's people hold no other
posts, so exactly one (winner, record holder) pair is reportable however a
detector counts hops. Decoys: the bribery penalty was repaired (信用修复) or
revoked long before the win, or the linked firm only ever lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from credgraph.synthetic.dates import AS_OF, YEAR_START, between, iso
from credgraph.synthetic.entities import HolderSpec, planted_firm
from credgraph.synthetic.market import budget_for, plan_project
from credgraph.synthetic.names import Place
from credgraph.synthetic.records import plan_entry, plan_penalty
from credgraph.synthetic.tables import City, pick
from credgraph.synthetic.world import Firm, World

VARIANTS = ("person_1hop", "person_2hop", "firm_1hop", "firm_2hop")
DECOYS = ("repaired_bribery_penalty", "revoked_bribery_penalty", "bribery_holder_lost_only")


def _record(w: World, holder: str, holder_type: str, place: Place, day: int, status: str = "effective",
            repaired: int | None = None) -> dict[str, Any]:
    """Plan the bribery record of ``holder``: a list entry or a penalty."""
    if status == "effective" and w.rng.random() < 0.4:
        entry_id = plan_entry(w, subject=holder, subject_type=holder_type, place=place, list_name="bribery_record",
                              listed=day)
        return {"entry_id": entry_id, "list": "bribery_record", "listed_date": iso(day)}
    kind = "criminal" if w.rng.random() < 0.5 else "fine"
    penalty_id = plan_penalty(w, subject=holder, subject_type=holder_type, place=place, category="bribery",
                              decision=day, kind=kind, status=status, repaired=repaired)
    record = {"penalty_id": penalty_id, "category": "bribery", "kind": kind, "decision_date": iso(day),
              "status": status}
    if repaired is not None:
        record["repaired_date"] = iso(repaired)
    return record


def _firm(w: World, city: City, comp: int, reg: int, rep: str, holders: Sequence[HolderSpec],
          works: bool = False) -> Firm:
    industries = [i for i in w.tables.industries if (i.category == "works") == works]
    return planted_firm(w, reg=reg, place=w.place(reg, city), comp=comp, rep=rep, holders=holders,
                        industry=w.rng.choice(industries) if works else None)


def _chain(w: World, variant: str, city: City, comp: int) -> tuple[str, str, list[str], Firm, int]:
    """(holder id, holder type, path of ids, firm that will bid, last registration day) of ``variant``."""
    rng = w.rng
    reg = between(rng, YEAR_START[2008], YEAR_START[2017])
    place = w.place(reg, city)
    person = w.person(reg, place, foreign=False)
    nominee = w.person(reg, place)
    works = rng.random() < 0.4
    if variant == "person_1hop":
        role = rng.choice(("legal_rep", "shareholder", "officer"))
        rep = person if role == "legal_rep" else nominee
        holders: list[HolderSpec] = [(person, "person", "100", None)]
        if role == "shareholder":
            holders = [(person, "person", "70", None), (nominee, "person", "30", None)]
        elif role == "officer":
            holders = [(nominee, "person", "100", None)]
        firm = _firm(w, city, comp, reg, rep, holders, works)
        if role == "officer":
            w.officer(person, firm, "manager", reg)
        return person, "person", [person, firm.uscc], firm, reg
    if variant == "person_2hop":
        a = _firm(w, city, comp, reg, nominee, [(person, "person", "100", None)])
        b_reg = between(rng, reg + 90, reg + 900)
        b = _firm(w, city, comp, b_reg, w.person(b_reg, place),
                  _with_rest(w, (a.uscc, "enterprise"), rng.randint(51, 100), b_reg, place), works)
        return person, "person", [person, a.uscc, b.uscc], b, b_reg
    holder = _firm(w, city, comp, reg, person, [(person, "person", "100", None)])
    f_reg = between(rng, reg + 90, reg + 900)
    if variant == "firm_1hop":
        holders = _with_rest(w, (holder.uscc, "enterprise"), rng.randint(30, 100), f_reg, place)
        firm = _firm(w, city, comp, f_reg, w.person(f_reg, place), holders, works)
        return holder.uscc, "enterprise", [holder.uscc, firm.uscc], firm, f_reg
    firm = _firm(w, city, comp, f_reg, person, [(w.person(f_reg, place), "person", "100", None)], works)
    return holder.uscc, "enterprise", [holder.uscc, person, firm.uscc], firm, f_reg


def _with_rest(w: World, holder: tuple[str, str], pct: int, reg: int, place: Place) -> list[HolderSpec]:
    """``holder`` with ``pct`` percent and, below 100, a new person holding the rest."""
    holders: list[HolderSpec] = [(holder[0], holder[1], str(pct), None)]
    if pct < 100:
        holders.append((w.person(reg, place), "person", str(100 - pct), None))
    return holders


def _win(w: World, firm: Firm, after: int, lose: bool = False) -> list[str]:
    """Plan one or two tenders after day ``after`` that ``firm`` wins (or loses to a planted rival)."""
    rng = w.rng
    ids = []
    for _ in range(rng.randint(1, 2)):
        publish = between(rng, after + 60, AS_OF - 60)
        budget = budget_for(w, firm.industry.category)
        amount = round(budget * rng.uniform(0.85, 0.97), 2)
        bids = [(firm.uscc, amount, not lose)]
        if lose:
            rival_reg = between(rng, YEAR_START[2006], publish - 400)
            owner = w.person(rival_reg, firm.place)
            rival = planted_firm(w, reg=rival_reg, place=firm.place, comp=w.new_comp(), rep=owner,
                                 holders=[(owner, "person", "100", None)], industry=firm.industry)
            bids.append((rival.uscc, round(amount * rng.uniform(0.93, 0.99), 2), True))
        project = plan_project(w, place=firm.place, category=firm.industry.category, publish=publish,
                               budget=budget, bids=bids, outsiders=rng.randint(2, 4))
        ids.append(project.project_id)
    return ids


def bribery(w: World, variant: str) -> None:
    """Plant one bribery association of ``variant`` (see VARIANTS)."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    holder, holder_type, path, firm, last_reg = _chain(w, variant, city, w.new_comp())
    day = between(rng, max(last_reg + 180, YEAR_START[2014]), AS_OF - 500)
    record = _record(w, holder, holder_type, firm.place, day)
    won = _win(w, firm, day)
    evidence = {"record": record, "path": path, "won_projects": won}
    w.truth.plant("bribery_association", [firm.uscc, holder], variant, evidence)


def bribery_decoy(w: World, kind: str) -> None:
    """A bribery record that must not make an association (see DECOYS)."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    holder, holder_type, path, firm, last_reg = _chain(w, "person_1hop", city, w.new_comp())
    day = between(rng, max(last_reg + 180, YEAR_START[2012]), AS_OF - 2000)
    if kind == "bribery_holder_lost_only":
        record = _record(w, holder, holder_type, firm.place, day)
        projects = _win(w, firm, day, lose=True)
    else:
        status = "repaired" if kind == "repaired_bribery_penalty" else "revoked"
        repaired = between(rng, day + 365, day + 700) if status == "repaired" else None
        record = _record(w, holder, holder_type, firm.place, day, status, repaired)
        projects = _win(w, firm, (repaired or day) + 365)
    w.truth.decoy(kind, "bribery_association", [firm.uscc, holder],
                  {"record": record, "path": path, "projects": projects})

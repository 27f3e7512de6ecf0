"""Planted rings: bid-rigging cartels, guarantee circles, circular ownership.

Members of a ring are registered at least 90 days apart with ordinary capital,
so a ring never doubles as a shell cluster. Decoys here are the same cycles
with relations that ended before the reference date.

Bid rigging follows the screens of Imhof (2017): the designated winner bids a
little under the budget and the cover bids sit 0.5-2.5% above it, so the
coefficient of variation of a rigged tender is about 1% against about 6% in a
competitive one; winners rotate through the ring.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from credgraph.synthetic.dates import AS_OF, YEAR_START, between, iso, iso_or_none
from credgraph.synthetic.entities import Contact, HolderSpec, fresh_contact, nice_capital, planted_firm
from credgraph.synthetic.market import budget_for, plan_project
from credgraph.synthetic.ownership import Holding, expected_owners
from credgraph.synthetic.tables import City, Industry, pick
from credgraph.synthetic.world import Firm, World

RIGGING_VARIANTS = ("shared_principal", "shared_contact", "ownership_link")


def _spaced_days(w: World, k: int, first_lo: int, first_hi: int) -> list[int]:
    """``k`` registration days 90-600 days apart, the last at least 400 days before the reference date."""
    days = [between(w.rng, first_lo, min(first_hi, AS_OF - 400 - (k - 1) * 600))]
    for _ in range(k - 1):
        days.append(days[-1] + w.rng.randint(90, 600))
    return days


def _member(w: World, city: City, comp: int, reg: int, industry: Industry | None = None,
            holders: Sequence[HolderSpec] | None = None, contact: Contact | None = None,
            rep: str | None = None) -> Firm:
    """A ring member with its own legal representative (and by default its own sole shareholder)."""
    place = w.place(reg, city)
    rep = rep or w.person(reg, place)
    holders = holders or [(rep, "person", "100", None)]
    capital = nice_capital(w.rng, 200, 5000)
    return planted_firm(w, reg=reg, place=place, comp=comp, rep=rep, holders=holders, industry=industry,
                        capital=capital, contact=contact)


def bid_rigging(w: World, variant: str) -> None:
    """Plant a ring of 2-4 firms that share a principal, a contact point or an owner and rotate wins."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    k = rng.randint(2, 4)
    category = rng.choice(("works", "works", "goods", "services"))
    industry = rng.choice([i for i in w.tables.industries if i.category == category])
    regs = _spaced_days(w, k, YEAR_START[2007], YEAR_START[2015])
    firms: list[Firm] = []
    link: dict[str, Any] = {"kind": variant}
    if variant == "shared_principal":
        principal = w.person(regs[0], None)
        link["person_id"] = principal
        for reg in regs:
            owner = w.person(reg, None)
            pct = rng.randint(70, 90)
            firm = _member(w, city, comp, reg, industry, [(owner, "person", str(pct), None),
                                                          (principal, "person", str(100 - pct), None)], rep=owner)
            w.officer(principal, firm, "director", reg)
            firms.append(firm)
    elif variant == "shared_contact":
        shared = fresh_contact(w, w.place(regs[0], city), complete=True)
        link["phone"] = shared.phone
        for reg in regs:
            own = fresh_contact(w, w.place(reg, city), complete=True)
            firms.append(_member(w, city, comp, reg, industry, contact=Contact(shared.phone, own.address, own.email)))
    else:
        hub = _member(w, city, comp, regs[0], industry)
        firms.append(hub)
        link["owner"] = hub.uscc
        for reg in regs[1:]:
            place = w.place(reg, city)
            owner = w.person(reg, place)
            pct = rng.randint(20, 40)
            firms.append(_member(w, city, comp, reg, industry, [(hub.uscc, "enterprise", str(pct), None),
                                                                (owner, "person", str(100 - pct), None)], rep=owner))
    projects, winners = _rigged_tenders(w, firms, industry)
    evidence = {"link": link, "projects": projects, "winners": winners}
    w.truth.plant("bid_rigging", [f.uscc for f in firms], variant, evidence)


def _rigged_tenders(w: World, firms: list[Firm], industry: Industry) -> tuple[list[str], list[str]]:
    """Three to six tenders the ring bids on together, winners in rotation, cover bids just above."""
    rng = w.rng
    k = len(firms)
    m = rng.randint(max(3, k), 6)
    start = max(max(f.reg for f in firms) + 180, YEAR_START[2013])
    days = sorted(between(rng, start, AS_OF - 60) for _ in range(m))
    projects, winners = [], []
    for j, day in enumerate(days):
        budget = budget_for(w, industry.category)
        win_amount = round(budget * rng.uniform(0.93, 0.97), 2)
        winner = firms[j % k]
        bids = [(winner.uscc, win_amount, True)]
        for f in firms:
            if f is not winner:
                cover = min(budget * 0.999, win_amount * (1 + rng.uniform(0.005, 0.025)))
                bids.append((f.uscc, round(cover, 2), False))
        rng.shuffle(bids)
        project = plan_project(w, place=winner.place, category=industry.category, publish=day, budget=budget,
                               bids=bids, outsiders=max(0, 3 - k) + rng.randint(0, 2))
        projects.append(project.project_id)
        winners.append(winner.uscc)
    return projects, winners


def _cycle_members(w: World, k: int) -> tuple[City, list[Firm]]:
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    regs = _spaced_days(w, k, YEAR_START[2006], YEAR_START[2018])
    return city, [_member(w, city, comp, reg) for reg in regs]


def guarantee_circle(w: World, k: int, ended: bool = False) -> None:
    """A cycle of ``k`` firms guaranteeing each other (with a chord now and then); ``ended``: a decoy."""
    rng = w.rng
    _, firms = _cycle_members(w, k)
    pairs = [(firms[i], firms[(i + 1) % k]) for i in range(k)]
    chord = not ended and k >= 4 and rng.random() < 0.5
    if chord:
        pairs.append((firms[0], firms[2]))
    lo = max(f.reg for f in firms) + 30
    all_end = ended and rng.random() < 0.5
    edges = []
    for n, (g, d) in enumerate(pairs):
        start = between(rng, lo, AS_OF - 400 if ended else AS_OF - 30)
        end = between(rng, AS_OF + 1, AS_OF + 3 * 365) if rng.random() < 0.4 else None
        if ended and (all_end or n == 0):
            end = between(rng, start + 180, AS_OF - 1)
        w.guarantee(g.uscc, d.uscc, nice_capital(rng, 100, 5000), start, end)
        edges.append({"guarantor": g.uscc, "debtor": d.uscc, "start_date": iso(start), "end_date": iso_or_none(end)})
    usccs = [f.uscc for f in firms]
    if ended:
        w.truth.decoy("ended_guarantee_cycle", "guarantee_circle", usccs, {"edges": edges})
    else:
        kind = "mutual" if k == 2 else "ring_with_chord" if chord else "ring"
        w.truth.plant("guarantee_circle", usccs, kind, {"edges": edges})


def circular_ownership(w: World, k: int, ended: bool = False) -> None:
    """A cycle of ``k`` firms each holding 10-45% of the next, persons holding the rest; ``ended``: a decoy."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    regs = _spaced_days(w, k, YEAR_START[2006], YEAR_START[2018])
    stakes = [rng.randint(10, 45) for _ in range(k)]  # stakes[i]: held in firm i by firm i-1
    firms, holdings = [], []
    for reg, stake in zip(regs, stakes):
        place = w.place(reg, city)
        rep = w.person(reg, place)
        rest = [(rep, "person", str(100 - stake), None)]
        firms.append(_member(w, city, comp, reg, holders=rest, rep=rep))
        holdings.append(Holding(rep, "person", firms[-1].uscc, str(100 - stake)))
    edges = []
    lo = max(regs) + 30
    for i, firm in enumerate(firms):
        holder = firms[i - 1]
        start = between(rng, lo, AS_OF - 400 if ended else AS_OF - 30)
        end = between(rng, start + 180, AS_OF - 1) if ended and i == 0 else None
        w.share(holder.uscc, "enterprise", firm, str(stakes[i]), start, end)
        edges.append({"holder": holder.uscc, "uscc": firm.uscc, "share_pct": stakes[i], "start_date": iso(start),
                      "end_date": iso_or_none(end)})
        if end is None:
            holdings.append(Holding(holder.uscc, "enterprise", firm.uscc, str(stakes[i])))
    usccs = [f.uscc for f in firms]
    if ended:
        w.truth.decoy("ended_ownership_cycle", "circular_ownership", usccs, {"edges": edges})
        return
    w.truth.plant("circular_ownership", usccs, "cycle", {"edges": edges})
    w.truth.structure("circular", expected_owners(holdings, usccs), {"edges": edges})


def closed_ownership_cycle(w: World) -> None:
    """Two firms owning each other 100% after their founder sold out: no natural-person owner at all."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    a_reg, b_reg = _spaced_days(w, 2, YEAR_START[2008], YEAR_START[2016])
    switch = between(rng, b_reg + 90, AS_OF - 90)
    founder = w.person(a_reg, None, foreign=False)
    a = _member(w, city, comp, a_reg, holders=[(founder, "person", "100", switch)], rep=founder)
    b = _member(w, city, comp, b_reg, holders=[(a.uscc, "enterprise", "100", None)])
    w.share(b.uscc, "enterprise", a, "100", switch)
    edges = [{"holder": a.uscc, "uscc": b.uscc, "share_pct": 100, "start_date": iso(b_reg), "end_date": None},
             {"holder": b.uscc, "uscc": a.uscc, "share_pct": 100, "start_date": iso(switch), "end_date": None}]
    usccs = [a.uscc, b.uscc]
    w.truth.plant("circular_ownership", usccs, "closed", {"edges": edges, "founder_exit": iso(switch)})
    holdings = [Holding(a.uscc, "enterprise", b.uscc, "100"), Holding(b.uscc, "enterprise", a.uscc, "100")]
    w.truth.structure("closed_cycle", expected_owners(holdings, usccs), {"edges": edges})

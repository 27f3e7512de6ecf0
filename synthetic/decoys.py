"""Decoys that look like patterns at a glance and must not be reported.

* ``business_centre``: dozens of ordinary firms registered at one business
  centre (商务中心) address, years apart (no three within 30 days), with normal
  capital and each its own people: a shared contact point without shell signs;
* ``open_competitors``: five to eight large firms that meet in many tenders and
  take turns at winning by simply bidding lowest, with nothing in common.

The other decoys are made by the pattern modules with a switch: cycles whose
relations ended (rings.py), listings removed before the new firm
(patterns.py), repaired or revoked bribery penalties and a bribery-linked firm
that only lost (bribery.py).
"""

from __future__ import annotations

from itertools import combinations

from credgraph.synthetic.dates import AS_OF, YEAR_START, between, iso
from credgraph.synthetic.entities import Contact, company, fresh_contact, nice_capital, planted_firm
from credgraph.synthetic.market import budget_for, plan_project
from credgraph.synthetic.names import brand, centre_address_parts
from credgraph.synthetic.tables import pick
from credgraph.synthetic.world import BIDDER, EXCLUSIVE, NO_BRIBERY_PATH, World

SLOT_DAYS = 90  # one registration per 90-day slot, placed in its first 60 days: consecutive ones >= 31 days apart


def business_centre(w: World) -> None:
    """Plant a business-centre address shared by 20-60 ordinary, unrelated firms."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    k = rng.randint(20, 60)
    slots = sorted(rng.sample(range((AS_OF - 60) // SLOT_DAYS), k))
    regs = [s * SLOT_DAYS + rng.randint(0, 59) for s in slots]
    place = w.place(regs[0], city)  # a district that existed when the first firm registered
    parts = centre_address_parts(rng, w.tables, w.codes, place, brand(rng, w.tables))
    comp = w.new_comp()
    firms = []
    for reg in regs:
        own = fresh_contact(w, place)
        industry = pick(rng, w.tables.industry_weights)
        capital = nice_capital(rng, max(50, industry.capital[0]), max(100, industry.capital[1]))
        bidder = rng.random() < 0.35
        firms.append(company(w, reg=reg, place=place, industry=industry, comp=comp, capital=capital,
                             flags=EXCLUSIVE | (BIDDER if bidder else NO_BRIBERY_PATH),
                             contact=Contact(own.phone, parts, own.email)))
    w.truth.decoy("business_centre", "shell_cluster", [f.uscc for f in firms],
                  {"address": "".join(parts), "reg_dates": [iso(f.reg) for f in firms],
                   "min_registered_capital": min(f.capital or 0 for f in firms)})


def open_competitors(w: World) -> None:
    """Plant large independent firms that bid against each other openly in six to ten tenders."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    industry = rng.choice([i for i in w.tables.industries if i.category == "works"])
    firms = []
    for _ in range(rng.randint(5, 8)):
        reg = between(rng, YEAR_START[2005], YEAR_START[2014])
        place = w.place(reg, city)
        owner = w.person(reg, place)
        firms.append(planted_firm(w, reg=reg, place=place, comp=w.new_comp(), rep=owner,
                                  holders=[(owner, "person", "100", None)], industry=industry,
                                  capital=nice_capital(rng, 5000, 50000)))
    projects: list[str] = []
    together: dict[tuple[str, str], int] = {}
    for _ in range(rng.randint(6, 10)):
        members = rng.sample(firms, rng.randint(4, min(6, len(firms))))
        publish = between(rng, YEAR_START[2015], AS_OF - 60)
        budget = budget_for(w, "works")
        amounts = [round(budget * rng.uniform(0.80, 1.0), 2) for _ in members]
        low = min(range(len(members)), key=amounts.__getitem__)
        bids = [(f.uscc, a, n == low) for n, (f, a) in enumerate(zip(members, amounts))]
        projects.append(plan_project(w, place=members[low].place, category="works", publish=publish,
                                     budget=budget, bids=bids, outsiders=rng.randint(0, 8 - len(bids))).project_id)
        for a, b in combinations(sorted(f.uscc for f in members), 2):
            together[(a, b)] = together.get((a, b), 0) + 1
    w.truth.decoy("open_competitors", "bid_rigging", [f.uscc for f in firms],
                  {"projects": projects, "max_projects_together": max(together.values())})

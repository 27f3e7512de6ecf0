"""Planted ownership structures with known beneficial owners (besides the circular ones in rings.py).

* ``layered``: a corporate group as in the background (holding -> subsidiaries
  -> sub-subsidiaries, minority persons, a sibling's stake, the controller's
  direct stake) but flagged planted, so its ownership is exactly as written;
* ``dispersed``: five to eight holders under 25% each, one of them a holding
  company partly owned by another holder, so stakes add up through two paths
  and still nobody controls.

Expected owners come from :func:`ownership.expected_owners`.
"""

from __future__ import annotations

from credgraph.synthetic.background import group
from credgraph.synthetic.dates import YEAR_START, between
from credgraph.synthetic.entities import nice_capital, planted_firm, split_pct
from credgraph.synthetic.ownership import Holding, expected_owners
from credgraph.synthetic.tables import pick
from credgraph.synthetic.world import World


def layered(w: World) -> None:
    """Plant a corporate group and record the expected owners of each of its firms."""
    g = group(w, planted=True)
    usccs = [f.uscc for f in g.firms]
    holdings = [{"holder": h.holder, "holder_type": h.holder_type, "uscc": h.uscc, "share_pct": h.pct}
                for h in g.holdings]
    w.truth.structure("layered", expected_owners(g.holdings, usccs),
                      {"controller": g.controller, "holdings": holdings})


def dispersed(w: World) -> None:
    """Plant a widely held firm whose largest holder is a partly person-owned holding company."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    k_reg = between(rng, YEAR_START[2006], YEAR_START[2014])
    k_place = w.place(k_reg, city)
    x, y = w.person(k_reg, k_place), w.person(k_reg, k_place)
    x_pct = rng.randint(51, 80)
    holding_firm = planted_firm(w, reg=k_reg, place=k_place, comp=comp, rep=x,
                                holders=[(x, "person", str(x_pct), None), (y, "person", str(100 - x_pct), None)],
                                capital=nice_capital(rng, 1000, 10000))
    t_reg = between(rng, k_reg + 365, YEAR_START[2020])
    t_place = w.place(t_reg, city)
    pcts = split_pct(rng, rng.randint(5, 8), below=25)
    others = [w.person(t_reg, t_place) for _ in pcts[2:]]
    holders = [(holding_firm.uscc, "enterprise", pcts[0], None), (x, "person", pcts[1], None)]
    holders += [(p, "person", pct, None) for p, pct in zip(others, pcts[2:])]
    target = planted_firm(w, reg=t_reg, place=t_place, comp=comp, rep=others[0], holders=holders,
                          capital=nice_capital(rng, 1000, 20000))
    holdings = [Holding(x, "person", holding_firm.uscc, str(x_pct)),
                Holding(y, "person", holding_firm.uscc, str(100 - x_pct))]
    holdings += [Holding(h, t, target.uscc, pct) for h, t, pct, _ in holders]
    written = [{"holder": h.holder, "holder_type": h.holder_type, "uscc": h.uscc, "share_pct": h.pct}
               for h in holdings]
    w.truth.structure("dispersed", expected_owners(holdings, [target.uscc, holding_firm.uscc]),
                      {"holdings": written})

"""Procurement projects and their bids.

Background tenders invite three to eight firms of the project's city (now and
then of another city) from the pool of bidders, never two firms of one linkage
component, so firms that share a principal, a contact point or an owner never
meet in a background tender. Bids scatter between 78% and 100% of the budget
(coefficient of variation around 6%) and the lowest bid usually wins.

Units plan their own projects (rigging rings, bribery wins, open competitors);
those may ask for ``outsiders``: background firms that bid above the planned
winner and lose.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from credgraph.synthetic import noise
from credgraph.synthetic.dates import AS_OF, YEAR_START, iso, registration_day, year
from credgraph.synthetic.entities import nice_capital
from credgraph.synthetic.names import Place, project_name
from credgraph.synthetic.records import interleave
from credgraph.synthetic.world import World

CATEGORIES = ("goods", "services", "works")
_CATEGORY_WEIGHTS = (45, 35, 20)
_BUDGET = {"goods": (10, 2000), "services": (5, 1000), "works": (50, 20000)}
_CITY_PROCURERS = ("procurement", "purchasing", "hospital", "school")
_DISTRICT_PROCURERS = ("education", "hospital")


@dataclass
class PlannedProject:
    """A project a unit needs: fixed bids, plus ``outsiders`` background losers added when written."""

    project_id: str
    name: str
    agency_id: str
    category: str
    budget: float
    publish: int
    bid_day: int
    award: int
    place: Place
    bids: list[tuple[str, float, bool]]
    outsiders: int = 0
    outsider_ids: list[str] = field(default_factory=list)


def _procurer(w: World, place: Place, category: str) -> tuple[str, str]:
    """(agency_id, agency name) of a procurer for ``place``."""
    rng = w.rng
    if category != "works" and place.district is not None and rng.random() < 0.4:
        role = rng.choice(_DISTRICT_PROCURERS)
        key = (place.district.code, role)
    else:
        role = "procurement" if category == "works" else rng.choice(_CITY_PROCURERS)
        key = (place.city.code, role)
    return w.agencies[key], w.agency_names[key]


def budget_for(w: World, category: str) -> float:
    """A plausible budget in 万元 for a project of ``category``."""
    return nice_capital(w.rng, *_BUDGET[category])


def plan_project(w: World, *, place: Place, category: str, publish: int, budget: float,
                 bids: list[tuple[str, float, bool]], outsiders: int = 0) -> PlannedProject:
    """Plan a project with fixed bids (uscc, amount, won); returns it (its id is final)."""
    rng = w.rng
    agency_id, agency_name = _procurer(w, place, category)
    bid_day = publish + rng.randint(20, 30)
    project = PlannedProject(
        f"ZB{year(publish)}{w.codes.serial('project', 7):07d}",
        project_name(rng, w.tables, category, agency_name, place, year(publish)), agency_id, category, budget,
        publish, bid_day, bid_day + rng.randint(5, 15), place, bids, outsiders)
    w.plans.projects.append(project)
    return project


class BidderPools:
    """Background bidders by city and category, drawn with eligibility and component checks."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.by_category: dict[str, list[array]] = {c: [] for c in CATEGORIES}
        for (city, category), pool in sorted(w.pools.items()):
            self.by_category[category].append(pool)
        self.everyone = [pool for _, pool in sorted(w.pools.items())]

    def draw(self, place: Place, category: str, n: int, start: int, end: int,
             exclude_comps: set[int]) -> list[int]:
        """Up to ``n`` firms alive over [start, end], none of a component in ``exclude_comps``."""
        w, rng, firms = self.w, self.w.rng, self.w.firms
        local = w.pools.get((place.city.index, category))
        others = self.by_category[category]
        chosen: list[int] = []
        for attempt in range(n * 24):
            if len(chosen) == n:
                break
            if attempt >= n * 12:  # this category is thin here and now: any bidder will do
                others = self.everyone
            pool = local if local and rng.random() < 0.8 and attempt < n * 12 else (
                rng.choice(others) if others else None)
            if not pool:
                continue
            i = pool[rng.randrange(len(pool))]
            if firms.comp[i] in exclude_comps or not firms.alive(i, start) or not firms.alive(i, end):
                continue
            exclude_comps.add(firms.comp[i])
            chosen.append(i)
        return chosen


def _background_project(w: World, pools: BidderPools) -> PlannedProject | None:
    rng = w.rng
    publish = registration_day(rng, YEAR_START[2012], AS_OF - 60)
    place = w.place(publish)
    category = rng.choices(CATEGORIES, weights=_CATEGORY_WEIGHTS)[0]
    budget = budget_for(w, category)
    bidders = pools.draw(place, category, rng.randint(3, 8), publish - 30, publish + 60, set())
    if len(bidders) < 3:
        return None
    amounts = sorted(round(budget * rng.uniform(0.78, 1.0), 2) for _ in bidders)
    winner = 0 if rng.random() < 0.85 else 1
    bids = [(w.firms.uscc(i), a, k == winner) for k, (i, a) in enumerate(zip(bidders, amounts))]
    rng.shuffle(bids)
    agency_id, agency_name = _procurer(w, place, category)
    bid_day = publish + rng.randint(20, 30)
    return PlannedProject(f"ZB{year(publish)}{w.codes.serial('project', 7):07d}",
                          project_name(rng, w.tables, category, agency_name, place, year(publish)),
                          agency_id, category, budget, publish, bid_day, bid_day + rng.randint(5, 15), place, bids)


def _add_outsiders(w: World, pools: BidderPools, p: PlannedProject) -> None:
    if len(p.bids) >= 3 and not p.outsiders:
        return
    rng = w.rng
    winner = min(a for _, a, won in p.bids if won)
    top = max(a for _, a, _ in p.bids)
    wanted = min(max(p.outsiders, 3 - len(p.bids)), 8 - len(p.bids))
    for i in pools.draw(p.place, p.category, wanted, p.publish - 30, p.award, set()):
        amount = round(min(p.budget, max(top, winner) * rng.uniform(1.01, 1.06)), 2)
        p.bids.append((w.firms.uscc(i), max(amount, round(winner * 1.005, 2)), False))
        p.outsider_ids.append(w.firms.uscc(i))


def _write(w: World, p: PlannedProject) -> None:
    rng, sink = w.rng, w.sink
    sink.write("projects.csv", project_id=p.project_id, name=p.name, agency_id=p.agency_id,
               category=p.category if rng.random() < 0.96 else None,
               budget=noise.amount(rng, p.budget) if rng.random() < 0.95 else None,
               publish_date=iso(p.publish), award_date=iso(p.award) if rng.random() < 0.92 else None,
               region_code=p.place.code if rng.random() < 0.9 else None)
    for uscc, amount, won in p.bids:
        sink.write("bids.csv", project_id=p.project_id, uscc=uscc,
                   amount=noise.amount(rng, amount) if rng.random() < 0.98 else None,
                   bid_date=iso(p.bid_day) if rng.random() < 0.95 else None, won=noise.boolean(rng, won))


def write_market(w: World) -> None:
    """Write projects.csv and bids.csv: background tenders with the planned ones interleaved."""
    pools = BidderPools(w)
    n = round(w.target * 0.15)

    def background() -> Iterator[PlannedProject]:
        for _ in range(n):
            project = _background_project(w, pools)
            if project is not None:
                yield project

    for project in interleave(w, background(), n, w.plans.projects):
        _add_outsiders(w, pools, project)
        _write(w, project)

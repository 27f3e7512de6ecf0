"""Ordinary market subjects: the background the patterns hide in.

Units: single companies (some with tiny capital, some cancelled or revoked,
some with a new legal representative), individual businesses, companies with
branches in other cities, serial entrepreneurs (one person founding firms years
apart) and corporate groups (holding -> subsidiaries -> sub-subsidiaries).

The background must not form any pattern by accident. Contact points are
unique per firm except inside a group (large capital, registrations at least
90 days apart); persons are unique per firm except a group's controller and
managers and a serial entrepreneur; corporate shareholdings exist only inside
groups and always point from an earlier firm to a later one, so ownership
has no cycles. Firms that share anything carry one linkage component number,
and a background tender never invites two firms of one component.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from credgraph.synthetic.dates import AS_OF, between, registration_day
from credgraph.synthetic.entities import (
    HOLDING, ORG_BRANCH, ORG_INDIVIDUAL, TINY_CAPITALS, Contact, company, fresh_contact, life, make_firm,
    nice_capital, org_type_for,
)
from credgraph.synthetic.names import branch_name, brand, group_name, shop_name
from credgraph.synthetic.ownership import Holding
from credgraph.synthetic.tables import City, Industry, Weighted, pick
from credgraph.synthetic.world import BIDDER, COMPANY, EXCLUSIVE, NO_BRIBERY_PATH, PLANTED, Firm, World


def _plan_abnormal_listing(w: World, firm: Firm) -> None:
    w.plans.abnormal_firms.append(firm.idx)
    w.plans.abnormal_days.append(between(w.rng, firm.reg + 180, AS_OF))


def ordinary_company(w: World) -> None:
    """One company with its own people and contacts."""
    rng = w.rng
    reg = registration_day(rng)
    place = w.place(reg)
    industry = pick(rng, w.tables.industry_weights)
    tiny = rng.random() < 0.08
    capital = rng.choice(TINY_CAPITALS) if tiny else nice_capital(rng, *industry.capital)
    status, end = life(w, reg)
    bidder = status == "active" and not tiny and rng.random() < 0.35
    flags = EXCLUSIVE | (BIDDER if bidder else NO_BRIBERY_PATH)
    firm = company(w, reg=reg, place=place, industry=industry, comp=w.new_comp(), flags=flags, capital=capital,
                   change_rep=True, status=status, end=end)
    if status == "abnormal":
        _plan_abnormal_listing(w, firm)


def individual_business(w: World) -> None:
    """An individual business (个体工商户): one operator, no shareholders."""
    rng = w.rng
    reg = registration_day(rng)
    place = w.place(reg)
    word, section = rng.choice(w.tables.shops)
    owner, owner_name = w.person_named(reg, place)
    status, end = life(w, reg)
    capital = nice_capital(rng, 1, 50) if rng.random() < 0.5 else None
    firm = make_firm(w, reg=reg, place=place, industry=Industry(-2, word, section, "goods", (1.0, 50.0), 0.0),
                     capital=capital, comp=w.new_comp(), flags=EXCLUSIVE | NO_BRIBERY_PATH,
                     org_type=ORG_INDIVIDUAL, name=shop_name(rng, w.tables, place, owner_name, word),
                     status=status, end=end, individual=True)
    w.legal_rep(owner, firm, reg)
    if status == "abnormal":
        _plan_abnormal_listing(w, firm)


def company_with_branches(w: World) -> None:
    """A company and one to three branches (分公司) in other places, each with its own principal."""
    rng = w.rng
    reg = registration_day(rng, 0, AS_OF - 800)
    industry = pick(rng, w.tables.industry_weights)
    comp = w.new_comp()
    flags = EXCLUSIVE | (BIDDER if rng.random() < 0.35 else NO_BRIBERY_PATH)
    parent = company(w, reg=reg, place=w.place(reg), industry=industry, comp=comp, flags=flags,
                     capital=nice_capital(rng, max(100, industry.capital[0]), max(500, industry.capital[1])))
    day = reg
    for _ in range(rng.randint(1, 3)):
        day = between(rng, day + 90, day + 900)
        if day > AS_OF - 30:
            break
        place = w.place(day, pick(rng, w.tables.city_weights))
        branch = make_firm(w, reg=day, place=place, industry=industry, capital=None, comp=comp,
                           flags=EXCLUSIVE | NO_BRIBERY_PATH, org_type=ORG_BRANCH,
                           name=branch_name(parent.name, place.city))
        w.legal_rep(w.person(day, place), branch, day)


def serial_entrepreneur(w: World) -> None:
    """One person founding two or three companies years apart, legal representative of each."""
    rng = w.rng
    day = registration_day(rng, 0, AS_OF - 4 * 365)
    city = pick(rng, w.tables.city_weights)
    founder = w.person(day)
    comp = w.new_comp()
    for i in range(rng.randint(2, 3)):
        if i:
            day = between(rng, day + 730, day + 2000)
            if day > AS_OF - 30:
                break
        place = w.place(day, city)
        industry = pick(rng, w.tables.industry_weights)
        holders = [(founder, "person", "100")]
        if rng.random() < 0.4:
            pct = rng.randint(60, 90)
            holders = [(founder, "person", str(pct)), (w.person(day, place), "person", str(100 - pct))]
        company(w, reg=day, place=place, industry=industry, comp=comp,
                flags=BIDDER if rng.random() < 0.35 else 0, rep=founder, holders=holders,
                capital=nice_capital(rng, max(50, industry.capital[0]), max(100, industry.capital[1])))


@dataclass
class Group:
    """A corporate group as made: its firms (holding first) and shareholdings in force."""

    firms: list[Firm] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    controller: str = ""


def _hold(w: World, group: Group, holder: str, holder_type: str, firm: Firm, pct: str, start: int) -> None:
    w.share(holder, holder_type, firm, pct, start)
    group.holdings.append(Holding(holder, holder_type, firm.uscc, pct))


def group(w: World, planted: bool = False) -> Group:
    """A holding company owned by its controller, subsidiaries and sub-subsidiaries.

    Registrations are at least 90 days apart and capitals are large, so a
    group never looks like a shell cluster although its firms share the
    controller, managers and head-office contact points.
    """
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    trade = brand(rng, w.tables)
    day = registration_day(rng, 0, AS_OF - 5 * 365)
    comp = w.new_comp()
    flags = PLANTED if planted else 0
    g = Group()
    g.controller = w.person(day)
    place = w.place(day, city)
    hq = fresh_contact(w, place, complete=True)
    pct = rng.choice((100, rng.randint(51, 90)))
    holding = make_firm(w, reg=day, place=place, industry=HOLDING, capital=nice_capital(rng, 5000, 50000),
                        comp=comp, flags=flags | COMPANY, org_type=org_type_for(["person"] * (1 + (pct < 100))),
                        trade=trade, name=group_name(rng, w.tables, city, trade), contact=hq)
    g.firms.append(holding)
    _hold(w, g, g.controller, "person", holding, str(pct), day)
    if pct < 100:
        _hold(w, g, w.person(day, place), "person", holding, str(100 - pct), day)
    w.legal_rep(g.controller, holding, day)
    w.officer(g.controller, holding, "chair", day)
    managers = [w.person(day, place) for _ in range(rng.randint(1, 2))]
    for m in managers:
        w.officer(m, holding, "director", day)
    w.officer(w.person(day, place), holding, "supervisor", day)
    industry = pick(rng, w.tables.industry_weights)
    subs: list[Firm] = []
    for _ in range(rng.randint(2, 5)):
        day = between(rng, day + 90, day + 700)
        if day > AS_OF - 30:
            break
        subs.append(_member(w, g, day, city, industry, trade, comp, flags, holding, subs, managers, hq))
    for sub in list(subs):
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            day = between(rng, day + 90, day + 500)
            if day > AS_OF - 30:
                break
            _member(w, g, day, city, industry, trade, comp, flags, sub, [], managers, hq)
    for sub in subs[: rng.randint(0, 2)]:
        start = between(rng, sub.reg + 30, AS_OF - 10)
        end = between(rng, start + 365, start + 3 * 365) if rng.random() < 0.5 else None
        w.guarantee(holding.uscc, sub.uscc, nice_capital(rng, 100, 5000), start, end)
    return g


def _member(w: World, g: Group, day: int, city: City, industry: Industry, trade: str, comp: int, flags: int,
            parent: Firm, siblings: list[Firm], managers: list[str], hq: Contact) -> Firm:
    """A group member owned mostly by ``parent``; the rest by a person, the controller or a sibling."""
    rng = w.rng
    place = w.place(day, city)
    contact = hq if rng.random() < 0.5 else None
    bidder = 0 if flags & PLANTED or rng.random() > 0.4 else BIDDER
    main = rng.choice((100, rng.randint(51, 95)))
    holders = [(parent.uscc, "enterprise", str(main))]
    if main < 100:
        r = rng.random()
        if r < 0.25 and siblings:
            holders.append((rng.choice(siblings).uscc, "enterprise", str(100 - main)))
        elif r < 0.5:
            holders.append((g.controller, "person", str(100 - main)))
        else:
            holders.append((w.person(day, place), "person", str(100 - main)))
    firm = make_firm(w, reg=day, place=place, industry=industry, capital=nice_capital(rng, 100, 5000), comp=comp,
                     flags=flags | bidder | COMPANY, org_type=org_type_for([h[1] for h in holders]), trade=trade,
                     contact=contact)
    g.firms.append(firm)
    for holder, holder_type, pct in holders:
        _hold(w, g, holder, holder_type, firm, pct, day)
    rep = rng.choice([*managers, g.controller]) if rng.random() < 0.7 else w.person(day, place)
    w.legal_rep(rep, firm, day)
    w.officer(g.controller, firm, "director", day)
    w.officer(w.person(day, place), firm, "supervisor", day)
    return firm


BACKGROUND_UNITS = Weighted.of(
    [ordinary_company, individual_business, company_with_branches, serial_entrepreneur, group],
    [72, 18, 3, 3, 1.3],
)


def background_unit(w: World) -> None:
    """One background unit drawn by weight."""
    pick(w.rng, BACKGROUND_UNITS)(w)


def _random_company(w: World, below: int) -> int:
    """A non-planted company among firm numbers ``[0, below)`` (-1 if none found quickly)."""
    firms, rng = w.firms, w.rng
    for _ in range(40):
        i = rng.randrange(below)
        if firms.flags[i] & (COMPANY | PLANTED) == COMPANY:
            return i
    return -1


def background_guarantees(w: World) -> None:
    """Guarantees between unrelated companies, always from a lower firm number to a higher one.

    Firm numbers order the background like a topological order (group
    guarantees also run from the holding to later members), so background
    guarantees never close a cycle: every guarantee circle in the data is planted.
    """
    rng, firms = w.rng, w.firms
    seen: set[tuple[int, int]] = set()
    for _ in range(round(w.target * 0.06)):
        debtor = _random_company(w, len(firms))
        guarantor = _random_company(w, debtor) if debtor > 0 else -1
        if guarantor < 0 or (guarantor, debtor) in seen:
            continue
        seen.add((guarantor, debtor))
        start = max(firms.reg[guarantor], firms.reg[debtor]) + rng.randint(30, 900)
        ends = [e for e in (firms.end[guarantor], firms.end[debtor]) if e]
        if start > AS_OF - 30 or (ends and start >= min(ends)):
            continue
        end = between(rng, start + 180, start + 3 * 365) if rng.random() < 0.55 else None
        w.guarantee(firms.uscc(guarantor), firms.uscc(debtor), nice_capital(rng, 50, 5000), start, end)

"""Firms and their people: the building blocks every unit is made of.

:func:`make_firm` writes one enterprise row (with noisy contact fields) and
records the firm in the firm table; :func:`staff_company` gives a company its
legal representative, shareholders and officers, sometimes with a change of
legal representative (the old one gets an end date, the successor starts the
same day). Contact points are fresh and unique unless a :class:`Contact` is
passed in: sharing is always deliberate, never an accident of random draws.
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from credgraph.synthetic import noise
from credgraph.synthetic.dates import AS_OF, USCC_REFORM, between, iso, iso_or_none
from credgraph.synthetic.names import Place, address_parts, brand, company_name, email_address
from credgraph.synthetic.tables import Industry, pick
from credgraph.synthetic.world import BIDDER, COMPANY, PLANTED, Firm, World

TINY_CAPITALS = (1.0, 3.0, 5.0, 10.0)  # 万元: the "tiny capital" shell sign (<= 10万)
HOLDING = Industry(-1, "投资", "租赁和商务服务业", "services", (5000.0, 50000.0), 0.0)

ORG_PERSON_SOLE = "有限责任公司(自然人独资)"
ORG_PERSONS = "有限责任公司(自然人投资或控股)"
ORG_CORPORATE_SOLE = "有限责任公司(法人独资)"
ORG_MIXED = "其他有限责任公司"
ORG_JOINT = "股份有限公司(非上市、自然人投资或控股)"
ORG_BRANCH = "有限责任公司分公司(自然人投资或控股)"
ORG_INDIVIDUAL = "个体工商户"


HolderSpec = tuple[str, str, str, int | None]  # holder id, holder type, percent as written, end day


@dataclass(frozen=True)
class Contact:
    """Canonical contact values of a firm: phone digits, address parts, lower-case e-mail."""

    phone: str | None
    address: tuple[str, ...] | None
    email: str | None


def fresh_contact(w: World, place: Place, complete: bool = False) -> Contact:
    """New, unique contact points at ``place``; some missing unless ``complete``."""
    rng = w.rng
    phone = w.codes.mobile() if rng.random() < 0.65 else w.codes.landline(place.city.area)
    parts = address_parts(rng, w.tables, w.codes, place)
    email = email_address(rng, w.codes.email_number())
    if complete:
        return Contact(phone, parts, email)
    return Contact(phone if rng.random() < 0.88 else None, parts if rng.random() < 0.96 else None,
                   email if rng.random() < 0.6 else None)


def nice_capital(rng: random.Random, lo: float, hi: float) -> float:
    """A registered capital in 万元, log-uniform in [lo, hi] and rounded as people round it."""
    v = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    step = 5 if v < 100 else 50 if v < 1000 else 500
    return float(max(step, round(v / step) * step))


def life(w: World, reg: int) -> tuple[str, int | None]:
    """A firm's status and end date: most active, some cancelled, revoked, suspended or abnormal."""
    r = w.rng.random()
    if reg > AS_OF - 400 or r < 0.825:
        return "active", None
    if r < 0.905:
        return "cancelled", between(w.rng, reg + 200, AS_OF)
    if r < 0.945:
        return "revoked", between(w.rng, reg + 200, AS_OF)
    if r < 0.96:
        return "suspended", None
    return "abnormal", None


def make_firm(w: World, *, reg: int, place: Place, industry: Industry, capital: float | None, comp: int,
              flags: int, org_type: str, name: str | None = None, trade: str | None = None,
              form: str = "有限公司", contact: Contact | None = None, status: str = "active",
              end: int | None = None, individual: bool = False) -> Firm:
    """Write one enterprise row and record the firm; returns it."""
    rng = w.rng
    trade = trade or brand(rng, w.tables)
    if name is None:
        name = company_name(rng, place.city, place.district, industry, form, trade)
    uscc = w.codes.uscc("9", "2" if individual else "1", place.code, new_style=reg >= USCC_REFORM)
    contact = contact or fresh_contact(w, place)
    sink_capital = None
    if capital is not None and (flags & PLANTED or rng.random() < 0.97):
        sink_capital = noise.amount(rng, capital)  # planted firms always show it: shells are defined by it
    w.sink.write(
        "enterprises.csv", uscc=uscc, name=name, reg_date=iso(reg), status=noise.status(rng, status),
        end_date=iso_or_none(end), registered_capital=sink_capital,
        region_code=place.code if rng.random() < 0.96 else None,
        industry=industry.section if rng.random() < 0.95 else None, org_type=org_type,
        address=noise.address(rng, contact.address) if contact.address else None,
        phone=noise.phone(rng, contact.phone) if contact.phone else None,
        email=noise.email(rng, contact.email) if contact.email else None,
    )
    idx = w.firms.add(uscc, reg, end or 0, capital or 0.0, place.city.index, comp, flags)
    if flags & BIDDER and status == "active":
        key = (place.city.index, industry.category)
        pool = w.pools.get(key)
        if pool is None:
            pool = w.pools[key] = array("i")
        pool.append(idx)
    return Firm(idx, uscc, name, reg, place, industry, capital, trade, contact.phone,
                "".join(contact.address) if contact.address else None, contact.email)


def split_pct(rng: random.Random, n: int, total: int = 100, below: int | None = None) -> list[str]:
    """``n`` whole percentages summing to ``total`` (each under ``below`` if given), largest first, as text."""
    if below is None:
        cuts = sorted(rng.sample(range(1, total), n - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
    else:
        if n * (below - 1) < total:
            raise ValueError(f"cannot split {total} into {n} parts under {below}")
        parts = [total // n + (i < total % n) for i in range(n)]
        for _ in range(4 * n):  # move random amounts between holders, staying within (0, below)
            i, j, d = rng.randrange(n), rng.randrange(n), rng.randint(1, 6)
            if i != j and parts[i] - d >= 1 and parts[j] + d < below:
                parts[i] -= d
                parts[j] += d
    return [str(p) for p in sorted(parts, reverse=True)]


def org_type_for(holder_types: list[str]) -> str:
    """The registry's organisation type of a limited company with these holders."""
    if len(holder_types) == 1:
        return ORG_PERSON_SOLE if holder_types[0] == "person" else ORG_CORPORATE_SOLE
    return ORG_PERSONS if set(holder_types) == {"person"} else ORG_MIXED


def staff_company(w: World, firm: Firm, *, rep: str | None = None,
                  holders: list[tuple[str, str, str]] | None = None, n_holders: int = 1, big: bool = False,
                  change_rep: bool = True, people_from: int | None = None) -> list[str]:
    """Legal representative, shareholders and officers of ``firm``; returns the persons made here.

    ``holders`` (id, type, pct) are written as given; otherwise ``n_holders``
    new persons (the legal representative among them most of the time) share
    100%. Every person made here is new, so the firm's principals are its own.
    """
    rng, start = w.rng, firm.reg
    born_by = people_from if people_from is not None else start
    made: list[str] = []

    def new() -> str:
        pid = w.person(born_by, firm.place)
        made.append(pid)
        return pid

    rep = rep or new()
    if holders is None:
        pcts = split_pct(rng, n_holders) if n_holders > 1 else ["100"]
        ids = [rep if i == 0 and rng.random() < 0.75 else new() for i in range(n_holders)]
        holders = [(pid, "person", pct) for pid, pct in zip(ids, pcts)]
    for holder, holder_type, pct in holders:
        w.share(holder, holder_type, firm, pct, start)
    change = None
    if change_rep and start < AS_OF - 3 * 365 and rng.random() < 0.12:
        change = between(rng, start + 365, AS_OF - 30)
    w.legal_rep(rep, firm, start, change)
    if change is not None:
        w.legal_rep(new(), firm, change)
    posts: list[tuple[str, str]] = []
    if big:
        posts.append((rep, "chair"))
        posts += [(new(), "director") for _ in range(rng.randint(2, 4))]
        posts += [(new(), "supervisor") for _ in range(rng.randint(1, 2))]
        posts.append((new(), "manager"))
    else:
        posts.append((rep, "director" if rng.random() < 0.6 else "manager"))
        if rng.random() < 0.8:
            posts.append((new(), "supervisor"))
        if rng.random() < 0.08:
            posts.append((new(), "other"))
    for pid, role in posts:
        w.officer(pid, firm, role, start, may_omit_start=True)
    return made


def company(w: World, *, reg: int, place: Place, industry: Industry, comp: int, flags: int,
            capital: float | None = None, contact: Contact | None = None, name: str | None = None,
            trade: str | None = None, n_holders: int | None = None, rep: str | None = None,
            holders: list[tuple[str, str, str]] | None = None, change_rep: bool = False,
            status: str = "active", end: int | None = None) -> Firm:
    """A staffed limited company (or joint-stock company when large): the usual unit member."""
    rng = w.rng
    capital = capital if capital is not None else nice_capital(rng, *industry.capital)
    big = capital >= 1000 and rng.random() < 0.15
    if holders is None and n_holders is None:
        n_holders = 1 if rng.random() < 0.45 else rng.choice((2, 2, 3, 4))
    types = [h[1] for h in holders] if holders else ["person"] * (n_holders or 1)
    org_type = ORG_JOINT if big and holders is None else org_type_for(types)
    form = "股份有限公司" if org_type == ORG_JOINT else ("有限公司" if rng.random() < 0.85 else "有限责任公司")
    firm = make_firm(w, reg=reg, place=place, industry=industry, capital=capital, comp=comp,
                     flags=flags | COMPANY, org_type=org_type, name=name, trade=trade, form=form,
                     contact=contact, status=status, end=end)
    staff_company(w, firm, rep=rep, holders=holders, n_holders=n_holders or 1, big=big, change_rep=change_rep)
    return firm


def planted_firm(w: World, *, reg: int, place: Place, comp: int, rep: str,
                 holders: Sequence[HolderSpec], industry: Industry | None = None,
                 capital: float | None = None, contact: Contact | None = None, status: str = "active",
                 end: int | None = None, name: str | None = None, trade: str | None = None) -> Firm:
    """A firm of a planted unit, every relation given explicitly.

    ``holders`` are (holder, holder_type, pct, end) starting at registration.
    The legal representative also sits as director; a new supervisor is added.
    The firm is flagged ``PLANTED`` so no background draw touches it.
    """
    rng = w.rng
    industry = industry or pick(rng, w.tables.industry_weights)
    capital = capital if capital is not None else nice_capital(rng, max(50.0, industry.capital[0]),
                                                               industry.capital[1])
    firm = make_firm(w, reg=reg, place=place, industry=industry, capital=capital, comp=comp,
                     flags=PLANTED | COMPANY, org_type=org_type_for([h[1] for h in holders]), name=name,
                     trade=trade, contact=contact or fresh_contact(w, place, complete=True), status=status, end=end)
    for holder, holder_type, pct, until in holders:
        w.share(holder, holder_type, firm, pct, reg, until)
    w.legal_rep(rep, firm, reg)
    w.officer(rep, firm, "director", reg)
    w.officer(w.person(reg, place), firm, "supervisor", reg)
    return firm

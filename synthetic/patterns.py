"""Planted re-registrations of blacklisted principals, and shell clusters.

Re-registration (CONTRACT: a principal of a blacklisted person or firm takes a
role in a firm registered, or joined, after the listing while it is in force):

* ``person_listed_new_firm``: a person on a court list becomes legal
  representative, shareholder or officer of a firm registered after the listing;
* ``person_listed_joined_firm``: the listed person joins an older firm (buys a
  stake or takes a post) after the listing;
* ``phoenix``: a firm is blacklisted and its legal representative or
  controlling shareholder then takes the lead of a newly registered firm.

With ``decoy=True`` the listing is removed before the new firm is registered:
nothing to report. Shell clusters: three to six firms registered within 30
days, capital of at most 10万元, one controlling shareholder, sharing a phone
and address, a legal representative, or an e-mail and phone.
"""

from __future__ import annotations

from typing import Any

from credgraph.synthetic.dates import AS_OF, YEAR_START, between, iso, iso_or_none
from credgraph.synthetic.entities import TINY_CAPITALS, Contact, fresh_contact, planted_firm
from credgraph.synthetic.names import Place
from credgraph.synthetic.records import plan_entry
from credgraph.synthetic.tables import pick
from credgraph.synthetic.world import Firm, World

PERSON_LISTS = ("dishonest_debtor", "consumption_restricted")
FIRM_LISTS = ("major_tax_violation", "serious_violation", "dishonest_debtor", "procurement_blacklist")
SHELL_WORDS = ("贸易", "商贸", "管理咨询", "科技", "文化传播", "网络科技")
REREGISTRATION_VARIANTS = ("person_listed_new_firm", "person_listed_joined_firm", "phoenix")
SHELL_VARIANTS = ("shared_phone_address", "shared_legal_rep", "shared_email_phone")


def _listing(w: World, subject: str, subject_type: str, place: Place, list_name: str, listed: int,
             removed: int | None) -> dict[str, Any]:
    entry_id = plan_entry(w, subject=subject, subject_type=subject_type, place=place, list_name=list_name,
                          listed=listed, removed=removed)
    return {"entry_id": entry_id, "subject_id": subject, "list": list_name, "listed_date": iso(listed),
            "removed_date": iso_or_none(removed)}


def _dates(w: World, listed: int, decoy: bool) -> tuple[int, int | None]:
    """(day the new role starts, day the listing is removed or None)."""
    rng = w.rng
    if decoy:
        removed = between(rng, listed + 180, min(listed + 900, AS_OF - 200))
        return between(rng, removed + 60, AS_OF - 30), removed
    start = between(rng, listed + 30, min(listed + 900, AS_OF - 30))
    return start, between(rng, start + 30, AS_OF) if rng.random() < 0.35 else None


def _new_firm_with(w: World, person: str, role: str, reg: int, place: Place, comp: int) -> Firm:
    """A firm registered on ``reg`` in which ``person`` is legal rep, shareholder or officer."""
    nominee = w.person(reg, place)
    if role == "legal_rep":
        return planted_firm(w, reg=reg, place=place, comp=comp, rep=person, holders=[(person, "person", "100", None)])
    if role == "shareholder":
        pct = w.rng.randint(51, 90)
        return planted_firm(w, reg=reg, place=place, comp=comp, rep=nominee,
                            holders=[(person, "person", str(pct), None), (nominee, "person", str(100 - pct), None)])
    firm = planted_firm(w, reg=reg, place=place, comp=comp, rep=nominee, holders=[(nominee, "person", "100", None)])
    w.officer(person, firm, "manager", reg)
    return firm


def _person_new_firm(w: World, decoy: bool) -> None:
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    old_reg = between(rng, YEAR_START[2008], YEAR_START[2016])
    old_place = w.place(old_reg, city)
    person = w.person(old_reg, old_place, foreign=False)
    old = planted_firm(w, reg=old_reg, place=old_place, comp=comp, rep=person,
                       holders=[(person, "person", "100", None)])
    listed = between(rng, max(old_reg + 365, YEAR_START[2016]), AS_OF - 1000 if decoy else AS_OF - 400)
    start, removed = _dates(w, listed, decoy)
    listing = _listing(w, person, "person", old_place, rng.choice(PERSON_LISTS), listed, removed)
    role = rng.choice(("legal_rep", "shareholder", "officer"))
    new = _new_firm_with(w, person, role, start, w.place(start, city), comp)
    evidence = {"listing": listing, "role": role, "role_start": iso(start), "firm_reg_date": iso(new.reg),
                "earlier_firm": old.uscc}
    if decoy:
        w.truth.decoy("listing_removed_before_new_firm", "reregistration", [person, new.uscc], evidence)
    else:
        w.truth.plant("reregistration", [person, new.uscc], "person_listed_new_firm", evidence)


def _person_joined_firm(w: World) -> None:
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    listed = between(rng, YEAR_START[2016], AS_OF - 400)
    place = w.place(listed, city)
    person = w.person(YEAR_START[2008], place, foreign=False)
    joined, removed = _dates(w, listed, decoy=False)
    listing = _listing(w, person, "person", place, rng.choice(PERSON_LISTS), listed, removed)
    reg = between(rng, YEAR_START[2009], listed - 365)
    founder, partner = w.person(reg, place), w.person(reg, place)
    role = rng.choice(("shareholder", "officer"))
    firm = planted_firm(w, reg=reg, place=w.place(reg, city), comp=comp, rep=founder,
                        holders=[(founder, "person", "60", None),
                                 (partner, "person", "40", joined if role == "shareholder" else None)])
    if role == "shareholder":
        w.share(person, "person", firm, "40", joined)
    else:
        w.officer(person, firm, rng.choice(("director", "manager")), joined)
    evidence = {"listing": listing, "role": role, "role_start": iso(joined), "firm_reg_date": iso(reg)}
    w.truth.plant("reregistration", [person, firm.uscc], "person_listed_joined_firm", evidence)


def _phoenix(w: World, decoy: bool) -> None:
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    reg = between(rng, YEAR_START[2006], YEAR_START[2016])
    listed = between(rng, max(reg + 365, YEAR_START[2015]), AS_OF - 1000 if decoy else AS_OF - 400)
    place = w.place(reg, city)
    person = w.person(reg, place, foreign=False)
    principal_role = "legal_rep" if rng.random() < 0.6 else "shareholder"
    revoked = rng.random() < 0.6
    end = between(rng, listed + 60, AS_OF - 30) if revoked else None
    rep = person if principal_role == "legal_rep" else w.person(reg, place)
    listed_firm = planted_firm(w, reg=reg, place=place, comp=comp, rep=rep,
                               holders=[(person, "person", "100", None)],
                               status="revoked" if revoked else "abnormal", end=end)
    start, removed = _dates(w, listed, decoy)
    listing = _listing(w, listed_firm.uscc, "enterprise", place, rng.choice(FIRM_LISTS), listed, removed)
    new = _new_firm_with(w, person, "legal_rep", start, w.place(start, city), comp)
    evidence = {"listing": listing, "listed_firm": listed_firm.uscc, "principal_role": principal_role,
                "role": "legal_rep", "role_start": iso(start), "firm_reg_date": iso(new.reg)}
    if decoy:
        w.truth.decoy("listing_removed_before_new_firm", "reregistration", [person, new.uscc], evidence)
    else:
        w.truth.plant("reregistration", [person, new.uscc], "phoenix", evidence)


def reregistration(w: World, variant: str) -> None:
    """Plant one re-registration of ``variant`` (see REREGISTRATION_VARIANTS)."""
    if variant == "person_listed_new_firm":
        _person_new_firm(w, decoy=False)
    elif variant == "person_listed_joined_firm":
        _person_joined_firm(w)
    else:
        _phoenix(w, decoy=False)


def removed_listing_decoy(w: World, variant: str) -> None:
    """A decoy: a listed person (``person``) or firm (``firm``) whose listing ended before the new firm."""
    if variant == "person":
        _person_new_firm(w, decoy=True)
    else:
        _phoenix(w, decoy=True)


def shell_cluster(w: World, variant: str) -> None:
    """Plant one shell cluster of ``variant`` (see SHELL_VARIANTS)."""
    rng = w.rng
    city = pick(rng, w.tables.city_weights)
    comp = w.new_comp()
    k = rng.randint(3, 6)
    first = between(rng, YEAR_START[2016], AS_OF - 60)
    regs = sorted(first + rng.randint(0, 30) for _ in range(k))
    place = w.place(first, city)
    controller = w.person(first, place, foreign=False)
    shared = fresh_contact(w, place, complete=True)
    industries = [i for i in w.tables.industries if i.word in SHELL_WORDS]
    firms, reps = [], []
    for reg in regs:
        own = fresh_contact(w, place, complete=True)
        if variant == "shared_phone_address":
            contact = Contact(shared.phone, shared.address, own.email)
        elif variant == "shared_legal_rep":
            contact = Contact(own.phone, shared.address, own.email)
        else:
            contact = Contact(shared.phone, own.address, shared.email)
        rep = controller if variant == "shared_legal_rep" else w.person(reg, place)
        holders = [(controller, "person", "100", None)]
        if rep != controller and rng.random() < 0.4:
            holders = [(controller, "person", "90", None), (rep, "person", "10", None)]
        firms.append(planted_firm(w, reg=reg, place=place, comp=comp, rep=rep, holders=holders,
                                  industry=rng.choice(industries), capital=rng.choice(TINY_CAPITALS),
                                  contact=contact))
        reps.append(rep)
    shared_values = {"shared_phone_address": {"phone": shared.phone, "address": "".join(shared.address or ())},
                     "shared_legal_rep": {"legal_rep": controller, "address": "".join(shared.address or ())},
                     "shared_email_phone": {"phone": shared.phone, "email": shared.email}}[variant]
    evidence = {"controller": controller, "shared": shared_values, "reg_dates": [iso(f.reg) for f in firms],
                "registered_capital": [f.capital for f in firms], "legal_reps": reps}
    w.truth.plant("shell_cluster", [f.uscc for f in firms], variant, evidence)

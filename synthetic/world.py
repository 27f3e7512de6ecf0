"""The state of one generation run and the primitive writes every unit uses.

A run streams rows to the CSV files as it makes them. What later phases still
need about the firms (to draw bidders, guarantors, penalised and listed
subjects) is kept in :class:`FirmTable`, a handful of typed arrays: about 45
bytes per firm, so a million firms cost some 45 MB rather than gigabytes of
Python objects.

Flags say which background draws a firm may take part in. Planted and decoy
units set ``PLANTED`` so that no random bid, guarantee, listing or penalty
touches them and spoils (or accidentally creates) a pattern.
"""

from __future__ import annotations

import random
from array import array
from dataclasses import dataclass, field
from typing import Any

from credgraph.synthetic import noise
from credgraph.synthetic.codes import CodeBook
from credgraph.synthetic.dates import AS_OF, iso, iso_or_none, year
from credgraph.synthetic.names import Place, person_name
from credgraph.synthetic.tables import City, Industry, Tables, pick
from credgraph.synthetic.truth import Truth
from credgraph.synthetic.writer import CsvSink

COMPANY = 1  # a company that may guarantee, hold shares and bid (not a branch or individual business)
EXCLUSIVE = 2  # every principal of the firm has roles in this firm only: safe to list or penalise at random
BIDDER = 4  # in the background pool of bidders
PLANTED = 8  # part of a planted pattern or a decoy: no background relation touches it
NO_BRIBERY_PATH = 16  # no person or ownership path leads from it to a bidder: safe for background bribery records


class FirmTable:
    """Compact per-firm facts, indexed by firm number in order of creation."""

    def __init__(self) -> None:
        self._uscc = bytearray()
        self.reg = array("H")
        self.end = array("H")  # 0: no end date
        self.capital = array("f")
        self.city = array("B")
        self.comp = array("i")  # background linkage component: firms that share a principal, contact or owner
        self.flags = bytearray()
        self.rep = array("q")  # current legal representative's resident ID without check digit (0: none)
        self.rep_start = array("H")

    def __len__(self) -> int:
        return len(self.reg)

    def add(self, uscc: str, reg: int, end: int, capital: float, city: int, comp: int, flags: int) -> int:
        """Record a firm; returns its number."""
        self._uscc += uscc.encode("ascii")
        self.reg.append(reg)
        self.end.append(end)
        self.capital.append(capital)
        self.city.append(city)
        self.comp.append(comp)
        self.flags.append(flags)
        self.rep.append(0)
        self.rep_start.append(0)
        return len(self.reg) - 1

    def uscc(self, i: int) -> str:
        """The USCC of firm ``i``."""
        return self._uscc[18 * i:18 * i + 18].decode("ascii")

    def set_rep(self, i: int, person_id: str, start: int) -> None:
        """Remember the current legal representative of firm ``i`` (resident IDs only)."""
        self.rep[i] = int(person_id[:17]) if person_id[:17].isdigit() and len(person_id) == 18 else 0
        self.rep_start[i] = start

    def alive(self, i: int, d: int) -> bool:
        """Whether firm ``i`` exists on day ``d``."""
        return self.reg[i] < d and (self.end[i] == 0 or self.end[i] > d)


@dataclass(slots=True)
class Firm:
    """A firm just made, as the unit that made it sees it."""

    idx: int
    uscc: str
    name: str
    reg: int
    place: Place
    industry: Industry
    capital: float | None
    trade: str
    phone: str | None = None
    address: str | None = None
    email: str | None = None


@dataclass
class Plans:
    """What units ask later phases to write: projects with bids, penalties, list entries."""

    projects: list[Any] = field(default_factory=list)
    penalties: list[dict[str, str | None]] = field(default_factory=list)
    entries: list[dict[str, str | None]] = field(default_factory=list)
    abnormal_firms: array = field(default_factory=lambda: array("i"))
    abnormal_days: array = field(default_factory=lambda: array("H"))


class World:
    """Random source, mints, output files, firm table, truth and plans of one run."""

    def __init__(self, seed: int, target: int, sink: CsvSink, tables: Tables) -> None:
        self.rng = random.Random(seed)
        self.target = target
        self.sink = sink
        self.tables = tables
        self.codes = CodeBook(self.rng)
        self.firms = FirmTable()
        self.truth = Truth()
        self.plans = Plans()
        self.agencies: dict[tuple[str, str], str] = {}  # (division code, role) -> agency_id
        self.agency_names: dict[tuple[str, str], str] = {}
        self.pools: dict[tuple[int, str], array] = {}
        self._comp = 0

    def new_comp(self) -> int:
        """A fresh linkage component number."""
        self._comp += 1
        return self._comp

    def agency(self, place: Place, role: str) -> str:
        """The agency of ``role`` for ``place``: the district's if it has one, else the city's."""
        if place.district is not None and (place.district.code, role) in self.agencies:
            return self.agencies[(place.district.code, role)]
        return self.agencies[(place.city.code, role)]

    # -- places -------------------------------------------------------------

    def place(self, reg: int, city: City | None = None) -> Place:
        """A registration place valid on day ``reg``: a weighted city and one of its districts."""
        city = city or pick(self.rng, self.tables.city_weights)
        districts = city.districts_in(year(reg))
        if not districts or self.rng.random() < 0.12:
            return Place(city, None)  # registered with the city-level authority
        weights = [d.weight for d in districts]
        return Place(city, self.rng.choices(districts, weights=weights)[0])

    # -- persons and roles ---------------------------------------------------

    def person(self, first_role: int, place: Place | None = None, foreign: bool | None = None) -> str:
        """A new person, old enough on day ``first_role`` to hold a post; written to persons.csv."""
        return self.person_named(first_role, place, foreign)[0]

    def person_named(self, first_role: int, place: Place | None = None,
                     foreign: bool | None = None) -> tuple[str, str]:
        """Like :meth:`person`, returning the person's id and name."""
        rng = self.rng
        if foreign is None:
            foreign = rng.random() < 0.012
        if foreign:
            return self._foreign_person()
        latest = min(2002, year(first_role) - 22)
        born = max(1950, min(latest, int(rng.gauss(1974, 10))))
        if place is not None and rng.random() < 0.55:
            codes = [d.code for d in place.city.districts] or [place.city.code]
            region = rng.choice(codes)
        else:
            region = rng.choice(self.tables.birthplaces)
        pid = self.codes.resident_id(region, born)
        name = person_name(rng, self.tables, male=int(pid[16]) % 2 == 1)
        self.sink.write("persons.csv", person_id=pid, name=name, id_type="cn_id" if rng.random() < 0.5 else None)
        return pid, name

    def _foreign_person(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.6:
            pid, id_type = self.codes.passport(rng.choice("EGKP")), "passport"
            name = rng.choice(self.tables.foreign_names) if pid[0] != "E" else person_name(rng, self.tables, True)
        else:
            pid, id_type = self.codes.passport(rng.choice("HM")), "other"  # Hong Kong / Macao permits
            name = person_name(rng, self.tables, rng.random() < 0.5)
        self.sink.write("persons.csv", person_id=pid, name=name, id_type=id_type)
        return pid, name

    def _pid(self, person_id: str) -> str:
        return person_id[:-1] + "x" if person_id.endswith("X") and self.rng.random() < 0.1 else person_id

    def legal_rep(self, person_id: str, firm: Firm, start: int, end: int | None = None) -> None:
        """``person_id`` is legal representative of ``firm`` from ``start`` (until ``end``)."""
        self.sink.write("legal_reps.csv", person_id=self._pid(person_id), uscc=firm.uscc,
                        start_date=iso(start), end_date=iso_or_none(end))
        if end is None:
            self.firms.set_rep(firm.idx, person_id, start)

    def officer(self, person_id: str, firm: Firm, role: str, start: int, end: int | None = None,
                may_omit_start: bool = False) -> None:
        """``person_id`` holds post ``role`` in ``firm`` (background rows sometimes lack the start date)."""
        omit = may_omit_start and self.rng.random() < 0.03
        self.sink.write("officers.csv", person_id=self._pid(person_id), uscc=firm.uscc, role=role,
                        start_date=None if omit else iso(start), end_date=iso_or_none(end))

    def share(self, holder: str, holder_type: str, firm: Firm, pct: str, start: int, end: int | None = None) -> None:
        """``holder`` holds ``pct`` percent of ``firm`` from ``start``; ``pct`` is written as given."""
        subscribed = None
        if firm.capital is not None and self.rng.random() < 0.7:
            subscribed = noise.amount(self.rng, firm.capital * float(pct) / 100)
        self.sink.write("shareholdings.csv", holder_id=self._pid(holder) if holder_type == "person" else holder,
                        holder_type=holder_type, uscc=firm.uscc, share_pct=noise.share_pct(self.rng, pct),
                        subscribed_capital=subscribed, start_date=iso(start), end_date=iso_or_none(end))

    def guarantee(self, guarantor: str, debtor: str, amount: float, start: int, end: int | None) -> None:
        """``guarantor`` guarantees a debt of ``debtor`` from ``start`` (until ``end``)."""
        self.sink.write("guarantees.csv", guarantor_uscc=guarantor, debtor_uscc=debtor,
                        amount=noise.amount(self.rng, amount) if self.rng.random() < 0.9 else None,
                        start_date=iso(start), end_date=iso_or_none(end))

    def in_force(self, start: int, end: int | None) -> bool:
        """Whether an interval [start, end) covers the reference date."""
        return start <= AS_OF and (end is None or end > AS_OF)

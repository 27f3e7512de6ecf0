"""The credit office's own keyed base (``registry/``) and the look-ups the published files need.

The registry is the keyed world as section 1 of the contract writes it, cut
down to what a credit office holds before it reads any agency's publication:

* ``agencies.csv``, ``legal_reps.csv``, ``guarantees.csv``: as keyed (byte copies);
* ``enterprises.csv``: as keyed plus ``reg_no`` (工商注册号 of firms registered
  before 2015-10-01) and ``org_code`` (on about 30% of rows);
* ``persons.csv``: only the person base: legal representatives, natural-person
  shareholders and persons subject of a registry penalty or list entry. Officers
  who are nothing else are known only by name, from the officer publication;
* ``penalties.csv``: penalties on persons, and criminal ones on anyone;
* ``list_entries.csv``: every entry but ``dishonest_debtor`` (the court list publishes those).

While streaming the keyed files once, :func:`write_registry` keeps what the
published writers look up: names by id, legal representatives by firm and date,
the base's names and their counts (homonyms), and the organisation codes and
firm names a made-up stranger must not reuse. At L (a million firms, 2.6 million
persons) these dicts are the run's memory: about 1.5 GB.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from credgraph.synthetic.dates import AS_OF, iso
from credgraph.synthetic.published_forms import RegNoBook, org_code
from credgraph.synthetic.tables import Tables
from credgraph.synthetic.writer import COLUMNS

AS_OF_ISO = iso(AS_OF)
REFORM_ISO = "2015-10-01"  # registration numbers were replaced by USCCs from this day
ORG_CODE_SHARE = 0.30
REGISTRY_FILES = ("agencies.csv", "enterprises.csv", "persons.csv", "legal_reps.csv", "guarantees.csv",
                  "penalties.csv", "list_entries.csv")
ENTERPRISE_COLUMNS = (*COLUMNS["enterprises.csv"], "reg_no", "org_code")
COURT_LIST = "dishonest_debtor"


@dataclass(frozen=True, slots=True)
class Agency:
    """An agency of agencies.csv."""

    name: str
    region: str
    kind: str


@dataclass
class KeyedIndex:
    """What the published writers look up in the keyed world."""

    tables: Tables
    city_of_region: dict[str, int]
    agencies: dict[str, Agency] = field(default_factory=dict)
    agency_ids: dict[str, str] = field(default_factory=dict)  # name -> agency_id
    courts: dict[int, list[str]] = field(default_factory=dict)  # city index -> court agency ids
    firm_names: dict[str, str] = field(default_factory=dict)  # uscc -> name
    reg_nos: dict[str, str] = field(default_factory=dict)  # uscc -> 工商注册号 (pre-2015 firms)
    org_codes: set[str] = field(default_factory=set)
    persons: dict[str, str] = field(default_factory=dict)  # every person of the world: id -> name
    base: set[str] = field(default_factory=set)  # the ids of registry/persons.csv
    base_names: Counter[str] = field(default_factory=Counter)
    city_people: dict[int, list[str]] = field(default_factory=dict)  # city index -> base ids, in file order
    reps: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # uscc -> (id, start, end)
    computable_shares: set[str] = field(default_factory=set)  # firms whose shares follow from capital
    rows: dict[str, int] = field(default_factory=dict)  # rows written per registry file

    def city(self, code: str) -> int:
        """The city index of a division code (a USCC's positions 3-8, a region_code), -1 if unknown."""
        return self.city_of_region.get(code, -1)

    def rep_on(self, uscc: str, day: str) -> str | None:
        """The legal representative of ``uscc`` on ``day`` (ISO), if the registry knows one."""
        for person_id, start, end in self.reps.get(uscc, ()):
            if (not start or start <= day) and (not end or day < end):
                return person_id
        return None

    def is_rep(self, person_id: str, uscc: str) -> bool:
        """Whether ``person_id`` is or was legal representative of ``uscc``."""
        return any(p == person_id for p, _, _ in self.reps.get(uscc, ()))

    def homonyms(self, person_id: str, name: str) -> int:
        """How many other persons of the base bear exactly ``name``."""
        return self.base_names[name] - (person_id in self.base)

    def add_base(self, person_id: str, city: int) -> None:
        """Put ``person_id`` in the person base (first seen in a firm of ``city``)."""
        if person_id not in self.base:
            self.base.add(person_id)
            if city >= 0:
                self.city_people.setdefault(city, []).append(person_id)


def person_key(text: str) -> str:
    """A person id as persons.csv writes it (relation files sometimes write the check digit ``x``)."""
    return text.strip().upper()


def in_force(start: str, end: str) -> bool:
    """Whether [start, end) covers the reference date (empty start: since ever; empty end: open)."""
    return (not start or start <= AS_OF_ISO) and (not end or end > AS_OF_ISO)


def keyed_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a keyed CSV file as dicts of text."""
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


class _Table:
    """One registry file being written, with the keyed file's dialect (CRLF, minimal quoting)."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self._handle = open(path, "w", encoding="utf-8", newline="", buffering=1 << 20)
        self._writer = csv.writer(self._handle, lineterminator="\r\n")
        self._writer.writerow(columns)
        self.columns = columns
        self.rows = 0

    def write(self, row: dict[str, str]) -> None:
        self._writer.writerow([row.get(c, "") for c in self.columns])
        self.rows += 1

    def close(self) -> None:
        self._handle.close()


def _copy(source: Path, target: Path) -> int:
    """Copy a file byte for byte; returns its data rows (no cell holds a line break)."""
    data = source.read_bytes()
    target.write_bytes(data)
    return data.count(b"\n") - 1


def write_registry(keyed: Path, folder: Path, tables: Tables, rng: random.Random) -> KeyedIndex:
    """Write ``folder`` (registry/) from the keyed files in ``keyed``; returns the look-ups."""
    regions = {c.code: c.index for c in tables.cities} | {d.code: c.index for c in tables.cities for d in c.districts}
    index = KeyedIndex(tables, regions)
    for name in ("agencies.csv", "legal_reps.csv", "guarantees.csv"):
        index.rows[name] = _copy(keyed / name, folder / name)
    _read_agencies(index, keyed)
    _read_legal_reps(index, keyed)
    _read_shareholdings(index, keyed)
    _filter_records(index, keyed, folder)
    _write_persons(index, keyed, folder)
    _write_enterprises(index, keyed, folder, rng)
    return index


def _read_agencies(index: KeyedIndex, keyed: Path) -> None:
    for row in keyed_rows(keyed / "agencies.csv"):
        agency = Agency(row["name"], row["region_code"], row["kind"])
        index.agencies[row["agency_id"]] = agency
        index.agency_ids[agency.name] = row["agency_id"]
        if agency.kind == "court":
            index.courts.setdefault(index.city(agency.region), []).append(row["agency_id"])


def _read_legal_reps(index: KeyedIndex, keyed: Path) -> None:
    for row in keyed_rows(keyed / "legal_reps.csv"):
        person_id, uscc = person_key(row["person_id"]), row["uscc"]
        index.reps.setdefault(uscc, []).append((person_id, row["start_date"], row["end_date"]))
        index.add_base(person_id, index.city(uscc[2:8]))


def _read_shareholdings(index: KeyedIndex, keyed: Path) -> None:
    """Person holders join the base; note the firms whose in-force shares all show subscribed capital."""
    totals: dict[str, float] = {}
    missing: set[str] = set()
    for row in keyed_rows(keyed / "shareholdings.csv"):
        uscc = row["uscc"]
        if row["holder_type"] == "person":
            index.add_base(person_key(row["holder_id"]), index.city(uscc[2:8]))
        if in_force(row["start_date"], row["end_date"]):
            totals[uscc] = totals.get(uscc, 0.0) + float(row["share_pct"].rstrip("%"))
            if not row["subscribed_capital"]:
                missing.add(uscc)
    index.computable_shares = {u for u, total in totals.items() if abs(total - 100) < 0.01 and u not in missing}


def _filter_records(index: KeyedIndex, keyed: Path, folder: Path) -> None:
    """registry/penalties.csv and list_entries.csv; their person subjects join the base."""
    penalties = _Table(folder / "penalties.csv", COLUMNS["penalties.csv"])
    for row in keyed_rows(keyed / "penalties.csv"):
        if row["subject_type"] == "person" or row["kind"] == "criminal":
            penalties.write(row)
            if row["subject_type"] == "person":
                index.add_base(person_key(row["subject_id"]), _agency_city(index, row["agency_id"]))
    penalties.close()
    entries = _Table(folder / "list_entries.csv", COLUMNS["list_entries.csv"])
    for row in keyed_rows(keyed / "list_entries.csv"):
        if row["list"] != COURT_LIST:
            entries.write(row)
            if row["subject_type"] == "person":
                index.add_base(person_key(row["subject_id"]), _agency_city(index, row["agency_id"]))
    entries.close()
    index.rows["penalties.csv"], index.rows["list_entries.csv"] = penalties.rows, entries.rows


def _agency_city(index: KeyedIndex, agency_id: str) -> int:
    agency = index.agencies.get(agency_id)
    return index.city(agency.region) if agency else -1


def _write_persons(index: KeyedIndex, keyed: Path, folder: Path) -> None:
    """Every person's name is kept (officers are named from it); only the base is written."""
    names: dict[str, str] = {}
    table = _Table(folder / "persons.csv", COLUMNS["persons.csv"])
    for row in keyed_rows(keyed / "persons.csv"):
        name = names.setdefault(row["name"], row["name"])  # one string per distinct name
        index.persons[row["person_id"]] = name
        if row["person_id"] in index.base:
            table.write(row)
            index.base_names[name] += 1
    table.close()
    index.rows["persons.csv"] = table.rows


def _write_enterprises(index: KeyedIndex, keyed: Path, folder: Path, rng: random.Random) -> None:
    reg_nos = RegNoBook(rng)
    table = _Table(folder / "enterprises.csv", ENTERPRISE_COLUMNS)
    for row in keyed_rows(keyed / "enterprises.csv"):
        uscc = row["uscc"]
        index.firm_names[uscc] = row["name"]
        index.org_codes.add(uscc[8:17])
        reg_no = reg_nos.issue(uscc) if row["reg_date"] < REFORM_ISO else ""
        if reg_no:
            index.reg_nos[uscc] = reg_no
        code = org_code(uscc, dash=rng.random() < 0.5) if rng.random() < ORG_CODE_SHARE else ""
        table.write(row | {"reg_no": reg_no, "org_code": code})
    table.close()
    index.rows["enterprises.csv"] = table.rows

"""The generator's data tables (regions, names, industries, records, places), read once.

The tables are package data (``*.toml`` beside this module) so that they can be
read and corrected without touching code. Weighted tables come with cumulative
weights for :func:`pick`.

>>> t = load_tables()
>>> t.city("440100").name, t.city("440100").districts[3].name
('广州市', '天河区')
>>> sorted(t.lists)[:2]
['abnormal_operation', 'bribery_record']
"""

from __future__ import annotations

import bisect
import itertools
import random
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class District:
    """A district-level unit (区) with its division code."""

    code: str
    name: str
    weight: float = 1.0
    since: int = 0


@dataclass(frozen=True)
class City:
    """A prefecture-level city with its districts (or, where it has none, its towns)."""

    index: int
    code: str
    name: str
    province: str
    short: str
    area: str
    weight: float
    roads: tuple[str, ...]
    districts: tuple[District, ...]
    towns: tuple[str, ...]
    court: str
    extra_agencies: tuple[dict[str, str], ...]

    def districts_in(self, year: int) -> tuple[District, ...]:
        """The districts whose codes existed in ``year``."""
        return tuple(d for d in self.districts if d.since <= year)


@dataclass(frozen=True)
class Industry:
    """An industry: name word, GB/T 4754 section, procurement category, capital range."""

    index: int
    word: str
    section: str
    category: str
    capital: tuple[float, float]
    weight: float


@dataclass(frozen=True)
class Weighted:
    """Items with cumulative weights, for :func:`pick`."""

    items: tuple[Any, ...]
    cum: tuple[float, ...]

    @classmethod
    def of(cls, items: Sequence[Any], weights: Sequence[float]) -> "Weighted":
        """Items with their relative weights."""
        return cls(tuple(items), tuple(itertools.accumulate(weights)))


def pick(rng: random.Random, table: Weighted) -> Any:
    """One item of ``table``, drawn by weight."""
    return table.items[bisect.bisect(table.cum, rng.random() * table.cum[-1])]


@dataclass(frozen=True)
class Tables:
    """Every data table the generator uses."""

    cities: tuple[City, ...]
    city_weights: Weighted
    birthplaces: tuple[str, ...]
    surnames: Weighted
    male_chars: str
    female_chars: str
    foreign_names: tuple[str, ...]
    brand_chars: str
    group_suffixes: tuple[str, ...]
    industries: tuple[Industry, ...]
    industry_weights: Weighted
    shops: tuple[tuple[str, str], ...]
    penalties: dict[str, dict[str, Any]]
    penalty_weights: Weighted
    lists: dict[str, dict[str, Any]]
    city_agencies: dict[str, dict[str, str]]
    district_agencies: dict[str, dict[str, str]]
    roads: tuple[str, ...]
    buildings: tuple[str, ...]
    project_objects: dict[str, tuple[str, ...]]

    def city(self, code: str) -> City:
        """The city with division code ``code``."""
        return next(c for c in self.cities if c.code == code)


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(files("credgraph.synthetic").joinpath(name).read_text(encoding="utf-8"))


def _cities(data: dict[str, Any]) -> tuple[City, ...]:
    cities = []
    for i, c in enumerate(data["city"]):
        districts = tuple(District(d["code"], d["name"], d.get("weight", 1.0), d.get("since", 0)) for d in c["districts"])
        extra = tuple(dict(a) for a in c.get("extra_agencies", []))
        cities.append(City(i, c["code"], c["name"], c["province"], c["short"], c["area"], c["weight"],
                           tuple(c["roads"]), districts, tuple(c.get("towns", [])),
                           c.get("court", "{city}中级人民法院"), extra))
    return tuple(cities)


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    """Read the package's data tables (cached: they never change while running)."""
    regions, names, industries = _read("regions.toml"), _read("names.toml"), _read("industries.toml")
    records, places = _read("records.toml"), _read("places.toml")
    cities = _cities(regions)
    birthplaces = tuple(d.code for c in cities for d in c.districts) + tuple(regions["birthplaces"]["codes"])
    inds = tuple(Industry(i, d["word"], d["section"], d["category"], tuple(d["capital"]), d["weight"])
                 for i, d in enumerate(industries["industry"]))
    penalties = records["penalty"]
    return Tables(
        cities=cities,
        city_weights=Weighted.of(cities, [c.weight for c in cities]),
        birthplaces=birthplaces,
        surnames=Weighted.of(list(names["surnames"]), list(names["surnames"].values())),
        male_chars=names["given"]["male"],
        female_chars=names["given"]["female"],
        foreign_names=tuple(names["given"]["foreign"]),
        brand_chars=names["firm"]["brand"],
        group_suffixes=tuple(names["firm"]["group"]),
        industries=inds,
        industry_weights=Weighted.of(inds, [i.weight for i in inds]),
        shops=tuple((s["word"], s["section"]) for s in industries["shop"]),
        penalties=penalties,
        penalty_weights=Weighted.of(list(penalties), [p["weight"] for p in penalties.values()]),
        lists=records["list"],
        city_agencies=records["agencies"]["city"],
        district_agencies=records["agencies"]["district"],
        roads=tuple(places["address"]["roads"]),
        buildings=tuple(places["address"]["buildings"]),
        project_objects={k: tuple(v) for k, v in places["projects"].items()},
    )

"""Government bodies: procurement centres, regulators, courts, tax bureaus, procuratorates.

Every city gets the agencies of ``records.toml`` ``[agencies.city]`` and every
district those of ``[agencies.district]``; cities without districts list their
own extra bodies (东莞市第一人民法院). Agency ids are USCCs of registration
authority 1 (organs of state: 11..., public institutions: 12...).
"""

from __future__ import annotations

from credgraph.synthetic.tables import City
from credgraph.synthetic.world import World


def _add(w: World, key: tuple[str, str], name: str, region: str, kind: str, body: str) -> None:
    agency_id = w.codes.uscc("1", body, region, new_style=False)
    w.agencies[key] = agency_id
    w.agency_names[key] = name
    w.sink.write("agencies.csv", agency_id=agency_id, name=name, region_code=region, kind=kind)


def _city_agencies(w: World, city: City) -> None:
    for role, spec in w.tables.city_agencies.items():
        pattern = city.court if role == "court" else spec["name"]
        _add(w, (city.code, role), pattern.format(city=city.name), city.code, spec["kind"], spec["body"])
    for i, extra in enumerate(city.extra_agencies):
        _add(w, (city.code, f"extra{i}"), extra["name"], city.code, extra["kind"], extra["body"])
    for district in city.districts:
        for role, spec in w.tables.district_agencies.items():
            name = spec["name"].format(city=city.name, district=district.name)
            _add(w, (district.code, role), name, district.code, spec["kind"], spec["body"])


def write_agencies(w: World) -> None:
    """Write agencies.csv and register every agency in ``w.agencies``."""
    for city in w.tables.cities:
        _city_agencies(w, city)

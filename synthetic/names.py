"""Chinese names of persons, firms, places and projects.

Firm names follow the registration rule 行政区划 + 字号 + 行业 + 组织形式
(``广州市天河区恒盛贸易有限公司``, ``深圳华锐科技股份有限公司``,
``瑞达（广州）科技有限公司``); branches append the city and 分公司 to their
parent's name; individual businesses carry a shop word (``天河区陈记五金店``).

>>> import random
>>> from credgraph.synthetic.tables import load_tables
>>> t = load_tables()
>>> name = company_name(random.Random(2), t.city("440100"), t.city("440100").districts[3], t.industries[0], "有限公司", "恒盛")
>>> name.endswith("贸易有限公司")
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from credgraph.synthetic.codes import CodeBook
from credgraph.synthetic.tables import City, District, Industry, Tables, pick


@dataclass(frozen=True, slots=True)
class Place:
    """Where a firm is registered: a city and, where the city has them, a district."""

    city: City
    district: District | None

    @property
    def code(self) -> str:
        """The division code of the registering authority."""
        return self.district.code if self.district else self.city.code

    @property
    def label(self) -> str:
        """City and district names as they open an address (``广州市天河区``)."""
        return self.city.name + (self.district.name if self.district else "")


def person_name(rng: random.Random, tables: Tables, male: bool) -> str:
    """A Chinese name: surname and one or two given-name characters."""
    chars = tables.male_chars if male else tables.female_chars
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return pick(rng, tables.surnames) + given


def brand(rng: random.Random, tables: Tables) -> str:
    """A trade name (字号) of two or, less often, three characters."""
    n = 2 if rng.random() < 0.85 else 3
    return "".join(rng.choice(tables.brand_chars) for _ in range(n))


def _city_stem(city: City) -> str:
    return city.name[:-1] if city.name.endswith("市") else city.name


def company_name(rng: random.Random, city: City, district: District | None, industry: Industry,
                 form: str, trade: str) -> str:
    """A company name in one of the usual layouts; ``form`` is 有限公司, 股份有限公司 ..."""
    r = rng.random()
    if r < 0.35 and district is not None:
        return f"{city.name}{district.name}{trade}{industry.word}{form}"
    if r < 0.65:
        return f"{city.name}{trade}{industry.word}{form}"
    if r < 0.88:
        return f"{_city_stem(city)}{trade}{industry.word}{form}"
    return f"{trade}（{_city_stem(city)}）{industry.word}{form}"


def group_name(rng: random.Random, tables: Tables, city: City, trade: str) -> str:
    """The name of a group's holding company (控股集团, （集团）, 实业集团 ...)."""
    suffix = rng.choice(tables.group_suffixes)
    return f"{city.name}{trade}{suffix}" if suffix.startswith("（") or rng.random() < 0.4 else f"{trade}{suffix}"


def branch_name(parent_name: str, city: City) -> str:
    """A branch (分公司) of ``parent_name`` in ``city``."""
    return f"{parent_name}{_city_stem(city)}分公司"


def shop_name(rng: random.Random, tables: Tables, place: Place, owner: str, shop: str) -> str:
    """An individual business: district, trade name or the owner's surname + 记, shop word."""
    where = place.district.name if place.district else place.city.name
    if rng.random() < 0.05:
        return owner  # registered without a trade name: the operator's name stands for it
    trade = owner[0] + "记" if rng.random() < 0.3 else brand(rng, tables)
    return f"{where}{trade}{shop}"


def address_parts(rng: random.Random, tables: Tables, codes: CodeBook, place: Place) -> tuple[str, ...]:
    """A fresh address at ``place`` as its written parts (city+district, street+number, room)."""
    roads = place.city.roads + tables.roads
    road, number, floor, unit = codes.address_slot(place.code, len(roads))
    where = place.label
    if place.city.towns:
        where += place.city.towns[number % len(place.city.towns)]
    room = f"{floor}{unit:02d}室" if rng.random() < 0.8 else f"{rng.choice(tables.buildings)}{floor}楼{unit:02d}室"
    return where, f"{roads[road]}{number}号", room


def centre_address_parts(rng: random.Random, tables: Tables, codes: CodeBook, place: Place, trade: str) -> tuple[str, ...]:
    """The address of a business centre (商务中心) that hosts many registrations."""
    roads = place.city.roads + tables.roads
    road, number, floor, _ = codes.address_slot(place.code, len(roads))
    return place.label, f"{roads[road]}{number}号", f"{trade}大厦{floor}楼商务中心"


def email_address(rng: random.Random, number: int) -> str:
    """A lower-case e-mail address made unique by ``number``."""
    if rng.random() < 0.35:
        return f"{10_000_000 + number}@qq.com"
    word = rng.choice(("info", "service", "office", "admin", "contact", "sales", "hr", "finance", "kefu"))
    domain = rng.choice(("163.com", "126.com", "sina.com", "foxmail.com", "aliyun.com", "139.com"))
    return f"{word}{number}@{domain}"


def project_name(rng: random.Random, tables: Tables, category: str, agency_name: str, place: Place,
                 year: int) -> str:
    """A procurement project's title."""
    obj = rng.choice(tables.project_objects[category])
    if category == "works":
        road = rng.choice(place.city.roads + tables.roads)
        return f"{place.label}{road}{obj}工程"
    year_word = f"{year}年" if rng.random() < 0.4 else ""
    suffix = "采购项目" if category == "goods" else "服务项目"
    return f"{agency_name}{year_word}{obj}{suffix}"

"""``court_dishonest.csv``: the courts' list of judgment debtors (失信被执行人名单), strangers included.

Every ``dishonest_debtor`` entry of the keyed world still in force on the
reference date becomes a row: a person by name, gender, age and a masked ID, a
firm by name, organisation code and the legal representative in office on the
listing date. The court is one of the subject's city; the case number
(``（2023）粤0106执1234号``) carries the province, the court's code and the year the
case was filed, before the listing.

A real list also names debtors the credit office has never heard of. About 30%
more rows are *strangers*: persons drawn like the world's people (40% of them
bearing the exact name of a registry person of the same city) and firms whose
names and organisation codes are nobody's in the registry. About 3% of stranger
persons (at least one) are hard homonyms of a registry person: same name, same first six and
last four ID characters, a birth year at least two years apart, so that only a
mask that shows the birth date, or the age, tells them apart.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from pathlib import Path

from credgraph.graph.identifiers import resident_id_check_char, uscc_check_char
from credgraph.synthetic.codes import org_check_char
from credgraph.synthetic.dates import AS_OF, YEAR_START, between, iso
from credgraph.synthetic.names import brand, company_name, person_name
from credgraph.synthetic.published_forms import NOTICE_VARIANTS, Scribe, is_resident_id
from credgraph.synthetic.published_registry import COURT_LIST, AS_OF_ISO, KeyedIndex, keyed_rows
from credgraph.synthetic.published_sink import PublishedSink
from credgraph.synthetic.tables import City, pick

FILE = "court_dishonest.csv"
STRANGER_SHARE = 0.30  # stranger rows per real row
STRANGER_PERSONS = 0.70  # the rest are firms
NAME_COPIES = 0.40  # stranger persons named exactly like a registry person of the city
HARD_HOMONYMS = 0.03  # stranger persons twinned with a registry person's ID ends (at least one)
SAME_COURT = 0.5  # the row names the court of the keyed entry; otherwise another court of the city


class Strangers:
    """Made-up debtors: ids no one in the world holds, firm names and codes the registry does not know."""

    def __init__(self, index: KeyedIndex, scribe: Scribe) -> None:
        self.index, self.rng, self.tables = index, scribe.rng, scribe.tables
        self._firm_names = set(index.firm_names.values())
        self._issued: set[str] = set()  # stranger person ids and organisation codes
        self.counts: Counter[str] = Counter()

    def person(self, city: City, debtor: bool = True, hard: bool = False) -> tuple[str, str]:
        """A stranger (id, name); may copy a registry person's name; ``hard``: a registry person's hard homonym.

        Where the city's registry offers no twin, the stranger is an ordinary one.
        """
        rng, persons = self.rng, self.index.persons
        if hard and (target := self._registry_person(city)) and (twin := self._twin_id(target)):
            self.counts["hard_homonyms"] += 1
            return twin, persons[target]
        copied = self._registry_person(city) if rng.random() < NAME_COPIES else None
        if copied is not None:
            self.counts["name_copies" if debtor else "rep_name_copies"] += 1
            male = int(copied[16]) % 2 == 1
            return self._fresh_id(city, male), persons[copied]
        male = rng.random() < 0.5
        return self._fresh_id(city, male), person_name(rng, self.tables, male)

    def firm(self, city: City) -> tuple[str, str]:
        """A stranger firm (made-up USCC, name)."""
        rng, tables = self.rng, self.tables
        district = rng.choice(city.districts) if city.districts and rng.random() < 0.8 else None
        while True:
            industry = pick(rng, tables.industry_weights)
            form = "有限公司" if rng.random() < 0.85 else "有限责任公司"
            name = company_name(rng, city, district, industry, form, brand(rng, tables))
            if name not in self._firm_names:
                break
        self._firm_names.add(name)
        while True:
            body = f"{rng.randrange(10**8):08d}"
            code = body + org_check_char(body)
            if code not in self.index.org_codes and self._free(code):
                break
        first17 = f"91{(district or city).code}{code}"
        return first17 + uscc_check_char(first17), name

    def _registry_person(self, city: City) -> str | None:
        people = self.index.city_people.get(city.index, [])
        for _ in range(20 if people else 0):
            person_id = self.rng.choice(people)
            if is_resident_id(person_id):
                return person_id
        return None

    def _free(self, code: str) -> bool:
        """Whether ``code`` is no one's yet (it is the stranger's from now on)."""
        if code in self.index.persons or code in self._issued:
            return False
        self._issued.add(code)
        return True

    def _fresh_id(self, city: City, male: bool) -> str:
        rng = self.rng
        while True:
            codes = [d.code for d in city.districts] or [city.code]
            region = rng.choice(codes) if rng.random() < 0.55 else rng.choice(self.tables.birthplaces)
            born = max(1950, min(2002, int(rng.gauss(1974, 10))))
            seq = 2 * rng.randrange(499) + (1 if male else 2)
            body = f"{region}{_birth_day(rng, born)}{seq:03d}"
            person_id = body + resident_id_check_char(body)
            if self._free(person_id):
                return person_id

    def _twin_id(self, target: str) -> str | None:
        """An id with ``target``'s first 6 and last 4 characters, born 2 or more years apart."""
        rng, year = self.rng, int(target[6:10])
        years = [y for y in range(1950, 2003) if abs(y - year) >= 2]
        for _ in range(2000):
            body = target[:6] + _birth_day(rng, rng.choice(years)) + target[14:17]
            if resident_id_check_char(body) == target[17] and self._free(body + target[17]):
                return body + target[17]
        return None


def _birth_day(rng: random.Random, year: int) -> str:
    """YYYYMMDD of a random day of ``year`` (never 31 December of a leap year, like the world's IDs)."""
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    return day.strftime("%Y%m%d")


class _Court:
    """Writes the rows of court_dishonest.csv and their mentions."""

    def __init__(self, index: KeyedIndex, sink: PublishedSink, scribe: Scribe) -> None:
        self.index, self.sink, self.scribe, self.rng = index, sink, scribe, scribe.rng
        self.words = scribe.words.court
        self.strangers = Strangers(index, scribe)
        self._case_numbers: set[str] = set()

    def entry(self, row: dict[str, str]) -> None:
        """The row of a keyed dishonest_debtor entry."""
        index, subject = self.index, row["subject_id"]
        agency = index.agencies.get(row["agency_id"])
        city = index.city(agency.region if agency else subject[2:8])
        if city < 0:
            city = pick(self.rng, self.scribe.tables.city_weights).index
        court = row["agency_id"] if agency and agency.kind == "court" and self.rng.random() < SAME_COURT else None
        reason = row["reason"] if row["reason"] and self.rng.random() < 0.7 else None
        if row["subject_type"] == "person":
            person_id = subject.upper()
            self._person(person_id, index.persons[person_id], city, court, row["listed_date"], reason, True)
        else:
            rep = index.rep_on(subject, row["listed_date"])
            self._firm(subject, index.firm_names[subject], (rep, index.persons[rep]) if rep else None, city, court,
                       row["listed_date"], reason, True)

    def stranger(self, kind: str) -> None:
        """A row of a debtor the registry does not know: a ``person``, a ``hard`` homonym or a ``firm``."""
        rng = self.rng
        city = pick(rng, self.scribe.tables.city_weights)
        listed = iso(between(rng, YEAR_START[2016], AS_OF - 1))
        if kind != "firm":
            self.strangers.counts["persons"] += 1
            person_id, name = self.strangers.person(city, hard=kind == "hard")
            self._person(person_id, name, city.index, None, listed, None, False)
        else:
            self.strangers.counts["firms"] += 1
            uscc, name = self.strangers.firm(city)
            rep = self.strangers.person(city, debtor=False)
            self._firm(uscc, name, rep, city.index, None, listed, None, False)

    def _person(self, person_id: str, name: str, city: int, court: str | None, listed: str, reason: str | None,
                known: bool) -> None:
        written, variant = self.scribe.person(name)
        id_text, kind = self.scribe.person_id(person_id)
        resident = is_resident_id(person_id)
        values = self._common(city, court, listed, reason) | {
            "被执行人姓名/名称": written, "身份证号码/组织机构代码": id_text,
            "性别": ("男" if int(person_id[16]) % 2 else "女") if resident else None,
            "年龄": str(_age(person_id, listed)) if resident else None,
        }
        line = self.sink.row(FILE, values)
        self.sink.mention(FILE, line, "debtor", person_id, "person", kind=kind, variant=variant, name=name,
                          in_store=None if known else False)

    def _firm(self, uscc: str, name: str, rep: tuple[str, str] | None, city: int, court: str | None, listed: str,
              reason: str | None, known: bool) -> None:
        written, variant = self.scribe.firm(name, uscc, NOTICE_VARIANTS)
        id_text, kind = _firm_id(self.rng.random(), uscc)
        rep_written, rep_variant = self.scribe.person(rep[1]) if rep else (None, "none")
        values = self._common(city, court, listed, reason) | {
            "被执行人姓名/名称": written, "身份证号码/组织机构代码": id_text, "法定代表人或者负责人姓名": rep_written}
        line = self.sink.row(FILE, values)
        self.sink.mention(FILE, line, "debtor", uscc, "enterprise", kind=kind, variant=variant, in_store=known)
        if rep:
            self.sink.mention(FILE, line, "legal_rep", rep[0], "person", variant=rep_variant, name=rep[1],
                              in_store=None if known else False)

    def _common(self, city: int, court: str | None, listed: str, reason: str | None) -> dict[str, str | None]:
        """The columns every row has: case, court, province, the judgment enforced, dates."""
        rng, scribe, index = self.rng, self.scribe, self.index
        court = court or rng.choice(index.courts[city])
        agency = index.agencies[court]
        town = scribe.tables.cities[city]
        province = scribe.words.provinces[town.province]
        filed = dt.date.fromisoformat(listed) - dt.timedelta(days=rng.randint(20, 400))
        basis_year = max(2005, filed.year - rng.randint(0, 2))
        if rng.random() < 0.75:
            unit = agency if rng.random() < 0.6 else index.agencies[rng.choice(index.courts[city])]
            basis = f"（{basis_year}）{province['abbr']}{_court_code(unit.name, unit.region)}" \
                    f"{rng.choice(self.words['basis_types'])}{rng.randint(1, 30000)}号"
            issuer = unit.name
        else:
            stem = town.name.removesuffix("市")
            basis, issuer = f"（{basis_year}）{stem}仲字第{rng.randint(1, 9000)}号", f"{stem}仲裁委员会"
        amount = math.exp(rng.uniform(math.log(5_000), math.log(5_000_000)))
        return {
            "案号": self._case_number(filed.year, province["abbr"], _court_code(agency.name, agency.region)),
            "执行法院": agency.name, "省份": province["short"], "执行依据文号": basis, "做出执行依据单位": issuer,
            "生效法律文书确定的义务": rng.choice(self.words["obligations"]).format(amount=f"{amount:.2f}"),
            "被执行人的履行情况": self.words["performance"]["part" if rng.random() < 0.2 else "none"],
            "失信被执行人行为具体情形": reason or rng.choice(self.words["situations"]),
            "立案时间": scribe.date(filed.isoformat()), "发布时间": scribe.date(listed),
        }

    def _case_number(self, year: int, abbr: str, code: str) -> str:
        while True:
            number = f"（{year}）{abbr}{code}执{self.rng.randint(1, 99999)}号"
            if number not in self._case_numbers:
                self._case_numbers.add(number)
                return number


def _court_code(name: str, region: str) -> str:
    """The court's code in case numbers: 01 for an intermediate court, 0106 for a district's court,
    1971 for a city's first people's court."""
    if region[2:] == "0000" or "中级" in name:
        return region[2:4] if region[2:4] != "00" else "01"
    return region[2:4] + "71" if region.endswith("00") else region[2:6]


def _firm_id(r: float, uscc: str) -> tuple[str, str]:
    """A firm debtor's code: organisation code with (60%) or without (20%) dash, USCC (10%), none (10%)."""
    if r < 0.6:
        return f"{uscc[8:16]}-{uscc[16]}", "org_code"
    if r < 0.8:
        return uscc[8:17], "org_code"
    if r < 0.9:
        return uscc, "uscc"
    return "", "none"


def _age(person_id: str, on: str) -> int:
    born = dt.date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14]))
    day = dt.date.fromisoformat(on)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def write_court(keyed: Path, index: KeyedIndex, sink: PublishedSink, scribe: Scribe) -> dict[str, int]:
    """Write court_dishonest.csv: the keyed entries in force, strangers at random positions among them.

    Returns the stranger counts: persons, firms, hard homonyms, name copies
    (debtors', and those of stranger firms' representatives).
    """
    entries = [row for row in keyed_rows(keyed / "list_entries.csv")
               if row["list"] == COURT_LIST and (not row["removed_date"] or row["removed_date"] > AS_OF_ISO)]
    court = _Court(index, sink, scribe)
    rng = scribe.rng
    n_strangers = round(STRANGER_SHARE * len(entries))
    n_persons = round(STRANGER_PERSONS * n_strangers)
    n_hard = max(1, round(HARD_HOMONYMS * n_persons)) if n_persons else 0
    kinds = ["hard"] * n_hard + ["person"] * (n_persons - n_hard) + ["firm"] * (n_strangers - n_persons)
    rng.shuffle(kinds)
    total = len(entries) + n_strangers
    slots = set(rng.sample(range(total), n_strangers))
    real, strangers = iter(entries), iter(kinds)
    for position in range(total):
        if position in slots:
            court.stranger(next(strangers))
        else:
            court.entry(next(real))
    counts = court.strangers.counts
    return {k: counts[k] for k in ("persons", "firms", "hard_homonyms", "name_copies", "rep_name_copies")}

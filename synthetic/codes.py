"""Identifiers that are valid and distinct by construction.

Every code the generator issues (USCCs, resident IDs, passports, phones, e-mail
numbers, record ids) comes from a :class:`Mint`: an affine bijection
``k -> (a*k + b) mod space`` with ``a`` coprime to ``space``. The k-th value is
never repeated and nothing has to be remembered, so uniqueness costs no memory
even for millions of codes, and the values look scattered rather than serial.

USCC (GB 32100-2015): registration authority (9 market regulation, 1 organs of
state and public institutions), kind (9-1 company, 9-2 individual business,
1-1 organ, 1-2 public institution), 6-digit division code, 9-character
organisation code (GB 11714: 8 characters and a check character, weights
3 7 9 10 5 8 4 2, ``11 - sum mod 11``, 10 -> X, 11 -> 0), then the USCC check
character.

>>> org_check_char("19220382"), org_check_char("55138508")
('1', '2')
>>> import random
>>> book = CodeBook(random.Random(1))
>>> code = book.uscc("9", "1", "440106", new_style=True)
>>> code[:8], code[8:10], len(code)
('91440106', 'MA', 18)
"""

from __future__ import annotations

import math
import random

from credgraph.graph.identifiers import USCC_ALPHABET, resident_id_check_char, uscc_check_char

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "156", "158", "159", "177", "180", "181", "186", "187", "188", "189", "199")
PERSON_DAYS = 365  # day-of-year slots per birth year (31 December of leap years is never used)


class Mint:
    """Distinct integers in ``[0, space)`` in a scrambled order."""

    __slots__ = ("space", "a", "b", "k")

    def __init__(self, space: int, rng: random.Random) -> None:
        self.space = space
        a = rng.randrange(space // 3, space) | 1
        while math.gcd(a, space) != 1:
            a += 2
        self.a, self.b, self.k = a, rng.randrange(space), 0

    def __call__(self) -> int:
        if self.k >= self.space:
            raise RuntimeError(f"mint of {self.space} codes exhausted")
        value = (self.a * self.k + self.b) % self.space
        self.k += 1
        return value


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - 55  # GB 11714: A=10 ... Z=35


def org_check_char(body: str) -> str:
    """The check character of an 8-character organisation code body."""
    c = 11 - sum(_org_value(ch) * w for ch, w in zip(body, _ORG_WEIGHTS)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _base31(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        value, r = divmod(value, 31)
        chars.append(USCC_ALPHABET[r])
    return "".join(reversed(chars))


class CodeBook:
    """All the mints of one generation run."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._old_org = Mint(10**8, rng)
        self._new_org = Mint(31**6, rng)
        self._persons: dict[tuple[str, int], Mint] = {}
        self._passport = Mint(10**8, rng)
        self._mobile = Mint(len(MOBILE_PREFIXES) * 10**8, rng)
        self._landline: dict[str, Mint] = {}
        self._email = Mint(10**9, rng)
        self._address: dict[str, Mint] = {}
        self._serial: dict[str, Mint] = {}

    def uscc(self, authority: str, kind: str, region: str, new_style: bool) -> str:
        """A fresh USCC; ``new_style`` gives the ``MA...`` organisation codes issued since 2015."""
        body = "MA" + _base31(self._new_org(), 6) if new_style else f"{self._old_org():08d}"
        first17 = f"{authority}{kind}{region}{body}{org_check_char(body)}"
        return first17 + uscc_check_char(first17)

    def resident_id(self, region: str, born_year: int) -> str:
        """A fresh resident ID of someone born in ``born_year`` whose birth was registered in ``region``."""
        mint = self._persons.get((region, born_year))
        if mint is None:
            mint = self._persons[(region, born_year)] = Mint(PERSON_DAYS * 999, self._rng)
        slot, seq = divmod(mint(), 999)
        born = _date8(born_year, slot)
        first17 = f"{region}{born}{seq + 1:03d}"
        return first17 + resident_id_check_char(first17)

    def passport(self, prefix: str = "E") -> str:
        """A fresh passport-style number (letter and 8 digits)."""
        return f"{prefix}{self._passport():08d}"

    def mobile(self) -> str:
        """A fresh 11-digit mobile number."""
        prefix, rest = divmod(self._mobile(), 10**8)
        return f"{MOBILE_PREFIXES[prefix]}{rest:08d}"

    def landline(self, area: str) -> str:
        """A fresh landline: area code and an 8-digit local number starting 2-8."""
        mint = self._landline.get(area)
        if mint is None:
            mint = self._landline[area] = Mint(7 * 10**7, self._rng)
        return f"{area}{2 * 10**7 + mint():08d}"

    def email_number(self) -> int:
        """A fresh number that makes an e-mail local part unique."""
        return self._email()

    def address_slot(self, place: str, roads: int) -> tuple[int, int, int, int]:
        """A fresh (road index, street number, floor, unit) at ``place``."""
        mint = self._address.get(place)
        if mint is None:
            mint = self._address[place] = Mint(roads * 999 * 32 * 20, self._rng)
        v = mint()
        v, unit = divmod(v, 20)
        v, floor = divmod(v, 32)
        road, number = divmod(v, 999)
        return road, number + 1, floor + 1, unit + 1

    def serial(self, kind: str, digits: int = 8) -> int:
        """A fresh number for record ids of ``kind`` (projects, penalties, list entries)."""
        mint = self._serial.get(kind)
        if mint is None:
            mint = self._serial[kind] = Mint(10**digits, self._rng)
        return mint()


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date8(year: int, slot: int) -> str:
    """YYYYMMDD of the ``slot``-th day (0-364) of ``year``, counting 29 February in leap years."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    for month, length in enumerate(_MONTH_DAYS, start=1):
        length += 1 if leap and month == 2 else 0
        if slot < length:
            return f"{year}{month:02d}{slot + 1:02d}"
        slot -= length
    raise ValueError("slot beyond the year")

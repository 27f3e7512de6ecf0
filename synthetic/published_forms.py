"""How agencies write what the keyed world knows: dates, masked IDs, old codes, name variants.

A published file never carries the canonical value the registry keys on. Courts
print resident IDs with stars (``4401**********123X``), registries still quote the
organisation code (``19220382-1``) or the pre-2015 registration number, dates come
in four spellings, and a firm's name loses its city prefix, swaps 有限公司 for
有限责任公司 or turns up in traditional characters. Each function here returns one
written form of a true value, drawn from the run's random source, together with
the name of the change it made, so that the truth (``mentions.csv``) can say what
a resolver had to undo. The words are package data (``published.toml``).

>>> import random
>>> from credgraph.graph.identifiers import MaskedId
>>> from credgraph.synthetic.tables import load_tables
>>> rng = random.Random(1)
>>> org_code("914403001922038216", dash=True), spell_date(random.Random(6), "2019-03-05")
('19220382-1', '2019/3/5')
>>> mask = mask_id(rng, "44010619800101123X")
>>> MaskedId.parse(mask).compatible("44010619800101123X")
True
>>> names = NameVariants(rng, load_tables())
>>> names.firm_variant("广州市天河区华信贸易有限公司", "region_dropped", "440106")
'华信贸易有限公司'
"""

from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, Callable

import opencc

from credgraph.graph.identifiers import reg_no_check_digit
from credgraph.synthetic.codes import Mint
from credgraph.synthetic.tables import City, District, Tables

# Spellings of a date (CONTRACT.md section 4), mostly ISO.
DATE_SPELLINGS = (("iso", 70), ("slash", 10), ("chinese", 10), ("compact", 10))
# Masked resident IDs: first 4 + 10 stars + last 4, first 10 + 4 + 4 (birth month and day hidden),
# first 6 + 8 + 4, first 14 + 4 stars, and a star count that does not make 18 characters.
MASK_SHAPES = (("4+10+4", 60), ("10+4+4", 15), ("6+8+4", 10), ("14+4", 5), ("short", 5))
# Name variants of a firm, by weight among the rows that get one; a variant that does not
# apply to a name (no brackets, no region prefix) gives way to one that does.
FIRM_VARIANTS = (("form", 9), ("region_dropped", 7), ("region_short", 5), ("brackets", 3),
                 ("traditional", 3), ("space", 2), ("width", 1))
NOTICE_VARIANTS = 0.30  # share of firm names changed in court, penalty, award and bid files
REGISTRY_VARIANTS = 0.03  # in the registry's own shareholder and officer exports
PERSON_TRADITIONAL, PERSON_SPACE = 0.01, 0.02

_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
_TO_HALF = str.maketrans("（）", "()")
_TO_FULL = str.maketrans("()", "（）")
_BREAKS = ("股份有限公司", "有限责任公司", "有限公司", "集团", "分公司", "（", "(")


@dataclass(frozen=True)
class Words:
    """The words of published.toml."""

    headers: dict[str, tuple[str, ...]]
    provinces: dict[str, dict[str, str]]
    court: dict[str, Any]
    penalty_kinds: dict[str, list[str]]
    penalty_categories: dict[str, list[str]]
    registry: dict[str, Any]
    agents: tuple[str, ...]


@lru_cache(maxsize=1)
def load_words() -> Words:
    """Read ``published.toml`` (cached)."""
    data = tomllib.loads(files("credgraph.synthetic").joinpath("published.toml").read_text(encoding="utf-8"))
    return Words(
        headers={name: tuple(columns) for name, columns in data["headers"].items()},
        provinces=data["provinces"], court=data["court"], penalty_kinds=data["penalty"]["kind"],
        penalty_categories=data["penalty"]["category"], registry=data["registry"],
        agents=tuple(data["procurement"]["agents"]),
    )


def weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    """One name of ``choices`` (name, weight), drawn by weight."""
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def spell_date(rng: random.Random, iso: str) -> str:
    """``iso`` (YYYY-MM-DD, or empty) in one of the contract's spellings."""
    if not iso:
        return ""
    y, m, d = iso.split("-")
    spelling = weighted(rng, DATE_SPELLINGS)
    if spelling == "slash":
        return f"{y}/{int(m)}/{int(d)}"
    if spelling == "chinese":
        return f"{y}年{m}月{d}日"
    if spelling == "compact":
        return f"{y}{m}{d}"
    return iso


def org_code(uscc: str, dash: bool) -> str:
    """The organisation code inside a USCC (positions 9-17), as ``XXXXXXXX-X`` or without the dash."""
    code = uscc[8:17]
    return f"{code[:8]}-{code[8]}" if dash else code


def mask_id(rng: random.Random, person_id: str) -> str:
    """A masked form of an 18-character resident ID, in one of the shapes courts and registries print."""
    shape = weighted(rng, MASK_SHAPES)
    if shape == "10+4+4":
        return person_id[:10] + "****" + person_id[-4:]
    if shape == "6+8+4":
        return person_id[:6] + "*" * 8 + person_id[-4:]
    if shape == "14+4":
        return person_id[:14] + "****"
    if shape == "short":
        return person_id[:4] + "*" * rng.choice((6, 7, 8, 9)) + person_id[-4:]
    return person_id[:4] + "*" * 10 + person_id[-4:]


class RegNoBook:
    """Registration numbers (工商注册号) of pre-2015 firms: division code, type digit, serial, GS15 check digit.

    The type digit is 0 for companies and 6 for individual businesses (USCC
    kind 2); serials come from one :class:`Mint` per division and type, so no
    two firms share a number.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._mints: dict[str, Mint] = {}

    def issue(self, uscc: str) -> str:
        """A fresh registration number for the firm ``uscc`` (its division code is USCC positions 3-8)."""
        head = uscc[2:8] + ("6" if uscc[1] == "2" else "0")
        mint = self._mints.get(head)
        if mint is None:
            mint = self._mints[head] = Mint(10**7, self._rng)
        body = f"{head}{mint():07d}"
        return body + reg_no_check_digit(body)


class NameVariants:
    """Written forms of firm and person names: each returns the text and the variant applied."""

    def __init__(self, rng: random.Random, tables: Tables) -> None:
        self.rng = rng
        self._s2t = opencc.OpenCC("s2t")
        self._places: dict[str, tuple[City, District | None]] = {}
        for city in tables.cities:
            self._places[city.code] = (city, None)
            for district in city.districts:
                self._places[district.code] = (city, district)
        self._apply: dict[str, Callable[[str, str], str | None]] = {
            "form": lambda name, _: _swap_form(name), "brackets": lambda name, _: _swap_brackets(name),
            "region_dropped": self._drop_region, "region_short": self._short_region,
            "traditional": lambda name, _: self._traditional(name), "space": lambda name, _: _insert(name, " "),
            "width": lambda name, _: _full_width(name),
        }

    def firm(self, name: str, region: str, rate: float) -> tuple[str, str]:
        """``name`` of a firm registered in division ``region``, changed on a share ``rate`` of calls."""
        if self.rng.random() >= rate:
            return name, "none"
        choices = list(FIRM_VARIANTS)
        while choices:
            variant = weighted(self.rng, tuple(choices))
            written = self.firm_variant(name, variant, region)
            if written is not None and written != name:
                return written, variant
            choices = [c for c in choices if c[0] != variant]
        return name, "none"

    def firm_variant(self, name: str, variant: str, region: str) -> str | None:
        """``name`` with ``variant`` applied, or ``None`` where it does not apply."""
        return self._apply[variant](name, region)

    def person(self, name: str) -> tuple[str, str]:
        """A person's name: now and then in traditional characters or with a space after the surname."""
        r = self.rng.random()
        if name.isascii() or r >= PERSON_TRADITIONAL + PERSON_SPACE:
            return name, "none"
        if r < PERSON_TRADITIONAL:
            written = self._traditional(name)
            return (written, "traditional") if written != name else (name, "none")
        return name[:1] + " " + name[1:], "space"

    def _traditional(self, name: str) -> str:
        return str(self._s2t.convert(name))

    def _prefixes(self, region: str) -> list[str]:
        """Leading region words a firm of ``region`` may carry, longest first."""
        city, district = self._places.get(region, (None, None))
        if city is None:
            return []
        stem = city.name[:-1] if city.name.endswith("市") else city.name
        words = [city.name, stem]
        if district is not None:
            words = [city.name + district.name, stem + district.name, *words, district.name]
        return words

    def _drop_region(self, name: str, region: str) -> str | None:
        for prefix in self._prefixes(region):
            rest = name[len(prefix):]
            if name.startswith(prefix) and len(rest) >= 4 and rest[0] not in "（(":
                return rest
        return None

    def _short_region(self, name: str, region: str) -> str | None:
        city = self._places.get(region, (None, None))[0]
        if city is None or not city.name.endswith("市") or not name.startswith(city.name):
            return None
        return city.name[:-1] + name[len(city.name):]


def _swap_form(name: str) -> str | None:
    """有限责任公司 -> 有限公司, or 有限公司 (not of a 股份有限公司) -> 有限责任公司."""
    if "有限责任公司" in name:
        return name.replace("有限责任公司", "有限公司", 1)
    for match in re.finditer("有限公司", name):
        if name[max(0, match.start() - 2):match.start()] != "股份":
            return name[:match.start()] + "有限责任公司" + name[match.end():]
    return None


def _swap_brackets(name: str) -> str | None:
    if "（" in name:
        return name.translate(_TO_HALF)
    if "(" in name:
        return name.translate(_TO_FULL)
    return None


def _insert(name: str, space: str) -> str | None:
    """``space`` before the legal form (or the middle of a short name), never at either end."""
    cuts = [i for i in (name.find(word) for word in _BREAKS) if i > 0]
    cut = min(cuts) if cuts else len(name) // 2
    return name[:cut] + space + name[cut:] if 0 < cut < len(name) else None


def _full_width(name: str) -> str | None:
    """Half-width letters and digits turned full-width; names without any get a full-width space."""
    if any(ch.isascii() and ch.isalnum() for ch in name):
        return name.translate(_FULL_WIDTH)
    return _insert(name, "\u3000")


class Scribe:
    """The run's random source with the words and written forms every published writer uses."""

    def __init__(self, rng: random.Random, tables: Tables, words: Words) -> None:
        self.rng = rng
        self.tables = tables
        self.words = words
        self.names = NameVariants(rng, tables)

    def date(self, iso: str) -> str:
        """A date in one of the contract's spellings."""
        return spell_date(self.rng, iso)

    def firm(self, name: str, uscc: str, rate: float) -> tuple[str, str]:
        """A firm's name as written (changed on a share ``rate`` of rows) and the variant applied."""
        return self.names.firm(name, uscc[2:8], rate)

    def person(self, name: str) -> tuple[str, str]:
        """A person's name as written and the variant applied."""
        return self.names.person(name)

    def person_id(self, person_id: str) -> tuple[str, str]:
        """A person's document number as a court prints it, and its identifier kind.

        Resident IDs: masked (95%), empty (3%) or in full (2%); passports and
        permits in full.
        """
        if not is_resident_id(person_id):
            return person_id, "passport"
        r = self.rng.random()
        if r < 0.03:
            return "", "none"
        if r < 0.05:
            return person_id, "resident_id"
        return mask_id(self.rng, person_id), "masked_id"


def is_resident_id(person_id: str) -> bool:
    """Whether ``person_id`` is an 18-character resident ID (not a passport or permit number)."""
    return len(person_id) == 18 and person_id[:17].isdigit()

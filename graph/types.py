"""Property types of the graph model: how a value is cleaned and stored.

Each type turns raw input text into a typed value or a reason why it cannot
(``clean``), and converts typed values to and from the stores' representations.
Cleaners never raise on bad input: they return ``Invalid(reason)`` so that a
loader can put the row in the rejects file.

>>> TYPES["date"].clean("2024-02-29")
datetime.date(2024, 2, 29)
>>> TYPES["uscc"].clean(" 91110108551385082q ")
'91110108551385082Q'
>>> TYPES["uscc"].clean("91110108551385082A")
Invalid(reason='USCC check character should be Q, not A')
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from credgraph.graph import identifiers


# Identifiers, dates and vocabulary words repeat across the files of a load (a
# firm's USCC in every relation file); their cleaners are pure, so memoised.
CACHE_SIZE = 1 << 18


@dataclass(frozen=True, slots=True)
class Invalid:
    """Why a raw value was rejected."""

    reason: str


Cleaned = Any  # a typed value, None for an empty cell, or Invalid


@dataclass(frozen=True)
class PropertyType:
    """A property type: a cleaner plus conversions to and from the stores.

    ``to_json`` / ``from_json`` map typed values to what the embedded store keeps
    in JSON; Neo4j keeps typed values natively (dates as ``DATE``).
    """

    name: str
    clean_text: Callable[[str], Cleaned]
    to_json: Callable[[Any], Any] = lambda v: v
    from_json: Callable[[Any], Any] = lambda v: v
    from_neo4j: Callable[[Any], Any] = lambda v: v
    values: tuple[str, ...] = ()  # the closed vocabulary of an enum type

    def clean(self, raw: Any) -> Cleaned:
        """Clean one raw cell: typed value, ``None`` when empty, or ``Invalid``."""
        if raw is None:
            return None
        text = (raw if type(raw) is str else str(raw)).strip()
        return self.clean_text(text) if text else None


def normalise_text(text: str) -> str:
    """NFKC (full-width to half-width), then collapse runs of whitespace."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def _clean_string(text: str) -> str:
    return text


def _clean_name(text: str) -> str:
    return normalise_text(text)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@lru_cache(maxsize=CACHE_SIZE)
def _clean_date(text: str) -> Cleaned:
    if not _DATE.fullmatch(text):
        return Invalid(f"date must be YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        return Invalid(f"not a calendar date: {exc}")


def _date_from_json(value: Any) -> Any:
    return None if value is None else dt.date.fromisoformat(value)


def _date_to_json(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _date_from_neo4j(value: Any) -> Any:
    return None if value is None else value.to_native()


def _clean_float(text: str) -> Cleaned:
    try:
        value = float(normalise_text(text).replace(",", ""))
    except ValueError:
        return Invalid(f"not a number: {text!r}")
    if not math.isfinite(value):
        return Invalid(f"not a finite number: {text!r}")
    return value


def _clean_amount(text: str) -> Cleaned:
    value = _clean_float(text)
    if isinstance(value, float) and value < 0:
        return Invalid(f"amount must not be negative, got {text}")
    return value


def _clean_share_pct(text: str) -> Cleaned:
    value = _clean_float(text.rstrip("%"))
    if isinstance(value, float) and not 0 < value <= 100:
        return Invalid(f"share_pct must be in (0, 100], got {text}")
    return value


def _clean_int(text: str) -> Cleaned:
    try:
        return int(normalise_text(text))
    except ValueError:
        return Invalid(f"not an integer: {text!r}")


_TRUE = {"true", "1", "是", "yes", "y"}
_FALSE = {"false", "0", "否", "no", "n"}


@lru_cache(maxsize=CACHE_SIZE)
def _clean_bool(text: str) -> Cleaned:
    word = normalise_text(text).lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return Invalid(f"boolean must be true/false/1/0/是/否, got {text!r}")


@lru_cache(maxsize=CACHE_SIZE)
def _clean_region_code(text: str) -> Cleaned:
    code = normalise_text(text)
    if not re.fullmatch(r"[0-9]{6}", code):
        return Invalid(f"region_code must be 6 digits, got {text!r}")
    return code


@lru_cache(maxsize=CACHE_SIZE)
def _clean_uscc(text: str) -> Cleaned:
    code = normalise_text(text).upper()
    problem = identifiers.uscc_problem(code)
    return Invalid(problem) if problem else code


@lru_cache(maxsize=CACHE_SIZE)
def _clean_reg_no(text: str) -> Cleaned:
    number = normalise_text(text).replace(" ", "")
    problem = identifiers.reg_no_problem(number)
    return Invalid(problem) if problem else number


_ORG_CODE = re.compile(r"[0-9A-Z]{8}-?[0-9X]")


@lru_cache(maxsize=CACHE_SIZE)
def _clean_org_code(text: str) -> Cleaned:
    # The shape only: the organisation code inside a USCC does not always
    # follow GB 11714's check (individual businesses); the loader checks that a
    # firm's org_code is the one inside its USCC.
    code = normalise_text(text).upper().replace(" ", "")
    if not _ORG_CODE.fullmatch(code):
        return Invalid(f"organisation code must be 8 letters or digits and a check character, got {text!r}")
    return code.replace("-", "")


@lru_cache(maxsize=CACHE_SIZE)
def _clean_person_id(text: str) -> Cleaned:
    # The id_type decides whether the check digit applies; the loader checks
    # cn_id rows with identifiers.resident_id_problem.
    return normalise_text(text).upper()


def _clean_phone(text: str) -> Cleaned:
    digits = re.sub(r"[\s\-().\u2010-\u2015]", "", normalise_text(text))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not re.fullmatch(r"[0-9]{5,15}", digits):
        return Invalid(f"not a phone number: {text!r}")
    return digits


def _clean_email(text: str) -> Cleaned:
    address = normalise_text(text).lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
        return Invalid(f"not an e-mail address: {text!r}")
    return address


def _clean_address(text: str) -> Cleaned:
    # Normalised again after the spaces go: a combining mark that followed a
    # space composes with the letter before it (idempotent cleaning).
    return normalise_text(normalise_text(text).replace(" ", ""))


def _string_list_from_json(value: Any) -> Any:
    return list(value) if value is not None else None


def enum_type(name: str, values: list[str], aliases: dict[str, str]) -> PropertyType:
    """A closed vocabulary; ``aliases`` maps accepted input words to values."""
    accepted = {value: value for value in values} | dict(aliases)

    @lru_cache(maxsize=CACHE_SIZE)
    def clean(text: str) -> Cleaned:
        word = normalise_text(text)
        value = accepted.get(word) or accepted.get(word.lower())
        if value is None:
            return Invalid(f"{name} must be one of {', '.join(values)}; got {text!r}")
        return value

    return PropertyType(name, clean, values=tuple(values))



TYPES: dict[str, PropertyType] = {
    t.name: t
    for t in [
        PropertyType("string", _clean_string),
        PropertyType("name", _clean_name),
        PropertyType("date", _clean_date, to_json=_date_to_json, from_json=_date_from_json, from_neo4j=_date_from_neo4j),
        PropertyType("amount", _clean_amount),
        PropertyType("float", _clean_float),
        PropertyType("share_pct", _clean_share_pct),
        PropertyType("int", _clean_int),
        PropertyType("bool", _clean_bool),
        PropertyType("region_code", _clean_region_code),
        PropertyType("uscc", _clean_uscc),
        PropertyType("reg_no", _clean_reg_no),
        PropertyType("org_code", _clean_org_code),
        PropertyType("person_id", _clean_person_id),
        PropertyType("phone", _clean_phone),
        PropertyType("email", _clean_email),
        PropertyType("address", _clean_address),
        PropertyType("string_list", _clean_string, from_json=_string_list_from_json),
    ]
}

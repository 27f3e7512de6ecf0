"""Reading values the way agencies write them: dates, amounts, shares, keywords, templates.

Published files spell dates four ways (``2019-03-05``, ``2019/3/5``,
``2019年03月05日``, ``20190305``), write amounts with thousands separators or a
``万元`` unit, and shares as ``51%``. Every cleaner returns a typed value,
``None`` for an empty cell, or ``Invalid(reason)``, like the property types of
``credgraph.graph.types`` (which the rest of the values go through).

>>> published_date("2019年3月5日"), published_date("20190305"), published_date("2019/3/5")
(datetime.date(2019, 3, 5), datetime.date(2019, 3, 5), datetime.date(2019, 3, 5))
>>> published_date("2019-02-30")
Invalid(reason='not a calendar date: 2019-02-30')
>>> clean_value(MODEL.nodes["Penalty"].properties["amount"].type, "1,250.5万元")
1250.5
>>> keyword_value("违反反不正当竞争法，实施商业贿赂", (("商业贿赂", "bribery"), ("价格", "price")))
'bribery'
>>> fill_template("{案号}/{名称|别名}", {"案号": "（2023）粤01执1号", "名称": "", "别名": "甲"})
'(2023)粤01执1号/甲'
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from credgraph.graph.model import MODEL
from credgraph.graph.types import CACHE_SIZE, TYPES, Invalid, PropertyType, normalise_text

_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@lru_cache(maxsize=CACHE_SIZE)
def published_date(text: str) -> Any:
    """A date in any of the contract's spellings (a trailing time of day is ignored)."""
    raw = normalise_text(text)
    raw = _TIME_TAIL.sub("", raw)
    for form in _DATE_FORMS:
        match = form.fullmatch(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return Invalid(f"not a calendar date: {raw}")
    return Invalid(f"date must be written like 2019-03-05, 2019/3/5, 2019年03月05日 or 20190305; got {text!r}")


def _amount_text(text: str) -> str:
    value = normalise_text(text).replace(",", "").replace(" ", "")
    for unit in ("万元", "万"):
        if value.endswith(unit):
            return value[: -len(unit)]
    return value


def clean_value(prop_type: PropertyType, text: str) -> Any:
    """Clean one published cell for a property of ``prop_type``."""
    if not text or not text.strip():
        return None
    if prop_type.name == "date":
        return published_date(text.strip())
    if prop_type.name in ("amount", "float"):
        return prop_type.clean(_amount_text(text))
    if prop_type.name == "share_pct":
        return prop_type.clean(normalise_text(text).replace(" ", "").rstrip("%％"))
    return prop_type.clean(text)


def keyword_value(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    """The value of the first keyword of ``table`` (in its order) found in ``text``."""
    plain = normalise_text(text)
    for keyword, value in table:
        if keyword in plain:
            return value
    return None


def exact_value(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    """The value of ``text`` itself in a word table, or ``None``."""
    plain = normalise_text(text)
    return next((value for word, value in table if word == plain), None)


def fill_template(template: str, cells: dict[str, str]) -> str:
    """``template`` with each ``{column}`` (or ``{a|b}``: the first non-empty) replaced by its cleaned cell."""

    def pick(match: re.Match[str]) -> str:
        for name in match.group(1).split("|"):
            value = normalise_text(cells.get(name, ""))
            if value:
                return value
        return ""

    return _PLACEHOLDER.sub(pick, template)


def property_type(owner: str, name: str) -> PropertyType:
    """The declared type of property ``name`` of a node label or relationship type (string if undeclared)."""
    item = MODEL.nodes.get(owner) or MODEL.relationships.get(owner)
    declared = item.properties.get(name) if item is not None else None
    return declared.type if declared is not None else STRING


STRING = TYPES["string"]

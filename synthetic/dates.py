"""Dates as small integers: days since 2005-01-01.

Keeping dates as day numbers lets the generator hold a million registration
dates in an ``array('H')`` and write them through a precomputed table of ISO
strings instead of formatting a ``date`` per cell.

>>> iso(0), iso(AS_OF)
('2005-01-01', '2024-06-30')
>>> day(dt.date(2015, 10, 1)) == USCC_REFORM
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

DAY0 = dt.date(2005, 1, 1)
LAST = dt.date(2029, 12, 31)  # guarantees may run beyond the reference date
_ISO = [(DAY0 + dt.timedelta(days=i)).isoformat() for i in range((LAST - DAY0).days + 1)]
_YEAR = [int(s[:4]) for s in _ISO]


def day(date: dt.date) -> int:
    """The day number of ``date``."""
    return (date - DAY0).days


def iso(d: int) -> str:
    """``YYYY-MM-DD`` of day number ``d``."""
    return _ISO[d]


def iso_or_none(d: int | None) -> str | None:
    """``YYYY-MM-DD`` of ``d``, or ``None`` for no date."""
    return None if d is None else _ISO[d]


def year(d: int) -> int:
    """The calendar year of day number ``d``."""
    return _YEAR[d]


AS_OF = day(dt.date(2024, 6, 30))  # the reference date of truth.json: "in force" means on this day
USCC_REFORM = day(dt.date(2015, 10, 1))  # codes issued from here on carry new-style organisation codes
FIRST_YEAR, LAST_YEAR = 2005, 2024
YEAR_START = {y: day(dt.date(y, 1, 1)) for y in range(FIRST_YEAR, 2031)}

# Registrations per year grow, as China's market-subject counts did.
_REG_YEAR_WEIGHTS = [1.0 + 0.18 * (y - FIRST_YEAR) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
_REG_YEAR_WEIGHTS[-1] *= 0.5  # half a year up to the reference date
_REG_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
_REG_CUM = list(itertools.accumulate(_REG_YEAR_WEIGHTS))


def registration_day(rng: random.Random, lo: int = 0, hi: int = AS_OF) -> int:
    """A registration day in [lo, hi], more recent years more likely."""
    for _ in range(8):
        y = rng.choices(_REG_YEARS, cum_weights=_REG_CUM)[0]
        d = YEAR_START[y] + rng.randrange(366 if y % 4 == 0 else 365)
        if lo <= d <= hi:
            return d
    return between(rng, lo, hi)


def between(rng: random.Random, lo: int, hi: int) -> int:
    """A day in [lo, hi] (``lo`` itself when the range is empty)."""
    return lo if hi <= lo else rng.randint(lo, hi)

"""Check characters of the two national identifiers.

The unified social credit code (USCC, GB 32100-2015) has 18 characters from a
31-character alphabet; the last is a check character. Positions 9-17 carry the
old organisation code (GB 11714) with its own check character, which this
module does not re-check: codes issued to individual businesses do not follow
it. The resident ID (GB 11643-1999) has 17 digits and a check digit.

>>> uscc_problem("914403001922038216") is None
True
>>> uscc_check_char("91110108551385082")
'Q'
>>> resident_id_problem("11010519491231002X") is None
True
>>> resident_id_facts("11010519491231002X")
(datetime.date(1949, 12, 31), 'female')
"""

from __future__ import annotations

import datetime as dt

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def uscc_check_char(body: str) -> str:
    """The check character for the first 17 characters of a USCC."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(body, _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC, or ``None`` when it is."""
    if len(code) != 18:
        return f"USCC must have 18 characters, got {len(code)}"
    if not all(ch in _USCC_VALUE for ch in code):
        bad = sorted({ch for ch in code if ch not in _USCC_VALUE})
        return f"USCC has characters outside its alphabet: {''.join(bad)}"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"USCC check character should be {expected}, not {code[17]}"
    return None


def resident_id_check_char(body: str) -> str:
    """The check digit (0-9 or X) for the first 17 digits of a resident ID."""
    total = sum(int(ch) * w for ch, w in zip(body, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def resident_id_problem(number: str) -> str | None:
    """Why ``number`` is not a valid 18-digit resident ID, or ``None``."""
    if len(number) != 18 or not number[:17].isdigit():
        return "resident ID must be 17 digits and a check digit"
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        return f"resident ID check digit should be {expected}, not {number[17]}"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return f"resident ID birth date {number[6:14]} is not a calendar date"
    return None


def resident_id_facts(number: str) -> tuple[dt.date, str]:
    """Birth date and gender encoded in a valid resident ID."""
    born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    gender = "male" if int(number[16]) % 2 else "female"
    return born, gender

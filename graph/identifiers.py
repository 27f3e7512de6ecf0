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
import unicodedata
from dataclasses import dataclass

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


# -- the older identifiers that published files carry ----------------------

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY" + "IOSVZ"  # GB 11714 uses digits and capital letters


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - 55  # A = 10 ... Z = 35


def org_code_check_char(body: str) -> str:
    """The GB 11714 check character for the first 8 characters of an organisation code.

    >>> org_code_check_char("19220382")
    '1'
    """
    total = sum(_org_value(ch) * w for ch, w in zip(body, _ORG_WEIGHTS))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def org_code_problem(code: str) -> str | None:
    """Why ``code`` (9 characters, no dash) is not a valid organisation code, or ``None``.

    >>> org_code_problem("192203821") is None, org_code_problem("192203822")
    (True, 'organisation code check character should be 1, not 2')
    """
    if len(code) != 9:
        return f"organisation code must have 9 characters, got {len(code)}"
    if not all(ch.isdigit() or ("A" <= ch <= "Z") for ch in code[:8]) or not (code[8].isdigit() or code[8] == "X"):
        return "organisation code has characters other than digits and capital letters"
    expected = org_code_check_char(code[:8])
    if code[8] != expected:
        return f"organisation code check character should be {expected}, not {code[8]}"
    return None


def reg_no_check_digit(body: str) -> str:
    """The check digit (ISO 7064 MOD 11,10, as GS15-2006 prescribes) for 14 digits of a registration number.

    >>> reg_no_check_digit("44010600012345")
    '4'
    """
    p = 10
    for ch in body:
        s = (p + int(ch)) % 10 or 10
        p = (2 * s) % 11
    return str((11 - p) % 10)


def reg_no_problem(number: str) -> str | None:
    """Why ``number`` is not a valid 15-digit registration number (工商注册号), or ``None``.

    >>> reg_no_problem("440106000123454") is None
    True
    """
    if len(number) != 15 or not number.isdigit():
        return f"registration number must be 15 digits, got {number!r}"
    expected = reg_no_check_digit(number[:14])
    if number[14] != expected:
        return f"registration number check digit should be {expected}, not {number[14]}"
    return None


# -- masked resident IDs ----------------------------------------------------

MASK_CHARS = "*＊×"


@dataclass(frozen=True)
class MaskedId:
    """A resident ID with hidden characters, as courts and Credit China publish it.

    ``shown`` maps positions (0-17) to the characters that are visible. When the
    number of masks does not make 18 characters (``4401********123X``), only the
    visible head and tail are trusted: ``head`` characters from the start and
    ``tail`` from the end.

    >>> m = MaskedId.parse("4401**********123X")
    >>> m.visible, m.compatible("44010219800101123X"), m.compatible("44020319800101123X")
    (8, True, False)
    >>> MaskedId.parse("4401********123x").compatible("44010219800101123X")
    True
    >>> MaskedId.parse("44010219800101123X") is None
    True
    """

    head: str
    tail: str
    shown: tuple[tuple[int, str], ...]

    @classmethod
    def parse(cls, text: str) -> "MaskedId | None":
        """The masked ID written in ``text``, or ``None`` when it is not one."""
        code = "".join(text.split()).upper()
        for ch in MASK_CHARS[1:]:
            code = code.replace(ch, "*")
        if "*" not in code or len(code) > 18 or not code.strip("*"):
            return None
        if any(ch not in "0123456789X*" for ch in code) or "X" in code[:-1]:
            return None
        head = code[: code.index("*")]
        tail = code[code.rindex("*") + 1 :]
        shown = tuple((i, ch) for i, ch in enumerate(code) if ch != "*") if len(code) == 18 else ()
        return cls(head, tail, shown)

    @property
    def visible(self) -> int:
        """How many characters are shown."""
        return len(self.shown) if self.shown else len(self.head) + len(self.tail)

    @property
    def region(self) -> str:
        """The shown start of the division code (up to 6 digits)."""
        return self.head[:6]

    @property
    def birth_year(self) -> int | None:
        """The birth year where positions 7-10 are shown."""
        year = "".join(ch for i, ch in self.shown if 6 <= i < 10)
        return int(year) if len(year) == 4 else None

    def compatible(self, number: str) -> bool:
        """Whether the full resident ID ``number`` agrees with every shown character."""
        if len(number) != 18:
            return False
        if self.shown:
            return all(number[i] == ch for i, ch in self.shown)
        return number.startswith(self.head) and number.endswith(self.tail)


# -- telling identifiers apart ----------------------------------------------

IDENTIFIER_KINDS = ("uscc", "org_code", "reg_no", "resident_id", "masked_id", "passport", "none")


def identifier_kind(text: str) -> tuple[str, str]:
    """What kind of identifier ``text`` is, and its canonical form.

    Kinds: ``uscc``, ``org_code`` (9 characters, a dash before the check
    character allowed), ``reg_no`` (15 digits), ``resident_id`` (18, valid),
    ``masked_id``, ``passport`` (anything else that looks like a document
    number), ``none`` (empty, or a word such as 非公示项).

    >>> identifier_kind("91110108551385082q")
    ('uscc', '91110108551385082Q')
    >>> identifier_kind("55138508-2"), identifier_kind("4401**********123X")[0]
    (('org_code', '551385082'), 'masked_id')
    >>> identifier_kind("11010519491231002X"), identifier_kind("")
    (('resident_id', '11010519491231002X'), ('none', ''))
    """
    code = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if not code:
        return "none", ""
    if MaskedId.parse(code) is not None:
        return "masked_id", code
    plain = code.replace("-", "")
    if len(plain) == 18 and uscc_problem(plain) is None:
        return "uscc", plain
    if len(plain) == 18 and resident_id_problem(plain) is None:
        return "resident_id", plain
    if len(plain) == 9 and org_code_problem(plain) is None:
        return "org_code", plain
    if len(plain) == 15 and reg_no_problem(plain) is None:
        return "reg_no", plain
    if plain.isascii() and plain.isalnum() and 5 <= len(plain) <= 20:
        return "passport", plain
    return "none", ""

r"""Cell values for spreadsheets: typed, and safe to open (no formula injection).

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, in some programs, tab or carriage return) as a formula: a name
such as ``=HYPERLINK(...)`` in the data could run when an analyst opens the
file (OWASP "CSV injection"). Text cells that start with one of those, also
after leading spaces or as the full-width ``＝ ＋ － ＠``, get a leading
apostrophe, which spreadsheets show as text. Text that already starts with an
apostrophe gets one too, so the original is always the cell minus its first
apostrophe:

>>> neutralise("=1+2"), neutralise("  @SUM(A1)"), neutralise("'quoted"), neutralise("华为")
("'=1+2", "'  @SUM(A1)", "''quoted", '华为')
>>> recover(neutralise("=1+2"))
'=1+2'

Numbers are not text: a negative amount stays the number ``-5.0``.

XLSX cannot hold most control characters (and XML turns CR into LF); they are written in the format's
own escape ``_xHHHH_`` (Excel shows the character), and a literal ``_xHHHH_``
in the text is escaped as ``_x005F_xHHHH_``, so ``recover_xlsx`` gives back
the original of any cell:

>>> xlsx_text("a\x01b"), recover_xlsx(xlsx_text("a\x01b"))
('a_x0001_b', 'a\x01b')
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")
QUOTE = "'"
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
XLSX_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or it starts with the quote)."""
    if not text:
        return False
    return text[0] in FORMULA_TRIGGERS or text[0] == QUOTE or text.lstrip()[:1] in FORMULA_TRIGGERS


def neutralise(text: str) -> str:
    """``text`` made inert in a spreadsheet cell; ``recover`` undoes it."""
    return QUOTE + text if needs_quote(text) else text


def recover(cell: str) -> str:
    """The original text of a neutralised cell."""
    return cell[1:] if cell.startswith(QUOTE) else cell


def xlsx_text(text: str) -> str:
    """``text`` with what XLSX cannot hold written as ``_xHHHH_``."""
    return XLSX_ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def recover_xlsx(cell: str) -> str:
    """The original text of a neutralised, escaped XLSX text cell."""
    return recover(XLSX_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), cell))


def plain(value: Any) -> Any:
    """A property value as a scalar for tables and graph files.

    Dates become ISO strings, lists ``;``-joined strings, mappings JSON;
    numbers and booleans stay as they are.

    >>> plain(dt.date(2024, 6, 30)), plain(["load-1", "load-2"]), plain(-5.0)
    ('2024-06-30', 'load-1;load-2', -5.0)
    """
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(str(plain(v)) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return value


def csv_cell(value: Any) -> str:
    """A value as CSV text: booleans as ``true``/``false``, empty for none, text neutralised.

    >>> csv_cell(True), csv_cell(None), csv_cell(-5.0), csv_cell("-5")
    ('true', '', '-5.0', "'-5")
    """
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return neutralise(str(value))


def excel_cell(value: Any) -> Any:
    """A value for an Excel cell: numbers, booleans and dates typed, text neutralised."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    value = plain(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return xlsx_text(neutralise(str(value)))

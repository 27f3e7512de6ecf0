"""Where the CLI writes: results on stdout, everything else on stderr."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    """Write ``data`` as indented UTF-8 JSON on stdout (dates as ISO strings)."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_default))


def add_row(table: Table, *values: object) -> None:
    """Add a row of plain text: data is never read as Rich markup."""
    table.add_row(*(Text("" if v is None else str(v)) for v in values))

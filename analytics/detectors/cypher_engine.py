"""The Cypher engine: run ``cypher/detectors/<name>.cypher`` on Neo4j and read its rows as match rows.

Each query file is the whole pattern match; this module only sends it with
the as-of date, the thresholds of ``detectors.toml`` and the link grades that
count (``$grades``, from ``min_grade``) as parameters, and turns Neo4j values
into the plain values the Python matchers produce: dates as ISO text,
relationship maps (with their ``link_grade``) as evidence facts
(``credgraph.analytics.detectors.graph.fact``).

>>> normalise({"type": "GUARANTEES", "src": "A", "dst": "B", "start_date": None, "end_date": None, "amount": 5,
...            "link_grade": "strong"})
{'type': 'GUARANTEES', 'src': 'A', 'dst': 'B', 'start_date': None, 'end_date': None, 'grade': 'strong', 'amount': 5.0}
>>> sorted(cypher_params("guarantee_circle", dt.date(2024, 6, 30), load_settings(), "derived").items())
[('asOf', '2024-06-30'), ('grades', ['exact', 'derived'])]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from credgraph.analytics.detectors import REGISTRY
from credgraph.analytics.detectors.base import Row
from credgraph.analytics.detectors.graph import FACT_PROPS, PRINCIPAL_TYPES, fact
from credgraph.analytics.detectors.settings import DetectorSettings, load_settings
from credgraph.graph.errors import ConfigError
from credgraph.graph.links import DEFAULT_MIN_GRADE, grades_at_least
from credgraph.graph.resources import cypher_dir

FACT_TYPES = {*FACT_PROPS, *PRINCIPAL_TYPES}


def query_path(name: str) -> Path:
    """Where the query of detector ``name`` lives."""
    return cypher_dir() / "detectors" / f"{name}.cypher"


def query_text(name: str) -> str:
    """The query of detector ``name``, as shipped (comments included), without its final semicolon."""
    return query_path(name).read_text(encoding="utf-8").strip().rstrip(";")


def normalise(value: Any) -> Any:
    """Neo4j values as plain values: dates as ISO text, relationship maps as facts, numbers of facts as floats."""
    if isinstance(value, dict):
        plain = {k: normalise(v) for k, v in value.items()}
        if plain.get("type") in FACT_TYPES and "src" in plain and "dst" in plain:
            return fact(plain["type"], plain["src"], plain["dst"], plain)
        return plain
    if isinstance(value, list):
        return [normalise(v) for v in value]
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        value = to_native()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def cypher_params(name: str, as_of: dt.date, settings: DetectorSettings,
                  min_grade: str = DEFAULT_MIN_GRADE) -> dict[str, Any]:
    """The parameters of detector ``name``'s query: the date, the link grades that count, its thresholds."""
    return {"asOf": as_of.isoformat(), "grades": list(grades_at_least(min_grade)),
            **REGISTRY[name].cypher_params(settings)}


def cypher_matches(store: Any, name: str, as_of: dt.date, settings: DetectorSettings,
                   min_grade: str = DEFAULT_MIN_GRADE) -> list[Row]:
    """The match rows of detector ``name`` on ``as_of``, found by its Cypher query on ``store``.

    ``store`` is a ``Neo4jStore`` (anything with its ``query(text, params)``).
    Only relationships whose link grade is at least ``min_grade`` are matched.
    """
    if not hasattr(store, "query"):
        raise ConfigError(f"the cypher engine needs a Neo4j store, not {store.location}")
    params = cypher_params(name, as_of, settings, min_grade)
    return [normalise(record) for record in store.query(query_text(name), params)]

"""What resolution reads from a store, as pandas tables: the mentions and the registry.

The registry is everything a mention may be linked to, with the features that
identify it: firms (USCC, the organisation code inside it, registration number,
name key, regions), persons (ID, name key, birth year, gender), agencies, and
the keyed roles of persons in firms (legal representative, officer,
shareholder). Roles that resolution itself made are left out, so that a link
never rests on what an earlier run of resolution concluded.

Everything is read through the stores' column reads (``node_table``,
``relationship_table``) and keyed once with the name normalisers of
``credgraph.resolution.names``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from credgraph.graph.store import GraphStore
from credgraph.resolution.names import clean_text, parse_firm_name, person_name_key

ROLE_TYPES = ("LEGAL_REP_OF", "OFFICER_OF", "SHAREHOLDER_OF")
MENTION_FIELDS = ("record_id", "source", "role", "name", "identifier", "id_kind", "id_value", "subject_type",
                  "region_code", "of", "on", "features", "facts")
SHARED_MENTION_FIELDS = ("source_file", "record_id", "source", "role", "id_kind", "subject_type", "region_code", "on")
PARALLEL_NAMES = 200_000
"""From this many firm names on, ``firm_name_columns`` parses them in several processes."""
NameParts = tuple[str, str, str, tuple[str, ...]]
FIRM_FIELDS = ("name", "region_code", "reg_no", "reg_date", "end_date")


def among(column: pd.Series, values: Any) -> np.ndarray:
    """``column.isin(values)`` as a boolean array, by Python set lookups: pandas' ``isin`` on its Arrow
    strings turns every value into an Arrow scalar first, which at a million values costs seconds.

    >>> among(pd.Series(["a", "b", None]), ["b"]).tolist()
    [False, True, False]
    """
    keep = values if isinstance(values, (set, frozenset)) else set(values)
    return np.fromiter((v in keep for v in column.tolist()), dtype=bool, count=len(column))


def columns(df: pd.DataFrame, *names: str) -> Iterator[tuple[Any, ...]]:
    """The rows of ``df``'s columns ``names`` as tuples of Python values: ``zip`` over the columns' lists,
    since iterating a pandas Arrow-string column value by value is about ten times slower than ``tolist``.

    >>> list(columns(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]}), "b", "a"))
    [(1, 'x'), (2, 'y')]
    """
    return zip(*(df[name].tolist() for name in names))


def _name_parts(names: list[str | None]) -> list[NameParts]:
    parsed = (parse_firm_name(name or "") for name in names)
    return [(p.key, p.core, p.branch, p.regions) for p in parsed]


def firm_name_columns(names: list[str | None], workers: int | None = None,
                      parallel_from: int = PARALLEL_NAMES) -> dict[str, list[Any]]:
    """The ``key``, ``core``, ``branch`` and ``regions`` of each firm name (``parse_firm_name``), as columns.

    From ``parallel_from`` names on, the names are parsed in ``workers``
    processes (by default one per core, at most four), since parsing the names
    of a province's registry is the slowest step of reading it; fewer are parsed
    here, where starting processes would cost more than it saves. Where no
    process can be started, all are parsed here: the result is the same.

    >>> firm_name_columns(["广州市华信贸易有限公司", None])
    {'key': ['华信贸易|ltd|', '||'], 'core': ['华信贸易', ''], 'branch': ['', ''], 'regions': [('440100',), ()]}
    >>> names = ["广州市华信贸易有限公司", "华信贸易（广州）有限公司", "深圳市南山区华信五金店"]
    >>> firm_name_columns(names, workers=2, parallel_from=1) == firm_name_columns(names, workers=1)
    True
    """
    parts = _parsed(names, min(os.cpu_count() or 1, 4) if workers is None else workers, parallel_from)
    return {column: [part[i] for part in parts] for i, column in enumerate(("key", "core", "branch", "regions"))}


def _parsed(names: list[str | None], workers: int, parallel_from: int) -> list[NameParts]:
    if workers < 2 or len(names) < max(parallel_from, 1):
        return _name_parts(names)
    size = -(-len(names) // (workers * 4))
    chunks = [names[i : i + size] for i in range(0, len(names), size)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            return [part for chunk in pool.map(_name_parts, chunks) for part in chunk]
    except (OSError, BrokenProcessPool):
        return _name_parts(names)


def _frame(table: dict[str, list[Any]]) -> pd.DataFrame:
    if not table:
        return pd.DataFrame()
    df = pd.DataFrame(table)
    return df.astype(object) if df.empty else df  # empty columns are float64, and ``.str`` refuses them


def firm_frame(table: dict[str, list[Any]]) -> pd.DataFrame:
    """Firms with their keys: ``uscc, name, key, core, branch, regions, region_code, org_code, reg_no, reg_date,
    end_date``."""
    parsed = firm_name_columns(table.get("name", []))
    df = _frame(table).rename(columns={"key": "uscc"})
    for column, values in parsed.items():
        df[column] = values
    df["org_code"] = df["uscc"].str.slice(8, 17)
    return df.drop(columns=["source_file", "source_line"])


@dataclass
class Registry:
    """The subjects mentions may be linked to; see the module docstring."""

    firms: pd.DataFrame
    persons: pd.DataFrame
    agencies: pd.DataFrame
    roles: pd.DataFrame  # person_id, uscc, type
    reg_nos: pd.DataFrame  # reg_no, uscc: from the registry and from published rows carrying both

    @classmethod
    def read(cls, store: GraphStore) -> Registry:
        """Read the registry of ``store``."""
        firms = firm_frame(store.node_table("Enterprise", FIRM_FIELDS))
        persons = _frame(store.node_table("Person", ("name", "id_type", "birth_date", "gender")))
        persons = persons.rename(columns={"key": "person_id"}).drop(columns=["source_file", "source_line"])
        persons["name_key"] = [person_name_key(n or "") for n in persons["name"].tolist()]
        persons["birth_year"] = pd.to_numeric(persons["birth_date"].str.slice(0, 4), errors="coerce")
        agencies = _frame(store.node_table("Agency", ("name", "region_code")))
        agencies = agencies.rename(columns={"key": "agency_id"}).drop(columns=["source_file", "source_line"])
        agencies["key"] = firm_name_columns(agencies["name"].tolist())["key"]
        agencies["full"] = [clean_text(n or "") for n in agencies["name"].tolist()]
        rels = _frame(store.relationship_table(list(ROLE_TYPES), linked=False))
        roles = rels[rels["src_label"] == "Person"][["src", "dst", "type"]] if len(rels) else rels
        roles = roles.rename(columns={"src": "person_id", "dst": "uscc"}).drop_duplicates(ignore_index=True)
        reg_nos = firms.loc[firms["reg_no"].notna(), ["reg_no", "uscc"]].reset_index(drop=True)
        # A store with no registry yet (a published file loaded first) must resolve to nothing, not fail.
        frames = [df.astype(object) if df.empty else df for df in (firms, persons, agencies, roles, reg_nos)]
        return cls(*frames)

    def with_published_reg_nos(self, mentions: pd.DataFrame) -> None:
        """Add the registration numbers that published rows give beside a known USCC (``read_mentions``'s ``ids``)."""
        pairs = []
        for given in mentions["ids"].tolist():
            ids = dict(tuple(pair) for pair in given or ())
            if "uscc" in ids and "reg_no" in ids:
                pairs.append((ids["reg_no"], ids["uscc"]))
        if pairs:
            extra = pd.DataFrame(pairs, columns=["reg_no", "uscc"])
            extra = extra[among(extra["uscc"], self.firms["uscc"].tolist())]
            self.reg_nos = pd.concat([self.reg_nos, extra]).drop_duplicates(ignore_index=True)


def read_mentions(store: GraphStore) -> pd.DataFrame:
    """Every mention a source record still names, with its features parsed.

    Columns: the ``Mention`` properties plus ``file`` and ``line`` (its row's
    provenance), ``gender``, ``age`` and ``ids`` from ``features``.
    """
    named = set(store.relationship_table(["MENTIONS"])["dst"])
    table = store.node_table("Mention", MENTION_FIELDS)
    keep = [key in named for key in table["key"]]
    kept = {name: [v for v, k in zip(values, keep) if k] for name, values in table.items()}
    del table
    for name in SHARED_MENTION_FIELDS:
        kept[name] = _shared(kept[name])
    features = [json.loads(f) if isinstance(f, str) and f else {} for f in kept["features"]]
    kept["gender"] = [f.get("gender") for f in features]
    kept["age"] = [f.get("age") for f in features]
    kept["ids"] = [f.get("ids") for f in features]
    # Python objects as they are (None where missing): an Arrow string column would copy every value,
    # and resolution reads them back as Python objects.
    df = pd.DataFrame(kept, dtype=object)
    return df.rename(columns={"key": "mention_id", "source_file": "file", "source_line": "line"})


def _shared(values: list[Any]) -> list[Any]:
    """``values`` with equal strings as one object: a column of a few distinct values costs a pointer per row."""
    seen: dict[Any, Any] = {}
    return [seen.setdefault(v, v) for v in values]

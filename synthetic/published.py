"""``credgraph generate --format published``: the keyed world written the way agencies publish it.

The keyed files of section 1 are what a loader wants; what an investigator gets
is a registry extract and agencies' notices that name subjects without keys.
This module turns a keyed folder (written first, by the ordinary generator, for
the same size and seed) into that layout, streaming every keyed file so that L
runs in bounded memory::

    DIR/registry/    the credit office's keyed base (published_registry.py)
    DIR/published/   court_dishonest, admin_penalty, registry_shareholders, registry_officers,
                     procurement_award (CONTRACT.md section 4) and bid_opening (a user mapping)
    DIR/mappings/    bid_opening.toml, the package's example mapping (when it ships)
    DIR/mentions.csv the true subject of every name a published row prints (published_sink.py)
    DIR/truth.json   the keyed truth, its meta extended with a "published" summary

The published files are written in a fixed order from one ``random.Random``
seeded with the seed and a constant, so the same seed gives the same bytes.

>>> import tempfile
>>> from credgraph.synthetic.generate import generate_enterprises
>>> with tempfile.TemporaryDirectory() as tmp:
...     summary = generate_enterprises(300, seed=3, out=Path(tmp) / "p", format="published")
...     names = sorted(p.name for p in (Path(tmp) / "p" / "published").iterdir())
>>> names[:3], summary.rows["registry/enterprises.csv"] == summary.enterprises
(['admin_penalty.csv', 'bid_opening.csv', 'court_dishonest.csv'], True)
"""

from __future__ import annotations

import json
import random
from importlib.resources import files
from pathlib import Path
from typing import Any

from credgraph.synthetic.published_court import write_court
from credgraph.synthetic.published_forms import Scribe, load_words
from credgraph.synthetic.published_registry import REGISTRY_FILES, write_registry
from credgraph.synthetic.published_sink import PublishedSink
from credgraph.synthetic.published_sources import (
    write_admin_penalty, write_officers, write_procurement, write_shareholders,
)
from credgraph.synthetic.tables import load_tables

PUBLISHED_FORMAT = "credgraph-published-truth/1"
MENTIONS_FILE = "mentions.csv"
MAPPING = "bid_opening.toml"
OUTPUTS = frozenset({"registry", "published", "mappings", MENTIONS_FILE})


def publish(keyed: Path, out: Path, seed: int) -> dict[str, int]:
    """Write the published layout of the keyed folder ``keyed`` into ``out``; returns rows per file.

    Row counts are keyed by path under ``out`` (``registry/enterprises.csv``,
    ``published/court_dishonest.csv``, ``mentions.csv``). ``out`` must exist;
    truth.json is the keyed one with ``meta["published"]`` added.
    """
    meta = _write_files(keyed, out, random.Random(f"credgraph-published:{seed}"))
    _copy_mapping(out)
    truth = json.loads((keyed / "truth.json").read_text(encoding="utf-8"))
    truth["meta"]["published"] = meta
    with open(out / "truth.json", "w", encoding="utf-8", newline="\n") as handle:
        json.dump(truth, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return dict(meta["counts"])


def _write_files(keyed: Path, out: Path, rng: random.Random) -> dict[str, Any]:
    """registry/, published/ and mentions.csv; returns the "published" meta of truth.json."""
    tables, words = load_tables(), load_words()
    for folder in ("registry", "published"):
        (out / folder).mkdir(exist_ok=True)
    index = write_registry(keyed, out / "registry", tables, rng)
    scribe = Scribe(rng, tables, words)
    with PublishedSink(out / "published", out / MENTIONS_FILE, words.headers, index) as sink:
        strangers = write_court(keyed, index, sink, scribe)
        write_admin_penalty(keyed, index, sink, scribe)
        write_shareholders(keyed, index, sink, scribe)
        write_officers(keyed, index, sink, scribe)
        write_procurement(keyed, index, sink, scribe)
    counts = {f"registry/{name}": index.rows[name] for name in REGISTRY_FILES}
    counts |= {f"published/{name}": rows for name, rows in sink.rows.items()}
    counts[MENTIONS_FILE] = sink.mention_count
    roles: dict[str, dict[str, int]] = {}
    for (file, role), n in sink.roles.items():
        roles.setdefault(file, {})[role] = n
    return {"format": PUBLISHED_FORMAT, "mentions": MENTIONS_FILE, "counts": counts, "mentions_by_role": roles,
            "strangers": strangers}


def _copy_mapping(out: Path) -> None:
    """Copy the package's bid_opening.toml example mapping verbatim, when the package ships it."""
    source = files("credgraph.loaders.published").joinpath(f"examples/{MAPPING}")
    if source.is_file():
        (out / "mappings").mkdir(exist_ok=True)
        (out / "mappings" / MAPPING).write_bytes(source.read_bytes())

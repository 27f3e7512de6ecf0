"""``generate``: synthetic input data with planted patterns, decoys and their truth.json.

A run has four phases, each streaming rows straight to its files:

1. agencies of every city and district;
2. enterprises with their people (persons, legal representatives, officers,
   shareholdings, a group's own guarantees), background units drawn at random
   and planted or decoy units inserted at random firm numbers;
3. projects and bids: background tenders plus the tenders units planned;
4. background guarantees, then penalties and list entries.

Only compact per-firm arrays and the (small, fixed-fraction) plans of the
planted units stay in memory, so L (a million firms) runs in a few hundred MB.
The same seed gives byte-identical files: one ``random.Random(seed)`` drives
everything, in a fixed order, and nothing depends on hash order or time.

``format="published"`` writes these files into a temporary folder beside
``out`` and then turns them into the published layout (registry base, agencies'
files, mentions.csv: see :mod:`credgraph.synthetic.published`).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     summary = generate_enterprises(300, seed=1, out=Path(tmp) / "tiny")
>>> summary.enterprises >= 300, summary.planted["bid_rigging"]
(True, 6)
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from credgraph.graph.errors import ConfigError
from credgraph.synthetic.agencies import write_agencies
from credgraph.synthetic.background import background_guarantees, background_unit
from credgraph.synthetic.dates import AS_OF, iso
from credgraph.synthetic.market import write_market
from credgraph.synthetic.published import OUTPUTS as PUBLISHED_OUTPUTS, publish
from credgraph.synthetic.records import write_records
from credgraph.synthetic.schedule import Unit, planned_units
from credgraph.synthetic.tables import load_tables
from credgraph.synthetic.world import World
from credgraph.synthetic.writer import FILES, CsvSink

SIZES = {"S": 2_000, "M": 100_000, "L": 1_000_000}
TRUTH_FILE = "truth.json"
OUTPUTS = frozenset(FILES) | {TRUTH_FILE} | PUBLISHED_OUTPUTS
TRUTH_FORMAT = "credgraph-synthetic-truth/1"
FORMATS = ("keyed", "published")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class GenerationSummary:
    """What a run wrote: rows per file, planted items per detector, decoys per kind, time taken."""

    size: str
    seed: int
    out: Path
    rows: dict[str, int]
    seconds: float
    planted: dict[str, int]
    decoys: dict[str, int] = field(default_factory=dict)

    @property
    def enterprises(self) -> int:
        """Rows of enterprises.csv (registry/enterprises.csv in the published layout)."""
        return self.rows.get("enterprises.csv") or self.rows["registry/enterprises.csv"]

    @property
    def total_rows(self) -> int:
        """Data rows over all CSV files."""
        return sum(self.rows.values())


def generate(size: str = "S", seed: int = 7, out: Path = Path("synthetic-data"),
             progress: Progress | None = None, format: str = "keyed") -> GenerationSummary:
    """Write the ``size`` data set (S ~2,000 enterprises, M ~100,000, L ~1,000,000) into ``out``.

    ``format`` is ``keyed`` (the input files of CONTRACT.md section 1) or
    ``published`` (the same world as a registry base and agencies' published
    files with the truth of every mention: see :mod:`credgraph.synthetic.published`).
    ``progress(done, total)`` is called as enterprises are written. Raises
    ``ConfigError`` for an unknown size or format or an unusable output folder.
    """
    if not isinstance(size, str) or size.upper() not in SIZES:
        raise ConfigError(f"unknown size {size!r}: choose one of {', '.join(SIZES)}")
    size = size.upper()
    return generate_enterprises(SIZES[size], seed, Path(out), progress, size, format)


def generate_enterprises(n: int, seed: int, out: Path, progress: Progress | None = None,
                         size: str = "custom", format: str = "keyed") -> GenerationSummary:
    """Like :func:`generate` for about ``n`` enterprises (tests use small ``n``)."""
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ConfigError(f"seed must be an integer, got {seed!r}")
    if n < 100:
        raise ConfigError(f"too few enterprises ({n}): the patterns need at least 100")
    if format not in FORMATS:
        raise ConfigError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
    _prepare(out)
    if format == "keyed":
        return _generate_keyed(n, seed, out, progress, size)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-keyed-", dir=out.parent) as tmp:
        keyed = _generate_keyed(n, seed, Path(tmp), progress, size)
        rows = publish(Path(tmp), out, seed)
    return GenerationSummary(size, seed, out, rows, round(time.perf_counter() - started, 3), keyed.planted,
                             keyed.decoys)


def _generate_keyed(n: int, seed: int, out: Path, progress: Progress | None, size: str) -> GenerationSummary:
    """The keyed files of section 1 and truth.json in the prepared folder ``out``."""
    started = time.perf_counter()
    with CsvSink(out) as sink:
        w = World(seed, n, sink, load_tables())
        write_agencies(w)
        _build_firms(w, planned_units(n), progress)
        write_market(w)
        background_guarantees(w)
        write_records(w)
        rows = dict(sink.rows)
    meta = {"format": TRUTH_FORMAT, "size": size, "seed": seed, "enterprises": rows["enterprises.csv"],
            "as_of": iso(AS_OF), "counts": w.truth.counts(), "decoy_counts": w.truth.decoy_counts()}
    w.truth.write(out / TRUTH_FILE, meta)
    return GenerationSummary(size, seed, out, rows, round(time.perf_counter() - started, 3), w.truth.counts(),
                             w.truth.decoy_counts())


def _prepare(out: Path) -> None:
    """Create ``out`` or accept it if empty or holding only a previous run's files."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"output folder {out} is an existing file: choose a folder")
    if out.is_dir():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in OUTPUTS)
        if foreign:
            raise ConfigError(f"output folder {out} is not empty (holds {foreign[0]}): choose an empty or new folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create output folder {out}: {exc.strerror or exc}") from exc


def _build_firms(w: World, units: list[Unit], progress: Progress | None) -> None:
    """Background units until ``w.target`` firms, planted units at random firm numbers along the way."""
    n = w.target
    targets = sorted((w.rng.randrange(n), i) for i in range(len(units)))
    k = 0
    step = max(1, n // 200)
    next_report = step
    while len(w.firms) < n or k < len(targets):
        if k < len(targets) and (targets[k][0] <= len(w.firms) or len(w.firms) >= n):
            units[targets[k][1]].make(w)
            k += 1
        else:
            background_unit(w)
        if progress is not None and len(w.firms) >= next_report:
            progress(min(len(w.firms), n), n)
            next_report = len(w.firms) + step
    if progress is not None:
        progress(n, n)

"""How long resolving about 1,000,000 mentions against the L world takes, and how much memory (issue 14).

Target: <= 5 minutes and <= 6 GB peak RSS on the 2-core machine, for the whole
resolution job (``credgraph.resolution.job.run_resolution``: read the mentions
and the registry from the store, resolve, write links, candidates and the
relationships they make), which is what ``credgraph resolve`` runs.

Steps, each cached in ``--work`` so a re-measurement only repeats the last:

1. the published-format L world (``credgraph generate --size L --seed 7
   --format published``), or ``--data DIR`` for one already generated;
2. ``registry.db``: a fresh embedded SQLite store with the registry base loaded
   (``load_folder``, as ``credgraph load DIR/registry`` does);
3. ``loaded.db``: a copy of it with the published files loaded without
   resolving. The L world's files hold 7.56M mentions, so every file is cut to
   the same fraction of its rows (its first rows, ``fraction = --mentions /
   mentions in mentions.csv``), keeping the mix of sources of the world: about
   ``--mentions`` mentions in all. The cut copies are written to
   ``work/published``; the exact count of mentions the store holds is printed;
4. ``resolve.db``: a fresh copy of ``loaded.db``, resolved once in a child
   process (``--child``), so that loading's memory does not count (and after
   ``os.sync``, so that writing the copy back does not either): the peak RSS
   is the child's (``RUSAGE_CHILDREN``), the seconds are the job's own
   (``read``, ``resolve``, ``write``) and the child's wall time.

    python benchmarks/resolve_scale.py --work /tmp/rs/work
    python benchmarks/resolve_scale.py --data /tmp/rs/l7 --work /tmp/rs/work --json

Pass ``--fresh`` to rebuild the stores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

TARGET_SECONDS = 300.0
TARGET_GB = 6.0
SOURCES = ("court_dishonest", "admin_penalty", "registry_shareholders", "registry_officers", "procurement_award",
           "bid_opening")


def _cut(src: Path, dst: Path, fraction: float) -> int:
    """Copy the header and the first ``fraction`` of the data rows of ``src`` to ``dst``; the rows kept."""
    with src.open(newline="", encoding="utf-8") as handle:
        total = sum(1 for _ in csv.reader(handle)) - 1
    keep = max(1, round(total * fraction))
    with src.open(newline="", encoding="utf-8") as handle, dst.open("w", newline="", encoding="utf-8") as out:
        reader, writer = csv.reader(handle), csv.writer(out)
        writer.writerow(next(reader))
        for i, row in enumerate(reader):
            if i >= keep:
                break
            writer.writerow(row)
    return keep


def _mention_count(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM nodes WHERE label = 'Mention'").fetchone()[0])


def build(data: Path, work: Path, mentions: int, fresh: bool) -> dict[str, Any]:
    """Steps 1-3 of the module docstring; what was loaded and the seconds of each step."""
    from credgraph.graph.store import open_store
    from credgraph.loaders.load import load_folder
    from credgraph.loaders.published.load import load_published
    from credgraph.loaders.published.mapping import builtin_mapping, read_mapping

    info: dict[str, Any] = {"seconds": {}}
    work.mkdir(parents=True, exist_ok=True)
    if fresh:
        for name in ("registry.db", "loaded.db", "resolve.db"):
            (work / name).unlink(missing_ok=True)
    if not (data / "mentions.csv").exists():
        from credgraph.synthetic.generate import generate

        start = time.perf_counter()
        generate(size="L", seed=7, out=data, format="published")
        info["seconds"]["generate"] = time.perf_counter() - start
    if not (work / "registry.db").exists():
        start = time.perf_counter()
        with open_store(str(work / "registry.db.part")) as store:
            load_folder(store, data / "registry", report_dir=work / "report-registry")
        (work / "registry.db.part").rename(work / "registry.db")
        info["seconds"]["load registry"] = time.perf_counter() - start
    with (data / "mentions.csv").open(newline="", encoding="utf-8") as handle:
        per_file = Counter(row["file"] for row in csv.DictReader(handle))
    fraction = min(1.0, mentions / sum(per_file.values()))
    info["fraction"] = fraction
    if not (work / "loaded.db").exists():
        start = time.perf_counter()
        shutil.copyfile(work / "registry.db", work / "loaded.db.part")
        (work / "published").mkdir(exist_ok=True)
        rows: dict[str, int] = {}
        with open_store(str(work / "loaded.db.part")) as store:
            for name in SOURCES:
                cut = work / "published" / f"{name}.csv"
                rows[name] = _cut(data / "published" / f"{name}.csv", cut, fraction)
                mapping = (read_mapping(data / "mappings" / "bid_opening.toml") if name == "bid_opening"
                           else builtin_mapping(name))
                load_published(store, cut, mapping, report_dir=work / f"report-{name}")
        (work / "loaded.db.part").rename(work / "loaded.db")
        (work / "rows.json").write_text(json.dumps(rows))
        info["seconds"]["load published"] = time.perf_counter() - start
    info["rows"] = json.loads((work / "rows.json").read_text())
    info["mentions_in_store"] = _mention_count(work / "loaded.db")
    return info


def child(db: Path) -> None:
    """Run the resolution job on ``db`` and print what it did as JSON (the ``--child`` mode)."""
    from credgraph.graph.store import open_store
    from credgraph.resolution.job import run_resolution

    with open_store(str(db)) as store:
        job = run_resolution(store, user="benchmark")
    print(json.dumps({"mentions": len(job.mentions), "seconds": job.seconds, "grades": job.counts(),
                      "written": job.written}))


def measure(work: Path) -> dict[str, Any]:
    """Step 4: resolve a fresh copy of ``loaded.db`` in a child; its figures and peak RSS."""
    shutil.copyfile(work / "loaded.db", work / "resolve.db")
    os.sync()  # the copy's 5 GB written back now, not under the job being timed
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", str(work / "resolve.db")], check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    out["peak_rss_gb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e9  # kB on Linux
    out["load_average"] = os.getloadavg()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/resolve_scale/l7"), help="the L published world")
    parser.add_argument("--work", type=Path, default=Path("/tmp/resolve_scale/work"), help="stores and cut files")
    parser.add_argument("--mentions", type=int, default=1_000_000, help="about how many mentions to load")
    parser.add_argument("--fresh", action="store_true", help="rebuild the stores")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    info = build(args.data, args.work, args.mentions, args.fresh)
    run = measure(args.work)
    if args.json:
        print(json.dumps({**info, **run}, indent=2))
        return 0
    for step, secs in info["seconds"].items():
        print(f"{step}: {secs:.0f} s")
    print(f"published rows loaded (first {info['fraction']:.4f} of each file): {info['rows']}")
    print(f"mentions in the store: {info['mentions_in_store']:,}; resolved: {run['mentions']:,}")
    print("resolution job seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in run["seconds"].items())
          + f"; child wall {run['wall']:.1f} s")
    print(f"grades: {run['grades']}")
    print(f"written: {run['written']}")
    print("load average (1, 5, 15 min) after: " + ", ".join(f"{x:.2f}" for x in run["load_average"]))
    total = sum(run["seconds"].values())
    ok = total <= TARGET_SECONDS and run["peak_rss_gb"] <= TARGET_GB
    print(f"SUMMARY: resolving {run['mentions']:,} mentions against the L world took {total:.0f} s "
          f"(target <= {TARGET_SECONDS:.0f} s) and {run['peak_rss_gb']:.2f} GB peak RSS "
          f"(target <= {TARGET_GB:.0f} GB): {'MET' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Precision and recall of the six detectors against truth.json, per seed.

For each seed: generate ``--size`` data (or read ``--data``), load it into a
fresh embedded store, run the detectors on the truth's reference date and
compare with the planted items and decoys (``credgraph.analytics.detectors.
evaluation``: subjects equal, as sets for group detectors; partial overlaps
of group findings counted apart; a decoy is flagged when a finding equals it
or shares two firms with it).

    python benchmarks/detect_eval.py --size S --seeds 1 2 3
    python benchmarks/detect_eval.py --size M --seeds 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from credgraph.analytics.detection import find_patterns
from credgraph.analytics.detectors.evaluation import Score, evaluate
from credgraph.graph.sqlite_store import SqliteStore
from credgraph.loaders.load import load_folder
from credgraph.synthetic.generate import generate


def evaluate_folder(data: Path, work: Path) -> tuple[dict[str, Score], float]:
    """Scores per detector for one generated folder, and the seconds the detectors took."""
    truth = json.loads((data / "truth.json").read_text(encoding="utf-8"))
    as_of = dt.date.fromisoformat(truth["meta"]["as_of"])
    with SqliteStore(work / "eval.db") as store:
        store.ensure_schema()
        load_folder(store, data, report_dir=work / "report")
        start = time.perf_counter()
        findings, _ = find_patterns(store, as_of=as_of)
        seconds = time.perf_counter() - start
    return evaluate(findings, truth), seconds


def print_scores(label: str, scores: dict[str, Score], seconds: float) -> None:
    print(f"\n{label} (detectors ran in {seconds:.1f} s)")
    print(f"{'detector':20} {'planted':>7} {'found':>6} {'hits':>5} {'partial':>7} {'precision':>9} {'recall':>6}  decoys flagged")
    for s in scores.values():
        flagged = f"{len(s.decoys_flagged)} of {s.decoys}"
        print(f"{s.detector:20} {s.planted:>7} {s.found:>6} {s.hits:>5} {s.partial:>7} {s.precision:>9.3f} "
              f"{s.recall:>6.3f}  {flagged}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S", choices=["S", "M", "L"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--data", type=Path, help="a generated folder to read instead of generating")
    args = parser.parse_args()
    runs = [(args.data, None)] if args.data else [(None, seed) for seed in args.seeds]
    for data, seed in runs:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            if data is None:
                data = work / "data"
                generate(size=args.size, seed=seed, out=data, progress=None)
            scores, seconds = evaluate_folder(data, work)
            print_scores(f"{args.size} seed {seed}" if seed is not None else str(data), scores, seconds)


if __name__ == "__main__":
    main()

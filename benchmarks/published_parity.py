"""Detectors and risk on one world loaded keyed and loaded as published, side by side.

For a seed, generates the world twice: keyed (the input files of section 1)
and published (``--format published``: a registry base and the agencies'
files, names and masked IDs instead of keys). Loads each into its own embedded
store (the published one resolved once), then on the truth's as-of date
prints, for both:

- precision and recall of each detector against the planted patterns
  (``credgraph.analytics.detectors.evaluation``, as benchmarks/detect_eval.py);
- the ROC AUC of total and linked risk of the planted risky firms against the
  background (as benchmarks/risk_auc.py).

A third column loads the published world again with every mention linked to
its true subject (``truth_resolver``): what the published files can show at
best. Keyed minus that is what publication loses (a court list that drops
removed debtors, officer lists without dates); that minus resolved is what
resolution loses.

Analyses count links of grade strong and above (the default); ``--min-grade``
changes it for the published side.

    python benchmarks/published_parity.py --size M --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from published_world import load_world, published_world, truth_resolver  # noqa: E402
from risk_auc import auc, firms_of  # noqa: E402

from credgraph.analytics.config import load_config  # noqa: E402
from credgraph.analytics.detection import find_patterns  # noqa: E402
from credgraph.analytics.detectors.evaluation import Score, evaluate  # noqa: E402
from credgraph.analytics.jobs import risk_projection  # noqa: E402
from credgraph.analytics.risk import risk_scores  # noqa: E402
from credgraph.graph.links import DEFAULT_MIN_GRADE  # noqa: E402
from credgraph.graph.sqlite_store import SqliteStore  # noqa: E402
from credgraph.graph.store import GraphStore  # noqa: E402
from credgraph.loaders.load import load_folder  # noqa: E402
from credgraph.synthetic.generate import generate  # noqa: E402


def analyse(store: GraphStore, truth: dict[str, Any], min_grade: str) -> tuple[dict[str, Score], dict[str, float]]:
    """Detector scores and risk AUCs of a loaded store."""
    as_of = dt.date.fromisoformat(truth["meta"]["as_of"])
    findings, _ = find_patterns(store, as_of=as_of, min_grade=min_grade)
    scores = evaluate(findings, truth)
    risk = risk_scores(risk_projection(store, as_of, load_config(), min_grade), as_of)
    ids = [risk.projection.ids[p] for p in risk.positions.tolist()]
    firm = {i: k for k, i in enumerate(ids) if risk.projection.labels[risk.positions[k]] == "Enterprise"}
    groups, planted = firms_of(truth)
    background = np.asarray([k for i, k in firm.items() if i not in planted])
    positives = np.asarray([firm[i] for i, _ in groups["reregistration"] + groups["bribery_association"] if i in firm])
    aucs = {"total": auc(risk.total[positives], risk.total[background]),
            "linked": auc(risk.linked[positives], risk.linked[background]),
            "positives": float(len(positives))}
    return scores, aucs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-grade", default=DEFAULT_MIN_GRADE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        keyed = work / "keyed"
        generate(size=args.size, seed=args.seed, out=keyed)
        world = published_world(args.size, args.seed, work / "published")
        truth = json.loads((keyed / "truth.json").read_text(encoding="utf-8"))
        with SqliteStore(work / "keyed.db") as store:
            store.ensure_schema()
            load_folder(store, keyed, report_dir=work / "report-keyed")
            keyed_scores, keyed_auc = analyse(store, truth, "exact")
        with SqliteStore(work / "published.db") as store:
            store.ensure_schema()
            job, seconds = load_world(store, world, work)
            pub_scores, pub_auc = analyse(store, truth, args.min_grade)
        with SqliteStore(work / "oracle.db") as store:
            store.ensure_schema()
            load_world(store, world, work / "oracle", truth_resolver(world))
            top_scores, top_auc = analyse(store, truth, args.min_grade)
        print(f"{args.size} seed {args.seed}: keyed | published, resolved (links of grade {args.min_grade} and up) | "
              f"published, every mention linked to its true subject; {time.perf_counter() - started:.0f} s in all, "
              f"resolve {seconds['resolve']:.0f} s, grades {job.counts()}")
        print(f"{'detector':20} {'planted':>7} | {'found':>6} {'prec':>6} {'recall':>6} | {'found':>6} {'prec':>6} "
              f"{'recall':>6} | {'found':>6} {'prec':>6} {'recall':>6}")
        for name, k in keyed_scores.items():
            p, t = pub_scores[name], top_scores[name]
            print(f"{name:20} {k.planted:>7} | " + " | ".join(
                f"{s.found:>6} {s.precision:>6.3f} {s.recall:>6.3f}" for s in (k, p, t)))
        print(f"risk AUC, reregistration + bribery firms vs background ({int(keyed_auc['positives'])} positives): "
              f"total {keyed_auc['total']:.3f} | {pub_auc['total']:.3f} | {top_auc['total']:.3f}; "
              f"linked {keyed_auc['linked']:.3f} | {pub_auc['linked']:.3f} | {top_auc['linked']:.3f}")

if __name__ == "__main__":
    main()

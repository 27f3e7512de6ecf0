"""ROC AUC of risk scores: firms near planted risky structures against the background.

Generates (or reuses) a data set, scores it on the truth's as-of date from a
projection read from the files (risk_data.py), and prints, for total_score
and linked_score, the ROC AUC (the chance that a planted firm outscores a
background firm, ties counting half) of:

- positives: the firm of each planted ``reregistration`` item (a blacklisted
  person's or firm's principal leads or joins it) and the winner of each
  ``bribery_association`` item (within two hops of a bribery record). The
  firms themselves have no records: their risk can only come through links.
  "source in force" keeps the items whose listing or penalty still counts on
  the as-of date (not removed, not repaired or revoked, under five years old);
- background: every other enterprise that is not part of a planted unit or decoy;
- hard negatives: the decoys whose source no longer counts (listing removed
  before the new firm, bribery penalty repaired or revoked).

The structure-only patterns (shell clusters, bid rigging, guarantee and
ownership cycles) carry no records, so risk has nothing to propagate there;
their AUC is printed for completeness.

    python benchmarks/risk_auc.py --size M --seed 7
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import rankdata

from credgraph.analytics.risk import risk_scores
from risk_data import ensure_data, projection_from_folder

HARD_NEGATIVES = {"listing_removed_before_new_firm": 1, "repaired_bribery_penalty": 0, "revoked_bribery_penalty": 0}
FIRM_SIDE = {"reregistration": 1, "bribery_association": 0}
STRUCTURES = ("shell_cluster", "bid_rigging", "guarantee_circle", "circular_ownership")


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """Mann-Whitney ROC AUC, ties counting half."""
    if len(positive) == 0 or len(negative) == 0:
        return float("nan")
    ranks = rankdata(np.concatenate([positive, negative]))
    return float((ranks[: len(positive)].sum() - len(positive) * (len(positive) + 1) / 2) / (len(positive) * len(negative)))


def source_counts(item: dict[str, Any], as_of: dt.date) -> bool:
    """Whether the planted item's listing or penalty still counts on ``as_of``."""
    evidence = item["evidence"]
    if "listing" in evidence:
        removed = evidence["listing"].get("removed_date")
        return removed is None or dt.date.fromisoformat(removed) > as_of
    record = evidence["record"]
    if "decision_date" in record:
        age = (as_of - dt.date.fromisoformat(record["decision_date"])).days
        return record.get("status", "effective") == "effective" and age < 1825
    return record.get("removed_date") is None


def firms_of(truth: dict[str, Any]) -> tuple[dict[str, list[tuple[str, bool]]], set[str]]:
    """Positive firms per pattern (with whether their source counts), and every firm in a unit or decoy."""
    as_of = dt.date.fromisoformat(truth["meta"]["as_of"])
    planted: set[str] = set()
    for key in (*FIRM_SIDE, *STRUCTURES):
        for item in truth[key]:
            planted.update(item["subjects"])
    for item in truth["ownership"]:
        planted.update(item["subjects"])
    for items in truth["decoys"].values():
        for item in items:
            planted.update(item["subjects"])
    groups = {kind: [(item["subjects"][side], source_counts(item, as_of)) for item in truth[kind]]
              for kind, side in FIRM_SIDE.items()}
    groups["hard negatives"] = [(item["subjects"][side], False) for kind, side in HARD_NEGATIVES.items()
                                for item in truth["decoys"].get(kind, [])]
    for kind in STRUCTURES:
        groups[kind] = [(firm, False) for item in truth[kind] for firm in item["subjects"]]
    return groups, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "credgraph-bench")
    args = parser.parse_args()
    folder = ensure_data(args.size, args.seed, args.data)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    as_of = dt.date.fromisoformat(truth["meta"]["as_of"])
    scores = risk_scores(projection_from_folder(folder, as_of), as_of)
    ids = [scores.projection.ids[p] for p in scores.positions.tolist()]
    firm = {i: k for k, i in enumerate(ids) if scores.projection.labels[scores.positions[k]] == "Enterprise"}
    groups, planted = firms_of(truth)
    background = np.asarray([k for i, k in firm.items() if i not in planted])
    print(f"{args.size} seed {args.seed}, as of {as_of}: {len(firm):,} firms, {len(background):,} in the background")
    print(f"{'positives':34} {'n':>6} {'AUC total':>10} {'AUC linked':>11} {'vs hard neg (total)':>20}")
    hard = np.asarray([firm[i] for i, _ in groups["hard negatives"] if i in firm])
    rows = [("reregistration + bribery_association", groups["reregistration"] + groups["bribery_association"], False),
            ("  source in force on the as-of date", groups["reregistration"] + groups["bribery_association"], True),
            ("reregistration", groups["reregistration"], False), ("bribery_association", groups["bribery_association"], False),
            *((kind, groups[kind], False) for kind in STRUCTURES)]
    for name, members, only_counting in rows:
        picked = np.asarray([firm[i] for i, counts in members if i in firm and (counts or not only_counting)])
        if len(picked) == 0:
            continue
        paired = name.startswith(("reregistration +", "  source"))
        vs_hard = f"{auc(scores.total[picked], scores.total[hard]):.3f}" if paired else "-"
        print(f"{name:34} {len(picked):>6} {auc(scores.total[picked], scores.total[background]):>10.3f} "
              f"{auc(scores.linked[picked], scores.linked[background]):>11.3f} {vs_hard:>20}")
    print(f"hard negatives: {len(hard)} firms whose source no longer counts")


if __name__ == "__main__":
    main()

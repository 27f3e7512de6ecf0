"""Precision and recall of findings against a generated data set's ``truth.json``.

A finding matches a planted item of its detector when their subjects are
equal: in order for the pair detectors (reregistration, bribery_association),
as sets for the group detectors. A group finding that shares two or more
firms with a planted item without being equal to it is a *partial* match
(reported, but counted as neither a hit nor a miss of that item). A decoy is
*flagged* when a finding equals it (pair detectors) or shares two or more
firms with it (group detectors): a finding inside a business centre or an
ended cycle is a false alarm even when it is smaller than the decoy.

>>> from credgraph.graph.records import Finding
>>> truth = {"guarantee_circle": [{"subjects": ["A", "B"]}], "decoys": {}}
>>> found = [Finding("x", "guarantee_circle", ("B", "A"), 1.0, None, {})]
>>> score = evaluate(found, truth)["guarantee_circle"]
>>> score.precision, score.recall
(1.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from credgraph.graph.records import Finding

PAIR_DETECTORS = ("reregistration", "bribery_association")
GROUP_DETECTORS = ("shell_cluster", "bid_rigging", "guarantee_circle", "circular_ownership")


@dataclass
class Score:
    """Hits, false alarms and misses of one detector, with partial overlaps and flagged decoys."""

    detector: str
    planted: int = 0
    found: int = 0
    hits: int = 0
    partial: int = 0
    decoys: int = 0
    decoys_flagged: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of findings that equal a planted item (1.0 when nothing was found)."""
        return self.hits / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """Share of planted items found exactly (1.0 when nothing was planted)."""
        return self.hits / self.planted if self.planted else 1.0

    def as_dict(self) -> dict[str, Any]:
        """Plain data with precision and recall."""
        return {"detector": self.detector, "planted": self.planted, "found": self.found, "hits": self.hits,
                "partial": self.partial, "precision": self.precision, "recall": self.recall,
                "decoys": self.decoys, "decoys_flagged": list(self.decoys_flagged)}


def _key(detector: str, subjects: Sequence[str]) -> Any:
    return tuple(subjects) if detector in PAIR_DETECTORS else frozenset(subjects)


def _touches(detector: str, finding: Any, item: Any) -> bool:
    if detector in PAIR_DETECTORS:
        return bool(finding == item)
    return len(finding & item) >= 2


def evaluate(findings: Sequence[Finding], truth: Mapping[str, Any],
             detectors: Sequence[str] = (*PAIR_DETECTORS, *GROUP_DETECTORS)) -> dict[str, Score]:
    """Per detector: findings against the planted items and decoys of ``truth`` (a parsed truth.json)."""
    scores = {}
    for detector in detectors:
        planted = {_key(detector, item["subjects"]) for item in truth.get(detector, [])}
        found = {_key(detector, f.subjects) for f in findings if f.detector == detector}
        decoys = [(item.get("id", ""), _key(detector, item["subjects"]))
                  for group in truth.get("decoys", {}).values() for item in group if item["detector"] == detector]
        score = Score(detector, planted=len(planted), found=len(found), hits=len(found & planted), decoys=len(decoys))
        if detector in GROUP_DETECTORS:
            score.partial = sum(1 for f in found - planted if any(_touches(detector, f, p) for p in planted))
        score.decoys_flagged = sorted(name for name, d in decoys if any(_touches(detector, f, d) for f in found))
        scores[detector] = score
    return scores

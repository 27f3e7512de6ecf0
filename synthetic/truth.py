"""``truth.json``: what was planted, what must not be flagged, and who owns what.

Layout (see docs/synthetic.md for an example)::

    {"meta": {...},
     "reregistration": [item, ...], "shell_cluster": [...], "bribery_association": [...],
     "bid_rigging": [...], "guarantee_circle": [...], "circular_ownership": [...],
     "ownership": [structure, ...],
     "decoys": {"business_centre": [decoy, ...], ...}}

An item is ``{"id", "subjects", "kind", "evidence"}``; ``subjects`` is shaped like
a finding's ``subjects`` for that detector (CONTRACT.md section 3). A decoy adds
``"detector"``: the detector that must not report it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DETECTORS = ("reregistration", "shell_cluster", "bribery_association", "bid_rigging", "guarantee_circle",
             "circular_ownership")
GROUP_DETECTORS = ("shell_cluster", "bid_rigging", "guarantee_circle", "circular_ownership")


class Truth:
    """Collects truth items during a run and writes them at the end."""

    def __init__(self) -> None:
        self.patterns: dict[str, list[dict[str, Any]]] = {d: [] for d in DETECTORS}
        self.ownership: list[dict[str, Any]] = []
        self.decoys: dict[str, list[dict[str, Any]]] = {}

    def plant(self, detector: str, subjects: list[str], kind: str, evidence: dict[str, Any]) -> dict[str, Any]:
        """Record a planted pattern; group detectors get their subjects sorted."""
        items = self.patterns[detector]
        subjects = sorted(subjects) if detector in GROUP_DETECTORS else list(subjects)
        item = {"id": f"{detector}-{len(items) + 1:05d}", "subjects": subjects, "kind": kind, "evidence": evidence}
        items.append(item)
        return item

    def decoy(self, kind: str, detector: str, subjects: list[str], evidence: dict[str, Any]) -> dict[str, Any]:
        """Record a decoy that ``detector`` must not report."""
        items = self.decoys.setdefault(kind, [])
        subjects = sorted(subjects) if detector in GROUP_DETECTORS else list(subjects)
        item = {"id": f"decoy-{kind}-{len(items) + 1:05d}", "detector": detector, "subjects": subjects,
                "evidence": evidence}
        items.append(item)
        return item

    def structure(self, kind: str, enterprises: list[dict[str, Any]], evidence: dict[str, Any]) -> dict[str, Any]:
        """Record a planted ownership structure with the expected owners of each of its firms."""
        item = {"id": f"ownership-{len(self.ownership) + 1:05d}", "kind": kind,
                "subjects": sorted(e["uscc"] for e in enterprises), "enterprises": enterprises, "evidence": evidence}
        self.ownership.append(item)
        return item

    def counts(self) -> dict[str, int]:
        """Planted items per detector, plus ownership structures."""
        return {d: len(v) for d, v in self.patterns.items()} | {"ownership": len(self.ownership)}

    def decoy_counts(self) -> dict[str, int]:
        """Decoys per kind."""
        return {k: len(v) for k, v in self.decoys.items()}

    def write(self, path: Path, meta: dict[str, Any]) -> None:
        """Write truth.json (deterministic: insertion order, no time stamps)."""
        doc: dict[str, Any] = {"meta": meta}
        doc.update(self.patterns)
        doc["ownership"] = self.ownership
        doc["decoys"] = self.decoys
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            json.dump(doc, handle, ensure_ascii=False, indent=1)
            handle.write("\n")

"""How good the links are, against the truth of a generated published world (``mentions.csv``).

The generator (``credgraph generate --format published``) writes the true
subject of every mention, keyed by file, line and role, and whether that
subject is in the store at all. Against it:

* precision at a grade: of the mentions linked at that grade or better, the
  share linked to their true subject;
* recall: of the mentions whose true subject is in the store, the share
  linked to it at ``strong`` or better;
* homonym merges: person mentions whose name other persons in the store share,
  linked (``strong`` or better) to one of those others;
* name-only links: person links at ``strong`` or better whose evidence is a
  name and nothing else (there must be none).

>>> import pandas as pd
>>> truth = pd.DataFrame({"file": ["a.csv", "a.csv"], "line": [2, 3], "role": ["debtor", "debtor"],
...     "subject_id": ["p1", "p2"], "in_store": [True, False], "homonyms": [3, 0], "subject_type": "person"})
>>> links = pd.DataFrame({"file": ["a.csv", "a.csv"], "line": [2, 3], "role": ["debtor", "debtor"],
...     "subject_id": ["p1", "p9"], "grade": ["strong", "strong"], "evidence": ['{"features": {"visible": 8}}'] * 2,
...     "source": "court_dishonest"})
>>> m = evaluate(links, truth)
>>> m["overall"]["precision"], m["overall"]["recall"], m["overall"]["homonym_merges"]
(0.5, 1.0, 0)
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from credgraph.graph.links import LINK_GRADES, grades_at_least

KEY = ["file", "line", "role"]
IDENTIFYING = ("masked_id", "resident_id", "passport", "role_in_firm")


def read_truth(path: Any) -> pd.DataFrame:
    """``mentions.csv`` of a generated published world."""
    truth = pd.read_csv(path, dtype={"subject_id": str, "file": str, "role": str}, keep_default_na=False)
    truth["in_store"] = truth["in_store"].astype(str).str.lower() == "true"
    return truth


def _name_only(evidence: Any) -> bool:
    features = json.loads(evidence).get("features", {}) if isinstance(evidence, str) and evidence else {}
    return not any(k in features for k in IDENTIFYING)


def _metrics(df: pd.DataFrame) -> dict[str, Any]:
    sure = df["grade"].isin(grades_at_least("strong"))
    correct = df["subject_id_link"] == df["subject_id_true"]
    present = df["in_store"]
    persons = df["subject_type"] == "person"
    homonym = persons & (df["homonyms"] > 0)
    out: dict[str, Any] = {
        "mentions": int(len(df)),
        "in_store": int(present.sum()),
        "linked": int(sure.sum()),
        "precision": round(float((sure & correct).sum() / sure.sum()), 4) if sure.any() else None,
        "recall": round(float((sure & correct & present).sum() / present.sum()), 4) if present.any() else None,
        "homonym_mentions": int(homonym.sum()),
        "homonym_merges": int((homonym & sure & ~correct).sum()),
        "name_only_links": int((persons & sure & df["evidence"].map(_name_only)).sum()),
    }
    out["homonym_merge_rate"] = round(out["homonym_merges"] / out["homonym_mentions"], 4) if out["homonym_mentions"] else None
    per_grade = {}
    for grade in LINK_GRADES:
        at = df["grade"] == grade
        per_grade[grade] = {"links": int(at.sum()),
                            "precision": round(float((at & correct).sum() / at.sum()), 4) if at.any() else None}
    out["grades"] = per_grade
    out["unresolved"] = int((df["grade"] == "unresolved").sum())
    return out


def evaluate(links: pd.DataFrame, truth: pd.DataFrame) -> dict[str, Any]:
    """Precision, recall, homonym merges and name-only links, overall and per source file.

    ``links`` has the columns of ``links.csv`` (at least file, line, role,
    subject_id, grade, evidence); ``truth`` those of ``mentions.csv``.
    """
    left = links.copy()
    left["line"] = pd.to_numeric(left["line"], errors="coerce").astype("Int64")
    right = truth.copy()
    right["line"] = pd.to_numeric(right["line"], errors="coerce").astype("Int64")
    df = right.merge(left[[*KEY, "subject_id", "grade", "evidence"]], on=KEY, how="left",
                     suffixes=("_true", "_link"))
    df["grade"] = df["grade"].fillna("unresolved")
    df["subject_id_link"] = df["subject_id_link"].fillna("")
    df["homonyms"] = pd.to_numeric(df["homonyms"], errors="coerce").fillna(0)
    missing = int(len(df) - right.merge(left[KEY], on=KEY).shape[0])
    result = {"overall": _metrics(df), "by_file": {f: _metrics(g) for f, g in df.groupby("file")},
              "truth_rows_without_a_link_row": missing}
    return result

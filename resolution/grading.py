"""From candidates to grades: the rules every kind of mention shares.

Each stage of resolution (firms, agencies, persons) turns its mentions into
*candidate rows*: one per (mention, subject) pair that survived blocking and
the hard filters (a contradicting identifier, region, gender or age), with

``grade_if_unique``
    the grade the pair earns when it is the mention's only candidate
    (``exact`` for a full key, ``derived`` for an organisation code, ``strong``
    for a name unique in its region, ``probable`` for weaker evidence, or ``''``
    when the evidence can never link on its own, such as a person's name);
``preferred``
    how much softer evidence (the same region prefix, a region hint, a role in
    the firm of the record) favours it over the other candidates: 0 for none;
``logit``
    the summed log-odds of its features, for the score;
``rule`` and ``features``
    what the evidence says, for people.

``grade`` then decides per mention: one candidate takes its
``grade_if_unique``; several are narrowed to the most preferred one if it alone
is preferred that much (then at most ``strong``); otherwise they are ``probable`` when
there are at most ``max_candidates`` and their evidence allows it, else the
mention stays ``unresolved``.

>>> import pandas as pd
>>> rows = pd.DataFrame({"mention_id": ["m1", "m2", "m2"], "subject_id": ["a", "b", "c"],
...     "label": "Enterprise", "grade_if_unique": "strong", "preferred": [False, True, False],
...     "logit": [3.0, 3.0, 3.0], "rule": "name", "features": [{}, {}, {}]})
>>> links, candidates = grade(rows, max_candidates=5)
>>> links[["mention_id", "subject_id", "grade"]].values.tolist()
[['m1', 'a', 'strong'], ['m2', 'b', 'strong']]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from credgraph.resolution.tables import among, columns

CANDIDATE_COLUMNS = ["mention_id", "subject_id", "label", "grade_if_unique", "preferred", "logit", "rule", "features"]
LINK_COLUMNS = ["mention_id", "subject_id", "label", "grade", "score", "rule", "features", "candidates", "others"]


def empty_candidates() -> pd.DataFrame:
    """A candidate table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CANDIDATE_COLUMNS})


def score(logit: float) -> float:
    """A logit as a score in [0, 1], rounded to 4 places."""
    return round(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit)))), 4)


def grade(rows: pd.DataFrame, max_candidates: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Links (one per mention that earns a grade) and the candidates of the probable ones.

    Links carry ``candidates`` (how many there were) and ``others`` (the
    subject ids of the others, up to five) for the evidence.
    """
    if rows.empty:
        return pd.DataFrame(columns=LINK_COLUMNS), pd.DataFrame(columns=[*CANDIDATE_COLUMNS, "rank", "score"])
    rows = rows.sort_values(["mention_id", "logit", "subject_id"], ascending=[True, False, True], kind="stable")
    rows = rows.drop_duplicates(["mention_id", "subject_id"], keep="first").reset_index(drop=True)
    n = rows.groupby("mention_id")["subject_id"].transform("size").to_numpy()
    level = rows["preferred"].astype(int)
    top = level.groupby(rows["mention_id"]).transform("max")
    at_top = (level == top).groupby(rows["mention_id"]).transform("sum").to_numpy()
    unique = n == 1
    narrowed = (n > 1) & (top.to_numpy() > 0) & (level == top).to_numpy() & (at_top == 1)
    pick = unique | narrowed
    links = rows[pick].copy()
    base = links["grade_if_unique"].to_numpy(dtype=object)
    narrowed_picked = narrowed[pick]
    # Soft evidence narrows to one candidate, but never above strong.
    capped = np.where(narrowed_picked & np.isin(base, ["exact", "derived"]), "strong", base)
    links["grade"] = capped
    links["candidates"] = n[pick]
    links = links[links["grade"] != ""]
    rest = rows[~among(rows["mention_id"], links["mention_id"].tolist())].copy()
    rest["n"] = rest.groupby("mention_id")["subject_id"].transform("size")
    blocked = (rest["grade_if_unique"] == "").groupby(rest["mention_id"]).transform("max").astype(bool)
    probable = rest[(rest["n"] <= max_candidates) & ~blocked].copy()
    # A mention picked at grade probable keeps its candidates too, for review to see and decide.
    soft = rows[among(rows["mention_id"], links.loc[links["grade"] == "probable", "mention_id"].tolist())].copy()
    soft["n"] = soft.groupby("mention_id")["subject_id"].transform("size")
    probable["rank"] = probable.groupby("mention_id").cumcount() + 1
    soft["rank"] = soft.groupby("mention_id").cumcount() + 1
    probable["score"] = [score(x) for x in probable["logit"].tolist()]
    best = probable[probable["rank"] == 1].copy()
    best["grade"] = "probable"
    best["candidates"] = best["n"]
    links = pd.concat([links, best[links.columns.intersection(best.columns)]], ignore_index=True)
    soft["score"] = [score(x) for x in soft["logit"].tolist()]
    probable = pd.concat([probable, soft], ignore_index=True).sort_values(["mention_id", "rank"], kind="stable")
    links["score"] = [score(x) for x in links["logit"].tolist()]
    others: dict[str, list[str]] = {}
    for mid, subject in columns(rows, "mention_id", "subject_id"):
        others.setdefault(mid, []).append(subject)
    links["others"] = [[s for s in others[m] if s != subj][:5]
                       for m, subj in columns(links, "mention_id", "subject_id")]
    links = links.sort_values("mention_id", kind="stable").reset_index(drop=True)
    return links[LINK_COLUMNS], probable[[*CANDIDATE_COLUMNS, "rank", "score"]].reset_index(drop=True)


def evidence(rule: str, features: dict[str, Any], candidates: int | None = None,
             others: list[str] | None = None) -> dict[str, Any]:
    """The evidence object a link or an unresolved mention carries."""
    out: dict[str, Any] = {"rule": rule, "features": features}
    if candidates is not None:
        out["candidates"] = candidates
    if others:
        out["other_candidates"] = others
    return out
